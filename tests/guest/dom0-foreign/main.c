/* dom0 builds a domU's memory: populate, foreign maps, acquire_resource, grant map/copy, destroy.
 */
#include "toolstack.h"

#include <public/grant_table.h>
#include <public/memory.h>

const char test_title[] = "dom0-foreign: a domU's memory from dom0, and all of it back";

/*
 * Frames of dom0 that are holes (dom0_mem=64M: RAM ends at 64 MiB) but inside the guest's
 * identity-mapped first GiB, so a frame placed there is reachable at its physical address.
 */
#define SCRATCH_GFN 0x30000ULL
#define MAP_A       (SCRATCH_GFN + 0) /* domU page 3 */
#define MAP_B       (SCRATCH_GFN + 1) /* domU page 3 again */
#define MAP_GNT     (SCRATCH_GFN + 2) /* domU grant frame 0 */
#define MAP_GRANTED (SCRATCH_GFN + 3) /* the grant mapping of domU page 5 */
#define MAP_PAGE5   (SCRATCH_GFN + 4) /* domU page 5, foreign-mapped to fill it */
#define MAP_RO      (SCRATCH_GFN + 5) /* a read-only grant mapping of domU page 5 */
#define DOMU_PAGES  16                /* populated from gfn 0 */
#define DOMU_MAX_KB 16384             /* 4096 pages: more than one populate invocation of work */
#define BIG_COUNT   4000
#define GREF        10

#define EXPECT(what, call, want) xtf_check_rc(what, (call), (want))

static uint8_t copy_src[4096] __attribute__((aligned(4096)));

static void *frame(uint64_t gfn)
{
    return (void *)(uintptr_t)(gfn << 12);
}

static void check_bytes(const char *what, const uint8_t *p, uint8_t first, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != (uint8_t)(first + i)) {
            xtf_error("%s: byte %zu is %#x, expected %#x", what, i, p[i], (uint8_t)(first + i));
            return;
        }
    }
}

static unsigned int gp_faults;

/* The write to the read-only grant mapping below: #GP, skip the 3-byte movb. */
static bool expect_gp(struct xtf_regs *regs)
{
    if (regs->vector != 13)
        return false;
    gp_faults++;
    regs->rip += 3;
    return true;
}

/* A read-only grant mapping reads the page; a write to it gets #GP and changes nothing. */
static void readonly_grant(domid_t dom)
{
    struct gnttab_map_grant_ref m = {.host_addr = MAP_RO << 12,
                                     .flags = GNTMAP_host_map | GNTMAP_readonly,
                                     .ref = GREF,
                                     .dom = dom};
    struct gnttab_unmap_grant_ref u = {.host_addr = MAP_RO << 12};
    struct grant_entry_v1 *gt = frame(MAP_GNT);
    volatile uint8_t *p = frame(MAP_RO);

    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
    EXPECT("read-only map: status", m.status, GNTST_okay);
    if (m.status != GNTST_okay)
        return;
    if (gt[GREF].flags != (GTF_permit_access | GTF_reading))
        xtf_error("grant flags %#x while mapped read-only", gt[GREF].flags);
    check_bytes("read-only grant mapping", (const uint8_t *)p, 0x40, 16);
    xtf_set_exception_hook(expect_gp);
    __asm__ volatile("movb $1, (%0)" ::"a"(p) : "memory"); /* c6 00 01 */
    xtf_set_exception_hook(NULL);
    EXPECT("#GP for a write to the read-only grant mapping", gp_faults, 1);
    EXPECT("the byte after the refused write", p[0], 0x40);
    u.handle = m.handle;
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    EXPECT("read-only unmap: status", u.status, GNTST_okay);
}

/* 300 one-byte copies in one hypercall: the hypervisor continues it (op pointer and count
 * rewritten in RSI and RDX); every op's status is written. */
static void copy_batch(domid_t dom)
{
    static struct gnttab_copy ops[300];

    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
        ops[i] = (struct gnttab_copy){.len = 1, .flags = GNTCOPY_dest_gref, .status = 99};
        ops[i].source.u.gmfn = (uint64_t)(uintptr_t)copy_src >> 12;
        ops[i].source.domid = DOMID_SELF;
        ops[i].source.offset = (uint16_t)(1000 + i);
        ops[i].dest.u.ref = GREF;
        ops[i].dest.domid = dom;
        ops[i].dest.offset = (uint16_t)(1000 + i);
        copy_src[1000 + i] = (uint8_t)(0x10 + i);
    }
    EXPECT("GNTTABOP_copy of 300 ops", HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, 300), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++)
        if (ops[i].status != GNTST_okay) {
            xtf_error("copy op %u status %d", i, ops[i].status);
            break;
        }
    check_bytes("300 copied bytes", (uint8_t *)frame(MAP_GRANTED) + 1000, 0x10, 300);
}

/* Grant map, content, copy, unmap through domU grant GREF (our frame MAP_GNT is its table). */
static void grant_round_trip(domid_t dom)
{
    struct grant_entry_v1 *gt = frame(MAP_GNT);
    struct gnttab_map_grant_ref m = {
        .host_addr = MAP_GRANTED << 12, .flags = GNTMAP_host_map, .ref = GREF, .dom = dom};
    struct gnttab_copy c = {.len = 64, .flags = GNTCOPY_dest_gref};
    struct gnttab_unmap_grant_ref u = {.host_addr = MAP_GRANTED << 12};

    /* The domU's page 5 holds 0x40.. (written through a foreign mapping), granted to us. */
    EXPECT("map domU page 5", ts_map_foreign(dom, 5, MAP_PAGE5), 0);
    for (unsigned int i = 0; i < 4096; i++)
        ((uint8_t *)frame(MAP_PAGE5))[i] = (uint8_t)(0x40 + i);
    gt[GREF] = (struct grant_entry_v1){GTF_permit_access, 0, 5};

    EXPECT("GNTTABOP_map_grant_ref", HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1), 0);
    if (m.status != GNTST_okay)
        xtf_failure("map_grant_ref status %d", m.status);
    printk("  grant %u of d%u mapped at gfn %#llx, handle %u\n", GREF, dom,
           (unsigned long long)MAP_GRANTED, m.handle);
    if (gt[GREF].flags != (GTF_permit_access | GTF_reading | GTF_writing))
        xtf_error("grant flags %#x while mapped, expected permit|reading|writing", gt[GREF].flags);
    check_bytes("granted page", frame(MAP_GRANTED), 0x40, 4096);

    /* GNTTABOP_copy from our own page into the grant, seen through the grant mapping. */
    for (unsigned int i = 0; i < 64; i++)
        copy_src[i] = (uint8_t)(0xa0 + i);
    c.source.u.gmfn = (uint64_t)(uintptr_t)copy_src >> 12;
    c.source.domid = DOMID_SELF;
    c.dest.u.ref = GREF;
    c.dest.domid = dom;
    c.dest.offset = 100;
    EXPECT("GNTTABOP_copy", HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1), 0);
    if (c.status != GNTST_okay)
        xtf_error("copy status %d", c.status);
    check_bytes("copied bytes", (uint8_t *)frame(MAP_GRANTED) + 100, 0xa0, 64);
    check_bytes("bytes after the copy", (uint8_t *)frame(MAP_GRANTED) + 164, 0x40 + 164, 16);
    copy_batch(dom);

    /* Hostile: an unknown ref, a second map over the first, a wrong handle. */
    struct gnttab_map_grant_ref bad = m;
    bad.ref = 100000;
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &bad, 1);
    EXPECT("map of ref 100000: status", bad.status, GNTST_bad_gntref);
    bad.ref = GREF;
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &bad, 1);
    EXPECT("map over a grant mapping: status", bad.status, GNTST_general_error);
    u.handle = m.handle + 1000;
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    EXPECT("unmap of a wrong handle: status", u.status, GNTST_bad_handle);

    u.handle = m.handle;
    EXPECT("GNTTABOP_unmap_grant_ref", HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1),
           0);
    EXPECT("unmap status", u.status, GNTST_okay);
    if (gt[GREF].flags != GTF_permit_access)
        xtf_error("grant flags %#x after unmap, expected permit only", gt[GREF].flags);
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    EXPECT("double unmap: status", u.status, GNTST_bad_handle);
    gp_faults = 0;
    readonly_grant(dom);
    check_bytes("copy seen by the domU's own mapping", (uint8_t *)frame(MAP_PAGE5) + 100, 0xa0, 64);
    EXPECT("remove domU page 5 mapping", ts_unmap_gpfn(MAP_PAGE5), 0);
}

/* The whole scenario once; returns the free pages it did not give back. */
static long scenario(void)
{
    uint64_t before = ts_free_pages(), gnt_frame = MAP_GNT, after;
    struct xen_mem_acquire_resource ar = {.type = XENMEM_resource_grant_table,
                                          .id = XENMEM_resource_grant_table_id_shared};
    struct xen_domctl info;
    domid_t dom;

    printk("free pages before: %llu\n", (unsigned long long)before);
    dom = ts_create_domu(1, DOMU_MAX_KB);
    printk("created d%u\n", dom);
    EXPECT("populate 16 pages", ts_populate(dom, 0, DOMU_PAGES), DOMU_PAGES);
    /* One hypercall for 4000 pages: the hypervisor continues it (cmd rewritten in RDI). */
    EXPECT("populate 4000 pages in one call", ts_populate(dom, 0x1000, BIG_COUNT), BIG_COUNT);
    /* max_mem 16 MiB = 4096 pages: 80 more fit, the rest of 100 are not done. */
    EXPECT("populate beyond max_mem", ts_populate(dom, 0x100, 100), 4096 - DOMU_PAGES - BIG_COUNT);

    /* Two foreign mappings of the same domU page: what one writes the other reads. */
    EXPECT("foreign map domU page 3 at A", ts_map_foreign(dom, 3, MAP_A), 0);
    EXPECT("foreign map domU page 3 at B", ts_map_foreign(dom, 3, MAP_B), 0);
    EXPECT("foreign map of a hole", ts_map_foreign(dom, 0x400, SCRATCH_GFN + 9), -XEN_EINVAL);
    check_bytes("fresh domU page (zeroed)", frame(MAP_A), 0, 1);
    for (unsigned int i = 0; i < 4096; i++)
        ((uint8_t *)frame(MAP_A))[i] = (uint8_t)i;
    check_bytes("page 3 through the second mapping", frame(MAP_B), 0, 4096);

    /* The domU's grant frame 0 into our physmap: first the size, then the frame. */
    ar.domid = dom;
    EXPECT("acquire_resource size query", HYPERVISOR_memory_op(XENMEM_acquire_resource, &ar), 0);
    printk("  d%u grant table: %u frames at most\n", dom, ar.nr_frames);
    if (ar.nr_frames < 1)
        xtf_error("acquire_resource reports %u grant frames", ar.nr_frames);
    ar.nr_frames = 1;
    ar.frame_list = HC_PTR(&gnt_frame);
    EXPECT("acquire_resource grant frame 0", HYPERVISOR_memory_op(XENMEM_acquire_resource, &ar), 0);
    grant_round_trip(dom);

    /* Destroy the domU while we still map page 3 at B: the page outlives it, then goes. */
    EXPECT("remove mapping A", ts_unmap_gpfn(MAP_A), 0);
    EXPECT("remove the grant frame mapping", ts_unmap_gpfn(MAP_GNT), 0);
    EXPECT("XEN_DOMCTL_destroydomain", ts_destroy(dom), 0);
    memset(&info, 0, sizeof(info));
    if (ts_domctl(&info, XEN_DOMCTL_getdomaininfo, dom) == 0 && info.domain == dom)
        xtf_error("d%u still exists after destroydomain", dom);
    check_bytes("page 3 after its domain died", frame(MAP_B), 0, 4096);
    after = ts_free_pages();
    EXPECT("remove mapping B", ts_unmap_gpfn(MAP_B), 0);
    EXPECT("the last mapping freed page 3", (long)(ts_free_pages() - after), 1);
    EXPECT("remove mapping B again", ts_unmap_gpfn(MAP_B), -XEN_ENOENT);
    after = ts_free_pages();
    printk("free pages after: %llu\n", (unsigned long long)after);
    return (long)(before - after);
}

/*
 * Twice: the first round leaves dom0's own grant bookkeeping (its maptrack, made on first use
 * and kept like Xen's), every later round must give back exactly what it took.
 */
void test_main(void)
{
    long first = scenario(), second;

    printk("first round kept %ld pages (dom0's maptrack and heap, made on first use)\n", first);
    if (first < 0 || first > 16)
        xtf_error("first round kept %ld pages, expected a few for dom0's maptrack", first);
    second = scenario();
    EXPECT("pages the second round did not give back", second, 0);
    EXPECT("pages a third round did not give back", scenario(), 0);
}
