/* Unit tests for memory_op (physmap, memory maps, reservations) and grant_table_op (v1 queries). */
// clang-format off
// SOURCES: hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/grant_table.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c
// clang-format on
#include "fake_hv.h"
#include "harness.h"

#include <public/memory.h>
#include <public/grant_table.h>

static long xatp(struct vcpu *v, uint16_t domid, unsigned int space, uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap a = {.domid = domid, .space = space, .idx = idx, .gpfn = gpfn};

    return HC_ARG(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, a);
}

static uint64_t mfn_of(const void *p)
{
    return (uint64_t)(uintptr_t)p >> PAGE_SHIFT;
}

static void test_shared_info_map_and_remap(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    uint32_t wc = SI(d)->wc_version;

    CHECK_EQ(d->shared_info_gfn, INVALID_GFN_RAW);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x1000), 0);
    CHECK_EQ(fake_p2m_lookup(d, 0x1000), mfn_of(d->shared_info));
    CHECK_EQ(d->shared_info_gfn, 0x1000);
    CHECK_EQ(SI(d)->wc_version, wc + 2); /* wall clock rewritten on mapping */
    CHECK(SI(d)->vcpu_info[0].time.tsc_to_system_mul != 0);

    /* Moving it unmaps the old place. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x2345), 0);
    CHECK_EQ(fake_p2m_lookup(d, 0x1000), ~0ULL);
    CHECK_EQ(fake_p2m_lookup(d, 0x2345), mfn_of(d->shared_info));
    CHECK_EQ(d->shared_info_gfn, 0x2345);
    /* Same place again: still mapped, nothing unmapped. */
    unsigned int unmaps = fake_of(d)->p2m_unmaps;
    CHECK_EQ(xatp(v, 1, XENMAPSPACE_shared_info, 0, 0x2345), 0); /* own id works like SELF */
    CHECK_EQ(fake_of(d)->p2m_unmaps, unmaps);
    CHECK_EQ(fake_p2m_lookup(d, 0x2345), mfn_of(d->shared_info));

    /* Bad arguments. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x3000), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 1ULL << 40), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, 77, 0, 0x3000), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 0x3000), -XEN_ENOSYS);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_gmfn, 5, 0x3000), -XEN_ENOSYS);
    CHECK_EQ(hcall(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, GVA_HOLE, 0), -XEN_EFAULT);
    CHECK_EQ(d->shared_info_gfn, 0x2345);

    /* p2m failure: reported, and the page is recorded as not mapped anywhere. */
    fake_p2m_fail_gfn = 0x4000;
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x4000), -XEN_ENOMEM);
    fake_p2m_fail_gfn = ~0ULL;
    CHECK_EQ(d->shared_info_gfn, INVALID_GFN_RAW);
    CHECK_EQ(fake_p2m_lookup(d, 0x2345), ~0ULL);
    fake_domain_destroy(d);
}

static void test_foreign_domid(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct domain *d2 = fake_domain_create(2, 1, false);

    /* A domU may not touch another domain's physmap; dom0 may. */
    CHECK_EQ(xatp(d1->vcpus[0], 2, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_EPERM);
    CHECK_EQ(xatp(d1->vcpus[0], 0, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_EPERM);
    CHECK_EQ(d2->shared_info_gfn, INVALID_GFN_RAW);
    CHECK_EQ(xatp(d0->vcpus[0], 2, XENMAPSPACE_shared_info, 0, 0x1000), 0);
    CHECK_EQ(d2->shared_info_gfn, 0x1000);
    CHECK_EQ(fake_p2m_lookup(d2, 0x1000), mfn_of(d2->shared_info));
    CHECK_EQ(fake_p2m_lookup(d0, 0x1000), ~0ULL);
    CHECK_EQ(xatp(d0->vcpus[0], 9, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_ESRCH);
    CHECK_EQ(xatp(d0->vcpus[0], DOMID_XEN, XENMAPSPACE_shared_info, 0, 0x1000), -XEN_ESRCH);
    fake_domain_destroy(d2);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_grant_frames(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    unsigned int out = fake_pages_out;

    /* Linux maps from the highest index down: the table grows once to idx + 1. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 3, 0x80003), 0);
    CHECK_EQ(d->nr_grant_frames, 4);
    CHECK_EQ(fake_pages_out, out + 4);
    CHECK_EQ(fake_p2m_lookup(d, 0x80003), mfn_of(d->grant_frames[3]));
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x80000), 0);
    CHECK_EQ(d->nr_grant_frames, 4);
    CHECK_EQ(fake_p2m_lookup(d, 0x80000), mfn_of(d->grant_frames[0]));
    /* Moving frame 0 unmaps its old place. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x90000), 0);
    CHECK_EQ(fake_p2m_lookup(d, 0x80000), ~0ULL);
    CHECK_EQ(d->grant_frame_gfn[0], 0x90000);

    /* Mapping over another hypervisor page forgets that page's placement. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x90000), 0);
    CHECK_EQ(d->grant_frame_gfn[0], INVALID_GFN_RAW);
    CHECK_EQ(fake_p2m_lookup(d, 0x90000), mfn_of(d->shared_info));
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x91000), 0);
    CHECK_EQ(fake_p2m_lookup(d, 0x90000), mfn_of(d->shared_info)); /* shared_info untouched */

    /* Limits: GRANT_MAX_FRAMES frames, no v2 status frames. */
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, GRANT_MAX_FRAMES, 0x80100), -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, XENMAPIDX_grant_table_status, 0x80100),
             -XEN_EINVAL);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, ~0ULL, 0x80100), -XEN_EINVAL);
    fake_alloc_fails = true;
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, 10, 0x80100), -XEN_ENOMEM);
    fake_alloc_fails = false;
    CHECK_EQ(d->nr_grant_frames, 4);
    CHECK_EQ(xatp(v, DOMID_SELF, XENMAPSPACE_grant_table, GRANT_MAX_FRAMES - 1, 0x80100), 0);
    CHECK_EQ(d->nr_grant_frames, GRANT_MAX_FRAMES);
    fake_domain_destroy(d);
    CHECK_EQ(fake_pages_out, out); /* teardown freed every frame */
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
    struct domain *d = fake_domain_create(0, 1, true);
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
    fake_domain_destroy(d);
}

static void test_set_memory_map(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
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
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_reservations(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct vcpu *v1 = d1->vcpus[0];
    domid_t self = DOMID_SELF, zero = 0, one = 1;

    d1->tot_pages = 777;
    d1->max_pages = 888;
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_current_reservation, self), 777);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_maximum_reservation, self), 888);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_current_reservation, zero), -XEN_EPERM);
    CHECK_EQ(HC_ARG(d0->vcpus[0], __HYPERVISOR_memory_op, XENMEM_current_reservation, one), 777);
    /* RAM ends at 1 GiB in the fake map. */
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0, 0), 0x40000);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_maximum_gpfn, self), 0x3ffff);
    CHECK_EQ(xatp(v1, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x123456), 0);
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_memory_op, XENMEM_maximum_gpfn, self), 0x123456);

    /* Unimplemented sub-ops, and high cmd bits ignored for the sub-op selection. */
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, GVA_ARG, 0),
             -XEN_ENOSYS);
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, XENMEM_populate_physmap, GVA_ARG, 0), -XEN_ENOSYS);
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, 63, GVA_ARG, 0), -XEN_ENOSYS);
    CHECK_EQ(hcall(v1, __HYPERVISOR_memory_op, (5ULL << 6) | XENMEM_maximum_ram_page, 0, 0),
             0x40000);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_grant_table_op(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct vcpu *v1 = d1->vcpus[0];
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct gnttab_set_version sv = {.version = 1};
    struct gnttab_get_version gv = {.dom = DOMID_SELF};
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2, .frame_list = GVA_BUF};
    uint64_t *frames = G(d1, GVA_BUF);

    memcpy(G(d1, GVA_ARG), &q, sizeof(q));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_ARG, 1), 0);
    ARG_BACK(d1, q);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 0);
    CHECK_EQ(q.max_nr_frames, GRANT_MAX_FRAMES);
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_ARG, 2), -XEN_EINVAL);
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_HOLE, 1), -XEN_EFAULT);
    /* Foreign queries are reported in status, the hypercall itself succeeds. */
    q.dom = 0;
    memcpy(G(d1, GVA_ARG), &q, sizeof(q));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_ARG, 1), 0);
    ARG_BACK(d1, q);
    CHECK_EQ(q.status, GNTST_permission_denied);
    q.dom = 3;
    memcpy(G(d1, GVA_ARG), &q, sizeof(q));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_ARG, 1), 0);
    ARG_BACK(d1, q);
    CHECK_EQ(q.status, GNTST_bad_domain);

    /* Versions: 1 accepted, 2 refused with -ENOSYS (Linux stays on v1), others -EINVAL. */
    memcpy(G(d1, GVA_ARG), &sv, sizeof(sv));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_set_version, GVA_ARG, 1), 0);
    sv.version = 2;
    memcpy(G(d1, GVA_ARG), &sv, sizeof(sv));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_set_version, GVA_ARG, 1), -XEN_ENOSYS);
    ARG_BACK(d1, sv);
    CHECK_EQ(sv.version, 1);
    sv.version = 3;
    memcpy(G(d1, GVA_ARG), &sv, sizeof(sv));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_set_version, GVA_ARG, 1), -XEN_EINVAL);
    memcpy(G(d1, GVA_ARG), &gv, sizeof(gv));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_get_version, GVA_ARG, 1), 0);
    ARG_BACK(d1, gv);
    CHECK_EQ(gv.version, 1);

    /* setup_table grows the table and reports where frames are mapped (~0 = nowhere). */
    CHECK_EQ(xatp(v1, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x5000), 0);
    memcpy(G(d1, GVA_ARG), &st, sizeof(st));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GVA_ARG, 1), 0);
    ARG_BACK(d1, st);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(frames[0], 0x5000);
    CHECK_EQ(frames[1], INVALID_GFN_RAW);
    CHECK_EQ(d1->nr_grant_frames, 2);
    st.nr_frames = GRANT_MAX_FRAMES + 1;
    memcpy(G(d1, GVA_ARG), &st, sizeof(st));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GVA_ARG, 1), 0);
    ARG_BACK(d1, st);
    CHECK_EQ(st.status, GNTST_general_error);
    st.nr_frames = 1;
    st.frame_list = GVA_HOLE;
    memcpy(G(d1, GVA_ARG), &st, sizeof(st));
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GVA_ARG, 1), 0);
    ARG_BACK(d1, st);
    CHECK_EQ(st.status, GNTST_bad_virt_addr);

    /* Not yet: map/unmap/copy; negative counts. */
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, GVA_ARG, 1),
             -XEN_ENOSYS);
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_copy, GVA_ARG, 1), -XEN_ENOSYS);
    CHECK_EQ(hcall(v1, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GVA_ARG, 0x80000000u),
             -XEN_EINVAL);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

TEST_MAIN("memory_op", TEST(test_shared_info_map_and_remap), TEST(test_foreign_domid),
          TEST(test_grant_frames), TEST(test_memory_map), TEST(test_set_memory_map),
          TEST(test_reservations), TEST(test_grant_table_op))
