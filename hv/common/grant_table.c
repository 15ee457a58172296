/* grant_table_op (v1 only): dispatch, shared frames, size and version queries. */
#include <hv/hypercall.h>
#include <hv/frame.h>
#include <hv/grant.h>
#include <hv/guest_access.h>
#include <hv/memop.h>
#include <hv/mm.h>
#include <hv/physmap.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/grant_table.h>

#define GNTTABOP_CMD_MASK 0xfff /* cache_flush alone carries state in the bits above */

unsigned int gnttab_max_frames(const struct domain *d)
{
    uint32_t max = d->ctl.max_grant_frames;

    return max && max < GRANT_MAX_FRAMES ? max : GRANT_MAX_FRAMES;
}

int gnttab_grow_locked(struct domain *d, unsigned int nr)
{
    if (nr > gnttab_max_frames(d) || (d->is_dying && nr > d->nr_grant_frames))
        return -XEN_EINVAL;
    while (d->nr_grant_frames < nr) {
        void *page = alloc_page_zeroed();

        if (!page)
            return -XEN_ENOMEM;
        d->grant_frames[d->nr_grant_frames] = page;
        d->grant_frame_gfn[d->nr_grant_frames] = INVALID_GFN_RAW;
        d->nr_grant_frames++;
    }
    return 0;
}

int gnttab_grow(struct domain *d, unsigned int nr)
{
    int rc;

    spin_lock(&d->grant_lock);
    rc = gnttab_grow_locked(d, nr);
    spin_unlock(&d->grant_lock);
    return rc;
}

/*
 * A dying domain's grant state goes: what it mapped from others is un-pinned, and each frame
 * leaves its physmap and is released (kept alive while another domain still maps it).
 */
void gnttab_domain_destroy(struct domain *d)
{
    gnttab_release_mappings(d);
    spin_lock(&d->grant_lock);
    for (unsigned int i = 0; i < d->nr_grant_frames; i++) {
        uint64_t mfn = (uint64_t)(uintptr_t)d->grant_frames[i] >> PAGE_SHIFT;

        if (d->grant_frame_gfn[i] != INVALID_GFN_RAW)
            physmap_remove(d, d->grant_frame_gfn[i], PHYSMAP_BIT(PHYSMAP_XEN), mfn, NULL);
        frame_release(mfn);
        d->grant_frames[i] = NULL;
        d->grant_frame_gfn[i] = INVALID_GFN_RAW;
    }
    d->nr_grant_frames = 0;
    spin_unlock(&d->grant_lock);
}

/* GNTTABOP_query_size: current and maximum frames; problems go to op->status. Toolstack lock
 * held (op->dom may be another domain). */
static void query_size(struct domain *d, struct gnttab_query_size *op)
{
    int err;
    struct domain *td = hypercall_target_domain(d, op->dom, &err);

    if (!td) {
        op->status = err == -XEN_ESRCH ? GNTST_bad_domain : GNTST_permission_denied;
        return;
    }
    spin_lock(&td->grant_lock);
    op->nr_frames = td->nr_grant_frames;
    op->max_nr_frames = gnttab_max_frames(td);
    op->status = GNTST_okay;
    spin_unlock(&td->grant_lock);
}

/*
 * GNTTABOP_setup_table: grow to nr_frames and report each frame's guest frame
 * number (where the guest placed it with add_to_physmap, else ~0: an
 * auto-translated guest maps frames itself). frames[] receives nr_frames
 * values when status is okay. Toolstack lock held.
 */
static void setup_table(struct domain *d, struct gnttab_setup_table *op, uint64_t *frames)
{
    int err;
    struct domain *td = hypercall_target_domain(d, op->dom, &err);

    if (!td) {
        op->status = err == -XEN_ESRCH ? GNTST_bad_domain : GNTST_permission_denied;
        return;
    }
    spin_lock(&td->grant_lock);
    if (op->nr_frames > GRANT_MAX_FRAMES || gnttab_grow_locked(td, op->nr_frames)) {
        op->status = GNTST_general_error;
    } else {
        for (uint32_t i = 0; i < op->nr_frames; i++)
            frames[i] = td->grant_frame_gfn[i];
        op->status = GNTST_okay;
    }
    spin_unlock(&td->grant_lock);
}

/*
 * Run count ops of size bytes from uop with the toolstack lock held (the ops may reach other
 * domains), GNTTAB_PREEMPT_OPS per invocation: then the guest re-issues the hypercall for the
 * rest, as Xen's continuation does (uop advanced, count lowered).
 */
static long batch(struct vcpu *v, uint64_t uop, unsigned int count, size_t size, gnttab_op_fn fn)
{
    long rc = memop_lock();

    if (rc)
        return rc;
    for (unsigned int i = 0; !rc && i < count; i++) {
        if (i == GNTTAB_PREEMPT_OPS) {
            memop_unlock();
            hypercall_continue(v, 1, uop + (uint64_t)i * size);
            return hypercall_continue(v, 2, count - i);
        }
        rc = fn(v, uop + (uint64_t)i * size);
    }
    memop_unlock();
    return rc;
}

long do_grant_table_op(struct vcpu *v, unsigned int cmd, uint64_t uop, unsigned int count)
{
    struct domain *d = v->domain;

    if ((int)count < 0 ||
        ((cmd & ~GNTTABOP_CMD_MASK) && (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush))
        return -XEN_EINVAL;

    switch (cmd) {
    case GNTTABOP_query_size: {
        struct gnttab_query_size op;

        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -XEN_EFAULT;
        if (memop_lock())
            return -XEN_ERESTART;
        query_size(d, &op);
        memop_unlock();
        return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    }

    case GNTTABOP_set_version: {
        struct gnttab_set_version op;
        long rc = 0;

        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -XEN_EFAULT;
        if (op.version != 1 && op.version != 2)
            rc = -XEN_EINVAL;
        else if (op.version == 2)
            rc = -XEN_ENOSYS; /* as Xen with v2 disabled; Linux then stays on v1 */
        op.version = 1;
        if (copy_to_guest(v, uop, &op, sizeof(op)))
            rc = -XEN_EFAULT;
        return rc;
    }

    case GNTTABOP_get_version: {
        struct gnttab_get_version op;
        struct domain *td;
        int err;

        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -XEN_EFAULT;
        td = hypercall_target_domain(d, op.dom, &err);
        if (!td)
            return err;
        op.version = 1;
        return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    }

    case GNTTABOP_setup_table: {
        struct gnttab_setup_table op;
        uint64_t frames[GRANT_MAX_FRAMES];

        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -XEN_EFAULT;
        if (memop_lock())
            return -XEN_ERESTART;
        setup_table(d, &op, frames);
        memop_unlock();
        if (op.status == GNTST_okay && op.nr_frames &&
            copy_to_guest(v, op.frame_list, frames, op.nr_frames * sizeof(uint64_t)))
            op.status = GNTST_bad_virt_addr;
        return copy_to_guest(v, uop + offsetof(struct gnttab_setup_table, status), &op.status,
                             sizeof(op.status))
                   ? -XEN_EFAULT
                   : 0;
    }

    case GNTTABOP_map_grant_ref:
        return batch(v, uop, count, sizeof(struct gnttab_map_grant_ref), gnttab_map_one);
    case GNTTABOP_unmap_grant_ref:
        return batch(v, uop, count, sizeof(struct gnttab_unmap_grant_ref), gnttab_unmap_one);
    case GNTTABOP_copy:
        return batch(v, uop, count, sizeof(struct gnttab_copy), gnttab_copy_one);

    /* transfer, unmap_and_replace, swap, cache_flush, dump, get_status_frames: not offered. */
    default:
        return -XEN_ENOSYS;
    }
}
