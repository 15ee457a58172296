/* Register frame saved by the interrupt/exception entry stubs. */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <hv/types.h>

struct cpu_user_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* C handler for every IDT vector (exceptions, timer and IPI interrupts). */
void do_trap(struct cpu_user_regs *regs);
/* Print a register dump and a frame-pointer backtrace starting at regs. */
void show_registers(const struct cpu_user_regs *regs);
/* Print n named 64-bit values, three to a line, each line starting with indent. */
void print_reg_table(const char *indent, const char *const names[], const uint64_t vals[],
                     unsigned int n);
/* Print a backtrace from the given frame pointer. */
void show_backtrace(uint64_t rbp);

#endif
