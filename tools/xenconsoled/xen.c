/* xenconsoled's real backend: xevtchn, xgnttab/xfmem, xctrl and xstore from the tool libraries. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>
#include <xenolith/evtchn.h>
#include <xenolith/gnttab.h>
#include <xenolith/store.h>
#include <public/grant_table.h>

#include "../common/ringmap.h"
#include "xen.h"

struct xen_cd {
    struct cd_backend b; /* first: the generic part */
    struct xen_handles h;
    struct ringmaps pages;
};

static struct xen_cd *xb(struct cd_backend *b)
{
    return (struct xen_cd *)b;
}

static void *xen_map(struct cd_backend *b, unsigned int domid, uint64_t ring_ref)
{
    return ringmaps_map(&xb(b)->pages, domid, GNTTAB_RESERVED_CONSOLE, ring_ref);
}

static void xen_unmap(struct cd_backend *b, void *page)
{
    ringmaps_unmap(&xb(b)->pages, page);
}

static int xen_bind(struct cd_backend *b, unsigned int domid, unsigned int remote_port)
{
    return xevtchn_bind_interdomain(xb(b)->h.xe, domid, remote_port);
}

static void xen_unbind(struct cd_backend *b, int port)
{
    xevtchn_unbind(xb(b)->h.xe, (uint32_t)port);
}

static void xen_notify(struct cd_backend *b, int port)
{
    xevtchn_notify(xb(b)->h.xe, (uint32_t)port);
}

static int xen_list(struct cd_backend *b, unsigned int first, struct cd_dominfo *out,
                    unsigned int max)
{
    struct xctrl_dominfo info[64];
    int n;

    if (max > 64)
        max = 64;
    n = xctrl_domain_list(xb(b)->h.xc, first, info, max);
    for (int i = 0; i < n; i++)
        out[i] = (struct cd_dominfo){info[i].domid, info[i].dying};
    return n;
}

static char *xen_read(struct cd_backend *b, const char *path)
{
    return xstore_read(xb(b)->h.xs, XSTORE_NO_TXN, path, NULL);
}

static int xen_write(struct cd_backend *b, const char *path, const char *value)
{
    return xstore_write_str(xb(b)->h.xs, XSTORE_NO_TXN, path, value);
}

static int xen_watch(struct cd_backend *b, const char *path, const char *token)
{
    return xstore_watch(xb(b)->h.xs, path, token);
}

static int xen_unwatch(struct cd_backend *b, const char *path, const char *token)
{
    return xstore_unwatch(xb(b)->h.xs, path, token);
}

/* Open every handle; the backend, or NULL with a reason in why (errno set). */
struct cd_backend *xen_backend_open(struct xen_handles **h, const char **why)
{
    struct xen_cd *x = calloc(1, sizeof(*x));
    int fd;

    if (!x)
        return NULL;
    if (!(x->h.xc = xcall_open()))
        *why = "privcmd (xcall_open)";
    else if (!(x->h.xe = xevtchn_open()))
        *why = "/dev/xen/evtchn (xevtchn_open)";
    else if (!(x->h.xs = xstore_open()))
        *why = "xenstore (xstore_open)";
    if (!x->h.xc || !x->h.xe || !x->h.xs) {
        int err = errno;
        xstore_close(x->h.xs);
        xevtchn_close(x->h.xe);
        xcall_close(x->h.xc);
        free(x);
        errno = err;
        return NULL;
    }
    x->pages.xg = xgnttab_open(); /* optional: without it rings are foreign-mapped */
    x->pages.xc = x->h.xc;
    fd = xevtchn_fd(x->h.xe);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    x->b = (struct cd_backend){xen_map,  xen_unmap, xen_bind,  xen_unbind, xen_notify,
                               xen_list, xen_read,  xen_write, xen_watch,  xen_unwatch};
    *h = &x->h;
    return &x->b;
}
