/* Linker script: one image at 2 MiB physical (identity-mapped), sections page-aligned for W^X. */
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start)

PHDRS
{
    image PT_LOAD FLAGS(7);
}

SECTIONS
{
    . = 0x200000;
    _start = .;
    .text : {
        KEEP(*(.text.head))
        *(.text .text.*)
    } :image
    . = ALIGN(4096);
    _etext = .;
    .rodata : {
        *(.rodata .rodata.*)
    } :image
    . = ALIGN(4096);
    _erodata = .;
    .data : {
        *(.data .data.*)
        . = ALIGN(4096);
        *(.data.page_aligned)
    } :image
    . = ALIGN(4096);
    _edata = .;
    .bss : {
        *(.bss.page_aligned)
        *(.bss .bss.* COMMON)
    } :image
    . = ALIGN(4096);
    _end = .;
    /DISCARD/ : {
        *(.note.GNU-stack) *(.comment) *(.eh_frame) *(.note.gnu.property)
    }
}
