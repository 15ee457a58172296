/* Guest TLB flushes after p2m changes: other pCPUs running the domain leave the guest first. */
#include <hv/lib.h>
#include <hv/domain.h>
#include <hv/time.h>
#include <asm/p2m.h>
#include <asm/smp.h>
#include <asm/cpu.h>
#include <asm/percpu.h>

/*
 * A mapping went away: vCPUs of d running on other pCPUs must leave the guest so that their
 * next VMRUN sees the new p2m generation and flushes the TLB of their ASID.
 */
void p2m_flush_remote(struct domain *d)
{
    uint64_t seen[NR_CPUS];
    bool wait[NR_CPUS] = {false};

    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct percpu *pc = &percpu_data[cpu];
        struct vcpu *cur = pc->current;
        if (cpu == smp_processor_id() || !cur || cur->domain != d)
            continue;
        seen[cpu] = __atomic_load_n(&pc->guest_exits, __ATOMIC_SEQ_CST);
        if (!__atomic_load_n(&pc->in_guest, __ATOMIC_SEQ_CST))
            continue; /* it will see the new generation before its next VMRUN */
        wait[cpu] = true;
        smp_kick_cpu(cpu);
    }
    /* A CPU in guest mode exits on the IPI; wait for that, so no stale TLB entry outlives us. */
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        uint64_t deadline = now_ns() + 100000000ULL;
        while (wait[cpu] &&
               __atomic_load_n(&percpu_data[cpu].guest_exits, __ATOMIC_SEQ_CST) == seen[cpu] &&
               __atomic_load_n(&percpu_data[cpu].in_guest, __ATOMIC_SEQ_CST) && now_ns() < deadline)
            cpu_relax();
    }
}

/* Flush every vCPU's guest TLB before it next runs (HVMOP_flush_tlbs). */
void arch_domain_flush_tlbs(struct domain *d)
{
    __atomic_fetch_add(&((struct arch_domain *)d->arch)->p2m_gen, 1, __ATOMIC_SEQ_CST);
    p2m_flush_remote(d);
}
