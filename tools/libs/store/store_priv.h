/* xstore internals: one request/reply exchange on the connection, and error-name mapping. */
#ifndef XTOOLS_STORE_PRIV_H
#define XTOOLS_STORE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <xenolith/store.h>

/* One request payload part (the parts are sent back to back). */
struct xstore_iov {
    const void *base;
    size_t len;
};

/*
 * Send a request of type on transaction txn with payload parts iov[0..n) and wait for its reply
 * (watch events that arrive meanwhile are queued). Returns the reply payload, malloc'd and
 * NUL-terminated one byte past *len (len may be NULL), or NULL with errno (an XS_ERROR reply
 * becomes its errno; a broken or dropped connection fails this and every later call).
 */
char *xstore_request(struct xstore *xs, uint32_t type, uint32_t txn, const struct xstore_iov *iov,
                     unsigned int n, size_t *len);

/* As xstore_request, for requests whose reply is "OK": 0 or -1 with errno. */
int xstore_request_ok(struct xstore *xs, uint32_t type, uint32_t txn, const struct xstore_iov *iov,
                      unsigned int n);

/* errno for an XS_ERROR payload such as "ENOENT" (EINVAL for an unknown name). */
int xstore_errno_from_name(const char *name);

/* Connect to the xenstore at path (a unix socket or a xenbus device); NULL with errno. */
struct xstore *xstore_open_path(const char *path);

#endif
