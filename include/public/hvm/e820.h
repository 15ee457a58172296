/* BIOS E820 memory-map entry as returned by XENMEM_memory_map, and HVM address-space constants. */
#ifndef XENOLITH_PUBLIC_HVM_E820_H
#define XENOLITH_PUBLIC_HVM_E820_H

/* e820entry.type */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5
#define E820_DISABLED 6
#define E820_PMEM     7

/* Default top of low RAM for HVM guests and the MMIO hole above it. */
#define HVM_BELOW_4G_RAM_END     0xF0000000
#define HVM_BELOW_4G_MMIO_START  HVM_BELOW_4G_RAM_END
#define HVM_BELOW_4G_MMIO_LENGTH (0x100000000ULL - HVM_BELOW_4G_MMIO_START)

#ifndef __ASSEMBLY__

#include <stdint.h>

/* Packed 20-byte BIOS format (not the 24-byte hvm_memmap_table_entry). */
struct e820entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* E820_* */
} __attribute__((packed));

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_HVM_E820_H */
