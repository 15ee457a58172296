/* xguest: the real backend's writes into a new domain's memory (grant copy, or foreign maps). */
#ifndef XTOOLS_GUEST_LOAD_XEN_H
#define XTOOLS_GUEST_LOAD_XEN_H

#include <stddef.h>
#include <stdint.h>

struct xcall;
struct xgnttab;
struct grant_entry_v1;
struct xguest_piece;

/* Zero-initialise, set xc and domid. XGUEST_LOAD=map forces foreign mappings. */
struct xguest_loader {
    struct xcall *xc;
    uint32_t domid;
    struct xgnttab *xg;        /* gntdev, once opened */
    struct grant_entry_v1 *gt; /* the domain's grant frame 0, mapped */
    int no_grants;             /* grant copy unavailable or refused: foreign mappings */
};

/* xguest_backend.write for the real domain; 0, or -1 with errno and *bad. */
int xguest_loader_write(struct xguest_loader *l, const struct xguest_piece *p, size_t n,
                        size_t *bad);
/* Close what the writes opened (the grant entries used are already clear). */
void xguest_loader_done(struct xguest_loader *l);

#endif
