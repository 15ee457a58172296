/* The vendor-neutral HVM layer: per-vCPU guest state, the hvm_ops seam (SVM or VMX), helpers. */
#ifndef ASM_HVM_H
#define ASM_HVM_H

#include <hv/types.h>
#include <hv/domain.h>
#include <asm/cpu.h>
#include <asm/vlapic.h>
#include <asm/mtrr.h>

struct vcpu;
struct domain;
struct hvm_hw_cpu;

/* General-purpose registers not kept in the VMCB/VMCS (RSP/RIP/RFLAGS live there). */
struct guest_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Architectural state of a vCPU as common HVM code sees it (read from/written to the VMCB). */
struct hvm_vcpu {
    struct guest_regs regs;
    void *vmcb; /* vendor control block (struct vmcb *) */
    uint64_t vmcb_pa;
    uint32_t asid;
    uint64_t guest_efer; /* EFER as the guest believes it (without SVME) */
    uint64_t apic_base_msr;
    struct vlapic vlapic;
    uint64_t msr_tsc_aux;
    uint64_t hypercall_page_gfn; /* last value written to the hypercall-page MSR, for dumps */
    bool down;                   /* HLT with IF=0: vCPU taken offline */
    bool initialised;      /* has a state to run: loaded, SIPI'd or built (Xen's is_initialised) */
    bool need_sipi;        /* INIT received, waiting for STARTUP */
    void *fpu_area;        /* XSAVE/FXSAVE image while another vCPU owns the FPU */
    uint64_t xcr0;         /* guest XCR0 (XSETBV is not intercepted on SVM) */
    int last_cpu;          /* pCPU it last ran on (-1: never): TLB flush on a move */
    uint64_t p2m_gen_seen; /* p2m generation this vCPU's TLB reflects */
    uint64_t exits;        /* statistics for the debug keys */
    uint64_t last_exitcode;
    struct hvm_mtrr mtrr; /* the guest's MTRR MSRs (hvm/mtrr.c); PAT lives in the VMCB */
    /*
     * FPU image hand-over between a pCPU that still holds v's registers and a state load
     * (fpu.c): fpu_lock guards fpu_area against that pCPU's lazy save; fpu_reload makes the
     * next switch to v restore fpu_area even if the pCPU believes it holds v's state.
     */
    spinlock_t fpu_lock;
    bool fpu_reload;
    bool fpu_used; /* fpu_area holds state the guest ran with (XEN_X86_FPU_INITIALISED) */
};

/* Snapshot of the registers used for dumps and instruction emulation. */
struct hvm_state {
    uint64_t rip, rsp, rflags, cr0, cr2, cr3, cr4, efer;
    uint16_t cs_sel;
    uint8_t cpl;
    bool long_mode, cs_l, cs_db;
};

/* Vendor operations, chosen once at boot. Common code never includes vendor headers. */
struct hvm_ops {
    const char *name;
    int (*cpu_up)(void);                    /* enable on this pCPU; 0 or -errno */
    int (*vcpu_initialise)(struct vcpu *v); /* allocate control block, PVH start state */
    void (*vcpu_set_pvh_start)(struct vcpu *v, uint32_t entry, uint32_t ebx);
    void (*vcpu_set_sipi_start)(struct vcpu *v, uint8_t vector); /* real mode at vector << 12 */
    void (*vcpu_run_once)(struct vcpu *v); /* enter the guest, handle one exit */
    void (*get_state)(struct vcpu *v, struct hvm_state *s);
    void (*set_rip)(struct vcpu *v, uint64_t rip);
    void (*inject_exception)(struct vcpu *v, uint8_t vec, bool has_err, uint32_t err);
    void (*dump)(struct vcpu *v);
    /* Vendor-held state (segments, control/debug registers, RIP/RSP/RFLAGS, EFER, syscall MSRs,
     * pending event) into c; the caller fills the rest. */
    void (*save_cpu)(struct vcpu *v, struct hvm_hw_cpu *c);
    /* The same fields from c, already checked by arch_hvm_check_cpu (hvm/save.c). */
    void (*load_cpu)(struct vcpu *v, const struct hvm_hw_cpu *c);
    uint64_t (*get_pat)(struct vcpu *v);
    void (*set_pat)(struct vcpu *v, uint64_t pat); /* pat already validated (pat_valid()) */
};

extern const struct hvm_ops *hvm_ops;

static inline struct hvm_vcpu *hvm_of(struct vcpu *v)
{
    return (struct hvm_vcpu *)v->hvm;
}

/* Page order of a vCPU's FPU save area. */
unsigned int fpu_area_order(void);
/* Record the end of host RAM (called once at boot). */
void arch_set_max_mfn(uint64_t ram_top);
/* Give v a zeroed FPU save area (initial state once restored); 0 or -1. */
int fpu_vcpu_init(struct vcpu *v);
/* Make this pCPU's FPU/SSE/AVX registers (and XCR0) hold v's state before v runs. */
void fpu_switch_to(struct vcpu *v);
/* v leaves this pCPU: if the registers hold its FPU state, save it to v's area and forget it. */
void fpu_release(struct vcpu *v);
/* Copy v's saved x87/SSE state (FXSAVE layout) to out; false if v never ran with one. v must
 * not be running. */
bool fpu_get_legacy(struct vcpu *v, uint8_t out[512]);
/* Can an FXSAVE image be restored without faulting (MXCSR reserved bits clear)? */
bool fpu_legacy_valid(const uint8_t *in);
/* Replace v's FPU state by the FXSAVE image in (checked by fpu_legacy_valid; other components
 * reset), or by the reset state if in is NULL; v must not be running. */
void fpu_set_legacy(struct vcpu *v, const uint8_t *in);
/* Select SVM or VMX for this machine; NULL when neither is usable (reason printed). */
const struct hvm_ops *hvm_probe(void);
/* Handle CPUID for a guest: fill *r for leaf/subleaf as the guest must see it. */
void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, struct cpuid_regs *r);
/* The APIC ID of vCPU v: twice its id, as Xen gives every HVM vCPU (vLAPIC, CPUID, MADT). */
uint32_t hvm_apic_id(const struct vcpu *v);
/* Guest-physical address width the vCPU's CPUID reports (leaf 0x80000008 EAX 7:0). */
unsigned int hvm_paddr_bits(struct vcpu *v);
/* Guest RDMSR; returns 0 and *val, or -1 to inject #GP. */
int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
/* Guest WRMSR; returns 0, or -1 to inject #GP. */
int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);
/* Guest port I/O: read (is_in) or write size bytes at port. */
void hvm_portio(struct vcpu *v, uint16_t port, unsigned int size, bool is_in, uint32_t *val);
/* PIT channel 2 and port 0x61 from hypervisor time; false if port is not one of them. */
bool vpit_portio(struct vcpu *v, uint16_t port, bool is_in, uint32_t *val);
/* Guest VMMCALL/VMCALL: run the hypercall in the guest's registers. */
void hvm_hypercall(struct vcpu *v);
/* Shutdown intercept (triple fault): dump v, shut its domain down per TRIPLE_FAULT_REASON. */
void hvm_triple_fault(struct vcpu *v);
/* Guest HLT with interrupts enabled/disabled. */
void hvm_hlt(struct vcpu *v, bool irqs_enabled);
/* Emulate the MMIO access at gpa that faulted (xAPIC page); false if the domain must crash. */
bool hvm_emulate_mmio(struct vcpu *v, uint64_t gpa);
/* Translate a guest-virtual address with the vCPU's current paging mode; ~0 on fault. */
uint64_t hvm_gva_to_gpa(struct vcpu *v, uint64_t gva, bool write);
/* Highest-priority interrupt vector to inject now (event upcall first, then vLAPIC), or -1. */
int hvm_pending_vector(struct vcpu *v);
/* INIT IPI to v: reset it and wait for STARTUP. */
void hvm_vcpu_init_signal(struct vcpu *v);
/* STARTUP IPI to v: start it in real mode at vector << 12 if it is waiting. */
void hvm_vcpu_sipi(struct vcpu *v, uint8_t vector);
/* The vector returned by hvm_pending_vector was injected: update IRR/ISR. */
void hvm_vector_injected(struct vcpu *v, int vec);

#endif
