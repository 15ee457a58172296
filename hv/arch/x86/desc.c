/* Per-CPU descriptor tables: GDT with a 64-bit TSS (IST stacks), and the shared IDT. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/desc.h>

struct percpu percpu_data[NR_CPUS];

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, rsvd;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
extern const uint64_t entry_stubs[256];

struct dtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void set_gate(int vec, uint64_t handler, int ist)
{
    idt[vec] = (struct idt_gate){
        .off_lo = handler & 0xffff,
        .sel = GDT_CS,
        .ist = ist,
        .type = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
        .off_mid = (handler >> 16) & 0xffff,
        .off_hi = handler >> 32,
    };
}

static void idt_init_once(void)
{
    static bool done;
    if (done)
        return;
    for (int v = 0; v < 256; v++)
        set_gate(v, entry_stubs[v], 0);
    set_gate(2, entry_stubs[2], IST_NMI);
    set_gate(8, entry_stubs[8], IST_DF);
    set_gate(18, entry_stubs[18], IST_MCE);
    done = true;
}

/* Load this CPU's GDT, TSS and IDT and point GS at its per-CPU data. */
void percpu_init(unsigned int cpu)
{
    struct percpu *pc = &percpu_data[cpu];
    uint64_t tss = (uint64_t)&pc->tss;
    struct dtr gdtr, idtr;

    pc->self = pc;
    pc->cpu_id = cpu;
    spin_lock_init(&pc->timer_lock);
    for (int i = 0; i < 3; i++) {
        if (!pc->ist_stacks[i])
            pc->ist_stacks[i] = alloc_pages(1);
        if (!pc->ist_stacks[i])
            panic("no memory for IST stacks of CPU %u", cpu);
        pc->tss.ist[i] = (uint64_t)pc->ist_stacks[i] + IST_STACK_SIZE;
    }
    pc->tss.iomap_base = sizeof(pc->tss);

    pc->gdt[0] = 0;
    pc->gdt[GDT_CS >> 3] = 0x00af9a000000ffffULL;
    pc->gdt[GDT_DS >> 3] = 0x00cf92000000ffffULL;
    pc->gdt[GDT_TSS >> 3] = (sizeof(pc->tss) - 1) | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
                            (((tss >> 24) & 0xff) << 56);
    pc->gdt[(GDT_TSS >> 3) + 1] = tss >> 32;

    idt_init_once();
    gdtr.limit = sizeof(pc->gdt) - 1;
    gdtr.base = (uint64_t)pc->gdt;
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint64_t)idt;
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %2, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movl %%eax, %%fs\n\t"
                     "movl %%eax, %%gs\n\t"
                     :
                     : "m"(gdtr), "i"((uint64_t)GDT_CS), "i"(GDT_DS)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(GDT_TSS));
    __asm__ volatile("lidt %0" : : "m"(idtr));
    wrmsr(MSR_GS_BASE, (uint64_t)pc);
}
