/* Per-pCPU round-robin vCPU scheduler: time slices, HLT-blocking, wake-up on events, debug keys. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/keyhandler.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/domctl.h>

#define RUNQ_MAX 64
#define SLICE_NS 10000000ULL /* a CPU-bound vCPU gives way after 10 ms if others wait */

struct runq {
    spinlock_t lock; /* protects vcpus[], nr and next */
    struct vcpu *vcpus[RUNQ_MAX];
    unsigned int nr, next;
    struct vcpu *running; /* written by the owning pCPU only */
    uint64_t switches;    /* statistics for the 'r' key */
};

static struct runq runqs[SCHED_MAX_CPUS];
static volatile bool dom0_stopped;
static volatile unsigned int dom0_stop_reason;

/* Make v runnable on pCPU cpu (its home from now on). */
void sched_add_vcpu(struct vcpu *v, unsigned int cpu)
{
    struct runq *rq = &runqs[cpu];
    v->processor = cpu;
    spin_lock(&rq->lock);
    if (rq->nr < RUNQ_MAX)
        rq->vcpus[rq->nr++] = v;
    spin_unlock(&rq->lock);
}

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
    __atomic_store_n(&v->kicked, true, __ATOMIC_SEQ_CST);
    if (v->processor != arch_cpu_id())
        arch_kick_cpu(v->processor);
}

static bool paused(const struct vcpu *v)
{
    return __atomic_load_n(&v->domain->pause_count, __ATOMIC_ACQUIRE) > 0;
}

static bool runnable(struct vcpu *v)
{
    if (!v->online || v->domain->is_shutdown || paused(v))
        return false;
    if (v->blocked) {
        if (!v->kicked && !arch_vcpu_has_work(v))
            return false;
        v->blocked = false;
    }
    return true;
}

static struct vcpu *pick(struct runq *rq)
{
    struct vcpu *v = NULL;

    spin_lock(&rq->lock);
    for (unsigned int n = 0; n < rq->nr; n++) {
        struct vcpu *c = rq->vcpus[(rq->next + n) % rq->nr];
        if (runnable(c)) {
            v = c;
            rq->next = (rq->next + n + 1) % rq->nr;
            break;
        }
    }
    spin_unlock(&rq->lock);
    return v;
}

/* Run vCPUs on this pCPU forever. */
void sched_run(void)
{
    unsigned int cpu = arch_cpu_id();
    struct runq *rq = &runqs[cpu];

    for (;;) {
        struct vcpu *v;

        if (dom0_stopped) {
            if (cpu == 0)
                machine_shutdown_for_dom0(dom0_stop_reason);
            arch_cpu_park();
        }
        arch_irq_disable();
        v = pick(rq);
        if (!v) {
            __atomic_store_n(&rq->running, NULL, __ATOMIC_RELEASE);
            if (page_scrub_pending() && page_scrub_step()) {
                arch_irq_window(); /* idle time zeroes free memory, one small piece a turn */
                continue;
            }
            arch_idle_wait(); /* until an interrupt: timer or kick */
            continue;
        }
        if (rq->running != v)
            rq->switches++;
        __atomic_store_n(&rq->running, v, __ATOMIC_RELEASE);
        uint64_t slice_end = now_ns() + SLICE_NS;
        for (;;) {
            __atomic_store_n(&v->kicked, false, __ATOMIC_SEQ_CST);
            arch_vcpu_run_once(v);
            if (v->blocked || !v->online || v->domain->is_shutdown || dom0_stopped || paused(v))
                break;
            if (rq->nr > 1 && (now_ns() >= slice_end || v->yielded)) {
                v->yielded = false;
                break;
            }
        }
    }
}

/* Kick v's pCPU and return once no pCPU is running v (its domain is paused or dying). */
void sched_vcpu_sync(struct vcpu *v)
{
    struct runq *rq = &runqs[v->processor];
    uint64_t deadline = now_ns() + 1000000000ULL;

    if (v->processor == arch_cpu_id())
        return; /* we are in the hypervisor on that CPU: v is not in the guest */
    arch_kick_cpu(v->processor);
    while (__atomic_load_n(&rq->running, __ATOMIC_ACQUIRE) == v && !arch_vcpu_left(v) &&
           now_ns() < deadline)
        arch_cpu_relax();
}

/* Take v off its run queue for good and return once it is not running. */
void sched_remove_vcpu(struct vcpu *v)
{
    struct runq *rq = &runqs[v->processor];

    spin_lock(&rq->lock);
    for (unsigned int i = 0; i < rq->nr; i++) {
        if (rq->vcpus[i] == v) {
            rq->vcpus[i] = rq->vcpus[--rq->nr];
            if (rq->next >= rq->nr)
                rq->next = 0;
            break;
        }
    }
    spin_unlock(&rq->lock);
    sched_vcpu_sync(v);
}

static void dump_runqs(char key)
{
    (void)key;
    printk("'r' pressed -> dumping run queues\n");
    for (unsigned int cpu = 0; cpu < arch_nr_cpus(); cpu++) {
        struct runq *rq = &runqs[cpu];
        struct vcpu *run = rq->running;
        printk("CPU%u: %u vCPU(s), %llu switches, running %s", cpu, rq->nr,
               (unsigned long long)rq->switches, run ? "" : "idle\n");
        if (run)
            printk("d%uv%u\n", run->domain->domain_id, run->vcpu_id);
        for (unsigned int i = 0; i < rq->nr; i++) {
            struct vcpu *v = rq->vcpus[i];
            printk("  d%uv%u %s%s\n", v->domain->domain_id, v->vcpu_id,
                   v->online ? "online" : "offline", v->blocked ? " blocked" : "");
        }
    }
}

/* Register the scheduler's debug key ('r'). */
void sched_keyhandlers_init(void)
{
    register_keyhandler('r', dump_runqs, "dump run queues");
}
