/* String-keyed hash map with chaining, used for the node database and transaction views. */
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "util.h"

struct hent {
    struct hent *next;
    uint32_t hash;
    void *val;
    char key[];
};

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;

    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 16777619u;
    }
    return h;
}

static struct hent **find_slot(const struct hmap *m, const char *key, uint32_t h)
{
    struct hent **pp;

    if (!m->nbuckets)
        return NULL;
    for (pp = &m->buckets[h & (m->nbuckets - 1)]; *pp; pp = &(*pp)->next)
        if ((*pp)->hash == h && !strcmp((*pp)->key, key))
            return pp;
    return NULL;
}

static void grow(struct hmap *m)
{
    size_t n = m->nbuckets ? m->nbuckets * 2 : 64;
    struct hent **nb = xcalloc(n, sizeof(*nb));

    for (size_t i = 0; i < m->nbuckets; i++) {
        struct hent *e = m->buckets[i], *next;
        for (; e; e = next) {
            next = e->next;
            e->next = nb[e->hash & (n - 1)];
            nb[e->hash & (n - 1)] = e;
        }
    }
    free(m->buckets);
    m->buckets = nb;
    m->nbuckets = n;
}

/* Value stored under key, or NULL. */
void *hmap_get(const struct hmap *m, const char *key)
{
    struct hent **pp = find_slot(m, key, hash_str(key));

    return pp ? (*pp)->val : NULL;
}

/* Store val under a copy of key; returns the replaced value or NULL. */
void *hmap_put(struct hmap *m, const char *key, void *val)
{
    uint32_t h = hash_str(key);
    struct hent **pp = find_slot(m, key, h);
    struct hent *e;
    size_t klen = strlen(key);

    if (pp) {
        void *old = (*pp)->val;
        (*pp)->val = val;
        return old;
    }
    if (m->count + 1 > m->nbuckets * 3 / 4)
        grow(m);
    e = xmalloc(sizeof(*e) + klen + 1);
    memcpy(e->key, key, klen + 1);
    e->hash = h;
    e->val = val;
    e->next = m->buckets[h & (m->nbuckets - 1)];
    m->buckets[h & (m->nbuckets - 1)] = e;
    m->count++;
    return NULL;
}

/* Remove key; returns its value or NULL. */
void *hmap_del(struct hmap *m, const char *key)
{
    struct hent **pp = find_slot(m, key, hash_str(key));
    struct hent *e;
    void *val;

    if (!pp)
        return NULL;
    e = *pp;
    *pp = e->next;
    val = e->val;
    free(e);
    m->count--;
    return val;
}

/* Call fn for every entry; fn must not modify the map. */
void hmap_foreach(const struct hmap *m, void (*fn)(const char *key, void *val, void *arg),
                  void *arg)
{
    for (size_t i = 0; i < m->nbuckets; i++)
        for (struct hent *e = m->buckets[i]; e; e = e->next)
            fn(e->key, e->val, arg);
}

/* Free every entry (freeval may be NULL) and the table. */
void hmap_clear(struct hmap *m, void (*freeval)(void *))
{
    for (size_t i = 0; i < m->nbuckets; i++) {
        struct hent *e = m->buckets[i], *next;
        for (; e; e = next) {
            next = e->next;
            if (freeval)
                freeval(e->val);
            free(e);
        }
    }
    free(m->buckets);
    m->buckets = NULL;
    m->nbuckets = 0;
    m->count = 0;
}
