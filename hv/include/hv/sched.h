/* The vCPU scheduler interface and arch hooks it relies on. */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/domain.h>

/* Allocate domain domid with max_vcpus vCPU structures; NULL on failure. */
struct domain *domain_alloc(uint16_t domid, unsigned int max_vcpus);
/* Register the domain debug keys ('q'). */
void domain_keyhandlers_init(void);
/* Destroying d (dying, paused), first step: stop every vCPU timer for good and ask the scheduler
 * to drop every vCPU. */
void domain_kill_vcpus(struct domain *d);
/* Destroying d: have all its vCPUs left the run queues? */
bool domain_vcpus_gone(const struct domain *d);
/* Destroying d, last step: take it out of the domain table, wait until no pCPU can still use a
 * pointer to it, and drop the table's reference (freeing d, arch state included, unless
 * domain_get() holds it: then the last domain_put() does). */
void domain_unlink(struct domain *d);
#define SCHED_MAX_CPUS 64 /* = NR_CPUS of the architecture */

/* Make v runnable on pCPU cpu (its home from now on). */
void sched_add_vcpu(struct vcpu *v, unsigned int cpu);
/* Queue a new vCPU on the least loaded pCPU its hard affinity allows (soft affinity preferred). */
void sched_place_vcpu(struct vcpu *v);
/* The pCPU sched_place_vcpu() would choose for v now. */
unsigned int sched_pick_cpu(const struct vcpu *v);
/* v's affinity changed: move it (asynchronously, safely) if its pCPU is no longer allowed. */
void sched_affinity_changed(struct vcpu *v);
/* Is v on no run queue any more (after sched_remove_vcpu(), or never queued)? */
bool sched_vcpu_removed(const struct vcpu *v);
/* Scheduling point of pCPU cpu at now: the vCPU to run next (NULL: idle). */
struct vcpu *sched_schedule(unsigned int cpu, uint64_t now);
/* After one exit of v (from sched_schedule) on cpu at now: may it go on running? */
bool sched_keep_running(unsigned int cpu, struct vcpu *v, uint64_t now);
/* v, picked by sched_schedule() on cpu, stopped running at now: charge it. */
void sched_descheduled(unsigned int cpu, struct vcpu *v, uint64_t now);
/* Register the scheduler's debug key ('r'). */
void sched_keyhandlers_init(void);
/* Run vCPUs on this pCPU forever. */
void __attribute__((noreturn)) sched_run(void);
/* Called when a domain shuts down: take its vCPUs off the run queue, apply the policy. */
void sched_domain_shutdown(struct domain *d);

/* Arch hooks. */
/* This pCPU's index. */
unsigned int arch_cpu_id(void);
/* Number of pCPUs online. */
unsigned int arch_nr_cpus(void);
/* Interrupt pCPU cpu so it leaves the guest or idle and looks at its run queue. */
void arch_kick_cpu(unsigned int cpu);
/* Disable interrupts on this pCPU. */
void arch_irq_disable(void);
/* With interrupts disabled: enable them and halt until the next one, then disable again. */
void arch_idle_wait(void);
/* With interrupts disabled: let pending interrupts in, then disable them again. */
void arch_irq_window(void);
/* True if v is not on its pCPU right now (not current there). */
bool arch_vcpu_left(struct vcpu *v);
/* Spin-wait hint. */
void arch_cpu_relax(void);
/* Stop this pCPU for good (dom0 is gone and CPU0 handles the machine). */
void __attribute__((noreturn)) arch_cpu_park(void);
struct vcpu *arch_current_vcpu(void);
/* Print v's guest registers. */
void arch_vcpu_dump(struct vcpu *v);
/* Is there an interrupt or event v should wake up for? */
bool arch_vcpu_has_work(struct vcpu *v);
/* Enter v and handle one exit. */
void arch_vcpu_run_once(struct vcpu *v);
/* v leaves this pCPU (moving to another or removed): save state this pCPU holds lazily (FPU). */
void arch_vcpu_leave_cpu(struct vcpu *v);
/* What to do when dom0 stops: power off, reboot or halt the machine per reason. */
void __attribute__((noreturn)) machine_shutdown_for_dom0(unsigned int reason);

#endif
