/* VCPUOP_initialise/up/down for HVM vCPUs: a vcpu_hvm_context becomes a checked CPU record. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/hvm_save.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <asm/hvm.h>

#define AR_P      0x80u
#define AR_S      0x10u
#define AR_DPL(a) (((a) >> 5) & 3)
#define AR_G      0x800u
#define TYPE_CODE 0x8u
#define TYPE_RW   0x2u
#define TSS_BUSY  0xBu

enum seg_kind { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR };

static int refuse(struct vcpu *v, const char *why)
{
    pr_warn("d%u v%u: VCPUOP_initialise: %s\n", v->domain->domain_id, v->vcpu_id, why);
    return -XEN_EINVAL;
}

/* Xen's check_segment() for a 32-bit start state; sets the accessed/busy bit of a present
 * segment first, as Xen does. NULL, or what is wrong. */
static const char *segment_error(uint16_t *ar, enum seg_kind k)
{
    if (*ar & 0xF000)
        return "segment attribute bits 12-15 set";
    if (!*ar)
        return k == SEG_DS || k == SEG_ES ? NULL : "null CS, SS or TR";
    if (*ar & AR_P)
        *ar |= k == SEG_TR ? 2 : 1;
    if (k == SEG_TR) {
        if ((*ar & AR_S) || (*ar & 0xF) != TSS_BUSY)
            return "TR is not a 32-bit TSS";
    } else if (!(*ar & AR_S)) {
        return "system segment in a code or data register";
    }
    if (!(*ar & AR_P))
        return "segment not present";
    if (k == SEG_CS && !(*ar & TYPE_CODE))
        return "CS is not a code segment";
    if (k == SEG_SS && ((*ar & TYPE_CODE) || !(*ar & TYPE_RW)))
        return "SS is not writable data";
    if ((k == SEG_DS || k == SEG_ES) && (*ar & TYPE_CODE) && !(*ar & TYPE_RW))
        return "DS or ES is execute-only code";
    return NULL;
}

/* The 32-bit protected-mode start state as a CPU record; NULL, or what is wrong. */
static const char *from_x86_32(struct vcpu_hvm_x86_32 r, struct hvm_hw_cpu *c)
{
    const char *e = NULL;
    uint32_t limit;

    if (r.pad1 || r.pad2[0] || r.pad2[1] || r.pad2[2])
        return "non-zero padding";
    e = segment_error(&r.cs_ar, SEG_CS);
    if (!e)
        e = segment_error(&r.ds_ar, SEG_DS);
    if (!e)
        e = segment_error(&r.ss_ar, SEG_SS);
    if (!e)
        e = segment_error(&r.es_ar, SEG_ES);
    if (!e)
        e = segment_error(&r.tr_ar, SEG_TR);
    if (e)
        return e;
    limit = (r.cs_ar & AR_G) ? (r.cs_limit << 12) | 0xFFF : r.cs_limit;
    if (r.eip > limit)
        return "EIP outside the CS limit";
    if (AR_DPL(r.ss_ar) != AR_DPL(r.cs_ar))
        return "SS.DPL differs from CS.DPL";
    if (((r.ds_ar & AR_P) && AR_DPL(r.ds_ar) > AR_DPL(r.cs_ar)) ||
        ((r.es_ar & AR_P) && AR_DPL(r.es_ar) > AR_DPL(r.cs_ar)))
        return "DS or ES DPL above CS.DPL";
    if ((r.efer & EFER_LMA) && !(r.efer & EFER_LME))
        return "EFER.LMA without EFER.LME";
    c->rax = r.eax;
    c->rcx = r.ecx;
    c->rdx = r.edx;
    c->rbx = r.ebx;
    c->rsp = r.esp;
    c->rbp = r.ebp;
    c->rsi = r.esi;
    c->rdi = r.edi;
    c->rip = r.eip;
    c->rflags = r.eflags;
    c->cr0 = r.cr0;
    c->cr3 = r.cr3;
    c->cr4 = r.cr4;
    c->msr_efer = r.efer;
    c->cs_base = r.cs_base;
    c->cs_limit = r.cs_limit;
    c->cs_arbytes = r.cs_ar;
    c->ds_base = r.ds_base;
    c->ds_limit = r.ds_limit;
    c->ds_arbytes = r.ds_ar;
    c->ss_base = r.ss_base;
    c->ss_limit = r.ss_limit;
    c->ss_arbytes = r.ss_ar;
    c->es_base = r.es_base;
    c->es_limit = r.es_limit;
    c->es_arbytes = r.es_ar;
    c->tr_base = r.tr_base;
    c->tr_limit = r.tr_limit;
    c->tr_arbytes = r.tr_ar;
    return NULL;
}

/* The 64-bit start state (flat segments implied) as a CPU record; NULL, or what is wrong. */
static const char *from_x86_64(const struct vcpu_hvm_x86_64 *r, struct hvm_hw_cpu *c)
{
    if ((uint64_t)((int64_t)(r->rip << 16) >> 16) != r->rip)
        return "RIP not canonical";
    if (!(r->cr0 & X86_CR0_PG) || !(r->cr4 & X86_CR4_PAE) || !(r->efer & EFER_LME))
        return "64-bit state without paging, PAE and EFER.LME";
    c->rax = r->rax;
    c->rcx = r->rcx;
    c->rdx = r->rdx;
    c->rbx = r->rbx;
    c->rsp = r->rsp;
    c->rbp = r->rbp;
    c->rsi = r->rsi;
    c->rdi = r->rdi;
    c->rip = r->rip;
    c->rflags = r->rflags;
    c->cr0 = r->cr0;
    c->cr3 = r->cr3;
    c->cr4 = r->cr4;
    c->msr_efer = r->efer;
    c->cs_limit = c->ds_limit = c->ss_limit = c->es_limit = ~0u;
    c->cs_arbytes = 0xa9b;                                 /* 64-bit code */
    c->ds_arbytes = c->ss_arbytes = c->es_arbytes = 0xc93; /* flat data */
    c->tr_limit = 0x67;
    c->tr_arbytes = 0x8b; /* busy TSS */
    return NULL;
}

int arch_vcpu_initialise(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    struct hvm_hw_cpu c;
    const char *e;
    int rc;

    if (hvm_of(v)->initialised)
        return -XEN_EEXIST;
    if (ctx->pad)
        return refuse(v, "non-zero padding");
    memset(&c, 0, sizeof(c));
    if (ctx->mode == VCPU_HVM_MODE_32B)
        e = from_x86_32(ctx->cpu_regs.x86_32, &c);
    else if (ctx->mode == VCPU_HVM_MODE_64B)
        e = from_x86_64(&ctx->cpu_regs.x86_64, &c);
    else
        e = "unknown mode";
    if (e)
        return refuse(v, e);
    /* As Xen: LME implies LMA; ET always reads as set; the AP keeps the BSP's MTRRs. */
    if (c.msr_efer & EFER_LME)
        c.msr_efer |= EFER_LMA;
    c.cr0 |= X86_CR0_ET;
    c.dr6 = 0xFFFF0FF0;
    c.dr7 = 0x400;
    rc = arch_hvm_check_cpu(v, &c);
    if (rc)
        return rc;
    arch_hvm_load_cpu(v, &c); /* marks v initialised; it stays down until VCPUOP_up */
    return 0;
}

int arch_vcpu_up(struct vcpu *v)
{
    if (!hvm_of(v)->initialised)
        return -XEN_EINVAL;
    if (!v->online)
        arch_hvm_vcpu_up(v);
    return 0;
}

int arch_vcpu_down(struct vcpu *v)
{
    struct domain *d = v->domain;

    /* The last vCPU going down powers the domain off instead (Xen). */
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i] != v && d->vcpus[i]->online) {
            arch_hvm_vcpu_down(v);
            vcpu_kick(v); /* leave the guest if it is running elsewhere */
            return 0;
        }
    domain_shutdown(d, SHUTDOWN_poweroff);
    return 0;
}
