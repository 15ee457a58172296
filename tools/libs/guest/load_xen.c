/* xguest: writing a new domain's frames from dom0, by grant copy through temporary entries of
 * the domain's own grant table, or (fallback) through foreign mappings of just those frames. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xenolith/fmem.h>
#include <xenolith/gnttab.h>
#include <public/grant_table.h>
#include <public/memory.h>

#include "guest/guest_priv.h"
#include "guest/load_xen.h"

#define FRAME       4096UL
#define GRANT_FIRST GNTTAB_NR_RESERVED_ENTRIES /* entries 0..7 are not ours to use */
#define GRANT_SLOTS (FRAME / sizeof(struct grant_entry_v1) - GRANT_FIRST)
#define MAP_MAX     4096U /* frames per foreign mapping */
#define TOOLS_DOMID 0     /* the toolstack (the copier) runs in dom0 */

static int use_grants(struct xguest_loader *l)
{
    const char *mode = getenv("XGUEST_LOAD");

    if (l->xg || l->no_grants)
        return l->xg != NULL;
    if (mode && !strcmp(mode, "map")) {
        l->no_grants = 1;
        return 0;
    }
    l->xg = xgnttab_open();
    if (l->xg)
        l->gt =
            xfmem_map_resource(l->xc, l->domid, XENMEM_resource_grant_table,
                               XENMEM_resource_grant_table_id_shared, 0, 1, PROT_READ | PROT_WRITE);
    if (!l->gt) {
        xguest_tracef("load: grant copy unavailable (%s), using foreign mappings", strerror(errno));
        xgnttab_close(l->xg);
        l->xg = NULL;
        l->no_grants = 1;
    }
    return l->xg != NULL;
}

/* Up to GRANT_SLOTS pieces: grant each frame to dom0, copy, withdraw the grants. */
static int grant_chunk(struct xguest_loader *l, const struct xguest_piece *p, size_t n, size_t *bad)
{
    struct xgnttab_write *w = malloc(n * sizeof(*w));
    volatile struct grant_entry_v1 *g = (volatile struct grant_entry_v1 *)l->gt + GRANT_FIRST;
    int rc, e;

    if (!w) {
        *bad = 0;
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        g[i].domid = TOOLS_DOMID;
        g[i].frame = (uint32_t)p[i].gfn;
        w[i] = (struct xgnttab_write){p[i].src, (uint32_t)(GRANT_FIRST + i), p[i].off, p[i].len};
    }
    /* An entry is valid only once its domid and frame are in place. */
    atomic_thread_fence(memory_order_release);
    for (size_t i = 0; i < n; i++)
        g[i].flags = GTF_permit_access;
    rc = xgnttab_copy_to_batch(l->xg, l->domid, w, n, bad);
    e = errno;
    for (size_t i = 0; i < n; i++)
        g[i].flags = 0;
    atomic_thread_fence(memory_order_release);
    for (size_t i = 0; i < n; i++) {
        g[i].domid = 0;
        g[i].frame = 0;
    }
    free(w);
    errno = e;
    return rc;
}

/* Up to MAP_MAX pieces: map their frames (each once) in one go, copy, unmap. */
static int map_chunk(struct xguest_loader *l, const struct xguest_piece *p, size_t n, size_t *bad)
{
    uint64_t *gfns = malloc(n * sizeof(*gfns));
    size_t nr = 0, *slot = malloc(n * sizeof(*slot));
    uint8_t *map = NULL;
    int rc = -1, e;

    *bad = 0;
    if (gfns && slot) {
        for (size_t i = 0; i < n; i++) {
            if (!nr || gfns[nr - 1] != p[i].gfn)
                gfns[nr++] = p[i].gfn;
            slot[i] = nr - 1;
        }
        map = xfmem_map(l->xc, l->domid, PROT_READ | PROT_WRITE, nr, gfns, NULL);
    }
    if (map) {
        for (size_t i = 0; i < n; i++)
            memcpy(map + slot[i] * FRAME + p[i].off, p[i].src, p[i].len);
        rc = xfmem_unmap(map, nr);
    }
    e = errno;
    free(gfns);
    free(slot);
    errno = e;
    return rc;
}

int xguest_loader_write(struct xguest_loader *l, const struct xguest_piece *p, size_t n,
                        size_t *bad)
{
    int grants = use_grants(l);
    size_t max = grants ? GRANT_SLOTS : MAP_MAX;

    for (size_t done = 0; done < n;) {
        size_t k = n - done < max ? n - done : max, b = 0;
        int rc = grants ? grant_chunk(l, p + done, k, &b) : map_chunk(l, p + done, k, &b);

        if (rc) {
            *bad = done + b;
            return -1;
        }
        done += k;
    }
    return 0;
}

void xguest_loader_done(struct xguest_loader *l)
{
    int e = errno;

    if (l->gt)
        xfmem_unmap(l->gt, 1);
    xgnttab_close(l->xg);
    l->gt = NULL;
    l->xg = NULL;
    l->no_grants = 0;
    errno = e;
}
