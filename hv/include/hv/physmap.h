/* A domain's physmap as the memory and grant hypercalls see it (the arch p2m implements it). */
#ifndef HV_PHYSMAP_H
#define HV_PHYSMAP_H

#include <hv/types.h>

struct domain;

/*
 * What a guest frame holds. Who owns the page behind it, and what removing the entry does:
 *   RAM      the domain's own memory, counted in tot_pages; removal frees it (frame_release)
 *   XEN      a hypervisor page placed with add_to_physmap (shared_info, a grant frame);
 *            removal only unhooks it
 *   FOREIGN  another domain's page (add_to_physmap_batch, acquire_resource); the entry holds
 *            a frame reference, removal drops it
 *   GRANT    a grant mapping; holds a frame reference like FOREIGN, but only
 *            GNTTABOP_unmap_grant_ref (or the domain's death) removes it
 */
enum physmap_type {
    PHYSMAP_HOLE = 0,
    PHYSMAP_XEN,
    PHYSMAP_RAM,
    PHYSMAP_FOREIGN,
    PHYSMAP_GRANT,
};

#define PHYSMAP_BIT(t)  (1u << (t))
#define PHYSMAP_OWNED   (PHYSMAP_BIT(PHYSMAP_RAM) | PHYSMAP_BIT(PHYSMAP_XEN))
#define PHYSMAP_PRESENT (PHYSMAP_OWNED | PHYSMAP_BIT(PHYSMAP_FOREIGN) | PHYSMAP_BIT(PHYSMAP_GRANT))
#define PHYSMAP_ANY_MFN (~0ULL)

struct physmap_entry {
    uint64_t mfn;
    enum physmap_type type;
    bool readonly; /* the guest may not write through this entry */
};

/* Guest frames are below 2^PHYSMAP_GFN_BITS (4-level nested paging, 48-bit addresses). */
#define PHYSMAP_GFN_BITS 36

/* Read d's entry at gfn (type PHYSMAP_HOLE when there is none). */
void physmap_lookup(struct domain *d, uint64_t gfn, struct physmap_entry *e);

/*
 * Take a frame reference on the page at d's gfn, if its entry type is in types (PHYSMAP_BIT
 * mask) and, with write, the entry is writable. The reference is taken under the p2m lock, so
 * the page cannot be freed before the caller's frame_put(). Returns the entry type (> 0) with
 * *mfn set, or -XEN_EINVAL (hole or other type) / -XEN_EACCES (read-only) / -XEN_EBUSY (count
 * saturated).
 */
int physmap_get_page(struct domain *d, uint64_t gfn, unsigned int types, bool write, uint64_t *mfn);

/*
 * Put e at d's gfn. A RAM or XEN entry already there is replaced (RAM is released as by
 * physmap_remove, tot_pages lowered); FOREIGN and GRANT entries are never replaced
 * (-XEN_EPERM). For FOREIGN/GRANT the caller passes its frame reference to the entry; for RAM
 * the caller has already counted the page in tot_pages. *old (optional) gets what was there.
 * 0, or -XEN_EINVAL (gfn too large) / -XEN_EPERM / -XEN_ENOMEM (table page), with nothing
 * changed and the caller still owning what e refers to.
 */
int physmap_set(struct domain *d, uint64_t gfn, const struct physmap_entry *e,
                struct physmap_entry *old);

/*
 * Remove d's entry at gfn if its type is in types and (unless mfn is PHYSMAP_ANY_MFN) it maps
 * mfn, then release it after the guest's TLBs are flushed: RAM is freed (tot_pages lowered),
 * FOREIGN/GRANT drop their frame reference, XEN is only unhooked. *old (optional) gets the entry
 * found (removed or not). 0, or -XEN_ENOENT when nothing matching was there.
 */
int physmap_remove(struct domain *d, uint64_t gfn, unsigned int types, uint64_t mfn,
                   struct physmap_entry *old);

/*
 * Count n more pages in d's tot_pages if that stays within max_pages (the caller then adds
 * them with physmap_set or physmap_keep_unmapped); true if counted.
 */
bool physmap_reserve_pages(struct domain *d, uint64_t n);
/* Give back n pages counted by physmap_reserve_pages that were not used. */
void physmap_unreserve_pages(struct domain *d, uint64_t n);
/*
 * Keep a counted RAM page of d that has no guest frame (XENMEM_increase_reservation on a
 * translated domain): it is freed with the domain.
 */
void physmap_keep_unmapped(struct domain *d, void *page);

#endif
