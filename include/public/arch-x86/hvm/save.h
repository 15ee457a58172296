/* x86 HVM save records: HEADER, CPU and MTRR layouts and the typecodes of the other records. */
#ifndef XENOLITH_PUBLIC_ARCH_X86_HVM_SAVE_H
#define XENOLITH_PUBLIC_ARCH_X86_HVM_SAVE_H

/* HEADER.magic and HEADER.version. */
#define HVM_FILE_MAGIC   0x54381286
#define HVM_FILE_VERSION 0x00000001

/* Typecodes (Xen 4.17 numbering) and the payload length of the records defined here. */
#define HVM_SAVE_CODE_HEADER          1
#define HVM_SAVE_CODE_CPU             2
#define HVM_SAVE_CODE_PIC             3
#define HVM_SAVE_CODE_IOAPIC          4
#define HVM_SAVE_CODE_LAPIC           5
#define HVM_SAVE_CODE_LAPIC_REGS      6
#define HVM_SAVE_CODE_PCI_IRQ         7
#define HVM_SAVE_CODE_ISA_IRQ         8
#define HVM_SAVE_CODE_PCI_LINK        9
#define HVM_SAVE_CODE_PIT             10
#define HVM_SAVE_CODE_RTC             11
#define HVM_SAVE_CODE_HPET            12
#define HVM_SAVE_CODE_PMTIMER         13
#define HVM_SAVE_CODE_MTRR            14
#define HVM_SAVE_CODE_VIRIDIAN_DOMAIN 15
#define HVM_SAVE_CODE_CPU_XSAVE       16
#define HVM_SAVE_CODE_VIRIDIAN_VCPU   17
#define HVM_SAVE_CODE_VMCE_VCPU       18
#define HVM_SAVE_CODE_TSC_ADJUST      19
#define HVM_SAVE_CODE_CPU_MSR         20
#define HVM_SAVE_CODE_MAX             20
/* Xen's spelling of the two typecodes that have no fixed-size payload. */
#define CPU_XSAVE_CODE HVM_SAVE_CODE_CPU_XSAVE
#define CPU_MSR_CODE   HVM_SAVE_CODE_CPU_MSR

#define HVM_SAVE_LENGTH_HEADER   24
#define HVM_SAVE_LENGTH_CPU      1032
#define HVM_SAVE_LENGTH_CPU_V1   1016 /* Xen before 3.4 had no msr_tsc_aux, flags, pad0 */
#define HVM_SAVE_LENGTH_MTRR     240
#define HVM_SAVE_LENGTH_PCI_IRQ  16
#define HVM_SAVE_LENGTH_ISA_IRQ  8
#define HVM_SAVE_LENGTH_PCI_LINK 8

/* hvm_hw_cpu.flags */
#define _XEN_X86_FPU_INITIALISED 0
#define XEN_X86_FPU_INITIALISED  (1U << _XEN_X86_FPU_INITIALISED) /* fpu_regs is valid */

/*
 * hvm_hw_cpu.pending_event: an event being delivered when the state was taken, in the SVM
 * EVENTINJ / VMX entry-information encoding: vector 7:0, type 10:8 (0 external interrupt,
 * 2 NMI, 3 hardware exception, 4 software interrupt, 5 privileged software exception,
 * 6 software exception), error code valid 11, reserved 30:12, valid 31.
 */
#define HVM_PENDING_VECTOR_MASK   0x000000FFu
#define HVM_PENDING_TYPE_SHIFT    8
#define HVM_PENDING_TYPE_MASK     0x00000700u
#define HVM_PENDING_ERROR_VALID   0x00000800u
#define HVM_PENDING_RESERVED_MASK 0x7FFFF000u
#define HVM_PENDING_VALID         0x80000000u

/* hvm_hw_mtrr: 8 variable ranges (base/mask pairs), 11 fixed-range MSRs. */
#define MTRR_VCNT     8
#define NUM_FIXED_MSR 11

#ifndef __ASSEMBLY__

#include <stdint.h>

/* HEADER (1): first record of every stream. */
struct hvm_save_header {
    uint32_t magic;     /* HVM_FILE_MAGIC */
    uint32_t version;   /* HVM_FILE_VERSION */
    uint64_t changeset; /* version of the hypervisor that wrote the stream (~0 if unknown) */
    uint32_t cpuid;     /* CPUID leaf 1 EAX of the machine that wrote it */
    uint32_t gtsc_khz;  /* the guest's TSC frequency, 0 = the host's */
};

/*
 * CPU (2), one per online vCPU, instance = vCPU id. Segment attributes (*_arbytes) use the
 * packed 12-bit form: descriptor access byte (type, S, DPL, P) in bits 7:0 and AVL, L, D/B, G
 * in bits 11:8 (e.g. 0xc9b = flat 32-bit code, 0xc93 = flat data, 0x8b = busy 32-bit TSS).
 */
struct hvm_hw_cpu {
    uint8_t fpu_regs[512]; /* FXSAVE image, valid when flags has XEN_X86_FPU_INITIALISED */

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
    uint64_t shadow_gs; /* MSR_KERNEL_GS_BASE */

    uint64_t msr_flags; /* obsolete, ignored */
    uint64_t msr_lstar, msr_star, msr_cstar, msr_syscall_mask, msr_efer, msr_tsc_aux;

    uint64_t tsc; /* the guest's TSC when the state was taken */

    uint32_t pending_event; /* HVM_PENDING_* */
    uint32_t error_code;    /* for a pending event with HVM_PENDING_ERROR_VALID */

    uint32_t flags; /* XEN_X86_FPU_INITIALISED */
    uint32_t pad0;  /* must be 0 */
};

/* MTRR (14), one per vCPU, instance = vCPU id. */
struct hvm_hw_mtrr {
    uint64_t msr_pat_cr;                    /* IA32_PAT */
    uint64_t msr_mtrr_var[MTRR_VCNT * 2];   /* PHYSBASE0, PHYSMASK0, PHYSBASE1, ... */
    uint64_t msr_mtrr_fixed[NUM_FIXED_MSR]; /* 0x250, 0x258, 0x259, 0x268 .. 0x26f */
    uint64_t msr_mtrr_cap;                  /* IA32_MTRRCAP */
    uint64_t msr_mtrr_def_type;             /* IA32_MTRR_DEF_TYPE */
};

#endif /* !__ASSEMBLY__ */

#endif
