/* xstore: the xenstore operations (nodes, permissions, transactions, watches, domains). */
#define _GNU_SOURCE /* vasprintf */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/io/xs_wire.h>

#include "store/store_priv.h"

/* A string argument including its terminating NUL. */
#define STR(s) ((struct xstore_iov){(s), strlen(s) + 1})

char *xstore_read(struct xstore *xs, uint32_t txn, const char *path, size_t *len)
{
    struct xstore_iov a[] = {STR(path)};

    return xstore_request(xs, XS_READ, txn, a, 1, len);
}

int xstore_write(struct xstore *xs, uint32_t txn, const char *path, const void *value, size_t len)
{
    struct xstore_iov a[] = {STR(path), {value, len}};

    return xstore_request_ok(xs, XS_WRITE, txn, a, 2);
}

int xstore_write_str(struct xstore *xs, uint32_t txn, const char *path, const char *value)
{
    return xstore_write(xs, txn, path, value, strlen(value));
}

int xstore_printf(struct xstore *xs, uint32_t txn, const char *path, const char *fmt, ...)
{
    va_list ap;
    char *v;
    int rc, e;

    va_start(ap, fmt);
    rc = vasprintf(&v, fmt, ap);
    va_end(ap);
    if (rc < 0)
        return -1;
    rc = xstore_write_str(xs, txn, path, v);
    e = errno;
    free(v);
    errno = e;
    return rc;
}

int xstore_mkdir(struct xstore *xs, uint32_t txn, const char *path)
{
    struct xstore_iov a[] = {STR(path)};

    return xstore_request_ok(xs, XS_MKDIR, txn, a, 1);
}

int xstore_rm(struct xstore *xs, uint32_t txn, const char *path)
{
    struct xstore_iov a[] = {STR(path)};

    return xstore_request_ok(xs, XS_RM, txn, a, 1);
}

void xstore_free_list(char **list, unsigned int n)
{
    if (!list)
        return;
    for (unsigned int i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* Append the NUL-separated names in [p, p + len) to *list (*n entries so far). */
static int append_names(char ***list, unsigned int *n, const char *p, size_t len)
{
    for (size_t off = 0; off < len;) {
        size_t l = strnlen(p + off, len - off);
        char **nl;

        if (l == 0)
            break; /* DIRECTORY_PART's empty terminating string */
        nl = realloc(*list, (*n + 2) * sizeof(**list));
        if (!nl)
            return -1;
        *list = nl;
        nl[*n] = strndup(p + off, l);
        if (!nl[*n])
            return -1;
        nl[++*n] = NULL;
        off += l + 1;
    }
    return 0;
}

/* Listings larger than one reply: XS_DIRECTORY_PART from byte offset 0, restarted on change. */
static int directory_parts(struct xstore *xs, uint32_t txn, const char *path, char ***list,
                           unsigned int *n)
{
    char gen0[32] = "";

    for (size_t off = 0;;) {
        char offs[32];
        struct xstore_iov a[] = {STR(path), {offs, 0}};
        size_t len, gl;
        char *r;

        snprintf(offs, sizeof(offs), "%zu", off);
        a[1].len = strlen(offs) + 1;
        r = xstore_request(xs, XS_DIRECTORY_PART, txn, a, 2, &len);
        if (!r)
            return -1;
        gl = strnlen(r, len);
        if (gl == len || gl >= sizeof(gen0)) {
            free(r);
            errno = EIO;
            return -1;
        }
        if (off && strcmp(gen0, r)) { /* the node changed under us: start over */
            free(r);
            xstore_free_list(*list, *n);
            *list = NULL;
            *n = 0;
            off = 0;
            continue;
        }
        strcpy(gen0, r);
        if (append_names(list, n, r + gl + 1, len - gl - 1)) {
            free(r);
            return -1;
        }
        /* The last part ends in an empty string: its payload ends with two NULs. */
        if (len - gl - 1 == 0 || (len >= 2 && r[len - 1] == '\0' && r[len - 2] == '\0')) {
            free(r);
            return 0;
        }
        off += len - gl - 1;
        free(r);
    }
}

char **xstore_directory(struct xstore *xs, uint32_t txn, const char *path, unsigned int *n)
{
    struct xstore_iov a[] = {STR(path)};
    char **list = calloc(1, sizeof(*list));
    size_t len;
    char *r;
    int rc, e;

    *n = 0;
    if (!list)
        return NULL;
    r = xstore_request(xs, XS_DIRECTORY, txn, a, 1, &len);
    if (r) {
        rc = append_names(&list, n, r, len);
        free(r);
    } else if (errno == E2BIG) {
        rc = directory_parts(xs, txn, path, &list, n);
    } else {
        rc = -1;
    }
    if (rc) {
        e = errno;
        xstore_free_list(list, *n);
        *n = 0;
        errno = e;
        return NULL;
    }
    return list;
}

int xstore_set_perms(struct xstore *xs, uint32_t txn, const char *path,
                     const struct xstore_perm *perms, unsigned int n)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    struct xstore_iov a[] = {STR(path), {buf, 0}};
    size_t len = 0;

    if (!n) {
        errno = EINVAL;
        return -1;
    }
    for (unsigned int i = 0; i < n; i++) {
        char c = perms[i].perm;
        int w;

        if (c != 'r' && c != 'w' && c != 'b' && c != 'n') {
            errno = EINVAL;
            return -1;
        }
        w = snprintf(buf + len, sizeof(buf) - len, "%c%u", c, perms[i].domid);
        if (w < 0 || (size_t)w + 1 > sizeof(buf) - len) {
            errno = E2BIG;
            return -1;
        }
        len += (size_t)w + 1; /* keep the NUL */
    }
    a[1].len = len;
    return xstore_request_ok(xs, XS_SET_PERMS, txn, a, 2);
}

int xstore_transaction_start(struct xstore *xs, uint32_t *txn)
{
    struct xstore_iov a[] = {{"", 1}};
    char *r = xstore_request(xs, XS_TRANSACTION_START, XSTORE_NO_TXN, a, 1, NULL);
    char *end;
    unsigned long v;

    if (!r)
        return -1;
    errno = 0;
    v = strtoul(r, &end, 10);
    if (errno || end == r || *end || v == 0 || v > UINT32_MAX) {
        free(r);
        errno = EIO;
        return -1;
    }
    free(r);
    *txn = (uint32_t)v;
    return 0;
}

int xstore_transaction_end(struct xstore *xs, uint32_t txn, bool abort)
{
    struct xstore_iov a[] = {{abort ? "F" : "T", 2}};

    return xstore_request_ok(xs, XS_TRANSACTION_END, txn, a, 1);
}

int xstore_watch(struct xstore *xs, const char *path, const char *token)
{
    struct xstore_iov a[] = {STR(path), STR(token)};

    return xstore_request_ok(xs, XS_WATCH, XSTORE_NO_TXN, a, 2);
}

int xstore_unwatch(struct xstore *xs, const char *path, const char *token)
{
    struct xstore_iov a[] = {STR(path), STR(token)};

    return xstore_request_ok(xs, XS_UNWATCH, XSTORE_NO_TXN, a, 2);
}

int xstore_introduce(struct xstore *xs, uint32_t domid, uint64_t gfn, uint32_t port)
{
    char d[16], g[24], p[16];
    struct xstore_iov a[3];

    snprintf(d, sizeof(d), "%u", domid);
    snprintf(g, sizeof(g), "%llu", (unsigned long long)gfn);
    snprintf(p, sizeof(p), "%u", port);
    a[0] = STR(d);
    a[1] = STR(g);
    a[2] = STR(p);
    return xstore_request_ok(xs, XS_INTRODUCE, XSTORE_NO_TXN, a, 3);
}

int xstore_release(struct xstore *xs, uint32_t domid)
{
    char d[16];
    struct xstore_iov a[1];

    snprintf(d, sizeof(d), "%u", domid);
    a[0] = STR(d);
    return xstore_request_ok(xs, XS_RELEASE, XSTORE_NO_TXN, a, 1);
}

char *xstore_domain_path(struct xstore *xs, uint32_t domid)
{
    char d[16];
    struct xstore_iov a[1];

    snprintf(d, sizeof(d), "%u", domid);
    a[0] = STR(d);
    return xstore_request(xs, XS_GET_DOMAIN_PATH, XSTORE_NO_TXN, a, 1, NULL);
}
