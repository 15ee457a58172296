/* Exception and interrupt dispatch for the hypervisor itself: register dumps, backtraces, IRQs. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/time.h>
#include <asm/cpu.h>
#include <asm/regs.h>
#include <asm/desc.h>
#include <asm/apic.h>
#include <asm/percpu.h>

static const char *const exc_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 FPU error",
    "alignment check",
    "machine check",
    "SIMD exception",
    "virtualization",
    "control protection",
};

extern char _start[], _etext[];

/* Print a backtrace from the given frame pointer (frames must lie in hypervisor memory). */
void show_backtrace(uint64_t rbp)
{
    printk("Xen call trace:\n");
    for (int depth = 0; depth < 16 && rbp && (rbp & 7) == 0; depth++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        uint64_t ret = frame[1];
        if (ret < (uint64_t)_start || ret >= (uint64_t)_etext)
            break;
        printk("   [<%016llx>]\n", (unsigned long long)ret);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

/* Print a register dump and a frame-pointer backtrace starting at regs. */
void show_registers(const struct cpu_user_regs *r)
{
    printk("RIP:    %04llx:[<%016llx>]  RFLAGS: %016llx\n", (unsigned long long)r->cs,
           (unsigned long long)r->rip, (unsigned long long)r->rflags);
    printk("rax: %016llx   rbx: %016llx   rcx: %016llx\n", (unsigned long long)r->rax,
           (unsigned long long)r->rbx, (unsigned long long)r->rcx);
    printk("rdx: %016llx   rsi: %016llx   rdi: %016llx\n", (unsigned long long)r->rdx,
           (unsigned long long)r->rsi, (unsigned long long)r->rdi);
    printk("rbp: %016llx   rsp: %016llx   r8:  %016llx\n", (unsigned long long)r->rbp,
           (unsigned long long)r->rsp, (unsigned long long)r->r8);
    printk("r9:  %016llx   r10: %016llx   r11: %016llx\n", (unsigned long long)r->r9,
           (unsigned long long)r->r10, (unsigned long long)r->r11);
    printk("r12: %016llx   r13: %016llx   r14: %016llx\n", (unsigned long long)r->r12,
           (unsigned long long)r->r13, (unsigned long long)r->r14);
    printk("r15: %016llx   cr0: %016llx   cr2: %016llx\n", (unsigned long long)r->r15,
           (unsigned long long)read_cr0(), (unsigned long long)read_cr2());
    printk("cr3: %016llx   cr4: %016llx\n", (unsigned long long)read_cr3(),
           (unsigned long long)read_cr4());
    show_backtrace(r->rbp);
}

/* C handler for every IDT vector (exceptions, timer and IPI interrupts). */
void do_trap(struct cpu_user_regs *regs)
{
    uint64_t vec = regs->vector;

    if (vec == 2) {
        /* NMI: nothing of ours sends one; note it and carry on (a guest's NMI exits are separate).
         */
        pr_warn("NMI received on CPU %u (ignored)\n", smp_processor_id());
        return;
    }
    if (vec >= 32) {
        if (vec == VEC_TIMER) {
            apic_eoi();
            timer_softirq();
        } else if (vec == VEC_KICK) {
            apic_eoi();
            timer_softirq(); /* a remote timer_set may have made a new first timer */
        } else if (vec != VEC_SPURIOUS) {
            apic_eoi();
        }
        return;
    }
    pr_err("----[ Xenolith hypervisor fault: CPU %u, vector %llu (%s), error code %#llx ]----\n",
           smp_processor_id(), (unsigned long long)vec,
           vec < ARRAY_SIZE(exc_names) && exc_names[vec] ? exc_names[vec] : "reserved",
           (unsigned long long)regs->error_code);
    show_registers(regs);
    panic("hypervisor fault (vector %llu) on CPU %u", (unsigned long long)vec, smp_processor_id());
}
