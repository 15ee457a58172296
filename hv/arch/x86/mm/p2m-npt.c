/* Nested page tables (AMD NPT format == long-mode page tables) for each domain's physmap. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <public/errno.h>
#include <asm/page.h>
#include <asm/p2m.h>
#include <asm/smp.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <hv/time.h>

#define NPT_LEAF  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define NPT_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

static struct arch_domain *ad(struct domain *d)
{
    return (struct arch_domain *)d->arch;
}

/* Allocate d's (empty) p2m; 0 or -XEN_ENOMEM. */
int p2m_init(struct domain *d)
{
    struct arch_domain *a = xzalloc_obj(struct arch_domain);
    if (!a)
        return -XEN_ENOMEM;
    a->p2m_root = alloc_page_zeroed();
    if (!a->p2m_root) {
        xfree(a);
        return -XEN_ENOMEM;
    }
    spin_lock_init(&a->p2m_lock);
    a->p2m_pages = 1;
    d->arch = a;
    return 0;
}

/* Host-physical address of the p2m root, for the VMCB's nested CR3. */
uint64_t p2m_root(struct domain *d)
{
    return (uint64_t)ad(d)->p2m_root;
}

static uint64_t *walk(struct arch_domain *a, uint64_t gfn, bool alloc)
{
    uint64_t *t = a->p2m_root;
    for (int level = 3; level > 0; level--) {
        unsigned int idx = (gfn >> (9 * level)) & 511;
        if (!(t[idx] & _PAGE_PRESENT)) {
            uint64_t *n;
            if (!alloc)
                return NULL;
            n = alloc_page_zeroed();
            if (!n)
                return NULL;
            a->p2m_pages++;
            t[idx] = (uint64_t)n | NPT_TABLE;
        }
        t = (uint64_t *)(t[idx] & PTE_ADDR_MASK);
    }
    return &t[gfn & 511];
}

/* Map gfn to mfn with flags (P2M_RAM marks domain-owned RAM); 0 or -XEN_ENOMEM. */
int p2m_set(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t flags)
{
    struct arch_domain *a = ad(d);
    uint64_t *e;

    if (gfn >> 36)
        return -XEN_EINVAL;
    spin_lock(&a->p2m_lock);
    e = walk(a, gfn, true);
    if (e)
        *e = (mfn << PAGE_SHIFT) | NPT_LEAF | (flags & (P2M_RAM | P2M_PINNED));
    spin_unlock(&a->p2m_lock);
    return e ? 0 : -XEN_ENOMEM;
}

/*
 * A mapping went away: vCPUs of d running on other pCPUs must leave the guest so that their
 * next VMRUN sees the new p2m generation and flushes the TLB of their ASID.
 */
static void flush_remote(struct domain *d)
{
    uint64_t seen[NR_CPUS];
    bool wait[NR_CPUS] = {false};

    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct percpu *pc = &percpu_data[cpu];
        struct vcpu *cur = pc->current;
        if (cpu == smp_processor_id() || !cur || cur->domain != d)
            continue;
        seen[cpu] = __atomic_load_n(&pc->guest_exits, __ATOMIC_SEQ_CST);
        if (!__atomic_load_n(&pc->in_guest, __ATOMIC_SEQ_CST))
            continue; /* it will see the new generation before its next VMRUN */
        wait[cpu] = true;
        smp_kick_cpu(cpu);
    }
    /* A CPU in guest mode exits on the IPI; wait for that, so no stale TLB entry outlives us. */
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        uint64_t deadline = now_ns() + 100000000ULL;
        while (wait[cpu] &&
               __atomic_load_n(&percpu_data[cpu].guest_exits, __ATOMIC_SEQ_CST) == seen[cpu] &&
               __atomic_load_n(&percpu_data[cpu].in_guest, __ATOMIC_SEQ_CST) && now_ns() < deadline)
            cpu_relax();
    }
}

/* Read (and with clear, remove) the entry for gfn; returns its mfn or P2M_INVALID. */
static uint64_t p2m_get(struct domain *d, uint64_t gfn, uint64_t *flags, bool clear)
{
    struct arch_domain *a = ad(d);
    uint64_t *e, mfn = P2M_INVALID;

    if (gfn >> 36)
        return P2M_INVALID;
    spin_lock(&a->p2m_lock);
    e = walk(a, gfn, false);
    if (e && (*e & _PAGE_PRESENT)) {
        mfn = (*e & PTE_ADDR_MASK) >> PAGE_SHIFT;
        if (flags)
            *flags = *e & (P2M_RAM | P2M_PINNED);
        if (clear) {
            *e = 0;
            a->p2m_gen++;
        }
    }
    spin_unlock(&a->p2m_lock);
    if (clear && mfn != P2M_INVALID)
        flush_remote(d);
    return mfn;
}

/* The mfn behind gfn, or P2M_INVALID; *flags (optional) gets the entry's software flags. */
uint64_t p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *flags)
{
    return p2m_get(d, gfn, flags, false);
}

/* Remove gfn; returns the previous entry's mfn or P2M_INVALID. */
uint64_t p2m_clear(struct domain *d, uint64_t gfn, uint64_t *flags)
{
    return p2m_get(d, gfn, flags, true);
}

/* Back [gfn, gfn + nr) with freshly allocated RAM (zeroed if zero); 0 or -XEN_ENOMEM. */
int p2m_populate_ram(struct domain *d, uint64_t gfn, uint64_t nr, bool zero)
{
    uint64_t i = 0;

    while (i < nr) {
        /* Whole 2 MiB runs come from one allocator call, without touching the pages. */
        unsigned int order = (!((gfn + i) & 511) && nr - i >= 512) ? 9 : 0;
        uint8_t *pg = order ? alloc_pages_split(order) : alloc_pages(0);
        if (!pg && order) {
            order = 0;
            pg = alloc_pages(0);
        }
        if (!pg)
            return -XEN_ENOMEM;
        for (uint64_t j = 0; j < (1ULL << order); j++, i++) {
            uint8_t *page = pg + (j << PAGE_SHIFT);
            int rc;
            if (zero)
                memset(page, 0, PAGE_SIZE);
            rc = p2m_set(d, gfn + i, (uint64_t)page >> PAGE_SHIFT, P2M_RAM);
            if (rc) {
                for (uint64_t k = j; k < (1ULL << order); k++)
                    free_pages(pg + (k << PAGE_SHIFT), 0);
                return rc;
            }
            d->tot_pages++;
        }
    }
    return 0;
}

static void free_level(uint64_t *t, int level)
{
    for (int i = 0; i < 512; i++) {
        if (!(t[i] & _PAGE_PRESENT))
            continue;
        uint64_t *n = (uint64_t *)(t[i] & PTE_ADDR_MASK);
        if (level > 0)
            free_level(n, level - 1);
        else if (t[i] & P2M_RAM)
            free_pages(n, 0);
    }
    free_pages(t, 0);
}

/* Free every RAM page and table page of d's p2m. */
void p2m_teardown(struct domain *d)
{
    struct arch_domain *a = ad(d);
    if (!a)
        return;
    free_level(a->p2m_root, 3);
    a->p2m_root = NULL;
    d->tot_pages = 0;
}

/* Map the hypervisor page at host-physical mfn into d's physmap at gfn (replacing what was there).
 */
int arch_p2m_map_page(struct domain *d, uint64_t gfn, uint64_t mfn)
{
    uint64_t flags = 0, old = p2m_clear(d, gfn, &flags);
    if (old != P2M_INVALID && (flags & P2M_RAM)) {
        if (!(flags & P2M_PINNED))
            free_pages((void *)(old << PAGE_SHIFT), 0);
        d->tot_pages--; /* a pinned page is left allocated (leaked) rather than reused */
    }
    return p2m_set(d, gfn, mfn, 0);
}

/* Remove d's physmap entry at gfn; frees it when it was domain RAM. */
int arch_p2m_unmap_page(struct domain *d, uint64_t gfn)
{
    uint64_t flags = 0, old = p2m_clear(d, gfn, &flags);
    if (old == P2M_INVALID)
        return -XEN_ENOENT;
    if (flags & P2M_RAM) {
        if (!(flags & P2M_PINNED))
            free_pages((void *)(old << PAGE_SHIFT), 0);
        d->tot_pages--;
    }
    return 0;
}

/* Keep the RAM page at gfn allocated even if the guest remaps or removes it; 0 or -XEN_EINVAL. */
int arch_p2m_pin_page(struct domain *d, uint64_t gfn)
{
    struct arch_domain *a = ad(d);
    uint64_t *e;
    int rc = -XEN_EINVAL;

    spin_lock(&a->p2m_lock);
    e = walk(a, gfn, false);
    if (e && (*e & _PAGE_PRESENT)) {
        if (*e & P2M_RAM)
            *e |= P2M_PINNED;
        rc = 0; /* hypervisor-owned pages (shared_info, grant frames) are never freed anyway */
    }
    spin_unlock(&a->p2m_lock);
    return rc;
}

/* Flush every vCPU's guest TLB before it next runs (HVMOP_flush_tlbs). */
void arch_domain_flush_tlbs(struct domain *d)
{
    __atomic_fetch_add(&ad(d)->p2m_gen, 1, __ATOMIC_SEQ_CST);
    flush_remote(d);
}

static unsigned long free_ram_level(struct domain *d, uint64_t *t, int level, unsigned long budget)
{
    unsigned long freed = 0;

    for (int i = 0; i < 512 && freed < budget; i++) {
        if (!(t[i] & _PAGE_PRESENT))
            continue;
        uint64_t *n = (uint64_t *)(t[i] & PTE_ADDR_MASK);
        if (level > 0) {
            freed += free_ram_level(d, n, level - 1, budget - freed);
        } else if (t[i] & P2M_RAM) {
            free_pages(n, 0);
            t[i] = 0;
            d->tot_pages--;
            freed++;
        }
    }
    return freed;
}

/* Free at most budget RAM pages of a paused, dying domain; returns the pages left (0: done). */
long arch_domain_relinquish(struct domain *d, unsigned long budget)
{
    struct arch_domain *a = ad(d);

    if (!a || !a->p2m_root)
        return 0;
    spin_lock(&a->p2m_lock);
    free_ram_level(d, a->p2m_root, 3, budget);
    a->p2m_gen++;
    spin_unlock(&a->p2m_lock);
    return (long)d->tot_pages;
}

/* Create d's p2m for a PVH domain (cdf_flags are checked by the caller); 0 or -XEN_ENOMEM. */
int arch_domain_create(struct domain *d, uint32_t cdf_flags)
{
    (void)cdf_flags;
    return p2m_init(d);
}
