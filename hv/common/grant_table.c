/* grant_table_op (v1 only): size and version queries, frame allocation; mapping comes later. */
#include <hv/hypercall.h>
#include <hv/guest_access.h>
#include <hv/mm.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/grant_table.h>

int gnttab_grow_locked(struct domain *d, unsigned int nr)
{
    if (nr > GRANT_MAX_FRAMES)
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

/* Free every grant frame of a dying domain (its p2m is torn down by the arch). */
void gnttab_domain_destroy(struct domain *d)
{
    spin_lock(&d->grant_lock);
    for (unsigned int i = 0; i < d->nr_grant_frames; i++) {
        free_pages(d->grant_frames[i], 0);
        d->grant_frames[i] = NULL;
        d->grant_frame_gfn[i] = INVALID_GFN_RAW;
    }
    d->nr_grant_frames = 0;
    spin_unlock(&d->grant_lock);
}

/* GNTTABOP_query_size: current and maximum frames; problems go to op->status. */
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
    op->max_nr_frames = GRANT_MAX_FRAMES;
    op->status = GNTST_okay;
    spin_unlock(&td->grant_lock);
}

/*
 * GNTTABOP_setup_table: grow to nr_frames and report each frame's guest frame
 * number (where the guest placed it with add_to_physmap, else ~0: an
 * auto-translated guest maps frames itself). frames[] receives nr_frames
 * values when status is okay.
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

long do_grant_table_op(struct vcpu *v, unsigned int cmd, uint64_t uop, unsigned int count)
{
    struct domain *d = v->domain;

    if ((int)count < 0)
        return -XEN_EINVAL;

    switch (cmd) {
    case GNTTABOP_query_size: {
        struct gnttab_query_size op;

        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -XEN_EFAULT;
        query_size(d, &op);
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
        setup_table(d, &op, frames);
        if (op.status == GNTST_okay && op.nr_frames &&
            copy_to_guest(v, op.frame_list, frames, op.nr_frames * sizeof(uint64_t)))
            op.status = GNTST_bad_virt_addr;
        return copy_to_guest(v, uop + offsetof(struct gnttab_setup_table, status), &op.status,
                             sizeof(op.status))
                   ? -XEN_EFAULT
                   : 0;
    }

    /* map/unmap/copy/transfer/swap/cache_flush/dump/get_status_frames: a later issue. */
    default:
        return -XEN_ENOSYS;
    }
}
