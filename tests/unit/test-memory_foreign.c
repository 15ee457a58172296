/* Unit tests for foreign mappings, remove_from_physmap and acquire_resource on the real p2m. */
// clang-format off
// SOURCES: hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/memory_reservation.c hv/common/memory_foreign.c hv/common/memop.c hv/common/grant_table.c hv/common/grant_active.c hv/common/grant_map.c hv/common/grant_copy.c hv/common/frame_table.c hv/common/page_alloc.c hv/common/xmalloc.c hv/common/domctl.c hv/common/sysctl.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c hv/arch/x86/mm/p2m-npt.c
// clang-format on
#include "harness.h"
#include "real_mem.h"

/* The caller's argument layout: the batch struct at GVA_ARG, its three arrays in GVA_BUF. */
#define IDXS  (GVA_BUF)
#define GPFNS (GVA_BUF + 0x400)
#define ERRS  (GVA_BUF + 0x800)

static long populate_one(struct vcpu *v, uint16_t domid, uint64_t gfn)
{
    struct xen_memory_reservation r = {
        .extent_start = GVA_BUF + 0xc00, .nr_extents = 1, .extent_order = 0, .domid = domid};

    *(uint64_t *)G(v->domain, GVA_BUF + 0xc00) = gfn;
    return HC_ARG(v, __HYPERVISOR_memory_op, XENMEM_populate_physmap, r);
}

/* add_to_physmap_batch of n entries (idx[i] -> gpfn[i]); errs land in err[]. */
static long batch(struct vcpu *v, uint16_t domid, uint16_t space, uint16_t fdom,
                  const uint64_t *idx, const uint64_t *gpfn, unsigned int n, int32_t *err)
{
    struct xen_add_to_physmap_batch b = {.domid = domid,
                                         .space = space,
                                         .size = (uint16_t)n,
                                         .u.foreign_domid = fdom,
                                         .idxs = IDXS,
                                         .gpfns = GPFNS,
                                         .errs = ERRS};
    long rc;

    memcpy(G(v->domain, IDXS), idx, n * sizeof(*idx));
    memcpy(G(v->domain, GPFNS), gpfn, n * sizeof(*gpfn));
    memset(G(v->domain, ERRS), 0x5a, n * sizeof(*err));
    rc = HC_ARG(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, b);
    memcpy(err, G(v->domain, ERRS), n * sizeof(*err));
    return rc;
}

static long remove_gpfn(struct vcpu *v, uint16_t domid, uint64_t gpfn)
{
    struct xen_remove_from_physmap r = {.domid = domid, .gpfn = gpfn};

    return HC_ARG(v, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, r);
}

static void test_foreign_map(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 100);
    struct domain *d2 = mem_domain(2, false, 100);
    struct vcpu *v0 = d0->vcpus[0];
    int32_t err[4];

    CHECK_EQ(populate_one(d1->vcpus[0], DOMID_SELF, 0x10), 1);
    CHECK_EQ(populate_one(d1->vcpus[0], DOMID_SELF, 0x11), 1);
    CHECK_EQ(populate_one(d2->vcpus[0], DOMID_SELF, 0x10), 1);
    uint64_t idx[4] = {0x10, 0x10, 0x11, 0x12}, gpfn[4] = {0x80000, 0x80001, 0x80002, 0x80003};

    /* Two mappings of d1's 0x10 and one of 0x11; 0x12 is a hole (-EINVAL, as Xen). */
    CHECK_EQ(batch(v0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 1, idx, gpfn, 4, err), 0);
    CHECK_EQ(err[0], 0);
    CHECK_EQ(err[1], 0);
    CHECK_EQ(err[2], 0);
    CHECK_EQ(err[3], -XEN_EINVAL);
    CHECK_EQ(frame_type(d0, 0x80000), PHYSMAP_FOREIGN);
    CHECK(frame_ptr(d0, 0x80003) == NULL);
    CHECK_EQ(d0->tot_pages, 0); /* not dom0's memory */
    memcpy(frame_ptr(d0, 0x80000), "pattern", 8);
    CHECK(memcmp(frame_ptr(d0, 0x80001), "pattern", 8) == 0); /* the second mapping */
    CHECK(memcmp(frame_ptr(d1, 0x10), "pattern", 8) == 0);    /* the domU's own view */
    CHECK_EQ(frame_count(p2m_lookup(d1, 0x10, NULL)), 2);

    /* Per-entry errors: unknown foreign domain, dom0 itself, a mapping of a mapping. */
    CHECK_EQ(batch(v0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 9, idx, gpfn + 3, 1, err), 0);
    CHECK_EQ(err[0], -XEN_ESRCH);
    CHECK_EQ(batch(v0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, idx, gpfn + 3, 1, err), 0);
    CHECK_EQ(err[0], -XEN_EPERM);
    uint64_t mapped = 0x80000;
    CHECK_EQ(batch(v0, 2, XENMAPSPACE_gmfn_foreign, 0, &mapped, gpfn + 3, 1, err), 0);
    CHECK_EQ(err[0], -XEN_EPERM); /* only dom0 itself receives foreign mappings */
    CHECK_EQ(batch(d2->vcpus[0], DOMID_SELF, XENMAPSPACE_gmfn_foreign, 1, idx, gpfn, 1, err), 0);
    CHECK_EQ(err[0], -XEN_EPERM); /* an unprivileged domain */
    CHECK(frame_ptr(d2, 0x80000) == NULL);
    /* Mapping over a foreign mapping is refused; remove it first. */
    CHECK_EQ(batch(v0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 2, idx, gpfn, 1, err), 0);
    CHECK_EQ(err[0], -XEN_EPERM);
    CHECK(memcmp(frame_ptr(d0, 0x80000), "pattern", 8) == 0);

    /* Errors of the whole call. */
    uint64_t bad = INVALID_GFN_RAW;
    CHECK_EQ(batch(v0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 1, idx, &bad, 1, err), -XEN_EINVAL);
    CHECK_EQ(batch(v0, DOMID_SELF, XENMAPSPACE_gmfn_range, 1, idx, gpfn, 1, err), -XEN_EOPNOTSUPP);
    CHECK_EQ(batch(v0, 7, XENMAPSPACE_gmfn_foreign, 1, idx, gpfn, 1, err), -XEN_ESRCH);
    CHECK_EQ(batch(d1->vcpus[0], 0, XENMAPSPACE_gmfn_foreign, 2, idx, gpfn, 1, err), -XEN_EPERM);
    CHECK_EQ(batch(v0, DOMID_SELF, XENMAPSPACE_dev_mmio, 0, idx, gpfn, 1, err), 0);
    CHECK_EQ(err[0], -XEN_EINVAL);
    CHECK_EQ(batch(d1->vcpus[0], DOMID_SELF, XENMAPSPACE_dev_mmio, 0, idx, gpfn, 1, err),
             -XEN_EACCES);
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign, .size = 1, .errs = GVA_HOLE};
    b.u.foreign_domid = 1;
    b.idxs = IDXS;
    b.gpfns = GPFNS;
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, b), -XEN_EFAULT);
    CHECK_EQ(
        hcall(v0, __HYPERVISOR_memory_op, (2ULL << 6) | XENMEM_add_to_physmap_batch, GVA_ARG, 0),
        -XEN_EILSEQ); /* start beyond size */
    CHECK_EQ(hcall(v0, __HYPERVISOR_memory_op, (0x10000ULL << 6) | XENMEM_add_to_physmap_batch,
                   GVA_ARG, 0),
             -XEN_EDOM);

    /* The domU frees a mapped page: dom0's mappings keep it alive until they go. */
    uint64_t free_before = page_alloc_free_pages();
    struct xen_memory_reservation r = {
        .extent_start = GVA_BUF + 0xc00, .nr_extents = 1, .domid = DOMID_SELF};
    *(uint64_t *)G(d1, GVA_BUF + 0xc00) = 0x10;
    CHECK_EQ(HC_ARG(d1->vcpus[0], __HYPERVISOR_memory_op, XENMEM_decrease_reservation, r), 1);
    CHECK_EQ(d1->tot_pages, 1);
    CHECK_EQ(frame_orphans(), 1);
    CHECK_EQ(page_alloc_free_pages(), free_before);
    CHECK(memcmp(frame_ptr(d0, 0x80001), "pattern", 8) == 0);
    CHECK_EQ(remove_gpfn(v0, DOMID_SELF, 0x80000), 0);
    CHECK_EQ(page_alloc_free_pages(), free_before);
    CHECK_EQ(remove_gpfn(v0, DOMID_SELF, 0x80001), 0); /* the last mapping frees it */
    CHECK_EQ(page_alloc_free_pages(), free_before + 1);
    CHECK_EQ(frame_orphans(), 0);

    /* The domU dies while dom0 still maps its 0x11: the page outlives the domain. */
    free_before = page_alloc_free_pages();
    mem_destroy(d1);
    CHECK_EQ(frame_orphans(), 1);
    CHECK(memcmp(frame_ptr(d0, 0x80002), "\0\0\0\0", 4) == 0);
    CHECK_EQ(remove_gpfn(v0, DOMID_SELF, 0x80002), 0);
    CHECK_EQ(frame_orphans(), 0);
    mem_destroy(d2);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_remove_from_physmap(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 100);
    struct vcpu *v1 = d1->vcpus[0];

    CHECK_EQ(populate_one(v1, DOMID_SELF, 0x20), 1);
    CHECK_EQ(populate_one(v1, DOMID_SELF, 0x21), 1);
    /* Own RAM is freed and uncounted; holes give -ENOENT. */
    CHECK_EQ(remove_gpfn(v1, DOMID_SELF, 0x20), 0);
    CHECK_EQ(d1->tot_pages, 1);
    CHECK_EQ(remove_gpfn(v1, DOMID_SELF, 0x20), -XEN_ENOENT);
    CHECK_EQ(remove_gpfn(v1, DOMID_SELF, 1ULL << 40), -XEN_ENOENT);
    /* Another domain: only for dom0. */
    CHECK_EQ(remove_gpfn(v1, 0, 0x20), -XEN_EPERM);
    CHECK_EQ(remove_gpfn(d0->vcpus[0], 5, 0x20), -XEN_ESRCH);
    CHECK_EQ(remove_gpfn(d0->vcpus[0], 1, 0x21), 0);
    CHECK_EQ(d1->tot_pages, 0);
    /* A hypervisor page is unhooked and its placement forgotten. */
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = 0x30};
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, a), 0);
    CHECK_EQ(remove_gpfn(v1, DOMID_SELF, 0x30), 0);
    CHECK_EQ(d1->grant_frame_gfn[0], INVALID_GFN_RAW);
    CHECK_EQ(d1->nr_grant_frames, 1);
    /* No continuation; faults. */
    CHECK_EQ(
        hcall(v1, __HYPERVISOR_memory_op, (1ULL << 6) | XENMEM_remove_from_physmap, GVA_ARG, 0),
        -XEN_EINVAL);
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, GVA_HOLE, 0),
             -XEN_EFAULT);
    mem_destroy(d1);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static long acquire(struct vcpu *v, uint16_t domid, uint16_t type, uint32_t id, uint64_t frame,
                    uint32_t nr, uint64_t list, uint32_t *nr_out)
{
    struct xen_mem_acquire_resource x = {.domid = domid,
                                         .type = type,
                                         .id = id,
                                         .nr_frames = nr,
                                         .frame = frame,
                                         .frame_list = list};
    long rc;

    memcpy(G(v->domain, GVA_ARG), &x, sizeof(x));
    rc = hcall_full(v, __HYPERVISOR_memory_op, XENMEM_acquire_resource, GVA_ARG, 0, NULL);
    memcpy(&x, G(v->domain, GVA_ARG), sizeof(x));
    if (nr_out)
        *nr_out = x.nr_frames;
    return rc;
}

static void test_acquire_resource(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100);
    struct domain *d1 = mem_domain(1, false, 100);
    struct vcpu *v0 = d0->vcpus[0];
    uint64_t *gfns = G(d0, GVA_BUF);
    uint32_t nr;

    d1->ctl.max_grant_frames = 40;
    /* Size query: null list, no frames. */
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 0, 0, 0, &nr), 0);
    CHECK_EQ(nr, 40);
    CHECK_EQ(d1->nr_grant_frames, 0);

    /* Frames 0 and 1 into dom0 at its own gfns; the table grows to cover them. */
    gfns[0] = 0x90000;
    gfns[1] = 0x90001;
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 0, 2, GVA_BUF, NULL), 0);
    CHECK_EQ(d1->nr_grant_frames, 2);
    CHECK_EQ(frame_type(d0, 0x90000), PHYSMAP_FOREIGN);
    CHECK(frame_ptr(d0, 0x90001) == d1->grant_frames[1]);
    struct grant_entry_v1 *e = (struct grant_entry_v1 *)frame_ptr(d0, 0x90000);
    e[1] = (struct grant_entry_v1){GTF_permit_access, 0, 0xfeffc}; /* seed the xenstore entry */
    CHECK_EQ(((struct grant_entry_v1 *)d1->grant_frames[0])[1].frame, 0xfeffc);

    /* 34 frames: more than one chunk, so the call continues once on its own. */
    for (unsigned int i = 0; i < 34; i++)
        gfns[i] = 0xa0000 + i;
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 6, 34, GVA_BUF, NULL), 0);
    CHECK_EQ(d1->nr_grant_frames, 40);
    CHECK(frame_ptr(d0, 0xa0000 + 33) == d1->grant_frames[39]);

    /* Refusals, as Xen. */
    CHECK_EQ(acquire(d1->vcpus[0], 0, XENMEM_resource_grant_table, 0, 0, 0, 0, NULL), -XEN_EACCES);
    CHECK_EQ(acquire(v0, 0, XENMEM_resource_grant_table, 0, 0, 0, 0, NULL), -XEN_EPERM);
    CHECK_EQ(acquire(v0, DOMID_SELF, XENMEM_resource_grant_table, 0, 0, 0, 0, NULL), -XEN_ESRCH);
    CHECK_EQ(acquire(v0, 5, XENMEM_resource_grant_table, 0, 0, 0, 0, NULL), -XEN_ESRCH);
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_ioreq_server, 0, 0, 0, 0, NULL), -XEN_EOPNOTSUPP);
    CHECK_EQ(acquire(v0, 1, 77, 0, 0, 0, 0, NULL), -XEN_EOPNOTSUPP);
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_vmtrace_buf, 0, 0, 0, 0, NULL), -XEN_EINVAL);
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 1, 0, 0, 0, NULL), -XEN_EINVAL);
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 0, 1, 0, NULL), -XEN_EINVAL);
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 39, 2, GVA_BUF, NULL), -XEN_EINVAL);
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 1ULL << 32, 1, GVA_BUF, NULL),
             -XEN_EINVAL);
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 0, 1, GVA_HOLE, NULL), -XEN_EFAULT);
    struct xen_mem_acquire_resource x = {.domid = 1, .type = 1, .pad = 1};
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_acquire_resource, x), -XEN_EINVAL);
    /* The first frame cannot be placed (over a foreign mapping): its error; a later one: -EIO. */
    gfns[0] = 0x90000;
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 2, 1, GVA_BUF, NULL), -XEN_EPERM);
    gfns[0] = 0x95000;
    gfns[1] = 0x90000;
    CHECK_EQ(acquire(v0, 1, XENMEM_resource_grant_table, 0, 2, 2, GVA_BUF, NULL), -XEN_EIO);

    /* The domain dies: its grant frames live on while dom0 maps them, then go. */
    mem_destroy(d1);
    CHECK_EQ(frame_orphans(), 37);
    CHECK_EQ(e[1].frame, 0xfeffc);
    CHECK_EQ(remove_gpfn(v0, DOMID_SELF, 0x90000), 0);
    CHECK_EQ(remove_gpfn(v0, DOMID_SELF, 0x95000), 0);
    CHECK_EQ(frame_orphans(), 35);
    mem_destroy(d0); /* dom0's own death drops the rest */
    CHECK_EQ(frame_orphans(), 0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

TEST_MAIN("memory_foreign", TEST(mem_init), TEST(test_foreign_map), TEST(test_remove_from_physmap),
          TEST(test_acquire_resource))
