// Unit test: buddy page allocator — alignment, splitting/merging, exhaustion, misuse, stress.
// SOURCES: hv/common/page_alloc.c
#include "harness.h"
#include "expect_panic.h"
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define MiB (1UL << 20)

void page_alloc_reset(void); /* HV_HOSTED-only hooks in page_alloc.c */
uintptr_t page_scrub_hold(unsigned int *order);
void page_scrub_release(uintptr_t addr, unsigned int order);
unsigned int page_alloc_waiters(void);

/* panic() unwinds back into the test that expected it. */

void log_printf(int level, const char *fmt, ...)
{
    (void)level;
    (void)fmt;
}

static void snapshot(uint64_t counts[MAX_ORDER + 1])
{
    for (unsigned int k = 0; k <= MAX_ORDER; k++)
        counts[k] = page_alloc_free_blocks(k);
}

static bool same_counts(const uint64_t a[MAX_ORDER + 1], const uint64_t b[MAX_ORDER + 1])
{
    return memcmp(a, b, sizeof(uint64_t) * (MAX_ORDER + 1)) == 0;
}

/* 16 MiB naturally aligned, plus a few pages so the state map fits after it. */
static char *arena16(void)
{
    char *a = aligned_alloc(16 * MiB, 32 * MiB);
    page_alloc_reset();
    page_alloc_add_range((uintptr_t)a, (uintptr_t)a + 16 * MiB + 4 * PAGE_SIZE);
    return a;
}

static void test_layout_and_alignment(void)
{
    char *a = arena16();

    /* 4100 pages: 2 hold the map, 4098 usable = one order-12 block + one order-1 block. */
    CHECK_EQ(page_alloc_total_pages(), 4098);
    CHECK_EQ(page_alloc_free_pages(), 4098);
    CHECK_EQ(page_alloc_free_blocks(12), 1);
    CHECK_EQ(page_alloc_free_blocks(1), 1);
    CHECK_EQ(page_alloc_free_blocks(0), 0);
    CHECK_EQ(page_alloc_free_blocks(MAX_ORDER + 1), 0);

    void *blocks[11];
    for (unsigned int o = 0; o <= 10; o++) {
        blocks[o] = alloc_pages(o);
        CHECK(blocks[o] != NULL);
        CHECK(((uintptr_t)blocks[o] & ((PAGE_SIZE << o) - 1)) == 0);
        CHECK((char *)blocks[o] >= a &&
              (char *)blocks[o] + (PAGE_SIZE << o) <= a + 16 * MiB + 2 * PAGE_SIZE);
        CHECK_EQ(page_alloc_block_order(blocks[o]), o);
    }
    CHECK_EQ(page_alloc_free_pages(), 4098 - 2047);
    CHECK(page_alloc_block_order((char *)blocks[3] + PAGE_SIZE) > MAX_ORDER); /* not a head */
    CHECK(page_alloc_block_order((char *)blocks[3] + 8) > MAX_ORDER);
    for (unsigned int o = 0; o <= 10; o++)
        free_pages(blocks[o], o);
    CHECK_EQ(page_alloc_free_pages(), 4098);
    CHECK_EQ(page_alloc_free_blocks(12), 1); /* everything merged back */
    CHECK(alloc_pages(12) == a);
    CHECK(alloc_pages(12) == NULL);
    CHECK(alloc_pages(MAX_ORDER + 1) == NULL);
    free_pages(a, 12);
    free(a);
}

static void test_exhaustion_and_coalescing(void)
{
    char *a = arena16();
    uint64_t total = page_alloc_total_pages(), before[MAX_ORDER + 1], after[MAX_ORDER + 1];
    static void *pages[5000];
    size_t n = 0;

    snapshot(before);
    while ((pages[n] = alloc_pages(0)) != NULL)
        n++;
    CHECK_EQ(n, total);
    CHECK_EQ(page_alloc_free_pages(), 0);
    CHECK(alloc_pages(0) == NULL);
    /* Every page distinct and inside the arena. */
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if ((char *)pages[i] < a || (char *)pages[i] >= a + 16 * MiB + 2 * PAGE_SIZE)
            bad++;
        memset(pages[i], 0xa5, PAGE_SIZE);
    }
    CHECK_EQ(bad, 0);
    /* Free in an interleaved order (evens, then odds) so merging happens late. */
    for (size_t i = 0; i < n; i += 2)
        free_pages(pages[i], 0);
    CHECK_EQ(page_alloc_free_blocks(1), 0);
    for (size_t i = 1; i < n; i += 2)
        free_pages(pages[i], 0);
    snapshot(after);
    CHECK(same_counts(before, after));
    CHECK_EQ(page_alloc_free_pages(), total);
    CHECK(alloc_pages(12) == a);
    free_pages(a, 12);
    free(a);
}

static void test_split_allocation(void)
{
    char *a = arena16();
    uint64_t total = page_alloc_total_pages(), before[MAX_ORDER + 1], after[MAX_ORDER + 1];

    snapshot(before);
    char *blk = alloc_pages_split(9);
    CHECK(blk != NULL);
    CHECK(((uintptr_t)blk & (512 * PAGE_SIZE - 1)) == 0);
    CHECK_EQ(page_alloc_free_pages(), total - 512);
    /* Each page is its own order-0 allocation: freeing one as order 9 is misuse. */
    EXPECT_PANIC(free_pages(blk, 9), "");
    /* Free them one by one in reverse; they must merge back into what was there. */
    for (int i = 511; i >= 0; i--)
        free_pages(blk + (size_t)i * PAGE_SIZE, 0);
    snapshot(after);
    CHECK(same_counts(before, after));
    CHECK_EQ(page_alloc_free_pages(), total);
    CHECK(alloc_pages_split(MAX_ORDER) == NULL); /* larger than the arena */
    free(a);
}

static void test_zeroed_page(void)
{
    char *a = arena16();
    unsigned char *p = alloc_pages(0);
    memset(p, 0x77, PAGE_SIZE);
    free_pages(p, 0);
    unsigned char *z = alloc_page_zeroed();
    CHECK(z == p); /* LIFO: the dirty page comes back, and must be clean */
    int nonzero = 0;
    for (size_t i = 0; i < PAGE_SIZE; i++)
        nonzero += z[i] != 0;
    CHECK_EQ(nonzero, 0);
    free_pages(z, 0);
    free(a);
}

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Scrubbing: dirty memory becomes clean in small steps; zeroed allocations prefer clean blocks,
 * plain ones dirty blocks; merging with a dirty buddy makes a block dirty. */
static void test_scrub(void)
{
    unsigned char *a = aligned_alloc(16 * MiB, 32 * MiB);
    unsigned int steps = 0;

    memset(a, 0x5a, 16 * MiB + 4 * PAGE_SIZE); /* what boot memory may hold */
    page_alloc_reset();
    page_alloc_add_range((uintptr_t)a, (uintptr_t)a + 16 * MiB + 4 * PAGE_SIZE);
    CHECK_EQ(page_alloc_clean_pages(), 0);
    CHECK(page_scrub_pending());

    /* The smallest dirty block first (order 1), then 64 KiB pieces of the order-12 block. */
    CHECK(page_scrub_step());
    CHECK_EQ(page_alloc_clean_pages(), 2);
    CHECK(page_scrub_step());
    CHECK_EQ(page_alloc_clean_pages(), 18);
    CHECK(all_zero(a, 16 * PAGE_SIZE) && a[16 * PAGE_SIZE + 100] == 0x5a);
    CHECK_EQ(page_alloc_free_pages(), 4098);
    while (page_scrub_step())
        steps++;
    CHECK(steps >= 4096 / 16 - 1 && steps <= 4096 / 16 + 16);
    CHECK(!page_scrub_pending());
    CHECK_EQ(page_alloc_clean_pages(), 4098);
    CHECK_EQ(page_alloc_free_pages(), 4098);
    CHECK_EQ(page_alloc_free_blocks(12), 1); /* clean pieces merged back */
    CHECK_EQ(page_alloc_free_blocks(1), 1);

    /* A clean block is handed out as is: all zero, the list links included. */
    unsigned char *blk = alloc_pages_split_zeroed(12);
    CHECK(blk == a);
    CHECK(all_zero(blk, 16 * MiB));
    CHECK_EQ(page_alloc_clean_pages(), 2);

    /* Freed memory is dirty, even next to clean memory. */
    memset(blk, 0x33, PAGE_SIZE);
    for (int i = 4095; i >= 0; i--)
        free_pages(blk + (size_t)i * PAGE_SIZE, 0);
    CHECK_EQ(page_alloc_free_blocks(12), 1);
    CHECK_EQ(page_alloc_clean_pages(), 2);
    CHECK(page_scrub_pending());

    /* Plain allocations take dirty memory, zeroed ones clean memory (the order-1 block). */
    unsigned char *plain = alloc_pages(0);
    CHECK(plain >= a && plain < a + 16 * MiB);
    CHECK_EQ(page_alloc_clean_pages(), 2);
    unsigned char *z = alloc_page_zeroed();
    CHECK(z >= a + 16 * MiB && z < a + 16 * MiB + 2 * PAGE_SIZE);
    CHECK(all_zero(z, PAGE_SIZE));
    CHECK_EQ(page_alloc_clean_pages(), 1);

    /* A zeroed allocation of dirty memory is zeroed on the spot. */
    unsigned char *d = alloc_pages_split_zeroed(9);
    CHECK(d == a || d == a + 2 * MiB || (d > a && d < a + 16 * MiB));
    CHECK(all_zero(d, 2 * MiB));

    /* A step takes the smallest dirty block (plain's buddy); the free count never moves. */
    uint64_t free_before = page_alloc_free_pages();
    CHECK(page_scrub_step());
    CHECK_EQ(page_alloc_clean_pages(), 2);
    CHECK_EQ(page_alloc_free_pages(), free_before);

    for (int i = 0; i < 512; i++)
        free_pages(d + (size_t)i * PAGE_SIZE, 0);
    free_pages(z, 0);
    free_pages(plain, 0);
    while (page_scrub_step())
        ;
    CHECK_EQ(page_alloc_clean_pages(), 4098);
    CHECK_EQ(page_alloc_free_blocks(12), 1);
    free(a);
}

struct waiter {
    unsigned int order;
    void *got;
    int done;
};

static void *alloc_in_thread(void *arg)
{
    struct waiter *w = arg;

    w->got = alloc_pages(w->order);
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* An allocation that finds only a piece out on a scrubber waits for it (the scrubbers take no
 * new piece meanwhile) and then gets it; with nothing out it fails at once. */
static void test_scrub_wait(void)
{
    unsigned char *a = aligned_alloc(16 * MiB, 32 * MiB);
    struct waiter w = {.order = 4};
    void *rest[9];
    unsigned int order = 99;
    uintptr_t held;
    pthread_t t;

    page_alloc_reset();
    page_alloc_add_range((uintptr_t)a, (uintptr_t)a + 16 * MiB + 4 * PAGE_SIZE);
    rest[0] = alloc_pages(1); /* the order-1 block: now the piece comes off the big block */
    held = page_scrub_hold(&order);
    CHECK(held == (uintptr_t)a && order == 4);
    for (unsigned int k = 4; k < 12; k++) /* the upper halves: all that is left */
        rest[k - 3] = alloc_pages(k);
    CHECK_EQ(page_alloc_free_pages(), 16); /* the piece out still counts as free */

    CHECK(pthread_create(&t, NULL, alloc_in_thread, &w) == 0);
    for (int i = 0; i < 5000 && !page_alloc_waiters(); i++)
        usleep(1000);
    CHECK_EQ(page_alloc_waiters(), 1);
    CHECK(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
    /* Meanwhile a scrubber says there may be work but takes nothing. */
    CHECK(page_scrub_hold(&order) == 0);
    page_scrub_release(held, 4);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(w.got == a && page_alloc_waiters() == 0);
    CHECK_EQ(page_alloc_free_pages(), 0);
    CHECK(alloc_pages(0) == NULL); /* nothing out: no wait */

    free_pages(w.got, 4);
    free_pages(rest[0], 1);
    for (unsigned int k = 4; k < 12; k++)
        free_pages(rest[k - 3], k);
    CHECK_EQ(page_alloc_free_pages(), 4098);
    CHECK_EQ(page_alloc_free_blocks(12), 1);
    free(a);
}

static void test_misuse_panics(void)
{
    char *a = arena16();
    char outside[64];
    void *p = alloc_pages(2);
    void *q = alloc_pages(0);

    free_pages(p, 2);
    EXPECT_PANIC(free_pages(p, 2), "double free");
    EXPECT_PANIC(free_pages(q, 1), "allocated with order 0");
    EXPECT_PANIC(free_pages((char *)q + 1, 0), "bad address");
    EXPECT_PANIC(free_pages(q, MAX_ORDER + 1), "bad address or order");
    EXPECT_PANIC(free_pages((void *)ROUNDUP((uintptr_t)outside, PAGE_SIZE) + 64 * MiB, 0),
                 "not memory of the page allocator");
    void *big = alloc_pages(3);
    EXPECT_PANIC(free_pages((char *)big + PAGE_SIZE, 0), "not an allocated block");
    /* The allocator still works after each caught panic (no lock left held). */
    free_pages(big, 3);
    free_pages(q, 0);
    free_pages(NULL, 0); /* ignored */
    CHECK_EQ(page_alloc_free_pages(), page_alloc_total_pages());
    /* A range overlapping one already handed in is a bug. */
    EXPECT_PANIC(page_alloc_add_range((uintptr_t)a + 8 * MiB, (uintptr_t)a + 20 * MiB), "overlaps");
    CHECK_EQ(page_alloc_free_pages(), page_alloc_total_pages());
    free(a);
}

static void test_tiny_ranges(void)
{
    char *a = aligned_alloc(PAGE_SIZE, 8 * PAGE_SIZE);
    page_alloc_reset();
    page_alloc_add_range((uintptr_t)a + 10, (uintptr_t)a + PAGE_SIZE + 20); /* < 1 whole page */
    CHECK_EQ(page_alloc_total_pages(), 0);
    page_alloc_add_range((uintptr_t)a + 5 * PAGE_SIZE, (uintptr_t)a + 4 * PAGE_SIZE); /* empty */
    CHECK_EQ(page_alloc_total_pages(), 0);
    page_alloc_add_range((uintptr_t)a, (uintptr_t)a + PAGE_SIZE); /* all map, no usable page */
    CHECK_EQ(page_alloc_total_pages(), 0);
    CHECK(alloc_pages(0) == NULL);
    page_alloc_add_range((uintptr_t)a + 2 * PAGE_SIZE, (uintptr_t)a + 4 * PAGE_SIZE);
    CHECK_EQ(page_alloc_total_pages(), 1);
    CHECK(alloc_pages(0) == a + 2 * PAGE_SIZE);
    CHECK(alloc_pages(0) == NULL);
    free(a);
}

/* ---- randomized stress against a model of who owns each page ---- */

struct live {
    char *p;
    unsigned int order;
    uint32_t tag;
};

struct span {
    uintptr_t lo, hi;
};

static uint32_t rng = 2463534242u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Stress over an arena [base, base+size) that holds the ranges in spans. */
static void stress(char *base, size_t size, const struct span *spans, int nspans, int ops)
{
    size_t npages = size / PAGE_SIZE;
    int32_t *owner = malloc(npages * sizeof(int32_t));
    static struct live live[4096];
    int nlive = 0, errors = 0;
    uint64_t total = page_alloc_total_pages(), used = 0, before[MAX_ORDER + 1],
             after[MAX_ORDER + 1];
    uint32_t next_tag = 1;

    snapshot(before);
    for (size_t i = 0; i < npages; i++)
        owner[i] = -1;

    for (int op = 0; op < ops; op++) {
        bool do_alloc = nlive == 0 || (nlive < 4000 && rnd() % 100 < 55);
        if (do_alloc) {
            unsigned int order = rnd() % 100 < 70 ? rnd() % 3 : rnd() % 9;
            char *p = alloc_pages(order);
            size_t pages = 1UL << order;
            if (!p) {
                /* Only legitimate when no block of this order or larger is free. */
                for (unsigned int k = order; k <= MAX_ORDER; k++)
                    errors += page_alloc_free_blocks(k) != 0;
                continue;
            }
            uintptr_t u = (uintptr_t)p;
            bool in_span = false;
            for (int s = 0; s < nspans; s++)
                in_span |= u >= spans[s].lo && u + pages * PAGE_SIZE <= spans[s].hi;
            errors += !in_span;
            errors += (u & ((PAGE_SIZE << order) - 1)) != 0;
            size_t first = (size_t)(p - base) / PAGE_SIZE;
            uint32_t tag = next_tag++;
            for (size_t i = 0; i < pages; i++) {
                errors += owner[first + i] != -1; /* overlap with a live block */
                owner[first + i] = nlive;
                memcpy(p + i * PAGE_SIZE, &tag, sizeof(tag));
                memcpy(p + i * PAGE_SIZE + PAGE_SIZE - sizeof(tag), &tag, sizeof(tag));
            }
            live[nlive++] = (struct live){p, order, tag};
            used += pages;
        } else {
            int i = (int)(rnd() % (uint32_t)nlive);
            struct live l = live[i];
            size_t pages = 1UL << l.order, first = (size_t)(l.p - base) / PAGE_SIZE;
            for (size_t k = 0; k < pages; k++) {
                uint32_t t1, t2;
                memcpy(&t1, l.p + k * PAGE_SIZE, sizeof(t1));
                memcpy(&t2, l.p + k * PAGE_SIZE + PAGE_SIZE - sizeof(t2), sizeof(t2));
                errors += t1 != l.tag || t2 != l.tag; /* someone else wrote our pages */
                owner[first + k] = -1;
            }
            free_pages(l.p, l.order);
            used -= pages;
            live[i] = live[--nlive];
            /* Keep owner indexes right for the moved entry. */
            if (i < nlive) {
                size_t mf = (size_t)(live[i].p - base) / PAGE_SIZE;
                for (size_t k = 0; k < (1UL << live[i].order); k++)
                    owner[mf + k] = i;
            }
        }
        errors += page_alloc_free_pages() != total - used;
    }
    while (nlive) {
        nlive--;
        free_pages(live[nlive].p, live[nlive].order);
    }
    snapshot(after);
    CHECK_EQ(errors, 0);
    CHECK_EQ(page_alloc_free_pages(), total);
    CHECK(same_counts(before, after)); /* fully coalesced back */
    free(owner);
}

static void test_stress_single_range(void)
{
    char *a = arena16();
    struct span s = {(uintptr_t)a, (uintptr_t)a + 16 * MiB + 2 * PAGE_SIZE};
    stress(a, 32 * MiB, &s, 1, 30000);
    CHECK(alloc_pages(12) == a);
    free_pages(a, 12);
    free(a);
}

static void test_discontiguous_ranges(void)
{
    char *a = aligned_alloc(64 * MiB, 64 * MiB);
    uintptr_t b = (uintptr_t)a;
    struct span s[3];

    page_alloc_reset();
    /* Unaligned edges, handed in out of address order, with holes between. */
    page_alloc_add_range(b + 40 * MiB, b + 41 * MiB);
    page_alloc_add_range(b + 3 * PAGE_SIZE + 100, b + 5 * MiB - 7);
    page_alloc_add_range(b + 10 * MiB + PAGE_SIZE, b + 30 * MiB);
    s[0] = (struct span){b + 3 * PAGE_SIZE + PAGE_SIZE, b + 5 * MiB - PAGE_SIZE};
    s[1] = (struct span){b + 10 * MiB + PAGE_SIZE, b + 30 * MiB};
    s[2] = (struct span){b + 40 * MiB, b + 41 * MiB};
    s[0].lo = b + 4 * PAGE_SIZE; /* start rounded up to a page */

    uint64_t pages = (5 * MiB / PAGE_SIZE - 1 - 4) + (20 * MiB / PAGE_SIZE - 1) + 256;
    uint64_t total = page_alloc_total_pages();
    CHECK(total <= pages);
    CHECK(total >= pages - 3 * 2); /* at most 2 map pages per range at these sizes */

    /* Nothing can come from the holes, and the biggest block is bounded by the ranges. */
    CHECK(alloc_pages(12) == NULL); /* no aligned 16 MiB lies inside one range */
    void *big = alloc_pages(11);    /* the only aligned 8 MiB inside a range: 16-24 MiB */
    CHECK(big == (void *)(b + 16 * MiB));
    CHECK(alloc_pages(11) == NULL);
    free_pages(big, 11);

    stress(a, 64 * MiB, s, 3, 30000);

    /* Draining page by page never hands out a page twice or from a hole. */
    uint64_t n = 0;
    int errors = 0;
    void *p;
    static void *got[8192];
    while ((p = alloc_pages(0)) != NULL) {
        uintptr_t u = (uintptr_t)p;
        bool in = false;
        for (int i = 0; i < 3; i++)
            in |= u >= s[i].lo && u < s[i].hi;
        errors += !in;
        got[n++] = p;
    }
    CHECK_EQ(errors, 0);
    CHECK_EQ(n, total);
    for (uint64_t i = 0; i < n; i++)
        free_pages(got[i], 0);
    CHECK_EQ(page_alloc_free_pages(), total);
    free(a);
}

TEST_MAIN("page_alloc", TEST(test_layout_and_alignment), TEST(test_exhaustion_and_coalescing),
          TEST(test_split_allocation), TEST(test_zeroed_page), TEST(test_scrub),
          TEST(test_scrub_wait), TEST(test_misuse_panics), TEST(test_tiny_ranges),
          TEST(test_stress_single_range), TEST(test_discontiguous_ranges))
