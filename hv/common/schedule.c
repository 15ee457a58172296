/* A simple per-pCPU round-robin vCPU scheduler with HLT-blocking and wake-up on events. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/sched.h>
#include <asm/cpu.h>
#include <asm/percpu.h>

#define RUNQ_MAX 64

struct runq {
    spinlock_t lock; /* protects the array */
    struct vcpu *vcpus[RUNQ_MAX];
    unsigned int nr, next;
};

static struct runq runqs[NR_CPUS];
static volatile bool dom0_stopped;
static volatile unsigned int dom0_stop_reason;

/* Make v runnable on pCPU cpu. */
void sched_add_vcpu(struct vcpu *v, unsigned int cpu)
{
    struct runq *rq = &runqs[cpu];
    spin_lock(&rq->lock);
    if (rq->nr < RUNQ_MAX)
        rq->vcpus[rq->nr++] = v;
    spin_unlock(&rq->lock);
    v->processor = cpu;
}

/* Called when a domain shuts down: take its vCPUs off the run queue, apply the policy. */
void sched_domain_shutdown(struct domain *d)
{
    if (d->domain_id == 0) {
        dom0_stop_reason = d->shutdown_reason;
        dom0_stopped = true;
    }
}

/* Make vCPU v re-check for pending work (event upcall, timer): wakes HLT, IPIs its pCPU. */
void vcpu_kick(struct vcpu *v)
{
    v->kicked = true;
}

static struct vcpu *pick(struct runq *rq)
{
    for (unsigned int n = 0; n < rq->nr; n++) {
        struct vcpu *v = rq->vcpus[(rq->next + n) % rq->nr];
        if (!v->online || v->domain->is_shutdown)
            continue;
        if (v->blocked) {
            if (!v->kicked && !arch_vcpu_has_work(v))
                continue;
            v->blocked = false;
        }
        v->kicked = false;
        rq->next = (rq->next + n + 1) % rq->nr;
        return v;
    }
    return NULL;
}

/* Run vCPUs on this pCPU forever. */
void sched_run(void)
{
    struct runq *rq = &runqs[smp_processor_id()];

    for (;;) {
        struct vcpu *v;

        if (dom0_stopped)
            machine_shutdown_for_dom0(dom0_stop_reason);
        local_irq_disable();
        v = pick(rq);
        if (!v) {
            /* Idle: wait for an interrupt (timer or kick), then look again. */
            safe_halt();
            continue;
        }
        for (unsigned int slice = 0; slice < 64; slice++) {
            arch_vcpu_run_once(v);
            if (v->blocked || !v->online || v->domain->is_shutdown || dom0_stopped)
                break;
            if (rq->nr > 1 && v->kicked)
                break;
        }
    }
}
