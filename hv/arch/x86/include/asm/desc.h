/* GDT selectors and IST slots. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define GDT_CS  0x08
#define GDT_DS  0x10
#define GDT_TSS 0x20

#define IST_NMI 1
#define IST_DF  2
#define IST_MCE 3

#define VEC_TIMER    0xF0 /* LAPIC one-shot timer */
#define VEC_KICK     0xF1 /* IPI: leave the guest and re-check events */
#define VEC_SPURIOUS 0xFF

#endif
