/* A guest's shared ring page in dom0: mapped through its reserved grant, else its gfn. */
#ifndef TOOLS_COMMON_RINGMAP_H
#define TOOLS_COMMON_RINGMAP_H

#include <stdbool.h>
#include <stdint.h>

struct xcall;
struct xgnttab;

struct ringmap {
    void *page;    /* one 4 KiB page, read/write; NULL when not mapped */
    bool by_grant; /* mapped through gntdev (else foreign-mapped through privcmd) */
};

/*
 * Map domid's ring: grant ref through xg first (as C xenstored/xenconsoled do with the reserved
 * grants 0 = console, 1 = xenstore), then gfn through xc. Either handle may be NULL.
 * 0, or -1 with errno from the last attempt.
 */
int ringmap_map(struct ringmap *m, struct xgnttab *xg, struct xcall *xc, uint32_t domid,
                uint32_t ref, uint64_t gfn);

/* Unmap what ringmap_map mapped (no-op if nothing is). */
void ringmap_unmap(struct ringmap *m, struct xgnttab *xg);

#endif
