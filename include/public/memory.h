/* memory_op (hypercall 12): sub-ops, map spaces and argument structs. */
#ifndef XENOLITH_PUBLIC_MEMORY_H
#define XENOLITH_PUBLIC_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation       0
#define XENMEM_decrease_reservation       1
#define XENMEM_maximum_ram_page           2
#define XENMEM_current_reservation        3
#define XENMEM_maximum_reservation        4
#define XENMEM_machphys_mfn_list          5
#define XENMEM_populate_physmap           6
#define XENMEM_add_to_physmap             7
#define XENMEM_memory_map                 9
#define XENMEM_machine_memory_map         10
#define XENMEM_exchange                   11
#define XENMEM_machphys_mapping           12
#define XENMEM_set_memory_map             13
#define XENMEM_maximum_gpfn               14
#define XENMEM_remove_from_physmap        15
#define XENMEM_set_pod_target             16
#define XENMEM_get_pod_target             17
#define XENMEM_get_sharing_freed_pages    18
#define XENMEM_get_sharing_shared_pages   19
#define XENMEM_paging_op                  20
#define XENMEM_access_op                  21
#define XENMEM_sharing_op                 22
#define XENMEM_add_to_physmap_batch       23
#define XENMEM_claim_pages                24
#define XENMEM_machphys_compat_mfn_list   25
#define XENMEM_get_vnumainfo              26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource           28

/* xen_memory_reservation.mem_flags encoding. */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x)&0xff)
#define XENMEMF_node(n)             (((n) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xff)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)

/* xen_add_to_physmap.space */
#define XENMAPSPACE_shared_info  0 /* idx 0: the shared_info page */
#define XENMAPSPACE_grant_table  1 /* idx: grant frame (| XENMAPIDX_grant_table_status) */
#define XENMAPSPACE_gmfn         2 /* idx: a guest frame to move */
#define XENMAPSPACE_gmfn_range   3 /* like gmfn, size frames */
#define XENMAPSPACE_gmfn_foreign 4 /* idx: frame of another domain (batch only) */
#define XENMAPSPACE_dev_mmio     5 /* device MMIO (Arm) */

#define XENMAPIDX_grant_table_status 0x80000000

/* xen_mem_acquire_resource.type / .id / .frame */
#define XENMEM_resource_ioreq_server                0
#define XENMEM_resource_grant_table                 1
#define XENMEM_resource_vmtrace_buf                 2
#define XENMEM_resource_grant_table_id_shared       0
#define XENMEM_resource_grant_table_id_status       1
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))

#ifndef __ASSEMBLY__

#include <stdint.h>

/* XENMEM_{increase,decrease}_reservation, XENMEM_populate_physmap (32 bytes). */
struct xen_memory_reservation {
    uint64_t extent_start; /* guest pointer to xen_pfn_t[nr_extents] */
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags; /* XENMEMF_* */
    domid_t domid;
    uint16_t _pad0[3];
};

/* XENMEM_exchange */
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged; /* OUT */
};

/* XENMEM_machphys_mfn_list */
struct xen_machphys_mfn_list {
    uint32_t max_extents;
    uint32_t _pad0;
    uint64_t extent_start; /* guest pointer to xen_pfn_t[] */
    uint32_t nr_extents;   /* OUT */
    uint32_t _pad1;
};

/* XENMEM_machphys_mapping */
struct xen_machphys_mapping {
    xen_ulong_t v_start;
    xen_ulong_t v_end;
    xen_ulong_t max_mfn;
};

/* XENMEM_add_to_physmap (24 bytes). */
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;  /* XENMAPSPACE_gmfn_range only */
    uint32_t space; /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn; /* where to map it */
};

/* XENMEM_add_to_physmap_batch (Linux: XENMEM_add_to_physmap_range). */
struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space; /* XENMAPSPACE_* */
    uint16_t size;  /* entries in each array */
    union {
        domid_t foreign_domid; /* XENMAPSPACE_gmfn_foreign */
        uint16_t res0;
    } u;
    uint64_t idxs;  /* guest pointer to xen_ulong_t[size] */
    uint64_t gpfns; /* guest pointer to xen_pfn_t[size] */
    uint64_t errs;  /* guest pointer to int32_t[size], OUT */
};

/* XENMEM_remove_from_physmap */
struct xen_remove_from_physmap {
    domid_t domid;
    uint16_t _pad0[3];
    xen_pfn_t gpfn;
};

/* XENMEM_memory_map / XENMEM_machine_memory_map: buffer holds packed struct e820entry. */
struct xen_memory_map {
    uint32_t nr_entries; /* IN: capacity; OUT: entries written */
    uint32_t _pad0;
    uint64_t buffer; /* guest pointer */
};

/* XENMEM_set_memory_map (toolstack). */
struct xen_foreign_memory_map {
    domid_t domid;
    uint16_t _pad0[3];
    struct xen_memory_map map;
};

/* XENMEM_{set,get}_pod_target */
struct xen_pod_target {
    uint64_t target_pages;
    uint64_t tot_pages;       /* OUT */
    uint64_t pod_cache_pages; /* OUT */
    uint64_t pod_entries;     /* OUT */
    domid_t domid;
    uint16_t _pad0[3];
};

/* XENMEM_acquire_resource */
struct xen_mem_acquire_resource {
    domid_t domid;
    uint16_t type; /* XENMEM_resource_* */
    uint32_t id;
    uint32_t nr_frames;
    uint32_t pad;
    uint64_t frame;
    uint64_t frame_list; /* guest pointer to xen_pfn_t[nr_frames] */
};

/* One vNUMA memory range (XENMEM_get_vnumainfo). */
struct xen_vmemrange {
    uint64_t start;
    uint64_t end;
    uint32_t flags;
    uint32_t nid;
};

/* XENMEM_get_vnumainfo */
struct xen_vnuma_topology_info {
    domid_t domid;
    uint16_t pad;
    uint32_t nr_vnodes;
    uint32_t nr_vcpus;
    uint32_t nr_vmemranges;
    uint64_t vdistance;     /* guest pointer to uint32_t[] */
    uint64_t vcpu_to_vnode; /* guest pointer to uint32_t[] */
    uint64_t vmemrange;     /* guest pointer to struct xen_vmemrange[] */
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_MEMORY_H */
