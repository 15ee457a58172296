/* Buddy allocator for physical pages: per-order free lists of dirty and of clean (zeroed) blocks,
 * a one-byte-per-page state map, and the idle-time scrubber that turns dirty blocks clean. */
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/spinlock.h>

/*
 * Every range handed in keeps its own state map: one byte per usable page, stored in the
 * last pages of that range. A byte is non-zero only for the first page of a block:
 *   PS_FREE  | order   head of a free block of 2^order pages (on free_list[order])
 *   PS_ALLOC | order   head of a block alloc_pages returned
 * Pages inside a block have 0. Free blocks are naturally aligned in physical memory and
 * never cross a range boundary, so a block's buddy is found by flipping one address bit
 * and checking the buddy's map byte. The list links live in the free pages themselves.
 *
 * A free block is clean (PS_CLEAN, on clean_list) when every byte of it is zero except the
 * links of a block currently on a list: links are zeroed whenever a block leaves a list.
 * Freed memory and memory handed in at boot are dirty; only buddies of the same kind merge
 * (a dirty block next to a clean one waits for the scrubber to merge). The scrubber
 * (page_scrub_step, from idle pCPUs) takes small dirty pieces off the lists, zeroes them
 * outside the lock and frees them back clean, so a zeroed allocation usually needs no memset.
 */
#define PS_FREE  0x80
#define PS_ALLOC 0x40
#define PS_CLEAN 0x20
#define PS_ORDER 0x1f

#define SCRUB_ORDER 4 /* the scrubber zeroes 64 KiB per step */

#define MAX_RANGES 128

struct range {
    uintptr_t start; /* first usable page */
    uintptr_t end;   /* end of usable pages == start of the state map */
    uintptr_t limit; /* end of the range as handed in (map included) */
    uint8_t *map;
};

struct free_block {
    struct free_block *next, *prev;
};

/* lock protects everything below. */
static spinlock_t lock = SPINLOCK_INIT;
static struct range ranges[MAX_RANGES]; /* sorted by start, non-overlapping */
static unsigned int nr_ranges;
static struct free_block *free_list[MAX_ORDER + 1];  /* dirty blocks */
static struct free_block *clean_list[MAX_ORDER + 1]; /* clean blocks */
static uint64_t nr_free_blocks[MAX_ORDER + 1];       /* both kinds */
static uint64_t free_pages_count, total_pages_count;
static uint64_t clean_pages_count; /* pages in clean free blocks */
static uint64_t scrubbing_pages;   /* taken by the scrubber: still counted as free */
static unsigned int alloc_waiters; /* allocations waiting for those: no new pieces meanwhile */

static uint8_t *state(const struct range *r, uintptr_t addr)
{
    return &r->map[(addr - r->start) >> PAGE_SHIFT];
}

/* The range holding usable page addr, or NULL: binary search, O(log ranges). */
static struct range *find_range(uintptr_t addr)
{
    unsigned int lo = 0, hi = nr_ranges;

    while (lo < hi) {
        unsigned int mid = (lo + hi) / 2;
        if (addr < ranges[mid].start)
            hi = mid;
        else if (addr >= ranges[mid].end)
            lo = mid + 1;
        else
            return &ranges[mid];
    }
    return NULL;
}

static struct free_block **list_of(unsigned int order, bool clean)
{
    return clean ? &clean_list[order] : &free_list[order];
}

static void list_push(unsigned int order, uintptr_t addr, bool clean)
{
    struct free_block *b = (struct free_block *)addr, **head = list_of(order, clean);

    b->prev = NULL;
    b->next = *head;
    if (b->next)
        b->next->prev = b;
    *head = b;
    nr_free_blocks[order]++;
    if (clean)
        clean_pages_count += 1ULL << order;
}

/* Unlink b and zero its links (a clean block is all zeros once off the lists). */
static void list_remove(unsigned int order, struct free_block *b, bool clean)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        *list_of(order, clean) = b->next;
    if (b->next)
        b->next->prev = b->prev;
    b->next = b->prev = NULL;
    nr_free_blocks[order]--;
    if (clean)
        clean_pages_count -= 1ULL << order;
}

/* Put the block at addr (map byte already 0) on the free lists, merging with free buddies. */
static void insert_free(const struct range *r, uintptr_t addr, unsigned int order, bool clean)
{
    while (order < MAX_ORDER) {
        uintptr_t size = PAGE_SIZE << order;
        uintptr_t buddy = addr ^ size;
        uint8_t *bs;

        if (buddy < r->start || buddy >= r->end || r->end - buddy < size)
            break;
        bs = state(r, buddy);
        if (*bs != (PS_FREE | order | (clean ? PS_CLEAN : 0)))
            break;
        list_remove(order, (struct free_block *)buddy, clean);
        *bs = 0;
        addr &= ~size; /* the merged block starts at the lower of the two */
        order++;
    }
    *state(r, addr) = (uint8_t)(PS_FREE | order | (clean ? PS_CLEAN : 0));
    list_push(order, addr, clean);
}

/* Hand a range of free RAM [start, end) (host-virtual == host-physical addresses in the hypervisor)
 * to the allocator. */
void page_alloc_add_range(uintptr_t start, uintptr_t end)
{
    uint64_t npages, meta, usable;
    struct range r;
    unsigned int i;

    start = ROUNDUP(start, PAGE_SIZE);
    end = ROUNDDOWN(end, PAGE_SIZE);
    if (start == 0)
        start = PAGE_SIZE; /* page 0 would look like a NULL return */
    if (end <= start)
        return;
    npages = (end - start) >> PAGE_SHIFT;
    /* meta map pages describe the rest: meta * PAGE_SIZE >= npages - meta. */
    meta = (npages + PAGE_SIZE) / (PAGE_SIZE + 1);
    usable = npages - meta;
    if (usable == 0)
        return;
    r.start = start;
    r.end = start + (usable << PAGE_SHIFT);
    r.limit = end;
    r.map = (uint8_t *)r.end;

    spin_lock(&lock);
    for (i = 0; i < nr_ranges; i++) {
        if (start < ranges[i].limit && ranges[i].start < end) {
            spin_unlock(&lock);
            panic("page_alloc: range %#lx-%#lx overlaps %#lx-%#lx", (unsigned long)start,
                  (unsigned long)end, (unsigned long)ranges[i].start,
                  (unsigned long)ranges[i].limit);
        }
    }
    if (nr_ranges == MAX_RANGES) {
        spin_unlock(&lock);
        printk("page_alloc: too many ranges, %#lx-%#lx not used\n", (unsigned long)start,
               (unsigned long)end);
        return;
    }
    for (i = nr_ranges; i > 0 && ranges[i - 1].start > start; i--)
        ranges[i] = ranges[i - 1];
    ranges[i] = r;
    nr_ranges++;
    memset(r.map, 0, usable);

    /* Cut the usable part into the largest naturally aligned blocks that fit. */
    for (uintptr_t a = r.start; a < r.end;) {
        unsigned int order = 0;
        while (order < MAX_ORDER && !(a & (PAGE_SIZE << order)) &&
               r.end - a >= (PAGE_SIZE << (order + 1)))
            order++;
        insert_free(&ranges[i], a, order, false); /* boot memory holds anything */
        a += PAGE_SIZE << order;
    }
    free_pages_count += usable;
    total_pages_count += usable;
    spin_unlock(&lock);
}

/* How an allocation wants its block: as one block or order-0 pages, zeroed or as found. */
enum { ALLOC_SPLIT = 1, ALLOC_ZERO = 2 };

/*
 * Take a free block of at least 2^order pages, clean ones first if want_clean, dirty ones
 * first otherwise (the scrubbed memory is kept for whoever needs zeroes). Lock held; NULL when
 * both kinds are exhausted. *clean says which kind it was.
 */
static uintptr_t take_block(unsigned int order, bool want_clean, unsigned int *k, bool *clean)
{
    for (int pass = 0; pass < 2; pass++) {
        bool c = pass ? !want_clean : want_clean;

        for (*k = order; *k <= MAX_ORDER; (*k)++) {
            struct free_block *b = *list_of(*k, c);

            if (b) {
                list_remove(*k, b, c);
                *clean = c;
                return (uintptr_t)b;
            }
        }
    }
    return 0;
}

static void *alloc_block(unsigned int order, unsigned int how)
{
    unsigned int k;
    uintptr_t addr;
    const struct range *r;
    bool clean;

    if (order > MAX_ORDER)
        return NULL;
    spin_lock(&lock);
    addr = take_block(order, how & ALLOC_ZERO, &k, &clean);
    if (!addr && scrubbing_pages) {
        /* Pieces out on other pCPUs' scrubbers may complete a block: let them come back (the
         * scrubbers take no new ones while we wait), then look once more. */
        alloc_waiters++;
        while (scrubbing_pages) {
            spin_unlock(&lock);
            __builtin_ia32_pause();
            spin_lock(&lock);
        }
        alloc_waiters--;
        addr = take_block(order, how & ALLOC_ZERO, &k, &clean);
    }
    if (!addr) {
        spin_unlock(&lock);
        return NULL;
    }
    r = find_range(addr);
    /* Split: keep the lower half, give the upper halves back one order at a time. */
    while (k > order) {
        uintptr_t upper;
        k--;
        upper = addr + (PAGE_SIZE << k);
        *state(r, upper) = (uint8_t)(PS_FREE | k | (clean ? PS_CLEAN : 0));
        list_push(k, upper, clean);
    }
    if (how & ALLOC_SPLIT) {
        for (uint64_t i = 0; i < (1ULL << order); i++)
            *state(r, addr + (i << PAGE_SHIFT)) = (uint8_t)(PS_ALLOC | 0);
    } else {
        *state(r, addr) = (uint8_t)(PS_ALLOC | order);
    }
    free_pages_count -= 1ULL << order;
    spin_unlock(&lock);
    if ((how & ALLOC_ZERO) && !clean)
        memset((void *)addr, 0, PAGE_SIZE << order);
    return (void *)addr;
}

/* Allocate 2^order contiguous, naturally aligned pages; returns NULL when none is free. */
void *alloc_pages(unsigned int order)
{
    return alloc_block(order, 0);
}

/*
 * Allocate 2^order contiguous pages as 2^order separate order-0 allocations (each freed with
 * free_pages(p, 0)); touches only the state map, not the pages. NULL when none is free.
 */
void *alloc_pages_split(unsigned int order)
{
    return alloc_block(order, ALLOC_SPLIT);
}

/* As alloc_pages_split, every page zeroed (scrubbed memory first: then nothing is written). */
void *alloc_pages_split_zeroed(unsigned int order)
{
    return alloc_block(order, ALLOC_SPLIT | ALLOC_ZERO);
}

/* Free a block previously returned by alloc_pages with the same order (NULL is ignored). */
void free_pages(void *p, unsigned int order)
{
    uintptr_t addr = (uintptr_t)p;
    struct range *r;
    uint8_t s;

    if (!p)
        return;
    if (order > MAX_ORDER || (addr & (PAGE_SIZE - 1)))
        panic("free_pages(%p, %u): bad address or order", p, order);
    spin_lock(&lock);
    r = find_range(addr);
    if (!r) {
        spin_unlock(&lock);
        panic("free_pages(%p, %u): not memory of the page allocator", p, order);
    }
    s = *state(r, addr);
    if (s != (PS_ALLOC | order)) {
        spin_unlock(&lock);
        if (s & PS_FREE)
            panic("free_pages(%p, %u): double free", p, order);
        if (s & PS_ALLOC)
            panic("free_pages(%p, %u): block was allocated with order %u", p, order, s & PS_ORDER);
        panic("free_pages(%p, %u): not an allocated block (double free?)", p, order);
    }
    *state(r, addr) = 0;
    insert_free(r, addr, order, false);
    free_pages_count += 1ULL << order;
    spin_unlock(&lock);
}

/* Order of the allocated block starting at p, or a value above MAX_ORDER if none starts there. */
unsigned int page_alloc_block_order(const void *p)
{
    uintptr_t addr = (uintptr_t)p;
    const struct range *r;
    unsigned int order = MAX_ORDER + 1;

    if (addr & (PAGE_SIZE - 1))
        return order;
    spin_lock(&lock);
    r = find_range(addr);
    if (r && (*state(r, addr) & PS_ALLOC))
        order = *state(r, addr) & PS_ORDER;
    spin_unlock(&lock);
    return order;
}

/* Allocate one zeroed page, or NULL. */
void *alloc_page_zeroed(void)
{
    return alloc_block(0, ALLOC_ZERO);
}

/* Largest dirty free block order, or -1 when there is none. Lock held. */
static int dirty_order(void)
{
    for (int k = MAX_ORDER; k >= 0; k--)
        if (free_list[k])
            return k;
    return -1;
}

bool page_scrub_pending(void)
{
    return __atomic_load_n(&free_pages_count, __ATOMIC_RELAXED) !=
           __atomic_load_n(&clean_pages_count, __ATOMIC_RELAXED) +
               __atomic_load_n(&scrubbing_pages, __ATOMIC_RELAXED);
}

/*
 * Take the smallest dirty block, or a SCRUB_ORDER piece off the bottom of a larger one, off the
 * lists: *addr and *order. 1 when taken, 0 when there is nothing dirty, -1 when the lock is
 * busy or an allocation waits for the pieces already out (try again later).
 */
static int scrub_take(uintptr_t *addr, unsigned int *order)
{
    const struct range *r;
    int k;

    if (!spin_trylock(&lock))
        return -1;
    k = dirty_order();
    if (k < 0 || alloc_waiters) {
        spin_unlock(&lock);
        return k < 0 ? 0 : -1;
    }
    for (*order = 0; *order <= (unsigned int)k && !free_list[*order]; (*order)++)
        ;
    *addr = (uintptr_t)free_list[*order];
    list_remove(*order, free_list[*order], false);
    r = find_range(*addr);
    *state(r, *addr) = 0;
    while (*order > SCRUB_ORDER) {
        (*order)--;
        *state(r, *addr + (PAGE_SIZE << *order)) = (uint8_t)(PS_FREE | *order);
        list_push(*order, *addr + (PAGE_SIZE << *order), false);
    }
    /* Off the lists, with state byte 0, the piece is ours: nobody allocates or merges it. */
    scrubbing_pages += 1ULL << *order;
    spin_unlock(&lock);
    return 1;
}

/* Give a zeroed piece back, clean. */
static void scrub_return(uintptr_t addr, unsigned int order)
{
    spin_lock(&lock);
    scrubbing_pages -= 1ULL << order;
    insert_free(find_range(addr), addr, order, true);
    spin_unlock(&lock);
}

bool page_scrub_step(void)
{
    unsigned int order;
    uintptr_t addr;
    int taken = scrub_take(&addr, &order);

    if (taken <= 0)
        return taken < 0; /* busy: come back soon, there may be work */
    memset((void *)addr, 0, PAGE_SIZE << order);
    scrub_return(addr, order);
    return true;
}

/* Number of free pages now. */
uint64_t page_alloc_free_pages(void)
{
    return __atomic_load_n(&free_pages_count, __ATOMIC_RELAXED);
}

/* Number of pages ever handed to the allocator. */
uint64_t page_alloc_total_pages(void)
{
    return __atomic_load_n(&total_pages_count, __ATOMIC_RELAXED);
}

/* Number of free pages known to be zero (scrubbed). */
uint64_t page_alloc_clean_pages(void)
{
    return __atomic_load_n(&clean_pages_count, __ATOMIC_RELAXED);
}

/* Number of free blocks of exactly 2^order pages (0 for an order above MAX_ORDER). */
uint64_t page_alloc_free_blocks(unsigned int order)
{
    return order <= MAX_ORDER ? __atomic_load_n(&nr_free_blocks[order], __ATOMIC_RELAXED) : 0;
}

/* Print free/total pages, the free blocks per order and the ranges (debug key 'm'). */
void page_alloc_dump(void)
{
    uint64_t counts[MAX_ORDER + 1], free, total, clean;
    unsigned int n;

    /* Debug keys run from the timer tick: never wait for good on a lock this CPU may hold. */
    bool locked = false;
    for (int i = 0; i < 100000 && !(locked = spin_trylock(&lock)); i++)
        __builtin_ia32_pause();
    memcpy(counts, nr_free_blocks, sizeof(counts));
    free = free_pages_count;
    clean = clean_pages_count;
    total = total_pages_count;
    n = nr_ranges;
    if (locked)
        spin_unlock(&lock);
    else
        printk("(allocator busy: the figures below may be inconsistent)\n");

    printk("Page allocator: %llu of %llu pages free (%llu MiB of %llu MiB, %llu MiB scrubbed) in "
           "%u ranges\n",
           (unsigned long long)free, (unsigned long long)total,
           (unsigned long long)(free >> (20 - PAGE_SHIFT)),
           (unsigned long long)(total >> (20 - PAGE_SHIFT)),
           (unsigned long long)(clean >> (20 - PAGE_SHIFT)), n);
    for (unsigned int k = 0; k <= MAX_ORDER; k++) {
        if (counts[k])
            printk("  order %2u (%7llu KiB): %llu free\n", k,
                   (unsigned long long)(PAGE_SIZE << k) >> 10, (unsigned long long)counts[k]);
    }
}

#ifdef HV_HOSTED
/* Unit tests only: a scrub step cut in two, to hold a piece out: its address, or 0. */
uintptr_t page_scrub_hold(unsigned int *order)
{
    uintptr_t addr;

    return scrub_take(&addr, order) > 0 ? addr : 0;
}

/* Unit tests only: zero and return what page_scrub_hold took. */
void page_scrub_release(uintptr_t addr, unsigned int order)
{
    memset((void *)addr, 0, PAGE_SIZE << order);
    scrub_return(addr, order);
}

/* Unit tests only: allocations now waiting for held pieces. */
unsigned int page_alloc_waiters(void)
{
    return __atomic_load_n(&alloc_waiters, __ATOMIC_ACQUIRE);
}

/* Unit tests only: forget every range, as if nothing had been handed in yet. */
void page_alloc_reset(void)
{
    nr_ranges = 0;
    memset(free_list, 0, sizeof(free_list));
    memset(clean_list, 0, sizeof(clean_list));
    memset(nr_free_blocks, 0, sizeof(nr_free_blocks));
    free_pages_count = total_pages_count = clean_pages_count = scrubbing_pages = 0;
    alloc_waiters = 0;
}
#endif
