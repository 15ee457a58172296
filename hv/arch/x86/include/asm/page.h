/* x86-64 page-table entry bits and the host paging interface. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <hv/types.h>

#define _PAGE_PRESENT  (1ULL << 0)
#define _PAGE_RW       (1ULL << 1)
#define _PAGE_USER     (1ULL << 2)
#define _PAGE_PWT      (1ULL << 3)
#define _PAGE_PCD      (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY    (1ULL << 6)
#define _PAGE_PSE      (1ULL << 7)
#define _PAGE_GLOBAL   (1ULL << 8)
#define _PAGE_NX       (1ULL << 63)
#define PTE_ADDR_MASK  0x000FFFFFFFFFF000ULL

/* Build the hypervisor's final page tables (identity map, W^X image) and switch to them. */
void paging_init(uint64_t ram_top);

#endif
