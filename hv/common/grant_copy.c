/* GNTTABOP_copy: copy bytes between granted frames and the caller's own frames. */
#include <hv/grant.h>
#include <hv/hypercall.h>
#include <hv/frame.h>
#include <hv/guest_access.h>
#include <hv/memop.h>
#include <hv/physmap.h>
#include <hv/lib.h>
#include <public/errno.h>

/* One side of a copy once claimed: a frame reference, and a pin when it came through a grant. */
struct copy_side {
    struct domain *d; /* the granter (gref), or the caller (gmfn) */
    uint32_t ref;
    uint64_t mfn;
    bool held, pinned;
};

/*
 * Claim one side: a gref of domain ptr->domid (pinned read-only for the source, writable for
 * the destination), or a frame of the caller's own physmap (only as DOMID_SELF). GNTST_*.
 */
static int16_t claim(struct domain *cur, const struct gnttab_copy_ptr *ptr, bool gref,
                     bool readonly, struct copy_side *s)
{
    int16_t st;

    if (!gref) {
        if (ptr->domid != DOMID_SELF)
            return GNTST_permission_denied;
        s->d = cur;
        if (physmap_get_page(cur, ptr->u.gmfn, PHYSMAP_OWNED, !readonly, &s->mfn) < 0)
            return GNTST_bad_page;
        s->held = true;
        return GNTST_okay;
    }
    s->d = grant_domain(cur, ptr->domid, true);
    if (!s->d)
        return GNTST_bad_domain;
    st = grant_pin(s->d, ptr->u.ref, cur->domain_id, readonly, false, &s->mfn);
    if (st == GNTST_okay) {
        s->ref = ptr->u.ref;
        s->held = s->pinned = true;
    }
    return st;
}

/* Undo claim(). */
static void release(struct copy_side *s, bool readonly)
{
    if (s->pinned)
        grant_unpin(s->d, s->ref, readonly);
    if (s->held)
        frame_put(s->mfn);
}

/* One copy op; toolstack lock held. Errors in Xen's order: domains, source, dest, bounds. */
static int16_t copy_one(struct domain *cur, const struct gnttab_copy *op)
{
    struct copy_side src = {0}, dst = {0};
    bool src_gref = op->flags & GNTCOPY_source_gref, dst_gref = op->flags & GNTCOPY_dest_gref;
    int16_t st;

    if ((!src_gref && op->source.domid != DOMID_SELF) ||
        (!dst_gref && op->dest.domid != DOMID_SELF))
        return GNTST_permission_denied;
    if ((src_gref && !grant_domain(cur, op->source.domid, true)) ||
        (dst_gref && !grant_domain(cur, op->dest.domid, true)))
        return GNTST_bad_domain;
    st = claim(cur, &op->source, src_gref, true, &src);
    if (st == GNTST_okay)
        st = claim(cur, &op->dest, dst_gref, false, &dst);
    if (st == GNTST_okay &&
        (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE))
        st = GNTST_bad_copy_arg;
    if (st == GNTST_okay)
        memmove((uint8_t *)(uintptr_t)(dst.mfn << PAGE_SHIFT) + op->dest.offset,
                (const uint8_t *)(uintptr_t)(src.mfn << PAGE_SHIFT) + op->source.offset, op->len);
    release(&dst, false);
    release(&src, true);
    return st;
}

long gnttab_copy_one(struct vcpu *v, uint64_t at)
{
    struct gnttab_copy op;

    if (copy_from_guest(v, &op, at, sizeof(op)))
        return -XEN_EFAULT;
    op.status = copy_one(v->domain, &op);
    return copy_to_guest(v, at + offsetof(struct gnttab_copy, status), &op.status,
                         sizeof(op.status))
               ? -XEN_EFAULT
               : 0;
}
