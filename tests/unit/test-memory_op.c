/* Unit tests for memory_op on the real p2m: physmap pages, memory maps, reservations, queries. */
// clang-format off
// SOURCES: hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/memory_reservation.c hv/common/memory_foreign.c hv/common/memop.c hv/common/grant_table.c hv/common/grant_active.c hv/common/grant_map.c hv/common/grant_copy.c hv/common/frame_table.c hv/common/page_alloc.c hv/common/xmalloc.c hv/common/domctl.c hv/common/sysctl.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c hv/arch/x86/mm/p2m-npt.c
// clang-format on
#include "harness.h"
#include "real_mem.h"

#include <public/vcpu.h>

#define LIST_GVA 0x8000ULL /* pages 8-15 of the caller: up to 4096 xen_pfn_t */

static uint64_t *list_of(struct domain *d)
{
    return G(d, LIST_GVA);
}

static long xatp(struct vcpu *v, uint16_t domid, unsigned int space, uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap a = {.domid = domid, .space = space, .idx = idx, .gpfn = gpfn};

    return HC_ARG(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, a);
}

/* A reservation sub-op over the extents at LIST_GVA, re-issued until done. */
static long reserve(struct vcpu *v, unsigned int op, uint16_t domid, uint64_t nr,
                    unsigned int order, uint32_t flags, unsigned int *restarts)
{
    struct xen_memory_reservation r = {.extent_start = LIST_GVA,
                                       .nr_extents = nr,
                                       .extent_order = order,
                                       .mem_flags = flags,
                                       .domid = domid};

    memcpy(G(v->domain, GVA_ARG), &r, sizeof(r));
    return hcall_full(v, __HYPERVISOR_memory_op, op, GVA_ARG, 0, restarts);
}

/* Populate n single pages of d (from caller v) at gfn, gfn + 1, ... */
static long populate(struct vcpu *v, uint16_t domid, uint64_t gfn, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        list_of(v->domain)[i] = gfn + i;
    return reserve(v, XENMEM_populate_physmap, domid, n, 0, 0, NULL);
}

static uint64_t mfn_of(const void *p)
{
    return (uint64_t)(uintptr_t)p >> PAGE_SHIFT;
}

static bool all_bytes(const uint8_t *p, uint8_t b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != b)
            return false;
    return true;
}

static void test_shared_info_map_and_remap(void)
{
    struct domain *d = mem_domain(1, false, 100);
    struct vcpu *v = d->vcpus[0];
    uint32_t wc = SI(d)->wc_version;

    CHECK_EQ(d->shared_info_gfn, INVALID_GFN_RAW);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x1000), 0);
    CHECK(frame_ptr(d, 0x1000) == (uint8_t *)d->shared_info);
    CHECK_EQ(frame_type(d, 0x1000), PHYSMAP_XEN);
    CHECK_EQ(d->shared_info_gfn, 0x1000);
    CHECK_EQ(SI(d)->wc_version, wc + 2); /* wall clock rewritten on mapping */
    CHECK(SI(d)->vcpu_info[0].time.tsc_to_system_mul != 0);

    /* Moving it unmaps the old place. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x2345), 0);
    CHECK(frame_ptr(d, 0x1000) == NULL);
    CHECK(frame_ptr(d, 0x2345) == (uint8_t *)d->shared_info);
    CHECK_EQ(d->shared_info_gfn, 0x2345);
    CHECK_EQ(xatp(v, 1, XENMAPSPACE_shared_info, 0, 0x2345), 0); /* own id works like SELF */
    CHECK(frame_ptr(d, 0x2345) == (uint8_t *)d->shared_info);

    /* Bad arguments. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x3000), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 1ULL << 40), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 1ULL << 36), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, 77, 0, 0x3000), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 0x3000), -XEN_ENOSYS);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_gmfn, 5, 0x3000), -XEN_ENOSYS);
    CHECK_EQ(hcall(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, GVA_HOLE, 0), -XEN_EFAULT);
    CHECK_EQ(hcall(v, __HYPERVISOR_memory_op, (1ULL << 22) | XENMEM_add_to_physmap, GVA_ARG, 0),
             -XEN_EDOM);
    CHECK_EQ(d->shared_info_gfn, 0x2345);

    /* Placing it over the domain's own RAM frees that page. */
    CHECK_EQ(populate(v, DOMID_SELF, 0x50, 1), 1);
    CHECK_EQ(d->tot_pages, 1);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x50), 0);
    CHECK_EQ(d->tot_pages, 0);
    CHECK_EQ(frame_type(d, 0x50), PHYSMAP_XEN);
    CHECK(frame_ptr(d, 0x2345) == NULL);
    mem_destroy(d);
}

static void test_foreign_domid(void)
{
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 100);
    struct domain *d2 = mem_domain(2, false, 100);

    /* A domU may not touch another domain's physmap; dom0 may. */
    CHECK_EQ(xatp(d1->vcpus[0], 2, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_EPERM);
    CHECK_EQ(xatp(d1->vcpus[0], 0, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_EPERM);
    CHECK_EQ(d2->shared_info_gfn, INVALID_GFN_RAW);
    CHECK_EQ(xatp(d0->vcpus[0], 2, XENMAPSPACE_shared_info, 0, 0x1000), 0);
    CHECK_EQ(d2->shared_info_gfn, 0x1000);
    CHECK(frame_ptr(d2, 0x1000) == (uint8_t *)d2->shared_info);
    CHECK(frame_ptr(d0, 0x1000) == NULL);
    CHECK_EQ(xatp(d0->vcpus[0], 9, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_ESRCH);
    CHECK_EQ(xatp(d0->vcpus[0], DOMID_XEN, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_ESRCH);
    mem_destroy(d2);
    mem_destroy(d1);
    mem_destroy(d0);
}

static void test_grant_frames(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d = mem_domain(1, false, 100);
    struct vcpu *v = d->vcpus[0];
    uint64_t after_create = page_alloc_free_pages();

    /* Linux maps from the highest index down: the table grows once to idx + 1. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 3, 0x80003), 0);
    CHECK_EQ(d->nr_grant_frames, 4);
    CHECK(page_alloc_free_pages() <= after_create - 4);
    CHECK_EQ(p2m_lookup(d, 0x80003, NULL), mfn_of(d->grant_frames[3]));
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x80000), 0);
    CHECK_EQ(d->nr_grant_frames, 4);
    CHECK_EQ(p2m_lookup(d, 0x80000, NULL), mfn_of(d->grant_frames[0]));
    /* Moving frame 0 unmaps its old place. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x90000), 0);
    CHECK_EQ(p2m_lookup(d, 0x80000, NULL), P2M_INVALID);
    CHECK_EQ(d->grant_frame_gfn[0], 0x90000);

    /* Mapping over another hypervisor page forgets that page's placement. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x90000), 0);
    CHECK_EQ(d->grant_frame_gfn[0], INVALID_GFN_RAW);
    CHECK(frame_ptr(d, 0x90000) == (uint8_t *)d->shared_info);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x91000), 0);
    CHECK(frame_ptr(d, 0x90000) == (uint8_t *)d->shared_info); /* shared_info untouched */

    /* Limits: GRANT_MAX_FRAMES frames (or the createdomain limit), no v2 status frames. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, GRANT_MAX_FRAMES, 0x80100), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, XENMAPIDX_grant_table_status, 0x80100),
             -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, ~0ULL, 0x80100), -XEN_EINVAL);
    d->ctl.max_grant_frames = 8;
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 8, 0x80100), -XEN_EINVAL);
    d->ctl.max_grant_frames = 0;
    CHECK_EQ(d->nr_grant_frames, 4);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, GRANT_MAX_FRAMES - 1, 0x80100), 0);
    CHECK_EQ(d->nr_grant_frames, GRANT_MAX_FRAMES);
    mem_destroy(d);
    CHECK_EQ(page_alloc_free_pages(), before); /* frames, p2m tables: all back */
}

static long memory_map(struct vcpu *v, uint32_t capacity, uint64_t buffer, uint32_t *nr)
{
    struct xen_memory_map m = {.nr_entries = capacity, .buffer = buffer};
    long rc = HC_ARG(v, __HYPERVISOR_memory_op, XENMEM_memory_map, m);

    ARG_BACK(v->domain, m);
    *nr = m.nr_entries;
    return rc;
}

static void test_memory_map(void)
{
    struct domain *d = mem_domain(0, true, 100);
    struct vcpu *v = d->vcpus[0];
    struct e820entry *e = G(d, GVA_BUF);
    uint8_t *raw = G(d, GVA_BUF);
    uint32_t nr;

    CHECK_EQ(sizeof(struct e820entry), 20);
    memset(raw, 0xcc, 100);
    CHECK_EQ(memory_map(v, 128, GVA_BUF, &nr), 0);
    CHECK_EQ(nr, 3);
    CHECK_EQ(e[0].addr, 0);
    CHECK_EQ(e[0].size, 0x9f000);
    CHECK_EQ(e[0].type, E820_RAM);
    CHECK_EQ(e[2].addr, 0x100000);
    CHECK_EQ(e[2].type, E820_RAM);
    CHECK_EQ(raw[60], 0xcc); /* nothing past the third 20-byte entry */

    /* Capacity smaller than the map: filled up to capacity, no error (Xen's rule). */
    memset(raw, 0xcc, 100);
    CHECK_EQ(memory_map(v, 2, GVA_BUF, &nr), 0);
    CHECK_EQ(nr, 2);
    CHECK_EQ(e[1].type, E820_RESERVED);
    CHECK_EQ(raw[40], 0xcc);
    CHECK_EQ(memory_map(v, 0, GVA_HOLE, &nr), 0);
    CHECK_EQ(nr, 0);

    /* Buffers that fault. */
    CHECK_EQ(memory_map(v, 3, GVA_HOLE - 20, &nr), -XEN_EFAULT);
    CHECK_EQ(memory_map(v, 3, GVA_END - 40, &nr), -XEN_EFAULT);
    CHECK_EQ(hcall(v, __HYPERVISOR_memory_op, XENMEM_memory_map, GVA_END, 0), -XEN_EFAULT);

    /* No map at all: -ENOSYS, as Xen. */
    d->nr_e820 = 0;
    CHECK_EQ(memory_map(v, 128, GVA_BUF, &nr), -XEN_ENOSYS);
    mem_destroy(d);
}

static void test_set_memory_map(void)
{
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 100);
    struct vcpu *v0 = d0->vcpus[0];
    struct e820entry *src = G(d0, GVA_BUF);
    struct xen_foreign_memory_map f = {.domid = 1, .map = {.nr_entries = 20, .buffer = GVA_BUF}};
    uint32_t nr;

    for (unsigned int i = 0; i < 20; i++)
        src[i] = (struct e820entry){i * 0x100000ULL, 0x100000, E820_RAM};
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_set_memory_map, f), 0);
    CHECK_EQ(d1->nr_e820, 20);
    CHECK_EQ(d1->e820[19].addr, 19 * 0x100000ULL);
    CHECK_EQ(memory_map(d1->vcpus[0], 128, GVA_BUF, &nr), 0);
    CHECK_EQ(nr, 20);

    /* A domU may not set dom0's map; too many entries; a faulting buffer leaves no map. */
    f.domid = 0;
    CHECK_EQ(HC_ARG(d1->vcpus[0], __HYPERVISOR_memory_op, XENMEM_set_memory_map, f), -XEN_EPERM);
    f.domid = 1;
    f.map.nr_entries = DOMAIN_E820_MAX + 1;
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_set_memory_map, f), -XEN_EINVAL);
    CHECK_EQ(d1->nr_e820, 20);
    f.map.nr_entries = 40;
    f.map.buffer = GVA_HOLE - 20 * 20;
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_set_memory_map, f), -XEN_EFAULT);
    CHECK_EQ(d1->nr_e820, 0);
    mem_destroy(d1);
    mem_destroy(d0);
}

static void test_reservation_queries(void)
{
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 888);
    struct vcpu *v1 = d1->vcpus[0];
    domid_t self = DOMID_SELF, zero = 0, one = 1;

    CHECK_EQ(populate(v1, DOMID_SELF, 0x100, 7), 7);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_current_reservation, self), 7);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_maximum_reservation, self), 888);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_current_reservation, zero), -XEN_EPERM);
    CHECK_EQ(HC_ARG(d0->vcpus[0], __HYPERVISOR_memory_op, XENMEM_current_reservation, one), 7);
    /* RAM ends at 1 GiB in the fake map. */
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0, 0), 0x40000);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_maximum_gpfn, self), 0x3ffff);
    CHECK_EQ(xatp(v1, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x123456), 0);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_maximum_gpfn, self), 0x123456);

    /* Sub-ops without continuations refuse a start extent (Xen: -EINVAL); unknown: -ENOSYS. */
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, (5ULL << 6) | XENMEM_maximum_ram_page, 0, 0),
             -XEN_EINVAL);
    CHECK_EQ(
        hcall(v1, __HYPERVISOR_memory_op, (1ULL << 6) | XENMEM_current_reservation, GVA_ARG, 0),
        -XEN_EINVAL);
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, 63, GVA_ARG, 0), -XEN_ENOSYS);
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, XENMEM_exchange, GVA_ARG, 0), -XEN_ENOSYS);
    mem_destroy(d1);
    mem_destroy(d0);
}

static void test_populate(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100000);
    struct domain *d1 = mem_domain(1, false, 600);
    struct vcpu *v0 = d0->vcpus[0], *v1 = d1->vcpus[0];
    uint64_t *l1 = list_of(d1), *l0 = list_of(d0);
    uint8_t *p;

    /* Single pages for itself: zeroed (the arena is full of 0xa5), counted, RAM. */
    CHECK_EQ(populate(v1, DOMID_SELF, 0x10, 4), 4);
    CHECK_EQ(d1->tot_pages, 4);
    p = frame_ptr(d1, 0x13);
    CHECK(p != NULL && all_bytes(p, 0, PAGE_SIZE));
    CHECK_EQ(frame_type(d1, 0x10), PHYSMAP_RAM);
    CHECK(frame_ptr(d1, 0x14) == NULL);

    /* Order-9 extent at an unaligned frame; order 10 is above a domU's limit (0 done). */
    l1[0] = 0x1001;
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 1, 9, 0, NULL), 1);
    CHECK_EQ(d1->tot_pages, 4 + 512);
    CHECK(all_bytes(frame_ptr(d1, 0x1001 + 511), 0, PAGE_SIZE));
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 1, 10, 0, NULL), 0);

    /* max_pages: 600 - 516 = 84 pages left; a 128-page extent does not fit, 84 singles do. */
    l1[0] = 0x3000;
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 1, 7, 0, NULL), 0);
    CHECK(frame_ptr(d1, 0x3000) == NULL); /* all or nothing */
    CHECK_EQ(populate(v1, DOMID_SELF, 0x4000, 90), 84);
    CHECK_EQ(d1->tot_pages, 600);
    CHECK(frame_ptr(d1, 0x4000 + 83) != NULL && frame_ptr(d1, 0x4000 + 84) == NULL);

    /* Other domains: a domU gets 0 for dom0 or a missing domain, dom0 may fill a domU. */
    CHECK_EQ(populate(v1, 0, 0x10, 1), 0);
    CHECK_EQ(d0->tot_pages, 0);
    CHECK_EQ(populate(v0, 7, 0x10, 1), 0);
    d1->max_pages = 700;
    CHECK_EQ(populate(v0, 1, 0x5000, 3), 3);
    CHECK_EQ(d1->tot_pages, 603);
    /* dom0 may use 1 GiB extents; here it runs into max_pages (nothing done, nothing kept). */
    l0[0] = 0x40000;
    CHECK_EQ(reserve(v0, XENMEM_populate_physmap, 1, 1, 18, 0, NULL), 0);
    CHECK_EQ(d1->tot_pages, 603);

    /* Hostile extents: beyond the guest-physical space, list faults, nonsense flags, PoD. */
    l1[0] = 1ULL << 36;
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 1, 0, 0, NULL), 0);
    l1[0] = (1ULL << 36) - 1;
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 1, 1, 0, NULL), 0);
    d1->max_pages = 1000;
    l1[0] = 0x6000;
    l1[1] = 0x6001;
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 2, 0, XENMEMF_address_bits(12), NULL),
             0);
    CHECK_EQ(
        reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 2, 0, XENMEMF_populate_on_demand, NULL),
        0);
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 2, 0, XENMEMF_exact_node(1), NULL),
             0);
    CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 2, 0, XENMEMF_node(1), NULL), 2);
    CHECK_EQ(reserve(v0, XENMEM_populate_physmap, 1, 0, 0, 0, NULL), 0);
    CHECK_EQ(reserve(v0, XENMEM_populate_physmap, 1, 1ULL << 26, 0, 0, NULL), 0);
    struct xen_memory_reservation r = {
        .extent_start = GVA_HOLE, .nr_extents = 2, .extent_order = 0, .domid = DOMID_SELF};
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_populate_physmap, r), 0);
    r.extent_start = LIST_GVA;
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, (2ULL << 6) | XENMEM_populate_physmap, r), 2);
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, XENMEM_populate_physmap, GVA_HOLE, 0), 0);

    /* A 2 MiB extent is one zeroed block; a pinned entry inside refuses it whole, and every
     * page of the block goes back (the leaf table already exists: exact free count). */
    {
        uint8_t *pin = alloc_page_zeroed();
        uint64_t pin_mfn = (uint64_t)(uintptr_t)pin >> PAGE_SHIFT, tot0, free0;
        struct physmap_entry fe = {pin_mfn, PHYSMAP_FOREIGN, false};

        d1->max_pages = 3000;
        l1[0] = 0x2000;
        CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 1, 9, 0, NULL), 1);
        CHECK(frame_ptr(d1, 0x2000) + 511 * PAGE_SIZE == frame_ptr(d1, 0x21ff));
        CHECK(all_bytes(frame_ptr(d1, 0x2000), 0, 512 * PAGE_SIZE));
        CHECK(frame_get(pin_mfn));
        CHECK_EQ(physmap_set(d1, 0x2200 + 100, &fe, NULL), 0);
        tot0 = d1->tot_pages;
        free0 = page_alloc_free_pages();
        l1[0] = 0x2200;
        CHECK_EQ(reserve(v1, XENMEM_populate_physmap, DOMID_SELF, 1, 9, 0, NULL), 0);
        CHECK_EQ(d1->tot_pages, tot0);
        CHECK_EQ(page_alloc_free_pages(), free0);
        CHECK(frame_ptr(d1, 0x2200) == NULL && frame_ptr(d1, 0x2200 + 99) == NULL);
        CHECK_EQ(physmap_remove(d1, 0x2200 + 100, PHYSMAP_BIT(PHYSMAP_FOREIGN), pin_mfn, NULL), 0);
        free_pages(pin, 0);
    }

    /* Populating over own RAM replaces it (the old page is freed, the count unchanged). */
    uint64_t tot = d1->tot_pages, free_now = page_alloc_free_pages();
    uint8_t *old = frame_ptr(d1, 0x10);
    old[0] = 0x77;
    CHECK_EQ(populate(v1, DOMID_SELF, 0x10, 1), 1);
    CHECK_EQ(d1->tot_pages, tot);
    CHECK_EQ(page_alloc_free_pages(), free_now);
    CHECK(frame_ptr(d1, 0x10)[0] == 0);

    mem_destroy(d1);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_populate_continuation(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d1 = mem_domain(1, false, 5000);
    struct vcpu *v1 = d1->vcpus[0];
    struct xen_memory_reservation r = {
        .extent_start = LIST_GVA, .nr_extents = 3000, .extent_order = 0, .domid = DOMID_SELF};
    unsigned int restarts = 0;
    uint64_t args[5] = {XENMEM_populate_physmap, GVA_ARG, 0, 0, 0};

    for (unsigned int i = 0; i < 3000; i++)
        list_of(d1)[i] = 0x20000 + i;
    /* One invocation does MEMOP_PREEMPT_PAGES, then asks to be re-issued from there. */
    memcpy(G(d1, GVA_ARG), &r, sizeof(r));
    v1->hcall_cont_mask = 0;
    CHECK_EQ(hypercall_dispatch(v1, __HYPERVISOR_memory_op, args), -XEN_ERESTART);
    CHECK_EQ(v1->hcall_cont_mask, 1);
    CHECK_EQ(v1->hcall_cont_arg[0],
             XENMEM_populate_physmap | ((uint64_t)MEMOP_PREEMPT_PAGES << MEMOP_EXTENT_SHIFT));
    CHECK_EQ(d1->tot_pages, MEMOP_PREEMPT_PAGES);
    args[0] = v1->hcall_cont_arg[0];
    CHECK_EQ(hypercall_dispatch(v1, __HYPERVISOR_memory_op, args), 3000);
    CHECK_EQ(d1->tot_pages, 3000);

    /* Decrease all of it back, through the same continuation path. */
    CHECK_EQ(reserve(v1, XENMEM_decrease_reservation, DOMID_SELF, 3000, 0, 0, &restarts), 3000);
    CHECK_EQ(restarts, 1);
    CHECK_EQ(d1->tot_pages, 0);
    CHECK(frame_ptr(d1, 0x20000) == NULL);
    mem_destroy(d1);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_decrease_and_increase(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 100);
    struct vcpu *v1 = d1->vcpus[0];
    uint64_t *l = list_of(d1);

    CHECK_EQ(populate(v1, DOMID_SELF, 0x100, 8), 8);
    uint64_t free_pop = page_alloc_free_pages();
    /* Pairs of frames: the third extent runs into a hole and stops the call there. */
    l[0] = 0x100;
    l[1] = 0x102;
    l[2] = 0x107;
    l[3] = 0x104;
    CHECK_EQ(reserve(v1, XENMEM_decrease_reservation, DOMID_SELF, 4, 1, 0, NULL), 2);
    CHECK_EQ(d1->tot_pages, 3); /* 0x100-0x103 gone, 0x107 freed before 0x108 was missing */
    CHECK_EQ(page_alloc_free_pages(), free_pop + 5);
    CHECK(frame_ptr(d1, 0x104) != NULL && frame_ptr(d1, 0x107) == NULL);
    /* A domU cannot shrink dom0; the order limit applies. */
    l[0] = 0x104;
    CHECK_EQ(reserve(v1, XENMEM_decrease_reservation, 0, 1, 0, 0, NULL), 0);
    CHECK_EQ(reserve(v1, XENMEM_decrease_reservation, DOMID_SELF, 1, 10, 0, NULL), 0);
    list_of(d0)[0] = 0x104;
    CHECK_EQ(reserve(d0->vcpus[0], XENMEM_decrease_reservation, 1, 1, 0, 0, NULL), 1);
    CHECK_EQ(d1->tot_pages, 2);

    /* Decreasing a hypervisor page unhooks it (not freed: it stays the domain's shared_info). */
    CHECK_EQ(xatp(v1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x300), 0);
    l[0] = 0x300;
    CHECK_EQ(reserve(v1, XENMEM_decrease_reservation, DOMID_SELF, 1, 0, 0, NULL), 1);
    CHECK_EQ(d1->shared_info_gfn, INVALID_GFN_RAW);
    CHECK(frame_ptr(d1, 0x300) == NULL);

    /* increase_reservation: counted pages without a guest frame, freed with the domain. */
    uint64_t free_inc = page_alloc_free_pages();
    CHECK_EQ(reserve(v1, XENMEM_increase_reservation, DOMID_SELF, 3, 2, 0, NULL), 3);
    CHECK_EQ(d1->tot_pages, 2 + 12);
    CHECK_EQ(page_alloc_free_pages(), free_inc - 12);
    struct xen_memory_reservation r = {
        .extent_start = 0, .nr_extents = 200, .extent_order = 0, .domid = DOMID_SELF};
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_increase_reservation, r), 86);
    CHECK_EQ(d1->tot_pages, 100);
    mem_destroy(d1);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

/* createdomain / max_mem / populate / destroydomain through the real hypercalls, 20 times. */
static void test_create_destroy_cycles(void)
{
    struct domain *d0 = mem_domain(0, true, 100);
    struct vcpu *v0 = d0->vcpus[0];
    uint64_t before = page_alloc_free_pages();

    for (unsigned int cycle = 0; cycle < 20; cycle++) {
        struct xen_domctl op;
        unsigned int restarts = 0;
        uint16_t id;

        memset(&op, 0, sizeof(op));
        op.cmd = XEN_DOMCTL_createdomain;
        op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
        op.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
        op.u.createdomain.max_vcpus = 1;
        op.u.createdomain.max_grant_frames = -1;
        op.u.createdomain.max_maptrack_frames = -1;
        op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
        op.u.createdomain.arch.emulation_flags = XEN_X86_EMU_LAPIC;
        CHECK_EQ(HC_ARG(v0, __HYPERVISOR_domctl, GVA_ARG, op), 0);
        ARG_BACK(d0, op);
        id = op.domain;
        CHECK(domain_by_id(id) != NULL);

        op.cmd = XEN_DOMCTL_max_mem;
        op.u.max_mem.max_memkb = 8800 + 4 * cycle; /* more pages than one destroy budget */
        CHECK_EQ(HC_ARG(v0, __HYPERVISOR_domctl, GVA_ARG, op), 0);
        CHECK_EQ(populate(v0, id, 0x100 * cycle, 2300), 2200 + cycle);
        CHECK_EQ(xatp(v0, id, XENMAPSPACE_grant_table, 1, 0xfeff0), 0);

        op.cmd = XEN_DOMCTL_destroydomain;
        memcpy(G(d0, GVA_ARG), &op, sizeof(op));
        CHECK_EQ(hcall_full(v0, __HYPERVISOR_domctl, GVA_ARG, 0, 0, &restarts), 0);
        CHECK(restarts >= 1); /* more than one budget of entries */
        CHECK(domain_by_id(id) == NULL);
        CHECK_EQ(page_alloc_free_pages(), before);
    }
    mem_destroy(d0);
}

/* A registered vcpu_info keeps its frame alive after the guest gives it back; death frees it. */
static void test_vcpu_info_pin(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d = mem_domain(1, false, 100);
    struct vcpu *v = d->vcpus[0];
    struct vcpu_register_vcpu_info ri = {.mfn = 0x40, .offset = 64};
    uint64_t mfn;

    CHECK_EQ(populate(v, DOMID_SELF, 0x40, 1), 1);
    mfn = p2m_lookup(d, 0x40, NULL);
    memcpy(G(d, GVA_ARG), &ri, sizeof(ri));
    CHECK_EQ(hcall(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GVA_ARG), 0);
    CHECK(v->vcpu_info == (void *)(uintptr_t)((mfn << PAGE_SHIFT) + 64));
    CHECK_EQ(frame_count(mfn), 1);
    CHECK_EQ(hcall(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GVA_ARG), -XEN_EBUSY);
    CHECK_EQ(frame_count(mfn), 1);
    /* The guest frees the frame: it stays allocated (an orphan) under the pointer. */
    *list_of(d) = 0x40;
    CHECK_EQ(reserve(v, XENMEM_decrease_reservation, DOMID_SELF, 1, 0, 0, NULL), 1);
    CHECK_EQ(d->tot_pages, 0);
    CHECK_EQ(frame_orphans(), 1);
    mem_destroy(d);
    CHECK_EQ(frame_orphans(), 0);
    CHECK_EQ(page_alloc_free_pages(), before);

    /* A hole cannot hold a vcpu_info. */
    d = mem_domain(1, false, 100);
    ri.mfn = 0x41;
    memcpy(G(d, GVA_ARG), &ri, sizeof(ri));
    CHECK_EQ(hcall(d->vcpus[0], __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GVA_ARG),
             -XEN_EINVAL);
    mem_destroy(d);
}

static long claim(struct vcpu *v, uint16_t domid, uint64_t pages, uint64_t start)
{
    struct xen_memory_reservation r = {.nr_extents = pages, .domid = domid};

    memcpy(G(v->domain, GVA_ARG), &r, sizeof(r));
    return hcall(v, __HYPERVISOR_memory_op, XENMEM_claim_pages | (start << 6), GVA_ARG, 0);
}

static void test_claim_and_pod(void)
{
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 1000);
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_pod_target t = {.target_pages = 500, .domid = 1};

    CHECK_EQ(populate(v0, 1, 0, 10), 10);
    CHECK_EQ(claim(v0, 1, 500, 0), 0);
    CHECK_EQ(claim(v0, 1, 0, 0), 0);              /* release */
    CHECK_EQ(claim(v0, 1, 10, 0), -XEN_EINVAL);   /* not above tot_pages */
    CHECK_EQ(claim(v0, 1, 1001, 0), -XEN_EINVAL); /* above max_pages */
    d1->max_pages = 1ULL << 40;
    CHECK_EQ(claim(v0, 1, 1ULL << 39, 0), -XEN_ENOMEM);
    CHECK_EQ(claim(v0, 1, 500, 1), -XEN_EINVAL);
    CHECK_EQ(claim(v0, DOMID_SELF, 500, 0), -XEN_EINVAL);
    CHECK_EQ(claim(v0, 9, 500, 0), -XEN_EINVAL);
    CHECK_EQ(claim(d1->vcpus[0], 1, 500, 0), -XEN_EPERM);
    struct xen_memory_reservation bad = {.extent_order = 1, .domid = 1};
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_claim_pages, bad), -XEN_EINVAL);
    CHECK_EQ(hcall(v0, __HYPERVISOR_memory_op, XENMEM_claim_pages, GVA_HOLE, 0), -XEN_EFAULT);

    /* PoD target: accepted without PoD, reports the domain's pages. */
    d1->max_pages = 1000;
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_set_pod_target, t), 0);
    ARG_BACK(d0, t);
    CHECK_EQ(t.tot_pages, 10);
    CHECK_EQ(t.pod_entries, 0);
    t.target_pages = 1001;
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_set_pod_target, t), -XEN_EINVAL);
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_get_pod_target, t), 0);
    t.domid = 5;
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_get_pod_target, t), -XEN_ESRCH);
    t.domid = DOMID_SELF;
    CHECK_EQ(HC_ARG(d1->vcpus[0], __HYPERVISOR_memory_op, XENMEM_get_pod_target, t), -XEN_EPERM);
    mem_destroy(d1);
    mem_destroy(d0);
}

TEST_MAIN("memory_op", TEST(mem_init), TEST(test_shared_info_map_and_remap),
          TEST(test_foreign_domid), TEST(test_grant_frames), TEST(test_memory_map),
          TEST(test_set_memory_map), TEST(test_reservation_queries), TEST(test_populate),
          TEST(test_populate_continuation), TEST(test_decrease_and_increase),
          TEST(test_create_destroy_cycles), TEST(test_vcpu_info_pin), TEST(test_claim_and_pod))
