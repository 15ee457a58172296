/* Generates build/asm-offsets.h: struct offsets the assembly uses, so they are checked at build
 * time. */
#include <hv/types.h>
#include <asm/hvm.h>

#define OFFSET(sym, str, mem) __asm__ volatile("\n@@OFFSET " #sym " %0" : : "i"(offsetof(str, mem)))

/* Not called: compiled to assembly only, the Makefile extracts the constants. */
void asm_offsets(void);
void asm_offsets(void)
{
    OFFSET(GR_RAX, struct guest_regs, rax);
    OFFSET(GR_RBX, struct guest_regs, rbx);
    OFFSET(GR_RCX, struct guest_regs, rcx);
    OFFSET(GR_RDX, struct guest_regs, rdx);
    OFFSET(GR_RSI, struct guest_regs, rsi);
    OFFSET(GR_RDI, struct guest_regs, rdi);
    OFFSET(GR_RBP, struct guest_regs, rbp);
    OFFSET(GR_R8, struct guest_regs, r8);
    OFFSET(GR_R9, struct guest_regs, r9);
    OFFSET(GR_R10, struct guest_regs, r10);
    OFFSET(GR_R11, struct guest_regs, r11);
    OFFSET(GR_R12, struct guest_regs, r12);
    OFFSET(GR_R13, struct guest_regs, r13);
    OFFSET(GR_R14, struct guest_regs, r14);
    OFFSET(GR_R15, struct guest_regs, r15);
}
