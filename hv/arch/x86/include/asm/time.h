/* x86 time internals shared between time.c, setup and the pvclock code. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <hv/types.h>

#define TIMER_IDLE_TICK_NS 10000000ULL /* wake at least every 10 ms (console polling) */

/* Calibrate the TSC against PIT channel 2 and start system time at 0. */
void tsc_calibrate(void);
/* TSC value that corresponds to system time 0. */
uint64_t tsc_at_boot(void);
/* Convert a TSC delta to nanoseconds with the pvclock 32.32 scale. */
uint64_t tsc_delta_to_ns(uint64_t delta);
/* Seconds since the epoch read from the CMOS RTC at boot. */
uint64_t arch_wallclock_boot_sec(void);

#endif
