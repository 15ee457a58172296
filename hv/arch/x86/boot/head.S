/* Boot trampoline: multiboot1/2 headers, 32-bit entry, switch to long mode, call start_hypervisor. */
#include <asm/boot-defs.h>

    .section .text.head, "ax"
    .code32

/* Multiboot 1 header with the address fields, so QEMU -kernel loads this ELF64 image as flat binary. */
    .align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long mb1_header        /* header_addr */
    .long _start            /* load_addr */
    .long _edata            /* load_end_addr */
    .long _end              /* bss_end_addr */
    .long start             /* entry_addr */

/* Multiboot 2 header (GRUB "multiboot2"): ELF loading by program headers, an entry tag. */
    .align 8
mb2_header:
    .long MB2_MAGIC
    .long 0                 /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
    .align 8
    .short 3, 0             /* entry address tag */
    .long 12
    .long start
    .align 8
    .short 6, 0             /* module alignment tag: page-align modules */
    .long 8
    .align 8
    .short 0, 0             /* end tag */
    .long 8
mb2_header_end:

    .globl start
start:
    cli
    cld
    movl %eax, boot_magic
    movl %ebx, boot_info_pa
    movl $boot_stack_top, %esp

    /* Long mode available? */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc no_long_mode
    movl %edx, %esi            /* remember NX support (bit 20) */
    shrl $20, %edx
    andl $1, %edx
    movl %edx, boot_nx_supported

    /* Identity map 0..4 GiB with 2 MiB pages: PML4[0] -> PDPT[0..3] -> 4 page directories. */
    movl $boot_pdpt, %eax
    orl $0x3, %eax
    movl %eax, boot_pml4
    movl $0, boot_pml4 + 4
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $12, %eax
    addl $boot_pd, %eax
    orl $0x3, %eax
    movl %eax, boot_pdpt(, %ecx, 8)
    movl $0, boot_pdpt + 4(, %ecx, 8)
    incl %ecx
    cmpl $4, %ecx
    jne 1b
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax            /* present, writable, 2 MiB page */
    movl %eax, boot_pd(, %ecx, 8)
    movl %ecx, %eax
    shrl $11, %eax             /* high bits of (ecx << 21) */
    movl %eax, boot_pd + 4(, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jne 2b

    movl %cr4, %eax
    orl $(X86_CR4_PAE | X86_CR4_PGE), %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    btl $20, %esi
    jnc 3f
    orl $EFER_NXE, %eax
3:  wrmsr
    movl %cr0, %eax
    orl $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP | X86_CR0_NE), %eax
    movl %eax, %cr0
    lgdt boot_gdt_desc
    ljmp $0x08, $start64

no_long_mode:
    movl $msg_no_lm, %esi
4:  lodsb
    testb %al, %al
    jz 6f
    movl %eax, %ebx
    movw $0x3fd, %dx
5:  inb %dx, %al
    testb $0x20, %al
    jz 5b
    movl %ebx, %eax
    movw $0x3f8, %dx
    outb %al, %dx
    jmp 4b
6:  hlt
    jmp 6b

/*
 * Application processors arrive here from the real-mode trampoline (trampoline.S) in 32-bit
 * protected mode with the trampoline's flat GDT; the rest mirrors the BSP's path.
 */
    .globl ap_start32
ap_start32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $(X86_CR4_PAE | X86_CR4_PGE), %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    cmpl $0, boot_nx_supported
    je 8f
    orl $EFER_NXE, %eax
8:  wrmsr
    movl %cr0, %eax
    orl $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP | X86_CR0_NE), %eax
    movl %eax, %cr0
    lgdt boot_gdt_desc
    ljmp $0x08, $ap_start64

    .code64
ap_start64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movq ap_stack_top(%rip), %rsp
    xorl %ebp, %ebp
    movl ap_cpu_index(%rip), %edi
    call start_secondary
9:  cli
    hlt
    jmp 9b

start64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    movl boot_magic(%rip), %edi
    movl boot_info_pa(%rip), %esi
    call start_hypervisor
7:  cli
    hlt
    jmp 7b

    .section .rodata
msg_no_lm:
    .asciz "Xenolith: this CPU has no long mode (x86-64); cannot start.\r\n"

    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff   /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff   /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .data
    .globl boot_magic, boot_info_pa, boot_nx_supported, ap_stack_top, ap_cpu_index
boot_magic:   .long 0
boot_info_pa: .long 0
boot_nx_supported: .long 0
ap_cpu_index: .long 0
    .align 8
ap_stack_top: .quad 0

    .section .bss.page_aligned, "aw", @nobits
    .align 4096
    .globl boot_pml4
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd:   .skip 4 * 4096
    .globl boot_stack_top
boot_stack: .skip BOOT_STACK_SIZE
boot_stack_top:
