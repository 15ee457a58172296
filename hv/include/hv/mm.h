/* Physical page allocator (buddy) and the hypervisor heap. */
#ifndef HV_MM_H
#define HV_MM_H

#include <hv/types.h>

#define MAX_ORDER 20 /* largest block: 2^20 pages = 4 GiB */

/* Hand a range of free RAM [start, end) (host-virtual == host-physical addresses in the hypervisor)
 * to the allocator. */
void page_alloc_add_range(uintptr_t start, uintptr_t end);
/* Allocate 2^order contiguous, naturally aligned pages; returns NULL when none is free. */
void *alloc_pages(unsigned int order);
/* Allocate 2^order contiguous pages as separate order-0 allocations (state map only; no page is
 * touched). */
void *alloc_pages_split(unsigned int order);
/* As alloc_pages_split, every page zeroed (scrubbed memory first: then nothing is written). */
void *alloc_pages_split_zeroed(unsigned int order);
/* Free a block previously returned by alloc_pages with the same order. */
void free_pages(void *p, unsigned int order);
/* Allocate one zeroed page, or NULL. */
void *alloc_page_zeroed(void);
/* Number of free pages now. */
uint64_t page_alloc_free_pages(void);
/* Number of pages ever handed to the allocator. */
uint64_t page_alloc_total_pages(void);
/* Number of free pages known to be zero (scrubbed). */
uint64_t page_alloc_clean_pages(void);
/* True while some free memory is not scrubbed yet. */
bool page_scrub_pending(void);
/*
 * Zero one small piece of dirty free memory (idle pCPUs call this; never waits on the lock):
 * false when there was nothing to do.
 */
bool page_scrub_step(void);

/* Number of free blocks of exactly 2^order pages (0 for an order above MAX_ORDER). */
uint64_t page_alloc_free_blocks(unsigned int order);
/* Order of the allocated block starting at p, or a value above MAX_ORDER if none starts there. */
unsigned int page_alloc_block_order(const void *p);
/* Print free/total pages, the free blocks per order and the ranges (debug key 'm'). */
void page_alloc_dump(void);

/* Heap allocation of any size (16-byte aligned); NULL on exhaustion. */
void *xmalloc(size_t size);
/* As xmalloc, zero-filled. */
void *xzalloc(size_t size);
/* Free a heap block (NULL is ignored); panics on pointers that are not live heap blocks. */
void xfree(void *p);
/* Print heap usage per size class and the large blocks (debug key 'm'). */
void xmalloc_dump(void);

struct xmalloc_stats {
    uint64_t live_objects; /* small objects handed out and not freed */
    uint64_t slab_pages;   /* pages holding small objects */
    uint64_t large_blocks; /* allocations above the largest size class */
    uint64_t large_pages;  /* pages those use */
};
/* Heap counters for tests and diagnostics. */
void xmalloc_stats(struct xmalloc_stats *st);

#define xzalloc_obj(T) ((T *)xzalloc(sizeof(T)))

#endif
