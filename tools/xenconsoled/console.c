/* A guest console: ring <-> queue <-> pty, with drop-oldest buffering and an optional log. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cons_ring.h"
#include "console.h"

#define SERVICE_BUDGET (64 * 1024) /* guest output taken per call, so one guest can't starve */

static int open_pty(struct console *c)
{
    struct termios t;
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s = -1;

    if (m < 0)
        return -1;
    if (grantpt(m) || unlockpt(m) || ptsname_r(m, c->tty, sizeof(c->tty)))
        goto fail;
    s = open(c->tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0 || tcgetattr(s, &t))
        goto fail;
    cfmakeraw(&t);
    if (tcsetattr(s, TCSANOW, &t) || fcntl(m, F_SETFL, O_NONBLOCK))
        goto fail;
    c->master = m;
    c->slave = s;
    return 0;
fail : {
    int err = errno;
    close(m);
    if (s >= 0)
        close(s);
    errno = err;
}
    return -1;
}

/* Set up c and open its pty; 0 or -1 with errno. */
int console_open(struct console *c, unsigned int domid, struct xencons_interface *intf, int port,
                 size_t limit, void (*notify)(void *ctx, int port), void *ctx)
{
    memset(c, 0, sizeof(*c));
    c->domid = domid;
    c->intf = intf;
    c->port = port;
    c->master = c->slave = c->log_fd = -1;
    c->notify = notify;
    c->ctx = ctx;
    if (open_pty(c))
        return -1;
    outbuf_init(&c->out, limit);
    return 0;
}

static void kick(struct console *c)
{
    if (c->notify && c->port >= 0)
        c->notify(c->ctx, c->port);
}

static void log_write(struct console *c, const char *p, size_t n)
{
    while (c->log_fd >= 0 && n) {
        ssize_t w = write(c->log_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) { /* a full or broken log must not stop the console */
            close(c->log_fd);
            c->log_fd = -1;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void take_guest_output(struct console *c)
{
    char buf[4096];
    size_t total = 0;
    int n;

    while (total < SERVICE_BUDGET && (n = cons_ring_take_output(c->intf, buf, sizeof(buf))) > 0) {
        outbuf_append(&c->out, buf, (size_t)n);
        log_write(c, buf, (size_t)n);
        total += (size_t)n;
    }
    if (n < 0 && !c->ring_bad) {
        fprintf(stderr, "xenconsoled: domain %u: garbage console ring indices, output ignored\n",
                c->domid);
        c->ring_bad = true;
    } else if (n >= 0) {
        c->ring_bad = false;
    }
    if (total)
        kick(c); /* the guest may be waiting for space */
}

static void flush_to_pty(struct console *c)
{
    const char *p;
    size_t n;

    while ((n = outbuf_peek(&c->out, &p))) {
        ssize_t w = write(c->master, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* EAGAIN: nobody reads; the queue keeps the newest output */
        outbuf_consume(&c->out, (size_t)w);
    }
}

static void pty_to_guest(struct console *c)
{
    char buf[sizeof(c->intf->in)];
    size_t space = cons_ring_input_space(c->intf);
    ssize_t n;

    if (!space)
        return;
    n = read(c->master, buf, space < sizeof(buf) ? space : sizeof(buf));
    if (n <= 0)
        return;
    /* An honest guest only frees space meanwhile, so all n bytes fit; a guest that rewinds
     * in_cons loses its own input, nothing else. */
    if (cons_ring_put_input(c->intf, buf, (size_t)n) > 0)
        kick(c);
}

/* Move everything that can move without blocking. */
void console_service(struct console *c)
{
    take_guest_output(c);
    flush_to_pty(c);
    pty_to_guest(c);
}

/* poll() events the master wants. */
short console_poll_events(const struct console *c)
{
    const char *p;

    return (short)((cons_ring_input_space(c->intf) ? POLLIN : 0) |
                   (outbuf_peek(&c->out, &p) ? POLLOUT : 0));
}

/* Close the pty and log, free the queue. */
void console_close(struct console *c)
{
    if (c->master >= 0)
        close(c->master);
    if (c->slave >= 0)
        close(c->slave);
    if (c->log_fd >= 0)
        close(c->log_fd);
    c->master = c->slave = c->log_fd = -1;
    outbuf_free(&c->out);
}
