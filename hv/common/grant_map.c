/* GNTTABOP_map_grant_ref / unmap_grant_ref for translated callers, and the maptrack behind them. */
#include <hv/grant.h>
#include <hv/hypercall.h>
#include <hv/frame.h>
#include <hv/guest_access.h>
#include <hv/memop.h>
#include <hv/physmap.h>
#include <hv/mm.h>
#include <hv/lib.h>
#include <hv/domctl.h>
#include <public/errno.h>

/* Handle h's entry; h < gs->nr_maptrack, maptrack_lock held. */
static struct grant_maptrack *maptrack_entry(struct grant_state *gs, uint32_t h)
{
    return &gs->maptrack[h / MAPTRACK_PER_CHUNK][h % MAPTRACK_PER_CHUNK];
}

/* Add a chunk of free handles to ld's maptrack; maptrack_lock held. false at the limit or when
 * out of memory. */
static bool maptrack_grow(struct domain *ld, struct grant_state *gs)
{
    uint32_t chunks =
        (DOMCTL_DEFAULT_MAX_MAPTRACK_FRAMES * MAPTRACK_PER_FRAME) / MAPTRACK_PER_CHUNK;
    struct grant_maptrack *c;

    if (gs->nr_maptrack >= gnttab_max_maptrack(ld))
        return false;
    if (!gs->maptrack) {
        gs->maptrack = xzalloc(chunks * sizeof(*gs->maptrack));
        if (!gs->maptrack)
            return false;
    }
    c = alloc_page_zeroed();
    if (!c)
        return false;
    gs->maptrack[gs->nr_maptrack / MAPTRACK_PER_CHUNK] = c;
    for (uint32_t i = MAPTRACK_PER_CHUNK; i-- > 0;) {
        c[i].ref = gs->maptrack_free;
        gs->maptrack_free = gs->nr_maptrack + i;
    }
    gs->nr_maptrack += MAPTRACK_PER_CHUNK;
    return true;
}

/* Reserve a handle of ld for a new mapping, or MAPTRACK_NONE (no space). */
static uint32_t maptrack_get(struct domain *ld, struct grant_state **out)
{
    struct grant_state *gs;
    uint32_t h = MAPTRACK_NONE;

    spin_lock(&ld->grant_lock);
    gs = grant_state_locked(ld);
    spin_unlock(&ld->grant_lock);
    if (!gs)
        return MAPTRACK_NONE;
    spin_lock(&gs->maptrack_lock);
    if (gs->maptrack_free != MAPTRACK_NONE || maptrack_grow(ld, gs)) {
        struct grant_maptrack *m;

        h = gs->maptrack_free;
        m = maptrack_entry(gs, h);
        gs->maptrack_free = m->ref;
        m->flags = MAPTRACK_RESERVED;
    }
    spin_unlock(&gs->maptrack_lock);
    *out = gs;
    return h;
}

/* Give handle h back to the free list; maptrack_lock held. */
static void maptrack_put_locked(struct grant_state *gs, uint32_t h)
{
    struct grant_maptrack *m = maptrack_entry(gs, h);

    m->flags = 0;
    m->ref = gs->maptrack_free;
    gs->maptrack_free = h;
}

/* Un-pin the grant behind mapping m if its granter is still the domain that was mapped. */
static void unpin_mapping(const struct grant_maptrack *m)
{
    struct domain *rd = domain_by_id(m->domid);

    if (rd && rd->grant && rd->grant->serial == m->granter_serial)
        grant_unpin(rd, m->ref, m->flags & GNTMAP_readonly);
}

/* One map_grant_ref; toolstack lock held. Fills op's status, handle and dev_bus_addr. */
static void map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    bool ro = op->flags & GNTMAP_readonly;
    struct physmap_entry e = {0, PHYSMAP_GRANT, ro}, old;
    struct grant_state *gs = NULL;
    struct domain *rd;
    uint32_t h;
    int16_t st;

    if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map))) {
        op->status = GNTST_bad_gntref;
        return;
    }
    if (op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) {
        op->status = GNTST_general_error; /* a translated caller maps into its physmap only */
        return;
    }
    rd = grant_domain(ld, op->dom, false);
    if (!rd) {
        op->status = GNTST_bad_domain;
        return;
    }
    h = maptrack_get(ld, &gs);
    if (h == MAPTRACK_NONE) {
        op->status = GNTST_no_space;
        return;
    }
    st = grant_pin(rd, op->ref, ld->domain_id, ro, true, &e.mfn);
    if (st == GNTST_okay && physmap_set(ld, op->host_addr >> PAGE_SHIFT, &e, &old)) {
        grant_unpin(rd, op->ref, ro);
        frame_put(e.mfn);
        st = GNTST_general_error;
    } else if (st == GNTST_okay && old.type == PHYSMAP_XEN) {
        memory_xen_page_removed(ld, op->host_addr >> PAGE_SHIFT);
    }
    spin_lock(&gs->maptrack_lock);
    if (st == GNTST_okay) {
        struct grant_maptrack *m = maptrack_entry(gs, h);

        m->gfn = op->host_addr >> PAGE_SHIFT;
        m->mfn = e.mfn;
        m->granter_serial = rd->grant->serial;
        m->ref = op->ref;
        m->domid = rd->domain_id;
        m->flags = (uint16_t)(op->flags & (GNTMAP_host_map | GNTMAP_readonly));
        op->handle = h;
        op->dev_bus_addr = e.mfn << PAGE_SHIFT;
    } else {
        maptrack_put_locked(gs, h);
    }
    spin_unlock(&gs->maptrack_lock);
    op->status = st;
}

/*
 * One unmap_grant_ref by handle; toolstack lock held. As Xen: host_addr must name the frame
 * the mapping sits at (else GNTST_general_error and the mapping stays); host_addr 0 removes
 * nothing.
 */
static int16_t unmap_one(struct domain *ld, const struct gnttab_unmap_grant_ref *op)
{
    struct grant_state *gs = __atomic_load_n(&ld->grant, __ATOMIC_ACQUIRE);
    struct grant_maptrack *m;
    int16_t st = GNTST_okay;

    if (!gs)
        return GNTST_bad_handle;
    spin_lock(&gs->maptrack_lock);
    m = op->handle < gs->nr_maptrack ? maptrack_entry(gs, op->handle) : NULL;
    if (!m || !(m->flags & GNTMAP_host_map)) {
        st = GNTST_bad_handle;
    } else if (op->host_addr) {
        if (op->host_addr >> PAGE_SHIFT != m->gfn ||
            physmap_remove(ld, m->gfn, PHYSMAP_BIT(PHYSMAP_GRANT), m->mfn, NULL)) {
            st = GNTST_general_error;
        } else {
            unpin_mapping(m);
            maptrack_put_locked(gs, op->handle);
        }
    }
    spin_unlock(&gs->maptrack_lock);
    return st;
}

void gnttab_release_mappings(struct domain *d)
{
    struct grant_state *gs = d->grant;

    if (!gs)
        return;
    spin_lock(&gs->maptrack_lock);
    for (uint32_t h = 0; h < gs->nr_maptrack; h++) {
        struct grant_maptrack *m = maptrack_entry(gs, h);

        if (m->flags & GNTMAP_host_map)
            unpin_mapping(m);
    }
    spin_unlock(&gs->maptrack_lock);
    spin_lock(&d->grant_lock);
    d->grant = NULL;
    spin_unlock(&d->grant_lock);
    for (uint32_t c = 0; c * MAPTRACK_PER_CHUNK < gs->nr_maptrack; c++)
        free_pages(gs->maptrack[c], 0);
    xfree(gs->maptrack);
    for (unsigned int f = 0; f < GRANT_MAX_FRAMES; f++)
        xfree(gs->active[f]);
    xfree(gs);
}

long gnttab_map_one(struct vcpu *v, uint64_t at)
{
    struct gnttab_map_grant_ref op;

    if (copy_from_guest(v, &op, at, sizeof(op)))
        return -XEN_EFAULT;
    map_one(v->domain, &op);
    return copy_to_guest(v, at, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

long gnttab_unmap_one(struct vcpu *v, uint64_t at)
{
    struct gnttab_unmap_grant_ref op;

    if (copy_from_guest(v, &op, at, sizeof(op)))
        return -XEN_EFAULT;
    op.status = unmap_one(v->domain, &op);
    return copy_to_guest(v, at + offsetof(struct gnttab_unmap_grant_ref, status), &op.status,
                         sizeof(op.status))
               ? -XEN_EFAULT
               : 0;
}
