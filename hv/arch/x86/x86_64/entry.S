/* Interrupt and exception entry stubs: save registers, call do_trap, restore, iretq. */

    .text
    .code64

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

    .altmacro
    .macro STUB v
    .align 16
stub_\v:
    .if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
    pushq $0
    .endif
    pushq $\v
    jmp common_trap
    .endm

    .set i, 0
    .rept 256
    STUB %i
    .set i, i + 1
    .endr

common_trap:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    call do_trap
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp
    iretq

    .macro STUBADDR v
    .quad stub_\v
    .endm

    .section .rodata
    .align 8
    .globl entry_stubs
entry_stubs:
    .set i, 0
    .rept 256
    STUBADDR %i
    .set i, i + 1
    .endr
