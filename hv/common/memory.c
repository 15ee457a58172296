/* memory_op: dispatch, hypervisor pages in a guest physmap, memory maps, reservation queries. */
#include <hv/hypercall.h>
#include <hv/frame.h>
#include <hv/memop.h>
#include <hv/physmap.h>
#include <hv/event.h>
#include <hv/pvclock.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/memory.h>

#define E820_COPY_CHUNK 16

/* Host frame number of a hypervisor page (host virtual == host physical). */
static uint64_t page_mfn(const void *page)
{
    return (uint64_t)(uintptr_t)page >> PAGE_SHIFT;
}

/* Forget that a hypervisor page sits at gpfn (about to be replaced there). Holds grant_lock. */
static void forget_xen_page_at(struct domain *d, uint64_t gpfn)
{
    if (d->shared_info_gfn == gpfn)
        d->shared_info_gfn = INVALID_GFN_RAW;
    for (unsigned int i = 0; i < GRANT_MAX_FRAMES; i++)
        if (d->grant_frame_gfn[i] == gpfn)
            d->grant_frame_gfn[i] = INVALID_GFN_RAW;
}

void memory_xen_page_removed(struct domain *d, uint64_t gfn)
{
    spin_lock(&d->grant_lock);
    forget_xen_page_at(d, gfn);
    spin_unlock(&d->grant_lock);
}

/*
 * Place hypervisor page at gpfn of d, recording the placement in *where; a
 * previous placement of the same page is unmapped first. Holds grant_lock.
 */
static int place_xen_page(struct domain *d, uint64_t *where, void *page, uint64_t gpfn)
{
    struct physmap_entry e = {page_mfn(page), PHYSMAP_XEN, false};
    uint64_t old = *where;
    int rc;

    if (old != INVALID_GFN_RAW && old != gpfn)
        physmap_remove(d, old, PHYSMAP_BIT(PHYSMAP_XEN), e.mfn, NULL);
    *where = INVALID_GFN_RAW;
    forget_xen_page_at(d, gpfn);
    rc = physmap_set(d, gpfn, &e, NULL);
    if (rc)
        return rc;
    *where = gpfn;
    return 0;
}

int memory_add_to_physmap(struct domain *d, unsigned int space, uint64_t idx, uint64_t gpfn)
{
    int rc;

    if (gpfn >> PHYSMAP_GFN_BITS)
        return -XEN_EINVAL;

    switch (space) {
    case XENMAPSPACE_shared_info:
        if (idx != 0 || !d->shared_info)
            return -XEN_EINVAL;
        spin_lock(&d->grant_lock);
        rc = place_xen_page(d, &d->shared_info_gfn, d->shared_info, gpfn);
        spin_unlock(&d->grant_lock);
        if (rc)
            return rc;
        /* The guest reads time and wall clock right after mapping: make sure both are current. */
        update_domain_wallclock_time(d);
        for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++)
            if (d->vcpus[i])
                update_vcpu_system_time(d->vcpus[i]);
        return 0;

    case XENMAPSPACE_grant_table:
        /* Status frames exist only for grant table v2, which is not offered. */
        if ((idx & XENMAPIDX_grant_table_status) || idx >= GRANT_MAX_FRAMES)
            return -XEN_EINVAL;
        spin_lock(&d->grant_lock);
        rc = gnttab_grow_locked(d, (unsigned int)idx + 1);
        if (!rc)
            rc = place_xen_page(d, &d->grant_frame_gfn[idx], d->grant_frames[idx], gpfn);
        spin_unlock(&d->grant_lock);
        return rc;

    case XENMAPSPACE_gmfn:
    case XENMAPSPACE_gmfn_range:
        /* Moving RAM frames around: not needed by Linux PVH yet. */
        return -XEN_ENOSYS;

    case XENMAPSPACE_gmfn_foreign:
        /* Xen takes foreign mappings only through add_to_physmap_batch. */
        return -XEN_ENOSYS;

    default: /* dev_mmio (Arm), unknown */
        return -XEN_EINVAL;
    }
}

/* Highest RAM frame + 1 in d's memory map (tot_pages if there is no map). */
static uint64_t ram_end_pfn(struct domain *d)
{
    uint64_t end = 0;

    spin_lock(&d->e820_lock);
    for (unsigned int i = 0; i < d->nr_e820; i++) {
        uint64_t e = (d->e820[i].addr + d->e820[i].size) >> PAGE_SHIFT;

        if (d->e820[i].type == E820_RAM && e > end)
            end = e;
    }
    spin_unlock(&d->e820_lock);
    return end ? end : d->tot_pages;
}

/* Highest guest frame d can have populated: RAM or a hypervisor page placed above it. */
static uint64_t max_gpfn(struct domain *d)
{
    uint64_t end = ram_end_pfn(d), max = end ? end - 1 : 0;

    spin_lock(&d->grant_lock);
    if (d->shared_info_gfn != INVALID_GFN_RAW && d->shared_info_gfn > max)
        max = d->shared_info_gfn;
    for (unsigned int i = 0; i < GRANT_MAX_FRAMES; i++)
        if (d->grant_frame_gfn[i] != INVALID_GFN_RAW && d->grant_frame_gfn[i] > max)
            max = d->grant_frame_gfn[i];
    spin_unlock(&d->grant_lock);
    return max;
}

/* XENMEM_memory_map: up to map->nr_entries entries to map->buffer; nr_entries := the count. */
static int memory_map(struct vcpu *v, struct xen_memory_map *map)
{
    struct domain *d = v->domain;
    unsigned int n;
    int rc = 0;

    spin_lock(&d->e820_lock);
    if (d->nr_e820 == 0) {
        /* As Xen: no map recorded for this domain. */
        rc = -XEN_ENOSYS;
    } else {
        /* Fewer slots than entries: fill what fits and say how many (no error, as Xen). */
        n = MIN(map->nr_entries, d->nr_e820);
        if (n && copy_to_guest(v, map->buffer, d->e820, n * sizeof(struct e820entry)))
            rc = -XEN_EFAULT;
        map->nr_entries = n;
    }
    spin_unlock(&d->e820_lock);
    return rc;
}

/* XENMEM_set_memory_map: replace td's map with nr entries read from guest buffer. */
static int set_memory_map(struct vcpu *v, struct domain *td, uint32_t nr, uint64_t buffer)
{
    struct e820entry chunk[E820_COPY_CHUNK];
    int rc = 0;

    if (nr > DOMAIN_E820_MAX)
        return -XEN_EINVAL;
    spin_lock(&td->e820_lock);
    td->nr_e820 = 0;
    for (uint32_t i = 0; i < nr; i += E820_COPY_CHUNK) {
        uint32_t n = MIN(nr - i, (uint32_t)E820_COPY_CHUNK);

        if (copy_from_guest(v, chunk, buffer + (uint64_t)i * sizeof(struct e820entry),
                            n * sizeof(struct e820entry))) {
            rc = -XEN_EFAULT;
            break;
        }
        memcpy(&td->e820[i], chunk, n * sizeof(struct e820entry));
    }
    /* A fault leaves the domain with no map rather than half of one. */
    td->nr_e820 = rc ? 0 : nr;
    spin_unlock(&td->e820_lock);
    return rc;
}

/* Sub-ops that take no continuation: a non-zero start extent is refused, as Xen does. */
static bool takes_no_start(unsigned int op)
{
    switch (op) {
    case XENMEM_maximum_ram_page:
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return true;
    default:
        return false;
    }
}

long do_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    struct domain *d = v->domain, *td;
    unsigned int op = cmd & MEMOP_CMD_MASK;
    bool locked;
    long rc;
    int err;

    if ((cmd >> MEMOP_EXTENT_SHIFT) && takes_no_start(op))
        return -XEN_EINVAL;
    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
    case XENMEM_claim_pages:
    case XENMEM_set_pod_target:
    case XENMEM_get_pod_target:
        return memory_op_reservation(v, cmd, arg);

    case XENMEM_add_to_physmap_batch:
    case XENMEM_remove_from_physmap:
    case XENMEM_acquire_resource:
        return memory_op_foreign(v, cmd, arg);

    case XENMEM_add_to_physmap: {
        struct xen_add_to_physmap xatp;

        if (cmd >> MEMOP_EXTENT_SHIFT > 0xffff)
            return -XEN_EDOM; /* more than a gmfn_range could ever need */
        if (copy_from_guest(v, &xatp, arg, sizeof(xatp)))
            return -XEN_EFAULT;
        td = memop_get_target(d, xatp.domid, &locked, &err);
        if (!td)
            return err;
        rc = memory_add_to_physmap(td, xatp.space, xatp.idx, xatp.gpfn);
        memop_put_target(locked);
        return rc;
    }

    case XENMEM_memory_map: {
        struct xen_memory_map map;

        if (copy_from_guest(v, &map, arg, sizeof(map)))
            return -XEN_EFAULT;
        rc = memory_map(v, &map);
        if (rc)
            return rc;
        return copy_to_guest(v, arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
    }

    case XENMEM_set_memory_map: {
        struct xen_foreign_memory_map fmap;

        if (copy_from_guest(v, &fmap, arg, sizeof(fmap)))
            return -XEN_EFAULT;
        td = memop_get_target(d, fmap.domid, &locked, &err);
        if (!td)
            return err;
        rc = set_memory_map(v, td, fmap.map.nr_entries, fmap.map.buffer);
        memop_put_target(locked);
        return rc;
    }

    case XENMEM_maximum_ram_page:
        /* Xen reports the host's last frame; a guest only needs its own. */
        return (long)ram_end_pfn(d);

    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn: {
        domid_t domid;

        if (copy_from_guest(v, &domid, arg, sizeof(domid)))
            return -XEN_EFAULT;
        td = memop_get_target(d, domid, &locked, &err);
        if (!td)
            return err;
        if (op == XENMEM_current_reservation)
            rc = (long)td->tot_pages;
        else if (op == XENMEM_maximum_reservation)
            rc = (long)td->max_pages;
        else
            rc = (long)max_gpfn(td);
        memop_put_target(locked);
        return rc;
    }

    /* exchange, machine_memory_map, vNUMA, sharing, paging, access: not offered. */
    default:
        return -XEN_ENOSYS;
    }
}

void memory_domain_teardown(struct domain *d)
{
    uint64_t page;

    /* Registered vcpu_info areas hold a frame reference (register_vcpu_info() in vcpu.c). */
    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
        struct vcpu *v = d->vcpus[i];

        if (!v || !v->vcpu_info_registered || !v->vcpu_info)
            continue;
        spin_lock(&d->evtchn_lock);
        page = (uintptr_t)v->vcpu_info >> PAGE_SHIFT;
        v->vcpu_info = NULL;
        v->vcpu_info_registered = false;
        spin_unlock(&d->evtchn_lock);
        frame_put(page);
    }
}
