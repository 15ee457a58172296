/* memory_op for the toolstack: foreign mappings, removing physmap entries, acquiring resources. */
#include <hv/hypercall.h>
#include <hv/frame.h>
#include <hv/grant.h>
#include <hv/guest_access.h>
#include <hv/memop.h>
#include <hv/physmap.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/memory.h>

#define ACQUIRE_CHUNK 32 /* resource frames handled per step (and per continuation) */

/*
 * Map foreign domain fdomid's frame fgfn at tdom's gpfn (XENMAPSPACE_gmfn_foreign). Only a
 * privileged domain may receive foreign mappings; the frame must be the foreign domain's own
 * RAM or hypervisor page (no mapping of mappings). Toolstack lock held.
 */
static int map_foreign(struct domain *cur, struct domain *tdom, domid_t fdomid, uint64_t fgfn,
                       uint64_t gpfn)
{
    struct physmap_entry e = {0, PHYSMAP_FOREIGN, false}, old;
    struct domain *fdom;
    int rc;

    if (!tdom->is_privileged)
        return -XEN_EPERM;
    fdom = fdomid < DOMID_FIRST_RESERVED ? domain_by_id(fdomid) : NULL;
    if (!fdom)
        return -XEN_ESRCH;
    if (fdom == cur)
        return -XEN_EPERM;
    if (fdom == tdom)
        return -XEN_EINVAL;
    if (physmap_get_page(fdom, fgfn, PHYSMAP_OWNED, false, &e.mfn) < 0)
        return -XEN_EINVAL;
    rc = physmap_set(tdom, gpfn, &e, &old);
    if (rc) {
        frame_put(e.mfn);
        return rc;
    }
    if (old.type == PHYSMAP_XEN)
        memory_xen_page_removed(tdom, gpfn);
    return 0;
}

/* One entry of add_to_physmap_batch; the per-entry error code. */
static int batch_one(struct domain *cur, struct domain *d, const struct xen_add_to_physmap_batch *b,
                     uint64_t idx, uint64_t gpfn)
{
    switch (b->space) {
    case XENMAPSPACE_gmfn_foreign:
        return map_foreign(cur, d, b->u.foreign_domid, idx, gpfn);
    default:
        return memory_add_to_physmap(d, b->space, idx, gpfn);
    }
}

/* XENMEM_add_to_physmap_batch: 0 with a code per entry in errs[], or an errno for the call. */
static long add_to_physmap_batch(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_add_to_physmap_batch b;
    struct domain *cur = v->domain, *d;
    uint64_t work = 0;
    long rc;
    int err;

    if (start > 0xffff)
        return -XEN_EDOM;
    if (copy_from_guest(v, &b, arg, sizeof(b)))
        return -XEN_EFAULT;
    if (b.space == XENMAPSPACE_gmfn_range)
        return -XEN_EOPNOTSUPP;
    rc = memop_lock();
    if (rc)
        return rc;
    d = hypercall_target_domain(cur, b.domid, &err);
    if (!d)
        rc = err;
    else if (b.space == XENMAPSPACE_dev_mmio && (!cur->is_privileged || d != cur))
        rc = -XEN_EACCES;
    else if (b.size < start || (b.size == start && start))
        rc = -XEN_EILSEQ;
    else if (b.space == XENMAPSPACE_dev_mmio && b.u.res0)
        rc = -XEN_EOPNOTSUPP;
    for (uint64_t i = start; !rc && i < b.size; i++) {
        uint64_t idx, gpfn;
        int32_t one;

        if (i != start && work >= MEMOP_PREEMPT_PAGES) {
            memop_unlock();
            return hypercall_continue(v, 0,
                                      XENMEM_add_to_physmap_batch | (i << MEMOP_EXTENT_SHIFT));
        }
        if (copy_from_guest(v, &idx, b.idxs + i * sizeof(idx), sizeof(idx)) ||
            copy_from_guest(v, &gpfn, b.gpfns + i * sizeof(gpfn), sizeof(gpfn))) {
            rc = -XEN_EFAULT;
            break;
        }
        if (gpfn == INVALID_GFN_RAW) {
            rc = -XEN_EINVAL;
            break;
        }
        one = batch_one(cur, d, &b, idx, gpfn);
        if (copy_to_guest(v, b.errs + i * sizeof(one), &one, sizeof(one)))
            rc = -XEN_EFAULT;
        work++;
    }
    memop_unlock();
    return rc;
}

/*
 * XENMEM_remove_from_physmap: the caller's (or, for dom0, a domain's) gpfn is emptied: RAM is
 * freed, a foreign mapping dropped, a hypervisor page unhooked. Grant mappings and holes give
 * -ENOENT (grant mappings go with GNTTABOP_unmap_grant_ref), as in Xen.
 */
static long remove_from_physmap(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_remove_from_physmap r;
    struct physmap_entry old;
    struct domain *cur = v->domain, *d;
    bool locked;
    long rc;
    int err;

    if (start)
        return -XEN_EINVAL;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    d = memop_get_target(cur, r.domid, &locked, &err);
    if (!d)
        return err;
    rc = physmap_remove(d, r.gpfn, PHYSMAP_OWNED | PHYSMAP_BIT(PHYSMAP_FOREIGN), PHYSMAP_ANY_MFN,
                        &old);
    if (!rc && old.type == PHYSMAP_XEN)
        memory_xen_page_removed(d, r.gpfn);
    memop_put_target(locked);
    return rc;
}

/* Frames in resource (type, id) of d, 0 if there is no such resource; -XEN_EOPNOTSUPP. */
static long resource_frames(struct domain *d, unsigned int type, unsigned int id)
{
    switch (type) {
    case XENMEM_resource_grant_table:
        return id == XENMEM_resource_grant_table_id_shared ? gnttab_max_frames(d) : 0;
    case XENMEM_resource_vmtrace_buf:
        return 0; /* no trace buffers */
    default:
        return -XEN_EOPNOTSUPP; /* ioreq servers and unknown types */
    }
}

/*
 * Put the grant frames [frame, frame + n) of d into the caller's physmap at the gfns listed at
 * list (the caller is translated: frame_list holds its own gfns). 0 or -XEN_E*; a failure after
 * the first frame is -XEN_EIO, as Xen.
 */
static int acquire_chunk(struct vcpu *v, struct domain *d, uint32_t frame, uint32_t n,
                         uint64_t list)
{
    uint64_t mfns[ACQUIRE_CHUNK], gfns[ACQUIRE_CHUNK];
    uint32_t placed = 0;
    int rc = gnttab_get_frames(d, frame, n, mfns);

    if (rc)
        return rc;
    if (copy_from_guest(v, gfns, list, n * sizeof(uint64_t)))
        rc = -XEN_EFAULT;
    for (; !rc && placed < n; placed++) {
        struct physmap_entry e = {mfns[placed], PHYSMAP_FOREIGN, false}, old;

        rc = physmap_set(v->domain, gfns[placed], &e, &old);
        if (rc) {
            rc = placed ? -XEN_EIO : rc;
            break;
        }
        if (old.type == PHYSMAP_XEN)
            memory_xen_page_removed(v->domain, gfns[placed]);
    }
    /* Each placed frame's reference now belongs to its entry; the others go back. */
    for (uint32_t j = placed; j < n; j++)
        frame_put(mfns[j]);
    return rc;
}

/*
 * XENMEM_acquire_resource, dom0 only: with a null frame_list the size of the resource is
 * reported in nr_frames; otherwise its frames are mapped into the caller.
 */
static long acquire_resource(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_mem_acquire_resource x;
    struct domain *cur = v->domain, *d;
    long rc, max;

    if (!cur->is_privileged)
        return -XEN_EACCES;
    if (copy_from_guest(v, &x, arg, sizeof(x)))
        return -XEN_EFAULT;
    if (x.pad || (x.frame >> 32) || ((x.frame + x.nr_frames) >> 32))
        return -XEN_EINVAL;
    rc = memop_lock();
    if (rc)
        return rc;
    d = x.domid < DOMID_FIRST_RESERVED ? domain_by_id(x.domid) : NULL;
    if (!d) {
        rc = -XEN_ESRCH;
    } else if (d == cur) {
        rc = -XEN_EPERM;
    } else if ((max = resource_frames(d, x.type, x.id)) <= 0) {
        rc = max ? max : -XEN_EINVAL;
    } else if (!x.frame_list) {
        if (x.nr_frames || start) {
            rc = -XEN_EINVAL;
        } else {
            x.nr_frames = (uint32_t)max;
            rc = copy_to_guest(v, arg + offsetof(struct xen_mem_acquire_resource, nr_frames),
                               &x.nr_frames, sizeof(x.nr_frames))
                     ? -XEN_EFAULT
                     : 0;
        }
    } else if (start >= x.nr_frames || x.nr_frames > (UINT32_MAX >> MEMOP_EXTENT_SHIFT)) {
        rc = -XEN_EINVAL;
    } else {
        uint32_t n = MIN(x.nr_frames - (uint32_t)start, (uint32_t)ACQUIRE_CHUNK);

        rc = acquire_chunk(v, d, (uint32_t)(x.frame + start), n,
                           x.frame_list + start * sizeof(uint64_t));
        start += n;
        if (!rc && start < x.nr_frames) {
            memop_unlock();
            return hypercall_continue(v, 0,
                                      XENMEM_acquire_resource | (start << MEMOP_EXTENT_SHIFT));
        }
    }
    memop_unlock();
    return rc;
}

long memory_op_foreign(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

    switch (cmd & MEMOP_CMD_MASK) {
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(v, start, arg);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(v, start, arg);
    default:
        return acquire_resource(v, start, arg);
    }
}
