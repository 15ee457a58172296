/* Xen guest ABI core: hypercall numbers, domain ids, VIRQs and the shared_info/vcpu_info pages. */
#ifndef XENOLITH_PUBLIC_XEN_H
#define XENOLITH_PUBLIC_XEN_H

/*
 * Layouts follow Xen 4.17 on x86_64 (latest interface version 0x00040e00 as
 * published by 4.17; nothing checked here changes up to 0x00040f00).
 * Every struct below is checked byte-for-byte by tests/abi.
 */
#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

/* Hypercall numbers (RAX on x86_64). */
#define __HYPERVISOR_set_trap_table                0
#define __HYPERVISOR_mmu_update                    1
#define __HYPERVISOR_set_gdt                       2
#define __HYPERVISOR_stack_switch                  3
#define __HYPERVISOR_set_callbacks                 4
#define __HYPERVISOR_fpu_taskswitch                5
#define __HYPERVISOR_sched_op_compat               6
#define __HYPERVISOR_platform_op                   7
#define __HYPERVISOR_set_debugreg                  8
#define __HYPERVISOR_get_debugreg                  9
#define __HYPERVISOR_update_descriptor             10
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42
/* Architecture-specific hypercalls 48..55; on x86 the first one is the MCA interface. */
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55
#define __HYPERVISOR_mca    __HYPERVISOR_arch_0
/* The hypercall page holds this many 32-byte stubs. */
#define XEN_HYPERCALL_PAGE_STUBS 128
#define XEN_HYPERCALL_STUB_SIZE  32

/* Virtual interrupts, bound to event channels with EVTCHNOP_bind_virq. */
#define VIRQ_TIMER      0  /* per vCPU: single-shot / periodic timer expiry */
#define VIRQ_DEBUG      1  /* per vCPU: dump debug state */
#define VIRQ_CONSOLE    2  /* global, dom0: emergency console input */
#define VIRQ_DOM_EXC    3  /* global, dom0: some domain needs attention */
#define VIRQ_TBUF       4  /* global, dom0: trace buffer records */
#define VIRQ_DEBUGGER   6  /* global, dom0: a domain paused for debugging */
#define VIRQ_XENOPROF   7  /* per vCPU: profiling sample */
#define VIRQ_CON_RING   8  /* global, dom0: hypervisor console ring has data */
#define VIRQ_PCPU_STATE 9  /* global, dom0: physical CPU state change */
#define VIRQ_MEM_EVENT  10 /* global, dom0: memory event */
#define VIRQ_ARGO       11 /* global: Argo message */
#define VIRQ_ENOMEM     12 /* global, dom0: hypervisor heap low */
#define VIRQ_XENPMU     13 /* per vCPU: PMU interrupt */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define VIRQ_MCA        VIRQ_ARCH_0 /* x86: machine check */
#define NR_VIRQS        24

/* console_io sub-ops: (cmd, count, guest buffer). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* vm_assist commands and types. */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0
#define VMASST_TYPE_4gb_segments_notify  1
#define VMASST_TYPE_writable_pagetables  2
#define VMASST_TYPE_pae_extended_cr3     3
#define VMASST_TYPE_architectural_iopl   4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict           32

/* Domain identifiers. Real domains are 0 .. DOMID_FIRST_RESERVED-1. */
#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF           0x7FF0 /* the calling domain */
#define DOMID_IO             0x7FF1 /* owner of I/O memory */
#define DOMID_XEN            0x7FF2 /* owner of hypervisor pages */
#define DOMID_COW            0x7FF3 /* owner of shared copy-on-write pages */
#define DOMID_INVALID        0x7FF4
#define DOMID_IDLE           0x7FFF
#define DOMID_MASK           0x7FFF

/* Number of vcpu_info slots inside shared_info. */
#define XEN_LEGACY_MAX_VCPUS 32
#define MAX_VIRT_CPUS        XEN_LEGACY_MAX_VCPUS

/* vcpu_time_info.flags bits. */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)

#ifndef __ASSEMBLY__

#include <stdint.h>

typedef uint64_t xen_ulong_t;            /* "unsigned long" of a 64-bit guest */
typedef uint64_t xen_pfn_t;              /* guest (or machine) frame number */
typedef uint16_t domid_t;                /* domain id */
typedef uint8_t xen_domain_handle_t[16]; /* domain UUID */

/* One entry of a __HYPERVISOR_mmu_update batch (PV only). */
struct mmu_update {
    uint64_t ptr;
    uint64_t val;
};

/* One entry of a __HYPERVISOR_multicall batch: op, its result, up to 6 arguments. */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};

/*
 * pvclock record (32 bytes). version is odd while the hypervisor rewrites it.
 * ns = system_time + (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32
 * (a negative tsc_shift means shift right).
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags; /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};

/* x86_64 part of vcpu_info (16 bytes). */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};

/* Per-vCPU event and time state (64 bytes). */
struct vcpu_info {
    uint8_t evtchn_upcall_pending; /* set by the hypervisor, cleared by the guest */
    uint8_t evtchn_upcall_mask;    /* guest-owned: non-zero blocks upcalls */
    uint8_t _pad0[6];
    xen_ulong_t evtchn_pending_sel; /* bit i: evtchn_pending[i] may have bits set */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};

/* x86_64 part of shared_info (PV p2m bookkeeping; unused by HVM/PVH guests). */
struct arch_shared_info {
    xen_ulong_t max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    xen_ulong_t nmi_reason;
    xen_ulong_t p2m_cr3;
    xen_ulong_t p2m_vaddr;
    xen_ulong_t p2m_generation;
};

/*
 * The shared_info page. 2-level event channels: port p is bit (p % 64) of
 * evtchn_pending[p / 64] (and of evtchn_mask[p / 64]), 4096 ports in all.
 * Wall clock: Unix time of guest system time 0, seqlocked by wc_version.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi; /* upper 32 bits of the 64-bit seconds value */
    struct arch_shared_info arch;
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_XEN_H */
