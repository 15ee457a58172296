/* Host local APIC (xAPIC MMIO): EOI, one-shot timer, IPIs. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <hv/types.h>

#define APIC_DEFAULT_BASE 0xFEE00000UL

/* Enable this CPU's local APIC (software-enable, spurious vector, mask LVTs). */
void apic_init(void);
/* Signal end of interrupt to the local APIC. */
void apic_eoi(void);
/* This CPU's APIC ID. */
uint32_t apic_id(void);
/* Arm the one-shot timer to fire VEC_TIMER after ns nanoseconds (0 = stop). */
void apic_timer_oneshot_ns(uint64_t ns);
/* Measure the APIC timer rate against the TSC (after TSC calibration). */
void apic_timer_calibrate(void);
/* Send a fixed IPI with vector vec to the CPU with APIC ID dest. */
void apic_send_ipi(uint32_t dest, uint8_t vec);

/* Send INIT (level assert, then de-assert) to the CPU with APIC ID dest. */
void apic_send_init(uint32_t dest);
/* Send a STARTUP IPI: the CPU starts in real mode at vector << 12. */
void apic_send_sipi(uint32_t dest, uint8_t vector);

#endif
