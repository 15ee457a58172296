/* Domains known to xenstored, their shared-ring connections, and the ring backend interface. */
#ifndef XENSTORED_DOMAIN_H
#define XENSTORED_DOMAIN_H

#include "xenstored.h"

/* Kernel interfaces behind a ring connection (real: evtchn + gntdev; tests: in memory). */
struct ring_backend {
    /* Map the domain's xenstore page; NULL on failure. */
    void *(*map)(struct ring_backend *b, unsigned int domid, unsigned long gfn);
    void (*unmap)(struct ring_backend *b, void *page);
    /* Bind to the domain's unbound port; local port or -1. */
    int (*bind)(struct ring_backend *b, unsigned int domid, unsigned int remote_port);
    void (*unbind)(struct ring_backend *b, int port);
    void (*notify)(struct ring_backend *b, int port);
    /* Fired local ports, without blocking (re-arming them); count, 0 if none, -1 on error. */
    int (*wait)(struct ring_backend *b, int *ports, int max);
    int fd; /* poll() this for events; -1 if none */
    /* What the hypervisor says about domid now (enum dom_state). */
    int (*state)(struct ring_backend *b, unsigned int domid);
    int virq_port; /* local port of VIRQ_DOM_EXC (domain died/shut down); -1 if none */
};

/* A domain's life as xenstored sees it (backend->state). */
enum dom_state {
    DOM_RUNNING,  /* exists, not shut down */
    DOM_SHUTDOWN, /* shut down or crashed, not yet dying: still has its memory */
    DOM_DYING,    /* being destroyed */
    DOM_GONE,     /* no such domain */
    DOM_UNKNOWN,  /* the query failed: leave the domain alone */
};

struct domain {
    struct domain *next;
    unsigned int domid;
    struct conn *conn; /* NULL once dropped for misbehaviour */
    void *page;        /* mapped struct xenstore_domain_interface */
    int port;          /* local event channel */
    int target;        /* SET_TARGET domid, -1 if none */
    bool mapped_by_us; /* page must be unmapped through the backend */
    bool shutdown;     /* @releaseDomain already fired for its shutdown (RESUME clears) */
};

/* Backend used for INTRODUCE (NULL: INTRODUCE fails with EINVAL). */
void domain_set_backend(struct ring_backend *b);
struct ring_backend *domain_backend(void);
/* INTRODUCE; 0 or errno. Fires @introduceDomain for a new domain. */
int domain_introduce(unsigned int domid, unsigned long gfn, unsigned int port);
/* Attach an already-mapped page and bound port (dom0's own ring); 0 or errno. */
int domain_attach(unsigned int domid, void *page, int port);
/* RELEASE: drop connection, delete nodes the domain owns, fire @releaseDomain; 0 or ENOENT. */
int domain_release(unsigned int domid);
/* Known domain, or NULL. */
struct domain *domain_find(unsigned int domid);
/* Domain whose local port is port, or NULL. */
struct domain *domain_by_port(int port);
/* SET_TARGET; 0 or ENOENT. */
int domain_set_target(unsigned int domid, unsigned int target);
/* RESUME: the domain may fire @releaseDomain for a shutdown again; 0 or ENOENT. */
int domain_resume(unsigned int domid);
/*
 * VIRQ_DOM_EXC: ask the backend about every introduced domain (not dom0). A dying or vanished
 * one is released (connection closed, ring unmapped, port unbound, its nodes and quota gone);
 * a newly shut-down one is only marked. @releaseDomain fires once if anything changed.
 */
void domain_check_all(void);
/* An event on local port: VIRQ_DOM_EXC checks the domains, a ring port services its ring. */
void domain_port_fired(int port);
/* Release every domain (shutdown/tests). */
void domain_free_all(void);

/* Ring connection over an already mapped page; connection state set to connected. */
struct conn *ring_conn_new(struct domain *d);
/* Move bytes between the ring and the connection; 0 done, 1 more input waiting, -1 dropped. */
int ring_conn_service(struct conn *c);
/* Service every ring connection; 1 if some connection still has input waiting. */
int ring_flush_all(void);

/* The real backend (/dev/xen/evtchn + /dev/xen/gntdev); NULL if unavailable. */
struct ring_backend *ring_xen_open(void);
/* dom0's own ring from /proc/xen/xsd_kva + xsd_port; 0 or -1 if not available. */
int ring_xen_attach_dom0(struct ring_backend *b);

#endif /* XENSTORED_DOMAIN_H */
