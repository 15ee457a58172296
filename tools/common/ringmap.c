/* Mapping a guest ring page by grant with a foreign-mapping fallback. */
#include <errno.h>
#include <sys/mman.h>

#include <xenolith/fmem.h>
#include <xenolith/gnttab.h>

#include "ringmap.h"

/* Map domid's ring by grant ref, else by gfn; 0 or -1 with errno. */
int ringmap_map(struct ringmap *m, struct xgnttab *xg, struct xcall *xc, uint32_t domid,
                uint32_t ref, uint64_t gfn)
{
    int err = ENODEV;

    m->page = NULL;
    m->by_grant = false;
    if (xg) {
        m->page = xgnttab_map(xg, domid, ref, PROT_READ | PROT_WRITE);
        if (m->page) {
            m->by_grant = true;
            return 0;
        }
        err = errno;
    }
    if (xc) {
        m->page = xfmem_map(xc, domid, PROT_READ | PROT_WRITE, 1, &gfn, NULL);
        if (m->page)
            return 0;
        err = errno;
    }
    errno = err;
    return -1;
}

/* Unmap what ringmap_map mapped. */
void ringmap_unmap(struct ringmap *m, struct xgnttab *xg)
{
    if (!m->page)
        return;
    if (m->by_grant)
        xgnttab_unmap(xg, m->page, 1);
    else
        xfmem_unmap(m->page, 1);
    m->page = NULL;
}
