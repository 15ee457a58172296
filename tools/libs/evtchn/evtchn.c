/* xevtchn: event channels through /dev/xen/evtchn (binds by ioctl, fired ports by read/write). */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xenolith/evtchn.h>

#include "evtchn/evtchn_ioctl.h"

#define EVTCHN_DEV "/dev/xen/evtchn"

struct xevtchn {
    int fd; /* first: see xtools_handle_open */
};

struct xevtchn *xevtchn_open(void)
{
    return xtools_handle_open(EVTCHN_DEV, sizeof(struct xevtchn));
}

void xevtchn_close(struct xevtchn *xe)
{
    xtools_handle_close(xe); /* the driver closes every port bound through this file */
}

int xevtchn_fd(struct xevtchn *xe)
{
    return xe->fd;
}

int xevtchn_bind_interdomain(struct xevtchn *xe, uint32_t domid, uint32_t remote_port)
{
    struct evtchn_ioctl_bind_interdomain b = {domid, remote_port};

    return ioctl(xe->fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

int xevtchn_bind_virq(struct xevtchn *xe, unsigned int virq)
{
    struct evtchn_ioctl_bind_virq b = {virq};

    return ioctl(xe->fd, IOCTL_EVTCHN_BIND_VIRQ, &b);
}

int xevtchn_bind_unbound(struct xevtchn *xe, uint32_t domid)
{
    struct evtchn_ioctl_bind_unbound_port b = {domid};

    return ioctl(xe->fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
}

int xevtchn_unbind(struct xevtchn *xe, uint32_t port)
{
    struct evtchn_ioctl_port u = {port};

    return ioctl(xe->fd, IOCTL_EVTCHN_UNBIND, &u) < 0 ? -1 : 0;
}

int xevtchn_notify(struct xevtchn *xe, uint32_t port)
{
    struct evtchn_ioctl_port n = {port};

    return ioctl(xe->fd, IOCTL_EVTCHN_NOTIFY, &n) < 0 ? -1 : 0;
}

/* Move one u32 port through the device (read: the next fired port; write: unmask). */
static int port_io(struct xevtchn *xe, uint32_t *port, int write_it)
{
    ssize_t n;

    do
        n = write_it ? write(xe->fd, port, sizeof(*port)) : read(xe->fd, port, sizeof(*port));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n != sizeof(*port)) {
        errno = EIO;
        return -1;
    }
    return 0;
}

int xevtchn_pending(struct xevtchn *xe)
{
    uint32_t port;

    return port_io(xe, &port, 0) ? -1 : (int)port;
}

int xevtchn_unmask(struct xevtchn *xe, uint32_t port)
{
    return port_io(xe, &port, 1);
}
