/* Virtual local APIC state (x2APIC MSRs and xAPIC MMIO share one register model). */
#ifndef ASM_VLAPIC_H
#define ASM_VLAPIC_H

#include <hv/types.h>

struct vcpu;

struct vlapic {
    uint32_t id;
    uint32_t tpr, ldr, dfr, svr, esr;
    uint32_t lvt[7]; /* CMCI, timer, thermal, perf, LINT0, LINT1, error */
    uint32_t timer_init, timer_div;
    uint32_t irr[8], isr[8], tmr[8];
    uint64_t icr;
};

/* Reset the vLAPIC of v to its power-on state with APIC ID id. */
void vlapic_reset(struct vcpu *v, uint32_t id);
/* Read the register at xAPIC offset off (x2APIC MSR = 0x800 + off/16); false if invalid. */
bool vlapic_read(struct vcpu *v, uint32_t off, uint64_t *val, bool x2apic);
/* Write the register at xAPIC offset off; false if invalid (guest gets #GP in x2APIC mode). */
bool vlapic_write(struct vcpu *v, uint32_t off, uint64_t val, bool x2apic);
/* Set vector vec pending in the IRR and kick the vCPU. */
void vlapic_set_irq(struct vcpu *v, uint8_t vec);
/* Highest pending vector deliverable given TPR/ISR, or -1. */
int vlapic_pending(struct vcpu *v);
/* Move vec from IRR to ISR (it has been injected). */
void vlapic_ack(struct vcpu *v, int vec);

#endif
