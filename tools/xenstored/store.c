/* Store operations as clients see them: view selection (transaction or not), permissions, quotas.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "util.h"

static int sget(struct xs_ctx *x, const char *path, const struct nrec **out)
{
    if (x->tx)
        return txn_get(x->tx, path, out);
    *out = db_get(path);
    return *out ? 0 : ENOENT;
}

static int sput(struct xs_ctx *x, const char *path, struct nrec *rec)
{
    if (x->tx)
        return txn_put(x->tx, path, rec);
    db_put(path, rec);
    return 0;
}

static int sdel(struct xs_ctx *x, const char *path)
{
    if (x->tx)
        return txn_del(x->tx, path);
    db_del(path);
    return 0;
}

static void event(struct xs_ctx *x, const char *path, const struct xs_perm *p, unsigned int n,
                  bool recursive)
{
    if (x->tx)
        txn_note_event(x->tx, path, recursive);
    else
        watch_fire(path, p, n, recursive);
}

static bool allowed(struct xs_ctx *x, const struct nrec *r, unsigned int perm)
{
    return (perm_for(x->conn, r->perms, r->nperms) & perm) == perm;
}

/* Nearest existing ancestor of path into buf; 0, or an error from the view. */
static int nearest(struct xs_ctx *x, const char *path, char *buf, const struct nrec **out)
{
    int err;

    strcpy(buf, path);
    do {
        path_parent(buf, buf);
        err = sget(x, buf, out);
        if (err != ENOENT)
            return err;
    } while (strcmp(buf, "/"));
    return ENOENT;
}

/* Error for a missing node: EACCES if its nearest ancestor denies perm, else ENOENT. */
static int missing(struct xs_ctx *x, const char *path, unsigned int perm)
{
    char buf[XENSTORE_ABS_PATH_MAX + 1];
    const struct nrec *r;
    int err = nearest(x, path, buf, &r);

    if (err)
        return err;
    return allowed(x, r, perm) ? ENOENT : EACCES;
}

/* Node at path with perm bits; 0, ENOENT or EACCES. */
int store_lookup(struct xs_ctx *x, const char *path, unsigned int perm, const struct nrec **out)
{
    int err = sget(x, path, out);

    if (err == ENOENT)
        return missing(x, path, perm);
    if (err)
        return err;
    return allowed(x, *out, perm) ? 0 : EACCES;
}

static unsigned int depth(const char *p)
{
    unsigned int d = 0;

    for (; *p; p++)
        d += *p == '/';
    return d;
}

/* Create path and missing parents (the nearest existing ancestor needs write access). */
static int create(struct xs_ctx *x, const char *path, const void *v, size_t len)
{
    char anc[XENSTORE_ABS_PATH_MAX + 1], cur[XENSTORE_ABS_PATH_MAX + 1];
    const struct nrec *r;
    unsigned int todo;
    int err = nearest(x, path, anc, &r);

    if (err)
        return err;
    if (!allowed(x, r, XS_PERM_WRITE))
        return EACCES;
    todo = depth(path) - (strcmp(anc, "/") ? depth(anc) : 0);
    if (!x->conn->privileged && db_owned(x->conn->domid) + (x->tx ? txn_created(x->tx) : 0) + todo >
                                    xs_quota.nodes_per_domain)
        return ENOSPC;
    while (todo--) {
        const char *end = path + strlen(anc) + (strcmp(anc, "/") ? 1 : 0);
        struct nrec *parent, *child;
        const char *slash = strchr(end, '/');
        size_t l = slash ? (size_t)(slash - path) : strlen(path);

        memcpy(cur, path, l);
        cur[l] = '\0';
        err = sget(x, anc, &r);
        if (err)
            return err;
        parent = nrec_dup(r);
        nrec_add_child(parent, path_base(cur));
        child = nrec_new(r->perms, r->nperms);
        if (!x->conn->privileged)
            child->perms[0].id = x->conn->domid;
        if (!todo)
            nrec_set_value(child, v, len);
        err = sput(x, anc, parent);
        if (!err)
            err = sput(x, cur, child);
        else
            nrec_free(child);
        if (err)
            return err;
        strcpy(anc, cur);
    }
    return 0;
}

/* Write value, creating missing parents. */
int store_write(struct xs_ctx *x, const char *path, const void *v, size_t len)
{
    const struct nrec *r;
    struct nrec *n;
    int err;

    if (!x->conn->privileged && len > xs_quota.node_size)
        return ENOSPC;
    err = sget(x, path, &r);
    if (err == ENOENT) {
        err = create(x, path, v, len);
        if (err)
            return err;
        err = sget(x, path, &r);
        if (!err)
            event(x, path, r->perms, r->nperms, false);
        return err;
    }
    if (err)
        return err;
    if (!allowed(x, r, XS_PERM_WRITE))
        return EACCES;
    n = nrec_dup(r);
    nrec_set_value(n, v, len);
    err = sput(x, path, n);
    if (!err && !sget(x, path, &r))
        event(x, path, r->perms, r->nperms, false);
    return err;
}

/* Create path (and parents) if missing. */
int store_mkdir(struct xs_ctx *x, const char *path)
{
    const struct nrec *r;
    int err = sget(x, path, &r);

    if (!err)
        return allowed(x, r, XS_PERM_WRITE) ? 0 : EACCES;
    if (err != ENOENT)
        return err;
    err = create(x, path, "", 0);
    if (!err && !sget(x, path, &r))
        event(x, path, r->perms, r->nperms, false);
    return err;
}

static int delete_tree(struct xs_ctx *x, const char *path)
{
    const struct nrec *r;
    char *kids, child[XENSTORE_ABS_PATH_MAX + 1];
    uint32_t klen;
    int err = sget(x, path, &r);

    if (err)
        return err == ENOENT ? 0 : err;
    kids = xmemdup(r->children, r->childlen);
    klen = r->childlen;
    for (char *k = kids; !err && k < kids + klen; k += strlen(k) + 1) {
        size_t pl = strcmp(path, "/") ? strlen(path) : 0;
        if (pl + 1 + strlen(k) > XENSTORE_ABS_PATH_MAX)
            continue;
        memcpy(child, path, pl);
        child[pl] = '/';
        strcpy(child + pl + 1, k);
        err = delete_tree(x, child);
    }
    free(kids);
    return err ? err : sdel(x, path);
}

/* Remove path and its subtree. */
int store_rm(struct xs_ctx *x, const char *path)
{
    char parent_path[XENSTORE_ABS_PATH_MAX + 1];
    const struct nrec *r, *pr;
    struct xs_perm *saved;
    unsigned int nsaved;
    struct nrec *parent;
    int err;

    if (!strcmp(path, "/"))
        return EINVAL;
    path_parent(path, parent_path);
    err = sget(x, path, &r);
    if (err == ENOENT) {
        err = sget(x, parent_path, &pr);
        return err == ENOENT ? missing(x, path, XS_PERM_WRITE) : err;
    }
    if (err)
        return err;
    if (!allowed(x, r, XS_PERM_WRITE))
        return EACCES;
    saved = xmemdup(r->perms, r->nperms * sizeof(*saved));
    nsaved = r->nperms;
    err = sget(x, parent_path, &pr);
    if (!err) {
        parent = nrec_dup(pr);
        nrec_del_child(parent, path_base(path));
        err = sput(x, parent_path, parent);
    }
    if (!err)
        err = delete_tree(x, path);
    if (!err)
        event(x, path, saved, nsaved, true);
    free(saved);
    return err;
}

/* Replace the perms of an existing node. */
int store_set_perms(struct xs_ctx *x, const char *path, const struct xs_perm *p, unsigned int n)
{
    const struct nrec *r;
    struct xs_perm *old;
    unsigned int nold;
    struct nrec *nr;
    int err;

    if (!n)
        return EINVAL;
    if (!x->conn->privileged && n > xs_quota.perms_per_node)
        return ENOSPC;
    err = store_lookup(x, path, XS_PERM_WRITE, &r);
    if (err)
        return err;
    if (!x->conn->privileged && p[0].id != r->perms[0].id)
        return EPERM;
    old = xmemdup(r->perms, r->nperms * sizeof(*old));
    nold = r->nperms;
    nr = nrec_dup(r);
    nrec_set_perms(nr, p, n);
    err = sput(x, path, nr);
    if (!err)
        event(x, path, old, nold, false);
    free(old);
    return err;
}
