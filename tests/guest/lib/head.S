/* PVH entry of the test guests: the PHYS32_ENTRY note, 32-bit start, identity paging, long mode. */
#include <public/elfnote.h>
#include "x86.h"

#define CR0_PE   0x00000001
#define CR0_PG   0x80000000
#define CR4_PAE  0x00000020
#define EFER_LME 0x00000100

/* Entries of the boot page tables: present, writable, user (so a test may drop to CPL 3). */
#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_US)
#define PAGE2M_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_PS)

/*
 * The note the loader looks for: owner "Xen", type PHYS32_ENTRY, and a 4-byte
 * descriptor holding the guest-physical address to start at in 32-bit mode.
 */
        .section .note.Xen, "a", @note
        .balign 4
        .long   2f - 1f
        .long   4f - 3f
        .long   XEN_ELFNOTE_PHYS32_ENTRY
1:      .asciz  "Xen"
2:      .balign 4
3:      .long   xtf_entry32
4:      .balign 4

/*
 * Entered in 32-bit protected mode with paging off and flat segments;
 * EBX holds the guest-physical address of struct hvm_start_info. The image
 * is linked at its physical address, so absolute symbols work unchanged
 * before and after paging is on.
 */
        .section .text.entry, "ax", @progbits
        .code32
        .globl  xtf_entry32
xtf_entry32:
        cli
        cld
        mov     %ebx, xtf_start_info_pa

        lgdt    xtf_gdt_ptr
        mov     $XTF_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        ljmp    $XTF_CS32, $.Lflat32
.Lflat32:
        /* Clear .bss (the loader should have, but this costs nothing). */
        mov     $__bss_start, %edi
        mov     $__bss_end, %ecx
        sub     %edi, %ecx
        shr     $2, %ecx
        xor     %eax, %eax
        rep stosl

        /* PML4[0] -> PDPT, PDPT[0] -> PD, PD: 512 x 2 MiB covering [0, 1 GiB). */
        movl    $xtf_pdpt + TABLE_FLAGS, xtf_pml4
        movl    $xtf_pd_low + TABLE_FLAGS, xtf_pdpt
        mov     $xtf_pd_low, %edi
        mov     $PAGE2M_FLAGS, %eax
        mov     $512, %ecx
.Lfill_pd:
        mov     %eax, (%edi)
        add     $0x200000, %eax
        add     $8, %edi
        loop    .Lfill_pd

        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $xtf_pml4, %eax
        mov     %eax, %cr3
        mov     $MSR_EFER, %ecx
        rdmsr
        or      $EFER_LME, %eax
        wrmsr
        mov     %cr0, %eax
        or      $(CR0_PG | CR0_PE), %eax
        mov     %eax, %cr0
        ljmp    $XTF_CS64, $.Llong64

        .code64
.Llong64:
        mov     $XTF_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        mov     $xtf_stack_top, %rsp
        xor     %ebp, %ebp
        mov     xtf_start_info_pa, %edi
        call    xtf_setup
.Lstop:
        cli
        hlt
        jmp     .Lstop

        .data
        .balign 4
xtf_start_info_pa:
        .long   0

/*
 * The GDT. Descriptors are stored with the accessed bit set so the CPU
 * never writes to them. The TSS slot (16 bytes) is filled by a test that
 * needs privilege changes.
 */
        .balign 16
        .globl  xtf_gdt
xtf_gdt:
        .quad   0                       /* 0x00 null */
        .quad   0x00af9b000000ffff      /* 0x08 64-bit code, DPL 0 */
        .quad   0x00cf93000000ffff      /* 0x10 data, DPL 0 */
        .quad   0x00cf9b000000ffff      /* 0x18 32-bit code, DPL 0 */
        .quad   0x00cff3000000ffff      /* 0x20 data, DPL 3 */
        .quad   0x00affb000000ffff      /* 0x28 64-bit code, DPL 3 */
        .quad   0, 0                    /* 0x30 TSS */
.Lgdt_end:

        /* lgdt operand: 32-bit code reads limit + 4-byte base, 64-bit code 8 bytes. */
        .balign 8
        .globl  xtf_gdt_ptr
xtf_gdt_ptr:
        .word   .Lgdt_end - xtf_gdt - 1
        .quad   xtf_gdt

        .bss
        .balign 4096
        .globl  xtf_pml4
xtf_pml4:
        .skip   4096
xtf_pdpt:
        .skip   4096
xtf_pd_low:
        .skip   4096
        .balign 16
xtf_stack:
        .skip   16384
xtf_stack_top:
