/* Constants shared by the boot trampoline (assembly) and C: multiboot magics, control bits. */
#ifndef ASM_BOOT_DEFS_H
#define ASM_BOOT_DEFS_H

#define MB1_MAGIC            0x1BADB002
#define MB1_FLAGS            0x00010003 /* page-align modules, memory info, address fields valid */
#define MB1_BOOTLOADER_MAGIC 0x2BADB002
#define MB2_MAGIC            0xE85250D6
#define MB2_BOOTLOADER_MAGIC 0x36D76289

#define X86_CR0_PE 0x00000001
#define X86_CR0_MP 0x00000002
#define X86_CR0_EM 0x00000004
#define X86_CR0_TS 0x00000008
#define X86_CR0_ET 0x00000010
#define X86_CR0_NE 0x00000020
#define X86_CR0_WP 0x00010000
#define X86_CR0_AM 0x00040000
#define X86_CR0_NW 0x20000000
#define X86_CR0_CD 0x40000000
#define X86_CR0_PG 0x80000000

#define X86_CR4_PAE        0x00000020
#define X86_CR4_PGE        0x00000080
#define X86_CR4_OSFXSR     0x00000200
#define X86_CR4_OSXMMEXCPT 0x00000400

#define MSR_EFER  0xC0000080
#define EFER_SCE  0x00000001
#define EFER_LME  0x00000100
#define EFER_LMA  0x00000400
#define EFER_NXE  0x00000800
#define EFER_SVME 0x00001000

#define BOOT_STACK_SIZE 16384

#endif
