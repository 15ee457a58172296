/* Host page tables: identity map of RAM and MMIO (NX), the hypervisor image mapped W^X by section.
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <asm/cpu.h>
#include <asm/page.h>
#include <asm/smp.h>

extern char _start[], _etext[], _erodata[], _end[];

static uint64_t *pml4;

static uint64_t *table_alloc(void)
{
    uint64_t *t = alloc_page_zeroed();
    if (!t)
        panic("out of memory building page tables");
    return t;
}

static uint64_t *next_level(uint64_t *table, unsigned int idx)
{
    if (!(table[idx] & _PAGE_PRESENT))
        table[idx] = (uint64_t)table_alloc() | _PAGE_PRESENT | _PAGE_RW;
    return (uint64_t *)(table[idx] & PTE_ADDR_MASK);
}

static void map_2m(uint64_t va, uint64_t flags)
{
    uint64_t *pdpt = next_level(pml4, (va >> 39) & 511);
    uint64_t *pd = next_level(pdpt, (va >> 30) & 511);
    pd[(va >> 21) & 511] = va | flags | _PAGE_PSE;
}

static void map_4k(uint64_t va, uint64_t flags)
{
    uint64_t *pdpt = next_level(pml4, (va >> 39) & 511);
    uint64_t *pd = next_level(pdpt, (va >> 30) & 511);
    uint64_t *pt;
    unsigned int pdi = (va >> 21) & 511;

    if (pd[pdi] & _PAGE_PSE) {
        /* Split the 2 MiB mapping, keeping its attributes for the other pages. */
        uint64_t big = pd[pdi], base = big & ~0x1FFFFFULL & PTE_ADDR_MASK;
        pt = table_alloc();
        for (int i = 0; i < 512; i++)
            pt[i] = (base + ((uint64_t)i << 12)) | (big & ~(PTE_ADDR_MASK | _PAGE_PSE));
        pd[pdi] = (uint64_t)pt | _PAGE_PRESENT | _PAGE_RW;
    }
    pt = next_level(pd, pdi);
    pt[(va >> 12) & 511] = va | flags;
}

/* Build the hypervisor's final page tables (identity map, W^X image) and switch to them. */
void paging_init(uint64_t ram_top)
{
    const uint64_t rw = _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL;
    uint64_t top = MAX(ROUNDUP(ram_top, 1ULL << 30), 4ULL << 30);

    pml4 = table_alloc();
    for (uint64_t va = 0; va < top; va += 1ULL << 21) {
        uint64_t flags = rw | _PAGE_NX;
        if (va >= 0xC0000000ULL && va < (4ULL << 30))
            flags |= _PAGE_PCD | _PAGE_PWT; /* MMIO hole: uncached */
        map_2m(va, flags);
    }
    for (uint64_t va = (uint64_t)_start & PAGE_MASK; va < (uint64_t)_end; va += PAGE_SIZE) {
        uint64_t flags;
        if (va < (uint64_t)_etext)
            flags = _PAGE_PRESENT | _PAGE_GLOBAL; /* text: read + execute */
        else if (va < (uint64_t)_erodata)
            flags = _PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX;
        else
            flags = rw | _PAGE_NX;
        map_4k(va, flags);
    }
    /* Page 0 stays unmapped so NULL dereferences fault. */
    map_4k(0, 0);
    write_cr3((uint64_t)pml4);
    pr_info("Paging: identity map up to %llu MiB, image W^X, NX on data\n",
            (unsigned long long)(top >> 20));
}

/* Switch an AP to the BSP's final page tables. */
void paging_ap_init(void)
{
    write_cr3((uint64_t)pml4);
}
