/* PVH boot: hvm_start_info passed in EBX at the XEN_ELFNOTE_PHYS32_ENTRY entry point. */
#ifndef XENOLITH_PUBLIC_HVM_START_INFO_H
#define XENOLITH_PUBLIC_HVM_START_INFO_H

/* hvm_start_info.magic: "xEn3" with bit 7 of the 'E' set. */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

/* hvm_start_info.flags */
#define SIF_PRIVILEGED (1 << 0) /* privileged domain */
#define SIF_INITDOMAIN (1 << 1) /* the initial (control) domain */

/* hvm_memmap_table_entry.type (E820 numbering). */
#define XEN_HVM_MEMMAP_TYPE_RAM      1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI     3
#define XEN_HVM_MEMMAP_TYPE_NVS      4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM     7

#ifndef __ASSEMBLY__

#include <stdint.h>

/*
 * Start-of-day information (56 bytes for version 1; version 0 ends at
 * memmap_paddr). All addresses are guest-physical; 0 means absent.
 */
struct hvm_start_info {
    uint32_t magic;          /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;        /* 0 or 1 */
    uint32_t flags;          /* SIF_* */
    uint32_t nr_modules;     /* entries at modlist_paddr */
    uint64_t modlist_paddr;  /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr;  /* NUL-terminated command line */
    uint64_t rsdp_paddr;     /* ACPI RSDP */
    uint64_t memmap_paddr;   /* v1: struct hvm_memmap_table_entry[memmap_entries] */
    uint32_t memmap_entries; /* v1 */
    uint32_t reserved;
};

/* One boot module (32 bytes); module 0 is the initrd for Linux. */
struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

/* One memory-map entry (24 bytes). */
struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* XEN_HVM_MEMMAP_TYPE_* */
    uint32_t reserved;
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_HVM_START_INFO_H */
