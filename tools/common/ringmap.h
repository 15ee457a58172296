/* Guests' shared ring pages in dom0: mapped through a reserved grant, else through their gfn. */
#ifndef TOOLS_COMMON_RINGMAP_H
#define TOOLS_COMMON_RINGMAP_H

#include <stdint.h>

struct xcall;
struct xgnttab;
struct ringmap;

/* The handles to map with (either may be NULL) and the pages mapped through them. */
struct ringmaps {
    struct xgnttab *xg; /* gntdev: grant maps */
    struct xcall *xc;   /* privcmd: foreign maps */
    struct ringmap *list;
};

/*
 * Map domid's ring page read/write: grant ref through xg first (as C xenstored/xenconsoled do
 * with the reserved grants 0 = console, 1 = xenstore), then gfn through xc. The address, or NULL
 * with errno from the last attempt.
 */
void *ringmaps_map(struct ringmaps *s, uint32_t domid, uint32_t ref, uint64_t gfn);

/* Unmap a page from ringmaps_map the way it was mapped (unknown pages are ignored). */
void ringmaps_unmap(struct ringmaps *s, void *page);

#endif
