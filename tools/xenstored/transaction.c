/* Transactions: a private per-node view over the database with generation-based conflict checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "util.h"

/* One node as seen by a transaction. */
struct txe {
    bool existed;      /* in the database when first accessed */
    uint64_t base_gen; /* its generation then */
    bool present;      /* exists in the transaction's view */
    bool modified;
    struct nrec *rec; /* view record; kept after deletion for its perms */
};

struct tev {
    struct tev *next;
    bool recursive;
    char path[];
};

struct txn {
    struct txn *next;
    uint32_t id;
    struct conn *conn;
    struct hmap entries;
    unsigned int created;
    struct tev *events, **events_tail;
};

static uint32_t next_id = 1;

/* Start a transaction for c; 0 and *id, or ENOSPC on quota. */
int txn_start(struct conn *c, uint32_t *id)
{
    struct txn *t;

    if (!c->privileged && c->ntxs >= xs_quota.transactions_per_domain)
        return ENOSPC;
    t = xcalloc(1, sizeof(*t));
    do {
        t->id = next_id++;
    } while (t->id == 0 || txn_find(c, t->id));
    t->conn = c;
    t->events_tail = &t->events;
    t->next = c->txs;
    c->txs = t;
    c->ntxs++;
    *id = t->id;
    return 0;
}

/* The transaction of c with that id, or NULL. */
struct txn *txn_find(struct conn *c, uint32_t id)
{
    for (struct txn *t = c->txs; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static void free_txe(void *p)
{
    struct txe *e = p;

    nrec_free(e->rec);
    free(e);
}

static void txn_free(struct conn *c, struct txn *t)
{
    for (struct txn **pp = &c->txs; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            c->ntxs--;
            break;
        }
    }
    hmap_clear(&t->entries, free_txe);
    while (t->events) {
        struct tev *ev = t->events;
        t->events = ev->next;
        free(ev);
    }
    free(t);
}

/* Free every transaction of c. */
void txn_free_all(struct conn *c)
{
    while (c->txs)
        txn_free(c, c->txs);
}

static int load(struct txn *t, const char *path, struct txe **out)
{
    struct txe *e = hmap_get(&t->entries, path);
    const struct nrec *d;

    if (!e) {
        if (!t->conn->privileged && t->entries.count >= xs_quota.nodes_per_transaction)
            return ENOSPC;
        d = db_get(path);
        e = xcalloc(1, sizeof(*e));
        e->existed = e->present = d != NULL;
        e->base_gen = d ? d->gen : 0;
        e->rec = d ? nrec_dup(d) : NULL;
        hmap_put(&t->entries, path, e);
    }
    *out = e;
    return 0;
}

/* Read path in t's view (recording the access); 0, ENOENT or ENOSPC. */
int txn_get(struct txn *t, const char *path, const struct nrec **out)
{
    struct txe *e;
    int err = load(t, path, &e);

    if (err)
        return err;
    if (!e->present)
        return ENOENT;
    *out = e->rec;
    return 0;
}

/* Store rec (ownership taken) at path in t's view; 0 or ENOSPC. */
int txn_put(struct txn *t, const char *path, struct nrec *rec)
{
    struct txe *e;
    int err = load(t, path, &e);

    if (err) {
        nrec_free(rec);
        return err;
    }
    if (!e->present)
        t->created++;
    nrec_free(e->rec);
    e->rec = rec;
    e->present = true;
    e->modified = true;
    return 0;
}

/* Delete path in t's view; 0 or ENOSPC. */
int txn_del(struct txn *t, const char *path)
{
    struct txe *e;
    int err = load(t, path, &e);

    if (err)
        return err;
    if (e->present) {
        e->present = false;
        e->modified = true;
    }
    return 0;
}

/* Queue a watch event for commit. */
void txn_note_event(struct txn *t, const char *path, bool recursive)
{
    size_t l = strlen(path) + 1;
    struct tev *ev = xmalloc(sizeof(*ev) + l);

    memcpy(ev->path, path, l);
    ev->recursive = recursive;
    ev->next = NULL;
    *t->events_tail = ev;
    t->events_tail = &ev->next;
}

/* Nodes created in t (for quota checks). */
unsigned int txn_created(const struct txn *t)
{
    return t->created;
}

static void check_one(const char *path, void *val, void *arg)
{
    struct txe *e = val;
    const struct nrec *d = db_get(path);
    bool *conflict = arg;

    if (e->existed ? (!d || d->gen != e->base_gen) : d != NULL)
        *conflict = true;
}

static void apply_one(const char *path, void *val, void *arg)
{
    struct txe *e = val;

    (void)arg;
    if (!e->modified)
        return;
    if (e->present)
        db_put(path, nrec_dup(e->rec));
    else
        db_del(path);
}

/* Commit (0 or EAGAIN) or abort (0); the transaction is freed either way. */
int txn_end(struct conn *c, struct txn *t, bool commit)
{
    bool conflict = false;

    if (commit) {
        hmap_foreach(&t->entries, check_one, &conflict);
        if (!conflict) {
            hmap_foreach(&t->entries, apply_one, NULL);
            for (struct tev *ev = t->events; ev; ev = ev->next) {
                struct txe *e = hmap_get(&t->entries, ev->path);
                static const struct xs_perm dom0_only = {0, XS_PERM_NONE};
                if (e && e->rec)
                    watch_fire(ev->path, e->rec->perms, e->rec->nperms, ev->recursive);
                else
                    watch_fire(ev->path, &dom0_only, 1, ev->recursive);
            }
        }
    }
    txn_free(c, t);
    return conflict ? EAGAIN : 0;
}
