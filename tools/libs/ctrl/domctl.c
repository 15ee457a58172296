/* xctrl: domctl/sysctl issue, domain lifecycle and domain information. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>

#include "ctrl/ctrl_priv.h"

#define DESTROY_TIMEOUT_NS 10000000000LL /* libxl's destroy timeout: 10 s */

_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl layout");
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl layout");
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112, "getdomaininfo layout");

int xctrl_domctl(struct xcall *xc, struct xen_domctl *op)
{
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return xctrl_bounce(xc, __HYPERVISOR_domctl, 0, 0, op, sizeof(*op)) < 0 ? -1 : 0;
}

int xctrl_sysctl(struct xcall *xc, struct xen_sysctl *op)
{
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return xctrl_bounce(xc, __HYPERVISOR_sysctl, 0, 0, op, sizeof(*op)) < 0 ? -1 : 0;
}

/* A domctl with no payload beyond the domain id. */
static int simple_domctl(struct xcall *xc, uint32_t cmd, uint32_t domid)
{
    struct xen_domctl op = {.cmd = cmd, .domain = (domid_t)domid};

    return xctrl_domctl(xc, &op);
}

int xctrl_domain_create(struct xcall *xc, uint32_t *domid, struct xen_domctl_createdomain *c)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_createdomain, .domain = (domid_t)*domid};

    op.u.createdomain = *c;
    if (xctrl_domctl(xc, &op))
        return -1;
    *domid = op.domain;
    return 0;
}

static int64_t now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int xctrl_domain_destroy(struct xcall *xc, uint32_t domid)
{
    int64_t start = now_ns();

    /* Destruction is preemptible: the hypervisor answers EAGAIN/ERESTART until it is done. */
    while (simple_domctl(xc, XEN_DOMCTL_destroydomain, domid)) {
        if (errno != EAGAIN && errno != ERESTART)
            return -1;
        if (now_ns() - start > DESTROY_TIMEOUT_NS) {
            errno = ETIMEDOUT;
            return -1;
        }
        sched_yield();
    }
    return 0;
}

int xctrl_domain_pause(struct xcall *xc, uint32_t domid)
{
    return simple_domctl(xc, XEN_DOMCTL_pausedomain, domid);
}

int xctrl_domain_unpause(struct xcall *xc, uint32_t domid)
{
    return simple_domctl(xc, XEN_DOMCTL_unpausedomain, domid);
}

static void fill_info(struct xctrl_dominfo *d, const struct xen_domctl_getdomaininfo *g)
{
    memset(d, 0, sizeof(*d));
    d->domid = g->domain;
    d->flags = g->flags;
    d->dying = g->flags & XEN_DOMINF_dying;
    d->shutdown = g->flags & XEN_DOMINF_shutdown;
    d->paused = g->flags & XEN_DOMINF_paused;
    d->blocked = g->flags & XEN_DOMINF_blocked;
    d->running = g->flags & XEN_DOMINF_running;
    d->hvm = g->flags & XEN_DOMINF_hvm_guest;
    d->shutdown_reason = (g->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    d->tot_pages = g->tot_pages;
    d->max_pages = g->max_pages;
    d->outstanding_pages = g->outstanding_pages;
    d->cpu_time_ns = g->cpu_time;
    d->nr_online_vcpus = g->nr_online_vcpus;
    d->max_vcpu_id = g->max_vcpu_id;
    memcpy(d->handle, g->handle, sizeof(d->handle));
    d->cpupool = g->cpupool;
}

int xctrl_domain_getinfo(struct xcall *xc, uint32_t domid, struct xctrl_dominfo *info)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_getdomaininfo, .domain = (domid_t)domid};

    if (xctrl_domctl(xc, &op))
        return -1;
    /* Xen 4.17 answers with the next existing domain when domid itself does not exist. */
    if (op.u.getdomaininfo.domain != domid) {
        errno = ESRCH;
        return -1;
    }
    fill_info(info, &op.u.getdomaininfo);
    return 0;
}

int xctrl_domain_list(struct xcall *xc, uint32_t first, struct xctrl_dominfo *info,
                      unsigned int max)
{
    size_t len = (size_t)max * sizeof(struct xen_domctl_getdomaininfo);
    struct xen_domctl_getdomaininfo *buf;
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_getdomaininfolist};
    int rc, e;

    if (!max)
        return 0;
    buf = xcall_buf_alloc(xc, len);
    if (!buf)
        return -1;
    op.u.getdomaininfolist.first_domain = (domid_t)first;
    op.u.getdomaininfolist.max_domains = max;
    op.u.getdomaininfolist.buffer = XTOOLS_PTR(buf);
    rc = xctrl_sysctl(xc, &op);
    e = errno;
    if (!rc) {
        rc = (int)op.u.getdomaininfolist.num_domains;
        if ((unsigned int)rc > max) {
            rc = -1;
            e = EIO;
        }
        for (int i = 0; i < rc; i++)
            fill_info(&info[i], &buf[i]);
    }
    xcall_buf_free(xc, buf, len);
    errno = e;
    return rc;
}

int xctrl_domain_max_vcpus(struct xcall *xc, uint32_t domid, unsigned int max)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_max_vcpus, .domain = (domid_t)domid};

    op.u.max_vcpus.max = max;
    return xctrl_domctl(xc, &op);
}

int xctrl_domain_setmaxmem(struct xcall *xc, uint32_t domid, uint64_t max_kb)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_max_mem, .domain = (domid_t)domid};

    op.u.max_mem.max_memkb = max_kb;
    return xctrl_domctl(xc, &op);
}

int xctrl_domain_sethandle(struct xcall *xc, uint32_t domid, const uint8_t handle[16])
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_setdomainhandle, .domain = (domid_t)domid};

    memcpy(op.u.setdomainhandle.handle, handle, 16);
    return xctrl_domctl(xc, &op);
}

int xctrl_domain_set_tsc(struct xcall *xc, uint32_t domid, uint32_t tsc_mode)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_settscinfo, .domain = (domid_t)domid};

    op.u.tsc_info.tsc_mode = tsc_mode;
    return xctrl_domctl(xc, &op);
}

int xctrl_domain_set_paging_mempool(struct xcall *xc, uint32_t domid, uint64_t bytes)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_set_paging_mempool_size, .domain = (domid_t)domid};

    op.u.paging_mempool.size = bytes;
    return xctrl_domctl(xc, &op);
}
