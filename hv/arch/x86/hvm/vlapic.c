/* Virtual local APIC: one register model behind x2APIC MSRs and the xAPIC MMIO page. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <asm/hvm.h>

#define APIC_ID       0x020
#define APIC_VER      0x030
#define APIC_TPR      0x080
#define APIC_APR      0x090
#define APIC_PPR      0x0A0
#define APIC_EOI      0x0B0
#define APIC_LDR      0x0D0
#define APIC_DFR      0x0E0
#define APIC_SVR      0x0F0
#define APIC_ISR      0x100
#define APIC_TMR      0x180
#define APIC_IRR      0x200
#define APIC_ESR      0x280
#define APIC_CMCI     0x2F0
#define APIC_ICR      0x300
#define APIC_ICR2     0x310
#define APIC_LVTT     0x320
#define APIC_LVTERR   0x370
#define APIC_TMICT    0x380
#define APIC_TMCCT    0x390
#define APIC_TDCR     0x3E0
#define APIC_SELF_IPI 0x3F0

static struct vlapic *vl(struct vcpu *v)
{
    return &hvm_of(v)->vlapic;
}

/* Reset the vLAPIC of v to its power-on state with APIC ID id. */
void vlapic_reset(struct vcpu *v, uint32_t id)
{
    struct vlapic *l = vl(v);
    memset(l, 0, sizeof(*l));
    l->id = id;
    l->dfr = 0xFFFFFFFF;
    l->svr = 0xFF;
    for (int i = 0; i < 7; i++)
        l->lvt[i] = 1u << 16; /* masked */
}

static int highest_bit(const uint32_t *regs)
{
    for (int i = 7; i >= 0; i--)
        if (regs[i])
            return i * 32 + 31 - __builtin_clz(regs[i]);
    return -1;
}

static uint32_t ppr(struct vlapic *l)
{
    int isr = highest_bit(l->isr);
    uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr;
    if ((l->tpr & 0xF0) >= (isrv & 0xF0))
        return l->tpr & 0xFF;
    return isrv & 0xF0;
}

/* Highest pending vector deliverable given TPR/ISR, or -1. */
int vlapic_pending(struct vcpu *v)
{
    struct vlapic *l = vl(v);
    int irr = highest_bit(l->irr);
    if (irr < 0 || !(l->svr & 0x100))
        return -1;
    if (((uint32_t)irr & 0xF0) <= (ppr(l) & 0xF0))
        return -1;
    return irr;
}

/* Move vec from IRR to ISR (it has been injected). */
void vlapic_ack(struct vcpu *v, int vec)
{
    struct vlapic *l = vl(v);
    if (vec < 0 || vec > 255)
        return;
    __atomic_fetch_and(&l->irr[vec / 32], ~(1u << (vec % 32)), __ATOMIC_SEQ_CST);
    l->isr[vec / 32] |= 1u << (vec % 32);
}

/* Set vector vec pending in the IRR and kick the vCPU. */
void vlapic_set_irq(struct vcpu *v, uint8_t vec)
{
    struct vlapic *l = vl(v);
    __atomic_fetch_or(&l->irr[vec / 32], 1u << (vec % 32), __ATOMIC_SEQ_CST);
    vcpu_kick(v);
}

static void eoi(struct vlapic *l)
{
    int isr = highest_bit(l->isr);
    if (isr >= 0)
        l->isr[isr / 32] &= ~(1u << (isr % 32));
}

static bool dest_match(struct vcpu *t, uint32_t dest, bool x2apic, bool logical)
{
    struct vlapic *l = vl(t);
    if (!logical)
        return x2apic ? (dest == 0xFFFFFFFF || dest == l->id) : (dest == 0xFF || dest == l->id);
    if (x2apic)
        return (dest >> 16) == (l->id >> 4) && (dest & (1u << (l->id & 15)));
    return ((l->ldr >> 24) & dest) != 0;
}

static void send_ipi(struct vcpu *v, uint64_t icr, bool x2apic)
{
    struct domain *d = v->domain;
    uint8_t vec = icr & 0xFF;
    unsigned int mode = (icr >> 8) & 7, shorthand = (icr >> 18) & 3;
    bool logical = (icr >> 11) & 1;
    uint32_t dest = x2apic ? (uint32_t)(icr >> 32) : (uint32_t)(icr >> 56);

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *t = d->vcpus[i];
        bool hit;
        if (!t)
            continue;
        switch (shorthand) {
        case 1:
            hit = t == v;
            break;
        case 2:
            hit = true;
            break;
        case 3:
            hit = t != v;
            break;
        default:
            hit = dest_match(t, dest, x2apic, logical);
            break;
        }
        if (!hit)
            continue;
        switch (mode) {
        case 0: /* fixed */
        case 1: /* lowest priority */
            vlapic_set_irq(t, vec);
            break;
        case 5: /* INIT */
            if (((icr >> 14) & 1) || x2apic)
                hvm_vcpu_init_signal(t);
            break;
        case 6: /* STARTUP */
            hvm_vcpu_sipi(t, vec);
            break;
        default:
            pr_debug("d%u: vLAPIC delivery mode %u to v%u ignored\n", d->domain_id, mode,
                     t->vcpu_id);
            break;
        }
    }
}

/* Read the register at xAPIC offset off (x2APIC MSR = 0x800 + off/16); false if invalid. */
bool vlapic_read(struct vcpu *v, uint32_t off, uint64_t *val, bool x2apic)
{
    struct vlapic *l = vl(v);

    if (off >= APIC_ISR && off < APIC_ISR + 0x80) {
        *val = l->isr[(off - APIC_ISR) >> 4];
        return true;
    }
    if (off >= APIC_TMR && off < APIC_TMR + 0x80) {
        *val = l->tmr[(off - APIC_TMR) >> 4];
        return true;
    }
    if (off >= APIC_IRR && off < APIC_IRR + 0x80) {
        *val = l->irr[(off - APIC_IRR) >> 4];
        return true;
    }
    if (off >= APIC_LVTT && off <= APIC_LVTERR) {
        *val = l->lvt[1 + ((off - APIC_LVTT) >> 4)];
        return true;
    }
    switch (off) {
    case APIC_ID:
        *val = x2apic ? l->id : l->id << 24;
        return true;
    case APIC_VER:
        *val = 0x00050014;
        return true;
    case APIC_TPR:
        *val = l->tpr;
        return true;
    case APIC_APR:
        *val = 0;
        return true;
    case APIC_PPR:
        *val = ppr(l);
        return true;
    case APIC_LDR:
        *val = x2apic ? (((l->id >> 4) << 16) | (1u << (l->id & 15))) : l->ldr;
        return true;
    case APIC_DFR:
        if (x2apic)
            return false;
        *val = l->dfr;
        return true;
    case APIC_SVR:
        *val = l->svr;
        return true;
    case APIC_ESR:
        *val = l->esr;
        return true;
    case APIC_CMCI:
        *val = l->lvt[0];
        return true;
    case APIC_ICR:
        *val = x2apic ? l->icr : (uint32_t)l->icr & ~(1u << 12);
        return true;
    case APIC_ICR2:
        if (x2apic)
            return false;
        *val = (uint32_t)(l->icr >> 32);
        return true;
    case APIC_TMICT:
        *val = l->timer_init;
        return true;
    case APIC_TMCCT:
        *val = 0;
        return true;
    case APIC_TDCR:
        *val = l->timer_div;
        return true;
    case APIC_EOI:
    case APIC_SELF_IPI:
        if (x2apic)
            return false;
        *val = 0;
        return true;
    default:
        *val = 0;
        return !x2apic;
    }
}

/* Write the register at xAPIC offset off; false if invalid (guest gets #GP in x2APIC mode). */
bool vlapic_write(struct vcpu *v, uint32_t off, uint64_t val, bool x2apic)
{
    struct vlapic *l = vl(v);

    if (off >= APIC_LVTT && off <= APIC_LVTERR) {
        l->lvt[1 + ((off - APIC_LVTT) >> 4)] = (uint32_t)val;
        return true;
    }
    switch (off) {
    case APIC_TPR:
        l->tpr = val & 0xFF;
        return true;
    case APIC_EOI:
        eoi(l);
        return true;
    case APIC_LDR:
        if (x2apic)
            return false;
        l->ldr = (uint32_t)val & 0xFF000000;
        return true;
    case APIC_DFR:
        if (x2apic)
            return false;
        l->dfr = (uint32_t)val | 0x0FFFFFFF;
        return true;
    case APIC_SVR:
        l->svr = (uint32_t)val & 0x13FF;
        return true;
    case APIC_ESR:
        l->esr = 0;
        return true;
    case APIC_CMCI:
        l->lvt[0] = (uint32_t)val;
        return true;
    case APIC_ICR:
        if (x2apic) {
            l->icr = val & ~(1ULL << 12);
        } else {
            l->icr = (l->icr & 0xFFFFFFFF00000000ULL) | ((uint32_t)val & ~(1u << 12));
        }
        send_ipi(v, l->icr, x2apic);
        return true;
    case APIC_ICR2:
        if (x2apic)
            return false;
        l->icr = (l->icr & 0xFFFFFFFF) | ((uint64_t)(uint32_t)val << 32);
        return true;
    case APIC_TMICT:
        l->timer_init = (uint32_t)val;
        return true;
    case APIC_TDCR:
        l->timer_div = (uint32_t)val;
        return true;
    case APIC_SELF_IPI:
        if (!x2apic)
            return false;
        vlapic_set_irq(v, val & 0xFF);
        return true;
    case APIC_ID:
    case APIC_VER:
    case APIC_PPR:
    case APIC_TMCCT:
        return !x2apic; /* read-only: #GP in x2APIC mode, ignored in xAPIC mode */
    default:
        return !x2apic;
    }
}
