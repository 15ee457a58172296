/* The main node database: absolute path -> record, generation counter, per-owner node counts. */
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "util.h"

static struct hmap db;
static uint64_t next_gen;
static uint32_t owned[0x10000];

static void owner_adjust(const struct nrec *r, int delta)
{
    if (r && r->nperms)
        owned[r->perms[0].id & 0xffff] += (uint32_t)delta;
}

static void free_rec(void *p)
{
    nrec_free(p);
}

/* Create the base tree: "/", "/tool", "/tool/xenstored" (owner dom0, default none). */
void db_init(void)
{
    static const struct xs_perm root_perm = {0, XS_PERM_NONE};
    struct nrec *r;

    db_fini();
    r = nrec_new(&root_perm, 1);
    nrec_add_child(r, "tool");
    db_put("/", r);
    r = nrec_new(&root_perm, 1);
    nrec_add_child(r, "xenstored");
    db_put("/tool", r);
    db_put("/tool/xenstored", nrec_new(&root_perm, 1));
}

/* Drop the whole database. */
void db_fini(void)
{
    hmap_clear(&db, free_rec);
    memset(owned, 0, sizeof(owned));
    next_gen = 0;
}

/* Record at absolute path, or NULL. */
const struct nrec *db_get(const char *path)
{
    return hmap_get(&db, path);
}

/* Store rec (ownership taken) at path with a fresh generation. */
void db_put(const char *path, struct nrec *rec)
{
    struct nrec *old;

    rec->gen = ++next_gen;
    owner_adjust(rec, 1);
    old = hmap_put(&db, path, rec);
    owner_adjust(old, -1);
    nrec_free(old);
}

/* Delete the record at path (not its children). */
void db_del(const char *path)
{
    struct nrec *old = hmap_del(&db, path);

    owner_adjust(old, -1);
    nrec_free(old);
}

/* Number of nodes whose owner is domid. */
unsigned int db_owned(unsigned int domid)
{
    return owned[domid & 0xffff];
}

/* Number of nodes in the database. */
size_t db_count(void)
{
    return db.count;
}

/* The database map itself, for iteration. */
const struct hmap *db_map(void)
{
    return &db;
}
