/* Grace periods for unlinked domains: each pCPU reports quiescent points; the last one frees. */
#include <hv/lib.h>
#include <hv/domain.h>
#include <hv/rcu.h>
#include <hv/sched.h>

static uint64_t rcu_epoch = 1;            /* bumped for each deferred domain */
static uint64_t cpu_seen[SCHED_MAX_CPUS]; /* epoch each pCPU saw at its last quiescent point */
static bool cpu_idle[SCHED_MAX_CPUS];     /* pCPU is idle: quiescent until it wakes */
static spinlock_t reclaim_lock = SPINLOCK_INIT; /* protects the list from reclaim_head */
static struct domain *reclaim_head;             /* deferred domains, linked through rcu_next */

/* pCPU cpu holds no pointer from domain_by_id() (scheduling point, between exits). */
void rcu_quiescent(unsigned int cpu)
{
    __atomic_store_n(&cpu_seen[cpu], __atomic_load_n(&rcu_epoch, __ATOMIC_SEQ_CST),
                     __ATOMIC_SEQ_CST);
}

/* pCPU cpu goes idle (quiescent until rcu_idle_exit). */
void rcu_idle_enter(unsigned int cpu)
{
    rcu_quiescent(cpu);
    __atomic_store_n(&cpu_idle[cpu], true, __ATOMIC_SEQ_CST);
}

/* pCPU cpu leaves idle. */
void rcu_idle_exit(unsigned int cpu)
{
    __atomic_store_n(&cpu_idle[cpu], false, __ATOMIC_SEQ_CST);
    rcu_quiescent(cpu);
}

/* d was unlinked before epoch was taken: has every pCPU been quiescent since? */
static bool grace_over(uint64_t epoch)
{
    for (unsigned int cpu = 0; cpu < arch_nr_cpus() && cpu < SCHED_MAX_CPUS; cpu++)
        if (!__atomic_load_n(&cpu_idle[cpu], __ATOMIC_SEQ_CST) &&
            __atomic_load_n(&cpu_seen[cpu], __ATOMIC_SEQ_CST) < epoch)
            return false;
    return true;
}

/* d is no longer in the domain table: drop the table's reference once every pCPU has passed a
 * quiescent point. */
void rcu_defer_domain(struct domain *d)
{
    spin_lock(&reclaim_lock);
    d->rcu_epoch = __atomic_add_fetch(&rcu_epoch, 1, __ATOMIC_SEQ_CST);
    d->rcu_next = reclaim_head;
    __atomic_store_n(&reclaim_head, d, __ATOMIC_RELEASE);
    spin_unlock(&reclaim_lock);
}

/* Drop the table's reference of every deferred domain whose grace period is over. */
void rcu_reclaim_poll(void)
{
    struct domain *done = NULL, **pp;

    if (!__atomic_load_n(&reclaim_head, __ATOMIC_ACQUIRE) || !spin_trylock(&reclaim_lock))
        return;
    for (pp = &reclaim_head; *pp;) {
        struct domain *d = *pp;

        if (grace_over(d->rcu_epoch)) {
            *pp = d->rcu_next;
            d->rcu_next = done;
            done = d;
        } else {
            pp = &d->rcu_next;
        }
    }
    spin_unlock(&reclaim_lock);
    while (done) {
        struct domain *d = done;

        done = d->rcu_next;
        domain_put(d);
    }
}
