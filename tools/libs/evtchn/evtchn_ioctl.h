/* Linux /dev/xen/evtchn ioctl numbers and argument layouts (dom0-toolstack.md §2.3). */
#ifndef XTOOLS_EVTCHN_IOCTL_H
#define XTOOLS_EVTCHN_IOCTL_H

#include <stdint.h>

#include "call/call_priv.h"

struct evtchn_ioctl_bind_virq {
    uint32_t virq;
};
struct evtchn_ioctl_bind_interdomain {
    uint32_t remote_domain, remote_port;
};
struct evtchn_ioctl_bind_unbound_port {
    uint32_t remote_domain;
};
struct evtchn_ioctl_port {
    uint32_t port;
};

#define IOCTL_EVTCHN_BIND_VIRQ XTOOLS_IOC('E', 0, sizeof(struct evtchn_ioctl_bind_virq))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN                                                              \
    XTOOLS_IOC('E', 1, sizeof(struct evtchn_ioctl_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT                                                             \
    XTOOLS_IOC('E', 2, sizeof(struct evtchn_ioctl_bind_unbound_port))
#define IOCTL_EVTCHN_UNBIND XTOOLS_IOC('E', 3, sizeof(struct evtchn_ioctl_port))
#define IOCTL_EVTCHN_NOTIFY XTOOLS_IOC('E', 4, sizeof(struct evtchn_ioctl_port))
#define IOCTL_EVTCHN_RESET  XTOOLS_IOC('E', 5, 0)

#endif
