/* Ring pages mapped by grant with a foreign-mapping fallback, remembered for the right unmap. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <xenolith/fmem.h>
#include <xenolith/gnttab.h>

#include "ringmap.h"

struct ringmap {
    struct ringmap *next;
    void *page;
    bool by_grant;
};

/* Map domid's ring by grant ref, else by gfn; the address or NULL with errno. */
void *ringmaps_map(struct ringmaps *s, uint32_t domid, uint32_t ref, uint64_t gfn)
{
    struct ringmap *m = calloc(1, sizeof(*m));
    int err = ENODEV;

    if (!m)
        return NULL;
    if (s->xg) {
        m->page = xgnttab_map(s->xg, domid, ref, PROT_READ | PROT_WRITE);
        m->by_grant = m->page != NULL;
        err = errno;
    }
    if (!m->page && s->xc) {
        m->page = xfmem_map(s->xc, domid, PROT_READ | PROT_WRITE, 1, &gfn, NULL);
        err = errno;
    }
    if (!m->page) {
        free(m);
        errno = err;
        return NULL;
    }
    m->next = s->list;
    s->list = m;
    return m->page;
}

/* Unmap page the way it was mapped. */
void ringmaps_unmap(struct ringmaps *s, void *page)
{
    for (struct ringmap **pp = &s->list; *pp; pp = &(*pp)->next) {
        struct ringmap *m = *pp;
        if (m->page != page)
            continue;
        if (m->by_grant)
            xgnttab_unmap(s->xg, page, 1);
        else
            xfmem_unmap(page, 1);
        *pp = m->next;
        free(m);
        return;
    }
}
