/* Active grants: pinning a granter's ref for a map or copy, with Xen's v1 shared-entry rules. */
#include <hv/grant.h>
#include <hv/hypercall.h>
#include <hv/frame.h>
#include <hv/physmap.h>
#include <hv/mm.h>
#include <hv/lib.h>
#include <hv/domctl.h>
#include <public/errno.h>

#define SET_STATUS_TRIES 5 /* a guest rewriting its entry this often is misbehaving */

static uint64_t next_serial = 1; /* atomic */

struct grant_state *grant_state_locked(struct domain *d)
{
    struct grant_state *gs = d->grant;

    if (gs)
        return gs;
    gs = xzalloc_obj(struct grant_state);
    if (!gs)
        return NULL;
    gs->serial = __atomic_fetch_add(&next_serial, 1, __ATOMIC_RELAXED);
    spin_lock_init(&gs->maptrack_lock);
    gs->maptrack_free = MAPTRACK_NONE;
    __atomic_store_n(&d->grant, gs, __ATOMIC_RELEASE);
    return gs;
}

uint32_t gnttab_max_maptrack(const struct domain *d)
{
    uint32_t frames = d->ctl.max_maptrack_frames;

    if (!frames && d->is_privileged)
        frames = DOMCTL_DEFAULT_MAX_MAPTRACK_FRAMES; /* dom0: the builder sets no limits */
    return MIN(frames, (uint32_t)DOMCTL_DEFAULT_MAX_MAPTRACK_FRAMES) * MAPTRACK_PER_FRAME;
}

struct domain *grant_domain(struct domain *cur, domid_t domid, bool self_ok)
{
    if (self_ok && domid == DOMID_SELF)
        return cur;
    return domid < DOMID_FIRST_RESERVED ? domain_by_id(domid) : NULL;
}

/* The v1 shared entry of ref (ref < nr_grant_frames * GRANT_PER_FRAME). grant_lock held. */
static struct grant_entry_v1 *shared_entry(struct domain *rd, uint32_t ref)
{
    return (struct grant_entry_v1 *)rd->grant_frames[ref / GRANT_PER_FRAME] + ref % GRANT_PER_FRAME;
}

/* rd's active entry for ref, allocating its frame's array; grant_lock held. NULL: no memory. */
static struct grant_active *active_entry(struct domain *rd, uint32_t ref)
{
    struct grant_state *gs = grant_state_locked(rd);
    struct grant_active **chunk;

    if (!gs)
        return NULL;
    chunk = &gs->active[ref / GRANT_PER_FRAME];
    if (!*chunk)
        *chunk = xzalloc(GRANT_PER_FRAME * sizeof(struct grant_active));
    return *chunk ? &(*chunk)[ref % GRANT_PER_FRAME] : NULL;
}

/*
 * Set GTF_reading (and GTF_writing) in the guest-writable entry, checking type and domid when
 * nothing is pinned yet. The guest may race us, so compare-and-swap a bounded number of times.
 */
static int16_t set_status(struct grant_entry_v1 *e, bool pinned, domid_t ldomid, bool readonly,
                          bool for_map)
{
    uint32_t *word = (uint32_t *)e; /* flags in the low half, domid in the high half */
    uint16_t mask = GTF_type_mask | (for_map ? GTF_sub_page : 0);
    uint32_t cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);

    for (unsigned int tries = 0;; tries++) {
        uint16_t flags = (uint16_t)cur;
        uint32_t want = cur | GTF_reading | (readonly ? 0 : GTF_writing);

        if (!pinned && ((flags & mask) != GTF_permit_access || (cur >> 16) != ldomid))
            return GNTST_general_error;
        if (!readonly && (flags & GTF_readonly))
            return GNTST_general_error;
        if (__atomic_compare_exchange_n(word, &cur, want, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return GNTST_okay;
        if (tries + 1 == SET_STATUS_TRIES)
            return GNTST_general_error;
    }
}

/* Clear the entry's GTF_writing / GTF_reading once no pin needs them; grant_lock held. */
static void reduce_status(struct grant_entry_v1 *e, const struct grant_active *act, bool readonly)
{
    uint16_t clear = act->rd_pins || act->wr_pins ? 0 : GTF_reading;

    if (!readonly && !act->wr_pins)
        clear |= GTF_writing;
    if (clear)
        __atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_ACQ_REL);
}

int16_t grant_pin(struct domain *rd, uint32_t ref, domid_t ldomid, bool readonly, bool for_map,
                  uint64_t *mfn)
{
    struct grant_entry_v1 *e;
    struct grant_active *act;
    int16_t rc = GNTST_okay;
    bool pinned;

    spin_lock(&rd->grant_lock);
    if (ref >= rd->nr_grant_frames * GRANT_PER_FRAME) {
        spin_unlock(&rd->grant_lock);
        return GNTST_bad_gntref;
    }
    e = shared_entry(rd, ref);
    act = active_entry(rd, ref);
    if (!act) {
        spin_unlock(&rd->grant_lock);
        return GNTST_no_space;
    }
    pinned = act->rd_pins || act->wr_pins;
    if (pinned && (act->domid != ldomid || act->rd_pins == 0xffff || act->wr_pins == 0xffff)) {
        spin_unlock(&rd->grant_lock);
        return GNTST_general_error;
    }
    if (!pinned || (!readonly && !act->wr_pins))
        rc = set_status(e, pinned, ldomid, readonly, for_map);
    if (rc == GNTST_okay && !pinned) {
        /* The frame is read after the flags, as the guest writes it before them. */
        uint32_t gfn = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);

        if (physmap_get_page(rd, gfn, PHYSMAP_OWNED, false, &act->mfn) < 0) {
            rc = GNTST_bad_page;
            reduce_status(e, act, readonly);
        }
        act->domid = ldomid;
    } else if (rc == GNTST_okay && !frame_get(act->mfn)) {
        rc = GNTST_general_error;
        reduce_status(e, act, readonly);
    }
    if (rc == GNTST_okay) {
        if (readonly)
            act->rd_pins++;
        else
            act->wr_pins++;
        *mfn = act->mfn;
    }
    spin_unlock(&rd->grant_lock);
    return rc;
}

void grant_unpin(struct domain *rd, uint32_t ref, bool readonly)
{
    struct grant_active *act;

    spin_lock(&rd->grant_lock);
    if (rd->grant && ref < rd->nr_grant_frames * GRANT_PER_FRAME &&
        rd->grant->active[ref / GRANT_PER_FRAME]) {
        act = &rd->grant->active[ref / GRANT_PER_FRAME][ref % GRANT_PER_FRAME];
        if (readonly && act->rd_pins)
            act->rd_pins--;
        else if (!readonly && act->wr_pins)
            act->wr_pins--;
        reduce_status(shared_entry(rd, ref), act, readonly);
    }
    spin_unlock(&rd->grant_lock);
}

int gnttab_get_frames(struct domain *d, uint32_t frame, uint32_t n, uint64_t *mfns)
{
    uint32_t got = 0;
    int rc;

    if (!n || frame + n > gnttab_max_frames(d))
        return -XEN_EINVAL;
    spin_lock(&d->grant_lock);
    rc = gnttab_grow_locked(d, frame + n);
    for (; !rc && got < n; got++) {
        mfns[got] = (uint64_t)(uintptr_t)d->grant_frames[frame + got] >> PAGE_SHIFT;
        if (!frame_get(mfns[got])) {
            rc = -XEN_EBUSY;
            break;
        }
    }
    if (rc)
        while (got)
            frame_put(mfns[--got]);
    spin_unlock(&d->grant_lock);
    return rc;
}
