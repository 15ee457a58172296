/* Exception entry stubs: normalise the frame (vector + error code), save GPRs, call C, iretq. */

/* Stub for a vector whose frame has no error code: push a zero in its place. */
.macro STUB vec, has_error_code=0
        .balign 16
.Lstub_\vec:
        .if !\has_error_code
        push    $0
        .endif
        push    $\vec
        jmp     xtf_exception_common
.endm

        .text
        STUB 0
        STUB 1
        STUB 2
        STUB 3
        STUB 4
        STUB 5
        STUB 6
        STUB 7
        STUB 8, 1
        STUB 9
        STUB 10, 1
        STUB 11, 1
        STUB 12, 1
        STUB 13, 1
        STUB 14, 1
        STUB 15
        STUB 16
        STUB 17, 1
        STUB 18
        STUB 19
        STUB 20
        STUB 21, 1
        STUB 22
        STUB 23
        STUB 24
        STUB 25
        STUB 26
        STUB 27
        STUB 28
        STUB 29, 1
        STUB 30, 1
        STUB 31

/*
 * The stack holds (low to high) vector, error code and the hardware frame;
 * pushing the GPRs in this order lays out struct xtf_regs. The CPU aligned
 * RSP to 16 before its 5-word frame, so after 2 + 15 more words the call
 * below is made with the alignment the ABI expects.
 */
xtf_exception_common:
        push    %rax
        push    %rbx
        push    %rcx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rbp
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, %rdi
        cld
        call    xtf_do_exception
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rbp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rcx
        pop     %rbx
        pop     %rax
        add     $16, %rsp
        iretq

/* Addresses of the 32 stubs, for the IDT built in traps.c. */
        .section .rodata
        .balign 8
        .globl  xtf_exception_stubs
xtf_exception_stubs:
        .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad   .Lstub_\vec
        .endr
