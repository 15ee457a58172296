/* AMD SVM virtual machine control block layout (APM vol. 2, appendix B) and bit definitions. */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <hv/types.h>

struct vmcb_seg {
    uint16_t sel;
    uint16_t attr; /* compressed: access byte in 7:0, AVL/L/DB/G in 11:8 */
    uint32_t limit;
    uint64_t base;
} __attribute__((packed));

struct vmcb {
    /* Control area */
    uint32_t cr_intercepts;        /* 0x000: reads 15:0, writes 31:16 */
    uint32_t dr_intercepts;        /* 0x004 */
    uint32_t exception_intercepts; /* 0x008 */
    uint32_t intercepts1;          /* 0x00C */
    uint32_t intercepts2;          /* 0x010 */
    uint32_t intercepts3;          /* 0x014 */
    uint8_t rsvd0[0x03C - 0x018];
    uint16_t pause_filter_thresh; /* 0x03C */
    uint16_t pause_filter_count;  /* 0x03E */
    uint64_t iopm_base_pa;        /* 0x040 */
    uint64_t msrpm_base_pa;       /* 0x048 */
    uint64_t tsc_offset;          /* 0x050 */
    uint32_t asid;                /* 0x058 */
    uint8_t tlb_control;          /* 0x05C */
    uint8_t rsvd1[3];
    uint64_t vintr;            /* 0x060 */
    uint64_t interrupt_shadow; /* 0x068 */
    uint64_t exitcode;         /* 0x070 */
    uint64_t exitinfo1;        /* 0x078 */
    uint64_t exitinfo2;        /* 0x080 */
    uint64_t exitintinfo;      /* 0x088 */
    uint64_t np_enable;        /* 0x090 */
    uint64_t avic_apic_bar;    /* 0x098 */
    uint64_t ghcb_pa;          /* 0x0A0 */
    uint64_t eventinj;         /* 0x0A8 */
    uint64_t n_cr3;            /* 0x0B0 */
    uint64_t virt_ext;         /* 0x0B8 */
    uint32_t clean_bits;       /* 0x0C0 */
    uint32_t rsvd2;
    uint64_t nrip;    /* 0x0C8 */
    uint8_t insn_len; /* 0x0D0 */
    uint8_t insn_bytes[15];
    uint8_t rsvd3[0x400 - 0x0E0];

    /* State save area */
    struct vmcb_seg es, cs, ss, ds, fs, gs; /* 0x400 */
    struct vmcb_seg gdtr, ldtr, idtr, tr;   /* 0x460 */
    uint8_t rsvd4[0x4CB - 0x4A0];
    uint8_t cpl; /* 0x4CB */
    uint32_t rsvd5;
    uint64_t efer; /* 0x4D0 */
    uint8_t rsvd6[0x548 - 0x4D8];
    uint64_t cr4;    /* 0x548 */
    uint64_t cr3;    /* 0x550 */
    uint64_t cr0;    /* 0x558 */
    uint64_t dr7;    /* 0x560 */
    uint64_t dr6;    /* 0x568 */
    uint64_t rflags; /* 0x570 */
    uint64_t rip;    /* 0x578 */
    uint8_t rsvd7[0x5D8 - 0x580];
    uint64_t rsp; /* 0x5D8 */
    uint8_t rsvd8[0x5F8 - 0x5E0];
    uint64_t rax;            /* 0x5F8 */
    uint64_t star;           /* 0x600 */
    uint64_t lstar;          /* 0x608 */
    uint64_t cstar;          /* 0x610 */
    uint64_t sfmask;         /* 0x618 */
    uint64_t kernel_gs_base; /* 0x620 */
    uint64_t sysenter_cs;    /* 0x628 */
    uint64_t sysenter_esp;   /* 0x630 */
    uint64_t sysenter_eip;   /* 0x638 */
    uint64_t cr2;            /* 0x640 */
    uint8_t rsvd9[0x668 - 0x648];
    uint64_t g_pat;  /* 0x668 */
    uint64_t dbgctl; /* 0x670 */
    uint8_t rsvd10[0x1000 - 0x678];
} __attribute__((packed));

_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB is one page");
_Static_assert(__builtin_offsetof(struct vmcb, exitcode) == 0x070, "exitcode");
_Static_assert(__builtin_offsetof(struct vmcb, eventinj) == 0x0A8, "eventinj");
_Static_assert(__builtin_offsetof(struct vmcb, nrip) == 0x0C8, "nrip");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "es");
_Static_assert(__builtin_offsetof(struct vmcb, tr) == 0x490, "tr");
_Static_assert(__builtin_offsetof(struct vmcb, cpl) == 0x4CB, "cpl");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4D0, "efer");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "cr4");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "rip");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5D8, "rsp");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5F8, "rax");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "cr2");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "g_pat");

/* intercepts1 */
#define SVM_INTR        (1u << 0)
#define SVM_NMI         (1u << 1)
#define SVM_SMI         (1u << 2)
#define SVM_INIT        (1u << 3)
#define SVM_VINTR       (1u << 4)
#define SVM_RDPMC       (1u << 15)
#define SVM_CPUID       (1u << 18)
#define SVM_INVD        (1u << 22)
#define SVM_HLT         (1u << 24)
#define SVM_INVLPGA     (1u << 26)
#define SVM_IOIO        (1u << 27)
#define SVM_MSR         (1u << 28)
#define SVM_TASK_SWITCH (1u << 29)
#define SVM_SHUTDOWN    (1u << 31)
/* intercepts2 */
#define SVM_VMRUN      (1u << 0)
#define SVM_VMMCALL    (1u << 1)
#define SVM_VMLOAD     (1u << 2)
#define SVM_VMSAVE     (1u << 3)
#define SVM_STGI       (1u << 4)
#define SVM_CLGI       (1u << 5)
#define SVM_SKINIT     (1u << 6)
#define SVM_ICEBP      (1u << 8)
#define SVM_MONITOR    (1u << 10)
#define SVM_MWAIT      (1u << 11)
#define SVM_MWAIT_COND (1u << 12)

/* vintr field */
#define VINTR_V_IRQ          (1ULL << 8)
#define VINTR_V_IGN_TPR      (1ULL << 20)
#define VINTR_V_INTR_MASKING (1ULL << 24)
#define VINTR_VECTOR_SHIFT   32

/* eventinj / exitintinfo */
#define EVTINJ_VALID     (1ULL << 31)
#define EVTINJ_EV        (1ULL << 11)
#define EVTINJ_TYPE_INTR (0ULL << 8)
#define EVTINJ_TYPE_NMI  (2ULL << 8)
#define EVTINJ_TYPE_EXC  (3ULL << 8)

/* Exit codes */
#define VMEXIT_CR0_READ       0x000
#define VMEXIT_CR0_WRITE      0x010
#define VMEXIT_EXCEPTION_BASE 0x040
#define VMEXIT_INTR           0x060
#define VMEXIT_NMI            0x061
#define VMEXIT_SMI            0x062
#define VMEXIT_INIT           0x063
#define VMEXIT_VINTR          0x064
#define VMEXIT_RDPMC          0x06F
#define VMEXIT_CPUID          0x072
#define VMEXIT_INVD           0x076
#define VMEXIT_PAUSE          0x077
#define VMEXIT_HLT            0x078
#define VMEXIT_INVLPGA        0x07A
#define VMEXIT_IOIO           0x07B
#define VMEXIT_MSR            0x07C
#define VMEXIT_TASK_SWITCH    0x07D
#define VMEXIT_SHUTDOWN       0x07F
#define VMEXIT_VMRUN          0x080
#define VMEXIT_VMMCALL        0x081
#define VMEXIT_VMLOAD         0x082
#define VMEXIT_VMSAVE         0x083
#define VMEXIT_STGI           0x084
#define VMEXIT_CLGI           0x085
#define VMEXIT_SKINIT         0x086
#define VMEXIT_RDTSCP         0x087
#define VMEXIT_ICEBP          0x088
#define VMEXIT_WBINVD         0x089
#define VMEXIT_MONITOR        0x08A
#define VMEXIT_MWAIT          0x08B
#define VMEXIT_MWAIT_COND     0x08C
#define VMEXIT_XSETBV         0x08D
#define VMEXIT_NPF            0x400
#define VMEXIT_INVALID        0xFFFFFFFFFFFFFFFFULL

#endif
