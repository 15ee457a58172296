/* xenconsoled's domains: console set-up when the keys appear, tear-down when the domain dies. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domains.h"

#define MIN_LIMIT 4096u
#define MAX_LIMIT (64u << 20)

static struct cd_domain *find(struct cd_daemon *d, unsigned int domid)
{
    for (struct cd_domain *x = d->doms; x; x = x->next)
        if (x->domid == domid)
            return x;
    return NULL;
}

static void say(struct cd_daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct cd_daemon *d, const char *fmt, ...)
{
    va_list ap;

    if (!d->verbose)
        return;
    va_start(ap, fmt);
    fputs("xenconsoled: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Read <console dir>/key of domid as an unsigned number; false if absent or malformed. */
static bool read_num(struct cd_daemon *d, unsigned int domid, const char *key, uint64_t max,
                     uint64_t *out)
{
    char path[96], *v, *end;
    unsigned long long n;
    bool ok;

    snprintf(path, sizeof(path), "/local/domain/%u/console/%s", domid, key);
    v = d->b->read(d->b, path);
    if (!v)
        return false;
    errno = 0;
    n = strtoull(v, &end, 0);
    ok = *v && !*end && !errno && n <= max;
    free(v);
    if (ok)
        *out = n;
    return ok;
}

static void kick(void *ctx, int port)
{
    struct cd_backend *b = ctx;

    b->notify(b, port);
}

/* <log_dir>/guest-<name>.log, the name from xenstore with '/' made harmless. */
static void open_log(struct cd_daemon *d, struct cd_domain *x)
{
    char path[512], key[64], *name;

    if (!d->log_dir)
        return;
    snprintf(key, sizeof(key), "/local/domain/%u/name", x->domid);
    name = d->b->read(d->b, key);
    if (!name || !*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        free(name);
        if (asprintf(&name, "dom%u", x->domid) < 0)
            return;
    }
    for (char *s = name; *s; s++)
        if (*s == '/')
            *s = '_';
    snprintf(path, sizeof(path), "%s/guest-%s.log", d->log_dir, name);
    free(name);
    x->con.log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (x->con.log_fd < 0)
        fprintf(stderr, "xenconsoled: cannot open log %s: %s\n", path, strerror(errno));
}

static void ring_down(struct cd_daemon *d, struct cd_domain *x)
{
    if (x->con.port >= 0)
        d->b->unbind(d->b, x->con.port);
    if (x->ring)
        d->b->unmap(d->b, x->ring);
    x->con.port = -1;
    x->ring = NULL;
}

/* Map and bind; 0 or -1 (nothing held). */
static int ring_up(struct cd_daemon *d, struct cd_domain *x, uint64_t ref, unsigned int port)
{
    void *page = d->b->map(d->b, x->domid, ref);
    int local;

    if (!page) {
        fprintf(stderr, "xenconsoled: domain %u: cannot map console ring: %s\n", x->domid,
                strerror(errno));
        return -1;
    }
    local = d->b->bind(d->b, x->domid, port);
    if (local < 0) {
        fprintf(stderr, "xenconsoled: domain %u: cannot bind port %u: %s\n", x->domid, port,
                strerror(errno));
        d->b->unmap(d->b, page);
        return -1;
    }
    x->ring = page;
    x->ring_ref = ref;
    x->remote_port = port;
    return local;
}

/* Look at domid's console keys; set the console up (or re-map it) when ready. */
void cd_console_changed(struct cd_daemon *d, unsigned int domid)
{
    struct cd_domain *x = find(d, domid);
    uint64_t ref, port, limit = CONSOLE_DEFAULT_LIMIT;
    char path[96], *type;
    int local;

    if (!x)
        return;
    snprintf(path, sizeof(path), "/local/domain/%u/console/type", domid);
    type = d->b->read(d->b, path);
    if (type && strcmp(type, "xenconsoled")) {
        free(type);
        return; /* someone else's console (e.g. a device model's) */
    }
    free(type);
    if (!read_num(d, domid, "ring-ref", UINT64_MAX, &ref) ||
        !read_num(d, domid, "port", 0xffffffffu, &port) || !port)
        return;
    if (x->ring) {
        if (ref == x->ring_ref && port == x->remote_port)
            return;
        say(d, "domain %u: console moved (ring-ref %#llx, port %llu)", domid,
            (unsigned long long)ref, (unsigned long long)port);
        console_service(&x->con); /* what the old ring still holds */
        ring_down(d, x);
        local = ring_up(d, x, ref, (unsigned int)port);
        if (local < 0) {
            console_close(&x->con); /* down until the keys change again */
            return;
        }
        x->con.intf = x->ring;
        x->con.port = local;
        console_service(&x->con);
        return;
    }
    read_num(d, domid, "limit", UINT64_MAX, &limit);
    limit = limit < MIN_LIMIT ? MIN_LIMIT : limit > MAX_LIMIT ? MAX_LIMIT : limit;
    local = ring_up(d, x, ref, (unsigned int)port);
    if (local < 0)
        return;
    if (console_open(&x->con, domid, x->ring, local, (size_t)limit, kick, d->b)) {
        fprintf(stderr, "xenconsoled: domain %u: cannot open a pty: %s\n", domid, strerror(errno));
        x->con.port = local;
        ring_down(d, x);
        return;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/console/tty", domid);
    if (d->b->write(d->b, path, x->con.tty))
        fprintf(stderr, "xenconsoled: domain %u: cannot write %s\n", domid, path);
    open_log(d, x);
    say(d, "domain %u: console on %s", domid, x->con.tty);
    console_service(&x->con); /* output written before we came */
}

static void token_of(unsigned int domid, char *buf, size_t len)
{
    snprintf(buf, len, "dom%u", domid);
}

static void track(struct cd_daemon *d, unsigned int domid)
{
    struct cd_domain *x = calloc(1, sizeof(*x));
    char path[64], token[16];

    if (!x)
        return;
    x->domid = domid;
    x->alive = true;
    x->con.port = x->con.master = x->con.slave = x->con.log_fd = -1;
    x->next = d->doms;
    d->doms = x;
    snprintf(path, sizeof(path), "/local/domain/%u/console", domid);
    token_of(domid, token, sizeof(token));
    if (d->b->watch(d->b, path, token))
        fprintf(stderr, "xenconsoled: cannot watch %s\n", path);
    cd_console_changed(d, domid);
}

static void untrack(struct cd_daemon *d, struct cd_domain *x)
{
    char path[64], token[16];

    for (struct cd_domain **pp = &d->doms; *pp; pp = &(*pp)->next) {
        if (*pp == x) {
            *pp = x->next;
            break;
        }
    }
    if (x->ring) {
        console_service(&x->con); /* last words to the pty and the log */
        console_close(&x->con);
        say(d, "domain %u: console closed", x->domid);
    }
    ring_down(d, x);
    snprintf(path, sizeof(path), "/local/domain/%u/console", x->domid);
    token_of(x->domid, token, sizeof(token));
    d->b->unwatch(d->b, path, token);
    free(x);
}

/* Re-read the domain list: track new domains, drop dying or vanished ones. */
void cd_sync(struct cd_daemon *d)
{
    struct cd_dominfo info[64];
    struct cd_domain *x, *next;
    unsigned int first = 1; /* dom0 has no console for us */
    int n;

    for (x = d->doms; x; x = x->next)
        x->alive = false;
    do {
        n = d->b->list(d->b, first, info, 64);
        if (n < 0)
            return; /* can't tell who is alive: change nothing */
        for (int i = 0; i < n; i++) {
            x = find(d, info[i].domid);
            if (info[i].dying)
                continue; /* a tracked one stays unmarked: dropped below */
            if (!x)
                track(d, info[i].domid);
            else
                x->alive = true;
        }
        if (n > 0 && info[n - 1].domid < first)
            break; /* not in id order: don't loop forever */
        if (n > 0)
            first = info[n - 1].domid + 1;
    } while (n == 64);
    for (x = d->doms; x; x = next) {
        next = x->next;
        if (!x->alive)
            untrack(d, x);
    }
}

/* Watch event: "domlist" re-syncs, "dom<N>" looks at N's console. */
void cd_watch_event(struct cd_daemon *d, const char *path, const char *token)
{
    unsigned int domid;
    char extra;

    (void)path;
    if (!strcmp(token, CD_TOKEN_DOMLIST))
        cd_sync(d);
    else if (sscanf(token, "dom%u%c", &domid, &extra) == 1)
        cd_console_changed(d, domid);
}

/* Service the console bound to port. */
void cd_port_fired(struct cd_daemon *d, int port)
{
    for (struct cd_domain *x = d->doms; x; x = x->next) {
        if (x->ring && x->con.port == port) {
            console_service(&x->con);
            return;
        }
    }
}

/* pollfds for the live consoles' masters. */
unsigned int cd_pollfds(struct cd_daemon *d, struct pollfd *fds, struct cd_domain **doms,
                        unsigned int max)
{
    unsigned int n = 0;

    for (struct cd_domain *x = d->doms; x && n < max; x = x->next) {
        if (!x->ring)
            continue;
        fds[n] = (struct pollfd){.fd = x->con.master, .events = console_poll_events(&x->con)};
        doms[n++] = x;
    }
    return n;
}

/* Service every live console. */
void cd_service_all(struct cd_daemon *d)
{
    for (struct cd_domain *x = d->doms; x; x = x->next)
        if (x->ring)
            console_service(&x->con);
}

/* Tear everything down. */
void cd_fini(struct cd_daemon *d)
{
    while (d->doms)
        untrack(d, d->doms);
}
