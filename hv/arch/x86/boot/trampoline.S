/* Real-mode entry for application processors: copied below 1 MiB, it enters 32-bit mode and jumps to ap_start32. */

    .section .rodata
    .code16
    .globl trampoline_start, trampoline_end, trampoline_gdt_base
trampoline_start:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    lgdtl trampoline_gdt_desc - trampoline_start
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    .byte 0x66, 0xea            /* ljmpl $0x08, $ap_start32 */
    .long ap_start32
    .word 0x08

    .align 8
trampoline_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff    /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
trampoline_gdt_desc:
    .word trampoline_gdt_desc - trampoline_gdt - 1
trampoline_gdt_base:
    .long 0                     /* patched: physical address of trampoline_gdt in the copy */
trampoline_end:

    .globl trampoline_gdt_offset
    .set trampoline_gdt_offset, trampoline_gdt - trampoline_start
