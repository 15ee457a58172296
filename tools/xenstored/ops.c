/* Request dispatch: argument parsing and the handler for every XS_* message type. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "domain.h"
#include "util.h"

struct req {
    struct conn *c;
    const struct xsd_sockmsg *h;
    const char *p;
    struct xs_ctx x;
};

/* Send a reply of hdr's type. */
void xs_reply(struct conn *c, const struct xsd_sockmsg *hdr, const void *p, size_t len)
{
    conn_send(c, hdr->type, hdr->req_id, hdr->tx_id, p, len);
}

/* Send an XS_ERROR reply for hdr. */
void xs_reply_error(struct conn *c, const struct xsd_sockmsg *hdr, int err)
{
    const char *name = xs_errname(err);

    xs_trace("conn %u: req %u type %u -> %s", c->domid, hdr->req_id, hdr->type, name);
    conn_send(c, XS_ERROR, hdr->req_id, hdr->tx_id, name, strlen(name) + 1);
}

static int ok(struct req *r)
{
    xs_reply(r->c, r->h, "OK", 3);
    return 0;
}

/* Split the payload into NUL-terminated strings; -1 if bytes trail the last NUL. */
static int split(const struct req *r, const char **vec, int max)
{
    int n = 0;
    uint32_t off = 0;

    while (off < r->h->len) {
        const char *s = r->p + off;
        const char *nul = memchr(s, '\0', r->h->len - off);
        if (!nul)
            return -1;
        if (n < max)
            vec[n] = s;
        n++;
        off += (uint32_t)(nul - s) + 1;
    }
    return n;
}

static const char *one_arg(const struct req *r)
{
    const char *v[1];

    return split(r, v, 1) == 1 ? v[0] : NULL;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;

    if (!s || *s < '0' || *s > '9')
        return EINVAL;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return (errno || *end || *out > max) ? EINVAL : 0;
}

static int arg_path(struct req *r, const char *s, bool special, char *out)
{
    return s ? path_canon(r->c, s, special, out) : EINVAL;
}

static int do_directory(struct req *r)
{
    char path[XENSTORE_ABS_PATH_MAX + 1];
    const struct nrec *n;
    int err = arg_path(r, one_arg(r), false, path);

    if (!err)
        err = store_lookup(&r->x, path, XS_PERM_READ, &n);
    if (err)
        return err;
    if (n->childlen > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    xs_reply(r->c, r->h, n->children, n->childlen);
    return 0;
}

static int do_directory_part(struct req *r)
{
    char path[XENSTORE_ABS_PATH_MAX + 1], buf[XENSTORE_PAYLOAD_MAX + 1];
    const char *v[2];
    const struct nrec *n;
    unsigned long off;
    size_t genlen, end;
    int err;

    if (split(r, v, 2) != 2 || parse_uint(v[1], 0xffffffffu, &off))
        return EINVAL;
    err = arg_path(r, v[0], false, path);
    if (!err)
        err = store_lookup(&r->x, path, XS_PERM_READ, &n);
    if (err)
        return err;
    if (off > n->childlen)
        return EINVAL;
    genlen = (size_t)snprintf(buf, sizeof(buf), "%llu", (unsigned long long)n->gen) + 1;
    end = off;
    while (end < n->childlen) {
        size_t l = strnlen(n->children + end, n->childlen - end) + 1;
        if (genlen + end - off + l + 1 > XENSTORE_PAYLOAD_MAX)
            break;
        end += l;
    }
    memcpy(buf + genlen, n->children + off, end - off);
    if (end == n->childlen)
        buf[genlen + end - off] = '\0'; /* empty string: the list is complete */
    xs_reply(r->c, r->h, buf, genlen + end - off + (end == n->childlen));
    return 0;
}

static int do_read(struct req *r)
{
    char path[XENSTORE_ABS_PATH_MAX + 1];
    const struct nrec *n;
    int err = arg_path(r, one_arg(r), false, path);

    if (!err)
        err = store_lookup(&r->x, path, XS_PERM_READ, &n);
    if (!err)
        xs_reply(r->c, r->h, n->value, n->vlen);
    return err;
}

static int do_get_perms(struct req *r)
{
    char path[XENSTORE_ABS_PATH_MAX + 1], buf[XENSTORE_PAYLOAD_MAX];
    const struct nrec *n;
    size_t l;
    int err = arg_path(r, one_arg(r), true, path);

    if (err)
        return err;
    if (path[0] == '@') {
        n = watch_special(path);
        if (!n)
            return ENOENT;
        if (!(perm_for(r->c, n->perms, n->nperms) & XS_PERM_READ))
            return EACCES;
    } else {
        err = store_lookup(&r->x, path, XS_PERM_READ, &n);
        if (err)
            return err;
    }
    l = perms_format(n->perms, n->nperms, buf, sizeof(buf));
    if (l > sizeof(buf))
        return E2BIG;
    xs_reply(r->c, r->h, buf, l);
    return 0;
}

static int do_set_perms(struct req *r)
{
    char path[XENSTORE_ABS_PATH_MAX + 1];
    const char *nul = memchr(r->p, '\0', r->h->len);
    struct xs_perm *p;
    unsigned int np;
    int err;

    if (!nul)
        return EINVAL;
    err = arg_path(r, r->p, true, path);
    if (!err)
        err = perms_parse(nul + 1, r->h->len - (size_t)(nul + 1 - r->p), &p, &np);
    if (err)
        return err;
    if (path[0] == '@') {
        struct nrec *n = watch_special(path);
        if (!n)
            err = ENOENT;
        else if (!(perm_for(r->c, n->perms, n->nperms) & XS_PERM_WRITE))
            err = EACCES;
        else
            nrec_set_perms(n, p, np);
    } else {
        err = store_set_perms(&r->x, path, p, np);
    }
    free(p);
    return err ? err : ok(r);
}

static int do_watch(struct req *r, bool add)
{
    char path[XENSTORE_ABS_PATH_MAX + 1];
    const char *v[2];
    int err;

    if (split(r, v, 2) < 2)
        return EINVAL;
    err = arg_path(r, v[0], true, path);
    if (!err)
        err = add ? watch_add(r->c, v[0], path, v[1]) : watch_remove(r->c, path, v[1]);
    if (err)
        return err;
    ok(r);
    if (add)
        watch_send(r->c, v[0], v[1]);
    return 0;
}

static int do_transaction_start(struct req *r)
{
    char buf[16];
    uint32_t id;
    int err;

    if (r->h->tx_id)
        return EBUSY;
    err = txn_start(r->c, &id);
    if (err)
        return err;
    xs_reply(r->c, r->h, buf, (size_t)snprintf(buf, sizeof(buf), "%u", id) + 1);
    return 0;
}

static int do_transaction_end(struct req *r)
{
    const char *a = one_arg(r);
    int err;

    if (!r->x.tx)
        return ENOENT;
    if (!a || (strcmp(a, "T") && strcmp(a, "F")))
        return EINVAL;
    err = txn_end(r->c, r->x.tx, a[0] == 'T');
    r->x.tx = NULL;
    return err ? err : ok(r);
}

static int do_introduce(struct req *r)
{
    const char *v[3];
    unsigned long domid, gfn, port;

    if (!r->c->privileged)
        return EACCES;
    if (split(r, v, 3) < 3 || parse_uint(v[0], XS_DOMID_MAX, &domid) ||
        parse_uint(v[1], ~0ul, &gfn) || parse_uint(v[2], 0xffffffffu, &port) || !port)
        return EINVAL;
    if (domain_find((unsigned int)domid) && domain_find((unsigned int)domid)->conn == r->c)
        return EINVAL;
    return domain_introduce((unsigned int)domid, gfn, (unsigned int)port) ?: ok(r);
}

static int do_domid_op(struct req *r)
{
    unsigned long domid;
    char buf[40];
    struct domain *d;

    if (parse_uint(one_arg(r), XS_DOMID_MAX, &domid))
        return EINVAL;
    switch (r->h->type) {
    case XS_GET_DOMAIN_PATH:
        xs_reply(r->c, r->h, buf,
                 (size_t)snprintf(buf, sizeof(buf), "/local/domain/%lu", domid) + 1);
        return 0;
    case XS_IS_DOMAIN_INTRODUCED:
        d = domain_find((unsigned int)domid);
        xs_reply(r->c, r->h, (domid == 0 || (d && d->conn)) ? "T" : "F", 2);
        return 0;
    case XS_RELEASE:
        if (!r->c->privileged)
            return EACCES;
        d = domain_find((unsigned int)domid);
        if (domid == 0 || (d && d->conn == r->c))
            return EINVAL;
        return domain_release((unsigned int)domid) ?: ok(r);
    default: /* XS_RESUME */
        if (!r->c->privileged)
            return EACCES;
        return domain_resume((unsigned int)domid) ?: ok(r);
    }
}

static int do_set_target(struct req *r)
{
    const char *v[2];
    unsigned long domid, target;

    if (!r->c->privileged)
        return EACCES;
    if (split(r, v, 2) != 2 || parse_uint(v[0], XS_DOMID_MAX, &domid) ||
        parse_uint(v[1], XS_DOMID_MAX, &target))
        return EINVAL;
    return domain_set_target((unsigned int)domid, (unsigned int)target) ?: ok(r);
}

static int do_write(struct req *r)
{
    char path[XENSTORE_ABS_PATH_MAX + 1];
    const char *nul = memchr(r->p, '\0', r->h->len);
    int err;

    if (!nul)
        return EINVAL;
    err = arg_path(r, r->p, false, path);
    if (!err)
        err = store_write(&r->x, path, nul + 1, r->h->len - (size_t)(nul + 1 - r->p));
    return err ? err : ok(r);
}

static int do_path_op(struct req *r)
{
    char path[XENSTORE_ABS_PATH_MAX + 1];
    int err = arg_path(r, one_arg(r), false, path);

    if (!err)
        err = r->h->type == XS_MKDIR ? store_mkdir(&r->x, path) : store_rm(&r->x, path);
    return err ? err : ok(r);
}

static int do_reset_watches(struct req *r)
{
    watch_free_all(r->c);
    txn_free_all(r->c);
    return ok(r);
}

static bool uses_transaction(uint32_t type)
{
    switch (type) {
    case XS_DIRECTORY:
    case XS_DIRECTORY_PART:
    case XS_READ:
    case XS_GET_PERMS:
    case XS_WRITE:
    case XS_MKDIR:
    case XS_RM:
    case XS_SET_PERMS:
    case XS_TRANSACTION_END:
        return true;
    default:
        return false;
    }
}

static int handle(struct req *r)
{
    switch (r->h->type) {
    case XS_CONTROL:
        return xs_control(r->c, r->h, r->p);
    case XS_DIRECTORY:
        return do_directory(r);
    case XS_DIRECTORY_PART:
        return do_directory_part(r);
    case XS_READ:
        return do_read(r);
    case XS_GET_PERMS:
        return do_get_perms(r);
    case XS_SET_PERMS:
        return do_set_perms(r);
    case XS_WATCH:
        return do_watch(r, true);
    case XS_UNWATCH:
        return do_watch(r, false);
    case XS_TRANSACTION_START:
        return do_transaction_start(r);
    case XS_TRANSACTION_END:
        return do_transaction_end(r);
    case XS_INTRODUCE:
        return do_introduce(r);
    case XS_RELEASE:
    case XS_GET_DOMAIN_PATH:
    case XS_IS_DOMAIN_INTRODUCED:
    case XS_RESUME:
        return do_domid_op(r);
    case XS_SET_TARGET:
        return do_set_target(r);
    case XS_WRITE:
        return do_write(r);
    case XS_MKDIR:
    case XS_RM:
        return do_path_op(r);
    case XS_RESET_WATCHES:
        return do_reset_watches(r);
    default:
        return EINVAL;
    }
}

/* Handle one complete, length-checked message from c. */
void xs_dispatch(struct conn *c, const struct xsd_sockmsg *hdr, const char *payload)
{
    struct req r = {c, hdr, payload, {c, NULL}};
    int err = 0;

    xs_trace("conn %u: req %u type %u tx %u len %u", c->domid, hdr->req_id, hdr->type, hdr->tx_id,
             hdr->len);
    if (hdr->tx_id && uses_transaction(hdr->type)) {
        r.x.tx = txn_find(c, hdr->tx_id);
        if (!r.x.tx)
            err = ENOENT;
    }
    if (!err)
        err = handle(&r);
    if (err)
        xs_reply_error(c, hdr, err);
}
