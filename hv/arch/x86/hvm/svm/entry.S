/* The one SVM VM-entry routine: swap host/guest state around VMRUN. */
#include "asm-offsets.h"

    .text
    .code64

/*
 * void svm_vmrun(struct guest_regs *regs, uint64_t vmcb_pa, uint64_t host_save_pa)
 * Called with GIF=0 (CLGI). Returns after the #VMEXIT with guest GPRs saved in *regs.
 */
    .globl svm_vmrun
svm_vmrun:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdi                  /* regs */
    pushq %rdx                  /* host save area */
    pushq %rsi                  /* guest VMCB */

    movq %rdx, %rax
    vmsave                      /* host FS/GS/TR/LDTR/KernelGSbase/STAR... */

    movq GR_RBX(%rdi), %rbx
    movq GR_RCX(%rdi), %rcx
    movq GR_RDX(%rdi), %rdx
    movq GR_RSI(%rdi), %rsi
    movq GR_RBP(%rdi), %rbp
    movq GR_R8(%rdi), %r8
    movq GR_R9(%rdi), %r9
    movq GR_R10(%rdi), %r10
    movq GR_R11(%rdi), %r11
    movq GR_R12(%rdi), %r12
    movq GR_R13(%rdi), %r13
    movq GR_R14(%rdi), %r14
    movq GR_R15(%rdi), %r15
    movq GR_RDI(%rdi), %rdi

    movq (%rsp), %rax           /* guest VMCB */
    vmload
    vmrun
    vmsave

    movq 16(%rsp), %rax         /* regs */
    movq %rbx, GR_RBX(%rax)
    movq %rcx, GR_RCX(%rax)
    movq %rdx, GR_RDX(%rax)
    movq %rsi, GR_RSI(%rax)
    movq %rdi, GR_RDI(%rax)
    movq %rbp, GR_RBP(%rax)
    movq %r8, GR_R8(%rax)
    movq %r9, GR_R9(%rax)
    movq %r10, GR_R10(%rax)
    movq %r11, GR_R11(%rax)
    movq %r12, GR_R12(%rax)
    movq %r13, GR_R13(%rax)
    movq %r14, GR_R14(%rax)
    movq %r15, GR_R15(%rax)

    movq 8(%rsp), %rax          /* host save area */
    vmload
    addq $24, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
