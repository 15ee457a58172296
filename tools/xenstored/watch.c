/* Watches: registration, event matching (subtree, recursive removal, relative form), special nodes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "util.h"

struct watch {
    struct watch *next;
    char *canon;
    char *token;
    size_t rel_prefix; /* bytes of canon to strip in events; 0 for absolute watches */
};

static const char *const special_names[] = {"@introduceDomain", "@releaseDomain"};
static struct nrec *specials[2];

/* Initialise the special nodes (owner dom0, default none). */
void watch_init(void)
{
    static const struct xs_perm p = {0, XS_PERM_NONE};

    watch_fini();
    for (unsigned int i = 0; i < 2; i++)
        specials[i] = nrec_new(&p, 1);
}

/* Free the special nodes. */
void watch_fini(void)
{
    for (unsigned int i = 0; i < 2; i++) {
        nrec_free(specials[i]);
        specials[i] = NULL;
    }
}

/* Perms of a special node ("@..."), or NULL if name is not one. */
struct nrec *watch_special(const char *name)
{
    for (unsigned int i = 0; i < 2; i++)
        if (!strcmp(name, special_names[i]))
            return specials[i];
    return NULL;
}

/* Add a watch (path as given, canonical path, token); 0, EEXIST or E2BIG. */
int watch_add(struct conn *c, const char *given, const char *canon, const char *token)
{
    struct watch *w, **tail = &c->watches;

    for (w = c->watches; w; w = w->next) {
        if (!strcmp(w->canon, canon) && !strcmp(w->token, token))
            return EEXIST;
        tail = &w->next;
    }
    if (!c->privileged && c->nwatches >= xs_quota.watches_per_domain)
        return E2BIG;
    w = xcalloc(1, sizeof(*w));
    w->canon = xstrdup(canon);
    w->token = xstrdup(token);
    if (given[0] != '/' && given[0] != '@')
        w->rel_prefix = strlen(canon) - strlen(given);
    *tail = w;
    c->nwatches++;
    return 0;
}

static void free_watch(struct watch *w)
{
    free(w->canon);
    free(w->token);
    free(w);
}

/* Remove a watch; 0 or ENOENT. */
int watch_remove(struct conn *c, const char *canon, const char *token)
{
    for (struct watch **pp = &c->watches; *pp; pp = &(*pp)->next) {
        struct watch *w = *pp;
        if (!strcmp(w->canon, canon) && !strcmp(w->token, token)) {
            *pp = w->next;
            free_watch(w);
            c->nwatches--;
            return 0;
        }
    }
    return ENOENT;
}

/* Drop every watch of c. */
void watch_free_all(struct conn *c)
{
    while (c->watches) {
        struct watch *w = c->watches;
        c->watches = w->next;
        free_watch(w);
    }
    c->nwatches = 0;
}

/* Queue one XS_WATCH_EVENT "path\0token\0" to c. */
void watch_send(struct conn *c, const char *path, const char *token)
{
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    char *buf = xmalloc(pl + tl);

    memcpy(buf, path, pl);
    memcpy(buf + pl, token, tl);
    conn_send(c, XS_WATCH_EVENT, 0, 0, buf, pl + tl);
    free(buf);
}

static void send_for(struct conn *c, const struct watch *w, const char *path)
{
    if (w->rel_prefix && !strncmp(path, w->canon, w->rel_prefix) && path[w->rel_prefix])
        path += w->rel_prefix;
    watch_send(c, path, w->token);
}

/* Deliver events for a change at path; recursive also fires watches below it. */
void watch_fire(const char *path, const struct xs_perm *p, unsigned int n, bool recursive)
{
    for (struct conn *c = conn_list(); c; c = c->next) {
        if (!(perm_for(c, p, n) & XS_PERM_READ))
            continue;
        for (struct watch *w = c->watches; w; w = w->next) {
            if (w->canon[0] == '@')
                continue;
            if (path_is_child(path, w->canon))
                send_for(c, w, path);
            else if (recursive && path_is_child(w->canon, path))
                send_for(c, w, w->canon);
        }
    }
}

/* Deliver "@introduceDomain" or "@releaseDomain" to connections allowed to read it. */
void watch_fire_special(const char *name)
{
    const struct nrec *r = watch_special(name);

    if (!r)
        return;
    for (struct conn *c = conn_list(); c; c = c->next) {
        if (!(perm_for(c, r->perms, r->nperms) & XS_PERM_READ))
            continue;
        for (struct watch *w = c->watches; w; w = w->next)
            if (!strcmp(w->canon, name))
                watch_send(c, name, w->token);
    }
}
