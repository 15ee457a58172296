/*
 * domctl (hypercall 36): the toolstack's per-domain control interface, Xen 4.17 ABI.
 *
 * The argument is a guest pointer to one struct xen_domctl (144 bytes). Only a
 * privileged domain may call it. interface_version must equal
 * XEN_DOMCTL_INTERFACE_VERSION or the call fails with -EACCES. Guest pointers
 * inside the structs are 64-bit guest-virtual addresses (0 = none).
 */
#ifndef XENOLITH_PUBLIC_DOMCTL_H
#define XENOLITH_PUBLIC_DOMCTL_H

#include "xen.h"

/* Must match xen_domctl.interface_version exactly (Xen 4.17). */
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/* xen_domctl.cmd */
#define XEN_DOMCTL_createdomain            1
#define XEN_DOMCTL_destroydomain           2
#define XEN_DOMCTL_pausedomain             3
#define XEN_DOMCTL_unpausedomain           4
#define XEN_DOMCTL_getdomaininfo           5
#define XEN_DOMCTL_setvcpuaffinity         9
#define XEN_DOMCTL_shadow_op               10
#define XEN_DOMCTL_max_mem                 11
#define XEN_DOMCTL_setvcpucontext          12
#define XEN_DOMCTL_getvcpucontext          13
#define XEN_DOMCTL_getvcpuinfo             14
#define XEN_DOMCTL_max_vcpus               15
#define XEN_DOMCTL_scheduler_op            16
#define XEN_DOMCTL_setdomainhandle         17
#define XEN_DOMCTL_setdebugging            18
#define XEN_DOMCTL_irq_permission          19
#define XEN_DOMCTL_iomem_permission        20
#define XEN_DOMCTL_ioport_permission       21
#define XEN_DOMCTL_hypercall_init          22
#define XEN_DOMCTL_settimeoffset           24
#define XEN_DOMCTL_getvcpuaffinity         25
#define XEN_DOMCTL_resumedomain            27
#define XEN_DOMCTL_sendtrigger             28
#define XEN_DOMCTL_subscribe               29
#define XEN_DOMCTL_gethvmcontext           33
#define XEN_DOMCTL_sethvmcontext           34
#define XEN_DOMCTL_set_address_size        35
#define XEN_DOMCTL_get_address_size        36
#define XEN_DOMCTL_assign_device           37
#define XEN_DOMCTL_bind_pt_irq             38
#define XEN_DOMCTL_memory_mapping          39
#define XEN_DOMCTL_ioport_mapping          40
#define XEN_DOMCTL_set_ext_vcpucontext     42
#define XEN_DOMCTL_get_ext_vcpucontext     43
#define XEN_DOMCTL_test_assign_device      45
#define XEN_DOMCTL_set_target              46
#define XEN_DOMCTL_deassign_device         47
#define XEN_DOMCTL_unbind_pt_irq           48
#define XEN_DOMCTL_get_device_group        50
#define XEN_DOMCTL_debug_op                54
#define XEN_DOMCTL_gethvmcontext_partial   55
#define XEN_DOMCTL_gettscinfo              59
#define XEN_DOMCTL_settscinfo              60
#define XEN_DOMCTL_getpageframeinfo3       61
#define XEN_DOMCTL_setvcpuextstate         62
#define XEN_DOMCTL_getvcpuextstate         63
#define XEN_DOMCTL_set_virq_handler        66
#define XEN_DOMCTL_setnodeaffinity         68
#define XEN_DOMCTL_getnodeaffinity         69
#define XEN_DOMCTL_get_vcpu_msrs           72
#define XEN_DOMCTL_set_vcpu_msrs           73
#define XEN_DOMCTL_setvnumainfo            74
#define XEN_DOMCTL_soft_reset              79
#define XEN_DOMCTL_get_cpu_policy          82
#define XEN_DOMCTL_set_cpu_policy          83
#define XEN_DOMCTL_get_paging_mempool_size 85
#define XEN_DOMCTL_set_paging_mempool_size 86

/* xen_domctl_createdomain.flags */
#define _XEN_DOMCTL_CDF_hvm          0
#define XEN_DOMCTL_CDF_hvm           (1U << _XEN_DOMCTL_CDF_hvm) /* HVM container (PVH or HVM) */
#define _XEN_DOMCTL_CDF_hap          1
#define XEN_DOMCTL_CDF_hap           (1U << _XEN_DOMCTL_CDF_hap) /* nested paging */
#define _XEN_DOMCTL_CDF_s3_integrity 2
#define XEN_DOMCTL_CDF_s3_integrity  (1U << _XEN_DOMCTL_CDF_s3_integrity)
#define _XEN_DOMCTL_CDF_oos_off      3
#define XEN_DOMCTL_CDF_oos_off       (1U << _XEN_DOMCTL_CDF_oos_off)
#define _XEN_DOMCTL_CDF_xs_domain    4
#define XEN_DOMCTL_CDF_xs_domain     (1U << _XEN_DOMCTL_CDF_xs_domain) /* runs xenstored */
#define _XEN_DOMCTL_CDF_iommu        5
#define XEN_DOMCTL_CDF_iommu         (1U << _XEN_DOMCTL_CDF_iommu)
#define _XEN_DOMCTL_CDF_nested_virt  6
#define XEN_DOMCTL_CDF_nested_virt   (1U << _XEN_DOMCTL_CDF_nested_virt)
#define XEN_DOMCTL_CDF_vpmu          (1U << 7)
#define XEN_DOMCTL_CDF_MAX           XEN_DOMCTL_CDF_vpmu

/* xen_domctl_createdomain.iommu_opts */
#define _XEN_DOMCTL_IOMMU_no_sharept 0
#define XEN_DOMCTL_IOMMU_no_sharept  (1U << _XEN_DOMCTL_IOMMU_no_sharept)
#define XEN_DOMCTL_IOMMU_MAX         XEN_DOMCTL_IOMMU_no_sharept

/* xen_domctl_createdomain.grant_opts: the low 4 bits give the highest grant table version. */
#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v)&XEN_DOMCTL_GRANT_version_mask)

/* xen_arch_domainconfig.emulation_flags (x86): what the hypervisor emulates for an HVM domain. */
#define _XEN_X86_EMU_LAPIC    0
#define XEN_X86_EMU_LAPIC     (1U << _XEN_X86_EMU_LAPIC)
#define _XEN_X86_EMU_HPET     1
#define XEN_X86_EMU_HPET      (1U << _XEN_X86_EMU_HPET)
#define _XEN_X86_EMU_PM       2
#define XEN_X86_EMU_PM        (1U << _XEN_X86_EMU_PM)
#define _XEN_X86_EMU_RTC      3
#define XEN_X86_EMU_RTC       (1U << _XEN_X86_EMU_RTC)
#define _XEN_X86_EMU_IOAPIC   4
#define XEN_X86_EMU_IOAPIC    (1U << _XEN_X86_EMU_IOAPIC)
#define _XEN_X86_EMU_PIC      5
#define XEN_X86_EMU_PIC       (1U << _XEN_X86_EMU_PIC)
#define _XEN_X86_EMU_VGA      6
#define XEN_X86_EMU_VGA       (1U << _XEN_X86_EMU_VGA)
#define _XEN_X86_EMU_IOMMU    7
#define XEN_X86_EMU_IOMMU     (1U << _XEN_X86_EMU_IOMMU)
#define _XEN_X86_EMU_PIT      8
#define XEN_X86_EMU_PIT       (1U << _XEN_X86_EMU_PIT)
#define _XEN_X86_EMU_USE_PIRQ 9
#define XEN_X86_EMU_USE_PIRQ  (1U << _XEN_X86_EMU_USE_PIRQ)
#define _XEN_X86_EMU_VPCI     10
#define XEN_X86_EMU_VPCI      (1U << _XEN_X86_EMU_VPCI)
#define XEN_X86_EMU_ALL                                                                            \
    (XEN_X86_EMU_LAPIC | XEN_X86_EMU_HPET | XEN_X86_EMU_PM | XEN_X86_EMU_RTC |                     \
     XEN_X86_EMU_IOAPIC | XEN_X86_EMU_PIC | XEN_X86_EMU_VGA | XEN_X86_EMU_IOMMU |                  \
     XEN_X86_EMU_PIT | XEN_X86_EMU_USE_PIRQ | XEN_X86_EMU_VPCI)

/* xen_arch_domainconfig.misc_flags (x86): unknown MSRs read as 0 / ignore writes instead of #GP. */
#define XEN_X86_MSR_RELAXED (1U << 0)

/* xen_domctl_getdomaininfo.flags */
#define _XEN_DOMINF_dying        0
#define XEN_DOMINF_dying         (1U << _XEN_DOMINF_dying)
#define _XEN_DOMINF_hvm_guest    1
#define XEN_DOMINF_hvm_guest     (1U << _XEN_DOMINF_hvm_guest)
#define _XEN_DOMINF_shutdown     2
#define XEN_DOMINF_shutdown      (1U << _XEN_DOMINF_shutdown)
#define _XEN_DOMINF_paused       3
#define XEN_DOMINF_paused        (1U << _XEN_DOMINF_paused) /* paused by the toolstack */
#define _XEN_DOMINF_blocked      4
#define XEN_DOMINF_blocked       (1U << _XEN_DOMINF_blocked) /* every online vCPU blocked */
#define _XEN_DOMINF_running      5
#define XEN_DOMINF_running       (1U << _XEN_DOMINF_running) /* some vCPU on a pCPU now */
#define _XEN_DOMINF_debugged     6
#define XEN_DOMINF_debugged      (1U << _XEN_DOMINF_debugged)
#define _XEN_DOMINF_xs_domain    7
#define XEN_DOMINF_xs_domain     (1U << _XEN_DOMINF_xs_domain)
#define _XEN_DOMINF_hap          8
#define XEN_DOMINF_hap           (1U << _XEN_DOMINF_hap)
#define XEN_DOMINF_shutdownmask  255 /* (flags >> shutdownshift) & mask: the SHUTDOWN_* code */
#define XEN_DOMINF_shutdownshift 16

/* xen_domctl_getdomaininfo.max_vcpu_id of a domain without vCPUs. */
#define XEN_INVALID_MAX_VCPU_ID (~0U)

/* xen_domctl_vcpuaffinity.flags */
#define _XEN_VCPUAFFINITY_HARD  0
#define XEN_VCPUAFFINITY_HARD   (1U << _XEN_VCPUAFFINITY_HARD)
#define _XEN_VCPUAFFINITY_SOFT  1
#define XEN_VCPUAFFINITY_SOFT   (1U << _XEN_VCPUAFFINITY_SOFT)
#define _XEN_VCPUAFFINITY_FORCE 2
#define XEN_VCPUAFFINITY_FORCE  (1U << _XEN_VCPUAFFINITY_FORCE)

/* Scheduler ids (xen_domctl_scheduler_op.sched_id, XEN_SYSCTL_sched_id). */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

/* xen_domctl_scheduler_op.cmd */
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3

/* xen_domctl_sched_rtds.flags */
#define _XEN_DOMCTL_SCHEDRT_extra 0
#define XEN_DOMCTL_SCHEDRT_extra  (1U << _XEN_DOMCTL_SCHEDRT_extra)

#ifndef __ASSEMBLY__

#include <stdint.h>

/* A bitmap in guest memory: nr_bits bits, bit i is bit (i % 8) of byte i / 8. */
struct xenctl_bitmap {
    uint64_t bitmap; /* guest pointer to uint8_t[(nr_bits + 7) / 8] */
    uint32_t nr_bits;
    uint32_t _pad0;
};

/* x86 part of createdomain / getdomaininfo. */
struct xen_arch_domainconfig {
    uint32_t emulation_flags; /* XEN_X86_EMU_*; a PVH domain has exactly XEN_X86_EMU_LAPIC */
    uint32_t misc_flags;      /* XEN_X86_MSR_RELAXED */
};

/* One CPUID leaf of a serialised CPU policy (subleaf ~0 = the leaf has no subleaves). */
#define XEN_CPUID_NO_SUBLEAF 0xffffffffU
typedef struct xen_cpuid_leaf {
    uint32_t leaf, subleaf;
    uint32_t a, b, c, d;
} xen_cpuid_leaf_t;

/* One MSR of a serialised CPU policy. */
typedef struct xen_msr_entry {
    uint32_t idx;
    uint32_t flags; /* must be zero */
    uint64_t val;
} xen_msr_entry_t;

/*
 * XEN_DOMCTL_createdomain. xen_domctl.domain is IN/OUT: a free id to use, or
 * 0 / >= DOMID_FIRST_RESERVED to have one allocated; the new id comes back
 * there. The domain starts paused once by the toolstack (unpausedomain runs it).
 */
struct xen_domctl_createdomain {
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t flags; /* XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    int32_t max_grant_frames;    /* < 0: hypervisor default */
    int32_t max_maptrack_frames; /* < 0: hypervisor default */
    uint32_t grant_opts;         /* XEN_DOMCTL_GRANT_version(max version) */
    uint32_t vmtrace_size;       /* bytes per vCPU, 0 = none */
    uint32_t cpupool_id;
    struct xen_arch_domainconfig arch;
};

/* XEN_DOMCTL_getdomaininfo (also the element of XEN_SYSCTL_getdomaininfolist). All OUT. */
struct xen_domctl_getdomaininfo {
    domid_t domain;
    uint16_t pad1;
    uint32_t flags; /* XEN_DOMINF_*, shutdown code in bits 16.. */
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame; /* guest frame of shared_info */
    uint64_t cpu_time;          /* ns run, summed over vCPUs */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id; /* XEN_INVALID_MAX_VCPU_ID if none */
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t gpaddr_bits; /* guest-physical address width */
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;

/* XEN_DOMCTL_max_mem */
struct xen_domctl_max_mem {
    uint64_t max_memkb;
};

/* XEN_DOMCTL_getvcpuinfo */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;   /* IN */
    uint8_t online;  /* OUT */
    uint8_t blocked; /* OUT */
    uint8_t running; /* OUT */
    uint8_t _pad0;
    uint64_t cpu_time; /* OUT: ns run */
    uint32_t cpu;      /* OUT: pCPU */
    uint32_t _pad1;
};

/*
 * XEN_DOMCTL_setvcpuaffinity / XEN_DOMCTL_getvcpuaffinity. flags select the
 * hard and/or soft mask. set: the masks are IN, and the effective masks come
 * back through the same bitmaps; get: the masks as last set.
 */
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;
    uint32_t flags; /* XEN_VCPUAFFINITY_* */
    struct xenctl_bitmap cpumap_hard;
    struct xenctl_bitmap cpumap_soft;
};

/* XEN_DOMCTL_max_vcpus: must repeat createdomain's max_vcpus. */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* Per-scheduler parameters. credit: weight 1..65535 (0 = keep), cap in % of a pCPU (0 = none). */
struct xen_domctl_sched_credit {
    uint16_t weight;
    uint16_t cap;
};

struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap;
};

struct xen_domctl_sched_rtds {
    uint32_t period;
    uint32_t budget;
    uint32_t flags; /* XEN_DOMCTL_SCHEDRT_* */
};

/* Element of xen_domctl_scheduler_op.u.v.vcpus. */
typedef struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
    } u;
    uint32_t vcpuid;
} xen_domctl_schedparam_vcpu_t;

/* XEN_DOMCTL_scheduler_op */
struct xen_domctl_scheduler_op {
    uint32_t sched_id; /* XEN_SCHEDULER_*: must be the running scheduler */
    uint32_t cmd;      /* XEN_DOMCTL_SCHEDOP_* */
    union {            /* IN/OUT */
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
        struct {
            uint64_t vcpus;    /* guest pointer to xen_domctl_schedparam_vcpu_t[nr_vcpus] */
            uint32_t nr_vcpus; /* IN: entries; OUT: entries processed */
            uint32_t padding;
        } v;
    } u;
};

/* XEN_DOMCTL_setdomainhandle */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};

/* XEN_DOMCTL_gethvmcontext / XEN_DOMCTL_sethvmcontext */
struct xen_domctl_hvmcontext {
    uint32_t size; /* IN: buffer size; OUT: bytes used (or needed when buffer is 0) */
    uint32_t _pad0;
    uint64_t buffer; /* guest pointer */
};

/* XEN_DOMCTL_gethvmcontext_partial: one record's payload */
struct xen_domctl_hvmcontext_partial {
    uint32_t type;     /* IN: HVM_SAVE_CODE_* */
    uint32_t instance; /* IN: vCPU id for per-vCPU records */
    uint64_t bufsz;    /* IN: buffer size; OUT: payload size */
    uint64_t buffer;   /* guest pointer; 0 asks for the size only */
};

/* XEN_DOMCTL_settscinfo / XEN_DOMCTL_gettscinfo */
struct xen_domctl_tsc_info {
    uint32_t tsc_mode; /* 0 default, 1 always emulate, 2 never emulate */
    uint32_t gtsc_khz; /* 0 = the host's */
    uint32_t incarnation;
    uint32_t pad;
    uint64_t elapsed_nsec;
};

/* XEN_DOMCTL_get_cpu_policy / XEN_DOMCTL_set_cpu_policy (x86) */
struct xen_domctl_cpu_policy {
    uint32_t nr_leaves; /* IN: room in leaves; OUT: leaves written (or the maximum) */
    uint32_t nr_msrs;   /* IN: room in msrs; OUT: MSRs written (or the maximum) */
    uint64_t leaves;    /* guest pointer to xen_cpuid_leaf_t[] */
    uint64_t msrs;      /* guest pointer to xen_msr_entry_t[] */
    uint32_t err_leaf, err_subleaf, err_msr; /* OUT (set only): what the audit refused */
    uint32_t _pad0;
};

/* XEN_DOMCTL_get_paging_mempool_size / XEN_DOMCTL_set_paging_mempool_size */
struct xen_domctl_paging_mempool {
    uint64_t size; /* bytes, a multiple of the page size */
};

/* The domctl argument (144 bytes). */
struct xen_domctl {
    uint32_t cmd;               /* XEN_DOMCTL_* */
    uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_vcpuaffinity vcpuaffinity;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_scheduler_op scheduler_op;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_tsc_info tsc_info;
        struct xen_domctl_hvmcontext hvmcontext;
        struct xen_domctl_hvmcontext_partial hvmcontext_partial;
        struct xen_domctl_cpu_policy cpu_policy;
        struct xen_domctl_paging_mempool paging_mempool;
        uint8_t pad[128];
    } u;
};
typedef struct xen_domctl xen_domctl_t;

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_DOMCTL_H */
