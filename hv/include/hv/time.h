/* Hypervisor system time (ns since boot, from the TSC) and one-shot software timers. */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>

/* Nanoseconds since the hypervisor calibrated the TSC. */
uint64_t now_ns(void);
/* TSC frequency in kHz (after calibration). */
uint64_t tsc_khz(void);
/* Read the TSC. */
uint64_t rdtsc_now(void);

struct timer {
    uint64_t expires;       /* absolute now_ns() time */
    void (*fn)(void *data); /* called from the timer interrupt/softirq on cpu */
    void *data;
    unsigned int cpu; /* pCPU whose list holds the timer */
    bool active;      /* on a list (protected by that CPU's timer lock) */
    struct timer *next;
};

/* Prepare a timer to call fn(data) on pCPU cpu. */
void timer_init(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu);
/* (Re)arm a timer for absolute time expires_ns; earlier arming is replaced. */
void timer_set(struct timer *t, uint64_t expires_ns);
/* Disarm a timer (no-op if not armed). */
void timer_stop(struct timer *t);
/* Disarm a timer and wait until its callback runs on no pCPU; the caller makes sure nothing arms
 * it again (the callback itself included). Not from the timer's own callback. */
void timer_kill(struct timer *t);
/* Run every expired timer on this CPU and reprogram the hardware for the next one. */
void timer_softirq(void);

#endif
