/* Toolstack calls for test guests that run as dom0: domctl/sysctl wrappers and building domUs. */
#include "toolstack.h"

#include <public/hvm/hvm_op.h>
#include <public/memory.h>
#include <public/sched.h>

#include "../../common/pvh_create.h"

#define DOMU_CODE_GFN 0x100 /* the domU's code page: guest-physical 1 MiB */

/* Issue domctl cmd on domain dom with op's payload (op is filled in and copied back). */
long ts_domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
    op->cmd = cmd;
    op->domain = dom;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return hypercall5(__HYPERVISOR_domctl, HC_PTR(op), 0, 0, 0, 0);
}

/* Issue sysctl cmd with op's payload. */
long ts_sysctl(struct xen_sysctl *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return hypercall5(__HYPERVISOR_sysctl, HC_PTR(op), 0, 0, 0, 0);
}

/* Hypervisor system time in ns (HVMOP_get_time). */
uint64_t ts_now_ns(void)
{
    struct xen_hvm_get_time t = {0};

    HYPERVISOR_hvm_op(HVMOP_get_time, &t);
    return t.now;
}

/* Block this vCPU until system time deadline (SCHEDOP_poll on no port); returns when woken. */
void ts_sleep_until(uint64_t deadline)
{
    while (ts_now_ns() < deadline) {
        struct sched_poll p = {.nr_ports = 0, .timeout = deadline};

        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    }
}

static void must(const char *what, long rc)
{
    if (rc)
        xtf_failure("%s: %ld", what, rc);
}

/* populate_physmap of dom: count single pages from gfn base; extents done. */
long ts_populate(domid_t dom, uint64_t base, unsigned int count)
{
    static uint64_t gfns[4100];
    struct xen_memory_reservation r = {
        .extent_start = HC_PTR(gfns), .nr_extents = count, .extent_order = 0, .domid = dom};

    if (count > ARRAY_SIZE(gfns))
        xtf_failure("populate of %u pages: at most %zu at once", count, ARRAY_SIZE(gfns));
    for (unsigned int i = 0; i < count; i++)
        gfns[i] = base + i;
    return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

/* Foreign-map dom's gfn at our gpfn; the per-entry error (or the call's, if it failed). */
long ts_map_foreign(domid_t dom, uint64_t gfn, uint64_t gpfn)
{
    static uint64_t idx, gpfns;
    static int32_t err;
    struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
                                         .space = XENMAPSPACE_gmfn_foreign,
                                         .size = 1,
                                         .idxs = HC_PTR(&idx),
                                         .gpfns = HC_PTR(&gpfns),
                                         .errs = HC_PTR(&err)};
    long rc;

    b.u.foreign_domid = dom;
    idx = gfn;
    gpfns = gpfn;
    err = 1;
    rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b);
    return rc ? rc : err;
}

/* remove_from_physmap of our gpfn; 0 or -errno. */
long ts_unmap_gpfn(uint64_t gpfn)
{
    struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = gpfn};

    return HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &r);
}

/* Populate the domU's code page and put len bytes of code at its start through our frame
 * scratch_gfn. */
static void copy_into(domid_t dom, const void *code, size_t len, uint64_t scratch_gfn)
{
    long rc;

    if (len > 4096)
        xtf_failure("domU code of %zu bytes does not fit its page", len);
    if (ts_populate(dom, DOMU_CODE_GFN, 1) != 1)
        xtf_failure("d%u: populate_physmap failed", dom);
    rc = ts_map_foreign(dom, DOMU_CODE_GFN, scratch_gfn);
    if (rc)
        xtf_failure("d%u: foreign map failed (%ld)", dom, rc);
    memcpy((void *)(uintptr_t)(scratch_gfn << 12), code, len);
    must("remove_from_physmap", ts_unmap_gpfn(scratch_gfn));
}

/* Give vCPU 0 of dom the 32-bit flat entry state at 1 MiB (HEADER, CPU, END). */
static void start_bsp(domid_t dom)
{
    struct hvm_hw_cpu c;

    ts_pvh_entry(&c, (uint64_t)DOMU_CODE_GFN << 12);
    c.rflags = 2;
    must("sethvmcontext", ts_load_bsp(dom, &c));
}

/* A paused PVH domU with max_mem max_kb; its id. */
domid_t ts_create_domu(unsigned int vcpus, uint64_t max_kb)
{
    struct xen_domctl op;
    domid_t dom;

    memset(&op, 0, sizeof(op));
    pvh_create_request(&op.u.createdomain, vcpus);
    must("createdomain", ts_domctl(&op, XEN_DOMCTL_createdomain, 0));
    dom = op.domain;
    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = max_kb;
    must("max_mem", ts_domctl(&op, XEN_DOMCTL_max_mem, dom));
    return dom;
}

/* A paused PVH domU running code at 1 MiB on vCPU 0; its id. */
domid_t ts_build_domu(unsigned int vcpus, const void *code, size_t len, uint64_t scratch_gfn)
{
    domid_t dom = ts_create_domu(vcpus, 256);

    copy_into(dom, code, len, scratch_gfn);
    start_bsp(dom);
    return dom;
}

/* Destroy dom; 0 or -errno. */
long ts_destroy(domid_t dom)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    return ts_domctl(&op, XEN_DOMCTL_destroydomain, dom);
}

/* vCPU vcpu of dom: where it runs and its running time so far; 0 or -errno. */
long ts_vcpu_info(domid_t dom, unsigned int vcpu, struct xen_domctl_getvcpuinfo *info)
{
    struct xen_domctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.getvcpuinfo.vcpu = vcpu;
    rc = ts_domctl(&op, XEN_DOMCTL_getvcpuinfo, dom);
    *info = op.u.getvcpuinfo;
    return rc;
}

/* Set the hard affinity of dom's vCPU vcpu to the pCPUs in mask; 0 or -errno. */
long ts_pin(domid_t dom, unsigned int vcpu, uint64_t mask)
{
    static uint64_t map;
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    map = mask;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard.bitmap = HC_PTR(&map);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
    return ts_domctl(&op, XEN_DOMCTL_setvcpuaffinity, dom);
}

/* Credit parameters of dom (weight 0 and cap 0xffff keep the current value); 0 or -errno. */
long ts_sched_credit(domid_t dom, uint16_t weight, uint16_t cap)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.scheduler_op.u.credit.weight = weight;
    op.u.scheduler_op.u.credit.cap = cap;
    return ts_domctl(&op, XEN_DOMCTL_scheduler_op, dom);
}

/* Free pages of the host (sysctl physinfo). */
uint64_t ts_free_pages(void)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    if (ts_sysctl(&op, XEN_SYSCTL_physinfo))
        xtf_failure("sysctl physinfo failed");
    return op.u.physinfo.free_pages;
}
