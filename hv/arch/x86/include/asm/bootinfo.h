/* What the boot loader told us: command line, memory map, modules (multiboot 1 or 2). */
#ifndef ASM_BOOTINFO_H
#define ASM_BOOTINFO_H

#include <hv/types.h>

#define BOOT_MAX_MMAP    128
#define BOOT_MAX_MODULES 16

struct boot_mmap_entry {
    uint64_t addr;
    uint64_t len;
    uint32_t type; /* E820 type: 1 RAM */
};

struct boot_module {
    uint64_t start; /* physical address */
    uint64_t size;
    const char *cmdline; /* module string (first word: name) */
};

struct boot_info {
    const char *loader;      /* "multiboot" or "multiboot2" */
    const char *loader_name; /* what the boot loader calls itself ("" if it does not say) */
    const char *cmdline;
    unsigned int nr_mmap;
    struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
    uint64_t acpi_rsdp;            /* from multiboot2 ACPI tags, else 0 (scan firmware) */
    uint64_t info_start, info_end; /* range of the loader's info structure */
};

extern struct boot_info boot_info;

/* Fill boot_info from the loader's magic and info pointer; returns 0 or a negative error. */
int parse_boot_info(uint32_t magic, uint64_t info_pa, struct boot_info *bi);

/* GRUB 2 leaves the image path out of module strings; other loaders (QEMU) put it first. */
bool loader_is_grub2(const struct boot_info *bi);

#endif
