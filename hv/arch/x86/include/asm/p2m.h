/* The guest physical-to-machine map (nested page tables) and per-domain arch state. */
#ifndef ASM_P2M_H
#define ASM_P2M_H

#include <hv/types.h>
#include <hv/spinlock.h>

struct domain;

/*
 * Software bits 9-11 of a present leaf hold its enum physmap_type (hv/physmap.h): what the
 * frame is to this domain and what removing the entry must do with it.
 */
#define P2M_TYPE_SHIFT 9
#define P2M_TYPE_MASK  (7ULL << P2M_TYPE_SHIFT)
#define P2M_INVALID    (~0ULL)

struct arch_domain {
    spinlock_t p2m_lock;       /* protects the nested page tables and unmapped_pages */
    uint64_t *p2m_root;        /* PML4 of the nested page tables */
    uint64_t p2m_pages;        /* table pages allocated */
    volatile uint64_t p2m_gen; /* bumped when a mapping is removed or replaced: vCPUs flush TLBs */
    uint16_t sleep_port, sleep_status_port; /* ACPI sleep registers (hardware-reduced FADT) */
    void *unmapped_pages; /* counted RAM without a guest frame, chained through the pages */
};

/* Allocate d's (empty) p2m; 0 or -XEN_ENOMEM. */
int p2m_init(struct domain *d);
/* Host-physical address of the p2m root, for the VMCB's nested CR3. */
uint64_t p2m_root(struct domain *d);
/* The mfn behind gfn, or P2M_INVALID; *type (optional) gets its enum physmap_type. */
uint64_t p2m_lookup(struct domain *d, uint64_t gfn, unsigned int *type);
/* Back [gfn, gfn + nr) with freshly allocated RAM (zeroed if zero); 0 or -XEN_ENOMEM. */
int p2m_populate_ram(struct domain *d, uint64_t gfn, uint64_t nr, bool zero);
/* Release every entry, every table page and the unmapped RAM of d's p2m. */
void p2m_teardown(struct domain *d);
/*
 * A mapping of d went away (p2m_gen already bumped): make vCPUs of d running on other pCPUs
 * leave the guest so their next VMRUN flushes the TLB (hv/arch/x86/mm/p2m-cpu.c).
 */
void p2m_flush_remote(struct domain *d);
struct vcpu;
/* A nested page fault for a write by v to gpa hit a read-only entry: #GP injected, true. */
bool p2m_readonly_write(struct vcpu *v, uint64_t gpa);

#endif
