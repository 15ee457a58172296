/* Fake arch layer for scheduler unit tests: pCPUs, a settable clock, timers, kicks, a run loop. */
#ifndef TEST_FAKE_SCHED_H
#define TEST_FAKE_SCHED_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/console.h>
#include <hv/keyhandler.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/rcu.h>
#include <hv/sched.h>
#include <hv/domctl.h>
#include <hv/sched_credit.h>

#include "fake_basics.h"

#define FAKE_MAX_CPUS 4

static __thread unsigned int fake_cpu; /* the pCPU this thread plays */
static unsigned int fake_nr_cpus = 2;
static uint64_t fake_now = 1000000000ULL;
static unsigned int fake_kicks[FAKE_MAX_CPUS];
static unsigned int fake_leaves, fake_leave_cpu = ~0U; /* arch_vcpu_leave_cpu() calls, last pCPU */
static struct vcpu *fake_left;                         /* ... and its vCPU */
static keyhandler_fn_t fake_key_r;

uint64_t now_ns(void)
{
    return __atomic_load_n(&fake_now, __ATOMIC_SEQ_CST);
}

unsigned int arch_cpu_id(void)
{
    return fake_cpu;
}

unsigned int arch_nr_cpus(void)
{
    return fake_nr_cpus;
}

void arch_kick_cpu(unsigned int cpu)
{
    if (cpu < FAKE_MAX_CPUS)
        __atomic_add_fetch(&fake_kicks[cpu], 1, __ATOMIC_SEQ_CST);
}

void arch_cpu_relax(void)
{
    __builtin_ia32_pause();
}

/* A vCPU has an interrupt to take when its fake_work flag says so (tests index by vcpu_id). */
static bool fake_work[64];

bool arch_vcpu_has_work(struct vcpu *v)
{
    return fake_work[v->vcpu_id % 64];
}

void arch_vcpu_leave_cpu(struct vcpu *v)
{
    __atomic_add_fetch(&fake_leaves, 1, __ATOMIC_SEQ_CST);
    fake_leave_cpu = fake_cpu;
    fake_left = v;
}

void vcpu_runstate_change(struct vcpu *v, int new_state)
{
    v->runstate = new_state;
}

/* The run loop's pieces that only sched_run() uses: never reached in these tests. */
void arch_irq_disable(void)
{
}

void arch_idle_wait(void)
{
    abort();
}

void arch_cpu_park(void)
{
    abort();
}

void arch_vcpu_run_once(struct vcpu *v)
{
    (void)v;
    abort();
}

void machine_shutdown_for_dom0(unsigned int reason)
{
    (void)reason;
    abort();
}

void register_keyhandler(char key, keyhandler_fn_t fn, const char *desc)
{
    (void)desc;
    if (key == 'r')
        fake_key_r = fn;
}

/* ---- test domains: weight, cap, nr vCPUs; vCPUs online, not queued ---- */
static inline struct domain *fake_sdom(uint16_t id, unsigned int nr_vcpus, uint16_t weight,
                                       uint16_t cap)
{
    struct domain *d = calloc(1, sizeof(*d));

    d->domain_id = id;
    d->max_vcpus = nr_vcpus;
    d->ctl.sched_weight = weight;
    d->ctl.sched_cap = cap;
    d->refcnt = 1;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));

        v->vcpu_id = i;
        v->domain = d;
        v->online = true;
        v->affinity_hard = v->affinity_soft = ~0ULL;
        d->vcpus[i] = v;
    }
    return d;
}

/* Take d's vCPUs off the queues (on whichever pCPU holds them) and free d. */
static inline void fake_sdom_free(struct domain *d)
{
    unsigned int me = fake_cpu;

    for (unsigned int i = 0; i < d->max_vcpus; i++)
        sched_remove_vcpu(d->vcpus[i]);
    for (unsigned int cpu = 0; cpu < fake_nr_cpus; cpu++) {
        fake_cpu = cpu;
        sched_process_moves(&runqs[cpu]);
    }
    fake_cpu = me;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        if (!sched_vcpu_removed(d->vcpus[i]))
            abort(); /* a test left a vCPU running: fix the test */
        free(d->vcpus[i]);
    }
    free(d);
}

/* ---- a simulated pCPU: the loop of sched_run() with fake guests and a fake clock ---- */
#define SIM_TICK_NS 10000000ULL /* the host timer tick: a busy guest exits at least this often */

/* What a simulated guest vCPU does. */
struct sim_guest {
    uint64_t burst;     /* 0: busy forever; else run this long, then block (HLT) */
    uint64_t think;     /* blocked this long before it is kicked (0: until the test kicks it) */
    uint64_t wake_at;   /* blocked: when it is kicked */
    uint64_t ran;       /* time it ran (measured here, not by the scheduler) */
    uint64_t in_burst;  /* run so far in the current burst */
    uint64_t kicked_at; /* last kick after a block */
    uint64_t max_lat;   /* longest kick-to-run latency */
    unsigned int runs;  /* times it was picked */
};

static struct sim_guest *sim_guests[64 * 4];
static uint64_t sim_idle_ns;

/* v behaves as g says (its burst and think time; the counters start from zero). */
static inline void sim_attach(struct vcpu *v, struct sim_guest *g)
{
    sim_guests[(v->domain->domain_id % 4) * 64 + v->vcpu_id % 64] = g;
    *g = (struct sim_guest){.burst = g->burst, .think = g->think};
}

static inline struct sim_guest *sim_of(const struct vcpu *v)
{
    return sim_guests[(v->domain->domain_id % 4) * 64 + v->vcpu_id % 64];
}

/* Kick every blocked guest of cpu's queue whose think time is over; next such time in *next. */
static inline void sim_wakeups(unsigned int cpu, uint64_t *next)
{
    for (struct vcpu *v = runqs[cpu].head; v; v = v->sched.next) {
        struct sim_guest *g = sim_of(v);

        if (!g || !v->blocked || !g->wake_at)
            continue;
        if (g->wake_at <= fake_now) {
            g->wake_at = 0;
            g->kicked_at = fake_now;
            vcpu_kick(v);
        } else if (g->wake_at < *next) {
            *next = g->wake_at;
        }
    }
}

/* Next time pCPU cpu is interrupted: its queue timer, the tick, or a guest's kick. */
static inline uint64_t sim_next_event(unsigned int cpu, uint64_t until)
{
    struct timer *t = &runqs[cpu].timer;
    uint64_t next = (fake_now / SIM_TICK_NS + 1) * SIM_TICK_NS;

    if (t->active && t->expires < next)
        next = t->expires > fake_now ? t->expires : fake_now + 1;
    sim_wakeups(cpu, &next);
    return MIN(next, until);
}

/* Run pCPU cpu's scheduling loop until time until. */
static inline void sim_run(unsigned int cpu, uint64_t until)
{
    fake_cpu = cpu;
    while (fake_now < until) {
        uint64_t ignore = ~0ULL;
        struct vcpu *v;
        struct sim_guest *g;

        sim_wakeups(cpu, &ignore);
        v = sched_schedule(cpu, fake_now);
        if (!v) {
            uint64_t next = sim_next_event(cpu, until);
            sim_idle_ns += next - fake_now;
            fake_now = next;
            runqs[cpu].timer.active = runqs[cpu].timer.expires > fake_now;
            continue;
        }
        g = sim_of(v);
        g->runs++;
        if (g->kicked_at) {
            g->max_lat = MAX(g->max_lat, fake_now - g->kicked_at);
            g->kicked_at = 0;
        }
        do {
            uint64_t next = sim_next_event(cpu, until);

            v->kicked = false;
            if (g->burst && next > fake_now + (g->burst - g->in_burst))
                next = fake_now + (g->burst - g->in_burst);
            g->ran += next - fake_now;
            g->in_burst += next - fake_now;
            fake_now = next;
            if (runqs[cpu].timer.active && runqs[cpu].timer.expires <= fake_now)
                runqs[cpu].timer.active = false;
            if (g->burst && g->in_burst >= g->burst) {
                g->in_burst = 0;
                v->blocked = true;
                g->wake_at = g->think ? fake_now + g->think : 0;
            }
            sim_wakeups(cpu, &next);
        } while (fake_now < until && sched_keep_running(cpu, v, fake_now));
        sched_descheduled(cpu, v, fake_now);
    }
}

/* The idle scrubber is the page allocator's: these tests have no free memory to scrub. */
bool page_scrub_pending(void)
{
    return false;
}

bool page_scrub_step(void)
{
    return false;
}

void arch_irq_window(void)
{
}

#endif
