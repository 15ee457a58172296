/* PVH domain builder (pure logic): guest-physical layout, E820, and loading kernel/initrd/start
 * info/ACPI. */
#ifndef HV_PVH_BUILD_H
#define HV_PVH_BUILD_H

#include <hv/types.h>
#include <hv/libelf.h>
#include <hv/acpi_build.h>
#include <public/hvm/e820.h>

/*
 * Guest-physical layout (mem = requested memory size, a multiple of 4 KiB):
 *
 *   [0, 0x9F000)                    E820_RAM       backed, counted in mem
 *   [0x9F000, 0x100000)             E820_RESERVED  backed (zeroed), counted in mem
 *   [0x100000, low_end)             E820_RAM       backed, counted in mem; kernel, boot info,
 *                                                  initrd live here
 *   [0xFC000000, +acpi pages)       E820_ACPI      backed, extra (not counted in mem)
 *   0xFEFFC000 (xenstore page)      E820_RESERVED  backed, extra
 *   0xFEFFF000 (console page)       E820_RESERVED  backed, extra
 *   [4 GiB, 4 GiB + high)           E820_RAM       backed, counted in mem (only if needed)
 *
 * low_end = min(mem, 0xF0000000); high = mem - low_end. The MMIO hole [0xF0000000, 4 GiB),
 * including the LAPIC page 0xFEE00000, never holds RAM. Inside low RAM, from the kernel's
 * lowest p_paddr upwards: the kernel's PT_LOAD segments, then (page aligned, "boot info")
 * start_info, the module list, the memmap table and the command line, then (page aligned) the
 * initrd.
 *
 * Accounting: the backed pages of the PVH_REGION_RAM and PVH_REGION_LOW_RESERVED regions add up to
 * exactly mem / 4 KiB (layout.ram_pages); E820 RAM therefore totals mem - 0x61000 (the 97 pages
 * of [0x9F000, 0x100000) are reserved but still charged to the domain). ACPI and special pages
 * are layout.extra_pages on top of that.
 */
#define PVH_LOW_RAM_END      0x9F000ULL
#define PVH_LOW_RESERVED_END 0x100000ULL
#define PVH_MMIO_HOLE_START  0xF0000000ULL /* HVM_BELOW_4G_RAM_END */
#define PVH_4G               0x100000000ULL
#define PVH_ACPI_BASE        0xFC000000ULL
#define PVH_LAPIC_GFN        0xFEE00ULL
#define PVH_CONSOLE_GFN      0xFEFFFULL /* Xen's special-page PFNs */
#define PVH_XENSTORE_GFN     0xFEFFCULL
#define PVH_GFN_DEFAULT      0ULL          /* in params: use PVH_CONSOLE_GFN / PVH_XENSTORE_GFN */
#define PVH_GFN_NONE         (~0ULL)       /* in params and layout: no such page */
#define PVH_MAX_MEM          (1ULL << 40)  /* 1 TiB */
#define PVH_MAX_VCPUS        64            /* = MAX_VCPUS in hv/domain.h */
#define PVH_CMDLINE_MAX      2048          /* Linux x86 COMMAND_LINE_SIZE, incl. NUL */
#define PVH_BOOTINFO_LIMIT   0x40000000ULL /* start info, modlist, memmap, cmdline < 1 GiB */
#define PVH_MAX_REGIONS      8
#define PVH_MAX_E820         8

enum pvh_region_kind {
    PVH_REGION_RAM,          /* E820 RAM; counted in the memory size */
    PVH_REGION_LOW_RESERVED, /* [0x9F000, 1 MiB): E820 reserved, backed, counted */
    PVH_REGION_ACPI,         /* ACPI tables: E820 ACPI, backed, extra */
    PVH_REGION_CONSOLE,      /* console ring page: E820 reserved, backed, extra */
    PVH_REGION_XENSTORE,     /* xenstore ring page: E820 reserved, backed, extra */
};

/* A guest-physical range the caller must back with zeroed host pages (page aligned). */
struct pvh_region {
    uint64_t gpa;
    uint64_t size;
    enum pvh_region_kind kind;
};

struct pvh_build_params {
    const void *kernel; /* ELF image with XEN_ELFNOTE_PHYS32_ENTRY (e.g. decompressed vmlinux) */
    size_t kernel_len;
    const char *cmdline; /* NULL or NUL-terminated, < PVH_CMDLINE_MAX bytes incl. NUL */
    const void *initrd;  /* NULL when initrd_len == 0 */
    size_t initrd_len;
    uint64_t mem_bytes;        /* domain RAM, a multiple of 4 KiB */
    unsigned int nr_vcpus;     /* 1..PVH_MAX_VCPUS */
    uint32_t start_info_flags; /* SIF_PRIVILEGED | SIF_INITDOMAIN for dom0, 0 for a domU */
    uint64_t console_gfn;      /* PVH_GFN_DEFAULT, PVH_GFN_NONE, or a GFN outside RAM */
    uint64_t xenstore_gfn;     /* PVH_GFN_DEFAULT, PVH_GFN_NONE, or a GFN outside RAM */
};

/* Everything the caller needs, computed by pvh_build_layout before any guest memory exists. */
struct pvh_layout {
    struct pvh_region regions[PVH_MAX_REGIONS]; /* sorted by gpa, never overlapping */
    unsigned int nr_regions;
    struct e820entry e820[PVH_MAX_E820]; /* what the guest sees, sorted (also XENMEM_memory_map) */
    unsigned int nr_e820;

    uint64_t ram_pages;   /* pages of RAM + LOW_RESERVED regions == mem_bytes / 4 KiB */
    uint64_t extra_pages; /* pages of ACPI + console + xenstore regions */
    uint64_t low_end;     /* end of RAM below 4 GiB */
    uint64_t high_end;    /* end of RAM above 4 GiB, or 0 when there is none */

    uint64_t entry;                       /* PHYS32_ENTRY: initial EIP */
    uint64_t start_info_gpa;              /* initial EBX */
    uint64_t kernel_start, kernel_end;    /* lowest p_paddr, highest p_paddr + p_memsz */
    uint64_t bootinfo_gpa, bootinfo_size; /* page-aligned block holding the next four */
    uint64_t modlist_gpa;                 /* 0 when there is no initrd */
    uint64_t memmap_gpa;
    uint64_t cmdline_gpa;
    uint64_t initrd_gpa; /* 0 when there is no initrd */
    uint64_t initrd_size;
    uint64_t acpi_gpa, acpi_size;  /* size in bytes of the tables (region is page-rounded) */
    struct acpi_build_result acpi; /* where each table lives */
    uint64_t rsdp_gpa;
    uint64_t console_gfn;  /* PVH_GFN_NONE when not provided */
    uint64_t xenstore_gfn; /* PVH_GFN_NONE when not provided */

    struct elf_image elf; /* the parsed kernel (points into params->kernel) */
};

/* How the loader writes guest memory; write returns 0 or a negative XEN_E* code. */
struct pvh_build_ops {
    int (*write)(void *ctx, uint64_t gpa, const void *src, size_t len);
    void *ctx;
};

/*
 * Validate p and compute the layout: parse the kernel, check it is PVH-capable, place everything,
 * build the region and E820 lists. Touches no guest memory. Returns 0, or a negative XEN_E* code
 * with err set (e.g. memory too small for kernel + initrd, command line too long, zero vCPUs).
 */
int pvh_build_layout(const struct pvh_build_params *p, struct pvh_layout *l, struct build_err *err);

/*
 * Write the guest's initial memory through ops, for a layout that pvh_build_layout produced from
 * the same p, once every region is backed by zeroed memory: kernel segments (bss zeroed
 * explicitly), start_info v1, module list, memmap, command line, initrd and ACPI tables.
 * Returns 0, or the first failing write's code (or another XEN_E* code) with err set.
 */
int pvh_build_load(const struct pvh_build_params *p, const struct pvh_layout *l,
                   const struct pvh_build_ops *ops, struct build_err *err);

#endif
