/* Console client helpers that need xenstore: find a domain's console pty. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <xenolith/store.h>

#include "console_client.h"

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* /local/domain/N/console/tty once xenconsoled wrote it (waiting up to timeout_ms). */
char *console_tty_path(struct xstore *xs, unsigned int domid, int timeout_ms)
{
    char path[64], *tty;
    long deadline = now_ms() + timeout_ms;

    snprintf(path, sizeof(path), "/local/domain/%u/console/tty", domid);
    for (;;) {
        tty = xstore_read(xs, XSTORE_NO_TXN, path, NULL);
        if (tty && *tty)
            return tty;
        free(tty);
        if (now_ms() >= deadline) {
            errno = ENOENT;
            return NULL;
        }
        poll(NULL, 0, 100); /* xenconsoled sets it up when the domain's keys appear */
    }
}
