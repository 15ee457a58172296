/* xctrl: per-vCPU domctls (info, affinity), credit scheduler parameters and HVM context. */
#include <errno.h>
#include <string.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>

#include "ctrl/ctrl_priv.h"

#define AFFINITY_BITS 64

int xctrl_vcpu_getinfo(struct xcall *xc, uint32_t domid, unsigned int vcpu,
                       struct xctrl_vcpuinfo *info)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_getvcpuinfo, .domain = (domid_t)domid};

    op.u.getvcpuinfo.vcpu = vcpu;
    if (xctrl_domctl(xc, &op))
        return -1;
    info->online = op.u.getvcpuinfo.online;
    info->blocked = op.u.getvcpuinfo.blocked;
    info->running = op.u.getvcpuinfo.running;
    info->cpu_time_ns = op.u.getvcpuinfo.cpu_time;
    info->cpu = op.u.getvcpuinfo.cpu;
    return 0;
}

/* set or get the masks that are non-NULL; both bitmaps live in one two-word hypercall buffer. */
static int affinity(struct xcall *xc, uint32_t cmd, uint32_t domid, unsigned int vcpu,
                    uint64_t *hard, uint64_t *soft)
{
    struct xen_domctl op = {.cmd = cmd, .domain = (domid_t)domid};
    struct xen_domctl_vcpuaffinity *a = &op.u.vcpuaffinity;
    uint64_t *maps = xcall_buf_alloc(xc, 2 * sizeof(uint64_t));
    int rc, e;

    if (!maps)
        return -1;
    a->vcpu = vcpu;
    if (hard) {
        a->flags |= XEN_VCPUAFFINITY_HARD;
        maps[0] = *hard;
        a->cpumap_hard = (struct xenctl_bitmap){XTOOLS_PTR(&maps[0]), AFFINITY_BITS, 0};
    }
    if (soft) {
        a->flags |= XEN_VCPUAFFINITY_SOFT;
        maps[1] = *soft;
        a->cpumap_soft = (struct xenctl_bitmap){XTOOLS_PTR(&maps[1]), AFFINITY_BITS, 0};
    }
    rc = xctrl_domctl(xc, &op);
    e = errno;
    if (!rc) {
        if (hard)
            *hard = maps[0];
        if (soft)
            *soft = maps[1];
    }
    xcall_buf_free(xc, maps, 2 * sizeof(uint64_t));
    errno = e;
    return rc;
}

int xctrl_vcpu_setaffinity(struct xcall *xc, uint32_t domid, unsigned int vcpu, uint64_t *hard,
                           uint64_t *soft)
{
    return affinity(xc, XEN_DOMCTL_setvcpuaffinity, domid, vcpu, hard, soft);
}

int xctrl_vcpu_getaffinity(struct xcall *xc, uint32_t domid, unsigned int vcpu, uint64_t *hard,
                           uint64_t *soft)
{
    return affinity(xc, XEN_DOMCTL_getvcpuaffinity, domid, vcpu, hard, soft);
}

static int credit_op(struct xcall *xc, uint32_t domid, uint32_t cmd, uint16_t *weight,
                     uint16_t *cap)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_scheduler_op, .domain = (domid_t)domid};

    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit.weight = *weight;
    op.u.scheduler_op.u.credit.cap = *cap;
    if (xctrl_domctl(xc, &op))
        return -1;
    *weight = op.u.scheduler_op.u.credit.weight;
    *cap = op.u.scheduler_op.u.credit.cap;
    return 0;
}

int xctrl_sched_credit_get(struct xcall *xc, uint32_t domid, uint16_t *weight, uint16_t *cap)
{
    *weight = 0;
    *cap = 0;
    return credit_op(xc, domid, XEN_DOMCTL_SCHEDOP_getinfo, weight, cap);
}

int xctrl_sched_credit_set(struct xcall *xc, uint32_t domid, uint16_t weight, uint16_t cap)
{
    if (!weight) {
        errno = EINVAL;
        return -1;
    }
    return credit_op(xc, domid, XEN_DOMCTL_SCHEDOP_putinfo, &weight, &cap);
}

/* op's hvmcontext buffer: len bytes, a copy of src if not NULL. NULL with errno (E2BIG: > 4 GiB).
 */
static void *hvmcontext_buf(struct xcall *xc, struct xen_domctl *op, const void *src, size_t len)
{
    void *b;

    if (len > UINT32_MAX) {
        errno = E2BIG;
        return NULL;
    }
    b = src ? xctrl_buf_dup(xc, src, len) : xcall_buf_alloc(xc, len);
    if (b) {
        op->u.hvmcontext.size = (uint32_t)len;
        op->u.hvmcontext.buffer = XTOOLS_PTR(b);
    }
    return b;
}

int xctrl_hvmcontext_set(struct xcall *xc, uint32_t domid, const void *buf, size_t len)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_sethvmcontext, .domain = (domid_t)domid};
    void *b = hvmcontext_buf(xc, &op, buf, len);
    int rc, e;

    if (!b)
        return -1;
    rc = xctrl_domctl(xc, &op);
    e = errno;
    xcall_buf_free(xc, b, len);
    errno = e;
    return rc;
}

long xctrl_hvmcontext_get(struct xcall *xc, uint32_t domid, void *buf, size_t len)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_gethvmcontext, .domain = (domid_t)domid};
    void *b = NULL;
    long rc;
    int e;

    if (buf) {
        b = hvmcontext_buf(xc, &op, NULL, len);
        if (!b)
            return -1;
    }
    rc = xctrl_domctl(xc, &op);
    e = errno;
    if (!rc) {
        rc = op.u.hvmcontext.size;
        if (buf && (size_t)rc > len) {
            rc = -1;
            e = EIO;
        } else if (buf) {
            memcpy(buf, b, (size_t)rc);
        }
    }
    if (b)
        xcall_buf_free(xc, b, len);
    errno = e;
    return rc;
}
