/* xevtchn: event channels from dom0 userspace through Linux's /dev/xen/evtchn. */
#ifndef XENOLITH_EVTCHN_H
#define XENOLITH_EVTCHN_H

#include <stdint.h>

struct xevtchn;

/* Open /dev/xen/evtchn; NULL with errno set on failure. */
struct xevtchn *xevtchn_open(void);
/* Close the handle and every port bound through it (NULL is allowed). */
void xevtchn_close(struct xevtchn *xe);
/* File descriptor that becomes readable when a bound port fires (for poll()). */
int xevtchn_fd(struct xevtchn *xe);

/* Bind remote_port of domid to a new local port; local port or -1 with errno. */
int xevtchn_bind_interdomain(struct xevtchn *xe, uint32_t domid, uint32_t remote_port);
/* Bind a global VIRQ (e.g. VIRQ_DOM_EXC) to a new local port; port or -1 with errno. */
int xevtchn_bind_virq(struct xevtchn *xe, unsigned int virq);
/* Allocate a local port that domid may bind to; port or -1 with errno. */
int xevtchn_bind_unbound(struct xevtchn *xe, uint32_t domid);
/* Close a local port bound through this handle; 0 or -1 with errno. */
int xevtchn_unbind(struct xevtchn *xe, uint32_t port);
/* Send an event on a local port; 0 or -1 with errno. */
int xevtchn_notify(struct xevtchn *xe, uint32_t port);
/* Next fired port (blocks unless the fd is non-blocking); port or -1 with errno (EAGAIN). */
int xevtchn_pending(struct xevtchn *xe);
/* Re-enable a port returned by xevtchn_pending; 0 or -1 with errno. */
int xevtchn_unmask(struct xevtchn *xe, uint32_t port);

#endif
