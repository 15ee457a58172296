/* The guest physical-to-machine map (nested page tables) and per-domain arch state. */
#ifndef ASM_P2M_H
#define ASM_P2M_H

#include <hv/types.h>
#include <hv/spinlock.h>

struct domain;

#define P2M_RAM     (1ULL << 9)  /* software bit: page belongs to the domain (freed with it) */
#define P2M_PINNED  (1ULL << 10) /* software bit: the hypervisor holds a pointer into the page */
#define P2M_INVALID (~0ULL)

struct arch_domain {
    spinlock_t p2m_lock;       /* protects the nested page tables */
    uint64_t *p2m_root;        /* PML4 of the nested page tables */
    uint64_t p2m_pages;        /* table pages allocated */
    volatile uint64_t p2m_gen; /* bumped when a mapping is removed or replaced: vCPUs flush TLBs */
    uint16_t sleep_port, sleep_status_port; /* ACPI sleep registers (hardware-reduced FADT) */
};

/* Allocate d's (empty) p2m; 0 or -XEN_ENOMEM. */
int p2m_init(struct domain *d);
/* Host-physical address of the p2m root, for the VMCB's nested CR3. */
uint64_t p2m_root(struct domain *d);
/* Map gfn to mfn with flags (P2M_RAM marks domain-owned RAM); 0 or -XEN_ENOMEM. */
int p2m_set(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t flags);
/* The mfn behind gfn, or P2M_INVALID; *flags (optional) gets the entry's software flags. */
uint64_t p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *flags);
/* Remove gfn; returns the previous entry's mfn or P2M_INVALID. */
uint64_t p2m_clear(struct domain *d, uint64_t gfn, uint64_t *flags);
/* Back [gfn, gfn + nr) with freshly allocated RAM (zeroed if zero); 0 or -XEN_ENOMEM. */
int p2m_populate_ram(struct domain *d, uint64_t gfn, uint64_t nr, bool zero);
/* Free every RAM page and table page of d's p2m. */
void p2m_teardown(struct domain *d);

#endif
