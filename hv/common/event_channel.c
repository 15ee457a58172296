/* event_channel_op: allocating, binding, closing and sending on ports; the EVTCHNOP_* workers. */
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <public/errno.h>

/*
 * Hypervisor-side consumers of ports (in-hypervisor backends). A port stores
 * 1 + its consumer's index so that struct evtchn stays small. Entries are
 * only ever added, under consumer_lock; readers see a filled slot once the
 * index is published in a port (under the domain's evtchn_lock).
 */
#define NR_XEN_CONSUMERS 8
static evtchn_xen_notify_fn xen_consumers[NR_XEN_CONSUMERS];
static spinlock_t consumer_lock = SPINLOCK_INIT;

static int consumer_index(evtchn_xen_notify_fn fn)
{
    int idx = -XEN_ENOSPC;

    spin_lock(&consumer_lock);
    for (int i = 0; i < NR_XEN_CONSUMERS; i++) {
        if (xen_consumers[i] == fn || !xen_consumers[i]) {
            xen_consumers[i] = fn;
            idx = i + 1;
            break;
        }
    }
    spin_unlock(&consumer_lock);
    return idx;
}

bool virq_is_global(unsigned int virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;
    }
}

/* Ports a guest may name: 1..4095 (port 0 is reserved for ever). */
static bool port_valid(uint32_t port)
{
    return port != 0 && port < NR_EVTCHN_2L;
}

/* Lowest free port of d, or -XEN_ENOSPC. Caller holds d->evtchn_lock. */
static int get_free_port(struct domain *d)
{
    for (uint32_t p = 1; p < NR_EVTCHN_2L; p++)
        if (d->evtchn[p].state == ECS_FREE)
            return (int)p;
    return -XEN_ENOSPC;
}

/* Return port to ECS_FREE and drop any stale pending bit. Caller holds d->evtchn_lock. */
static void free_port(struct domain *d, uint32_t port)
{
    struct evtchn *chn = &d->evtchn[port];

    chn->state = ECS_FREE;
    chn->xen_consumer = 0;
    chn->virq = 0;
    chn->notify_vcpu = 0;
    chn->remote_domid = 0;
    chn->remote_port = 0;
    evtchn_2l_clear_pending(d, port);
}

/* Take the evtchn_locks of a and b (may be equal) in domain-id order. */
static void lock_pair(struct domain *a, struct domain *b)
{
    if (a == b) {
        spin_lock(&a->evtchn_lock);
    } else if (a->domain_id < b->domain_id) {
        spin_lock(&a->evtchn_lock);
        spin_lock(&b->evtchn_lock);
    } else {
        spin_lock(&b->evtchn_lock);
        spin_lock(&a->evtchn_lock);
    }
}

static void unlock_pair(struct domain *a, struct domain *b)
{
    spin_unlock(&a->evtchn_lock);
    if (a != b)
        spin_unlock(&b->evtchn_lock);
}

void evtchn_domain_init(struct domain *d)
{
    spin_lock_init(&d->evtchn_lock);
    for (uint32_t p = 0; p < NR_EVTCHN_2L; p++)
        d->evtchn[p] = (struct evtchn){.state = ECS_FREE};
    d->evtchn[0].state = ECS_RESERVED;
    for (unsigned int i = 0; i < NR_VIRQS; i++)
        d->virq_global_port[i] = 0;
    d->poll_mask = 0;
}

void evtchn_domain_destroy(struct domain *d)
{
    for (uint32_t p = 1; p < NR_EVTCHN_2L; p++) {
        uint8_t state = __atomic_load_n(&d->evtchn[p].state, __ATOMIC_RELAXED);

        if (state != ECS_FREE && state != ECS_RESERVED)
            evtchn_close(d, p, false);
    }
}

/* Allocate an unbound port in d for remote; consumer is 0 or 1 + consumer index. */
static int alloc_unbound_locked(struct domain *d, uint16_t remote, uint8_t consumer)
{
    int port = get_free_port(d);

    if (port < 0)
        return port;
    d->evtchn[port] = (struct evtchn){
        .state = ECS_UNBOUND,
        .xen_consumer = consumer,
        .remote_domid = remote,
    };
    return port;
}

int evtchn_alloc_unbound_port(struct domain *d, uint16_t remote)
{
    int port;

    spin_lock(&d->evtchn_lock);
    port = alloc_unbound_locked(d, remote, 0);
    spin_unlock(&d->evtchn_lock);
    return port;
}

int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_fn fn)
{
    int idx = consumer_index(fn), port;

    if (idx < 0)
        return idx;
    spin_lock(&d->evtchn_lock);
    port = alloc_unbound_locked(d, DOMID_XEN, (uint8_t)idx);
    spin_unlock(&d->evtchn_lock);
    return port;
}

void evtchn_notify_xen_port(struct domain *d, uint32_t port)
{
    if (!port_valid(port))
        return;
    spin_lock(&d->evtchn_lock);
    if (d->evtchn[port].xen_consumer && d->evtchn[port].state == ECS_UNBOUND)
        evtchn_2l_set_pending(d, port);
    spin_unlock(&d->evtchn_lock);
}

int evtchn_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *op)
{
    int err, port;
    struct domain *td = hypercall_target_domain(d, op->dom, &err);
    uint16_t remote = op->remote_dom;

    if (!td)
        return err;
    /* DOMID_SELF as the remote names the caller, not the target. */
    if (remote == DOMID_SELF)
        remote = d->domain_id;
    if (remote >= DOMID_FIRST_RESERVED)
        return -XEN_EINVAL;

    port = evtchn_alloc_unbound_port(td, remote);
    if (port < 0)
        return port;
    op->port = (uint32_t)port;
    return 0;
}

int evtchn_bind_interdomain(struct domain *d, struct evtchn_bind_interdomain *op)
{
    uint16_t rdom = op->remote_dom == DOMID_SELF ? d->domain_id : op->remote_dom;
    uint32_t rport = op->remote_port;
    struct domain *rd;
    struct evtchn *rchn;
    int lport, rc = 0;

    rd = rdom == d->domain_id ? d : domain_by_id(rdom);
    if (!rd)
        return -XEN_ESRCH;
    if (!port_valid(rport))
        return -XEN_EINVAL;

    lock_pair(d, rd);
    rchn = &rd->evtchn[rport];
    /* The peer must be waiting for exactly us, and be a guest port. */
    if (rchn->state != ECS_UNBOUND || rchn->remote_domid != d->domain_id || rchn->xen_consumer) {
        rc = -XEN_EINVAL;
        goto out;
    }
    lport = get_free_port(d);
    if (lport < 0) {
        rc = lport;
        goto out;
    }

    d->evtchn[lport] = (struct evtchn){
        .state = ECS_INTERDOMAIN,
        .remote_domid = rd->domain_id,
        .remote_port = rport,
    };
    rchn->state = ECS_INTERDOMAIN;
    rchn->remote_domid = d->domain_id;
    rchn->remote_port = (uint32_t)lport;

    /* The peer may have sent while unbound (those sends were dropped): raise ours once. */
    evtchn_2l_set_pending(d, (uint32_t)lport);
    op->local_port = (uint32_t)lport;
out:
    unlock_pair(d, rd);
    return rc;
}

int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op)
{
    uint32_t virq = op->virq;
    struct vcpu *v;
    uint32_t *slot;
    int port, rc = 0;

    if (virq >= NR_VIRQS)
        return -XEN_EINVAL;
    /* As in Xen: a global VIRQ is bound on vCPU 0 and may be moved with bind_vcpu. */
    if (virq_is_global(virq) && op->vcpu != 0)
        return -XEN_EINVAL;
    v = domain_vcpu(d, op->vcpu);
    if (!v)
        return -XEN_ENOENT;

    spin_lock(&d->evtchn_lock);
    slot = virq_is_global(virq) ? &d->virq_global_port[virq] : &v->virq_to_port[virq];
    if (*slot) {
        rc = -XEN_EEXIST;
        goto out;
    }
    port = get_free_port(d);
    if (port < 0) {
        rc = port;
        goto out;
    }
    d->evtchn[port] = (struct evtchn){
        .state = ECS_VIRQ,
        .virq = (uint16_t)virq,
        .notify_vcpu = v->vcpu_id,
    };
    __atomic_store_n(slot, (uint32_t)port, __ATOMIC_RELEASE);
    op->port = (uint32_t)port;
out:
    spin_unlock(&d->evtchn_lock);
    return rc;
}

int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *op)
{
    struct vcpu *v = domain_vcpu(d, op->vcpu);
    int port;

    if (!v)
        return -XEN_ENOENT;

    spin_lock(&d->evtchn_lock);
    port = get_free_port(d);
    if (port >= 0)
        d->evtchn[port] = (struct evtchn){.state = ECS_IPI, .notify_vcpu = v->vcpu_id};
    spin_unlock(&d->evtchn_lock);
    if (port < 0)
        return port;
    op->port = (uint32_t)port;
    return 0;
}

int evtchn_close(struct domain *d, uint32_t port, bool guest)
{
    struct evtchn *chn;
    struct domain *rd = NULL;
    int rc = 0;

    if (!port_valid(port))
        return -XEN_EINVAL;
    chn = &d->evtchn[port];

again:
    if (rd)
        lock_pair(d, rd);
    else
        spin_lock(&d->evtchn_lock);

    if (guest && chn->xen_consumer) {
        rc = -XEN_EINVAL;
        goto out;
    }

    switch (chn->state) {
    case ECS_UNBOUND:
    case ECS_IPI:
        break;

    case ECS_VIRQ: {
        struct vcpu *v = domain_vcpu(d, chn->notify_vcpu);
        uint32_t *slot = NULL;

        if (virq_is_global(chn->virq))
            slot = &d->virq_global_port[chn->virq];
        else if (v)
            slot = &v->virq_to_port[chn->virq];
        if (slot && *slot == port)
            __atomic_store_n(slot, 0, __ATOMIC_RELEASE);
        break;
    }

    case ECS_INTERDOMAIN: {
        struct domain *peer;
        struct evtchn *rchn;

        if (!rd) {
            /* Need the peer's lock too: drop ours, take both in order, re-check. */
            peer = chn->remote_domid == d->domain_id ? d : domain_by_id(chn->remote_domid);
            if (peer && peer != d) {
                spin_unlock(&d->evtchn_lock);
                rd = peer;
                goto again;
            }
            rd = d;
            if (!peer) {
                /* Peer domain already gone: nothing to disconnect. */
                break;
            }
        } else if (rd->domain_id != chn->remote_domid) {
            /* Closed and re-bound elsewhere while unlocked: report as already closed. */
            rc = -XEN_EINVAL;
            goto out;
        }
        rchn = port_valid(chn->remote_port) ? &rd->evtchn[chn->remote_port] : NULL;
        if (rchn && rchn->state == ECS_INTERDOMAIN && rchn->remote_domid == d->domain_id &&
            rchn->remote_port == port) {
            rchn->state = ECS_UNBOUND;
            rchn->remote_domid = d->domain_id;
            rchn->remote_port = 0;
        }
        break;
    }

    default: /* ECS_FREE, ECS_RESERVED, ECS_PIRQ */
        rc = -XEN_EINVAL;
        goto out;
    }

    free_port(d, port);
out:
    if (rd)
        unlock_pair(d, rd);
    else
        spin_unlock(&d->evtchn_lock);
    return rc;
}

int evtchn_send(struct domain *d, uint32_t port)
{
    struct evtchn *chn;
    struct domain *rd;
    uint32_t rport;
    uint8_t consumer = 0;
    int rc = 0;

    if (!port_valid(port))
        return -XEN_EINVAL;
    chn = &d->evtchn[port];

    spin_lock(&d->evtchn_lock);
    switch (chn->state) {
    case ECS_IPI:
        evtchn_2l_set_pending(d, port);
        break;
    case ECS_UNBOUND:
        /* Nobody listening yet: dropped (bind_interdomain raises conservatively), unless ours. */
        consumer = chn->xen_consumer;
        break;
    case ECS_INTERDOMAIN:
        if (chn->remote_domid == d->domain_id) {
            evtchn_2l_set_pending(d, chn->remote_port);
            break;
        }
        rport = chn->remote_port;
        rd = domain_by_id(chn->remote_domid);
        spin_unlock(&d->evtchn_lock);
        if (!rd)
            return 0;
        /* Raise the peer under its own lock, after checking the pairing still holds. */
        spin_lock(&rd->evtchn_lock);
        if (port_valid(rport) && rd->evtchn[rport].state == ECS_INTERDOMAIN &&
            rd->evtchn[rport].remote_domid == d->domain_id && rd->evtchn[rport].remote_port == port)
            evtchn_2l_set_pending(rd, rport);
        spin_unlock(&rd->evtchn_lock);
        return 0;
    default: /* free, reserved, VIRQ, PIRQ */
        rc = -XEN_EINVAL;
        break;
    }
    spin_unlock(&d->evtchn_lock);

    if (consumer && consumer <= NR_XEN_CONSUMERS && xen_consumers[consumer - 1])
        xen_consumers[consumer - 1](d, port);
    return rc;
}

int evtchn_status(struct domain *d, struct evtchn_status *op)
{
    int err;
    struct domain *td = hypercall_target_domain(d, op->dom, &err);
    struct evtchn *chn;

    if (!td)
        return err;
    /* Port 0 exists (reserved) and reads as closed, as in Xen. */
    if (op->port >= NR_EVTCHN_2L)
        return -XEN_EINVAL;

    spin_lock(&td->evtchn_lock);
    chn = &td->evtchn[op->port];
    memset(&op->u, 0, sizeof(op->u));
    op->vcpu = chn->notify_vcpu;
    switch (chn->state) {
    case ECS_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = chn->remote_domid;
        break;
    case ECS_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = chn->remote_domid;
        op->u.interdomain.port = chn->remote_port;
        break;
    case ECS_PIRQ:
        op->status = EVTCHNSTAT_pirq;
        break;
    case ECS_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = chn->virq;
        break;
    case ECS_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    default:
        op->status = EVTCHNSTAT_closed;
        break;
    }
    spin_unlock(&td->evtchn_lock);
    return 0;
}

int evtchn_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu)
{
    struct evtchn *chn;
    int rc = 0;

    if (!domain_vcpu(d, vcpu))
        return -XEN_ENOENT;
    if (!port_valid(port))
        return -XEN_EINVAL;
    chn = &d->evtchn[port];

    spin_lock(&d->evtchn_lock);
    if (chn->xen_consumer) {
        rc = -XEN_EINVAL;
    } else {
        switch (chn->state) {
        case ECS_VIRQ:
            if (virq_is_global(chn->virq))
                chn->notify_vcpu = vcpu;
            else
                rc = -XEN_EINVAL;
            break;
        case ECS_UNBOUND:
        case ECS_INTERDOMAIN:
            chn->notify_vcpu = vcpu;
            break;
        default: /* IPIs stay on their vCPU; free/reserved ports have none */
            rc = -XEN_EINVAL;
            break;
        }
    }
    spin_unlock(&d->evtchn_lock);
    return rc;
}

int evtchn_unmask(struct domain *d, uint32_t port)
{
    if (!port_valid(port))
        return -XEN_EINVAL;
    spin_lock(&d->evtchn_lock);
    evtchn_2l_unmask(d, port);
    spin_unlock(&d->evtchn_lock);
    return 0;
}

int evtchn_port_poll(struct domain *d, uint32_t port)
{
    if (!port_valid(port))
        return -XEN_EINVAL;
    return evtchn_2l_is_pending(d, port) ? 1 : 0;
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    uint32_t port;

    if (virq >= NR_VIRQS || virq_is_global(virq))
        return;
    spin_lock(&d->evtchn_lock);
    port = v->virq_to_port[virq];
    if (port)
        evtchn_2l_set_pending(d, port);
    spin_unlock(&d->evtchn_lock);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    uint32_t port;

    if (!d || virq >= NR_VIRQS || !virq_is_global(virq))
        return;
    spin_lock(&d->evtchn_lock);
    port = d->virq_global_port[virq];
    if (port)
        evtchn_2l_set_pending(d, port);
    spin_unlock(&d->evtchn_lock);
}

/* Size of the argument struct of each supported sub-op (0 = not supported). */
static size_t evtchnop_arg_size(unsigned int cmd)
{
    switch (cmd) {
    case EVTCHNOP_bind_interdomain:
        return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:
        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_close:
        return sizeof(struct evtchn_close);
    case EVTCHNOP_send:
        return sizeof(struct evtchn_send);
    case EVTCHNOP_status:
        return sizeof(struct evtchn_status);
    case EVTCHNOP_alloc_unbound:
        return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_ipi:
        return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_bind_vcpu:
        return sizeof(struct evtchn_bind_vcpu);
    case EVTCHNOP_unmask:
        return sizeof(struct evtchn_unmask);
    default:
        return 0;
    }
}

long do_event_channel_op(struct vcpu *v, unsigned int cmd, uint64_t arg)
{
    struct domain *d = v->domain;
    union {
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
    } op;
    size_t size = evtchnop_arg_size(cmd);
    uint32_t new_port = 0;
    int rc;

    /*
     * bind_pirq: no PIRQs for PVH. reset, init_control (FIFO ABI), expand_array
     * and set_priority: -ENOSYS keeps Linux on the 2-level ABI.
     */
    if (!size)
        return -XEN_ENOSYS;
    if (copy_from_guest(v, &op, arg, size))
        return -XEN_EFAULT;

    switch (cmd) {
    case EVTCHNOP_bind_interdomain:
        rc = evtchn_bind_interdomain(d, &op.bind_interdomain);
        new_port = op.bind_interdomain.local_port;
        break;
    case EVTCHNOP_bind_virq:
        rc = evtchn_bind_virq(d, &op.bind_virq);
        new_port = op.bind_virq.port;
        break;
    case EVTCHNOP_close:
        return evtchn_close(d, op.close.port, true);
    case EVTCHNOP_send:
        return evtchn_send(d, op.send.port);
    case EVTCHNOP_status:
        rc = evtchn_status(d, &op.status);
        break;
    case EVTCHNOP_alloc_unbound: {
        int err;
        struct domain *td = hypercall_target_domain(d, op.alloc_unbound.dom, &err);

        rc = evtchn_alloc_unbound(d, &op.alloc_unbound);
        if (rc == 0 && copy_to_guest(v, arg, &op, size)) {
            /* Undo rather than leak a port the guest never learnt about. */
            evtchn_close(td, op.alloc_unbound.port, false);
            return -XEN_EFAULT;
        }
        return rc;
    }
    case EVTCHNOP_bind_ipi:
        rc = evtchn_bind_ipi(d, &op.bind_ipi);
        new_port = op.bind_ipi.port;
        break;
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(d, op.bind_vcpu.port, op.bind_vcpu.vcpu);
    case EVTCHNOP_unmask:
        return evtchn_unmask(d, op.unmask.port);
    default:
        return -XEN_ENOSYS;
    }

    if (rc)
        return rc;
    if (copy_to_guest(v, arg, &op, size)) {
        if (new_port)
            evtchn_close(d, new_port, false);
        return -XEN_EFAULT;
    }
    return 0;
}
