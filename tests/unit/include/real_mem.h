/* Guest-memory tests on the real p2m, frame table and page allocator (over a host arena). */
#ifndef TEST_REAL_MEM_H
#define TEST_REAL_MEM_H

#define FAKE_REAL_MEM
#include "fake_hv.h"
#include "expect_panic.h"

#include <asm/p2m.h>
#include <public/memory.h>
#include <public/grant_table.h>

/*
 * Include after harness.h. The test's SOURCES must name the real memory sources:
 *   hv/common/memory*.c memop.c grant_*.c frame_table.c page_alloc.c xmalloc.c domctl.c
 *   sysctl.c and hv/arch/x86/mm/p2m-npt.c
 * Guest RAM is allocated from ARENA_MB of host memory handed to the page allocator; guest
 * frames are reached at their host addresses, as in the hypervisor (mfn << PAGE_SHIFT).
 */
#define ARENA_MB 64

void page_alloc_reset(void); /* HV_HOSTED-only hook in page_alloc.c */

static char *mem_arena;
static unsigned int mem_flushes;

/* Hand an arena to the page allocator and cover it with a frame table (first call only). */
static inline void mem_init(void)
{
    size_t size = (size_t)ARENA_MB << 20;

    if (mem_arena)
        return; /* the heap keeps pages across tests: hand the arena in once */
    mem_arena = aligned_alloc(2u << 20, size);
    memset(mem_arena, 0xa5, size); /* stale "data of another domain" in every free page */
    page_alloc_reset();
    page_alloc_add_range((uintptr_t)mem_arena, (uintptr_t)mem_arena + size);
    if (frame_table_init((uintptr_t)mem_arena >> PAGE_SHIFT, size >> PAGE_SHIFT))
        abort();
}

/* ---- arch pieces outside p2m-npt.c ---- */
void p2m_flush_remote(struct domain *d)
{
    (void)d;
    mem_flushes++;
}

void *map_guest_frame(struct domain *d, uint64_t gfn)
{
    uint64_t mfn = p2m_lookup(d, gfn, NULL);

    return mfn == P2M_INVALID ? NULL : (void *)(uintptr_t)(mfn << PAGE_SHIFT);
}

void arch_domain_free(struct domain *d)
{
    fake_arch_frees++;
    if (d->arch) {
        p2m_teardown(d);
        xfree(d->arch);
        d->arch = NULL;
    }
}

/* A test domain with an empty real p2m that may own max_pages pages. */
static inline struct domain *mem_domain(uint16_t id, bool privileged, uint64_t max_pages)
{
    struct domain *d = fake_domain_create(id, 1, privileged);

    d->tot_pages = 0;
    d->max_pages = max_pages;
    if (p2m_init(d))
        abort();
    return d;
}

/* Tear a test domain down the way XEN_DOMCTL_destroydomain does. */
static inline void mem_destroy(struct domain *d)
{
    d->is_dying = true;
    hypercall_domain_teardown(d);
    while (arch_domain_relinquish(d, 100) > 0)
        ;
    arch_domain_free(d);
    fake_domain_release(d);
}

/* Host pointer to d's guest frame gfn (NULL for a hole). */
static inline uint8_t *frame_ptr(struct domain *d, uint64_t gfn)
{
    return map_guest_frame(d, gfn);
}

static inline enum physmap_type frame_type(struct domain *d, uint64_t gfn)
{
    struct physmap_entry e;

    physmap_lookup(d, gfn, &e);
    return e.type;
}

/* Issue a hypercall as the guest would, re-issuing it (with rewritten arguments) while it asks
 * for a continuation; *restarts (optional) counts the re-issues. */
static inline long hcall_full(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                              unsigned int *restarts)
{
    uint64_t args[5] = {a0, a1, a2, 0, 0};
    long rc;

    for (;;) {
        v->hcall_cont_mask = 0;
        rc = hypercall_dispatch(v, nr, args);
        if (rc != -XEN_ERESTART)
            return rc;
        for (unsigned int i = 0; i < 5; i++)
            if (v->hcall_cont_mask & (1u << i))
                args[i] = v->hcall_cont_arg[i];
        if (restarts)
            (*restarts)++;
    }
}

#endif
