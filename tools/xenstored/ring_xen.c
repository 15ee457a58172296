/* The real ring backend in a Linux dom0: xevtchn for events, xgnttab/xfmem for guest pages,
 * xctrl for domain state (VIRQ_DOM_EXC), and dom0's own ring from /proc/xen (xenfs). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>
#include <xenolith/evtchn.h>
#include <xenolith/gnttab.h>
#include <public/grant_table.h>

#include "../common/ringmap.h"
#include "domain.h"
#include "util.h"

#define PAGE_SZ 4096

struct xen_backend {
    struct ring_backend b; /* first: the generic part */
    struct xevtchn *xe;
    struct xcall *xc;      /* NULL without privcmd: no domain states */
    struct ringmaps pages; /* gntdev (if present) and privcmd handles, mapped rings */
};

static struct xen_backend *xb(struct ring_backend *b)
{
    return (struct xen_backend *)b;
}

static void *xen_map(struct ring_backend *b, unsigned int domid, unsigned long gfn)
{
    void *page = ringmaps_map(&xb(b)->pages, domid, GNTTAB_RESERVED_XENSTORE, gfn);

    if (!page)
        xs_trace("domain %u: cannot map its ring (grant %d, gfn %#lx): %m", domid,
                 GNTTAB_RESERVED_XENSTORE, gfn);
    return page;
}

static void xen_unmap(struct ring_backend *b, void *page)
{
    ringmaps_unmap(&xb(b)->pages, page);
}

static int xen_bind(struct ring_backend *b, unsigned int domid, unsigned int remote_port)
{
    int port = xevtchn_bind_interdomain(xb(b)->xe, domid, remote_port);

    if (port < 0)
        xs_trace("domain %u: cannot bind its port %u: %m", domid, remote_port);
    return port;
}

static void xen_unbind(struct ring_backend *b, int port)
{
    xevtchn_unbind(xb(b)->xe, (uint32_t)port);
}

static void xen_notify(struct ring_backend *b, int port)
{
    xevtchn_notify(xb(b)->xe, (uint32_t)port);
}

static int xen_wait(struct ring_backend *b, int *ports, int max)
{
    int n = 0;

    while (n < max) {
        int port = xevtchn_pending(xb(b)->xe);
        if (port < 0)
            return (errno == EAGAIN || errno == EINTR || n) ? n : -1;
        xevtchn_unmask(xb(b)->xe, (uint32_t)port);
        ports[n++] = port;
    }
    return n;
}

static int xen_state(struct ring_backend *b, unsigned int domid)
{
    struct xctrl_dominfo info;

    if (!xb(b)->xc)
        return DOM_UNKNOWN;
    if (xctrl_domain_getinfo(xb(b)->xc, domid, &info))
        return (errno == ESRCH || errno == ENOENT) ? DOM_GONE : DOM_UNKNOWN;
    if (info.domid != domid)
        return DOM_GONE;
    if (info.dying)
        return DOM_DYING;
    return info.shutdown ? DOM_SHUTDOWN : DOM_RUNNING;
}

/* The real backend; NULL (errno set) if /dev/xen/evtchn cannot be opened. */
struct ring_backend *ring_xen_open(void)
{
    struct xevtchn *xe = xevtchn_open();
    struct xen_backend *x;
    int fd;

    if (!xe)
        return NULL;
    x = xcalloc(1, sizeof(*x));
    x->xe = xe;
    x->xc = xcall_open();
    x->pages.xg = xgnttab_open();
    x->pages.xc = x->xc;
    fd = xevtchn_fd(xe);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    x->b = (struct ring_backend){
        .map = xen_map,
        .unmap = xen_unmap,
        .bind = xen_bind,
        .unbind = xen_unbind,
        .notify = xen_notify,
        .wait = xen_wait,
        .fd = fd,
        .state = xen_state,
        .virq_port = xevtchn_bind_virq(xe, VIRQ_DOM_EXC),
    };
    if (x->b.virq_port < 0)
        xs_trace("cannot bind VIRQ_DOM_EXC (%m): domain deaths go unnoticed");
    return &x->b;
}

/* dom0's own ring from /proc/xen/xsd_kva + xsd_port; 0 or -1 if not available. */
int ring_xen_attach_dom0(struct ring_backend *b)
{
    FILE *f = fopen("/proc/xen/xsd_port", "r");
    unsigned int remote;
    void *page;
    int fd, ok, port;

    if (!f)
        return -1;
    ok = fscanf(f, "%u", &remote) == 1;
    fclose(f);
    if (!ok)
        return -1;
    fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    page = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (page == MAP_FAILED)
        return -1;
    port = b->bind(b, 0, remote);
    if (port < 0 || domain_attach(0, page, port)) {
        if (port >= 0)
            b->unbind(b, port);
        munmap(page, PAGE_SZ);
        return -1;
    }
    return 0;
}
