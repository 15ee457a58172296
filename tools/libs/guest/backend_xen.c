/* xguest: the real backend (hypercalls through xctrl, mappings through xfmem) and the entry point.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>
#include <xenolith/fmem.h>
#include <public/memory.h>

#include "guest/guest_priv.h"
#include "guest/load_xen.h"

struct xen_ctx {
    struct xcall *xc;
    uint32_t domid;
    struct xguest_loader load;
};

static long xb_populate(void *ctx, unsigned int order, size_t nr, const uint64_t *gfns)
{
    struct xen_ctx *x = ctx;

    return xctrl_populate_physmap(x->xc, x->domid, order, nr, gfns);
}

static int xb_write(void *ctx, const struct xguest_piece *p, size_t n, size_t *bad)
{
    return xguest_loader_write(&((struct xen_ctx *)ctx)->load, p, n, bad);
}

static void xb_write_done(void *ctx)
{
    xguest_loader_done(&((struct xen_ctx *)ctx)->load);
}

static int xb_set_memory_map(void *ctx, const struct e820entry *e820, unsigned int nr)
{
    struct xen_ctx *x = ctx;

    return xctrl_set_memory_map(x->xc, x->domid, e820, nr);
}

static int xb_set_param(void *ctx, uint32_t index, uint64_t value)
{
    struct xen_ctx *x = ctx;

    return xctrl_hvm_param_set(x->xc, x->domid, index, value);
}

static long xb_ctx_get(void *ctx, void *buf, size_t len)
{
    struct xen_ctx *x = ctx;

    return xctrl_hvmcontext_get(x->xc, x->domid, buf, len);
}

static int xb_ctx_set(void *ctx, const void *buf, size_t len)
{
    struct xen_ctx *x = ctx;

    return xctrl_hvmcontext_set(x->xc, x->domid, buf, len);
}

static void *xb_map_grant(void *ctx)
{
    struct xen_ctx *x = ctx;

    return xfmem_map_resource(x->xc, x->domid, XENMEM_resource_grant_table,
                              XENMEM_resource_grant_table_id_shared, 0, 1, PROT_READ | PROT_WRITE);
}

static int xb_unmap_grant(void *ctx, void *addr)
{
    (void)ctx;
    return xfmem_unmap(addr, 1);
}

static int xb_free_kb(void *ctx, uint64_t *kb)
{
    struct xen_ctx *x = ctx;
    struct xen_sysctl_physinfo pi;

    if (xctrl_physinfo(x->xc, &pi))
        return -1;
    *kb = pi.free_pages * 4;
    return 0;
}

int xguest_build_pvh(struct xcall *xc, uint32_t domid, const struct xguest_params *p,
                     struct xguest_result *r, char *err, size_t errlen)
{
    struct xen_ctx x = {xc, domid, {.xc = xc, .domid = domid}};
    const struct xguest_backend b = {
        .ctx = &x,
        .populate = xb_populate,
        .write = xb_write,
        .write_done = xb_write_done,
        .set_memory_map = xb_set_memory_map,
        .set_param = xb_set_param,
        .hvmcontext_get = xb_ctx_get,
        .hvmcontext_set = xb_ctx_set,
        .map_grant_table = xb_map_grant,
        .unmap_grant_table = xb_unmap_grant,
        .free_kb = xb_free_kb,
    };

    return xguest_build_backend(&b, domid, p, r, err, errlen);
}
