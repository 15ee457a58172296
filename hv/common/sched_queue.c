/* Run-queue membership: queueing vCPUs, placement by load and affinity, migration, removal. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domctl.h>
#include <hv/sched_credit.h>

struct runq runqs[SCHED_MAX_CPUS];

static uint64_t online_mask(void)
{
    unsigned int n = MIN(arch_nr_cpus(), (unsigned int)SCHED_MAX_CPUS);

    return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

/* Put v (on no queue) on pCPU cpu's queue, last in its class, and let that pCPU look at it. */
static void enqueue(struct vcpu *v, unsigned int cpu)
{
    struct runq *rq = &runqs[cpu];

    spin_lock(&rq->lock);
    __atomic_store_n(&v->processor, cpu, __ATOMIC_RELEASE);
    v->sched.order = ++rq->order_seq;
    v->sched.next = rq->head;
    rq->head = v;
    rq->nr++;
    __atomic_store_n(&v->sched.state, SCHED_Q_QUEUED, __ATOMIC_RELEASE);
    spin_unlock(&rq->lock);
    __atomic_store_n(&rq->wakeups, true, __ATOMIC_SEQ_CST);
    if (cpu != arch_cpu_id())
        arch_kick_cpu(cpu);
}

/* Make v runnable on pCPU cpu (its home from now on). */
void sched_add_vcpu(struct vcpu *v, unsigned int cpu)
{
    enqueue(v, cpu < arch_nr_cpus() ? cpu : 0);
}

/*
 * The pCPU v should run on: the least loaded one (fewest queued vCPUs, then least busy last
 * period) that its hard affinity allows, preferring its soft affinity when that leaves any.
 * v itself does not count towards the load of the queue it is on.
 */
unsigned int sched_pick_cpu(const struct vcpu *v)
{
    uint64_t allowed = v->affinity_hard & online_mask();
    unsigned int here = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
    bool queued = __atomic_load_n(&v->sched.state, __ATOMIC_ACQUIRE) == SCHED_Q_QUEUED;
    unsigned int best = 0, best_load = ~0U;
    uint64_t best_busy = ~0ULL;

    if (!allowed)
        allowed = online_mask();
    if (allowed & v->affinity_soft)
        allowed &= v->affinity_soft;
    for (unsigned int cpu = 0; cpu < SCHED_MAX_CPUS; cpu++) {
        if (!(allowed & (1ULL << cpu)))
            continue;
        unsigned int load = __atomic_load_n(&runqs[cpu].nr, __ATOMIC_RELAXED);
        uint64_t busy = __atomic_load_n(&runqs[cpu].busy_ns, __ATOMIC_RELAXED);
        if (queued && cpu == here && load)
            load--;
        if (load < best_load || (load == best_load && busy < best_busy)) {
            best = cpu;
            best_load = load;
            best_busy = busy;
        }
    }
    return best;
}

/* Queue a new vCPU on the pCPU sched_pick_cpu() chooses. */
void sched_place_vcpu(struct vcpu *v)
{
    enqueue(v, sched_pick_cpu(v));
}

/*
 * Ask the pCPU v is queued on to move it to pCPU to (or, with to < 0, to drop it for good);
 * that pCPU does it at its next scheduling point (sched_process_moves), so v's lazily held
 * state (FPU) is saved where it lives. Returns false if v is on no queue.
 */
static bool request(struct vcpu *v, int to)
{
    for (;;) {
        unsigned int p = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
        struct runq *rq = &runqs[p];
        bool changed;

        spin_lock(&rq->lock);
        if (v->processor != p || v->sched.state == SCHED_Q_MOVING) {
            spin_unlock(&rq->lock); /* a move is in flight: it lands in a moment */
            arch_cpu_relax();
            continue;
        }
        if (v->sched.state != SCHED_Q_QUEUED) {
            spin_unlock(&rq->lock);
            return false;
        }
        if (to < 0) {
            changed = !v->sched.remove;
            v->sched.remove = true;
        } else {
            unsigned int move_to = (unsigned int)to == p ? 0 : (unsigned int)to + 1;

            changed = v->sched.move_to != move_to;
            v->sched.move_to = move_to;
        }
        spin_unlock(&rq->lock);
        if (!changed)
            return true;
        __atomic_store_n(&rq->moves, true, __ATOMIC_SEQ_CST);
        if (p != arch_cpu_id())
            arch_kick_cpu(p);
        return true;
    }
}

/* v's affinity changed: move it if its pCPU is no longer allowed (else cancel a pending move). */
void sched_affinity_changed(struct vcpu *v)
{
    uint64_t allowed = v->affinity_hard & online_mask();
    unsigned int p = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);

    request(v, (int)((allowed & (1ULL << p)) ? p : sched_pick_cpu(v)));
}

/* Ask the scheduler to drop v for good (domain destruction); see sched_vcpu_removed(). */
void sched_remove_vcpu(struct vcpu *v)
{
    request(v, -1);
}

/* Is v on no run queue any more (removed, or never queued)? */
bool sched_vcpu_removed(const struct vcpu *v)
{
    uint8_t st = __atomic_load_n(&v->sched.state, __ATOMIC_ACQUIRE);

    return st == SCHED_Q_REMOVED || st == SCHED_Q_NONE;
}

/* Carry out move and removal requests of rq's vCPUs other than rq->curr (on the owning pCPU). */
void sched_process_moves(struct runq *rq)
{
    struct vcpu *batch = NULL, **pp;
    bool again = false;

    if (!__atomic_exchange_n(&rq->moves, false, __ATOMIC_SEQ_CST))
        return;
    spin_lock(&rq->lock);
    for (pp = &rq->head; *pp;) {
        struct vcpu *v = *pp;

        if (!v->sched.remove && !v->sched.move_to) {
            pp = &v->sched.next;
        } else if (v == rq->curr) {
            again = true; /* it leaves once it stops running */
            pp = &v->sched.next;
        } else {
            *pp = v->sched.next;
            rq->nr--;
            v->sched.state = SCHED_Q_MOVING;
            v->sched.next = batch;
            batch = v;
        }
    }
    spin_unlock(&rq->lock);
    if (again)
        __atomic_store_n(&rq->moves, true, __ATOMIC_SEQ_CST);
    while (batch) {
        struct vcpu *v = batch;

        batch = v->sched.next;
        v->sched.next = NULL;
        arch_vcpu_leave_cpu(v);
        if (v->sched.remove) {
            __atomic_store_n(&v->sched.state, SCHED_Q_REMOVED, __ATOMIC_RELEASE);
        } else {
            unsigned int to = v->sched.move_to - 1;

            v->sched.move_to = 0;
            enqueue(v, to);
        }
    }
}

/* Kick v's pCPU and return once no pCPU is running v (its domain is paused or dying). */
void sched_vcpu_sync(struct vcpu *v)
{
    uint64_t deadline = now_ns() + 1000000000ULL;
    unsigned int kicked = ~0U;

    for (;;) {
        unsigned int p = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);

        if (p == arch_cpu_id())
            return; /* we are in the hypervisor on that pCPU: v is not in the guest */
        if (__atomic_load_n(&runqs[p].curr, __ATOMIC_ACQUIRE) != v)
            return;
        if (now_ns() >= deadline) {
            pr_err("d%uv%u: pCPU %u does not stop running it\n", v->domain->domain_id, v->vcpu_id,
                   p);
            return;
        }
        if (kicked != p) {
            arch_kick_cpu(p);
            kicked = p;
        }
        arch_cpu_relax();
    }
}
