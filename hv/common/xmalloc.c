/* Hypervisor heap: one-page slabs for small size classes, whole page blocks for the rest. */
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/spinlock.h>

/*
 * A small object lives in a one-page slab whose first 64 bytes are a struct slab, so
 * xfree finds the slab by rounding the pointer down to its page; a bitmap of live
 * objects catches double frees. Requests above the largest class get their own
 * naturally aligned block straight from alloc_pages, with no header at all: those
 * pointers are page aligned, which a slab object never is, and the page allocator
 * knows (and checks) the block's order.
 */
#define SLAB_MAGIC 0x51ab51abu
#define SLAB_HDR   64
#define SLAB_SPACE (PAGE_SIZE - SLAB_HDR)
#define MAX_OBJS   (SLAB_SPACE / 16)

/* Multiples of 16 (the alignment promised); the large ones split a page without waste. */
static const uint16_t class_size[] = {16,  32,  48,  64,  96,   128,  192, 256,
                                      336, 448, 576, 672, 1008, 1344, 2016};
#define NR_CLASSES ARRAY_SIZE(class_size)

struct slab {
    uint32_t magic;
    uint16_t cls;
    uint16_t nfree;
    struct slab *next, *prev; /* on partial[cls] while it has free objects */
    void *free_obj;           /* free objects, linked through their first word */
    uint64_t live[(MAX_OBJS + 63) / 64];
};
BUILD_BUG_ON(sizeof(struct slab) > SLAB_HDR);

/* heap_lock protects the slabs and the counters; it is taken before the page allocator's. */
static spinlock_t heap_lock = SPINLOCK_INIT;
static struct slab *partial[NR_CLASSES];
static uint64_t live_objs[NR_CLASSES];
static uint64_t slab_pages, large_allocs, large_pages;

static unsigned int objs_per_slab(unsigned int cls)
{
    return (unsigned int)(SLAB_SPACE / class_size[cls]);
}

static char *slab_obj(struct slab *s, unsigned int idx)
{
    return (char *)s + SLAB_HDR + (size_t)idx * class_size[s->cls];
}

static void partial_add(struct slab *s)
{
    s->prev = NULL;
    s->next = partial[s->cls];
    if (s->next)
        s->next->prev = s;
    partial[s->cls] = s;
}

static void partial_del(struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        partial[s->cls] = s->next;
    if (s->next)
        s->next->prev = s->prev;
}

static struct slab *slab_new(unsigned int cls)
{
    struct slab *s = alloc_pages(0);
    unsigned int n = objs_per_slab(cls);

    if (!s)
        return NULL;
    memset(s, 0, SLAB_HDR);
    s->magic = SLAB_MAGIC;
    s->cls = (uint16_t)cls;
    s->nfree = (uint16_t)n;
    for (unsigned int i = n; i-- > 0;) {
        char *o = slab_obj(s, i);
        *(void **)o = s->free_obj;
        s->free_obj = o;
    }
    slab_pages++;
    return s;
}

static unsigned int order_for(size_t size)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < size)
        order++;
    return order;
}

/* Heap allocation of any size (16-byte aligned); NULL on exhaustion. */
void *xmalloc(size_t size)
{
    unsigned int cls;
    struct slab *s;
    void *o;
    unsigned int idx;

    if (size > class_size[NR_CLASSES - 1]) {
        void *p;
        unsigned int order;

        if (size > (PAGE_SIZE << MAX_ORDER))
            return NULL;
        order = order_for(size);
        p = alloc_pages(order);
        if (p) {
            spin_lock(&heap_lock);
            large_allocs++;
            large_pages += 1ULL << order;
            spin_unlock(&heap_lock);
        }
        return p;
    }

    for (cls = 0; class_size[cls] < size; cls++)
        ;
    spin_lock(&heap_lock);
    s = partial[cls];
    if (!s) {
        s = slab_new(cls);
        if (!s) {
            spin_unlock(&heap_lock);
            return NULL;
        }
        partial_add(s);
    }
    o = s->free_obj;
    s->free_obj = *(void **)o;
    idx = (unsigned int)(((char *)o - slab_obj(s, 0)) / class_size[cls]);
    s->live[idx / 64] |= 1ULL << (idx % 64);
    if (--s->nfree == 0)
        partial_del(s);
    live_objs[cls]++;
    spin_unlock(&heap_lock);
    return o;
}

/* As xmalloc, zero-filled. */
void *xzalloc(size_t size)
{
    void *p = xmalloc(size);

    if (p)
        memset(p, 0, size);
    return p;
}

static void free_large(void *p)
{
    /* The block's order is kept only in the page allocator's state map. */
    unsigned int order = page_alloc_block_order(p);

    if (order > MAX_ORDER)
        panic("xfree(%p): not a heap block (double free?)", p);
    free_pages(p, order);
    spin_lock(&heap_lock);
    large_allocs--;
    large_pages -= 1ULL << order;
    spin_unlock(&heap_lock);
}

/* Free a heap block (NULL is ignored); panics on pointers that are not live heap blocks. */
void xfree(void *p)
{
    uintptr_t off = (uintptr_t)p & (PAGE_SIZE - 1);
    struct slab *s = (struct slab *)((uintptr_t)p - off);
    unsigned int idx, size;

    if (!p)
        return;
    if (off == 0) {
        free_large(p);
        return;
    }

    spin_lock(&heap_lock);
    if (s->magic != SLAB_MAGIC || s->cls >= NR_CLASSES || off < SLAB_HDR) {
        spin_unlock(&heap_lock);
        panic("xfree(%p): not a heap pointer", p);
    }
    size = class_size[s->cls];
    idx = (unsigned int)((off - SLAB_HDR) / size);
    if ((off - SLAB_HDR) % size || idx >= objs_per_slab(s->cls)) {
        spin_unlock(&heap_lock);
        panic("xfree(%p): points inside a %u-byte object", p, size);
    }
    if (!(s->live[idx / 64] & (1ULL << (idx % 64)))) {
        spin_unlock(&heap_lock);
        panic("xfree(%p): double free of a %u-byte object", p, size);
    }
    s->live[idx / 64] &= ~(1ULL << (idx % 64));
    *(void **)p = s->free_obj;
    s->free_obj = p;
    live_objs[s->cls]--;
    if (s->nfree++ == 0)
        partial_add(s);
    if (s->nfree == objs_per_slab(s->cls)) {
        /* Empty: give the page back (clear the magic so stale pointers are caught). */
        partial_del(s);
        s->magic = 0;
        slab_pages--;
        free_pages(s, 0);
    }
    spin_unlock(&heap_lock);
}

/* Print heap usage per size class and the large blocks (debug key 'm'). */
void xmalloc_dump(void)
{
    uint64_t live[NR_CLASSES], slabs, lalloc, lpages;

    /* Debug keys run from the timer tick: never wait for good on a lock this CPU may hold. */
    bool locked = false;
    for (int i = 0; i < 100000 && !(locked = spin_trylock(&heap_lock)); i++)
        __builtin_ia32_pause();
    memcpy(live, live_objs, sizeof(live));
    slabs = slab_pages;
    lalloc = large_allocs;
    lpages = large_pages;
    if (locked)
        spin_unlock(&heap_lock);
    else
        printk("(allocator busy: the figures below may be inconsistent)\n");

    printk("Heap: %llu slab pages, %llu large blocks in %llu pages\n", (unsigned long long)slabs,
           (unsigned long long)lalloc, (unsigned long long)lpages);
    for (unsigned int c = 0; c < NR_CLASSES; c++) {
        if (live[c])
            printk("  %4u-byte objects: %llu live\n", class_size[c], (unsigned long long)live[c]);
    }
}

/* Heap counters for tests and diagnostics. */
void xmalloc_stats(struct xmalloc_stats *st)
{
    spin_lock(&heap_lock);
    st->live_objects = 0;
    for (unsigned int c = 0; c < NR_CLASSES; c++)
        st->live_objects += live_objs[c];
    st->slab_pages = slab_pages;
    st->large_blocks = large_allocs;
    st->large_pages = large_pages;
    spin_unlock(&heap_lock);
}
