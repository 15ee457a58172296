/* Node records: value bytes, child-name list and permission list of one xenstore node. */
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "util.h"

/* Allocate an empty record with the given perms (copied). */
struct nrec *nrec_new(const struct xs_perm *perms, unsigned int nperms)
{
    struct nrec *r = xcalloc(1, sizeof(*r));

    nrec_set_perms(r, perms, nperms);
    return r;
}

/* Deep copy of r. */
struct nrec *nrec_dup(const struct nrec *r)
{
    struct nrec *d = xcalloc(1, sizeof(*d));

    d->value = xmemdup(r->value, r->vlen);
    d->vlen = r->vlen;
    d->children = xmemdup(r->children, r->childlen);
    d->childlen = r->childlen;
    d->perms = xmemdup(r->perms, r->nperms * sizeof(*r->perms));
    d->nperms = r->nperms;
    d->gen = r->gen;
    return d;
}

/* Free r and everything it owns; NULL is fine. */
void nrec_free(struct nrec *r)
{
    if (!r)
        return;
    free(r->value);
    free(r->children);
    free(r->perms);
    free(r);
}

/* Replace r's value with a copy of len bytes. */
void nrec_set_value(struct nrec *r, const void *v, size_t len)
{
    free(r->value);
    r->value = xmemdup(v, len);
    r->vlen = (uint32_t)len;
}

/* Replace r's perms with a copy. */
void nrec_set_perms(struct nrec *r, const struct xs_perm *p, unsigned int n)
{
    free(r->perms);
    r->perms = xmemdup(p, n * sizeof(*p));
    r->nperms = n;
}

static char *find_child(const struct nrec *r, const char *name)
{
    for (char *c = r->children; c < r->children + r->childlen; c += strlen(c) + 1)
        if (!strcmp(c, name))
            return c;
    return NULL;
}

/* Append child name if absent; true if added. */
bool nrec_add_child(struct nrec *r, const char *name)
{
    size_t l = strlen(name) + 1;

    if (find_child(r, name))
        return false;
    r->children = xrealloc(r->children, r->childlen + l);
    memcpy(r->children + r->childlen, name, l);
    r->childlen += (uint32_t)l;
    return true;
}

/* Remove child name if present; true if removed. */
bool nrec_del_child(struct nrec *r, const char *name)
{
    char *c = find_child(r, name);
    size_t l, tail;

    if (!c)
        return false;
    l = strlen(c) + 1;
    tail = (size_t)(r->children + r->childlen - (c + l));
    memmove(c, c + l, tail);
    r->childlen -= (uint32_t)l;
    return true;
}
