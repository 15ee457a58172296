/* xctrl: memory_op on another domain (populate, decrease, e820, claim), hvm_op params, evtchn. */
#include <errno.h>
#include <string.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>
#include <public/memory.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/e820.h>

#include "ctrl/ctrl_priv.h"

#define BATCH 512 /* extents per hypercall: one page of frame numbers */

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "reservation layout");
_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param layout");

/* One XENMEM_{populate_physmap,decrease_reservation} of up to BATCH extents; done or -1. */
static long reservation_op(struct xcall *xc, unsigned int cmd, uint32_t domid, unsigned int order,
                           size_t nr, const uint64_t *gfns)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr, .extent_order = order, .domid = (domid_t)domid};
    uint64_t *list = xctrl_buf_dup(xc, gfns, nr * sizeof(*gfns));
    long rc;
    int e;

    if (!list)
        return -1;
    r.extent_start = XTOOLS_PTR(list);
    rc = xctrl_bounce(xc, __HYPERVISOR_memory_op, 1, cmd, &r, sizeof(r));
    e = errno;
    xcall_buf_free(xc, list, nr * sizeof(*gfns));
    if (rc > (long)nr) {
        rc = -1;
        e = EIO;
    }
    errno = e;
    return rc;
}

/*
 * Batches of BATCH extents; a short answer (the hypervisor did fewer) is retried from where it
 * stopped while it makes progress. Returns the extents done (< nr when the hypervisor stopped
 * early), or -1 when nothing at all was done and the hypervisor reported an error.
 */
static long reservation_batches(struct xcall *xc, unsigned int cmd, uint32_t domid,
                                unsigned int order, size_t nr, const uint64_t *gfns)
{
    size_t done = 0;

    while (done < nr) {
        size_t n = nr - done < BATCH ? nr - done : BATCH;
        long rc = reservation_op(xc, cmd, domid, order, n, gfns + done);

        if (rc < 0)
            return done ? (long)done : -1;
        if (rc == 0) {
            errno = ENOMEM; /* no progress: the hypervisor is out of memory for domid */
            break;
        }
        done += (size_t)rc;
    }
    return (long)done;
}

long xctrl_populate_physmap(struct xcall *xc, uint32_t domid, unsigned int order, size_t nr,
                            const uint64_t *gfns)
{
    return reservation_batches(xc, XENMEM_populate_physmap, domid, order, nr, gfns);
}

long xctrl_decrease_reservation(struct xcall *xc, uint32_t domid, size_t nr, const uint64_t *gfns)
{
    return reservation_batches(xc, XENMEM_decrease_reservation, domid, 0, nr, gfns);
}

int xctrl_set_memory_map(struct xcall *xc, uint32_t domid, const void *e820, unsigned int nr)
{
    size_t len = (size_t)nr * sizeof(struct e820entry);
    struct xen_foreign_memory_map m = {.domid = (domid_t)domid, .map.nr_entries = nr};
    void *b = xctrl_buf_dup(xc, e820, len);
    long rc;
    int e;

    if (!b)
        return -1;
    m.map.buffer = XTOOLS_PTR(b);
    rc = xctrl_bounce(xc, __HYPERVISOR_memory_op, 1, XENMEM_set_memory_map, &m, sizeof(m));
    e = errno;
    xcall_buf_free(xc, b, len);
    errno = e;
    return rc < 0 ? -1 : 0;
}

int xctrl_claim_pages(struct xcall *xc, uint32_t domid, uint64_t nr_pages)
{
    struct xen_memory_reservation r = {.nr_extents = nr_pages, .domid = (domid_t)domid};

    return xctrl_bounce(xc, __HYPERVISOR_memory_op, 1, XENMEM_claim_pages, &r, sizeof(r)) < 0 ? -1
                                                                                              : 0;
}

static int hvm_param(struct xcall *xc, unsigned int cmd, uint32_t domid, uint32_t index,
                     uint64_t *value)
{
    struct xen_hvm_param p = {.domid = (domid_t)domid, .index = index, .value = *value};

    if (xctrl_bounce(xc, __HYPERVISOR_hvm_op, 1, cmd, &p, sizeof(p)) < 0)
        return -1;
    *value = p.value;
    return 0;
}

int xctrl_hvm_param_set(struct xcall *xc, uint32_t domid, uint32_t index, uint64_t value)
{
    return hvm_param(xc, HVMOP_set_param, domid, index, &value);
}

int xctrl_hvm_param_get(struct xcall *xc, uint32_t domid, uint32_t index, uint64_t *value)
{
    *value = 0;
    return hvm_param(xc, HVMOP_get_param, domid, index, value);
}

int xctrl_evtchn_alloc_unbound(struct xcall *xc, uint32_t domid, uint32_t remote)
{
    struct evtchn_alloc_unbound a = {.dom = (domid_t)domid, .remote_dom = (domid_t)remote};

    if (xctrl_bounce(xc, __HYPERVISOR_event_channel_op, 1, EVTCHNOP_alloc_unbound, &a, sizeof(a)) <
        0)
        return -1;
    return (int)a.port;
}
