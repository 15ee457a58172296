/* vcpu_op (hypercall 24): sub-ops, runstate, timers, vcpu_info and HVM vCPU start context. */
#ifndef XENOLITH_PUBLIC_VCPU_H
#define XENOLITH_PUBLIC_VCPU_H

#include "xen.h"

#define VCPUOP_initialise                     0
#define VCPUOP_up                             1
#define VCPUOP_down                           2
#define VCPUOP_is_up                          3
#define VCPUOP_get_runstate_info              4
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6
#define VCPUOP_stop_periodic_timer            7
#define VCPUOP_set_singleshot_timer           8
#define VCPUOP_stop_singleshot_timer          9
#define VCPUOP_register_vcpu_info             10
#define VCPUOP_send_nmi                       11
#define VCPUOP_get_physid                     12
#define VCPUOP_register_vcpu_time_memory_area 13
/* Added after Xen 4.17 (4.18); listed so the number space is complete. */
#define VCPUOP_register_runstate_phys_area  14
#define VCPUOP_register_vcpu_time_phys_area 15

/* vcpu_runstate_info.state */
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

/* Set in state_entry_time while the hypervisor updates the area (VMASST_TYPE_runstate_update_flag).
 */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

/* vcpu_set_singleshot_timer.flags: fail with -ETIME if the deadline already passed. */
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1 << _VCPU_SSHOTTMR_future)

/* vcpu_hvm_context.mode */
#define VCPU_HVM_MODE_32B 0
#define VCPU_HVM_MODE_64B 1

#ifndef __ASSEMBLY__

#include <stdint.h>

/* Time a vCPU spent in each RUNSTATE_* (48 bytes). */
struct vcpu_runstate_info {
    int32_t state; /* RUNSTATE_* */
    uint32_t _pad0;
    uint64_t state_entry_time; /* system time (ns) of the last state change */
    uint64_t time[4];          /* ns spent in each state */
};

/* VCPUOP_register_runstate_memory_area: guest-virtual address of a vcpu_runstate_info. */
struct vcpu_register_runstate_memory_area {
    uint64_t addr;
};

/* VCPUOP_set_periodic_timer */
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};

/* VCPUOP_set_singleshot_timer: absolute deadline in guest system time. */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags; /* VCPU_SSHOTTMR_* */
    uint32_t _pad0;
};

/* VCPUOP_register_vcpu_info: place this vCPU's vcpu_info at (mfn << 12) + offset. */
struct vcpu_register_vcpu_info {
    uint64_t mfn; /* guest frame number for HVM/PVH */
    uint32_t offset;
    uint32_t rsvd;
};

/* VCPUOP_get_physid: APIC id in bits 0-31, ACPI id in bits 32-63. */
struct vcpu_get_physid {
    uint64_t phys_id;
};

/* VCPUOP_register_vcpu_time_memory_area: guest-virtual address of a vcpu_time_info. */
struct vcpu_register_time_memory_area {
    uint64_t addr;
};

/* 32-bit protected-mode start state for VCPUOP_initialise on HVM (120 bytes). */
struct vcpu_hvm_x86_32 {
    uint32_t eax;
    uint32_t ecx;
    uint32_t edx;
    uint32_t ebx;
    uint32_t esp;
    uint32_t ebp;
    uint32_t esi;
    uint32_t edi;
    uint32_t eip;
    uint32_t eflags;
    uint32_t cr0;
    uint32_t cr3;
    uint32_t cr4;
    uint32_t pad1;
    uint64_t efer;
    uint32_t cs_base;
    uint32_t ds_base;
    uint32_t ss_base;
    uint32_t es_base;
    uint32_t tr_base;
    uint32_t cs_limit;
    uint32_t ds_limit;
    uint32_t ss_limit;
    uint32_t es_limit;
    uint32_t tr_limit;
    uint16_t cs_ar;
    uint16_t ds_ar;
    uint16_t ss_ar;
    uint16_t es_ar;
    uint16_t tr_ar;
    uint16_t pad2[3];
};

/* 64-bit start state (flat segments implied) for VCPUOP_initialise on HVM (112 bytes). */
struct vcpu_hvm_x86_64 {
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rbx;
    uint64_t rsp;
    uint64_t rbp;
    uint64_t rsi;
    uint64_t rdi;
    uint64_t rip;
    uint64_t rflags;
    uint64_t cr0;
    uint64_t cr3;
    uint64_t cr4;
    uint64_t efer;
};

/* VCPUOP_initialise argument for HVM/PVH domains (128 bytes). */
struct vcpu_hvm_context {
    uint32_t mode; /* VCPU_HVM_MODE_* */
    uint32_t pad;
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_VCPU_H */
