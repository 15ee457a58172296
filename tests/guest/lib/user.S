/* Running a function at CPL 3 and coming back: xtf_exec_user() and its return gate. */
#include "x86.h"

#define USER_RETURN_VECTOR 0x82

        .text
/*
 * unsigned long xtf_exec_user(unsigned long (*fn)(void)): iretq to CPL 3 at
 * a trampoline that calls fn on the user stack, then comes back through the
 * DPL 3 gate at USER_RETURN_VECTOR, which restores the kernel stack saved
 * here and returns fn's result to our caller.
 */
        .globl  xtf_exec_user
xtf_exec_user:
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, saved_kernel_rsp(%rip)

        push    $XTF_UDS                /* SS */
        push    $user_stack_top         /* RSP */
        push    $0x2                    /* RFLAGS: IF=0, IOPL=0 */
        push    $XTF_UCS64              /* CS */
        push    $user_trampoline        /* RIP */
        iretq

user_trampoline:
        mov     $XTF_UDS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        call    *%rdi
        int     $USER_RETURN_VECTOR
        ud2

/* IDT gate USER_RETURN_VECTOR (DPL 3): entered at CPL 0 on the TSS's RSP0 stack. */
        .globl  xtf_user_return
xtf_user_return:
        mov     $XTF_DS, %ecx
        mov     %ecx, %ds
        mov     %ecx, %es
        mov     %ecx, %ss
        mov     saved_kernel_rsp(%rip), %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        ret

        .data
        .balign 8
saved_kernel_rsp:
        .quad   0

        .bss
        .balign 16
user_stack:
        .skip   8192
user_stack_top:
