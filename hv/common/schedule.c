/* The per-pCPU scheduling loop: pick by credit, run until the slice ends or a waker preempts. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/keyhandler.h>
#include <hv/mm.h>
#include <hv/rcu.h>
#include <hv/sched.h>
#include <hv/sched_credit.h>
#include <hv/time.h>
#include <public/vcpu.h>

static volatile bool dom0_stopped;
static volatile unsigned int dom0_stop_reason;

/* Called when a domain shuts down: dom0 stopping ends the machine (per its reason). */
void sched_domain_shutdown(struct domain *d)
{
    if (d->domain_id == 0) {
        dom0_stop_reason = d->shutdown_reason;
        dom0_stopped = true;
    }
}

/* Make vCPU v re-check for pending work (event upcall, timer): wakes HLT, interrupts its pCPU. */
void vcpu_kick(struct vcpu *v)
{
    unsigned int p;

    __atomic_store_n(&v->kicked, true, __ATOMIC_SEQ_CST);
    p = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
    /* A vCPU that is not running may deserve the pCPU now: have its pCPU look. */
    if (__atomic_load_n(&runqs[p].curr, __ATOMIC_ACQUIRE) != v || v->blocked)
        __atomic_store_n(&runqs[p].wakeups, true, __ATOMIC_SEQ_CST);
    if (p != arch_cpu_id())
        arch_kick_cpu(p);
}

static void timer_nothing(void *data)
{
    (void)data; /* the interrupt itself makes the pCPU leave the guest or idle and look */
}

/* Have rq's pCPU interrupted at when (0: not at all). */
static void arm(struct runq *rq, unsigned int cpu, uint64_t when)
{
    if (!rq->timer_ready) {
        timer_init(&rq->timer, timer_nothing, NULL, cpu);
        rq->timer_ready = true;
    }
    if (when)
        timer_set(&rq->timer, when);
    else
        timer_stop(&rq->timer);
}

/*
 * Scheduling point of pCPU cpu at now: note the quiescent state, carry out moves, then pick the
 * next vCPU (NULL: idle) and arm the queue timer for the end of its slice (or, when idle, for the
 * next refill if a capped vCPU waits for budget).
 */
struct vcpu *sched_schedule(unsigned int cpu, uint64_t now)
{
    struct runq *rq = &runqs[cpu];
    struct vcpu *v;
    uint64_t when;

    rcu_quiescent(cpu);
    sched_process_moves(rq);
    spin_lock(&rq->lock);
    __atomic_store_n(&rq->wakeups, false, __ATOMIC_SEQ_CST);
    v = credit_pick(rq, now);
    if (v) {
        rq->slice_end = credit_slice_end(v, now);
        when = rq->slice_end;
        rq->switches++;
    } else {
        when = credit_next_unpark(rq);
    }
    spin_unlock(&rq->lock);
    arm(rq, cpu, when);
    return v;
}

static bool must_leave(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return v->blocked || !v->online || d->is_shutdown || d->is_dying ||
           __atomic_load_n(&d->pause_count, __ATOMIC_ACQUIRE) > 0 || v->sched.remove ||
           v->sched.move_to || dom0_stopped;
}

/*
 * After one exit of v on pCPU cpu at now: may v go on? No if it blocked, stopped, must
 * move, yielded or used its slice, or if a woken vCPU outranks it and v has had its
 * minimum run (the rate limit; until then the timer is set for its end).
 */
bool sched_keep_running(unsigned int cpu, struct vcpu *v, uint64_t now)
{
    struct runq *rq = &runqs[cpu];
    bool preempt;

    rcu_quiescent(cpu);
    if (must_leave(v))
        return false;
    if (v->yielded) {
        v->yielded = false;
        v->sched.yield = true; /* read at the next pick, under the queue lock */
        return false;
    }
    if (now >= rq->slice_end)
        return false;
    sched_process_moves(rq);
    if (!__atomic_load_n(&rq->wakeups, __ATOMIC_SEQ_CST))
        return true;
    if (now - v->sched.run_start < SCHED_RATELIMIT_NS) {
        arm(rq, cpu, MIN(v->sched.run_start + SCHED_RATELIMIT_NS, rq->slice_end));
        return true;
    }
    __atomic_store_n(&rq->wakeups, false, __ATOMIC_SEQ_CST);
    spin_lock(&rq->lock);
    preempt = credit_should_preempt(rq, v);
    spin_unlock(&rq->lock);
    if (!preempt)
        arm(rq, cpu, rq->slice_end);
    return !preempt;
}

/* v, picked by sched_schedule() on cpu, stopped running at now: charge it. */
void sched_descheduled(unsigned int cpu, struct vcpu *v, uint64_t now)
{
    struct runq *rq = &runqs[cpu];
    const struct domain *d = v->domain;

    spin_lock(&rq->lock);
    credit_charge(rq, v, now);
    spin_unlock(&rq->lock);
    /* Blocked and offline were recorded on the way out; a preempted vCPU waits (steal time). */
    if (v->runstate == RUNSTATE_running)
        vcpu_runstate_change(v, d->is_shutdown || d->is_dying || !v->online ||
                                        __atomic_load_n(&d->pause_count, __ATOMIC_ACQUIRE) > 0
                                    ? RUNSTATE_offline
                                    : RUNSTATE_runnable);
}

/* Run vCPUs on this pCPU forever. */
void sched_run(void)
{
    unsigned int cpu = arch_cpu_id();

    for (;;) {
        struct vcpu *v;

        if (dom0_stopped) {
            if (cpu == 0)
                machine_shutdown_for_dom0(dom0_stop_reason);
            arch_cpu_park();
        }
        arch_irq_disable();
        v = sched_schedule(cpu, now_ns());
        if (!v) {
            if (page_scrub_pending() && page_scrub_step()) {
                arch_irq_window(); /* idle time zeroes free memory, one small piece a turn */
                continue;
            }
            rcu_idle_enter(cpu);
            arch_idle_wait(); /* until an interrupt: timer or kick */
            rcu_idle_exit(cpu);
            continue;
        }
        do {
            __atomic_store_n(&v->kicked, false, __ATOMIC_SEQ_CST);
            arch_vcpu_run_once(v);
        } while (sched_keep_running(cpu, v, now_ns()));
        sched_descheduled(cpu, v, now_ns());
    }
}

static void dump_vcpu(const struct vcpu *v)
{
    const struct domain *d = v->domain;
    const struct sched_vcpu *s = &v->sched;

    printk("  d%uv%u credit %lldus weight %u cap %u%s", d->domain_id, v->vcpu_id,
           (long long)(s->credit / 1000), credit_weight(d), d->ctl.sched_cap,
           s->pri == SCHED_PRI_BOOST ? " BOOST" : "");
    if (d->ctl.sched_cap)
        printk(" budget %lldus", (long long)(s->cap_budget / 1000));
    printk(" ran %llums%s%s%s\n", (unsigned long long)(s->runtime / 1000000),
           v->online ? "" : " offline", v->blocked ? " blocked" : "",
           credit_parked(v) ? " parked" : "");
}

static void dump_runqs(char key)
{
    uint64_t now = now_ns();

    (void)key;
    printk("'r' pressed -> dumping run queues (credit: slice %llums, cap period %llums, "
           "ratelimit %lluus, reset credit %lldus)\n",
           SCHED_SLICE_NS / 1000000, SCHED_ACCT_NS / 1000000, SCHED_RATELIMIT_NS / 1000,
           SCHED_CREDIT_INIT / 1000);
    for (unsigned int cpu = 0; cpu < arch_nr_cpus() && cpu < SCHED_MAX_CPUS; cpu++) {
        struct runq *rq = &runqs[cpu];
        struct vcpu *run;

        spin_lock(&rq->lock);
        run = rq->curr;
        printk("CPU%u: %u vCPU(s), %llu picks, %llu credit resets, busy %llums last period, "
               "next period in %lldus, running ",
               cpu, rq->nr, (unsigned long long)rq->switches, (unsigned long long)rq->resets,
               (unsigned long long)(rq->busy_ns / 1000000),
               rq->next_acct > now ? (long long)((rq->next_acct - now) / 1000) : 0LL);
        if (run)
            printk("d%uv%u\n", run->domain->domain_id, run->vcpu_id);
        else
            printk("nothing\n");
        for (const struct vcpu *v = rq->head; v; v = v->sched.next)
            dump_vcpu(v);
        spin_unlock(&rq->lock);
    }
}

/* Register the scheduler's debug key ('r'). */
void sched_keyhandlers_init(void)
{
    register_keyhandler('r', dump_runqs, "dump run queues (credits, weights, caps)");
}
