/* Time: TSC calibration against the PIT, now_ns(), and per-CPU one-shot software timers. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/time.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/time.h>

static uint64_t tsc_base; /* TSC at system time 0 */
static uint64_t tsc_freq_khz;
static uint32_t scale_mul; /* ns = ((tsc delta) shifted by scale_shift) * scale_mul >> 32 */
static int scale_shift;

/* Read the TSC. */
uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* TSC frequency in kHz (after calibration). */
uint64_t tsc_khz(void)
{
    return tsc_freq_khz;
}

/* TSC value that corresponds to system time 0. */
uint64_t tsc_at_boot(void)
{
    return tsc_base;
}

/* Convert a TSC delta to nanoseconds with the same 32.32 scale the guests get in pvclock. */
uint64_t tsc_delta_to_ns(uint64_t delta)
{
    if (scale_shift < 0)
        delta >>= -scale_shift;
    else
        delta <<= scale_shift;
    return (uint64_t)(((unsigned __int128)delta * scale_mul) >> 32);
}

/* Nanoseconds since the hypervisor calibrated the TSC. */
uint64_t now_ns(void)
{
    if (!tsc_freq_khz)
        return 0;
    return tsc_delta_to_ns(rdtsc_now() - tsc_base);
}

static void compute_scale(uint64_t hz)
{
    int shift = 0;
    uint64_t t = hz;
    while (t > 2000000000ULL) {
        t >>= 1;
        shift--;
    }
    while (t <= 1000000000ULL) {
        t <<= 1;
        shift++;
    }
    scale_shift = shift;
    scale_mul = (uint32_t)((1000000000ULL << 32) / t);
}

/* Calibrate the TSC against PIT channel 2 (50 ms gate) and start system time at 0. */
void tsc_calibrate(void)
{
    const uint32_t pit_hz = 1193182, ms = 50;
    uint16_t count = (uint16_t)(pit_hz * ms / 1000);
    uint64_t t0, t1;
    uint8_t gate;

    gate = inb(0x61);
    outb(0x61, (gate & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xB0);                  /* channel 2, lobyte/hibyte, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    t0 = rdtsc_now();
    for (uint64_t spins = 0; !(inb(0x61) & 0x20); spins++) {
        if (spins > 100000000ULL) {
            pr_warn("PIT does not count: TSC frequency unknown, assuming 1 GHz\n");
            break;
        }
        cpu_relax();
    }
    t1 = rdtsc_now();
    outb(0x61, gate);

    tsc_freq_khz = (t1 - t0) / ms;
    if (tsc_freq_khz < 1000)
        tsc_freq_khz = 1000000; /* broken PIT: assume 1 GHz rather than divide by zero */
    compute_scale(tsc_freq_khz * 1000);
    tsc_base = rdtsc_now();
}

/* Prepare a timer to call fn(data) on pCPU cpu. */
void timer_init(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    t->active = false;
    t->next = NULL;
    t->expires = 0;
}

static void reprogram(struct percpu *pc)
{
    uint64_t now = now_ns();
    if (!pc->timers) {
        /* CPU 0 polls the serial console every tick, and a CPU running a vCPU keeps a tick for
         * time slices; an idle AP sleeps until a timer is armed or it is kicked. */
        apic_timer_oneshot_ns(pc->cpu_id == 0 || pc->current ? TIMER_IDLE_TICK_NS : 0);
        return;
    }
    uint64_t delta = pc->timers->expires > now ? pc->timers->expires - now : 1000;
    if (delta > TIMER_IDLE_TICK_NS)
        delta = TIMER_IDLE_TICK_NS;
    apic_timer_oneshot_ns(delta);
}

static void list_remove(struct percpu *pc, struct timer *t)
{
    for (struct timer **pp = &pc->timers; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->active = false;
    t->next = NULL;
}

/* (Re)arm a timer for absolute time expires_ns; earlier arming is replaced. */
void timer_set(struct timer *t, uint64_t expires_ns)
{
    struct percpu *pc = &percpu_data[t->cpu];
    uint64_t flags = local_save_flags();
    struct timer **pp;

    local_irq_disable();
    spin_lock(&pc->timer_lock);
    if (t->active)
        list_remove(pc, t);
    t->expires = expires_ns;
    for (pp = &pc->timers; *pp && (*pp)->expires <= expires_ns; pp = &(*pp)->next)
        ;
    t->next = *pp;
    *pp = t;
    t->active = true;
    bool first = pc->timers == t;
    spin_unlock(&pc->timer_lock);
    if (first && t->cpu == smp_processor_id())
        reprogram(pc);
    else if (first)
        smp_kick_cpu(t->cpu);
    if (flags & 0x200)
        local_irq_enable();
}

/* Disarm a timer (no-op if not armed). */
void timer_stop(struct timer *t)
{
    struct percpu *pc = &percpu_data[t->cpu];
    uint64_t flags = local_save_flags();

    local_irq_disable();
    spin_lock(&pc->timer_lock);
    if (t->active)
        list_remove(pc, t);
    spin_unlock(&pc->timer_lock);
    if (flags & 0x200)
        local_irq_enable();
}

/* Disarm a timer and wait until its callback runs on no pCPU. */
void timer_kill(struct timer *t)
{
    do {
        timer_stop(t);
        for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
            while (__atomic_load_n(&percpu_data[cpu].running_timer, __ATOMIC_ACQUIRE) == t)
                cpu_relax();
        /* A callback that was running may have re-armed it: its timer_set() is visible now. */
    } while (__atomic_load_n(&t->active, __ATOMIC_ACQUIRE));
}

/* Run every expired timer on this CPU and reprogram the hardware for the next one. */
void timer_softirq(void)
{
    struct percpu *pc = this_cpu();

    for (;;) {
        spin_lock(&pc->timer_lock);
        struct timer *t = pc->timers;
        if (!t || t->expires > now_ns()) {
            spin_unlock(&pc->timer_lock);
            break;
        }
        pc->timers = t->next;
        t->next = NULL;
        t->active = false;
        __atomic_store_n(&pc->running_timer, t, __ATOMIC_SEQ_CST);
        spin_unlock(&pc->timer_lock);
        t->fn(t->data);
        __atomic_store_n(&pc->running_timer, NULL, __ATOMIC_RELEASE);
    }
    console_poll();
    reprogram(pc);
}
