/* Internal interfaces of xenstored: store, permissions, connections, watches, transactions. */
#ifndef XENSTORED_H
#define XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "public/io/xs_wire.h"

#define XS_DOMID_MAX 0x7fefu /* highest real domid (DOMID_FIRST_RESERVED - 1) */

/* ---- quotas (C xenstored 4.17 defaults; privileged connections are exempt) ---- */
struct xs_quota {
    unsigned int nodes_per_domain;
    unsigned int watches_per_domain;
    unsigned int transactions_per_domain;
    unsigned int node_size;
    unsigned int perms_per_node;
    unsigned int nodes_per_transaction;
};
extern struct xs_quota xs_quota;

/* Set one quota by its -Q name ("nodes", "watches", ...); -1 if the name is unknown. */
int xs_quota_set(const char *name, unsigned int value);

/* ---- string-keyed hash map (hmap.c) ---- */
struct hent;
struct hmap {
    struct hent **buckets;
    size_t nbuckets;
    size_t count;
};

/* Value stored under key, or NULL. */
void *hmap_get(const struct hmap *m, const char *key);
/* Store val under a copy of key; returns the replaced value or NULL. Aborts on ENOMEM. */
void *hmap_put(struct hmap *m, const char *key, void *val);
/* Remove key; returns its value or NULL. */
void *hmap_del(struct hmap *m, const char *key);
/* Call fn for every entry; fn must not modify the map. */
void hmap_foreach(const struct hmap *m, void (*fn)(const char *key, void *val, void *arg),
                  void *arg);
/* Free every entry (freeval may be NULL) and the table. */
void hmap_clear(struct hmap *m, void (*freeval)(void *));

/* ---- permissions (perms.c) ---- */
#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_BOTH  3u

struct xs_perm {
    uint32_t id;   /* domid */
    uint32_t perm; /* XS_PERM_* */
};

struct conn;

/* Access bits (XS_PERM_*) that connection c has on a node with these perms. */
unsigned int perm_for(const struct conn *c, const struct xs_perm *p, unsigned int n);
/* Parse n NUL-terminated strings like "r5"; 0 on success, EINVAL on bad syntax. */
int perms_parse(const char *s, size_t len, struct xs_perm **out, unsigned int *n);
/* Write perms as "r5\0n0\0..." into buf; returns bytes needed (may exceed cap). */
size_t perms_format(const struct xs_perm *p, unsigned int n, char *buf, size_t cap);

/* ---- node records and the main database (node.c, db.c) ---- */
struct nrec {
    char *value;
    uint32_t vlen;
    char *children; /* child names, each NUL-terminated, concatenated */
    uint32_t childlen;
    struct xs_perm *perms; /* perms[0] = owner and default */
    uint32_t nperms;
    uint64_t gen; /* generation: changes on every update of the node */
};

/* Allocate an empty record with the given perms (copied). */
struct nrec *nrec_new(const struct xs_perm *perms, unsigned int nperms);
/* Deep copy of r. */
struct nrec *nrec_dup(const struct nrec *r);
/* Free r and everything it owns; NULL is fine. */
void nrec_free(struct nrec *r);
/* Replace r's value with a copy of len bytes. */
void nrec_set_value(struct nrec *r, const void *v, size_t len);
/* Replace r's perms with a copy. */
void nrec_set_perms(struct nrec *r, const struct xs_perm *p, unsigned int n);
/* Append child name if absent; true if added. */
bool nrec_add_child(struct nrec *r, const char *name);
/* Remove child name if present; true if removed. */
bool nrec_del_child(struct nrec *r, const char *name);

/* Create the base tree: "/", "/tool", "/tool/xenstored". */
void db_init(void);
/* Drop the whole database. */
void db_fini(void);
/* Record at absolute path, or NULL. */
const struct nrec *db_get(const char *path);
/* Store rec (ownership taken) at path with a fresh generation. */
void db_put(const char *path, struct nrec *rec);
/* Delete the record at path (not its children). */
void db_del(const char *path);
/* Number of nodes whose owner is domid. */
unsigned int db_owned(unsigned int domid);
/* Number of nodes in the database. */
size_t db_count(void);
/* The database map itself, for iteration. */
const struct hmap *db_map(void);

/* ---- paths (path.c) ---- */
/* Canonical absolute form of a client path into out (size >= XENSTORE_ABS_PATH_MAX + 1).
 * Relative paths resolve under /local/domain/<domid>; '@' special names pass if allow_special.
 * Returns 0 or EINVAL. */
int path_canon(const struct conn *c, const char *in, bool allow_special, char *out);
/* True if path is child (or equal) of parent. */
bool path_is_child(const char *path, const char *parent);
/* Parent of an absolute path, written to out (size >= strlen(path)+1). */
void path_parent(const char *path, char *out);
/* Last component of an absolute path. */
const char *path_base(const char *path);

/* ---- transactions (transaction.c) ---- */
struct txn;

/* Start a transaction for c; 0 and *id, or ENOSPC on quota. */
int txn_start(struct conn *c, uint32_t *id);
/* The transaction of c with that id, or NULL. */
struct txn *txn_find(struct conn *c, uint32_t id);
/* Commit (0 or EAGAIN) or abort (0); the transaction is freed either way. */
int txn_end(struct conn *c, struct txn *t, bool commit);
/* Free every transaction of c. */
void txn_free_all(struct conn *c);
/* Read path in t's view (recording the access); 0, ENOENT or ENOSPC. */
int txn_get(struct txn *t, const char *path, const struct nrec **out);
/* Store rec (ownership taken) at path in t's view; 0 or ENOSPC. */
int txn_put(struct txn *t, const char *path, struct nrec *rec);
/* Delete path in t's view; 0 or ENOSPC. */
int txn_del(struct txn *t, const char *path);
/* Queue a watch event for commit. */
void txn_note_event(struct txn *t, const char *path, bool recursive);
/* Nodes created in t (for quota checks). */
unsigned int txn_created(const struct txn *t);

/* ---- store operations with permission checks (store.c) ---- */
struct xs_ctx {
    struct conn *conn;
    struct txn *tx; /* NULL outside a transaction */
};

/* Node at path readable with perm bits; 0, ENOENT or EACCES. */
int store_lookup(struct xs_ctx *x, const char *path, unsigned int perm, const struct nrec **out);
/* Write value, creating missing parents. */
int store_write(struct xs_ctx *x, const char *path, const void *v, size_t len);
/* Create path (and parents) if missing. */
int store_mkdir(struct xs_ctx *x, const char *path);
/* Remove path and its subtree. */
int store_rm(struct xs_ctx *x, const char *path);
/* Replace the perms of an existing node. */
int store_set_perms(struct xs_ctx *x, const char *path, const struct xs_perm *p, unsigned int n);

/* ---- watches (watch.c) ---- */
/* Add a watch (path as given, canonical path, token); 0, EEXIST or E2BIG. */
int watch_add(struct conn *c, const char *given, const char *canon, const char *token);
/* Queue one XS_WATCH_EVENT "path\0token\0" to c. */
void watch_send(struct conn *c, const char *path, const char *token);
/* Remove a watch; 0 or ENOENT. */
int watch_remove(struct conn *c, const char *canon, const char *token);
/* Drop every watch of c. */
void watch_free_all(struct conn *c);
/* Deliver events for a change at path (perms of the node); recursive also fires watches below. */
void watch_fire(const char *path, const struct xs_perm *p, unsigned int n, bool recursive);
/* Deliver "@introduceDomain" or "@releaseDomain". */
void watch_fire_special(const char *name);
/* Perms of a special node ("@..."), or NULL if name is not one. */
struct nrec *watch_special(const char *name);
/* Initialise / free the special nodes. */
void watch_init(void);
void watch_fini(void);

/* ---- connections (conn.c, proto.c) ---- */
struct watch;
struct domain;

struct conn_ops {
    void (*destroy)(struct conn *c); /* release transport resources; may be NULL */
};

struct conn {
    struct conn *next;
    unsigned int domid;
    bool privileged;
    struct domain *domain; /* NULL for socket connections */
    /* input: one message at a time */
    struct xsd_sockmsg hdr;
    unsigned int hdr_got;
    char in[XENSTORE_PAYLOAD_MAX];
    unsigned int in_got;
    /* output: encoded messages not yet transmitted */
    char *out;
    size_t out_len, out_off, out_cap;
    struct watch *watches;
    unsigned int nwatches;
    struct txn *txs;
    unsigned int ntxs;
    const struct conn_ops *ops;
    void *priv;
};

/* New connection on the global list. */
struct conn *conn_new(unsigned int domid, bool privileged, const struct conn_ops *ops, void *priv);
/* Tear down c: watches, transactions, transport, memory. */
void conn_free(struct conn *c);
/* First connection of the global list (iterate with ->next). */
struct conn *conn_list(void);
/* Target domid for c (device-model rights), or -1. */
int conn_target(const struct conn *c);
/* Queue a message to c. Watch events beyond the output cap are dropped. */
void conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *payload,
               size_t len);
/* Bytes waiting for transmission. */
size_t conn_out_pending(const struct conn *c);
/* Start of the waiting bytes. */
const char *conn_out_data(const struct conn *c);
/* Mark n waiting bytes as transmitted. */
void conn_out_consume(struct conn *c, size_t n);

/* Feed received bytes; handles each complete message. 0, or -1 if c must be dropped. */
int conn_input(struct conn *c, const void *data, size_t len);
/* Name of an errno value as sent in XS_ERROR ("EINVAL" for unknown ones). */
const char *xs_errname(int err);

/* ---- request handling (ops.c, control.c) ---- */
/* Handle one complete, length-checked message from c. */
void xs_dispatch(struct conn *c, const struct xsd_sockmsg *hdr, const char *payload);
/* Send an XS_ERROR reply for hdr. */
void xs_reply_error(struct conn *c, const struct xsd_sockmsg *hdr, int err);
/* Send a reply of hdr's type. */
void xs_reply(struct conn *c, const struct xsd_sockmsg *hdr, const void *p, size_t len);
/* XS_CONTROL: "check", "log [on|off]", "print <text>"; others EINVAL. */
int xs_control(struct conn *c, const struct xsd_sockmsg *hdr, const char *payload);

/* ---- trace (log.c) ---- */
/* Open the trace file (-T); false on error. */
bool xs_trace_open(const char *path);
/* Write one trace line if tracing is on. */
void xs_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Turn tracing on or off (XS_CONTROL log). */
void xs_trace_enable(bool on);

/* ---- core lifetime ---- */
/* Initialise database, special nodes and domain 0; tear everything down. */
void xs_core_init(void);
void xs_core_fini(void);

#endif /* XENSTORED_H */
