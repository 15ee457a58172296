/* Issuing domctls from a fake dom0 vCPU in unit tests: request builders and the call itself. */
#ifndef TEST_DOMCTL_CALL_H
#define TEST_DOMCTL_CALL_H

#include "../../common/pvh_create.h"
#include "fake_hv.h"

static inline struct xen_domctl mkop(uint32_t cmd, uint16_t dom)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op.domain = dom;
    return op;
}

/* Issue domctl op from v through the dispatch table; op gets whatever was copied back. */
static inline long domctl(struct vcpu *v, struct xen_domctl *op)
{
    long rc;

    memcpy(G(v->domain, GVA_ARG), op, sizeof(*op));
    rc = hcall(v, __HYPERVISOR_domctl, GVA_ARG, 0, 0);
    memcpy(op, G(v->domain, GVA_ARG), sizeof(*op));
    return rc;
}

/* A PVH createdomain request as libxl makes it. */
static inline struct xen_domctl pvh_create(uint16_t dom, unsigned int vcpus)
{
    struct xen_domctl op = mkop(XEN_DOMCTL_createdomain, dom);
    struct xen_domctl_createdomain *c = &op.u.createdomain;

    pvh_create_request(c, vcpus);
    for (unsigned int i = 0; i < 16; i++)
        c->handle[i] = (uint8_t)(0xa0 + i);
    return op;
}

/* Create a PVH domain from dom0's vCPU; returns its id or a negative error. */
static inline long create(struct vcpu *v0, uint16_t dom, unsigned int vcpus)
{
    struct xen_domctl op = pvh_create(dom, vcpus);
    long rc = domctl(v0, &op);

    return rc ? rc : op.domain;
}

#endif
