/* Grace periods: each pCPU reports quiescent points; an unlinker waits until all have passed one.
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/rcu.h>
#include <hv/sched.h>
#include <hv/time.h>

static uint64_t rcu_epoch = 1; /* bumped by each rcu_synchronize() */

/* One cache line per pCPU: each writes its own at every exit. */
static struct {
    uint64_t seen; /* epoch this pCPU saw at its last quiescent point */
    bool idle;     /* idle: quiescent until it wakes */
} __attribute__((aligned(64))) rcu_cpu[SCHED_MAX_CPUS];

/* pCPU cpu holds no pointer from domain_by_id() (scheduling point, between exits, or waiting
 * for the domctl lock). */
void rcu_quiescent(unsigned int cpu)
{
    __atomic_store_n(&rcu_cpu[cpu].seen, __atomic_load_n(&rcu_epoch, __ATOMIC_SEQ_CST),
                     __ATOMIC_SEQ_CST);
}

/* pCPU cpu goes idle (quiescent until rcu_idle_exit). */
void rcu_idle_enter(unsigned int cpu)
{
    rcu_quiescent(cpu);
    __atomic_store_n(&rcu_cpu[cpu].idle, true, __ATOMIC_SEQ_CST);
}

/* pCPU cpu leaves idle. */
void rcu_idle_exit(unsigned int cpu)
{
    __atomic_store_n(&rcu_cpu[cpu].idle, false, __ATOMIC_SEQ_CST);
    rcu_quiescent(cpu);
}

/* Has pCPU cpu been quiescent since epoch began? */
static bool passed(unsigned int cpu, uint64_t epoch)
{
    return __atomic_load_n(&rcu_cpu[cpu].idle, __ATOMIC_SEQ_CST) ||
           __atomic_load_n(&rcu_cpu[cpu].seen, __ATOMIC_SEQ_CST) >= epoch;
}

/*
 * Return once every other pCPU has passed a quiescent point or idled since the call. Whatever
 * was unlinked before the call can then be freed: a pCPU that looks it up afterwards read the
 * new epoch first (sequentially consistent), so it also sees the unlinking.
 */
void rcu_synchronize(void)
{
    uint64_t epoch = __atomic_add_fetch(&rcu_epoch, 1, __ATOMIC_SEQ_CST);
    unsigned int me = arch_cpu_id(), n = MIN(arch_nr_cpus(), (unsigned int)SCHED_MAX_CPUS);
    uint64_t next_kick = 0, warn_at = now_ns() + 1000000000ULL;
    bool waiting;

    do {
        uint64_t now = now_ns();

        waiting = false;
        for (unsigned int cpu = 0; cpu < n; cpu++) {
            if (cpu == me || passed(cpu, epoch))
                continue;
            waiting = true;
            if (now >= next_kick)
                arch_kick_cpu(cpu); /* out of the guest: the exit is a quiescent point */
        }
        if (now >= next_kick)
            next_kick = now + 1000000ULL;
        if (waiting && now >= warn_at) {
            pr_warn("rcu: CPU%u still waits for a grace period\n", me);
            warn_at = now + 1000000000ULL;
        }
        if (waiting)
            arch_cpu_relax();
    } while (waiting);
}
