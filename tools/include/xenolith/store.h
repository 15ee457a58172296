/* xstore: a xenstore client (unix socket to xenstored, or /dev/xen/xenbus) for dom0 tools. */
#ifndef XENOLITH_STORE_H
#define XENOLITH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xstore;

#define XSTORE_NO_TXN 0u

/* Permission of one domain on a node, as XS_SET_PERMS: 'r', 'w', 'b' (both) or 'n' (none). */
struct xstore_perm {
    uint32_t domid;
    char perm;
};

/*
 * Connect: $XENSTORED_PATH, else /var/run/xenstored/socket, else /dev/xen/xenbus.
 * NULL with errno set on failure.
 */
struct xstore *xstore_open(void);
/* Close the connection (NULL is allowed); its watches and open transactions end. */
void xstore_close(struct xstore *xs);
/* File descriptor that becomes readable when a watch event may be waiting (for poll()). */
int xstore_fd(struct xstore *xs);

/*
 * All calls below: 0 (or a value as documented) on success, -1 with errno on failure; errno is
 * the xenstored error name mapped to its errno (ENOENT, EACCES, EEXIST, EAGAIN, E2BIG, ...).
 * txn is a transaction id or XSTORE_NO_TXN.
 */

/* Read path: a malloc'd NUL-terminated value (*len gets its length if len != NULL), or NULL. */
char *xstore_read(struct xstore *xs, uint32_t txn, const char *path, size_t *len);
/* Write len bytes of value at path (creating parents). */
int xstore_write(struct xstore *xs, uint32_t txn, const char *path, const void *value, size_t len);
/* Write a NUL-terminated string value at path. */
int xstore_write_str(struct xstore *xs, uint32_t txn, const char *path, const char *value);
/* printf-style convenience: write the formatted string at path. */
int xstore_printf(struct xstore *xs, uint32_t txn, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Create an empty node (no error if it exists). */
int xstore_mkdir(struct xstore *xs, uint32_t txn, const char *path);
/* Remove path and everything below it. */
int xstore_rm(struct xstore *xs, uint32_t txn, const char *path);
/* Children of path: a malloc'd array of *n malloc'd names (free with xstore_free_list). */
char **xstore_directory(struct xstore *xs, uint32_t txn, const char *path, unsigned int *n);
/* Free a list from xstore_directory. */
void xstore_free_list(char **list, unsigned int n);
/* Set the permissions of path: perms[0] is the owner and the default for other domains. */
int xstore_set_perms(struct xstore *xs, uint32_t txn, const char *path,
                     const struct xstore_perm *perms, unsigned int n);

/* Start a transaction; its id in *txn. */
int xstore_transaction_start(struct xstore *xs, uint32_t *txn);
/* Commit (abort = false) or abort a transaction; errno EAGAIN means "conflict: retry". */
int xstore_transaction_end(struct xstore *xs, uint32_t txn, bool abort);

/* Watch path (or @introduceDomain / @releaseDomain) with token. */
int xstore_watch(struct xstore *xs, const char *path, const char *token);
/* Remove a watch. */
int xstore_unwatch(struct xstore *xs, const char *path, const char *token);
/*
 * Next watch event: blocks until one arrives (or returns -1/EAGAIN if none is queued and
 * nonblock). *path and *token are malloc'd for the caller.
 */
int xstore_read_watch(struct xstore *xs, char **path, char **token, bool nonblock);

/* XS_INTRODUCE domid with its ring gfn and the event channel port in that domain. */
int xstore_introduce(struct xstore *xs, uint32_t domid, uint64_t gfn, uint32_t port);
/* XS_RELEASE domid (the domain is gone). */
int xstore_release(struct xstore *xs, uint32_t domid);
/* XS_GET_DOMAIN_PATH: malloc'd "/local/domain/<domid>". */
char *xstore_domain_path(struct xstore *xs, uint32_t domid);

#endif
