/* Bringing up the application processors: MADT enumeration, the real-mode trampoline,
 * INIT-SIPI-SIPI. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/keyhandler.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <asm/cpu.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/bootinfo.h>
#include <asm/hvm.h>
#include <asm/percpu.h>
#include <asm/desc.h>
#include <asm/smp.h>
#include <asm/time.h>

extern char trampoline_start[], trampoline_end[], trampoline_gdt_base[], trampoline_gdt_offset[];
extern volatile uint64_t ap_stack_top;
extern volatile uint32_t ap_cpu_index;

unsigned int nr_cpus = 1;
uint32_t cpu_apic_id[NR_CPUS];
static volatile bool cpu_online_flag[NR_CPUS];

/* True once CPU cpu finished start_secondary (or is the BSP). */
bool cpu_is_online(unsigned int cpu)
{
    return cpu < nr_cpus && cpu_online_flag[cpu];
}

/* Fill cpu_apic_id[] from the host MADT (BSP first); 1 CPU if there is no MADT. */
static void enumerate_cpus(uint32_t bsp_apic)
{
    const uint8_t *madt = acpi_find_table("APIC");
    uint32_t len;

    cpu_apic_id[0] = bsp_apic;
    nr_cpus = 1;
    if (!madt) {
        pr_warn("SMP: no ACPI MADT: using the boot CPU only\n");
        return;
    }
    memcpy(&len, madt + 4, 4);
    for (uint32_t off = 44; off + 2 <= len;) {
        uint8_t type = madt[off], elen = madt[off + 1];
        uint32_t id = ~0u, flags = 0;
        if (elen < 2 || off + elen > len)
            break;
        if (type == 0 && elen >= 8) {
            id = madt[off + 3];
            memcpy(&flags, madt + off + 4, 4);
        } else if (type == 9 && elen >= 16) {
            memcpy(&id, madt + off + 4, 4);
            memcpy(&flags, madt + off + 8, 4);
        }
        if (id != ~0u && (flags & 1) && id != bsp_apic) {
            if (nr_cpus < NR_CPUS)
                cpu_apic_id[nr_cpus++] = id;
            else
                pr_warn("SMP: more than %u CPUs: APIC ID %u ignored\n", NR_CPUS, id);
        }
        off += elen;
    }
}

static void udelay(uint64_t us)
{
    uint64_t end = now_ns() + us * 1000;
    while (now_ns() < end)
        cpu_relax();
}

/* First C code on an application processor. */
void __attribute__((noreturn)) start_secondary(unsigned int cpu)
{
    percpu_init(cpu);
    paging_ap_init();
    cpu_features_init();
    apic_init();
    this_cpu()->apic_id = apic_id();
    if (hvm_ops && hvm_ops->cpu_up())
        pr_err("CPU%u: virtualization could not be enabled\n", cpu);
    apic_timer_oneshot_ns(TIMER_IDLE_TICK_NS);
    __atomic_store_n(&cpu_online_flag[cpu], true, __ATOMIC_RELEASE);
    sched_run();
}

/* Pick a free page below 1 MiB for the trampoline, away from what the boot loader left there. */
static uintptr_t trampoline_page(const struct boot_info *bi)
{
    for (uintptr_t pa = 0x7000; pa >= 0x1000; pa -= 0x1000) {
        bool ram = false;
        for (unsigned int i = 0; i < bi->nr_mmap; i++)
            ram |= bi->mmap[i].type == 1 && bi->mmap[i].addr <= pa &&
                   bi->mmap[i].addr + bi->mmap[i].len >= pa + PAGE_SIZE;
        bool clash = !ram || (pa < bi->info_end && pa + PAGE_SIZE > bi->info_start);
        for (unsigned int i = 0; i < bi->nr_modules && !clash; i++)
            clash = pa < bi->modules[i].start + bi->modules[i].size &&
                    pa + PAGE_SIZE > bi->modules[i].start;
        if (!clash)
            return pa;
    }
    return 0;
}

static void dump_cpus(char key)
{
    (void)key;
    printk("'c' pressed -> dumping physical CPUs\n");
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct vcpu *v = percpu_data[cpu].current;
        printk("CPU%u: APIC ID %u, %s, %s", cpu, cpu_apic_id[cpu],
               cpu_online_flag[cpu] ? "online" : "offline", v ? "in guest " : "idle\n");
        if (v)
            printk("d%uv%u\n", v->domain->domain_id, v->vcpu_id);
    }
}

/* Start every other CPU the MADT lists; returns the number of CPUs online. */
unsigned int smp_boot_cpus(const struct boot_info *bi)
{
    uintptr_t tramp;

    cpu_online_flag[0] = true;
    register_keyhandler('c', dump_cpus, "dump physical CPUs");
    enumerate_cpus(this_cpu()->apic_id);
    if (nr_cpus == 1)
        return 1;
    tramp = trampoline_page(bi);
    if (!tramp) {
        pr_warn("SMP: no room below 1 MiB for the AP trampoline\n");
        nr_cpus = 1;
        return 1;
    }
    memcpy((void *)tramp, trampoline_start, (size_t)(trampoline_end - trampoline_start));
    *(uint32_t *)(tramp + (trampoline_gdt_base - trampoline_start)) =
        (uint32_t)(tramp + (uintptr_t)trampoline_gdt_offset);

    for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
        void *stack = alloc_pages(2);
        if (!stack) {
            pr_err("SMP: no memory for CPU%u's stack\n", cpu);
            nr_cpus = cpu;
            break;
        }
        ap_stack_top = (uint64_t)stack + STACK_SIZE;
        ap_cpu_index = cpu;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        apic_send_init(cpu_apic_id[cpu]);
        udelay(10000);
        for (int i = 0; i < 2 && !cpu_online_flag[cpu]; i++) {
            apic_send_sipi(cpu_apic_id[cpu], (uint8_t)(tramp >> 12));
            udelay(200);
        }
        uint64_t deadline = now_ns() + 2000000000ULL;
        while (!__atomic_load_n(&cpu_online_flag[cpu], __ATOMIC_ACQUIRE) && now_ns() < deadline)
            cpu_relax();
        if (!cpu_online_flag[cpu]) {
            pr_err("SMP: CPU%u (APIC ID %u) did not start; using %u CPUs\n", cpu, cpu_apic_id[cpu],
                   cpu);
            nr_cpus = cpu;
            break;
        }
    }
    pr_info("SMP: %u CPUs online\n", nr_cpus);
    return nr_cpus;
}

/* Interrupt pCPU cpu so it leaves the guest or idle and re-checks its work (no-op for self). */
void smp_kick_cpu(unsigned int cpu)
{
    if (cpu != smp_processor_id() && cpu_is_online(cpu))
        apic_send_ipi(cpu_apic_id[cpu], VEC_KICK);
}
