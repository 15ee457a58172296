/* One guest console in dom0: its ring, a pty for clients, buffered output and an optional log. */
#ifndef XENCONSOLED_CONSOLE_H
#define XENCONSOLED_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "outbuf.h"
#include "public/io/console.h"

#define CONSOLE_DEFAULT_LIMIT (1024 * 1024) /* bytes kept for an absent reader (libxl's limit) */

struct console {
    unsigned int domid;
    struct xencons_interface *intf; /* the mapped ring (owned by the caller) */
    int port;                       /* local event channel (owned by the caller); -1 if none */
    int master, slave;              /* pty; we hold the slave too, so the master never hangs up */
    char tty[64];                   /* the slave's path, for clients (/dev/pts/N) */
    struct outbuf out;              /* guest output not yet written to the pty */
    int log_fd;                     /* guest output log; -1 if none */
    bool ring_bad;                  /* the guest's indices were garbage (reported once) */
    void (*notify)(void *ctx, int port); /* kick the guest after touching its ring */
    void *ctx;
};

/*
 * Set up c for domid's mapped ring and local port, keeping up to limit bytes of output for an
 * absent reader, and open its pty (raw, master non-blocking). 0, or -1 with errno (c unchanged
 * apart from fields; nothing to close).
 */
int console_open(struct console *c, unsigned int domid, struct xencons_interface *intf, int port,
                 size_t limit, void (*notify)(void *ctx, int port), void *ctx);

/*
 * Move everything that can move without blocking: guest output into the queue (and the log),
 * queued output into the pty, pty input into the ring. The guest is never waited for: its
 * output ring is always emptied; beyond the limit the oldest queued output is dropped.
 */
void console_service(struct console *c);

/* poll() events the master wants: POLLIN if the ring can take input, POLLOUT if output waits. */
short console_poll_events(const struct console *c);

/* Close the pty and the log and free the queue (ring and port stay the caller's). */
void console_close(struct console *c);

#endif
