/* Extra 2 MiB mappings on top of head.S's identity map of the first 1 GiB. */
#include "xtf.h"

#define PAGE_2M    0x200000ULL
#define ADDR_MASK  0x000FFFFFFFFFF000ULL
#define POOL_PAGES 8

extern uint64_t xtf_pml4[512];

static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned int pool_used;

/* The table an entry points to, creating it when absent; NULL if the pool is empty or a
 * large page is in the way. Tables live in the identity-mapped first GiB. */
static uint64_t *next_table(uint64_t *entry)
{
    if (!(*entry & PTE_P)) {
        if (pool_used == POOL_PAGES)
            return NULL;
        uint64_t *t = pool[pool_used++];
        memset(t, 0, 4096);
        *entry = (uint64_t)(uintptr_t)t | PTE_P | PTE_RW | PTE_US;
    }
    if (*entry & PTE_PS)
        return NULL;
    return (uint64_t *)(uintptr_t)(*entry & ADDR_MASK);
}

/* Map the 2 MiB page at va to pa with extra flags; 0 on success, -1 on error. */
int xtf_map_2m(uint64_t va, uint64_t pa, uint64_t flags)
{
    int64_t top = (int64_t)va >> 47;

    if ((va | pa) & (PAGE_2M - 1) || (top != 0 && top != -1))
        return -1;
    uint64_t *l3 = next_table(&xtf_pml4[(va >> 39) & 511]);
    uint64_t *l2 = l3 ? next_table(&l3[(va >> 30) & 511]) : NULL;
    if (!l2)
        return -1;
    l2[(va >> 21) & 511] = pa | PTE_P | PTE_RW | PTE_PS | flags;
    invlpg(va);
    return 0;
}
