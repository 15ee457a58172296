/* grant_table_op (hypercall 20): sub-ops, grant entries, flags, status codes and op structs. */
#ifndef XENOLITH_PUBLIC_GRANT_TABLE_H
#define XENOLITH_PUBLIC_GRANT_TABLE_H

#include "xen.h"

#define GNTTABOP_map_grant_ref     0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table       2
#define GNTTABOP_dump_table        3
#define GNTTABOP_transfer          4
#define GNTTABOP_copy              5
#define GNTTABOP_query_size        6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version       8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* The first entries are reserved for the toolstack. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* grant_entry_v1.flags: type in bits 1:0. */
#define GTF_invalid         0
#define GTF_permit_access   1
#define GTF_accept_transfer 2
#define GTF_transitive      3
#define GTF_type_mask       3
/* Further flag bits for permit_access entries. */
#define _GTF_readonly 2
#define GTF_readonly  (1 << _GTF_readonly) /* granter: mapping must be read-only */
#define _GTF_reading  3
#define GTF_reading   (1 << _GTF_reading) /* hypervisor: grantee is reading */
#define _GTF_writing  4
#define GTF_writing   (1 << _GTF_writing) /* hypervisor: grantee is writing */
#define _GTF_PWT      5
#define GTF_PWT       (1 << _GTF_PWT)
#define _GTF_PCD      6
#define GTF_PCD       (1 << _GTF_PCD)
#define _GTF_PAT      7
#define GTF_PAT       (1 << _GTF_PAT)
#define _GTF_sub_page 8
#define GTF_sub_page  (1 << _GTF_sub_page) /* v2 only */
/* Flag bits for accept_transfer entries. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1 << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1 << _GTF_transfer_completed)

/* gnttab_copy.flags */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask (0xFFFFFFFFu << _GNTMAP_guest_avail0)

/* gnttab_cache_flush.op */
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)

/* Per-op status codes (the hypercall itself returns 0). */
#define GNTST_okay              0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

#ifndef __ASSEMBLY__

#include <stdint.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;
typedef uint16_t grant_status_t; /* v2 status frame entry */

/* Version-1 grant entry (8 bytes); the guest writes domid and frame before flags. */
struct grant_entry_v1 {
    uint16_t flags; /* GTF_* */
    domid_t domid;  /* domain allowed to use the grant */
    uint32_t frame; /* granted frame */
};

/* Common head of a version-2 grant entry. */
struct grant_entry_header {
    uint16_t flags;
    domid_t domid;
};

/* Version-2 grant entry (16 bytes). */
union grant_entry_v2 {
    struct grant_entry_header hdr;
    struct {
        struct grant_entry_header hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {
        struct grant_entry_header hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {
        struct grant_entry_header hdr;
        domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];
};

/* GNTTABOP_map_grant_ref */
struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags; /* GNTMAP_* */
    grant_ref_t ref;
    domid_t dom;
    int16_t status;        /* OUT: GNTST_* */
    grant_handle_t handle; /* OUT */
    uint64_t dev_bus_addr; /* OUT */
};

/* GNTTABOP_unmap_grant_ref */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status; /* OUT */
    uint16_t _pad0;
};

/* GNTTABOP_setup_table */
struct gnttab_setup_table {
    domid_t dom;
    uint16_t _pad0;
    uint32_t nr_frames;
    int16_t status; /* OUT */
    uint16_t _pad1[3];
    uint64_t frame_list; /* guest pointer to xen_pfn_t[nr_frames], OUT */
};

/* GNTTABOP_dump_table */
struct gnttab_dump_table {
    domid_t dom;
    int16_t status; /* OUT */
};

/* GNTTABOP_transfer */
struct gnttab_transfer {
    xen_pfn_t mfn;
    domid_t domid;
    uint16_t _pad0;
    grant_ref_t ref;
    int16_t status; /* OUT */
    uint16_t _pad1[3];
};

/* One side of a GNTTABOP_copy. */
struct gnttab_copy_ptr {
    union {
        grant_ref_t ref; /* with GNTCOPY_*_gref */
        xen_pfn_t gmfn;  /* otherwise */
    } u;
    domid_t domid;
    uint16_t offset;
    uint32_t _pad0;
};

/* GNTTABOP_copy */
struct gnttab_copy {
    struct gnttab_copy_ptr source;
    struct gnttab_copy_ptr dest;
    uint16_t len;
    uint16_t flags; /* GNTCOPY_* */
    int16_t status; /* OUT */
    uint16_t _pad0;
};

/* GNTTABOP_query_size */
struct gnttab_query_size {
    domid_t dom;
    uint16_t _pad0;
    uint32_t nr_frames;     /* OUT */
    uint32_t max_nr_frames; /* OUT */
    int16_t status;         /* OUT */
    uint16_t _pad1;
};

/* GNTTABOP_unmap_and_replace */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t status; /* OUT */
    uint16_t _pad0;
};

/* GNTTABOP_set_version: IN wanted version, OUT current version. */
struct gnttab_set_version {
    uint32_t version;
};

/* GNTTABOP_get_status_frames */
struct gnttab_get_status_frames {
    uint32_t nr_frames;
    domid_t dom;
    int16_t status;      /* OUT */
    uint64_t frame_list; /* guest pointer to uint64_t[nr_frames], OUT */
};

/* GNTTABOP_get_version */
struct gnttab_get_version {
    domid_t dom;
    uint16_t pad;
    uint32_t version; /* OUT */
};

/* GNTTABOP_swap_grant_ref */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status; /* OUT */
    uint16_t _pad0;
};

/* GNTTABOP_cache_flush */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op; /* GNTTAB_CACHE_* */
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_GRANT_TABLE_H */
