/* Real ring backend for a Linux dom0: /dev/xen/evtchn for events, /dev/xen/gntdev for guest pages.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "domain.h"
#include "util.h"

#define GNTTAB_RESERVED_XENSTORE 1 /* grant ref the domain builder sets up for the store page */
#define PAGE_SZ                  4096

struct evtchn_bind_interdomain_arg {
    uint32_t remote_domain, remote_port;
};
struct evtchn_port_arg {
    uint32_t port;
};
struct gntdev_map_arg {
    uint32_t count, pad;
    uint64_t index;
    struct {
        uint32_t domid, ref;
    } refs[1];
};
struct gntdev_unmap_arg {
    uint64_t index;
    uint32_t count, pad;
};

#define IOCTL_EVTCHN_BIND_INTERDOMAIN                                                              \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain_arg))
#define IOCTL_EVTCHN_UNBIND          _IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_port_arg))
#define IOCTL_EVTCHN_NOTIFY          _IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port_arg))
#define IOCTL_GNTDEV_MAP_GRANT_REF   _IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map_arg))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF _IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap_arg))

struct xen_backend {
    struct ring_backend b; /* first: the generic part */
    int gntdev;
    struct {
        void *page;
        uint64_t index;
    } maps[64];
};

static void *xen_map(struct ring_backend *b, unsigned int domid, unsigned long gfn)
{
    struct xen_backend *x = (struct xen_backend *)b;
    struct gntdev_map_arg m = {.count = 1};
    void *page;

    (void)gfn; /* like C xenstored, the page is found through the reserved grant, not the gfn */
    m.refs[0].domid = domid;
    m.refs[0].ref = GNTTAB_RESERVED_XENSTORE;
    if (x->gntdev < 0 || ioctl(x->gntdev, IOCTL_GNTDEV_MAP_GRANT_REF, &m))
        return NULL;
    page = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE, MAP_SHARED, x->gntdev, (off_t)m.index);
    for (size_t i = 0; page != MAP_FAILED && i < sizeof(x->maps) / sizeof(x->maps[0]); i++) {
        if (!x->maps[i].page) {
            x->maps[i].page = page;
            x->maps[i].index = m.index;
            return page;
        }
    }
    if (page != MAP_FAILED)
        munmap(page, PAGE_SZ);
    struct gntdev_unmap_arg u = {.index = m.index, .count = 1};
    ioctl(x->gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
    return NULL;
}

static void xen_unmap(struct ring_backend *b, void *page)
{
    struct xen_backend *x = (struct xen_backend *)b;

    for (size_t i = 0; i < sizeof(x->maps) / sizeof(x->maps[0]); i++) {
        if (x->maps[i].page == page) {
            struct gntdev_unmap_arg u = {.index = x->maps[i].index, .count = 1};
            munmap(page, PAGE_SZ);
            ioctl(x->gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
            x->maps[i].page = NULL;
            return;
        }
    }
}

static int xen_bind(struct ring_backend *b, unsigned int domid, unsigned int remote_port)
{
    struct evtchn_bind_interdomain_arg a = {domid, remote_port};

    return ioctl(b->fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &a);
}

static void xen_unbind(struct ring_backend *b, int port)
{
    struct evtchn_port_arg a = {(uint32_t)port};

    ioctl(b->fd, IOCTL_EVTCHN_UNBIND, &a);
}

static void xen_notify(struct ring_backend *b, int port)
{
    struct evtchn_port_arg a = {(uint32_t)port};

    ioctl(b->fd, IOCTL_EVTCHN_NOTIFY, &a);
}

static int xen_wait(struct ring_backend *b, int *ports, int max)
{
    uint32_t got[64];
    ssize_t n;
    int count;

    if (max > 64)
        max = 64;
    n = read(b->fd, got, (size_t)max * sizeof(got[0]));
    if (n <= 0)
        return n < 0 ? 0 : -1;
    count = (int)(n / (ssize_t)sizeof(got[0]));
    for (int i = 0; i < count; i++)
        ports[i] = (int)got[i];
    if (write(b->fd, got, (size_t)count * sizeof(got[0])) < 0) /* unmask */
        return -1;
    return count;
}

/* The real backend (/dev/xen/evtchn + /dev/xen/gntdev); NULL if unavailable. */
struct ring_backend *ring_xen_open(void)
{
    struct xen_backend *x;
    int fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        return NULL;
    x = xcalloc(1, sizeof(*x));
    x->b.map = xen_map;
    x->b.unmap = xen_unmap;
    x->b.bind = xen_bind;
    x->b.unbind = xen_unbind;
    x->b.notify = xen_notify;
    x->b.wait = xen_wait;
    x->b.fd = fd;
    x->gntdev = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
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
        munmap(page, PAGE_SZ);
        return -1;
    }
    return 0;
}
