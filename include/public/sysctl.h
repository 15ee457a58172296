/*
 * sysctl (hypercall 35): the toolstack's host-wide control interface, Xen 4.17 ABI.
 *
 * The argument is a guest pointer to one struct xen_sysctl (136 bytes). Only a
 * privileged domain may call it. interface_version must equal
 * XEN_SYSCTL_INTERFACE_VERSION or the call fails with -EACCES.
 */
#ifndef XENOLITH_PUBLIC_SYSCTL_H
#define XENOLITH_PUBLIC_SYSCTL_H

#include "xen.h"
#include "domctl.h"

/* Must match xen_sysctl.interface_version exactly (Xen 4.17). */
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

/* xen_sysctl.cmd */
#define XEN_SYSCTL_readconsole            1
#define XEN_SYSCTL_tbuf_op                2
#define XEN_SYSCTL_physinfo               3
#define XEN_SYSCTL_sched_id               4
#define XEN_SYSCTL_perfc_op               5
#define XEN_SYSCTL_getdomaininfolist      6
#define XEN_SYSCTL_debug_keys             7
#define XEN_SYSCTL_getcpuinfo             8
#define XEN_SYSCTL_availheap              9
#define XEN_SYSCTL_get_pmstat             10
#define XEN_SYSCTL_cpu_hotplug            11
#define XEN_SYSCTL_pm_op                  12
#define XEN_SYSCTL_page_offline_op        14
#define XEN_SYSCTL_lockprof_op            15
#define XEN_SYSCTL_cputopoinfo            16
#define XEN_SYSCTL_numainfo               17
#define XEN_SYSCTL_cpupool_op             18
#define XEN_SYSCTL_scheduler_op           19
#define XEN_SYSCTL_coverage_op            20
#define XEN_SYSCTL_psr_cmt_op             21
#define XEN_SYSCTL_pcitopoinfo            22
#define XEN_SYSCTL_psr_alloc              23
#define XEN_SYSCTL_get_cpu_levelling_caps 25
#define XEN_SYSCTL_get_cpu_featureset     26
#define XEN_SYSCTL_livepatch_op           27
#define XEN_SYSCTL_get_cpu_policy         29

/* xen_sysctl_physinfo.capabilities */
#define _XEN_SYSCTL_PHYSCAP_hvm                0
#define XEN_SYSCTL_PHYSCAP_hvm                 (1U << _XEN_SYSCTL_PHYSCAP_hvm)
#define _XEN_SYSCTL_PHYSCAP_pv                 1
#define XEN_SYSCTL_PHYSCAP_pv                  (1U << _XEN_SYSCTL_PHYSCAP_pv)
#define _XEN_SYSCTL_PHYSCAP_directio           2
#define XEN_SYSCTL_PHYSCAP_directio            (1U << _XEN_SYSCTL_PHYSCAP_directio)
#define _XEN_SYSCTL_PHYSCAP_hap                3
#define XEN_SYSCTL_PHYSCAP_hap                 (1U << _XEN_SYSCTL_PHYSCAP_hap)
#define _XEN_SYSCTL_PHYSCAP_shadow             4
#define XEN_SYSCTL_PHYSCAP_shadow              (1U << _XEN_SYSCTL_PHYSCAP_shadow)
#define _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share 5
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share  (1U << _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share)
#define XEN_SYSCTL_PHYSCAP_vmtrace             (1U << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu                (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1           (1U << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2           (1U << 9)
#define XEN_SYSCTL_PHYSCAP_MAX                 XEN_SYSCTL_PHYSCAP_gnttab_v2

/* xen_sysctl_cpupool_op.op */
#define XEN_SYSCTL_CPUPOOL_OP_CREATE     1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY    2
#define XEN_SYSCTL_CPUPOOL_OP_INFO       3 /* the first pool with id >= cpupool_id */
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU     4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU      5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO   7 /* the pCPUs in no pool */
#define XEN_SYSCTL_CPUPOOL_PAR_ANY       0xFFFFFFFF

/* xen_sysctl_cpu_featureset.index */
#define XEN_SYSCTL_cpu_featureset_raw     0
#define XEN_SYSCTL_cpu_featureset_host    1
#define XEN_SYSCTL_cpu_featureset_pv      2
#define XEN_SYSCTL_cpu_featureset_hvm     3
#define XEN_SYSCTL_cpu_featureset_pv_max  4
#define XEN_SYSCTL_cpu_featureset_hvm_max 5

/* xen_sysctl_cpu_policy.index */
#define XEN_SYSCTL_cpu_policy_raw         0
#define XEN_SYSCTL_cpu_policy_host        1
#define XEN_SYSCTL_cpu_policy_pv_max      2
#define XEN_SYSCTL_cpu_policy_hvm_max     3
#define XEN_SYSCTL_cpu_policy_pv_default  4
#define XEN_SYSCTL_cpu_policy_hvm_default 5

#ifndef __ASSEMBLY__

#include <stdint.h>

/*
 * XEN_SYSCTL_readconsole: copy hypervisor console ring text. index counts
 * bytes since boot (32 bits, wrapping). incremental: start at index if it is
 * still in the ring and not cleared, else at the oldest byte kept. OUT: count
 * = bytes copied, index = where the next incremental read starts. clear:
 * forget what has been read.
 */
struct xen_sysctl_readconsole {
    uint8_t clear;
    uint8_t incremental;
    uint8_t pad0, pad1;
    uint32_t index;  /* IN/OUT */
    uint64_t buffer; /* guest pointer to char[count] */
    uint32_t count;  /* IN: buffer size; OUT: bytes written */
    uint32_t _pad0;
};

/* XEN_SYSCTL_physinfo (all OUT) */
struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;    /* online pCPUs */
    uint32_t max_cpu_id; /* largest possible pCPU id */
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;      /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities; /* none on x86 here */
    uint32_t pad;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages;
    uint64_t max_mfn;
    uint32_t hw_cap[8]; /* the first words of the host CPU featureset */
};

/* XEN_SYSCTL_sched_id (OUT) */
struct xen_sysctl_sched_id {
    uint32_t sched_id; /* XEN_SCHEDULER_* */
};

/* XEN_SYSCTL_getdomaininfolist: up to max_domains domains with id >= first_domain, by id. */
struct xen_sysctl_getdomaininfolist {
    domid_t first_domain; /* IN */
    uint16_t _pad0;
    uint32_t max_domains; /* IN */
    uint64_t buffer;      /* guest pointer to xen_domctl_getdomaininfo_t[max_domains] */
    uint32_t num_domains; /* OUT */
    uint32_t _pad1;
};

/* XEN_SYSCTL_cpupool_op */
struct xen_sysctl_cpupool_op {
    uint32_t op;                 /* XEN_SYSCTL_CPUPOOL_OP_* */
    uint32_t cpupool_id;         /* IN/OUT */
    uint32_t sched_id;           /* OUT (INFO) */
    uint32_t domid;              /* IN (MOVEDOMAIN) */
    uint32_t cpu;                /* IN (ADDCPU, RMCPU) */
    uint32_t n_dom;              /* OUT (INFO): domains in the pool */
    struct xenctl_bitmap cpumap; /* OUT (INFO, FREEINFO) */
};

/*
 * XEN_SYSCTL_get_cpu_featureset: with features = 0, nr_features gets the
 * number of words; else up to nr_features words are written and nr_features
 * says how many.
 */
struct xen_sysctl_cpu_featureset {
    uint32_t index;       /* XEN_SYSCTL_cpu_featureset_* */
    uint32_t nr_features; /* IN/OUT */
    uint64_t features;    /* guest pointer to uint32_t[nr_features] */
};

/* XEN_SYSCTL_get_cpu_policy (x86): a 0 pointer asks for the maximum count. */
struct xen_sysctl_cpu_policy {
    uint32_t index;     /* XEN_SYSCTL_cpu_policy_* */
    uint32_t nr_leaves; /* IN/OUT */
    uint32_t nr_msrs;   /* IN/OUT */
    uint32_t _rsvd;     /* must be zero */
    uint64_t leaves;    /* guest pointer to xen_cpuid_leaf_t[] */
    uint64_t msrs;      /* guest pointer to xen_msr_entry_t[] */
};

/* The sysctl argument (136 bytes). */
struct xen_sysctl {
    uint32_t cmd;               /* XEN_SYSCTL_* */
    uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_cpupool_op cpupool_op;
        struct xen_sysctl_cpu_featureset cpu_featureset;
        struct xen_sysctl_cpu_policy cpu_policy;
        uint8_t pad[128];
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_SYSCTL_H */
