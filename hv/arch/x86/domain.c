/* x86 side of vCPUs: creating HVM state, running one exit, wake-up checks, INIT/SIPI, dumps. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/sched.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/hvm.h>
#include <asm/smp.h>
#include <asm/p2m.h>
#include <hv/domctl.h>
#include <hv/hvm_save.h>

#define APIC_BASE_INIT 0xFEE00000ULL
#define APIC_BASE_BSP  (1ULL << 8)
#define APIC_BASE_EXTD (1ULL << 10)
#define APIC_BASE_EN   (1ULL << 11)

#define MTRR_DEF_TYPE_HOST_WB 0xC06 /* MTRRs and fixed ranges on, default type WB */

/* Give v its HVM state (control block, vLAPIC in x2APIC mode); 0 or -XEN_ENOMEM. */
int arch_vcpu_create(struct vcpu *v)
{
    struct hvm_vcpu *h = xzalloc_obj(struct hvm_vcpu);
    if (!h)
        return -XEN_ENOMEM;
    v->hvm = h;
    if (hvm_ops->vcpu_initialise(v)) {
        v->hvm = NULL;
        xfree(h);
        return -XEN_ENOMEM;
    }
    h->last_cpu = -1;
    if (fpu_vcpu_init(v)) {
        v->hvm = NULL;
        xfree(h);
        return -XEN_ENOMEM;
    }
    h->apic_base_msr =
        APIC_BASE_INIT | APIC_BASE_EN | APIC_BASE_EXTD | (v->vcpu_id == 0 ? APIC_BASE_BSP : 0);
    vlapic_reset(v, hvm_apic_id(v));
    /*
     * Xen starts a domU with MTRRs off (the toolstack's MTRR record then enables them, default
     * WB); the hardware domain gets the host's state, which on our machines is WB by default.
     */
    mtrr_init(&h->mtrr, v->domain->is_privileged ? MTRR_DEF_TYPE_HOST_WB : 0);
    return 0;
}

/* The vCPU loaded on this pCPU. */
struct vcpu *arch_current_vcpu(void)
{
    return this_cpu()->current;
}

/* Print v's guest registers. */
void arch_vcpu_dump(struct vcpu *v)
{
    if (v->hvm)
        hvm_ops->dump(v);
}

/* Is there an interrupt or event v should wake up for? */
bool arch_vcpu_has_work(struct vcpu *v)
{
    return v->hvm && hvm_pending_vector(v) >= 0;
}

/* Enter v and handle one exit. */
void arch_vcpu_run_once(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);
    int cpu = (int)smp_processor_id();

    this_cpu()->current = v;
    if (h->last_cpu != cpu) {
        h->last_cpu = cpu;
        h->p2m_gen_seen = ~0ULL; /* stale TLB entries of this ASID may live on this pCPU */
    }
    fpu_switch_to(v);
    if (v->runstate != RUNSTATE_running)
        vcpu_runstate_change(v, RUNSTATE_running);
    hvm_ops->vcpu_run_once(v);
    if (v->blocked)
        vcpu_runstate_change(v, RUNSTATE_blocked);
    else if (!v->online)
        vcpu_runstate_change(v, RUNSTATE_offline);
    this_cpu()->current = NULL;
}

/* v leaves this pCPU (moving to another or removed): save state this pCPU holds lazily (FPU). */
void arch_vcpu_leave_cpu(struct vcpu *v)
{
    if (v->hvm)
        fpu_release(v);
}

/* INIT IPI to v: reset it and wait for STARTUP. */
void hvm_vcpu_init_signal(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);
    if (v->vcpu_id == 0 || v->online)
        return; /* INIT to a running vCPU is not supported: ignore like a BSP */
    h->need_sipi = true;
    h->initialised = false; /* as Xen's INIT reset: VCPUOP_up refuses it until STARTUP */
}

/* STARTUP IPI to v: start it in real mode at vector << 12 if it is waiting. */
void hvm_vcpu_sipi(struct vcpu *v, uint8_t vector)
{
    struct hvm_vcpu *h = hvm_of(v);
    if (!h->need_sipi || v->online)
        return;
    h->need_sipi = false;
    h->down = false;
    hvm_ops->vcpu_set_sipi_start(v, vector);
    h->initialised = true;
    v->online = true;
    v->blocked = false;
    vcpu_kick(v);
}

/* Take v offline: it stays down until a CPU record or INIT/SIPI (or VCPUOP_up) starts it. */
void arch_hvm_vcpu_down(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);

    v->online = false;
    v->blocked = false;
    h->down = true;
    h->need_sipi = false;
}

/* Bring v online with the state just loaded (runs once its domain is unpaused). */
void arch_hvm_vcpu_up(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);

    h->down = false;
    h->need_sipi = false;
    v->blocked = false;
    v->online = true;
    vcpu_kick(v);
}

/* SCHEDOP_yield: give other vCPUs on this pCPU a turn. */
void vcpu_yield(void)
{
    struct vcpu *v = current_vcpu();
    if (v)
        v->yielded = true;
}

/* This pCPU's index. */
unsigned int arch_cpu_id(void)
{
    return smp_processor_id();
}

/* Number of pCPUs online. */
unsigned int arch_nr_cpus(void)
{
    return nr_cpus;
}

/* Interrupt pCPU cpu so it leaves the guest or idle and looks at its run queue. */
void arch_kick_cpu(unsigned int cpu)
{
    smp_kick_cpu(cpu);
}

/* Disable interrupts on this pCPU. */
void arch_irq_disable(void)
{
    local_irq_disable();
}

/* With interrupts disabled: enable them and halt until the next one, then disable again. */
void arch_idle_wait(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* With interrupts disabled: let pending interrupts in, then disable them again. */
void arch_irq_window(void)
{
    __asm__ volatile("sti; nop; cli" ::: "memory");
}

/* True if v is not on its pCPU right now (not current there). */
bool arch_vcpu_left(struct vcpu *v)
{
    return __atomic_load_n(&percpu_data[v->processor].current, __ATOMIC_ACQUIRE) != v;
}

/* Spin-wait hint. */
void arch_cpu_relax(void)
{
    cpu_relax();
}

/* Stop this pCPU for good (dom0 is gone and CPU0 handles the machine). */
void arch_cpu_park(void)
{
    cpu_halt_forever();
}

/* SCHEDOP_block / poll: mark v blocked until an event wakes it. */
void vcpu_block(struct vcpu *v)
{
    v->blocked = true;
}

/* Free v's HVM state (control block, FPU area); safe if it was never created. */
static void arch_vcpu_free(struct vcpu *v)
{
    struct hvm_vcpu *h = v->hvm;
    if (!h)
        return;
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
        if (percpu_data[cpu].fpu_owner == v)
            percpu_data[cpu].fpu_owner = NULL;
    if (h->vmcb)
        free_pages(h->vmcb, 0);
    if (h->fpu_area)
        free_pages(h->fpu_area, fpu_area_order());
    xfree(h);
    v->hvm = NULL;
}

/* Free d's arch state: p2m tables (and any RAM left), the arch struct, every vCPU's HVM state. */
void arch_domain_free(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i])
            arch_vcpu_free(d->vcpus[i]);
    if (d->arch) {
        p2m_teardown(d);
        xfree(d->arch);
        d->arch = NULL;
    }
}

/* Host featureset words in Xen's order (word 0 = CPUID.1 EDX, ...); index selects nothing yet. */
void arch_cpu_featureset(unsigned int index, uint32_t *fs, unsigned int nr)
{
    static const struct {
        uint32_t leaf, sub;
        uint8_t reg; /* 0 eax 1 ebx 2 ecx 3 edx */
    } words[] = {
        {1, 0, 3},          {1, 0, 2}, {0x80000001, 0, 3}, {0x80000001, 0, 2},
        {0xD, 1, 0},        {7, 0, 1}, {7, 0, 2},          {0x80000007, 0, 3},
        {0x80000008, 0, 1}, {7, 0, 3}, {7, 1, 0},          {0x80000021, 0, 0},
        {7, 1, 1},          {7, 2, 3}, {7, 1, 2},          {7, 1, 3},
    };
    (void)index;
    for (unsigned int i = 0; i < nr; i++) {
        struct cpuid_regs r = {0, 0, 0, 0};
        if (i < ARRAY_SIZE(words)) {
            cpuid_count(words[i].leaf, words[i].sub, &r);
            const uint32_t regs[4] = {r.eax, r.ebx, r.ecx, r.edx};
            fs[i] = regs[words[i].reg];
        } else {
            fs[i] = 0;
        }
    }
}

static uint64_t max_mfn;

/* Record the end of host RAM (called once at boot). */
void arch_set_max_mfn(uint64_t ram_top)
{
    max_mfn = (ram_top >> PAGE_SHIFT) - 1;
}

/* The largest host RAM frame number. */
uint64_t arch_max_mfn(void)
{
    return max_mfn;
}
