/* Quiescent-state tracking: a domain unlinked from the table is freed only once no pCPU can use it.
 */
#ifndef HV_RCU_H
#define HV_RCU_H

#include <hv/types.h>

struct domain;

/*
 * A pointer from domain_by_id() stays valid until the hypercall (or exit handler) that got
 * it returns: every pCPU passes a quiescent point between two exits, and an unlinked domain
 * is freed only after each pCPU has passed one (or idled) since it was unlinked.
 */
/* pCPU cpu holds no pointer from domain_by_id() (scheduling point, between exits). */
void rcu_quiescent(unsigned int cpu);
/* pCPU cpu goes idle (quiescent until rcu_idle_exit). */
void rcu_idle_enter(unsigned int cpu);
/* pCPU cpu leaves idle. */
void rcu_idle_exit(unsigned int cpu);
/* d is no longer in the domain table: drop the table's reference once every pCPU has passed a
 * quiescent point. */
void rcu_defer_domain(struct domain *d);
/* Drop the table's reference of every deferred domain whose grace period is over. */
void rcu_reclaim_poll(void);

#endif
