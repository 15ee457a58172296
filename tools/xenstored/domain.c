/* Domains: INTRODUCE/RELEASE/SET_TARGET, cleanup of a released domain's nodes, special events. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "util.h"

static struct domain *domains;
static struct ring_backend *backend;

/* Backend used for INTRODUCE (NULL: INTRODUCE fails with EINVAL). */
void domain_set_backend(struct ring_backend *b)
{
    backend = b;
}

/* The backend set by domain_set_backend. */
struct ring_backend *domain_backend(void)
{
    return backend;
}

/* Known domain, or NULL. */
struct domain *domain_find(unsigned int domid)
{
    for (struct domain *d = domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

/* Domain whose local port is port, or NULL. */
struct domain *domain_by_port(int port)
{
    for (struct domain *d = domains; d; d = d->next)
        if (d->port == port)
            return d;
    return NULL;
}

static struct domain *domain_new(unsigned int domid, void *page, int port, bool mapped)
{
    struct domain *d = xcalloc(1, sizeof(*d));

    d->domid = domid;
    d->page = page;
    d->port = port;
    d->target = -1;
    d->mapped_by_us = mapped;
    d->next = domains;
    domains = d;
    ring_conn_new(d);
    return d;
}

/* Attach an already-mapped page and bound port (dom0's own ring); 0 or errno. */
int domain_attach(unsigned int domid, void *page, int port)
{
    if (domain_find(domid))
        return EEXIST;
    domain_new(domid, page, port, false);
    return 0;
}

/* INTRODUCE; 0 or errno. Fires @introduceDomain for a new non-dom0 domain. */
int domain_introduce(unsigned int domid, unsigned long gfn, unsigned int port)
{
    struct domain *d = domain_find(domid);
    void *page;
    int local;

    if (!backend)
        return EINVAL;
    if (d) {
        /* Re-introduction: only the event channel is bound again. */
        if (d->port >= 0)
            backend->unbind(backend, d->port);
        d->port = backend->bind(backend, domid, port);
        if (d->port < 0)
            return EINVAL;
        if (!d->conn)
            ring_conn_new(d);
        return 0;
    }
    page = backend->map(backend, domid, gfn);
    if (!page)
        return EINVAL;
    local = backend->bind(backend, domid, port);
    if (local < 0) {
        backend->unmap(backend, page);
        return EINVAL;
    }
    domain_new(domid, page, local, true);
    if (domid != 0)
        watch_fire_special("@introduceDomain");
    return 0;
}

static void domain_free(struct domain *d)
{
    for (struct domain **pp = &domains; *pp; pp = &(*pp)->next) {
        if (*pp == d) {
            *pp = d->next;
            break;
        }
    }
    if (d->conn)
        conn_free(d->conn);
    if (backend && d->port >= 0)
        backend->unbind(backend, d->port);
    if (backend && d->mapped_by_us && d->page)
        backend->unmap(backend, d->page);
    free(d);
}

struct scan {
    unsigned int domid;
    char **owned;
    size_t nowned;
    char **listed;
    size_t nlisted;
};

static void scan_one(const char *path, void *val, void *arg)
{
    const struct nrec *r = val;
    struct scan *s = arg;

    if (r->perms[0].id == s->domid) {
        s->owned = xrealloc(s->owned, (s->nowned + 1) * sizeof(char *));
        s->owned[s->nowned++] = xstrdup(path);
        return;
    }
    for (uint32_t i = 1; i < r->nperms; i++) {
        if (r->perms[i].id == s->domid) {
            s->listed = xrealloc(s->listed, (s->nlisted + 1) * sizeof(char *));
            s->listed[s->nlisted++] = xstrdup(path);
            return;
        }
    }
}

static int by_length(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

    return la < lb ? -1 : la > lb;
}

/* Delete nodes owned by domid and strip it from other nodes' permission lists. */
static void forget_nodes(unsigned int domid)
{
    struct conn priv = {.privileged = true};
    struct xs_ctx x = {&priv, NULL};
    struct scan s = {.domid = domid};

    hmap_foreach(db_map(), scan_one, &s);
    if (s.nowned)
        qsort(s.owned, s.nowned, sizeof(char *), by_length);
    for (size_t i = 0; i < s.nowned; i++) {
        if (db_get(s.owned[i]))
            store_rm(&x, s.owned[i]);
        free(s.owned[i]);
    }
    for (size_t i = 0; i < s.nlisted; i++) {
        const struct nrec *r = db_get(s.listed[i]);
        if (r) {
            struct nrec *n = nrec_dup(r);
            uint32_t k = 1;
            for (uint32_t j = 1; j < n->nperms; j++)
                if (n->perms[j].id != domid)
                    n->perms[k++] = n->perms[j];
            n->nperms = k;
            db_put(s.listed[i], n);
        }
        free(s.listed[i]);
    }
    free(s.owned);
    free(s.listed);
}

/* Drop d's connection, ring and port, and the nodes it owns (which frees its quota). */
static void domain_forget(struct domain *d)
{
    unsigned int domid = d->domid;

    domain_free(d);
    forget_nodes(domid);
}

/* RELEASE: drop connection, delete nodes the domain owns, fire @releaseDomain; 0 or ENOENT. */
int domain_release(unsigned int domid)
{
    struct domain *d = domain_find(domid);

    if (!d)
        return ENOENT;
    domain_forget(d);
    watch_fire_special("@releaseDomain");
    return 0;
}

/* RESUME: the domain may fire @releaseDomain for a shutdown again; 0 or ENOENT. */
int domain_resume(unsigned int domid)
{
    struct domain *d = domain_find(domid);

    if (!d)
        return ENOENT;
    d->shutdown = false;
    return 0;
}

/* VIRQ_DOM_EXC: release dying/vanished domains, mark shut-down ones; one @releaseDomain. */
void domain_check_all(void)
{
    bool changed = false, again = true;

    if (!backend || !backend->state)
        return;
    while (again) { /* restart after each release: the list changed under us */
        again = false;
        for (struct domain *d = domains; d; d = d->next) {
            int st;

            if (d->domid == 0)
                continue;
            st = backend->state(backend, d->domid);
            if (st == DOM_SHUTDOWN && !d->shutdown) {
                d->shutdown = true;
                changed = true;
            } else if (st == DOM_DYING || st == DOM_GONE) {
                xs_trace("domain %u is %s: released", d->domid, st == DOM_DYING ? "dying" : "gone");
                domain_forget(d);
                changed = again = true;
                break;
            }
        }
    }
    if (changed)
        watch_fire_special("@releaseDomain");
}

/* An event on local port: VIRQ_DOM_EXC checks the domains, a ring port services its ring. */
void domain_port_fired(int port)
{
    struct domain *d;

    if (backend && port == backend->virq_port) {
        domain_check_all();
        return;
    }
    d = domain_by_port(port);
    if (d && d->conn)
        ring_conn_service(d->conn);
}

/* SET_TARGET; 0 or ENOENT. */
int domain_set_target(unsigned int domid, unsigned int target)
{
    struct domain *d = domain_find(domid);

    if (!d)
        return ENOENT;
    d->target = (int)target;
    return 0;
}

/* Release every domain (shutdown/tests). */
void domain_free_all(void)
{
    while (domains)
        domain_free(domains);
}
