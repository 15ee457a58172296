/* The p2m meets the CPU: remote guest TLB flushes, and guest writes to read-only entries. */
#include <hv/lib.h>
#include <hv/domain.h>
#include <hv/physmap.h>
#include <hv/console.h>
#include <hv/time.h>
#include <asm/p2m.h>
#include <asm/smp.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/hvm.h>

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

/*
 * Nested page fault for a guest write to gpa: when gpa is a read-only (grant) mapping, the
 * guest gets #GP(0), as Xen gives when it cannot complete such a write, and true is returned.
 */
bool p2m_readonly_write(struct vcpu *v, uint64_t gpa)
{
    static uint64_t last_gfn = ~0ULL; /* say it once per frame, as Xen */
    struct physmap_entry e;

    physmap_lookup(v->domain, gpa >> PAGE_SHIFT, &e);
    if (e.type == PHYSMAP_HOLE || !e.readonly)
        return false;
    if (__atomic_exchange_n(&last_gfn, gpa >> PAGE_SHIFT, __ATOMIC_RELAXED) != gpa >> PAGE_SHIFT)
        pr_warn("d%u v%u: write to read-only grant mapping at gpa %#llx: #GP\n",
                v->domain->domain_id, v->vcpu_id, (unsigned long long)gpa);
    hvm_ops->inject_exception(v, 13, true, 0);
    return true;
}
