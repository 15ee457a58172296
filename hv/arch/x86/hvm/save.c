/* x86 side of HVM save records: CPU and MTRR records from and into a vCPU, and their checks. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/hvm_save.h>
#include <public/errno.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/time.h>
#include <hv/time.h>

#define CR0_KNOWN                                                                                  \
    (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP |    \
     X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)
#define EFER_FFXSE      (1ULL << 14)
#define EFER_KNOWN      (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME | EFER_FFXSE)
#define RFLAGS_RESERVED (~0x3F7FD7ULL) /* bits 3, 5, 15 and 22+ */

/* Segment attribute bits in the packed 12-bit form (type 3:0, S 4, DPL 6:5, P 7, L 9, D/B 10). */
#define SEG_TYPE(a) ((a)&0xF)
#define SEG_S       (1u << 4)
#define SEG_P       (1u << 7)
#define SEG_L       (1u << 9)
#define SEG_DB      (1u << 10)
#define SEG_G       (1u << 11)
#define TYPE_CODE   0x8
#define TYPE_RW     0x2 /* writable data / readable code */
#define SYS_LDT     0x2
#define SYS_TSS16_B 0x3
#define SYS_TSS_B   0xB

/* One segment of a CPU record, for the checks. */
struct rec_seg {
    const char *name;
    uint32_t *limit, *attr;
    uint64_t *base;
};

static int reject(struct vcpu *v, int err, const char *what)
{
    pr_warn("d%u v%u: HVM restore: %s\n", v->domain->domain_id, v->vcpu_id, what);
    return err;
}

static bool canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* CR4 bits the vCPU's CPUID view allows (Xen: hvm_cr4_guest_valid_bits). */
static uint64_t cr4_valid_bits(struct vcpu *v)
{
    struct cpuid_regs l1, l7;
    uint64_t ok = (1ULL << 8); /* PCE */

    hvm_cpuid(v, 1, 0, &l1);
    hvm_cpuid(v, 7, 0, &l7);
    if (l1.edx & (1u << 1))
        ok |= (1ULL << 0) | (1ULL << 1); /* VME, PVI */
    if (l1.edx & (1u << 4))
        ok |= 1ULL << 2; /* TSD */
    if (l1.edx & (1u << 2))
        ok |= 1ULL << 3; /* DE */
    if (l1.edx & (1u << 3))
        ok |= 1ULL << 4; /* PSE */
    if (l1.edx & (1u << 6))
        ok |= 1ULL << 5; /* PAE */
    if (l1.edx & ((1u << 7) | (1u << 14)))
        ok |= 1ULL << 6; /* MCE */
    if (l1.edx & (1u << 13))
        ok |= 1ULL << 7; /* PGE */
    if (l1.edx & (1u << 24))
        ok |= 1ULL << 9; /* OSFXSR */
    if (l1.edx & (1u << 25))
        ok |= 1ULL << 10; /* OSXMMEXCPT */
    if (l1.ecx & (1u << 17))
        ok |= 1ULL << 17; /* PCIDE */
    if (l1.ecx & (1u << 26))
        ok |= 1ULL << 18; /* OSXSAVE */
    if (l7.ecx & (1u << 2))
        ok |= 1ULL << 11; /* UMIP */
    if (l7.ebx & (1u << 0))
        ok |= 1ULL << 16; /* FSGSBASE */
    if (l7.ebx & (1u << 7))
        ok |= 1ULL << 20; /* SMEP */
    if (l7.ebx & (1u << 20))
        ok |= 1ULL << 21; /* SMAP */
    if (l7.ecx & (1u << 3))
        ok |= 1ULL << 22; /* PKE */
    if ((l7.ecx & (1u << 7)) || (l7.edx & (1u << 20)))
        ok |= 1ULL << 23; /* CET */
    return ok;
}

/* What is wrong with EFER for this vCPU (Xen: hvm_efer_valid), or NULL. */
static const char *efer_error(struct vcpu *v, uint64_t efer, bool pg)
{
    struct cpuid_regs e1;

    hvm_cpuid(v, 0x80000001, 0, &e1);
    if (efer & ~EFER_KNOWN)
        return "unknown EFER bits";
    if ((efer & EFER_SCE) && !(e1.edx & (1u << 11)))
        return "EFER.SCE without SYSCALL";
    if ((efer & (EFER_LME | EFER_LMA)) && !(e1.edx & (1u << 29)))
        return "EFER.LME/LMA without long mode";
    if ((efer & EFER_LMA) && (!(efer & EFER_LME) || !pg))
        return "EFER.LMA without EFER.LME and CR0.PG";
    if ((efer & EFER_NXE) && !(e1.edx & (1u << 20)))
        return "EFER.NXE without NX";
    if (efer & EFER_SVME)
        return "EFER.SVME without nested virtualisation";
    if ((efer & EFER_FFXSE) && !(e1.edx & (1u << 25)))
        return "EFER.FFXSE without FFXSR";
    return NULL;
}

/* Control registers, EFER, flags and RIP: what is wrong, or NULL. */
static const char *control_error(struct vcpu *v, const struct hvm_hw_cpu *c)
{
    bool pg = c->cr0 & X86_CR0_PG;
    bool lma = pg && (c->msr_efer & EFER_LME);
    const char *e;

    if ((c->cr0 & ~(uint64_t)CR0_KNOWN) || !(c->cr0 & X86_CR0_ET))
        return "bad CR0 (reserved bits, or ET clear)";
    if ((c->cr0 & (X86_CR0_PE | X86_CR0_PG)) == X86_CR0_PG)
        return "CR0.PG without CR0.PE";
    if ((c->cr0 & (X86_CR0_NW | X86_CR0_CD)) == X86_CR0_NW)
        return "CR0.NW without CR0.CD";
    if (c->cr4 & ~cr4_valid_bits(v))
        return "CR4 bits this vCPU does not have";
    e = efer_error(v, c->msr_efer, pg);
    if (e)
        return e;
    if (lma && !(c->cr4 & X86_CR4_PAE))
        return "long mode without CR4.PAE";
    if (c->cr3 >> hvm_paddr_bits(v))
        return "CR3 beyond the physical address width";
    if (lma && (c->cs_arbytes & SEG_L) && (c->cs_arbytes & SEG_DB))
        return "64-bit code segment with D/B set";
    if ((lma && (c->cs_arbytes & SEG_L)) ? !canonical(c->rip) : (c->rip >> 32) != 0)
        return "RIP not canonical / beyond 4 GiB outside 64-bit mode";
    if (c->rflags & RFLAGS_RESERVED)
        return "reserved RFLAGS bits";
    if ((c->dr6 | c->dr7) >> 32)
        return "DR6/DR7 upper bits";
    if (c->msr_tsc_aux >> 32)
        return "TSC_AUX above 32 bits";
    return NULL;
}

/* Older Xen on Intel saved VMCS-format attributes (flags in 15:12): fold them (Xen does too). */
static void unfold_attr(uint32_t *a)
{
    if ((*a & 0xF000) && !(*a & 0x0F00))
        *a = (*a & 0xFF) | ((*a >> 4) & 0xF00);
}

/* One segment's attributes and base: what is wrong, or NULL. Also sets G to match the limit. */
static const char *segment_error(struct rec_seg *s, bool is_cs, bool is_ss, bool is_fsgs)
{
    uint32_t a;

    unfold_attr(s->attr);
    a = *s->attr;
    if (a & ~0xFFFu)
        return "segment attributes beyond 12 bits";
    /* FS and GS bases are used in 64-bit mode even when the segment is unusable. */
    if (is_fsgs && !canonical(*s->base))
        return "segment base out of range";
    if (!(a & SEG_P)) {
        if (is_cs)
            return "CS not present";
        return NULL; /* unusable: nothing else matters */
    }
    /* G has to agree with the limit (VMX cares; Xen forces it the same way). */
    *s->attr = (a & ~SEG_G) | ((*s->limit >> 20) ? SEG_G : 0);
    if (!(a & SEG_S))
        return "system descriptor in a code/data segment register";
    if (is_cs && !(SEG_TYPE(a) & TYPE_CODE))
        return "CS not a code segment";
    if (is_ss && ((SEG_TYPE(a) & TYPE_CODE) || !(SEG_TYPE(a) & TYPE_RW)))
        return "SS not a writable data segment";
    if (!is_cs && (SEG_TYPE(a) & TYPE_CODE) && !(SEG_TYPE(a) & TYPE_RW))
        return "execute-only code in a data segment register";
    if (!is_fsgs && (*s->base >> 32) != 0)
        return "segment base out of range";
    return NULL;
}

/* TR, LDTR, GDTR, IDTR: what is wrong, or NULL. */
static const char *system_segment_error(struct hvm_hw_cpu *c)
{
    uint32_t tr, ldtr;

    unfold_attr(&c->tr_arbytes);
    unfold_attr(&c->ldtr_arbytes);
    tr = c->tr_arbytes;
    ldtr = c->ldtr_arbytes;
    if ((tr | ldtr) & ~0xFFFu)
        return "segment attributes beyond 12 bits";
    if (!(tr & SEG_P) || (tr & SEG_S) || (c->tr_sel & 4) ||
        (SEG_TYPE(tr) != SYS_TSS_B && SEG_TYPE(tr) != SYS_TSS16_B))
        return "TR is not a present busy TSS";
    if (SEG_TYPE(tr) == SYS_TSS_B ? !canonical(c->tr_base) : (c->tr_base >> 32) != 0)
        return "TR base out of range";
    c->tr_arbytes = (tr & ~SEG_G) | ((c->tr_limit >> 20) ? SEG_G : 0);
    if (ldtr & SEG_P) {
        if ((ldtr & SEG_S) || SEG_TYPE(ldtr) != SYS_LDT || (c->ldtr_sel & 4) ||
            !canonical(c->ldtr_base))
            return "LDTR is not an LDT";
        c->ldtr_arbytes = (ldtr & ~SEG_G) | ((c->ldtr_limit >> 20) ? SEG_G : 0);
    }
    if ((c->gdtr_limit | c->idtr_limit) >> 16 || !canonical(c->gdtr_base) ||
        !canonical(c->idtr_base))
        return "GDTR/IDTR out of range";
    return NULL;
}

/* A pending event Xen's SVM code would refuse, or NULL. */
static const char *pending_error(const struct hvm_hw_cpu *c)
{
    unsigned int type = (c->pending_event & HVM_PENDING_TYPE_MASK) >> HVM_PENDING_TYPE_SHIFT;

    if (!(c->pending_event & HVM_PENDING_VALID))
        return NULL;
    if (type == 1 || type > 4 || (c->pending_event & HVM_PENDING_RESERVED_MASK))
        return "invalid pending event";
    if ((c->pending_event & HVM_PENDING_ERROR_VALID) && (c->error_code >> 16))
        return "pending event error code above 16 bits";
    return NULL;
}

int arch_hvm_check_cpu(struct vcpu *v, struct hvm_hw_cpu *c)
{
    struct rec_seg segs[] = {
        {"CS", &c->cs_limit, &c->cs_arbytes, &c->cs_base},
        {"SS", &c->ss_limit, &c->ss_arbytes, &c->ss_base},
        {"DS", &c->ds_limit, &c->ds_arbytes, &c->ds_base},
        {"ES", &c->es_limit, &c->es_arbytes, &c->es_base},
        {"FS", &c->fs_limit, &c->fs_arbytes, &c->fs_base},
        {"GS", &c->gs_limit, &c->gs_arbytes, &c->gs_base},
    };
    const char *e;

    if (c->flags & ~XEN_X86_FPU_INITIALISED)
        return reject(v, -XEN_EINVAL, "unknown flags");
    for (unsigned int i = 0; i < ARRAY_SIZE(segs); i++) {
        e = segment_error(&segs[i], i == 0, i == 1, i >= 4);
        if (e) {
            pr_warn("d%u v%u: HVM restore: %s: %s (attributes %#x)\n", v->domain->domain_id,
                    v->vcpu_id, segs[i].name, e, *segs[i].attr);
            return -XEN_EINVAL;
        }
    }
    e = system_segment_error(c);
    if (!e)
        e = control_error(v, c);
    if (!e)
        e = pending_error(c);
    if (!e && (c->flags & XEN_X86_FPU_INITIALISED) && !fpu_legacy_valid(c->fpu_regs))
        e = "FPU image with reserved MXCSR bits";
    if (e)
        return reject(v, -XEN_EINVAL, e);
    /* Breakpoint addresses are not switched between vCPUs: only an empty set can be honoured. */
    if (c->dr0 | c->dr1 | c->dr2 | c->dr3)
        return reject(v, -XEN_EOPNOTSUPP, "DR0-DR3 are not supported");
    return 0;
}

/* General-purpose registers kept outside the VMCB: where each sits in both structures. */
#define GPR(x)                                                                                     \
    {                                                                                              \
        offsetof(struct guest_regs, x), offsetof(struct hvm_hw_cpu, x)                             \
    }
static const struct {
    uint16_t regs, rec;
} gprs[] = {
    GPR(rax), GPR(rbx), GPR(rcx), GPR(rdx), GPR(rbp), GPR(rsi), GPR(rdi), GPR(r8),
    GPR(r9),  GPR(r10), GPR(r11), GPR(r12), GPR(r13), GPR(r14), GPR(r15),
};

/* Copy the general-purpose registers between h->regs and a CPU record (to_rec: regs -> c). */
static void copy_gprs(struct guest_regs *r, struct hvm_hw_cpu *c, bool to_rec)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(gprs); i++) {
        uint64_t *reg = (uint64_t *)((uint8_t *)r + gprs[i].regs);
        uint64_t *field = (uint64_t *)((uint8_t *)c + gprs[i].rec);

        if (to_rec)
            *field = *reg;
        else
            *reg = *field;
    }
}

void arch_hvm_save_cpu(struct vcpu *v, struct hvm_hw_cpu *c)
{
    struct hvm_vcpu *h = hvm_of(v);

    memset(c, 0, sizeof(*c));
    hvm_ops->save_cpu(v, c); /* RSP, RIP, RFLAGS and the rest of the VMCB-held state */
    copy_gprs(&h->regs, c, true);
    c->msr_tsc_aux = h->msr_tsc_aux;
    c->tsc = rdtsc_now(); /* every guest sees the host TSC */
    if (fpu_get_legacy(v, c->fpu_regs))
        c->flags = XEN_X86_FPU_INITIALISED;
    else
        memset(c->fpu_regs, 0, sizeof(c->fpu_regs));
}

void arch_hvm_load_cpu(struct vcpu *v, const struct hvm_hw_cpu *c)
{
    struct hvm_vcpu *h = hvm_of(v);
    struct hvm_hw_cpu tmp = *c;

    hvm_ops->load_cpu(v, c);
    copy_gprs(&h->regs, &tmp, false);
    h->msr_tsc_aux = (uint32_t)c->msr_tsc_aux;
    /* c->tsc is not applied: guests always run on the host TSC (see docs/architecture.md). */
    fpu_set_legacy(v, (c->flags & XEN_X86_FPU_INITIALISED) ? c->fpu_regs : NULL);
    h->initialised = true;
}

void arch_hvm_save_mtrr(struct vcpu *v, struct hvm_hw_mtrr *m)
{
    memset(m, 0, sizeof(*m));
    mtrr_record_save(&hvm_of(v)->mtrr, m);
    m->msr_pat_cr = hvm_ops->get_pat(v);
}

int arch_hvm_check_mtrr(struct vcpu *v, const struct hvm_hw_mtrr *m)
{
    const char *e = mtrr_record_error(m, hvm_paddr_bits(v));

    if (!e && !pat_valid(m->msr_pat_cr))
        e = "invalid PAT";
    return e ? reject(v, -XEN_EINVAL, e) : 0;
}

void arch_hvm_load_mtrr(struct vcpu *v, const struct hvm_hw_mtrr *m)
{
    mtrr_record_load(&hvm_of(v)->mtrr, m);
    hvm_ops->set_pat(v, m->msr_pat_cr);
}

void arch_hvm_save_header(struct domain *d, struct hvm_save_header *h)
{
    struct cpuid_regs r;

    cpuid_count(1, 0, &r);
    h->cpuid = r.eax;
    h->gtsc_khz = d->ctl.gtsc_khz ? d->ctl.gtsc_khz : (uint32_t)tsc_khz();
}
