/* Nested page tables (AMD NPT format == long-mode page tables) for each domain's physmap. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/domain.h>
#include <hv/frame.h>
#include <hv/physmap.h>
#include <public/errno.h>
#include <asm/page.h>
#include <asm/p2m.h>

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

static uint64_t make_leaf(const struct physmap_entry *e)
{
    uint64_t pte = (e->mfn << PAGE_SHIFT) | NPT_LEAF | ((uint64_t)e->type << P2M_TYPE_SHIFT);
    return e->readonly ? pte & ~(uint64_t)_PAGE_RW : pte;
}

static void read_leaf(uint64_t pte, struct physmap_entry *e)
{
    if (!(pte & _PAGE_PRESENT)) {
        *e = (struct physmap_entry){0, PHYSMAP_HOLE, false};
        return;
    }
    e->mfn = (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
    e->type = (enum physmap_type)((pte & P2M_TYPE_MASK) >> P2M_TYPE_SHIFT);
    e->readonly = !(pte & _PAGE_RW);
}

/* What d must do with a page whose entry is gone (TLBs already flushed). */
static void release_entry(struct domain *d, const struct physmap_entry *e)
{
    switch (e->type) {
    case PHYSMAP_RAM:
        __atomic_fetch_sub(&d->tot_pages, 1, __ATOMIC_SEQ_CST);
        frame_release(e->mfn);
        break;
    case PHYSMAP_FOREIGN:
    case PHYSMAP_GRANT:
        frame_put(e->mfn);
        break;
    default: /* XEN pages stay with the hypervisor; holes need nothing */
        break;
    }
}

/* The mfn behind gfn, or P2M_INVALID; *type (optional) gets its enum physmap_type. */
uint64_t p2m_lookup(struct domain *d, uint64_t gfn, unsigned int *type)
{
    struct physmap_entry e;

    physmap_lookup(d, gfn, &e);
    if (type)
        *type = e.type;
    return e.type == PHYSMAP_HOLE ? P2M_INVALID : e.mfn;
}

void physmap_lookup(struct domain *d, uint64_t gfn, struct physmap_entry *e)
{
    struct arch_domain *a = ad(d);
    uint64_t *pte;

    *e = (struct physmap_entry){0, PHYSMAP_HOLE, false};
    if (gfn >> PHYSMAP_GFN_BITS || !a || !a->p2m_root)
        return;
    spin_lock(&a->p2m_lock);
    pte = walk(a, gfn, false);
    if (pte)
        read_leaf(*pte, e);
    spin_unlock(&a->p2m_lock);
}

int physmap_get_page(struct domain *d, uint64_t gfn, unsigned int types, bool write, uint64_t *mfn)
{
    struct arch_domain *a = ad(d);
    struct physmap_entry e = {0, PHYSMAP_HOLE, false};
    uint64_t *pte;
    int rc;

    if (gfn >> PHYSMAP_GFN_BITS || !a || !a->p2m_root)
        return -XEN_EINVAL;
    spin_lock(&a->p2m_lock);
    pte = walk(a, gfn, false);
    if (pte)
        read_leaf(*pte, &e);
    if (!(types & PHYSMAP_BIT(e.type)) || e.type == PHYSMAP_HOLE)
        rc = -XEN_EINVAL;
    else if (write && e.readonly)
        rc = -XEN_EACCES;
    else if (!frame_get(e.mfn))
        rc = -XEN_EBUSY;
    else
        rc = (int)e.type;
    spin_unlock(&a->p2m_lock);
    if (rc > 0)
        *mfn = e.mfn;
    return rc;
}

/* Entries that physmap_set may not overwrite: they hold references someone must drop. */
#define PHYSMAP_PINNED (PHYSMAP_BIT(PHYSMAP_FOREIGN) | PHYSMAP_BIT(PHYSMAP_GRANT))

int physmap_set(struct domain *d, uint64_t gfn, const struct physmap_entry *e,
                struct physmap_entry *old)
{
    struct arch_domain *a = ad(d);
    struct physmap_entry prev = {0, PHYSMAP_HOLE, false};
    uint64_t *pte;
    int rc = 0;

    if (gfn >> PHYSMAP_GFN_BITS || !a || !a->p2m_root)
        return -XEN_EINVAL;
    spin_lock(&a->p2m_lock);
    pte = walk(a, gfn, true);
    if (!pte) {
        rc = -XEN_ENOMEM;
    } else {
        read_leaf(*pte, &prev);
        if (PHYSMAP_PINNED & PHYSMAP_BIT(prev.type)) {
            rc = -XEN_EPERM;
        } else {
            *pte = make_leaf(e);
            if (prev.type != PHYSMAP_HOLE)
                a->p2m_gen++;
        }
    }
    spin_unlock(&a->p2m_lock);
    if (old)
        *old = prev;
    if (rc || prev.type == PHYSMAP_HOLE)
        return rc;
    p2m_flush_remote(d);
    release_entry(d, &prev);
    return 0;
}

int physmap_remove(struct domain *d, uint64_t gfn, unsigned int types, uint64_t mfn,
                   struct physmap_entry *old)
{
    struct arch_domain *a = ad(d);
    struct physmap_entry prev = {0, PHYSMAP_HOLE, false};
    uint64_t *pte = NULL;
    bool hit;

    if (!(gfn >> PHYSMAP_GFN_BITS) && a && a->p2m_root) {
        spin_lock(&a->p2m_lock);
        pte = walk(a, gfn, false);
        if (pte)
            read_leaf(*pte, &prev);
        hit = prev.type != PHYSMAP_HOLE && (types & PHYSMAP_BIT(prev.type)) &&
              (mfn == PHYSMAP_ANY_MFN || mfn == prev.mfn);
        if (hit) {
            *pte = 0;
            a->p2m_gen++;
        }
        spin_unlock(&a->p2m_lock);
    } else {
        hit = false;
    }
    if (old)
        *old = prev;
    if (!hit)
        return -XEN_ENOENT;
    p2m_flush_remote(d);
    release_entry(d, &prev);
    return 0;
}

bool physmap_reserve_pages(struct domain *d, uint64_t n)
{
    uint64_t cur = __atomic_load_n(&d->tot_pages, __ATOMIC_RELAXED);

    do {
        if (cur + n < cur || cur + n > d->max_pages)
            return false;
    } while (!__atomic_compare_exchange_n(&d->tot_pages, &cur, cur + n, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    return true;
}

void physmap_unreserve_pages(struct domain *d, uint64_t n)
{
    __atomic_fetch_sub(&d->tot_pages, n, __ATOMIC_SEQ_CST);
}

void physmap_keep_unmapped(struct domain *d, void *page)
{
    struct arch_domain *a = ad(d);

    spin_lock(&a->p2m_lock);
    *(void **)page = a->unmapped_pages;
    a->unmapped_pages = page;
    spin_unlock(&a->p2m_lock);
}

/* Back [gfn, gfn + nr) with freshly allocated RAM (zeroed if zero); 0 or -XEN_ENOMEM. */
int p2m_populate_ram(struct domain *d, uint64_t gfn, uint64_t nr, bool zero)
{
    uint64_t i = 0;

    while (i < nr) {
        /* Whole 2 MiB runs come from one allocator call, without touching the pages. */
        unsigned int order = (!((gfn + i) & 511) && nr - i >= 512) ? 9 : 0;
        uint8_t *pg = order ? (zero ? alloc_pages_split_zeroed(order) : alloc_pages_split(order))
                            : (zero ? alloc_page_zeroed() : alloc_pages(0));
        if (!pg && order) {
            order = 0;
            pg = zero ? alloc_page_zeroed() : alloc_pages(0);
        }
        if (!pg)
            return -XEN_ENOMEM;
        for (uint64_t j = 0; j < (1ULL << order); j++, i++) {
            uint8_t *page = pg + (j << PAGE_SHIFT);
            struct physmap_entry e = {(uint64_t)page >> PAGE_SHIFT, PHYSMAP_RAM, false};
            int rc;
            __atomic_fetch_add(&d->tot_pages, 1, __ATOMIC_SEQ_CST);
            rc = physmap_set(d, gfn + i, &e, NULL);
            if (rc) {
                __atomic_fetch_sub(&d->tot_pages, 1, __ATOMIC_SEQ_CST);
                for (uint64_t k = j; k < (1ULL << order); k++)
                    free_pages(pg + (k << PAGE_SHIFT), 0);
                return rc;
            }
        }
    }
    return 0;
}

/*
 * Clear and release up to budget leaves below table t (level 0 = leaf table), freeing table
 * pages that end up empty when free_tables is set. Returns the number of leaves released.
 */
static unsigned long release_level(struct domain *d, uint64_t *t, int level, unsigned long budget,
                                   bool free_tables)
{
    unsigned long done = 0;

    for (int i = 0; i < 512 && done < budget; i++) {
        if (!(t[i] & _PAGE_PRESENT))
            continue;
        if (level > 0) {
            uint64_t *n = (uint64_t *)(t[i] & PTE_ADDR_MASK);
            done += release_level(d, n, level - 1, budget - done, free_tables);
            if (free_tables && done < budget) {
                free_pages(n, 0);
                t[i] = 0;
            }
        } else {
            struct physmap_entry e;
            read_leaf(t[i], &e);
            t[i] = 0;
            release_entry(d, &e);
            done++;
        }
    }
    return done;
}

/* Free the RAM pages of d that have no guest frame. */
static void free_unmapped(struct domain *d)
{
    struct arch_domain *a = ad(d);

    while (a->unmapped_pages) {
        void *page = a->unmapped_pages;
        a->unmapped_pages = *(void **)page;
        __atomic_fetch_sub(&d->tot_pages, 1, __ATOMIC_SEQ_CST);
        frame_release((uint64_t)(uintptr_t)page >> PAGE_SHIFT);
    }
}

/* Release every entry, every table page and the unmapped RAM of d's p2m. */
void p2m_teardown(struct domain *d)
{
    struct arch_domain *a = ad(d);
    if (!a || !a->p2m_root)
        return;
    release_level(d, a->p2m_root, 3, ~0UL, true);
    free_pages(a->p2m_root, 0);
    a->p2m_root = NULL;
    free_unmapped(d);
}

/*
 * Release at most budget entries of a paused, dying domain (RAM freed, references dropped);
 * returns a positive count while entries may be left, 0 once the p2m is empty.
 */
long arch_domain_relinquish(struct domain *d, unsigned long budget)
{
    struct arch_domain *a = ad(d);
    unsigned long done;

    if (!a || !a->p2m_root)
        return 0;
    spin_lock(&a->p2m_lock);
    free_unmapped(d);
    done = release_level(d, a->p2m_root, 3, budget, false);
    a->p2m_gen++;
    spin_unlock(&a->p2m_lock);
    if (done < budget)
        return 0;
    return d->tot_pages ? (long)d->tot_pages : 1;
}

/* Create d's p2m for a PVH domain (cdf_flags are checked by the caller); 0 or -XEN_ENOMEM. */
int arch_domain_create(struct domain *d, uint32_t cdf_flags)
{
    (void)cdf_flags;
    return p2m_init(d);
}
