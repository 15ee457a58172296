/* xenconsoled's real backend on the tool libraries, and the handles main's poll loop needs. */
#ifndef XENCONSOLED_XEN_H
#define XENCONSOLED_XEN_H

#include "domains.h"

struct xcall;
struct xevtchn;
struct xstore;

struct xen_handles {
    struct xcall *xc;
    struct xevtchn *xe; /* its fd is non-blocking */
    struct xstore *xs;
};

/*
 * Open privcmd, /dev/xen/evtchn, xenstore (required) and gntdev (optional). The backend and its
 * handles in *h, or NULL with errno set and *why naming what failed.
 */
struct cd_backend *xen_backend_open(struct xen_handles **h, const char **why);

#endif
