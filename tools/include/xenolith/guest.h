/* xguest: the PVH domain builder (kernel/ramdisk loading, memory, ACPI, start info, boot vCPU). */
#ifndef XENOLITH_GUEST_H
#define XENOLITH_GUEST_H

#include <stddef.h>
#include <stdint.h>

struct xcall;

/* Fixed guest-physical layout, as libxl's PVH layout (dom0-toolstack.md §3.3). */
#define XGUEST_MMIO_HOLE_START 0xFC000000ULL      /* acpi_info page; ACPI tables follow */
#define XGUEST_SPECIAL_PFN(i)  (0xFEFF8ULL + (i)) /* 8 special pages */
#define XGUEST_STORE_PFN       XGUEST_SPECIAL_PFN(4)
#define XGUEST_CONSOLE_PFN     XGUEST_SPECIAL_PFN(7)

/* What to build (everything the builder needs from xl.cfg, already validated). */
struct xguest_params {
    const char *kernel;  /* path: ELF with XEN_ELFNOTE_PHYS32_ENTRY, or a bzImage (xz/gzip/...) */
    const char *ramdisk; /* path or NULL */
    const char *cmdline; /* or NULL */
    uint64_t mem_kb;     /* memory populated now */
    uint64_t maxmem_kb;  /* >= mem_kb */
    unsigned int vcpus;  /* online at boot (vCPU 0 starts; the rest through the guest) */
    unsigned int max_vcpus;
    uint32_t store_port;   /* already allocated in the domain: EVTCHNOP_alloc_unbound */
    uint32_t console_port; /* likewise */
    uint32_t store_domid, console_domid; /* backends (0) for the seeded grant entries 0 and 1 */
};

/* What the builder did (for the xenstore tree and XS_INTRODUCE). */
struct xguest_result {
    uint64_t store_gfn, console_gfn;
    uint64_t entry;            /* PHYS32_ENTRY */
    uint64_t start_info_paddr; /* hvm_start_info */
};

/*
 * Build domid (created, max_vcpus and max_mem set, still paused): load the kernel and ramdisk,
 * populate memory, write ACPI tables, e820, hvm_start_info v1, special pages, HVM params, seed
 * grant entries 0/1 and load vCPU 0's state. On failure returns -1 with errno set and a one-line
 * reason in err (errlen bytes); the caller destroys the domain.
 */
int xguest_build_pvh(struct xcall *xc, uint32_t domid, const struct xguest_params *p,
                     struct xguest_result *r, char *err, size_t errlen);

#endif
