/* xenconsoled's domain tracking: which guests have consoles, set-up and tear-down, events. */
#ifndef XENCONSOLED_DOMAINS_H
#define XENCONSOLED_DOMAINS_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "console.h"

/* One domain as listed by the hypervisor. */
struct cd_dominfo {
    unsigned int domid;
    bool dying;
};

/* What the daemon needs from dom0 (real: tool libraries, xen.c; tests: in memory). */
struct cd_backend {
    /* Map domid's console ring (grant 0, else gfn ring_ref); NULL with errno on failure. */
    void *(*map)(struct cd_backend *b, unsigned int domid, uint64_t ring_ref);
    void (*unmap)(struct cd_backend *b, void *page);
    /* Bind domid's remote_port; local port or -1 with errno. */
    int (*bind)(struct cd_backend *b, unsigned int domid, unsigned int remote_port);
    void (*unbind)(struct cd_backend *b, int port);
    void (*notify)(struct cd_backend *b, int port);
    /* Existing domains with id >= first, in id order; count filled in (< max: no more), or -1. */
    int (*list)(struct cd_backend *b, unsigned int first, struct cd_dominfo *out, unsigned int max);
    /* xenstore: malloc'd value or NULL; write; watch/unwatch (0 or -1). */
    char *(*read)(struct cd_backend *b, const char *path);
    int (*write)(struct cd_backend *b, const char *path, const char *value);
    int (*watch)(struct cd_backend *b, const char *path, const char *token);
    int (*unwatch)(struct cd_backend *b, const char *path, const char *token);
};

/* A tracked domain; con is live when ring != NULL. */
struct cd_domain {
    struct cd_domain *next;
    unsigned int domid;
    void *ring;        /* mapped console page, NULL until the console is set up */
    uint64_t ring_ref; /* what ring was mapped from */
    unsigned int remote_port;
    bool alive; /* mark for cd_sync */
    struct console con;
};

struct cd_daemon {
    struct cd_backend *b;
    struct cd_domain *doms;
    const char *log_dir; /* guest output logs as <log_dir>/guest-<name>.log; NULL: no logs */
    bool verbose;
};

#define CD_TOKEN_DOMLIST "domlist" /* token of the @introduceDomain/@releaseDomain watches */

/*
 * Re-read the domain list: start tracking new domains (a watch on their console directory, and
 * a first look at it) and tear down the consoles of dying or vanished ones.
 */
void cd_sync(struct cd_daemon *d);

/*
 * Look at domid's console directory: with type "xenconsoled" (or none), ring-ref and port set,
 * map and bind the ring, open a pty and write its path to console/tty; if ring-ref or port
 * changed, re-map and re-bind under the same pty. Anything missing: wait for the next change.
 */
void cd_console_changed(struct cd_daemon *d, unsigned int domid);

/* A watch event: CD_TOKEN_DOMLIST re-syncs, "dom<N>" looks at domain N's console. */
void cd_watch_event(struct cd_daemon *d, const char *path, const char *token);

/* An event channel port fired: service the console bound to it (if any). */
void cd_port_fired(struct cd_daemon *d, int port);

/* Fill up to max pollfds for the consoles' pty masters; returns how many; doms[i] matches. */
unsigned int cd_pollfds(struct cd_daemon *d, struct pollfd *fds, struct cd_domain **doms,
                        unsigned int max);

/* Service every console (after poll() said a master is ready, or periodically). */
void cd_service_all(struct cd_daemon *d);

/* Tear down every console and stop tracking every domain. */
void cd_fini(struct cd_daemon *d);

#endif
