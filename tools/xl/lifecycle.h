/* Domain lifecycle for xl: build and start, xenstore tree, saved config, teardown, monitor. */
#ifndef XL_LIFECYCLE_H
#define XL_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include <xenolith/store.h>

#include "domain_config.h"

/* Seconds `xl create' waits for xenconsoled to publish console/tty (libxl's init timeout). */
#define XL_CONSOLE_TIMEOUT_S 10

/* What the xenstore tree of a new domain records (dom0-toolstack.md §3.2 steps 3 and 7, §3.5). */
struct xl_domain_tree {
    uint32_t domid;
    const char *name;
    const char *uuid; /* canonical text */
    uint64_t target_kb, max_kb;
    unsigned int vcpus, max_vcpus;
    uint32_t store_port, console_port;
    uint64_t store_gfn, console_gfn;
    long start_time; /* seconds since the epoch */
};

/*
 * Write the whole tree of a new domain in one transaction (retried on EAGAIN). 0, or -1 with
 * errno set (nothing written then).
 */
int xl_xs_write_domain(struct xstore *xs, const struct xl_domain_tree *t);
/* Remove every node xl wrote for domid (its /vm entry too); absent nodes are fine. */
void xl_xs_forget_domain(struct xstore *xs, uint32_t domid);
/* Set /local/domain/<domid>/name and /vm/<uuid>/name to name; 0 or -1 with errno. */
int xl_xs_rename_domain(struct xstore *xs, uint32_t domid, const char *name);

/* Options of one start of a domain. */
struct xl_start_opts {
    bool paused; /* -p: leave it paused */
    bool quiet;  /* no progress line */
};

/*
 * Build and start a domain from dc (dom0-toolstack.md §3.2). On success *domid is its id. On
 * failure prints one line saying why, leaves no domain and no xenstore nodes, returns -1.
 */
int xl_domain_start(const struct domain_config *dc, const struct xl_start_opts *o, uint32_t *domid);

/* Pause domid, remove its xenstore nodes and saved config, destroy it; 0 or -1 (reported). */
int xl_domain_teardown(uint32_t domid);

/* Save dc as JSON for domid (what `xl list -l' shows); 0 or -1 with errno. */
int xl_userdata_write(uint32_t domid, const uint8_t handle[16], const struct domain_config *dc);
/* The saved JSON of domid (malloc'd), or NULL. */
char *xl_userdata_read(uint32_t domid, const uint8_t handle[16]);
/* Remove the saved JSON of domid (absent is fine). */
void xl_userdata_remove(uint32_t domid, const uint8_t handle[16]);

/*
 * Fork the per-domain monitor (detached; it outlives xl): it watches @releaseDomain and applies
 * dc's on_poweroff / on_reboot / on_crash / on_watchdog actions, restarting from dc when asked.
 * Returns the pid of the short-lived intermediate child (xl_monitor_reap it, unless xl exits
 * now), or -1 (reported; the domain is left running).
 */
int xl_monitor_spawn(const struct domain_config *dc, uint32_t domid);
/* Wait for the intermediate child xl_monitor_spawn returned (a pid <= 0 is ignored). */
void xl_monitor_reap(int pid);

#endif
