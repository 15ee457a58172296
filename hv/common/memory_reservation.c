/* memory_op reservations: populate_physmap, increase/decrease_reservation, claims, PoD target. */
#include <hv/hypercall.h>
#include <hv/guest_access.h>
#include <hv/memop.h>
#include <hv/mm.h>
#include <hv/physmap.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/memory.h>

#define DOMU_MAX_ORDER   9  /* largest extent a domain may ask for itself (Xen's default) */
#define CTLDOM_MAX_ORDER 18 /* ... and the control domain (1 GiB extents) */
#define MAX_NUMNODES     64
#define NUMA_NO_NODE     0xff

/* One reservation request as the workers see it. */
struct memop {
    struct vcpu *v;     /* the caller */
    struct domain *d;   /* the domain whose memory changes */
    uint64_t list;      /* guest pointer to xen_pfn_t[nr] (may be 0 for increase) */
    uint32_t nr, order; /* extents and their order */
    uint32_t done;      /* extents finished (in: where to start) */
    bool preempted;     /* stopped early to let the caller re-issue the hypercall */
};

/* Xen's propagate_node(): only node 0 exists; foreign node requests must be satisfiable. */
static bool node_ok(const struct domain *cur, uint32_t mem_flags)
{
    unsigned int node = XENMEMF_get_node(mem_flags);

    if (node == NUMA_NO_NODE)
        return true;
    if (cur->is_privileged)
        return node < MAX_NUMNODES;
    return !(mem_flags & XENMEMF_exact_node_request);
}

/* Address-width requests are accepted (every page is reachable) unless nonsensical. */
static bool address_bits_ok(uint32_t mem_flags)
{
    unsigned int bits = XENMEMF_get_address_bits(mem_flags);

    return bits == 0 || bits > PAGE_SHIFT;
}

/* Allocate one zeroed page for a guest, or NULL. */
static void *guest_page(void)
{
    return alloc_page_zeroed();
}

/* Remove the first n frames from gfn on (a half-built extent); they were RAM we just placed. */
static void unpopulate(struct domain *d, uint64_t gfn, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        physmap_remove(d, gfn + i, PHYSMAP_BIT(PHYSMAP_RAM), PHYSMAP_ANY_MFN, NULL);
}

/*
 * Back [gfn, gfn + 2^order) of d with fresh zeroed RAM, all or nothing: tot_pages stays within
 * max_pages, a FOREIGN or GRANT entry in the range refuses the extent. 0 or -XEN_E*.
 */
static int populate_extent(struct domain *d, uint64_t gfn, unsigned int order)
{
    uint64_t n = 1ULL << order;
    struct physmap_entry old;

    if (gfn >> PHYSMAP_GFN_BITS || (gfn + n - 1) >> PHYSMAP_GFN_BITS)
        return -XEN_EINVAL;
    if (d->is_dying || !physmap_reserve_pages(d, n))
        return -XEN_ENOMEM;
    /* One contiguous block when there is one (scrubbed memory needs no zeroing), else pages. */
    uint8_t *block = order ? alloc_pages_split_zeroed(order) : NULL;

    for (uint64_t i = 0; i < n; i++) {
        void *page = block ? block + (i << PAGE_SHIFT) : guest_page();
        struct physmap_entry e = {(uint64_t)(uintptr_t)page >> PAGE_SHIFT, PHYSMAP_RAM, false};
        int rc = page ? physmap_set(d, gfn + i, &e, &old) : -XEN_ENOMEM;

        if (rc) {
            free_pages(page, 0);
            for (uint64_t k = i + 1; block && k < n; k++)
                free_pages(block + (k << PAGE_SHIFT), 0);
            unpopulate(d, gfn, i);
            physmap_unreserve_pages(d, n - i);
            return rc;
        }
        if (old.type == PHYSMAP_XEN)
            memory_xen_page_removed(d, gfn + i);
    }
    return 0;
}

/* Give d 2^order zeroed pages that no guest frame maps (increase_reservation). 0 or -XEN_E*. */
static int increase_extent(struct domain *d, unsigned int order)
{
    uint64_t n = 1ULL << order;

    if (d->is_dying || !physmap_reserve_pages(d, n))
        return -XEN_ENOMEM;
    for (uint64_t i = 0; i < n; i++) {
        void *page = guest_page();

        if (!page) {
            physmap_unreserve_pages(d, n - i);
            return -XEN_ENOMEM; /* pages already kept stay with d, as they are counted */
        }
        physmap_keep_unmapped(d, page);
    }
    return 0;
}

/*
 * Free d's frames [gfn, gfn + 2^order): RAM is released, hypervisor pages unhooked. Stops at
 * the first frame that is a hole, a foreign or a grant mapping (-XEN_EINVAL / -XEN_ENXIO).
 */
static int decrease_extent(struct domain *d, uint64_t gfn, unsigned int order)
{
    for (uint64_t i = 0; i < (1ULL << order); i++) {
        struct physmap_entry old;

        if (physmap_remove(d, gfn + i, PHYSMAP_OWNED, PHYSMAP_ANY_MFN, &old))
            return old.type == PHYSMAP_HOLE ? -XEN_EINVAL : -XEN_ENXIO;
        if (old.type == PHYSMAP_XEN)
            memory_xen_page_removed(d, gfn + i);
    }
    return 0;
}

/* Run op's extents from m->done on, stopping at the first failure or when preempted. */
static void run_extents(struct memop *m, unsigned int op)
{
    uint64_t work = 0;

    for (uint32_t i = m->done; i < m->nr; i++) {
        uint64_t gfn = 0;
        int rc;

        if (i != m->done && work >= MEMOP_PREEMPT_PAGES) {
            m->preempted = true;
            m->done = i;
            return;
        }
        if (op != XENMEM_increase_reservation || m->list)
            if (copy_from_guest(m->v, &gfn, m->list + (uint64_t)i * sizeof(gfn), sizeof(gfn))) {
                m->done = i;
                return;
            }
        if (op == XENMEM_populate_physmap)
            rc = populate_extent(m->d, gfn, m->order);
        else if (op == XENMEM_increase_reservation)
            rc = increase_extent(m->d, m->order);
        else
            rc = decrease_extent(m->d, gfn, m->order);
        if (rc) {
            m->done = i;
            return;
        }
        work += 1ULL << m->order;
    }
    m->done = m->nr;
}

/*
 * increase/decrease_reservation and populate_physmap: as Xen, the result is the number of
 * extents done (never an errno, except -XEN_ERESTART while the toolstack lock is busy); a
 * preempted call asks to be re-issued with the progress in cmd's upper bits.
 */
static long reservation(struct vcpu *v, unsigned int op, uint64_t start, uint64_t arg)
{
    struct domain *cur = v->domain;
    struct xen_memory_reservation r;
    struct memop m = {.v = v};
    bool locked;
    int err = 0;

    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return (long)start;
    if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start >= r.nr_extents)
        return (long)start;
    m.d = memop_get_target(cur, r.domid, &locked, &err);
    if (err == -XEN_ERESTART)
        return err;
    m.list = r.extent_start;
    m.nr = (uint32_t)r.nr_extents;
    m.order = r.extent_order;
    m.done = (uint32_t)start;
    if (m.d && address_bits_ok(r.mem_flags) && node_ok(cur, r.mem_flags) &&
        !(op == XENMEM_populate_physmap && (r.mem_flags & XENMEMF_populate_on_demand)) &&
        m.order <= (cur->is_privileged ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER))
        run_extents(&m, op);
    if (m.d)
        memop_put_target(locked);
    if (m.preempted)
        return hypercall_continue(v, 0, op | ((uint64_t)m.done << MEMOP_EXTENT_SHIFT));
    return m.done;
}

/* XENMEM_claim_pages: checked as Xen, then accepted without reserving anything. */
static long claim_pages(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    int rc = 0;

    if (start)
        return -XEN_EINVAL;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (r.extent_start || r.extent_order || r.mem_flags)
        return -XEN_EINVAL;
    rc = memop_lock();
    if (rc)
        return rc;
    d = r.domid < DOMID_FIRST_RESERVED ? domain_by_id(r.domid) : NULL;
    if (!d)
        rc = -XEN_EINVAL;
    else if (!v->domain->is_privileged)
        rc = -XEN_EPERM;
    else if (r.nr_extents && (r.nr_extents <= d->tot_pages || r.nr_extents > d->max_pages))
        rc = -XEN_EINVAL;
    else if (r.nr_extents && r.nr_extents - d->tot_pages > page_alloc_free_pages())
        rc = -XEN_ENOMEM;
    memop_unlock();
    return rc;
}

/* XENMEM_{set,get}_pod_target: no populate-on-demand here; the target is checked, not applied. */
static long pod_target(struct vcpu *v, unsigned int op, uint64_t arg)
{
    struct xen_pod_target t;
    struct domain *d;
    int rc;

    if (copy_from_guest(v, &t, arg, sizeof(t)))
        return -XEN_EFAULT;
    rc = memop_lock();
    if (rc)
        return rc;
    d = t.domid == DOMID_SELF ? v->domain
                              : (t.domid < DOMID_FIRST_RESERVED ? domain_by_id(t.domid) : NULL);
    if (!d)
        rc = -XEN_ESRCH;
    else if (!v->domain->is_privileged)
        rc = -XEN_EPERM;
    else if (op == XENMEM_set_pod_target && t.target_pages > d->max_pages)
        rc = -XEN_EINVAL;
    if (!rc) {
        t.tot_pages = d->tot_pages;
        t.pod_cache_pages = 0;
        t.pod_entries = 0;
    }
    memop_unlock();
    if (!rc && copy_to_guest(v, arg, &t, sizeof(t)))
        rc = -XEN_EFAULT;
    return rc;
}

long memory_op_reservation(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    unsigned int op = cmd & MEMOP_CMD_MASK;
    uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

    switch (op) {
    case XENMEM_claim_pages:
        return claim_pages(v, start, arg);
    case XENMEM_set_pod_target:
    case XENMEM_get_pod_target:
        return pod_target(v, op, arg);
    default:
        return reservation(v, op, start, arg);
    }
}
