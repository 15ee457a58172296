/* Grant tables v1: active grants, maptrack handles, and the workers behind grant_table_op. */
#ifndef HV_GRANT_H
#define HV_GRANT_H

#include <hv/domain.h>
#include <public/grant_table.h>

#define GRANT_PER_FRAME    (PAGE_SIZE / sizeof(struct grant_entry_v1)) /* 512 */
#define MAPTRACK_PER_FRAME 256 /* Xen's 16-byte entries per maptrack frame: sets the limit */
#define MAPTRACK_NONE      0xffffffffu
#define GNTTAB_PREEMPT_OPS 256 /* map/unmap/copy ops per invocation before a continuation */

/* A granter's ref that another domain uses right now (maps or copies); granter's grant_lock. */
struct grant_active {
    uint64_t mfn;     /* the granted frame, looked up when the first pin was taken */
    uint16_t domid;   /* the domain holding the pins */
    uint16_t rd_pins; /* read-only maps and copy sources */
    uint16_t wr_pins; /* writable maps and copy destinations */
    uint16_t _pad;
};

/* One GNTTABOP_map_grant_ref mapping, named by its handle; the mapper's maptrack_lock. */
struct grant_maptrack {
    uint64_t gfn;            /* where it sits in the mapper's physmap */
    uint64_t mfn;            /* the frame mapped */
    uint64_t granter_serial; /* grant_state.serial of the granter at map time */
    uint32_t ref;            /* the granted ref; while free: the next free handle */
    uint16_t domid;          /* the granter */
    uint16_t flags;          /* GNTMAP_* of a live mapping, MAPTRACK_RESERVED, or 0 when free */
};
#define MAPTRACK_RESERVED  0x8000 /* handle handed out, mapping not finished yet */
#define MAPTRACK_PER_CHUNK (PAGE_SIZE / sizeof(struct grant_maptrack))

/* Per-domain grant state beyond the shared frames (struct domain.grant). */
struct grant_state {
    uint64_t serial; /* never reused: tells this domain from a later one with the same id */
    /* Active entries, GRANT_PER_FRAME per grant frame, allocated on first pin (grant_lock). */
    struct grant_active *active[GRANT_MAX_FRAMES];
    /* This domain's mappings of other domains' grants. maptrack_lock is taken before any
     * domain's grant_lock, never inside one. */
    spinlock_t maptrack_lock;
    struct grant_maptrack **maptrack; /* chunks of MAPTRACK_PER_CHUNK entries */
    uint32_t nr_maptrack;             /* handles that exist (allocated chunks) */
    uint32_t maptrack_free;           /* first free handle or MAPTRACK_NONE */
};

/* Grant frames d may have (its createdomain limit; GRANT_MAX_FRAMES for dom0). */
unsigned int gnttab_max_frames(const struct domain *d);
/* Maptrack handles d may have (its createdomain limit; Xen's default for dom0). */
uint32_t gnttab_max_maptrack(const struct domain *d);
/* d's grant state, created if needed; caller holds d->grant_lock. NULL on allocation failure. */
struct grant_state *grant_state_locked(struct domain *d);

/*
 * Pin granter rd's ref for domain ldomid, read-only or writable, as Xen: the shared entry must
 * permit access to ldomid (and not be GTF_readonly for a writable pin); GTF_reading/GTF_writing
 * are set in it. for_map also refuses GTF_sub_page entries. On GNTST_okay *mfn is the granted
 * frame and the caller holds one frame reference on it (frame_put when done). Other GNTST_*
 * codes leave nothing pinned or referenced.
 */
int16_t grant_pin(struct domain *rd, uint32_t ref, domid_t ldomid, bool readonly, bool for_map,
                  uint64_t *mfn);
/* Drop one pin of rd's ref (clearing GTF_writing/GTF_reading when the last one goes). */
void grant_unpin(struct domain *rd, uint32_t ref, bool readonly);
/* Find domain domid for a grant op of cur (DOMID_SELF allowed if self_ok); toolstack lock
 * held. NULL if there is none. */
struct domain *grant_domain(struct domain *cur, domid_t domid, bool self_ok);

/*
 * Grow d's table to cover frames [frame, frame + n) (within gnttab_max_frames) and take a frame
 * reference on each for the caller (XENMEM_acquire_resource); 0 or -XEN_EINVAL / -XEN_ENOMEM /
 * -XEN_EBUSY with no reference held.
 */
int gnttab_get_frames(struct domain *d, uint32_t frame, uint32_t n, uint64_t *mfns);
/*
 * One op of a map/unmap/copy batch, its struct at guest address at: copy it in, run it, write
 * its results back; 0 or -XEN_EFAULT. Called with the toolstack lock held.
 */
typedef long (*gnttab_op_fn)(struct vcpu *v, uint64_t at);
/* GNTTABOP_map_grant_ref (hv/common/grant_map.c). */
long gnttab_map_one(struct vcpu *v, uint64_t at);
/* GNTTABOP_unmap_grant_ref (hv/common/grant_map.c). */
long gnttab_unmap_one(struct vcpu *v, uint64_t at);
/* GNTTABOP_copy (hv/common/grant_copy.c). */
long gnttab_copy_one(struct vcpu *v, uint64_t at);
/*
 * Domain destruction (toolstack lock held): un-pin every grant d has mapped from others (the
 * physmap entries go with d's p2m), then free d's maptrack and active entries. Mappings others
 * hold of d's grants stay valid; their unmap no longer finds d.
 */
void gnttab_release_mappings(struct domain *d);

#endif
