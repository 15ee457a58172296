/* Quiescent-state tracking: a domain unlinked from the table is freed only once no pCPU can use it.
 */
#ifndef HV_RCU_H
#define HV_RCU_H

#include <hv/types.h>

/*
 * A pointer from domain_by_id() stays valid until the hypercall (or exit handler) that got
 * it returns: every pCPU passes a quiescent point between two exits, and an unlinked domain
 * is freed only after each other pCPU has passed one (or idled) since it was unlinked.
 */
/* pCPU cpu holds no pointer from domain_by_id() (scheduling point, between exits, or waiting
 * for the domctl lock). */
void rcu_quiescent(unsigned int cpu);
/* pCPU cpu goes idle (quiescent until rcu_idle_exit). */
void rcu_idle_enter(unsigned int cpu);
/* pCPU cpu leaves idle. */
void rcu_idle_exit(unsigned int cpu);
/* Return once every other pCPU has passed a quiescent point or idled since the call (they are
 * kicked out of their guests to hurry them). Hold no lock another pCPU may wait for, except the
 * domctl lock. */
void rcu_synchronize(void);

#endif
