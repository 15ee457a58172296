/* Test harness for xenstored unit tests: checks, in-process clients and request helpers. */
#ifndef XS_TEST_H
#define XS_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "domain.h"

#include "check.h"

struct reply {
    uint32_t type, req_id, tx_id, len;
    char data[XENSTORE_PAYLOAD_MAX + 1];
};

/* An in-process client: a connection plus the messages it has received. */
struct client {
    struct conn *c;
    struct reply msgs[256];
    int n;
};

static struct client *clients[16];
static int nclients;
static uint32_t next_req = 1;

static inline struct client *client_new(unsigned int domid, bool privileged)
{
    struct client *cl = calloc(1, sizeof(*cl));

    cl->c = conn_new(domid, privileged, NULL, NULL);
    clients[nclients++] = cl;
    return cl;
}

/* Move every queued output message of every client into its mailbox. */
static inline void drain_all(void)
{
    for (int i = 0; i < nclients; i++) {
        struct client *cl = clients[i];
        while (cl->c && conn_out_pending(cl->c) >= sizeof(struct xsd_sockmsg)) {
            struct xsd_sockmsg h;
            memcpy(&h, conn_out_data(cl->c), sizeof(h));
            if (cl->n < 256) {
                struct reply *r = &cl->msgs[cl->n++];
                r->type = h.type;
                r->req_id = h.req_id;
                r->tx_id = h.tx_id;
                r->len = h.len;
                memcpy(r->data, conn_out_data(cl->c) + sizeof(h), h.len);
                r->data[h.len] = '\0';
            }
            conn_out_consume(cl->c, sizeof(h) + h.len);
        }
    }
}

/* Remove and return the first mailbox message matching want (event or not); type 0xffff if none. */
static inline struct reply take(struct client *cl, bool want_event)
{
    struct reply r = {.type = 0xffff};

    drain_all();
    for (int i = 0; i < cl->n; i++) {
        if ((cl->msgs[i].type == XS_WATCH_EVENT) == want_event) {
            r = cl->msgs[i];
            memmove(&cl->msgs[i], &cl->msgs[i + 1], (size_t)(cl->n - i - 1) * sizeof(r));
            cl->n--;
            break;
        }
    }
    return r;
}

static inline int events_pending(struct client *cl)
{
    int k = 0;

    drain_all();
    for (int i = 0; i < cl->n; i++)
        k += cl->msgs[i].type == XS_WATCH_EVENT;
    return k;
}

static inline void clear_events(struct client *cl)
{
    while (take(cl, true).type != 0xffff)
        ;
}

/* Send one request and return its reply. */
static inline struct reply rq(struct client *cl, uint32_t type, uint32_t tx, const void *p,
                              size_t len)
{
    struct xsd_sockmsg h = {type, next_req++, tx, (uint32_t)len};
    struct reply r;

    CHECK(conn_input(cl->c, &h, sizeof(h)) == 0);
    if (len)
        CHECK(conn_input(cl->c, p, len) == 0);
    r = take(cl, false);
    CHECK(r.req_id == h.req_id);
    return r;
}

/* Request whose payload is the given strings, each NUL-terminated. */
static inline struct reply rqv(struct client *cl, uint32_t type, uint32_t tx, int n, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX * 2];
    size_t len = 0;
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *s = va_arg(ap, const char *);
        size_t l = strlen(s) + 1;
        if (len + l <= sizeof(buf))
            memcpy(buf + len, s, l);
        len += l;
    }
    va_end(ap);
    return rq(cl, type, tx, buf, len < sizeof(buf) ? len : sizeof(buf));
}

/* WRITE path=value (value without terminator). */
static inline struct reply wr(struct client *cl, uint32_t tx, const char *path, const char *value)
{
    char buf[XENSTORE_PAYLOAD_MAX * 2];
    size_t pl = strlen(path) + 1, vl = strlen(value);

    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    return rq(cl, XS_WRITE, tx, buf, pl + vl);
}

#define RD(cl, tx, path)   rqv(cl, XS_READ, tx, 1, path)
#define DIR(cl, tx, path)  rqv(cl, XS_DIRECTORY, tx, 1, path)
#define RM(cl, tx, path)   rqv(cl, XS_RM, tx, 1, path)
#define MKD(cl, tx, path)  rqv(cl, XS_MKDIR, tx, 1, path)
#define GETP(cl, tx, path) rqv(cl, XS_GET_PERMS, tx, 1, path)

static inline bool is_err(struct reply r, const char *name)
{
    return r.type == XS_ERROR && r.len == strlen(name) + 1 && !strcmp(r.data, name);
}

static inline bool is_ok(struct reply r)
{
    return r.type != XS_ERROR && r.type != 0xffff;
}

/* Reply payload equals the len bytes at p. */
static inline bool is_data(struct reply r, const void *p, size_t len)
{
    return r.type != XS_ERROR && r.len == len && !memcmp(r.data, p, len);
}

#define IS_STR(r, s) is_data((r), s, strlen(s)) /* raw value, no terminator */
#define IS_LIT(r, s) is_data((r), s, sizeof(s)) /* literal with embedded NULs + final NUL */
#define IS_ERR(r, s) is_err((r), s)
#define IS_OK(r)     is_ok((r))

/* Event "path\0token\0"? */
static inline bool is_event(struct reply r, const char *path, const char *token)
{
    size_t pl = strlen(path) + 1;

    return r.type == XS_WATCH_EVENT && r.len == pl + strlen(token) + 1 && !strcmp(r.data, path) &&
           !strcmp(r.data + pl, token);
}

static inline void setup(void)
{
    xs_core_init();
}

static inline void teardown(void)
{
    xs_core_fini();
    for (int i = 0; i < nclients; i++)
        free(clients[i]);
    nclients = 0;
}

#define RUN(fn)                                                                                    \
    do {                                                                                           \
        int before = checks_failed;                                                                \
        setup();                                                                                   \
        fn();                                                                                      \
        teardown();                                                                                \
        if (checks_failed != before)                                                               \
            fprintf(stderr, "  in %s\n", #fn);                                                     \
    } while (0)

#define TEST_MAIN_END(name) return check_summary(name)

#endif /* XS_TEST_H */
