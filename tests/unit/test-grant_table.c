/* Unit tests for grant_table_op on the real p2m: map, unmap, copy, hostile arguments, deaths. */
// clang-format off
// SOURCES: hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/memory_reservation.c hv/common/memory_foreign.c hv/common/memop.c hv/common/grant_table.c hv/common/grant_active.c hv/common/grant_map.c hv/common/grant_copy.c hv/common/frame_table.c hv/common/page_alloc.c hv/common/xmalloc.c hv/common/domctl.c hv/common/sysctl.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c hv/arch/x86/mm/p2m-npt.c
// clang-format on
#include "harness.h"
#include "real_mem.h"

#define OPS_GVA 0x8000ULL /* pages 8-15 of the caller: op arrays */
#define RW      (GTF_reading | GTF_writing)

static struct grant_entry_v1 *gent(struct domain *d, uint32_t ref)
{
    return (struct grant_entry_v1 *)d->grant_frames[ref / GRANT_PER_FRAME] + ref % GRANT_PER_FRAME;
}

static void grant(struct domain *d, uint32_t ref, uint16_t flags, domid_t to, uint32_t gfn)
{
    *gent(d, ref) = (struct grant_entry_v1){flags, to, gfn};
}

static void populate(struct domain *d, uint64_t gfn)
{
    struct xen_memory_reservation r = {
        .extent_start = GVA_BUF + 0xf00, .nr_extents = 1, .domid = DOMID_SELF};

    *(uint64_t *)G(d, GVA_BUF + 0xf00) = gfn;
    CHECK_EQ(HC_ARG(d->vcpus[0], __HYPERVISOR_memory_op, XENMEM_populate_physmap, r), 1);
}

/* A granter with one grant frame and RAM at 0x10-0x13. */
static struct domain *granter(uint16_t id)
{
    struct domain *d = mem_domain(id, false, 100);

    CHECK_EQ(gnttab_grow(d, 1), 0);
    for (uint64_t g = 0x10; g < 0x14; g++)
        populate(d, g);
    return d;
}

static int16_t map(struct vcpu *v, domid_t dom, uint32_t ref, uint32_t flags, uint64_t gfn,
                   uint32_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gfn << PAGE_SHIFT, .flags = flags, .ref = ref, .dom = dom, .handle = ~0u};

    memcpy(G(v->domain, GVA_ARG), &op, sizeof(op));
    CHECK_EQ(hcall(v, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, GVA_ARG, 1), 0);
    ARG_BACK(v->domain, op);
    if (handle)
        *handle = op.handle;
    return op.status;
}

static int16_t unmap(struct vcpu *v, uint32_t handle, uint64_t gfn)
{
    struct gnttab_unmap_grant_ref op = {.host_addr = gfn << PAGE_SHIFT, .handle = handle};

    memcpy(G(v->domain, GVA_ARG), &op, sizeof(op));
    CHECK_EQ(hcall(v, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, GVA_ARG, 1), 0);
    ARG_BACK(v->domain, op);
    return op.status;
}

static struct gnttab_copy_ptr gref_ptr(domid_t dom, uint32_t ref, uint16_t off)
{
    struct gnttab_copy_ptr p = {.domid = dom, .offset = off};

    p.u.ref = ref;
    return p;
}

static struct gnttab_copy_ptr gmfn_ptr(domid_t dom, uint64_t gfn, uint16_t off)
{
    struct gnttab_copy_ptr p = {.domid = dom, .offset = off};

    p.u.gmfn = gfn;
    return p;
}

static int16_t copy(struct vcpu *v, struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst,
                    uint16_t len, uint16_t flags)
{
    struct gnttab_copy op = {.source = src, .dest = dst, .len = len, .flags = flags};

    memcpy(G(v->domain, GVA_ARG), &op, sizeof(op));
    CHECK_EQ(hcall(v, __HYPERVISOR_grant_table_op, GNTTABOP_copy, GVA_ARG, 1), 0);
    ARG_BACK(v->domain, op);
    return op.status;
}

static void test_map_unmap(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100), *d1 = granter(1);
    struct vcpu *v0 = d0->vcpus[0];
    uint64_t mfn = p2m_lookup(d1, 0x10, NULL);
    uint32_t h1, h2;
    struct physmap_entry e;

    grant(d1, 8, GTF_permit_access, 0, 0x10);
    CHECK_EQ(map(v0, 1, 8, GNTMAP_host_map, 0x70000, &h1), GNTST_okay);
    struct gnttab_map_grant_ref op;
    ARG_BACK(d0, op);
    CHECK_EQ(op.dev_bus_addr, mfn << PAGE_SHIFT);
    CHECK_EQ(gent(d1, 8)->flags, GTF_permit_access | RW);
    physmap_lookup(d0, 0x70000, &e);
    CHECK_EQ(e.type, PHYSMAP_GRANT);
    CHECK(!e.readonly);
    CHECK_EQ(e.mfn, mfn);
    CHECK_EQ(d0->tot_pages, 0);
    memcpy(frame_ptr(d0, 0x70000), "granted", 8);
    CHECK(memcmp(frame_ptr(d1, 0x10), "granted", 8) == 0);

    /* A second mapping of the same grant; unmapping one keeps the flags for the other. */
    CHECK_EQ(map(v0, 1, 8, GNTMAP_host_map, 0x70001, &h2), GNTST_okay);
    CHECK(h2 != h1);
    CHECK_EQ(frame_count(mfn), 2);
    CHECK_EQ(unmap(v0, h1, 0x70000), GNTST_okay);
    CHECK(frame_ptr(d0, 0x70000) == NULL);
    CHECK_EQ(gent(d1, 8)->flags, GTF_permit_access | RW);
    CHECK_EQ(unmap(v0, h2, 0x70001), GNTST_okay);
    CHECK_EQ(gent(d1, 8)->flags, GTF_permit_access);
    CHECK_EQ(frame_count(mfn), 0);

    /* Double unmap, unknown handles, another domain's handle. */
    CHECK_EQ(unmap(v0, h2, 0x70001), GNTST_bad_handle);
    CHECK_EQ(unmap(v0, 100000, 0x70001), GNTST_bad_handle);
    CHECK_EQ(map(v0, 1, 8, GNTMAP_host_map, 0x70002, &h1), GNTST_okay);
    CHECK_EQ(unmap(d1->vcpus[0], h1, 0x70002), GNTST_bad_handle);
    /* A wrong host_addr leaves the mapping; host_addr 0 removes nothing. */
    CHECK_EQ(unmap(v0, h1, 0x70003), GNTST_general_error);
    CHECK_EQ(unmap(v0, h1, 0), GNTST_okay);
    CHECK_EQ(frame_type(d0, 0x70002), PHYSMAP_GRANT);
    /* A grant mapping is not removed by remove_from_physmap or decrease, nor mapped over. */
    struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = 0x70002};
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, r), -XEN_ENOENT);
    struct xen_add_to_physmap a = {.domid = DOMID_SELF, .space = 0, .gpfn = 0x70002};
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, a), -XEN_EPERM);
    CHECK_EQ(map(v0, 1, 8, GNTMAP_host_map, 0x70002, NULL), GNTST_general_error);
    CHECK_EQ(unmap(v0, h1, 0x70002), GNTST_okay);
    CHECK_EQ(gent(d1, 8)->flags, GTF_permit_access);

    /* A domain may map its own grant. */
    grant(d1, 9, GTF_permit_access, 1, 0x11);
    d1->ctl.max_maptrack_frames = 1;
    CHECK_EQ(map(d1->vcpus[0], 1, 9, GNTMAP_host_map, 0x500, &h1), GNTST_okay);
    CHECK(frame_ptr(d1, 0x500) == frame_ptr(d1, 0x11));
    CHECK_EQ(unmap(d1->vcpus[0], h1, 0x500), GNTST_okay);
    mem_destroy(d1);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_map_readonly(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100), *d1 = granter(1);
    struct vcpu *v0 = d0->vcpus[0];
    uint32_t h, h2;
    uint64_t mfn;
    struct physmap_entry e;

    populate(d0, 0x50);
    grant(d1, 9, GTF_permit_access | GTF_readonly, 0, 0x11);
    /* A read-only grant cannot be mapped writable; the entry is left as it was. */
    CHECK_EQ(map(v0, 1, 9, GNTMAP_host_map, 0x70000, NULL), GNTST_general_error);
    CHECK_EQ(gent(d1, 9)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(map(v0, 1, 9, GNTMAP_host_map | GNTMAP_readonly, 0x70000, &h), GNTST_okay);
    CHECK_EQ(gent(d1, 9)->flags, GTF_permit_access | GTF_readonly | GTF_reading);
    physmap_lookup(d0, 0x70000, &e);
    CHECK(e.type == PHYSMAP_GRANT && e.readonly);
    /* The hypervisor will not write through it either: copies into it fail. */
    CHECK_EQ(physmap_get_page(d0, 0x70000, PHYSMAP_PRESENT, true, &mfn), -XEN_EACCES);
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x50, 0), gmfn_ptr(DOMID_SELF, 0x70000, 0), 8, 0),
             GNTST_bad_page);
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x50, 0), gref_ptr(1, 9, 0), 8, GNTCOPY_dest_gref),
             GNTST_general_error);
    CHECK_EQ(gent(d1, 9)->flags, GTF_permit_access | GTF_readonly | GTF_reading);

    /* A grant pinned read-only can gain a writable map when it permits one. */
    grant(d1, 10, GTF_permit_access, 0, 0x12);
    CHECK_EQ(map(v0, 1, 10, GNTMAP_host_map | GNTMAP_readonly, 0x70001, &h2), GNTST_okay);
    CHECK_EQ(gent(d1, 10)->flags, GTF_permit_access | GTF_reading);
    uint32_t h3;
    CHECK_EQ(map(v0, 1, 10, GNTMAP_host_map, 0x70002, &h3), GNTST_okay);
    CHECK_EQ(gent(d1, 10)->flags, GTF_permit_access | RW);
    CHECK_EQ(unmap(v0, h3, 0x70002), GNTST_okay);
    CHECK_EQ(gent(d1, 10)->flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(unmap(v0, h2, 0x70001), GNTST_okay);
    CHECK_EQ(unmap(v0, h, 0x70000), GNTST_okay);
    CHECK_EQ(gent(d1, 9)->flags, GTF_permit_access | GTF_readonly);
    mem_destroy(d1);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_map_errors(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100), *d1 = granter(1), *d2 = granter(2);
    struct vcpu *v0 = d0->vcpus[0];
    uint32_t h;

    grant(d1, 8, GTF_permit_access, 0, 0x10);
    grant(d1, 9, GTF_permit_access, 2, 0x10);    /* for d2 */
    grant(d1, 10, GTF_invalid, 0, 0x10);         /* not granted */
    grant(d1, 11, GTF_permit_access, 0, 0x4000); /* a hole */
    grant(d1, 12, GTF_accept_transfer, 0, 0x10); /* wrong type */
    grant(d1, 13, GTF_permit_access | GTF_sub_page, 0, 0x10);
    CHECK_EQ(map(v0, 1, 8, 0, 0x70000, NULL), GNTST_bad_gntref);
    CHECK_EQ(map(v0, 1, 8, GNTMAP_device_map | GNTMAP_host_map, 0x70000, NULL),
             GNTST_general_error);
    CHECK_EQ(map(v0, 1, 8, GNTMAP_host_map | GNTMAP_application_map, 0x70000, NULL),
             GNTST_general_error);
    CHECK_EQ(map(v0, 9, 8, GNTMAP_host_map, 0x70000, NULL), GNTST_bad_domain);
    CHECK_EQ(map(v0, DOMID_SELF, 8, GNTMAP_host_map, 0x70000, NULL), GNTST_bad_domain);
    CHECK_EQ(map(v0, 1, GRANT_PER_FRAME, GNTMAP_host_map, 0x70000, NULL), GNTST_bad_gntref);
    CHECK_EQ(map(v0, 1, ~0u, GNTMAP_host_map, 0x70000, NULL), GNTST_bad_gntref);
    CHECK_EQ(map(v0, 1, 9, GNTMAP_host_map, 0x70000, NULL), GNTST_general_error);
    CHECK_EQ(map(v0, 1, 10, GNTMAP_host_map, 0x70000, NULL), GNTST_general_error);
    CHECK_EQ(map(v0, 1, 12, GNTMAP_host_map, 0x70000, NULL), GNTST_general_error);
    CHECK_EQ(map(v0, 1, 13, GNTMAP_host_map, 0x70000, NULL), GNTST_general_error);
    CHECK_EQ(map(v0, 1, 11, GNTMAP_host_map, 0x70000, NULL), GNTST_bad_page);
    CHECK_EQ(gent(d1, 11)->flags, GTF_permit_access); /* the flags set for the try are gone */
    CHECK_EQ(map(v0, 1, 8, GNTMAP_host_map, 1ULL << 36, NULL), GNTST_general_error);
    CHECK_EQ(gent(d1, 8)->flags, GTF_permit_access);
    CHECK(frame_ptr(d0, 0x70000) == NULL);

    /* Pinned by d2: nobody else may use the grant while it is. */
    d2->ctl.max_maptrack_frames = 1;
    CHECK_EQ(map(d2->vcpus[0], 1, 9, GNTMAP_host_map, 0x70000, &h), GNTST_okay);
    grant(d1, 9, GTF_permit_access, 0, 0x10); /* the granter changes its mind meanwhile */
    CHECK_EQ(map(v0, 1, 9, GNTMAP_host_map, 0x70000, NULL), GNTST_general_error);
    CHECK_EQ(unmap(d2->vcpus[0], h, 0x70000), GNTST_okay);
    CHECK_EQ(map(v0, 1, 9, GNTMAP_host_map, 0x70000, &h), GNTST_okay);
    CHECK_EQ(unmap(v0, h, 0x70000), GNTST_okay);

    /* A domU without maptrack frames cannot map (createdomain gave it none). */
    d2->ctl.max_maptrack_frames = 0;
    grant(d1, 14, GTF_permit_access, 3, 0x10);
    struct domain *d3 = mem_domain(3, false, 10);
    CHECK_EQ(map(d3->vcpus[0], 1, 14, GNTMAP_host_map, 0x70000, NULL), GNTST_no_space);

    /* A faulting op array. */
    CHECK_EQ(hcall(v0, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, GVA_HOLE, 1),
             -XEN_EFAULT);
    CHECK_EQ(hcall(v0, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, GVA_END - 8, 1),
             -XEN_EFAULT);
    CHECK_EQ(
        hcall(v0, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref | (1u << 12), GVA_ARG, 1),
        -XEN_EINVAL);
    mem_destroy(d3);
    mem_destroy(d2);
    mem_destroy(d1);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

/* 257 maps in one hypercall: the maptrack limit (one frame: 256 handles) and a continuation. */
static void test_map_batch_limit(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d1 = granter(1), *d2 = mem_domain(2, false, 10);
    struct gnttab_map_grant_ref *ops = G(d2, OPS_GVA);
    unsigned int restarts = 0;

    d2->ctl.max_maptrack_frames = 1;
    grant(d1, 8, GTF_permit_access, 2, 0x10);
    for (unsigned int i = 0; i < 257; i++)
        ops[i] = (struct gnttab_map_grant_ref){.host_addr = (0x70000ULL + i) << PAGE_SHIFT,
                                               .flags = GNTMAP_host_map,
                                               .ref = 8,
                                               .dom = 1};
    CHECK_EQ(hcall_full(d2->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, OPS_GVA,
                        257, &restarts),
             0);
    CHECK_EQ(restarts, 1);
    CHECK_EQ(ops[0].status, GNTST_okay);
    CHECK_EQ(ops[255].status, GNTST_okay);
    CHECK_EQ(ops[256].status, GNTST_no_space);
    CHECK(ops[255].handle < 256);
    CHECK_EQ(frame_count(p2m_lookup(d1, 0x10, NULL)), 256);

    /* The mapper dies holding them all: the granter's entry is released. */
    mem_destroy(d2);
    CHECK_EQ(gent(d1, 8)->flags, GTF_permit_access);
    CHECK_EQ(frame_count(p2m_lookup(d1, 0x10, NULL)), 0);
    mem_destroy(d1);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_copy(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100), *d1 = granter(1);
    struct vcpu *v0 = d0->vcpus[0];
    uint8_t *mine, *theirs = frame_ptr(d1, 0x11), *theirs2 = frame_ptr(d1, 0x12);

    populate(d0, 0x50);
    mine = frame_ptr(d0, 0x50);
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        mine[i] = (uint8_t)i;
    grant(d1, 10, GTF_permit_access, 0, 0x11);
    grant(d1, 11, GTF_permit_access | GTF_readonly, 0, 0x12);

    /* Own frame -> grant, grant -> own frame, grant -> grant; flags only while copying. */
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x50, 100), gref_ptr(1, 10, 200), 50, GNTCOPY_dest_gref),
             GNTST_okay);
    CHECK(memcmp(theirs + 200, mine + 100, 50) == 0);
    CHECK(theirs[199] == 0 && theirs[250] == 0);
    CHECK_EQ(gent(d1, 10)->flags, GTF_permit_access);
    memcpy(theirs2, "from the granter", 17);
    CHECK_EQ(
        copy(v0, gref_ptr(1, 11, 0), gmfn_ptr(DOMID_SELF, 0x50, 4000), 17, GNTCOPY_source_gref),
        GNTST_okay);
    CHECK(memcmp(mine + 4000, "from the granter", 17) == 0);
    CHECK_EQ(copy(v0, gref_ptr(1, 11, 0), gref_ptr(1, 10, 4095), 1,
                  GNTCOPY_source_gref | GNTCOPY_dest_gref),
             GNTST_okay);
    CHECK_EQ(theirs[4095], 'f');
    CHECK_EQ(gent(d1, 11)->flags, GTF_permit_access | GTF_readonly);

    /* Errors, in Xen's order. */
    CHECK_EQ(copy(v0, gmfn_ptr(1, 0x11, 0), gmfn_ptr(DOMID_SELF, 0x50, 0), 1, 0),
             GNTST_permission_denied);
    CHECK_EQ(copy(v0, gmfn_ptr(0, 0x50, 0), gmfn_ptr(DOMID_SELF, 0x50, 0), 1, 0),
             GNTST_permission_denied); /* only DOMID_SELF, not the own id */
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x50, 0), gref_ptr(9, 10, 0), 1, GNTCOPY_dest_gref),
             GNTST_bad_domain);
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x51, 0), gref_ptr(1, 10, 0), 1, GNTCOPY_dest_gref),
             GNTST_bad_page);
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x50, 0), gref_ptr(1, 600, 0), 1, GNTCOPY_dest_gref),
             GNTST_bad_gntref);
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x50, 4000), gref_ptr(1, 10, 0), 97, GNTCOPY_dest_gref),
             GNTST_bad_copy_arg);
    CHECK_EQ(copy(v0, gmfn_ptr(DOMID_SELF, 0x50, 0), gref_ptr(1, 10, 4090), 7, GNTCOPY_dest_gref),
             GNTST_bad_copy_arg);
    CHECK_EQ(gent(d1, 10)->flags, GTF_permit_access);
    grant(d1, 12, GTF_permit_access, 5, 0x11);
    CHECK_EQ(copy(v0, gref_ptr(1, 12, 0), gmfn_ptr(DOMID_SELF, 0x50, 0), 1, GNTCOPY_source_gref),
             GNTST_general_error);

    /* A batch reports per op; a fault in the array is the call's error. */
    struct gnttab_copy *ops = G(d0, OPS_GVA);
    ops[0] = (struct gnttab_copy){
        gmfn_ptr(DOMID_SELF, 0x50, 0), gref_ptr(1, 10, 0), 8, GNTCOPY_dest_gref, 99, 0};
    ops[1] = (struct gnttab_copy){
        gmfn_ptr(DOMID_SELF, 0x50, 0), gref_ptr(1, 700, 0), 8, GNTCOPY_dest_gref, 99, 0};
    ops[2] = (struct gnttab_copy){
        gref_ptr(1, 10, 0), gmfn_ptr(DOMID_SELF, 0x50, 8), 8, GNTCOPY_source_gref, 99, 0};
    CHECK_EQ(hcall(v0, __HYPERVISOR_grant_table_op, GNTTABOP_copy, OPS_GVA, 3), 0);
    CHECK_EQ(ops[0].status, GNTST_okay);
    CHECK_EQ(ops[1].status, GNTST_bad_gntref);
    CHECK_EQ(ops[2].status, GNTST_okay);
    CHECK(memcmp(mine + 8, mine, 8) == 0);
    CHECK_EQ(hcall(v0, __HYPERVISOR_grant_table_op, GNTTABOP_copy, GVA_HOLE, 1), -XEN_EFAULT);
    mem_destroy(d1);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_granter_dies(void)
{
    uint64_t before = page_alloc_free_pages();
    struct domain *d0 = mem_domain(0, true, 100), *d1 = granter(1);
    struct vcpu *v0 = d0->vcpus[0];
    uint32_t h;

    grant(d1, 8, GTF_permit_access, 0, 0x13);
    memcpy(frame_ptr(d1, 0x13), "ring", 5);
    CHECK_EQ(map(v0, 1, 8, GNTMAP_host_map, 0x70000, &h), GNTST_okay);
    mem_destroy(d1);
    CHECK_EQ(frame_orphans(), 1);
    CHECK(memcmp(frame_ptr(d0, 0x70000), "ring", 5) == 0);
    /* A new domain with the same id is not confused with the old one. */
    struct domain *again = granter(1);
    grant(again, 8, GTF_permit_access, 0, 0x10);
    CHECK_EQ(unmap(v0, h, 0x70000), GNTST_okay);
    CHECK_EQ(gent(again, 8)->flags, GTF_permit_access);
    CHECK_EQ(frame_orphans(), 0);
    mem_destroy(again);
    mem_destroy(d0);
    CHECK_EQ(page_alloc_free_pages(), before);
}

static void test_setup_and_query_foreign(void)
{
    struct domain *d0 = mem_domain(0, true, 100), *d1 = mem_domain(1, false, 10);
    struct domain *d2 = mem_domain(2, false, 10);
    struct gnttab_setup_table st = {.dom = 1, .nr_frames = 3, .frame_list = GVA_BUF};
    struct gnttab_query_size q = {.dom = 1};

    d1->ctl.max_grant_frames = 4;
    CHECK_EQ((memcpy(G(d0, GVA_ARG), &st, sizeof(st)),
              hcall(d0->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GVA_ARG, 1)),
             0);
    ARG_BACK(d0, st);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(d1->nr_grant_frames, 3);
    CHECK_EQ((memcpy(G(d0, GVA_ARG), &q, sizeof(q)),
              hcall(d0->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_ARG, 1)),
             0);
    ARG_BACK(d0, q);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 3);
    CHECK_EQ(q.max_nr_frames, 4);
    st.nr_frames = 5; /* above the domain's limit */
    CHECK_EQ((memcpy(G(d0, GVA_ARG), &st, sizeof(st)),
              hcall(d0->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GVA_ARG, 1)),
             0);
    ARG_BACK(d0, st);
    CHECK_EQ(st.status, GNTST_general_error);
    CHECK_EQ((memcpy(G(d2, GVA_ARG), &q, sizeof(q)),
              hcall(d2->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_ARG, 1)),
             0);
    ARG_BACK(d2, q);
    CHECK_EQ(q.status, GNTST_permission_denied);
    mem_destroy(d2);
    mem_destroy(d1);
    mem_destroy(d0);
}

TEST_MAIN("grant_table", TEST(mem_init), TEST(test_map_unmap), TEST(test_map_readonly),
          TEST(test_map_errors), TEST(test_map_batch_limit), TEST(test_copy),
          TEST(test_granter_dies), TEST(test_setup_and_query_foreign))
