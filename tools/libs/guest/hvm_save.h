/*
 * The HVM save records the builder edits (Xen 4.17 layout). Private to the builder until
 * include/public/arch-x86/hvm/save.h exists on main; then these fold into that header.
 */
#ifndef XTOOLS_GUEST_HVM_SAVE_H
#define XTOOLS_GUEST_HVM_SAVE_H

#include <stdint.h>

#define XG_HVM_FILE_MAGIC  0x54381286
#define XG_HVM_CODE_END    0
#define XG_HVM_CODE_HEADER 1
#define XG_HVM_CODE_CPU    2

/* Every record starts with this descriptor; length bytes of data follow. */
struct xg_hvm_desc {
    uint16_t typecode;
    uint16_t instance;
    uint32_t length;
};

struct xg_hvm_header {
    uint32_t magic;
    uint32_t version;
    uint64_t changeset;
    uint32_t cpuid;
    uint32_t gtsc_khz;
};

/* One vCPU's architectural state (CPU record, 1032 bytes). */
struct xg_hvm_cpu {
    uint8_t fpu_regs[512];
    uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t cr0, cr2, cr3, cr4;
    uint64_t dr0, dr1, dr2, dr3, dr6, dr7;
    uint32_t cs_sel, ds_sel, es_sel, fs_sel, gs_sel, ss_sel, tr_sel, ldtr_sel;
    uint32_t cs_limit, ds_limit, es_limit, fs_limit, gs_limit, ss_limit, tr_limit, ldtr_limit;
    uint32_t idtr_limit, gdtr_limit;
    uint64_t cs_base, ds_base, es_base, fs_base, gs_base, ss_base, tr_base, ldtr_base;
    uint64_t idtr_base, gdtr_base;
    uint32_t cs_arbytes, ds_arbytes, es_arbytes, fs_arbytes, gs_arbytes, ss_arbytes;
    uint32_t tr_arbytes, ldtr_arbytes;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t shadow_gs;
    uint64_t msr_flags, msr_lstar, msr_star, msr_cstar, msr_syscall_mask, msr_efer;
    uint64_t msr_tsc_aux;
    uint64_t tsc;
    uint32_t pending_event;
    uint32_t error_code;
    uint32_t flags;
    uint32_t pad0;
};

_Static_assert(sizeof(struct xg_hvm_desc) == 8, "hvm save descriptor");
_Static_assert(sizeof(struct xg_hvm_header) == 24, "hvm save header");
_Static_assert(sizeof(struct xg_hvm_cpu) == 1032, "hvm save CPU record");

#endif
