/* AMD SVM backend: per-CPU enable, VMCB set-up for PVH vCPUs, VM entry and the exit dispatch table.
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/regs.h>
#include <asm/hvm.h>
#include <asm/p2m.h>
#include <public/hvm/save.h>
#include "vmcb.h"

void svm_vmrun(struct guest_regs *regs, uint64_t vmcb_pa, uint64_t host_save_pa);

static uint8_t *iopm;  /* 12 KiB: intercept every port */
static uint8_t *msrpm; /* 8 KiB: intercept every MSR except the context-switched ones */
static uint32_t next_asid = 1, max_asid;
static void *host_save[NR_CPUS];
static uint64_t svm_exit_stats[0x92]; /* VM exits by exit code (0x90: NPF, 0x91: other) */

static inline struct vmcb *vmcb_of(struct vcpu *v)
{
    return (struct vmcb *)hvm_of(v)->vmcb;
}

static inline void clgi(void)
{
    __asm__ volatile("clgi" ::: "memory");
}

static inline void stgi(void)
{
    __asm__ volatile("stgi" ::: "memory");
}

static void msrpm_allow(uint32_t msr)
{
    uint32_t base, idx;
    if (msr < 0x2000) {
        base = 0;
        idx = msr;
    } else if (msr >= 0xC0000000 && msr < 0xC0002000) {
        base = 0x800;
        idx = msr - 0xC0000000;
    } else {
        base = 0x1000;
        idx = msr - 0xC0010000;
    }
    msrpm[base + idx / 4] &= ~(3u << ((idx % 4) * 2));
}

static int svm_cpu_up(void)
{
    struct cpuid_regs r;
    unsigned int cpu = smp_processor_id();

    cpuid_count(0x80000001, 0, &r);
    if (!(r.ecx & (1u << 2)))
        return -1;
    if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
        pr_err("SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
        return -1;
    }
    cpuid_count(0x8000000A, 0, &r);
    if (!(r.edx & 1u)) {
        pr_err("SVM without nested paging (NPT) is not supported\n");
        return -1;
    }
    max_asid = r.ebx;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    if (!this_cpu()->hsave)
        this_cpu()->hsave = alloc_page_zeroed();
    if (!host_save[cpu])
        host_save[cpu] = alloc_page_zeroed();
    if (!this_cpu()->hsave || !host_save[cpu])
        panic("no memory for SVM host save areas");
    wrmsr(MSR_VM_HSAVE_PA, (uint64_t)this_cpu()->hsave);

    if (!iopm) {
        iopm = alloc_pages(2); /* 16 KiB block, 12 KiB used */
        msrpm = alloc_pages(1);
        if (!iopm || !msrpm)
            panic("no memory for SVM permission maps");
        memset(iopm, 0xff, 4 * PAGE_SIZE);
        memset(msrpm, 0xff, 2 * PAGE_SIZE);
        static const uint32_t passthrough[] = {
            MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR,
            MSR_LSTAR,   MSR_CSTAR,   MSR_SFMASK,         0x174,
            0x175,       0x176,
        };
        for (unsigned int i = 0; i < ARRAY_SIZE(passthrough); i++)
            msrpm_allow(passthrough[i]);
    }
    cpuid_count(0x8000000A, 0, &r);
    pr_info("SVM: enabled on CPU%u (NPT, %u ASIDs, NRIP-save %s, VGIF %s)\n", cpu, max_asid,
            (r.edx & (1u << 3)) ? "yes" : "no", (r.edx & (1u << 16)) ? "yes" : "no");
    return 0;
}

static void seg_flat(struct vmcb_seg *s, uint16_t sel, uint16_t attr)
{
    s->sel = sel;
    s->attr = attr;
    s->limit = 0xFFFFFFFF;
    s->base = 0;
}

static void svm_set_pvh_start(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct hvm_vcpu *h = hvm_of(v);

    seg_flat(&vmcb->cs, 0x10, 0xC9B);
    seg_flat(&vmcb->ds, 0x18, 0xC93);
    seg_flat(&vmcb->es, 0x18, 0xC93);
    seg_flat(&vmcb->ss, 0x18, 0xC93);
    seg_flat(&vmcb->fs, 0x18, 0xC93);
    seg_flat(&vmcb->gs, 0x18, 0xC93);
    vmcb->tr = (struct vmcb_seg){.sel = 0x20, .attr = 0x8B, .limit = 0x67, .base = 0};
    vmcb->ldtr = (struct vmcb_seg){.sel = 0, .attr = 0x82, .limit = 0xFFFF, .base = 0};
    vmcb->gdtr = (struct vmcb_seg){.limit = 0xFFFF};
    vmcb->idtr = (struct vmcb_seg){.limit = 0xFFFF};
    vmcb->cpl = 0;
    vmcb->cr0 = X86_CR0_PE | X86_CR0_ET;
    vmcb->cr4 = 0;
    vmcb->cr3 = 0;
    vmcb->efer = EFER_SVME;
    h->guest_efer = 0;
    vmcb->rflags = 0x2;
    vmcb->rip = entry;
    vmcb->rsp = 0;
    vmcb->dr6 = 0xFFFF0FF0;
    vmcb->dr7 = 0x400;
    memset(&h->regs, 0, sizeof(h->regs));
    h->regs.rbx = ebx;
}

/* Real-mode start at CS:IP = (vector << 8):0 for an AP after INIT-SIPI. */
static void svm_set_sipi_start(struct vcpu *v, uint8_t vector)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct hvm_vcpu *h = hvm_of(v);

    vmcb->cs = (struct vmcb_seg){.sel = (uint16_t)(vector << 8),
                                 .attr = 0x9B,
                                 .limit = 0xFFFF,
                                 .base = (uint64_t)vector << 12};
    vmcb->ds = vmcb->es = vmcb->ss = vmcb->fs = vmcb->gs =
        (struct vmcb_seg){.sel = 0, .attr = 0x93, .limit = 0xFFFF, .base = 0};
    vmcb->tr = (struct vmcb_seg){.attr = 0x8B, .limit = 0xFFFF};
    vmcb->ldtr = (struct vmcb_seg){.attr = 0x82, .limit = 0xFFFF};
    vmcb->gdtr = (struct vmcb_seg){.limit = 0xFFFF};
    vmcb->idtr = (struct vmcb_seg){.limit = 0xFFFF};
    vmcb->cpl = 0;
    vmcb->cr0 = X86_CR0_ET | X86_CR0_NE;
    vmcb->cr4 = 0;
    vmcb->cr3 = 0;
    vmcb->efer = EFER_SVME;
    h->guest_efer = 0;
    vmcb->rflags = 0x2;
    vmcb->rip = 0;
    vmcb->rsp = 0;
    memset(&h->regs, 0, sizeof(h->regs));
}

static int svm_vcpu_initialise(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);
    struct vmcb *vmcb = alloc_page_zeroed();

    if (!vmcb)
        return -1;
    h->vmcb = vmcb;
    h->vmcb_pa = (uint64_t)vmcb;
    if (next_asid >= max_asid)
        next_asid = 1; /* recycle (only past max_asid vCPUs): TLB flushed at first entry */
    h->asid = next_asid++;

    vmcb->intercepts1 = SVM_INTR | SVM_NMI | SVM_SMI | SVM_CPUID | SVM_INVD | SVM_HLT |
                        SVM_INVLPGA | SVM_IOIO | SVM_MSR | SVM_TASK_SWITCH | SVM_SHUTDOWN;
    vmcb->intercepts2 = SVM_VMRUN | SVM_VMMCALL | SVM_VMLOAD | SVM_VMSAVE | SVM_STGI | SVM_CLGI |
                        SVM_SKINIT | SVM_ICEBP | SVM_MONITOR | SVM_MWAIT | SVM_MWAIT_COND;
    vmcb->iopm_base_pa = (uint64_t)iopm;
    vmcb->msrpm_base_pa = (uint64_t)msrpm;
    vmcb->asid = h->asid;
    vmcb->tlb_control = 1;
    vmcb->vintr = VINTR_V_INTR_MASKING;
    vmcb->np_enable = 1;
    vmcb->n_cr3 = p2m_root(v->domain);
    vmcb->g_pat = PAT_RESET;
    return 0;
}

static void svm_get_state(struct vcpu *v, struct hvm_state *s)
{
    struct vmcb *vmcb = vmcb_of(v);
    s->rip = vmcb->rip;
    s->rsp = vmcb->rsp;
    s->rflags = vmcb->rflags;
    s->cr0 = vmcb->cr0;
    s->cr2 = vmcb->cr2;
    s->cr3 = vmcb->cr3;
    s->cr4 = vmcb->cr4;
    s->efer = vmcb->efer & ~(uint64_t)EFER_SVME;
    s->cs_sel = vmcb->cs.sel;
    s->cpl = vmcb->cpl;
    s->long_mode = (vmcb->efer & EFER_LMA) != 0;
    s->cs_l = (vmcb->cs.attr >> 9) & 1;
    s->cs_db = (vmcb->cs.attr >> 10) & 1;
}

static void svm_set_rip(struct vcpu *v, uint64_t rip)
{
    vmcb_of(v)->rip = rip;
}

static void svm_inject_exception(struct vcpu *v, uint8_t vec, bool has_err, uint32_t err)
{
    uint64_t ev = vec | EVTINJ_TYPE_EXC | EVTINJ_VALID;
    if (has_err)
        ev |= EVTINJ_EV | ((uint64_t)err << 32);
    vmcb_of(v)->eventinj = ev;
}

static void svm_dump(struct vcpu *v)
{
    if (v->vcpu_id == 0) {
        printk("    VM exits by reason (all vCPUs):");
        for (unsigned int i = 0; i < ARRAY_SIZE(svm_exit_stats); i++)
            if (svm_exit_stats[i])
                printk(" %#x:%llu", i == 0x90 ? 0x400 : i, (unsigned long long)svm_exit_stats[i]);
        printk("\n");
    }
    struct vmcb *vmcb = vmcb_of(v);
    struct hvm_vcpu *h = hvm_of(v);
    struct guest_regs *r = &h->regs;

    printk("    RIP: %04x:%016llx  RFLAGS: %016llx  CPL: %u  exit code: %#llx\n", vmcb->cs.sel,
           (unsigned long long)vmcb->rip, (unsigned long long)vmcb->rflags, vmcb->cpl,
           (unsigned long long)vmcb->exitcode);
    printk("    exitinfo1: %016llx  exitinfo2: %016llx  exitintinfo: %016llx\n",
           (unsigned long long)vmcb->exitinfo1, (unsigned long long)vmcb->exitinfo2,
           (unsigned long long)vmcb->exitintinfo);
    static const char *const names[] = {
        "rax:", "rbx:", "rcx:", "rdx:", "rsi:", "rdi:", "rbp:", "rsp:", "r8:",  "r9:",  "r10:",
        "r11:", "r12:", "r13:", "r14:", "r15:", "cr0:", "cr2:", "cr3:", "cr4:", "efer:"};
    const uint64_t vals[] = {r->rax,    r->rbx,    r->rcx,
                             r->rdx,    r->rsi,    r->rdi,
                             r->rbp,    vmcb->rsp, r->r8,
                             r->r9,     r->r10,    r->r11,
                             r->r12,    r->r13,    r->r14,
                             r->r15,    vmcb->cr0, vmcb->cr2,
                             vmcb->cr3, vmcb->cr4, vmcb->efer & ~(uint64_t)EFER_SVME};
    print_reg_table("    ", names, vals, ARRAY_SIZE(vals));
}

/* ---- CPU state to and from an HVM save record (the VMCB is the authority) ---- */

static void seg_out(const struct vmcb_seg *s, uint32_t *sel, uint32_t *limit, uint64_t *base,
                    uint32_t *attr)
{
    *sel = s->sel;
    *limit = s->limit;
    *base = s->base;
    *attr = s->attr;
}

static struct vmcb_seg seg_in(uint32_t sel, uint32_t limit, uint64_t base, uint32_t attr)
{
    return (struct vmcb_seg){
        .sel = (uint16_t)sel, .attr = (uint16_t)attr, .limit = limit, .base = base};
}

static void svm_save_cpu(struct vcpu *v, struct hvm_hw_cpu *c)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t ev = (vmcb->exitintinfo & EVTINJ_VALID) ? vmcb->exitintinfo : vmcb->eventinj;

    seg_out(&vmcb->cs, &c->cs_sel, &c->cs_limit, &c->cs_base, &c->cs_arbytes);
    seg_out(&vmcb->ds, &c->ds_sel, &c->ds_limit, &c->ds_base, &c->ds_arbytes);
    seg_out(&vmcb->es, &c->es_sel, &c->es_limit, &c->es_base, &c->es_arbytes);
    seg_out(&vmcb->fs, &c->fs_sel, &c->fs_limit, &c->fs_base, &c->fs_arbytes);
    seg_out(&vmcb->gs, &c->gs_sel, &c->gs_limit, &c->gs_base, &c->gs_arbytes);
    seg_out(&vmcb->ss, &c->ss_sel, &c->ss_limit, &c->ss_base, &c->ss_arbytes);
    seg_out(&vmcb->tr, &c->tr_sel, &c->tr_limit, &c->tr_base, &c->tr_arbytes);
    seg_out(&vmcb->ldtr, &c->ldtr_sel, &c->ldtr_limit, &c->ldtr_base, &c->ldtr_arbytes);
    c->gdtr_limit = vmcb->gdtr.limit;
    c->gdtr_base = vmcb->gdtr.base;
    c->idtr_limit = vmcb->idtr.limit;
    c->idtr_base = vmcb->idtr.base;
    c->rip = vmcb->rip;
    c->rsp = vmcb->rsp;
    c->rflags = vmcb->rflags;
    c->cr0 = vmcb->cr0;
    c->cr2 = vmcb->cr2;
    c->cr3 = vmcb->cr3;
    c->cr4 = vmcb->cr4;
    c->dr6 = vmcb->dr6;
    c->dr7 = vmcb->dr7;
    c->msr_efer = hvm_of(v)->guest_efer | (vmcb->efer & EFER_LMA);
    c->sysenter_cs = vmcb->sysenter_cs;
    c->sysenter_esp = vmcb->sysenter_esp;
    c->sysenter_eip = vmcb->sysenter_eip;
    c->shadow_gs = vmcb->kernel_gs_base;
    c->msr_star = vmcb->star;
    c->msr_lstar = vmcb->lstar;
    c->msr_cstar = vmcb->cstar;
    c->msr_syscall_mask = vmcb->sfmask;
    /* An event in flight (interrupted delivery, or queued for the next entry). */
    if (ev & EVTINJ_VALID) {
        c->pending_event = (uint32_t)ev;
        c->error_code = (uint32_t)(ev >> 32);
    }
}

/* Must an event of this type be delivered again after a restore? (#BP/#OF and software
 * interrupts are re-raised by re-executing their instruction.) */
static bool event_needs_reinjection(uint32_t ev)
{
    unsigned int type = (ev & HVM_PENDING_TYPE_MASK) >> HVM_PENDING_TYPE_SHIFT;
    unsigned int vec = ev & HVM_PENDING_VECTOR_MASK;

    return type == 0 || type == 2 || (type == 3 && vec != 3 && vec != 4);
}

static void svm_load_cpu(struct vcpu *v, const struct hvm_hw_cpu *c)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct hvm_vcpu *h = hvm_of(v);
    uint64_t efer = c->msr_efer & ~(uint64_t)EFER_LMA;

    vmcb->cs = seg_in(c->cs_sel, c->cs_limit, c->cs_base, c->cs_arbytes);
    vmcb->ds = seg_in(c->ds_sel, c->ds_limit, c->ds_base, c->ds_arbytes);
    vmcb->es = seg_in(c->es_sel, c->es_limit, c->es_base, c->es_arbytes);
    vmcb->fs = seg_in(c->fs_sel, c->fs_limit, c->fs_base, c->fs_arbytes);
    vmcb->gs = seg_in(c->gs_sel, c->gs_limit, c->gs_base, c->gs_arbytes);
    vmcb->ss = seg_in(c->ss_sel, c->ss_limit, c->ss_base, c->ss_arbytes);
    vmcb->tr = seg_in(c->tr_sel, c->tr_limit, c->tr_base, c->tr_arbytes);
    vmcb->ldtr = seg_in(c->ldtr_sel, c->ldtr_limit, c->ldtr_base, c->ldtr_arbytes);
    vmcb->gdtr = seg_in(0, c->gdtr_limit, c->gdtr_base, 0);
    vmcb->idtr = seg_in(0, c->idtr_limit, c->idtr_base, 0);
    /* SVM keeps CPL apart: SS.DPL in protected mode, 3 in virtual-8086 mode, else 0. */
    if (!(c->cr0 & X86_CR0_PE))
        vmcb->cpl = 0;
    else if (c->rflags & (1ULL << 17))
        vmcb->cpl = 3;
    else
        vmcb->cpl = (uint8_t)((c->ss_arbytes >> 5) & 3);
    vmcb->rip = c->rip;
    vmcb->rsp = c->rsp;
    vmcb->rflags = c->rflags | 0x2;
    vmcb->cr0 = c->cr0;
    vmcb->cr2 = c->cr2;
    vmcb->cr3 = c->cr3;
    vmcb->cr4 = c->cr4;
    vmcb->dr6 = c->dr6;
    vmcb->dr7 = c->dr7;
    /* LMA follows LME and CR0.PG, as the processor would set it. */
    h->guest_efer = efer;
    vmcb->efer =
        efer | EFER_SVME | (((efer & EFER_LME) && (c->cr0 & X86_CR0_PG)) ? (uint64_t)EFER_LMA : 0);
    vmcb->sysenter_cs = c->sysenter_cs;
    vmcb->sysenter_esp = c->sysenter_esp;
    vmcb->sysenter_eip = c->sysenter_eip;
    vmcb->kernel_gs_base = c->shadow_gs;
    vmcb->star = c->msr_star;
    vmcb->lstar = c->msr_lstar;
    vmcb->cstar = c->msr_cstar;
    vmcb->sfmask = c->msr_syscall_mask;
    vmcb->exitintinfo = 0;
    vmcb->eventinj = 0;
    if ((c->pending_event & HVM_PENDING_VALID) && event_needs_reinjection(c->pending_event))
        vmcb->eventinj = c->pending_event | ((uint64_t)c->error_code << 32);
    vmcb->interrupt_shadow = 0;
    vmcb->vintr &= ~(VINTR_V_IRQ | (0xFFULL << VINTR_VECTOR_SHIFT));
    vmcb->intercepts1 &= ~SVM_VINTR;
    vmcb->tlb_control = 1;
}

static uint64_t svm_get_pat(struct vcpu *v)
{
    return vmcb_of(v)->g_pat;
}

static void svm_set_pat(struct vcpu *v, uint64_t pat)
{
    vmcb_of(v)->g_pat = pat;
}

/* ---- exit handlers ---- */

typedef void (*exit_handler_t)(struct vcpu *v, struct vmcb *vmcb);

static void advance(struct vmcb *vmcb, unsigned int len)
{
    vmcb->rip += len;
    vmcb->interrupt_shadow = 0;
}

static void exit_nothing(struct vcpu *v, struct vmcb *vmcb)
{
    (void)v;
    (void)vmcb;
}

static void exit_vintr(struct vcpu *v, struct vmcb *vmcb)
{
    (void)v;
    vmcb->vintr &= ~(VINTR_V_IRQ | (0xFFULL << VINTR_VECTOR_SHIFT));
    vmcb->intercepts1 &= ~SVM_VINTR;
}

static void exit_cpuid(struct vcpu *v, struct vmcb *vmcb)
{
    struct hvm_vcpu *h = hvm_of(v);
    struct cpuid_regs r;
    hvm_cpuid(v, (uint32_t)h->regs.rax, (uint32_t)h->regs.rcx, &r);
    h->regs.rax = r.eax;
    h->regs.rbx = r.ebx;
    h->regs.rcx = r.ecx;
    h->regs.rdx = r.edx;
    advance(vmcb, 2);
}

static void exit_msr(struct vcpu *v, struct vmcb *vmcb)
{
    struct hvm_vcpu *h = hvm_of(v);
    uint32_t msr = (uint32_t)h->regs.rcx;
    uint64_t val;

    if (vmcb->exitinfo1 == 0) {
        if (msr == MSR_EFER) {
            val = h->guest_efer | (vmcb->efer & EFER_LMA);
        } else if (msr == MSR_IA32_PAT) {
            val = vmcb->g_pat;
        } else if (hvm_msr_read(v, msr, &val)) {
            svm_inject_exception(v, 13, true, 0);
            return;
        }
        h->regs.rax = (uint32_t)val;
        h->regs.rdx = val >> 32;
    } else {
        val = (uint32_t)h->regs.rax | ((uint64_t)(uint32_t)h->regs.rdx << 32);
        if (msr == MSR_EFER) {
            /* Keep SVME set underneath the guest; the guest sees its own value. */
            if (val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | (1ULL << 14) | (1ULL << 15))) {
                svm_inject_exception(v, 13, true, 0);
                return;
            }
            h->guest_efer = val;
            vmcb->efer = (val & ~(uint64_t)EFER_LMA) | (vmcb->efer & EFER_LMA) | EFER_SVME;
        } else if (msr == MSR_IA32_PAT) {
            if (!pat_valid(val)) {
                svm_inject_exception(v, 13, true, 0);
                return;
            }
            vmcb->g_pat = val;
        } else if (hvm_msr_write(v, msr, val)) {
            svm_inject_exception(v, 13, true, 0);
            return;
        }
    }
    advance(vmcb, 2);
}

static void exit_ioio(struct vcpu *v, struct vmcb *vmcb)
{
    uint64_t info = vmcb->exitinfo1;
    uint16_t port = info >> 16;
    unsigned int size = (info & (1u << 4)) ? 1 : (info & (1u << 5)) ? 2 : 4;
    bool in = info & 1;
    struct hvm_vcpu *h = hvm_of(v);
    uint32_t val = (uint32_t)h->regs.rax;

    if (info & (1u << 2)) {
        /* String I/O: nothing we emulate needs it; skip the instruction. */
        pr_debug("d%u: string I/O on port %#x ignored\n", v->domain->domain_id, port);
    } else {
        hvm_portio(v, port, size, in, &val);
        if (in) {
            uint64_t mask = size == 4 ? 0xFFFFFFFFULL : ((1ULL << (size * 8)) - 1);
            if (size == 4)
                h->regs.rax = val;
            else
                h->regs.rax = (h->regs.rax & ~mask) | (val & mask);
        }
    }
    vmcb->rip = vmcb->exitinfo2; /* IOIO exits always report the next RIP */
    vmcb->interrupt_shadow = 0;
}

static void exit_hlt(struct vcpu *v, struct vmcb *vmcb)
{
    advance(vmcb, 1);
    hvm_hlt(v, (vmcb->rflags & 0x200) != 0);
}

static void exit_vmmcall(struct vcpu *v, struct vmcb *vmcb)
{
    advance(vmcb, 3);
    hvm_hypercall(v);
}

static void exit_invd(struct vcpu *v, struct vmcb *vmcb)
{
    (void)v;
    advance(vmcb, 2);
}

static void exit_ud(struct vcpu *v, struct vmcb *vmcb)
{
    (void)vmcb;
    svm_inject_exception(v, 6, false, 0);
}

static void exit_npf(struct vcpu *v, struct vmcb *vmcb)
{
    uint64_t gpa = vmcb->exitinfo2;
    if (hvm_emulate_mmio(v, gpa))
        return;
    if ((vmcb->exitinfo1 & 3) == 3 && p2m_readonly_write(v, gpa)) /* present, write */
        return;
    pr_err("d%u v%u: nested page fault at gpa %#llx (error %#llx) outside guest memory\n",
           v->domain->domain_id, v->vcpu_id, (unsigned long long)gpa,
           (unsigned long long)vmcb->exitinfo1);
    domain_crash(v->domain, "access to unmapped guest-physical memory");
}

static void exit_shutdown(struct vcpu *v, struct vmcb *vmcb)
{
    (void)vmcb;
    hvm_triple_fault(v);
}

static void exit_task_switch(struct vcpu *v, struct vmcb *vmcb)
{
    (void)vmcb;
    domain_crash(v->domain, "hardware task switch is not supported");
}

static const exit_handler_t exit_table[] = {
    [VMEXIT_INTR] = exit_nothing,
    [VMEXIT_NMI] = exit_nothing,
    [VMEXIT_SMI] = exit_nothing,
    [VMEXIT_VINTR] = exit_vintr,
    [VMEXIT_CPUID] = exit_cpuid,
    [VMEXIT_INVD] = exit_invd,
    [VMEXIT_HLT] = exit_hlt,
    [VMEXIT_INVLPGA] = exit_ud,
    [VMEXIT_IOIO] = exit_ioio,
    [VMEXIT_MSR] = exit_msr,
    [VMEXIT_TASK_SWITCH] = exit_task_switch,
    [VMEXIT_SHUTDOWN] = exit_shutdown,
    [VMEXIT_VMRUN] = exit_ud,
    [VMEXIT_VMMCALL] = exit_vmmcall,
    [VMEXIT_VMLOAD] = exit_ud,
    [VMEXIT_VMSAVE] = exit_ud,
    [VMEXIT_STGI] = exit_ud,
    [VMEXIT_CLGI] = exit_ud,
    [VMEXIT_SKINIT] = exit_ud,
    [VMEXIT_ICEBP] = exit_ud,
    [VMEXIT_MONITOR] = exit_ud,
    [VMEXIT_MWAIT] = exit_ud,
    [VMEXIT_MWAIT_COND] = exit_ud,
};

static void inject_pending(struct vcpu *v, struct vmcb *vmcb)
{
    int vec;

    if (vmcb->exitintinfo & EVTINJ_VALID) {
        /* An event was being delivered when we exited: deliver it again. */
        vmcb->eventinj = vmcb->exitintinfo;
        vmcb->exitintinfo = 0;
        return;
    }
    if (vmcb->eventinj & EVTINJ_VALID)
        return;
    vec = hvm_pending_vector(v);
    if (vec < 0)
        return;
    if ((vmcb->rflags & 0x200) && !(vmcb->interrupt_shadow & 1)) {
        vmcb->eventinj = (uint64_t)vec | EVTINJ_TYPE_INTR | EVTINJ_VALID;
        hvm_vector_injected(v, vec);
    } else {
        /* Ask for an exit as soon as the guest can take an interrupt. */
        vmcb->vintr = (vmcb->vintr & ~(0xFFULL << VINTR_VECTOR_SHIFT)) | VINTR_V_IRQ |
                      VINTR_V_IGN_TPR | ((uint64_t)vec << VINTR_VECTOR_SHIFT);
        vmcb->intercepts1 |= SVM_VINTR;
    }
}

static void svm_vcpu_run_once(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);
    struct vmcb *vmcb = vmcb_of(v);
    unsigned int cpu = smp_processor_id();
    exit_handler_t fn = NULL;

    local_irq_disable();
    /* Announce guest mode before sampling the p2m generation (pairs with p2m flush_remote). */
    __atomic_store_n(&this_cpu()->in_guest, true, __ATOMIC_SEQ_CST);
    uint64_t gen =
        __atomic_load_n(&((struct arch_domain *)v->domain->arch)->p2m_gen, __ATOMIC_SEQ_CST);
    if (h->p2m_gen_seen != gen) {
        h->p2m_gen_seen = gen;
        vmcb->tlb_control = 1;
    }
    inject_pending(v, vmcb);
    vmcb->rax = h->regs.rax;
    clgi();
    local_irq_enable();
    svm_vmrun(&h->regs, h->vmcb_pa, (uint64_t)host_save[cpu]);
    local_irq_disable();
    stgi();
    __atomic_fetch_add(&this_cpu()->guest_exits, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&this_cpu()->in_guest, false, __ATOMIC_SEQ_CST);
    h->regs.rax = vmcb->rax;
    vmcb->tlb_control = 0;
    h->exits++;
    svm_exit_stats[vmcb->exitcode < 0x90          ? vmcb->exitcode
                   : vmcb->exitcode == VMEXIT_NPF ? 0x90
                                                  : 0x91]++;
    h->last_exitcode = vmcb->exitcode;

    if (vmcb->exitcode < ARRAY_SIZE(exit_table))
        fn = exit_table[vmcb->exitcode];
    else if (vmcb->exitcode == VMEXIT_NPF)
        fn = exit_npf;
    if (fn) {
        fn(v, vmcb);
    } else {
        pr_err("d%u v%u: unhandled SVM exit %#llx (exitinfo1 %#llx, exitinfo2 %#llx)\n",
               v->domain->domain_id, v->vcpu_id, (unsigned long long)vmcb->exitcode,
               (unsigned long long)vmcb->exitinfo1, (unsigned long long)vmcb->exitinfo2);
        domain_crash(v->domain, "unhandled VM exit");
    }
    /* Let pending host interrupts (timers, kicks) run before the next entry. */
    local_irq_enable();
    __asm__ volatile("nop");
    local_irq_disable();
}

static const struct hvm_ops svm_ops = {
    .name = "SVM",
    .cpu_up = svm_cpu_up,
    .vcpu_initialise = svm_vcpu_initialise,
    .vcpu_set_pvh_start = svm_set_pvh_start,
    .vcpu_set_sipi_start = svm_set_sipi_start,
    .vcpu_run_once = svm_vcpu_run_once,
    .get_state = svm_get_state,
    .set_rip = svm_set_rip,
    .inject_exception = svm_inject_exception,
    .dump = svm_dump,
    .save_cpu = svm_save_cpu,
    .load_cpu = svm_load_cpu,
    .get_pat = svm_get_pat,
    .set_pat = svm_set_pat,
};

/* The SVM ops if this CPU has SVM with nested paging, else NULL. */
const struct hvm_ops *svm_probe(void)
{
    struct cpuid_regs r;
    cpuid_count(0x80000000, 0, &r);
    if (r.eax < 0x8000000A)
        return NULL;
    cpuid_count(0x80000001, 0, &r);
    if (!(r.ecx & (1u << 2)))
        return NULL;
    return &svm_ops;
}
