/* domctl sub-ops on HVM state: gethvmcontext, sethvmcontext and gethvmcontext_partial (Xen 4.17).
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>
#include <hv/hvm_save.h>
#include <public/errno.h>

/* Largest payload gethvmcontext_partial can return (a CPU record). */
#define PARTIAL_MAX HVM_SAVE_LENGTH(CPU)

static long gethvmcontext(struct vcpu *v, struct domain *d, struct xen_domctl_hvmcontext *hc)
{
    size_t need = hvm_save_size(d), used = 0;
    uint8_t *buf;
    int rc;

    if (!hc->buffer) {
        hc->size = (uint32_t)need; /* the size query */
        return 0;
    }
    if (hc->size < need)
        return -XEN_ENOSPC;
    buf = xmalloc(need);
    if (!buf)
        return -XEN_ENOMEM;
    domain_pause(d);
    rc = hvm_save(d, buf, need, &used);
    domain_unpause(d);
    hc->size = (uint32_t)used;
    if (used && copy_to_guest(v, hc->buffer, buf, used))
        rc = -XEN_EFAULT;
    xfree(buf);
    return rc;
}

static long sethvmcontext(struct vcpu *v, struct domain *d, const struct xen_domctl_hvmcontext *hc)
{
    uint8_t *buf;
    int rc;

    if (hc->size > HVM_LOAD_MAX_BYTES)
        return -XEN_ENOMEM;
    buf = xmalloc(hc->size ? hc->size : 1);
    if (!buf)
        return -XEN_ENOMEM;
    /* A private copy: the caller cannot change the stream between the check and the load. */
    if (hc->size && copy_from_guest(v, buf, hc->buffer, hc->size)) {
        xfree(buf);
        return -XEN_EFAULT;
    }
    domain_pause(d);
    rc = hvm_load(d, buf, hc->size);
    domain_unpause(d);
    xfree(buf);
    return rc;
}

static long gethvmcontext_partial(struct vcpu *v, struct domain *d,
                                  struct xen_domctl_hvmcontext_partial *p, bool *copyback)
{
    uint8_t rec[PARTIAL_MAX];
    uint64_t len = p->bufsz;
    int rc;

    domain_pause(d);
    rc = hvm_save_one(d, p->type, p->instance, p->buffer ? rec : NULL, &len);
    domain_unpause(d);
    if (rc)
        return rc;
    if (p->buffer && copy_to_guest(v, p->buffer, rec, len))
        return -XEN_EFAULT;
    p->bufsz = len;
    *copyback = true;
    return 0;
}

long domctl_hvmcontext(struct vcpu *v, struct domain *d, struct xen_domctl *op, bool *copyback)
{
    /* Xen: the caller's own domain cannot be paused underneath it. */
    bool self = d == v->domain;

    switch (op->cmd) {
    case XEN_DOMCTL_gethvmcontext:
        *copyback = true; /* Xen copies the struct back whatever the outcome */
        return self ? -XEN_EINVAL : gethvmcontext(v, d, &op->u.hvmcontext);
    case XEN_DOMCTL_sethvmcontext:
        return self ? -XEN_EINVAL : sethvmcontext(v, d, &op->u.hvmcontext);
    case XEN_DOMCTL_gethvmcontext_partial:
        return self ? -XEN_EINVAL
                    : gethvmcontext_partial(v, d, &op->u.hvmcontext_partial, copyback);
    default:
        return -XEN_ENOSYS;
    }
}
