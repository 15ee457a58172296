// Unit test: heap on top of the page allocator — classes, large blocks, misuse, stress.
// SOURCES: hv/common/xmalloc.c hv/common/page_alloc.c
#include "harness.h"
#include "expect_panic.h"
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#define MiB (1UL << 20)

void page_alloc_reset(void); /* HV_HOSTED-only hook in page_alloc.c */

static char logbuf[8192];

void log_printf(int level, const char *fmt, ...)
{
    va_list ap;
    size_t len = strlen(logbuf);
    (void)level;
    va_start(ap, fmt);
    vsnprintf(logbuf + len, sizeof(logbuf) - len, fmt, ap);
    va_end(ap);
}

static char *arena;
static uint64_t baseline;

/* A fresh page allocator over a 16 MiB arena (pages) for each test. */
static void setup(size_t bytes)
{
    free(arena);
    arena = aligned_alloc(16 * MiB, 16 * MiB);
    page_alloc_reset();
    page_alloc_add_range((uintptr_t)arena, (uintptr_t)arena + bytes);
    baseline = page_alloc_free_pages();
}

static void expect_empty_heap(void)
{
    struct xmalloc_stats st;
    xmalloc_stats(&st);
    CHECK_EQ(st.live_objects, 0);
    CHECK_EQ(st.slab_pages, 0);
    CHECK_EQ(st.large_blocks, 0);
    CHECK_EQ(st.large_pages, 0);
    CHECK_EQ(page_alloc_free_pages(), baseline); /* every page went back */
}

static void test_every_small_size(void)
{
    static void *p[2100];
    int bad = 0;

    setup(16 * MiB);
    for (size_t sz = 0; sz < 2100; sz++) {
        p[sz] = xmalloc(sz);
        if (!p[sz] || ((uintptr_t)p[sz] & 15))
            bad++;
        else
            memset(p[sz], (int)(sz & 0xff), sz);
    }
    CHECK_EQ(bad, 0);
    struct xmalloc_stats st;
    xmalloc_stats(&st);
    CHECK(st.live_objects >= 2017); /* sizes 0..2016 come from slabs */
    CHECK(st.large_blocks == 2100 - 2017);
    for (size_t sz = 0; sz < 2100; sz++) {
        unsigned char *c = p[sz];
        for (size_t i = 0; i < sz; i++)
            bad += c[i] != (sz & 0xff); /* nobody overlapped us */
        xfree(p[sz]);
    }
    CHECK_EQ(bad, 0);
    expect_empty_heap();
}

static void test_large_blocks(void)
{
    setup(16 * MiB);
    void *a = xmalloc(3000); /* above the largest class: its own page */
    void *b = xmalloc(5 * PAGE_SIZE);
    CHECK(a && b);
    CHECK(((uintptr_t)a & (PAGE_SIZE - 1)) == 0);
    CHECK(((uintptr_t)b & (8 * PAGE_SIZE - 1)) == 0); /* order-3 block, naturally aligned */
    CHECK_EQ(page_alloc_block_order(b), 3);
    memset(b, 1, 5 * PAGE_SIZE);
    struct xmalloc_stats st;
    xmalloc_stats(&st);
    CHECK_EQ(st.large_blocks, 2);
    CHECK_EQ(st.large_pages, 9);
    CHECK_EQ(page_alloc_free_pages(), baseline - 9);
    xfree(a);
    xfree(b);
    xfree(NULL);
    expect_empty_heap();

    CHECK(xmalloc(SIZE_MAX) == NULL);
    CHECK(xmalloc((PAGE_SIZE << MAX_ORDER) + 1) == NULL);
    CHECK(xmalloc(32 * MiB) == NULL); /* more than the arena */
    expect_empty_heap();
}

static void test_xzalloc(void)
{
    setup(16 * MiB);
    unsigned char *p = xmalloc(200);
    memset(p, 0xcc, 200);
    unsigned char *keep = xmalloc(200); /* keeps the slab alive so p's slot is reused */
    xfree(p);
    unsigned char *z = xzalloc(200);
    CHECK(z == p);
    int nz = 0;
    for (int i = 0; i < 200; i++)
        nz += z[i] != 0;
    CHECK_EQ(nz, 0);
    struct big {
        char x[5000];
    } *obj = xzalloc_obj(struct big);
    CHECK(obj != NULL);
    CHECK_EQ(obj->x[4999], 0);
    xfree(obj);
    xfree(z);
    xfree(keep);
    expect_empty_heap();
}

static void test_exhaustion(void)
{
    static void *p[2000];
    size_t n = 0;

    setup(64 * PAGE_SIZE); /* 63 usable pages */
    while (n < 2000 && (p[n] = xmalloc(1000)) != NULL)
        n++;
    CHECK(n < 2000);
    CHECK_EQ(n, 63 * 4); /* 4 objects of the 1008-byte class per page */
    CHECK_EQ(page_alloc_free_pages(), 0);
    CHECK(xmalloc(10) == NULL);   /* no page left for a new slab */
    CHECK(xmalloc(5000) == NULL); /* nor for a large block */
    xfree(p[0]);
    CHECK(xmalloc(1000) == p[0]); /* a freed slot is reused */
    while (n)
        xfree(p[--n]);
    expect_empty_heap();
}

static void test_misuse(void)
{
    setup(16 * MiB);
    char *keep = xmalloc(64);
    char *p = xmalloc(64);
    xfree(p);
    EXPECT_PANIC(xfree(p), "double free");
    char *q = xmalloc(64);
    EXPECT_PANIC(xfree(q + 8), "points inside");
    char *pg = alloc_pages(0); /* a page that is not a slab */
    EXPECT_PANIC(xfree(pg + 128), "not a heap pointer");
    EXPECT_PANIC(xfree(keep - 32), "not a heap pointer"); /* inside the slab header */
    char *big = xmalloc(10000);
    xfree(big);
    EXPECT_PANIC(xfree(big), "not a heap block");

    /* A stale pointer into a slab whose page went back to the allocator. */
    char *lonely = xmalloc(2000);
    xfree(lonely);
    EXPECT_PANIC(xfree(lonely), "");
    CHECK(strstr(panic_msg, "not a heap pointer") || strstr(panic_msg, "double free"));

    free_pages(pg, 0);
    xfree(q);
    xfree(keep);
    expect_empty_heap(); /* the heap survived every caught panic */
}

static uint32_t rng = 88172645u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void test_stress(void)
{
    struct obj {
        unsigned char *p;
        size_t size;
        unsigned char fill;
    };
    static struct obj live[3000];
    int nlive = 0, bad = 0;

    setup(16 * MiB);
    for (int op = 0; op < 60000; op++) {
        if (nlive == 0 || (nlive < 3000 && rnd() % 100 < 52)) {
            size_t size = rnd() % 100 < 90 ? rnd() % 600 : rnd() % 9000;
            unsigned char *p = xmalloc(size);
            if (!p) {
                bad++;
                continue;
            }
            bad += ((uintptr_t)p & 15) != 0;
            unsigned char fill = (unsigned char)rnd();
            memset(p, fill, size);
            live[nlive++] = (struct obj){p, size, fill};
        } else {
            int i = (int)(rnd() % (uint32_t)nlive);
            for (size_t k = 0; k < live[i].size; k++)
                bad += live[i].p[k] != live[i].fill;
            xfree(live[i].p);
            live[i] = live[--nlive];
        }
    }
    while (nlive--)
        xfree(live[nlive].p);
    CHECK_EQ(bad, 0);
    expect_empty_heap();
}

static void test_dump(void)
{
    setup(16 * MiB);
    void *a = xmalloc(40), *b = xmalloc(40), *c = xmalloc(9000);
    logbuf[0] = '\0';
    xmalloc_dump();
    CHECK(strstr(logbuf, "Heap: 1 slab pages, 1 large blocks in 4 pages") != NULL);
    CHECK(strstr(logbuf, "48-byte objects: 2 live") != NULL);
    logbuf[0] = '\0';
    page_alloc_dump();
    CHECK(strstr(logbuf, "Page allocator:") != NULL);
    xfree(a);
    xfree(b);
    xfree(c);
    expect_empty_heap();
    free(arena);
    arena = NULL;
}

TEST_MAIN("xmalloc", TEST(test_every_small_size), TEST(test_large_blocks), TEST(test_xzalloc),
          TEST(test_exhaustion), TEST(test_misuse), TEST(test_stress), TEST(test_dump))
