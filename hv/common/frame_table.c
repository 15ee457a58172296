/* The frame table: per host frame reference counts, lock-free (one atomic word per frame). */
#include <hv/frame.h>
#include <hv/mm.h>
#include <hv/lib.h>
#include <hv/console.h>
#include <public/errno.h>

static uint32_t *table;
static uint64_t base, nr_frames;
static uint64_t orphans; /* atomic */

int frame_table_init(uint64_t first_mfn, uint64_t nr)
{
    uint64_t bytes = nr * sizeof(uint32_t);
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < bytes)
        order++;
    table = alloc_pages(order);
    if (!table)
        return -XEN_ENOMEM;
    memset(table, 0, PAGE_SIZE << order);
    base = first_mfn;
    nr_frames = nr;
    orphans = 0;
    return 0;
}

static uint32_t *entry(uint64_t mfn)
{
    return mfn - base < nr_frames ? &table[mfn - base] : NULL;
}

static void free_frame(uint64_t mfn)
{
    free_pages((void *)(uintptr_t)(mfn << PAGE_SHIFT), 0);
}

bool frame_get(uint64_t mfn)
{
    uint32_t *e = entry(mfn);
    uint32_t v;

    if (!e)
        return false;
    v = __atomic_load_n(e, __ATOMIC_RELAXED);
    do {
        if ((v & ~FRAME_ORPHAN) == FRAME_REFS_MAX)
            return false;
    } while (!__atomic_compare_exchange_n(e, &v, v + 1, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    return true;
}

void frame_put(uint64_t mfn)
{
    uint32_t *e = entry(mfn), old;

    if (!e)
        panic("frame_put(%#llx): no such frame", (unsigned long long)mfn);
    old = __atomic_fetch_sub(e, 1, __ATOMIC_ACQ_REL);
    if (!(old & ~FRAME_ORPHAN))
        panic("frame_put(%#llx): no reference held", (unsigned long long)mfn);
    if (old - 1 == FRAME_ORPHAN) {
        /* The owner is gone and this was the last reference: nobody else can see the word. */
        __atomic_store_n(e, 0, __ATOMIC_RELEASE);
        __atomic_fetch_sub(&orphans, 1, __ATOMIC_RELAXED);
        free_frame(mfn);
    }
}

void frame_release(uint64_t mfn)
{
    uint32_t *e = entry(mfn), old;

    if (!e)
        panic("frame_release(%#llx): no such frame", (unsigned long long)mfn);
    /* No new reference can appear: the owner took the page out of every place it was found. */
    old = __atomic_fetch_or(e, FRAME_ORPHAN, __ATOMIC_ACQ_REL);
    if (old & FRAME_ORPHAN)
        panic("frame_release(%#llx): released twice", (unsigned long long)mfn);
    if (old) {
        __atomic_fetch_add(&orphans, 1, __ATOMIC_RELAXED);
        return;
    }
    __atomic_store_n(e, 0, __ATOMIC_RELEASE);
    free_frame(mfn);
}

uint32_t frame_count(uint64_t mfn)
{
    uint32_t *e = entry(mfn);

    return e ? __atomic_load_n(e, __ATOMIC_RELAXED) : 0;
}

uint64_t frame_orphans(void)
{
    return __atomic_load_n(&orphans, __ATOMIC_RELAXED);
}
