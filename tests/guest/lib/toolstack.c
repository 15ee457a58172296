/* Toolstack calls for test guests that run as dom0: domctl/sysctl wrappers and building domUs. */
#include "toolstack.h"

#include <public/hvm/hvm_op.h>
#include <public/hvm/save.h>
#include <public/memory.h>
#include <public/sched.h>

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

/* Populate the domU's code page and put len bytes of code at its start through our frame
 * scratch_gfn. */
static void copy_into(domid_t dom, const void *code, size_t len, uint64_t scratch_gfn)
{
    uint64_t gfn = DOMU_CODE_GFN, idx = DOMU_CODE_GFN, gpfn = scratch_gfn;
    int32_t err = -1;
    struct xen_memory_reservation r = {
        .extent_start = HC_PTR(&gfn), .nr_extents = 1, .extent_order = 0, .domid = dom};
    struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
                                         .space = XENMAPSPACE_gmfn_foreign,
                                         .size = 1,
                                         .idxs = HC_PTR(&idx),
                                         .gpfns = HC_PTR(&gpfn),
                                         .errs = HC_PTR(&err)};
    struct xen_remove_from_physmap rm = {.domid = DOMID_SELF, .gpfn = scratch_gfn};

    if (len > 4096)
        xtf_failure("domU code of %zu bytes does not fit its page", len);
    if (HYPERVISOR_memory_op(XENMEM_populate_physmap, &r) != 1)
        xtf_failure("d%u: populate_physmap failed", dom);
    b.u.foreign_domid = dom;
    if (HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b) || err)
        xtf_failure("d%u: foreign map failed (%d)", dom, err);
    memcpy((void *)(uintptr_t)(scratch_gfn << 12), code, len);
    must("remove_from_physmap", HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm));
}

/* Append a save record (descriptor + payload) to s at *at. */
static void record(uint8_t *s, uint32_t *at, uint16_t type, const void *p, uint32_t len)
{
    struct hvm_save_descriptor d = {.typecode = type, .instance = 0, .length = len};

    memcpy(s + *at, &d, sizeof(d));
    memcpy(s + *at + sizeof(d), p, len);
    *at += (uint32_t)sizeof(d) + len;
}

/* Give vCPU 0 of dom the 32-bit flat entry state at 1 MiB: HEADER (the domain's), CPU, END. */
static void start_bsp(domid_t dom)
{
    static uint8_t in[8192], out[2048];
    struct xen_domctl op;
    struct hvm_save_descriptor d;
    struct hvm_hw_cpu c;
    uint32_t at = 0;

    memset(&op, 0, sizeof(op));
    op.u.hvmcontext.size = sizeof(in);
    op.u.hvmcontext.buffer = HC_PTR(in);
    must("gethvmcontext", ts_domctl(&op, XEN_DOMCTL_gethvmcontext, dom));
    memcpy(&d, in, sizeof(d));
    if (op.u.hvmcontext.size < sizeof(d) + HVM_SAVE_LENGTH(HEADER) ||
        d.typecode != HVM_SAVE_CODE(HEADER))
        xtf_failure("d%u: HVM context does not start with a HEADER", dom);
    memset(&c, 0, sizeof(c));
    c.cs_limit = c.ds_limit = c.es_limit = c.ss_limit = ~0u;
    c.cs_arbytes = 0xc9b; /* 32-bit code, present, DPL 0 */
    c.ds_arbytes = c.es_arbytes = c.ss_arbytes = 0xc93;
    c.tr_limit = 0x67;
    c.tr_arbytes = 0x8b;
    c.cr0 = 0x11; /* PE | ET */
    c.rip = (uint64_t)DOMU_CODE_GFN << 12;
    c.rflags = 2;
    c.dr6 = 0xffff0ff0;
    c.dr7 = 0x400;
    record(out, &at, HVM_SAVE_CODE(HEADER), in + sizeof(struct hvm_save_descriptor),
           HVM_SAVE_LENGTH(HEADER));
    record(out, &at, HVM_SAVE_CODE(CPU), &c, sizeof(c));
    record(out, &at, HVM_SAVE_CODE(END), NULL, 0);
    memset(&op, 0, sizeof(op));
    op.u.hvmcontext.size = at;
    op.u.hvmcontext.buffer = HC_PTR(out);
    must("sethvmcontext", ts_domctl(&op, XEN_DOMCTL_sethvmcontext, dom));
}

/* A paused PVH domU running code at 1 MiB on vCPU 0; its id. */
domid_t ts_build_domu(unsigned int vcpus, const void *code, size_t len, uint64_t scratch_gfn)
{
    struct xen_domctl op;
    domid_t dom;

    memset(&op, 0, sizeof(op));
    op.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    op.u.createdomain.max_vcpus = vcpus;
    op.u.createdomain.max_evtchn_port = 1023;
    op.u.createdomain.max_grant_frames = -1;
    op.u.createdomain.max_maptrack_frames = -1;
    op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
    op.u.createdomain.arch.emulation_flags = XEN_X86_EMU_LAPIC;
    must("createdomain", ts_domctl(&op, XEN_DOMCTL_createdomain, 0));
    dom = op.domain;
    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = 256;
    must("max_mem", ts_domctl(&op, XEN_DOMCTL_max_mem, dom));
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
