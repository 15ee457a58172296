/* xevtchn: event channels through /dev/xen/evtchn (binds by ioctl, fired ports by read/write). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xenolith/evtchn.h>

#include "evtchn/evtchn_ioctl.h"

#define EVTCHN_DEV "/dev/xen/evtchn"

struct xevtchn {
    int fd;
};

struct xevtchn *xevtchn_open(void)
{
    struct xevtchn *xe = malloc(sizeof(*xe));

    if (!xe)
        return NULL;
    xe->fd = open(EVTCHN_DEV, O_RDWR | O_CLOEXEC);
    if (xe->fd < 0) {
        int e = errno;
        free(xe);
        errno = e;
        return NULL;
    }
    return xe;
}

void xevtchn_close(struct xevtchn *xe)
{
    if (!xe)
        return;
    close(xe->fd); /* the driver closes every port bound through this file */
    free(xe);
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

int xevtchn_pending(struct xevtchn *xe)
{
    uint32_t port;
    ssize_t n;

    do
        n = read(xe->fd, &port, sizeof(port));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n != sizeof(port)) {
        errno = EIO;
        return -1;
    }
    return (int)port;
}

int xevtchn_unmask(struct xevtchn *xe, uint32_t port)
{
    ssize_t n;

    do
        n = write(xe->fd, &port, sizeof(port));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n != sizeof(port)) {
        errno = EIO;
        return -1;
    }
    return 0;
}
