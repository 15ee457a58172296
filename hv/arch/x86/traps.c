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

/* Print n named 64-bit values, three to a line, each line starting with indent. */
void print_reg_table(const char *indent, const char *const names[], const uint64_t vals[],
                     unsigned int n)
{
    for (unsigned int i = 0; i < n; i += 3) {
        char line[128];
        int len = hv_snprintf(line, sizeof(line), "%s", indent);
        for (unsigned int j = i; j < n && j < i + 3; j++)
            len += hv_snprintf(line + len, sizeof(line) - (size_t)len, "%-4s %016llx   ", names[j],
                               (unsigned long long)vals[j]);
        printk("%s\n", line);
    }
}

/* Print a register dump and a frame-pointer backtrace starting at regs. */
void show_registers(const struct cpu_user_regs *r)
{
    static const char *const names[] = {
        "rax:", "rbx:", "rcx:", "rdx:", "rsi:", "rdi:", "rbp:", "rsp:", "r8:",  "r9:",
        "r10:", "r11:", "r12:", "r13:", "r14:", "r15:", "cr0:", "cr2:", "cr3:", "cr4:"};
    const uint64_t vals[] = {r->rax, r->rbx, r->rcx,     r->rdx,     r->rsi,     r->rdi,    r->rbp,
                             r->rsp, r->r8,  r->r9,      r->r10,     r->r11,     r->r12,    r->r13,
                             r->r14, r->r15, read_cr0(), read_cr2(), read_cr3(), read_cr4()};

    printk("RIP:    %04llx:[<%016llx>]  RFLAGS: %016llx\n", (unsigned long long)r->cs,
           (unsigned long long)r->rip, (unsigned long long)r->rflags);
    print_reg_table("", names, vals, ARRAY_SIZE(vals));
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
