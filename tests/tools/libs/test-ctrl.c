/* xcall/xctrl against a stand-in hypervisor (layouts, batching, retries, quirks, errno), plus
 * the evtchn/gntdev/privcmd ioctl encodings and device-open errors. */
#include <stdlib.h>
#include <unistd.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>
#include <xenolith/evtchn.h>
#include <xenolith/gnttab.h>
#include <public/memory.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/e820.h>
#include <public/grant_table.h>

#include "call/call_priv.h"
#include "evtchn/evtchn_ioctl.h"
#include "gnttab/gntdev_ioctl.h"
#include "fmem/privcmd_map.h"
#include "check.h"

/* What the stand-in saw and how it answers. */
static struct {
    unsigned int calls, op;
    uint64_t args[5];
    struct xen_domctl domctl;
    struct xen_sysctl sysctl;
    int bad_version;
    long answer;           /* returned for simple calls (0 or -errno) */
    int again;             /* destroy: answer -EAGAIN/-ERESTART this many times */
    uint16_t next_domid;   /* getdomaininfo answers with this domain id */
    long populate_plan[8]; /* per populate call: extents to do (-1 = all), or -errno < -1 */
    unsigned int populate_calls;
    uint64_t populated_gfns[4096];
    size_t npopulated;
    unsigned int max_batch;
    struct e820entry e820[8];
    unsigned int ne820, memmap_domid;
    struct xen_hvm_param param;
    struct evtchn_alloc_unbound unbound;
} hv;

static int page_aligned(uint64_t p)
{
    return p && (p & 4095) == 0;
}

static long do_domctl(struct xen_domctl *d)
{
    if (d->interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        hv.bad_version = 1;
    hv.domctl = *d;
    switch (d->cmd) {
    case XEN_DOMCTL_destroydomain:
        if (hv.again) {
            hv.again--;
            return hv.again % 2 ? -11 /* EAGAIN */ : -85 /* ERESTART */;
        }
        return hv.answer;
    case XEN_DOMCTL_getdomaininfo:
        memset(&d->u.getdomaininfo, 0, sizeof(d->u.getdomaininfo));
        d->u.getdomaininfo.domain = hv.next_domid;
        d->u.getdomaininfo.flags = XEN_DOMINF_hvm_guest | XEN_DOMINF_shutdown | (3u << 16);
        d->u.getdomaininfo.tot_pages = 1234;
        d->u.getdomaininfo.max_vcpu_id = 3;
        d->u.getdomaininfo.handle[15] = 0x42;
        return 0;
    case XEN_DOMCTL_createdomain:
        d->domain = 17;
        return 0;
    case XEN_DOMCTL_getvcpuaffinity:
    case XEN_DOMCTL_setvcpuaffinity: {
        struct xen_domctl_vcpuaffinity *a = &d->u.vcpuaffinity;
        if (a->flags & XEN_VCPUAFFINITY_HARD) {
            if (a->cpumap_hard.nr_bits != 64 || (a->cpumap_hard.bitmap & 7))
                return -22;
            *(uint64_t *)(uintptr_t)a->cpumap_hard.bitmap &= 0xf; /* 4 pCPUs */
        }
        if (a->flags & XEN_VCPUAFFINITY_SOFT)
            *(uint64_t *)(uintptr_t)a->cpumap_soft.bitmap |= 1;
        return 0;
    }
    case XEN_DOMCTL_gethvmcontext:
        if (!d->u.hvmcontext.buffer) {
            d->u.hvmcontext.size = 100;
            return 0;
        }
        if (d->u.hvmcontext.size < 100)
            return -105; /* ENOBUFS */
        memset((void *)(uintptr_t)d->u.hvmcontext.buffer, 0x5a, 100);
        d->u.hvmcontext.size = 100;
        return 0;
    case XEN_DOMCTL_scheduler_op:
        if (d->u.scheduler_op.cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
            d->u.scheduler_op.u.credit.weight = 256;
            d->u.scheduler_op.u.credit.cap = 50;
        }
        return 0;
    default:
        return hv.answer;
    }
}

static long do_sysctl(struct xen_sysctl *s)
{
    if (s->interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        hv.bad_version = 1;
    hv.sysctl = *s;
    switch (s->cmd) {
    case XEN_SYSCTL_getdomaininfolist: {
        xen_domctl_getdomaininfo_t *b = (void *)(uintptr_t)s->u.getdomaininfolist.buffer;
        unsigned int n =
            s->u.getdomaininfolist.max_domains < 3 ? s->u.getdomaininfolist.max_domains : 3;
        for (unsigned int i = 0; i < n; i++)
            b[i].domain = (domid_t)(s->u.getdomaininfolist.first_domain + 2 * i);
        s->u.getdomaininfolist.num_domains = n;
        return 0;
    }
    case XEN_SYSCTL_physinfo:
        s->u.physinfo.nr_cpus = 2;
        s->u.physinfo.free_pages = 4096;
        return 0;
    case XEN_SYSCTL_readconsole: {
        const char msg[] = "(XEN) hello";
        size_t n =
            sizeof(msg) - 1 < s->u.readconsole.count ? sizeof(msg) - 1 : s->u.readconsole.count;
        memcpy((void *)(uintptr_t)s->u.readconsole.buffer, msg, n);
        s->u.readconsole.count = (uint32_t)n;
        s->u.readconsole.index += (uint32_t)n;
        return 0;
    }
    default:
        return hv.answer;
    }
}

static long do_memory(uint64_t cmd, void *arg)
{
    if (cmd == XENMEM_populate_physmap) {
        struct xen_memory_reservation *r = arg;
        const uint64_t *g = (const void *)(uintptr_t)r->extent_start;
        long plan = hv.populate_plan[hv.populate_calls < 8 ? hv.populate_calls : 7];
        size_t n = plan == -1 || plan > (long)r->nr_extents ? r->nr_extents : (size_t)plan;

        hv.populate_calls++;
        if (r->nr_extents > hv.max_batch)
            hv.max_batch = (unsigned int)r->nr_extents;
        if (plan < -1)
            return plan;
        for (size_t i = 0; i < n && hv.npopulated < 4096; i++)
            hv.populated_gfns[hv.npopulated++] = g[i];
        return (long)n;
    }
    if (cmd == XENMEM_set_memory_map) {
        struct xen_foreign_memory_map *m = arg;
        hv.memmap_domid = m->domid;
        hv.ne820 = m->map.nr_entries;
        memcpy(hv.e820, (void *)(uintptr_t)m->map.buffer, hv.ne820 * sizeof(hv.e820[0]));
        return 0;
    }
    return -38;
}

static long fake(void *ctx, unsigned int op, const uint64_t a[5])
{
    (void)ctx;
    hv.calls++;
    hv.op = op;
    memcpy(hv.args, a, sizeof(hv.args));
    switch (op) {
    case __HYPERVISOR_domctl:
        return page_aligned(a[0]) ? do_domctl((void *)(uintptr_t)a[0]) : -14;
    case __HYPERVISOR_sysctl:
        return page_aligned(a[0]) ? do_sysctl((void *)(uintptr_t)a[0]) : -14;
    case __HYPERVISOR_memory_op:
        return page_aligned(a[1]) ? do_memory(a[0], (void *)(uintptr_t)a[1]) : -14;
    case __HYPERVISOR_hvm_op:
        hv.param = *(struct xen_hvm_param *)(uintptr_t)a[1];
        if (a[0] == HVMOP_get_param)
            ((struct xen_hvm_param *)(uintptr_t)a[1])->value = 0xfeffc;
        return hv.param.index > 64 ? -22 : 0;
    case __HYPERVISOR_event_channel_op:
        hv.unbound = *(struct evtchn_alloc_unbound *)(uintptr_t)a[1];
        ((struct evtchn_alloc_unbound *)(uintptr_t)a[1])->port = 9;
        return 0;
    case __HYPERVISOR_xen_version:
        if (a[0] == XENVER_version)
            return (4 << 16) | 17;
        if (a[0] == XENVER_extraversion) {
            memcpy((void *)(uintptr_t)a[1], ".0-xenolith-extra", 16); /* no NUL in 16 */
            return 0;
        }
        if (a[0] == XENVER_compile_info) {
            memset((void *)(uintptr_t)a[1], 'c', sizeof(struct xen_compile_info));
            return 0;
        }
        return -38;
    default:
        return -38; /* ENOSYS */
    }
}

static void test_domctl(struct xcall *xc)
{
    struct xen_domctl_createdomain c = {.max_vcpus = 2};
    struct xctrl_dominfo info;
    uint32_t domid = 0;
    unsigned int calls;

    CHECK(xctrl_domain_create(xc, &domid, &c) == 0 && domid == 17);
    CHECK(hv.domctl.cmd == XEN_DOMCTL_createdomain && hv.domctl.u.createdomain.max_vcpus == 2);
    CHECK(!hv.bad_version);

    hv.answer = -1; /* EPERM */
    CHECK_FAILS(xctrl_domain_pause(xc, 3), -1, EPERM);
    CHECK(hv.domctl.cmd == XEN_DOMCTL_pausedomain && hv.domctl.domain == 3);
    hv.answer = -3;
    CHECK_FAILS(xctrl_domain_unpause(xc, 4), -1, ESRCH);
    hv.answer = 0;
    CHECK(xctrl_domain_setmaxmem(xc, 5, 263168) == 0 && hv.domctl.u.max_mem.max_memkb == 263168);
    CHECK(xctrl_domain_max_vcpus(xc, 5, 4) == 0 && hv.domctl.u.max_vcpus.max == 4);
    CHECK(xctrl_domain_set_tsc(xc, 5, 2) == 0 && hv.domctl.u.tsc_info.tsc_mode == 2);
    CHECK(xctrl_domain_set_paging_mempool(xc, 5, 1 << 20) == 0 &&
          hv.domctl.cmd == XEN_DOMCTL_set_paging_mempool_size &&
          hv.domctl.u.paging_mempool.size == 1 << 20);

    /* Destroy repeats through EAGAIN/ERESTART, and stops at any other error. */
    hv.again = 5;
    calls = hv.calls;
    CHECK(xctrl_domain_destroy(xc, 6) == 0 && hv.calls - calls == 6);
    hv.answer = -22;
    calls = hv.calls;
    CHECK_FAILS(xctrl_domain_destroy(xc, 6), -1, EINVAL);
    CHECK(hv.calls - calls == 1);
    hv.answer = 0;

    /* getinfo: exactly that domain; Xen 4.17 answers a missing id with the next one. */
    hv.next_domid = 5;
    CHECK(xctrl_domain_getinfo(xc, 5, &info) == 0);
    CHECK(info.domid == 5 && info.hvm && info.shutdown && !info.dying && !info.paused);
    CHECK(info.shutdown_reason == 3 && info.tot_pages == 1234 && info.max_vcpu_id == 3 &&
          info.handle[15] == 0x42);
    hv.next_domid = 9;
    CHECK_FAILS(xctrl_domain_getinfo(xc, 5, &info), -1, ESRCH);

    {
        struct xctrl_dominfo l[8];
        CHECK(xctrl_domain_list(xc, 4, l, 8) == 3);
        CHECK(l[0].domid == 4 && l[1].domid == 6 && l[2].domid == 8);
        CHECK(hv.sysctl.u.getdomaininfolist.max_domains == 8 && !hv.bad_version);
        CHECK(xctrl_domain_list(xc, 0, l, 2) == 2);
    }
}

static void test_vcpu(struct xcall *xc)
{
    struct xctrl_vcpuinfo vi;
    uint64_t hard = 0xff, soft = 0;
    uint16_t w = 0, cap = 0;
    uint8_t ctx[128];

    CHECK(xctrl_vcpu_getinfo(xc, 2, 1, &vi) == 0 && hv.domctl.u.getvcpuinfo.vcpu == 1);
    CHECK(xctrl_vcpu_setaffinity(xc, 2, 1, &hard, &soft) == 0);
    CHECK(hard == 0xf && soft == 1); /* the effective masks come back */
    CHECK(hv.domctl.u.vcpuaffinity.flags == (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT));
    hard = 0x30;
    CHECK(xctrl_vcpu_getaffinity(xc, 2, 0, &hard, NULL) == 0 && hard == 0);
    CHECK(hv.domctl.u.vcpuaffinity.flags == XEN_VCPUAFFINITY_HARD);

    CHECK(xctrl_sched_credit_get(xc, 2, &w, &cap) == 0 && w == 256 && cap == 50);
    CHECK(hv.domctl.u.scheduler_op.sched_id == XEN_SCHEDULER_CREDIT);
    CHECK(xctrl_sched_credit_set(xc, 2, 512, 0) == 0 &&
          hv.domctl.u.scheduler_op.cmd == XEN_DOMCTL_SCHEDOP_putinfo &&
          hv.domctl.u.scheduler_op.u.credit.weight == 512);
    CHECK_FAILS(xctrl_sched_credit_set(xc, 2, 0, 0), -1, EINVAL);

    CHECK(xctrl_hvmcontext_get(xc, 2, NULL, 0) == 100);
    CHECK(xctrl_hvmcontext_get(xc, 2, ctx, sizeof(ctx)) == 100 && ctx[0] == 0x5a &&
          ctx[99] == 0x5a);
    CHECK_FAILS(xctrl_hvmcontext_get(xc, 2, ctx, 50), -1, ENOBUFS);
    CHECK(xctrl_hvmcontext_set(xc, 2, ctx, 100) == 0 && hv.domctl.cmd == XEN_DOMCTL_sethvmcontext &&
          hv.domctl.u.hvmcontext.size == 100);
}

static void test_memory(struct xcall *xc)
{
    static uint64_t gfns[1300];
    struct e820entry e[2] = {{0, 0x9f000, E820_RAM}, {0xfeffc000, 0x4000, E820_RESERVED}};
    uint64_t v = 0;
    int ok = 1;

    for (size_t i = 0; i < 1300; i++)
        gfns[i] = 0x1000 + i;
    /* Batches of at most 512; all done. */
    memset(hv.populate_plan, 0xff, sizeof(hv.populate_plan)); /* -1: all */
    hv.populate_calls = 0;
    hv.npopulated = 0;
    CHECK(xctrl_populate_physmap(xc, 3, 0, 1300, gfns) == 1300);
    CHECK(hv.populate_calls == 3 && hv.max_batch == 512 && hv.npopulated == 1300);
    for (size_t i = 0; i < 1300; i++)
        ok &= hv.populated_gfns[i] == gfns[i];
    CHECK(ok);
    /* A short answer is continued from where it stopped. */
    hv.populate_calls = 0;
    hv.npopulated = 0;
    hv.populate_plan[0] = 100;
    CHECK(xctrl_populate_physmap(xc, 3, 9, 600, gfns) == 600);
    CHECK(hv.populate_calls == 2 && hv.npopulated == 600 && hv.populated_gfns[100] == gfns[100]);
    /* No progress: stop with what was done, errno ENOMEM. */
    hv.populate_calls = 0;
    hv.populate_plan[0] = 512;
    hv.populate_plan[1] = 0;
    errno = 0;
    CHECK(xctrl_populate_physmap(xc, 3, 0, 1300, gfns) == 512 && errno == ENOMEM);
    /* An error before anything was done. */
    hv.populate_calls = 0;
    hv.populate_plan[0] = -12;
    CHECK_FAILS(xctrl_populate_physmap(xc, 3, 0, 10, gfns), -1, ENOMEM);
    memset(hv.populate_plan, 0xff, sizeof(hv.populate_plan));

    CHECK(xctrl_set_memory_map(xc, 3, e, 2) == 0);
    CHECK(hv.memmap_domid == 3 && hv.ne820 == 2 && hv.e820[1].addr == 0xfeffc000 &&
          hv.e820[1].type == E820_RESERVED);

    CHECK(xctrl_hvm_param_set(xc, 3, 1, 0xfeffc) == 0);
    CHECK(hv.param.domid == 3 && hv.param.index == 1 && hv.param.value == 0xfeffc &&
          hv.args[0] == HVMOP_set_param);
    CHECK(xctrl_hvm_param_get(xc, 3, 1, &v) == 0 && v == 0xfeffc);
    CHECK_FAILS(xctrl_hvm_param_set(xc, 3, 99, 1), -1, EINVAL);

    CHECK(xctrl_evtchn_alloc_unbound(xc, 3, 0) == 9);
    CHECK(hv.unbound.dom == 3 && hv.unbound.remote_dom == 0 &&
          hv.args[0] == EVTCHNOP_alloc_unbound);
}

static void test_sysctl(struct xcall *xc)
{
    struct xen_sysctl_physinfo pi;
    struct xen_compile_info ci;
    char buf[64], s[8];
    uint32_t idx = 5;
    int maj, min;

    CHECK(xctrl_physinfo(xc, &pi) == 0 && pi.nr_cpus == 2 && pi.free_pages == 4096);
    CHECK(xctrl_readconsole(xc, buf, sizeof(buf), 1, &idx) == 11 &&
          !memcmp(buf, "(XEN) hello", 11));
    CHECK(idx == 16 && hv.sysctl.u.readconsole.clear == 1 &&
          hv.sysctl.u.readconsole.incremental == 1);
    CHECK(xctrl_readconsole(xc, buf, 4, 0, NULL) == 4);
    CHECK(xctrl_version(xc, &maj, &min) == 0 && maj == 4 && min == 17);
    CHECK(xctrl_version_string(xc, XENVER_extraversion, buf, sizeof(buf)) == 0);
    CHECK_STR(buf, ".0-xenolith-extr"); /* 16 bytes without a NUL: cut, terminated */
    CHECK(xctrl_version_string(xc, XENVER_extraversion, s, sizeof(s)) == 0 && strlen(s) == 7);
    CHECK_FAILS(xctrl_version_string(xc, 77, buf, sizeof(buf)), -1, EINVAL);
    CHECK_FAILS(xctrl_version_string(xc, XENVER_changeset, buf, sizeof(buf)), -1, ENOSYS);
    CHECK(xctrl_version_compile(xc, &ci) == 0 && strlen(ci.compiler) == 63);
}

static void test_buffers(struct xcall *xc)
{
    void *a = xcall_buf_alloc(xc, 100), *b;

    CHECK(a && page_aligned((uintptr_t)a));
    memset(a, 0x77, 100);
    xcall_buf_free(xc, a, 100);
    b = xcall_buf_alloc(xc, 10); /* reused from the cache, but zeroed */
    CHECK(b && ((uint8_t *)b)[0] == 0 && ((uint8_t *)b)[99] == 0);
    xcall_buf_free(xc, b, 10);
    a = xcall_buf_alloc(xc, 3 * 4096 + 1);
    CHECK(a && ((uint8_t *)a)[4 * 4096 - 1] == 0);
    xcall_buf_free(xc, a, 3 * 4096 + 1);
    CHECK(xcall_fd(xc) == -1);
    CHECK_FAILS(xcall_op(xc, 99, 0, 0, 0, 0, 0), -1, ENOSYS);
}

static void test_ioctls(void)
{
    /* Values from dom0-toolstack.md §2.2-§2.4 (Linux's x86-64 encodings). */
    CHECK(IOCTL_PRIVCMD_HYPERCALL == 0x00305000);
    CHECK(IOCTL_PRIVCMD_MMAPBATCH_V2 == 0x00205004);
    CHECK(IOCTL_PRIVCMD_MMAP_RESOURCE == 0x00205007);
    CHECK(IOCTL_EVTCHN_BIND_VIRQ == 0x00044500);
    CHECK(IOCTL_EVTCHN_BIND_INTERDOMAIN == 0x00084501);
    CHECK(IOCTL_EVTCHN_BIND_UNBOUND_PORT == 0x00044502);
    CHECK(IOCTL_EVTCHN_UNBIND == 0x00044503);
    CHECK(IOCTL_EVTCHN_NOTIFY == 0x00044504);
    CHECK(IOCTL_GNTDEV_MAP_GRANT_REF == 0x00184700);
    CHECK(IOCTL_GNTDEV_UNMAP_GRANT_REF == 0x00104701);
    CHECK(IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR == 0x00184702);
    CHECK(IOCTL_GNTDEV_GRANT_COPY == 0x00104708);
    CHECK(offsetof(struct privcmd_mmapbatch_v2, err) == 24);
    CHECK(offsetof(struct privcmd_mmap_resource, addr) == 24);
    CHECK(offsetof(struct gntdev_grant_copy_segment, len) == 16);

    CHECK(xgnttab_status_errno(GNTST_okay) == 0);
    CHECK(xgnttab_status_errno(GNTST_bad_domain) == ESRCH);
    CHECK(xgnttab_status_errno(GNTST_permission_denied) == EPERM);
    CHECK(xgnttab_status_errno(GNTST_bad_gntref) == EINVAL);
    CHECK(xgnttab_status_errno(GNTST_eagain) == EAGAIN);
    CHECK(xgnttab_status_errno(-99) == EIO);

    /* Without the Xen devices (a plain host) every open fails cleanly with ENOENT. */
    if (access("/dev/xen/evtchn", F_OK)) {
        CHECK_FAILS(xevtchn_open(), NULL, ENOENT);
        CHECK_FAILS(xgnttab_open(), NULL, ENOENT);
        CHECK_FAILS(xcall_open(), NULL, ENOENT);
    } else {
        struct xevtchn *xe = xevtchn_open();
        CHECK(xe != NULL);
        xevtchn_close(xe);
    }
    xevtchn_close(NULL);
    xgnttab_close(NULL);
    xcall_close(NULL);
}

int main(void)
{
    struct xcall *xc = xcall_open_fake(fake, NULL);

    CHECK(xc != NULL);
    if (xc) {
        test_buffers(xc);
        test_domctl(xc);
        test_vcpu(xc);
        test_memory(xc);
        test_sysctl(xc);
    }
    xcall_close(xc);
    test_ioctls();
    return check_summary("xctrl");
}
