/* Unit tests for event_channel_op and 2-level delivery: good and hostile arguments per sub-op. */
// clang-format off
// SOURCES: hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/grant_table.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c
// clang-format on
#include "fake_hv.h"
#include "harness.h"

#include <public/event_channel.h>

/* Run EVTCHNOP cmd from v with op (of size sz) as argument; op receives what the hypervisor wrote.
 */
static long ev(struct vcpu *v, unsigned int cmd, void *op, size_t sz)
{
    long rc;

    memcpy(G(v->domain, GVA_ARG), op, sz);
    rc = hcall(v, __HYPERVISOR_event_channel_op, cmd, GVA_ARG, 0);
    memcpy(op, G(v->domain, GVA_ARG), sz);
    return rc;
}

static long alloc_unbound(struct vcpu *v, uint16_t dom, uint16_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound op = {.dom = dom, .remote_dom = remote, .port = 0xdead};
    long rc = ev(v, EVTCHNOP_alloc_unbound, &op, sizeof(op));

    *port = op.port;
    return rc;
}

static long bind_interdomain(struct vcpu *v, uint16_t rdom, uint32_t rport, uint32_t *port)
{
    struct evtchn_bind_interdomain op = {.remote_dom = rdom, .remote_port = rport};
    long rc = ev(v, EVTCHNOP_bind_interdomain, &op, sizeof(op));

    *port = op.local_port;
    return rc;
}

static long bind_virq(struct vcpu *v, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
    long rc = ev(v, EVTCHNOP_bind_virq, &op, sizeof(op));

    *port = op.port;
    return rc;
}

static long bind_ipi(struct vcpu *v, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_ipi op = {.vcpu = vcpu};
    long rc = ev(v, EVTCHNOP_bind_ipi, &op, sizeof(op));

    *port = op.port;
    return rc;
}

static long port_op(struct vcpu *v, unsigned int cmd, uint32_t port)
{
    struct evtchn_send op = {.port = port};

    return ev(v, cmd, &op, sizeof(op));
}

static long status(struct vcpu *v, uint16_t dom, uint32_t port, struct evtchn_status *out)
{
    memset(out, 0xa5, sizeof(*out));
    out->dom = dom;
    out->port = port;
    return ev(v, EVTCHNOP_status, out, sizeof(*out));
}

static long bind_vcpu(struct vcpu *v, uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = {.port = port, .vcpu = vcpu};

    return ev(v, EVTCHNOP_bind_vcpu, &op, sizeof(op));
}

static bool pending(struct domain *d, uint32_t p)
{
    return (SI(d)->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void set_mask(struct domain *d, uint32_t p, bool on)
{
    if (on)
        SI(d)->evtchn_mask[p / 64] |= 1ULL << (p % 64);
    else
        SI(d)->evtchn_mask[p / 64] &= ~(1ULL << (p % 64));
}

static void clear_pending(struct domain *d, uint32_t p)
{
    SI(d)->evtchn_pending[p / 64] &= ~(1ULL << (p % 64));
}

/* Forget every upcall flag and kick of d (what a guest handler plus a test reset would do). */
static void quiesce(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu_info *vi = vcpu_info_of(d->vcpus[i]);

        vi->evtchn_upcall_pending = 0;
        vi->evtchn_pending_sel = 0;
        d->vcpus[i]->kicked = false;
    }
}

static void test_loopback_self_store(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v = d0->vcpus[0];
    struct evtchn_status st;
    uint32_t p, q, x;

    /* dom0's local xenstore: an unbound port to itself, later bound by xenstored in dom0. */
    CHECK_EQ(alloc_unbound(v, DOMID_SELF, DOMID_SELF, &p), 0);
    CHECK(p >= 1 && p < 4096);
    CHECK_EQ(status(v, DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    CHECK_EQ(st.vcpu, 0);

    quiesce(d0);
    CHECK_EQ(bind_interdomain(v, DOMID_SELF, p, &q), 0);
    CHECK(q != p && q != 0);
    CHECK(pending(d0, q)); /* raised once, conservatively */
    CHECK(!pending(d0, p));
    CHECK_EQ(status(v, 0, q, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, 0);
    CHECK_EQ(st.u.interdomain.port, p);

    clear_pending(d0, q);
    CHECK_EQ(port_op(v, EVTCHNOP_send, q), 0);
    CHECK(pending(d0, p));
    CHECK(!pending(d0, q));
    clear_pending(d0, p);
    CHECK_EQ(port_op(v, EVTCHNOP_send, p), 0);
    CHECK(pending(d0, q));
    CHECK(!pending(d0, p));

    /* Binding the same unbound port twice fails: it is no longer unbound. */
    CHECK_EQ(bind_interdomain(v, DOMID_SELF, p, &x), -XEN_EINVAL);

    /* Closing one end leaves the other unbound, waiting for us again. */
    CHECK_EQ(port_op(v, EVTCHNOP_close, q), 0);
    CHECK_EQ(status(v, DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    CHECK_EQ(status(v, DOMID_SELF, q, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK(!pending(d0, q)); /* freed ports lose their pending bit */
    CHECK_EQ(port_op(v, EVTCHNOP_close, p), 0);
    CHECK_EQ(port_op(v, EVTCHNOP_close, p), -XEN_EINVAL); /* double close */
    fake_domain_destroy(d0);
}

static void test_port_bounds(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    struct evtchn_status st;
    const unsigned int cmds[] = {EVTCHNOP_send, EVTCHNOP_close, EVTCHNOP_unmask};

    for (unsigned int i = 0; i < (unsigned int)ARRAY_SIZE(cmds); i++) {
        CHECK_EQ(port_op(v, cmds[i], 0), -XEN_EINVAL);
        CHECK_EQ(port_op(v, cmds[i], 4096), -XEN_EINVAL);
        CHECK_EQ(port_op(v, cmds[i], 0xffffffffu), -XEN_EINVAL);
    }
    CHECK_EQ(bind_vcpu(v, 0, 0), -XEN_EINVAL);
    CHECK_EQ(bind_vcpu(v, 4096, 0), -XEN_EINVAL);
    CHECK_EQ(status(v, DOMID_SELF, 4096, &st), -XEN_EINVAL);
    /* Port 0 exists but is never usable: it reads as closed. */
    CHECK_EQ(status(v, DOMID_SELF, 0, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    /* A free port cannot be sent on or closed. */
    CHECK_EQ(port_op(v, EVTCHNOP_send, 5), -XEN_EINVAL);
    CHECK_EQ(port_op(v, EVTCHNOP_close, 5), -XEN_EINVAL);
    CHECK_EQ(bind_interdomain(v, 0, 0, &(uint32_t){0}), -XEN_ESRCH); /* no dom0 here */
    CHECK_EQ(bind_interdomain(v, DOMID_SELF, 0, &(uint32_t){0}), -XEN_EINVAL);
    CHECK_EQ(bind_interdomain(v, DOMID_SELF, 4096, &(uint32_t){0}), -XEN_EINVAL);
    fake_domain_destroy(d);
}

static void test_bind_virq(void)
{
    struct domain *d = fake_domain_create(0, 2, true);
    struct vcpu *v = d->vcpus[0];
    struct evtchn_status st;
    uint32_t t0, t1, dbg, con, again;

    CHECK_EQ(bind_virq(v, VIRQ_TIMER, 0, &t0), 0);
    CHECK_EQ(bind_virq(v, VIRQ_TIMER, 0, &again), -XEN_EEXIST);
    /* Per-vCPU: the same VIRQ may be bound once on each vCPU, including one never run. */
    CHECK_EQ(bind_virq(v, VIRQ_TIMER, 1, &t1), 0);
    CHECK(t1 != t0);
    CHECK_EQ(bind_virq(v, VIRQ_DEBUG, 1, &dbg), 0);
    CHECK_EQ(bind_virq(v, NR_VIRQS, 0, &again), -XEN_EINVAL);
    CHECK_EQ(bind_virq(v, 0xffffffffu, 0, &again), -XEN_EINVAL);
    CHECK_EQ(bind_virq(v, VIRQ_TIMER, 2, &again), -XEN_ENOENT);
    CHECK_EQ(bind_virq(v, VIRQ_TIMER, 0xffffffffu, &again), -XEN_ENOENT);
    /* Global VIRQs are bound on vCPU 0 (moved later with bind_vcpu), as in Xen. */
    CHECK_EQ(bind_virq(v, VIRQ_CONSOLE, 1, &again), -XEN_EINVAL);
    CHECK_EQ(bind_virq(v, VIRQ_CONSOLE, 0, &con), 0);
    CHECK_EQ(bind_virq(v, VIRQ_CONSOLE, 0, &again), -XEN_EEXIST);

    CHECK_EQ(status(v, DOMID_SELF, t1, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_virq);
    CHECK_EQ(st.u.virq, VIRQ_TIMER);
    CHECK_EQ(st.vcpu, 1);

    /* VIRQ ports are raised by the hypervisor only. */
    CHECK_EQ(port_op(v, EVTCHNOP_send, t0), -XEN_EINVAL);

    quiesce(d);
    send_guest_vcpu_virq(d->vcpus[1], VIRQ_TIMER);
    CHECK(pending(d, t1));
    CHECK(!pending(d, t0));
    CHECK(d->vcpus[1]->kicked);
    CHECK(!d->vcpus[0]->kicked);

    /* Closing frees the VIRQ for a new bind. */
    CHECK_EQ(port_op(v, EVTCHNOP_close, t1), 0);
    clear_pending(d, t1);
    send_guest_vcpu_virq(d->vcpus[1], VIRQ_TIMER);
    CHECK(!pending(d, t1));
    CHECK_EQ(bind_virq(v, VIRQ_TIMER, 1, &again), 0);
    CHECK_EQ(port_op(v, EVTCHNOP_close, con), 0);
    CHECK_EQ(bind_virq(v, VIRQ_CONSOLE, 0, &again), 0);
    fake_domain_destroy(d);
}

static void test_ipi_delivery(void)
{
    struct domain *d = fake_domain_create(2, 3, false);
    struct vcpu *v0 = d->vcpus[0], *v2 = d->vcpus[2];
    struct vcpu_info *vi2 = vcpu_info_of(v2), *vi0 = vcpu_info_of(v0);
    uint32_t p;
    unsigned int kicks;

    /* Use a port in word 1 so the selector bit is distinguishable from word 0. */
    for (unsigned int i = 0; i < 70; i++)
        CHECK_EQ(bind_ipi(v0, 0, &p), 0);
    CHECK_EQ(p, 70);
    CHECK_EQ(bind_ipi(v0, 2, &p), 0);
    CHECK_EQ(p, 71);
    CHECK_EQ(bind_ipi(v0, 3, &(uint32_t){0}), -XEN_ENOENT);

    quiesce(d);
    kicks = fake_kicks;
    CHECK_EQ(port_op(v0, EVTCHNOP_send, p), 0);
    CHECK(pending(d, p));
    CHECK_EQ(vi2->evtchn_pending_sel, 1ULL << 1);
    CHECK_EQ(vi2->evtchn_upcall_pending, 1);
    CHECK(v2->kicked);
    CHECK(!v0->kicked);
    CHECK_EQ(vi0->evtchn_upcall_pending, 0);
    CHECK_EQ(vi0->evtchn_pending_sel, 0);
    CHECK_EQ(fake_kicks, kicks + 1);

    /* Already pending: a second send changes nothing and does not kick again. */
    CHECK_EQ(port_op(v0, EVTCHNOP_send, p), 0);
    CHECK_EQ(fake_kicks, kicks + 1);

    /* Guest acked the port but not the upcall: a new send sets the selector but does not re-kick.
     */
    clear_pending(d, p);
    vi2->evtchn_pending_sel = 0;
    CHECK_EQ(port_op(v0, EVTCHNOP_send, p), 0);
    CHECK_EQ(vi2->evtchn_pending_sel, 1ULL << 1);
    CHECK_EQ(fake_kicks, kicks + 1);

    /* IPIs cannot move to another vCPU. */
    CHECK_EQ(bind_vcpu(v0, p, 0), -XEN_EINVAL);
    fake_domain_destroy(d);
}

static void test_mask_unmask(void)
{
    struct domain *d = fake_domain_create(1, 2, false);
    struct vcpu *v0 = d->vcpus[0], *v1 = d->vcpus[1];
    struct vcpu_info *vi1 = vcpu_info_of(v1);
    uint32_t p;

    CHECK_EQ(bind_ipi(v0, 1, &p), 0);
    quiesce(d);
    set_mask(d, p, true);
    CHECK_EQ(port_op(v0, EVTCHNOP_send, p), 0);
    CHECK(pending(d, p));
    CHECK_EQ(vi1->evtchn_pending_sel, 0);
    CHECK_EQ(vi1->evtchn_upcall_pending, 0);
    CHECK(!v1->kicked);

    /* Unmasking a pending port re-raises it on its vCPU. */
    CHECK_EQ(port_op(v0, EVTCHNOP_unmask, p), 0);
    CHECK(!(SI(d)->evtchn_mask[0] & (1ULL << p)));
    CHECK_EQ(vi1->evtchn_pending_sel, 1);
    CHECK_EQ(vi1->evtchn_upcall_pending, 1);
    CHECK(v1->kicked);
    CHECK(!v0->kicked);

    /* Unmasking an already unmasked port does nothing. */
    quiesce(d);
    CHECK_EQ(port_op(v0, EVTCHNOP_unmask, p), 0);
    CHECK_EQ(vi1->evtchn_pending_sel, 0);
    CHECK(!v1->kicked);

    /* Unmasking a masked port that is not pending raises nothing. */
    clear_pending(d, p);
    set_mask(d, p, true);
    CHECK_EQ(port_op(v0, EVTCHNOP_unmask, p), 0);
    CHECK_EQ(vi1->evtchn_upcall_pending, 0);
    CHECK(!v1->kicked);
    fake_domain_destroy(d);
}

static void test_unbound_send_and_perms(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct vcpu *v0 = d0->vcpus[0], *v1 = d1->vcpus[0];
    struct evtchn_status st;
    uint32_t p, q;

    /* A send on an unbound port is dropped silently. */
    CHECK_EQ(alloc_unbound(v1, DOMID_SELF, 0, &p), 0);
    quiesce(d1);
    CHECK_EQ(port_op(v1, EVTCHNOP_send, p), 0);
    CHECK(!pending(d1, p));
    CHECK(!d1->vcpus[0]->kicked);

    /* Only a privileged domain may allocate in, or look at, another domain. */
    CHECK_EQ(alloc_unbound(v1, 0, 0, &q), -XEN_EPERM);
    CHECK_EQ(alloc_unbound(v1, 9, 0, &q), -XEN_ESRCH);
    CHECK_EQ(status(v1, 0, 1, &st), -XEN_EPERM);
    CHECK_EQ(alloc_unbound(v0, 1, DOMID_SELF, &q), 0); /* remote SELF = the caller, dom0 */
    CHECK_EQ(status(v0, 1, q, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    CHECK_EQ(status(v1, DOMID_SELF, q, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(alloc_unbound(v0, DOMID_SELF, DOMID_IO, &q), -XEN_EINVAL);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_interdomain(void)
{
    struct domain *d0 = fake_domain_create(0, 2, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct domain *d2 = fake_domain_create(2, 1, false);
    struct vcpu *v0 = d0->vcpus[0], *v1 = d1->vcpus[0], *v2 = d2->vcpus[0];
    struct evtchn_status st;
    uint32_t p1, q0, x;

    /* A frontend in d1 offers a port to backend dom0. */
    CHECK_EQ(alloc_unbound(v1, DOMID_SELF, 0, &p1), 0);
    /* Somebody else may not take it. */
    CHECK_EQ(bind_interdomain(v2, 1, p1, &x), -XEN_EINVAL);
    CHECK_EQ(bind_interdomain(v0, 1, p1, &q0), 0);
    CHECK_EQ(status(v0, DOMID_SELF, q0, &st), 0);
    CHECK_EQ(st.u.interdomain.dom, 1);
    CHECK_EQ(st.u.interdomain.port, p1);

    /* Notifications flow both ways and land on the notify vCPU (bind_vcpu moves them). */
    CHECK_EQ(bind_vcpu(v0, q0, 1), 0);
    clear_pending(d0, q0);
    quiesce(d0);
    CHECK_EQ(port_op(v1, EVTCHNOP_send, p1), 0);
    CHECK(pending(d0, q0));
    CHECK(d0->vcpus[1]->kicked);
    CHECK(!d0->vcpus[0]->kicked);
    CHECK_EQ(port_op(v0, EVTCHNOP_send, q0), 0);
    CHECK(pending(d1, p1));
    CHECK(!pending(d2, p1));

    /* Closing the frontend end makes the backend end unbound, waiting for d1. */
    CHECK_EQ(port_op(v1, EVTCHNOP_close, p1), 0);
    CHECK_EQ(status(v0, DOMID_SELF, q0, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 1);
    CHECK_EQ(port_op(v0, EVTCHNOP_send, q0), 0); /* now unbound: dropped */

    /* Rebind from d1 to dom0's now-unbound port, then destroy d1: dom0's end becomes unbound. */
    CHECK_EQ(bind_interdomain(v1, 0, q0, &p1), 0);
    fake_domain_destroy(d1);
    CHECK_EQ(status(v0, DOMID_SELF, q0, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    fake_domain_destroy(d2);
    fake_domain_destroy(d0);
}

static void test_bind_vcpu(void)
{
    struct domain *d = fake_domain_create(0, 2, true);
    struct vcpu *v = d->vcpus[0];
    uint32_t u, t, c;

    CHECK_EQ(alloc_unbound(v, DOMID_SELF, 0, &u), 0);
    CHECK_EQ(bind_virq(v, VIRQ_TIMER, 0, &t), 0);
    CHECK_EQ(bind_virq(v, VIRQ_CONSOLE, 0, &c), 0);
    CHECK_EQ(bind_vcpu(v, u, 1), 0);
    CHECK_EQ(bind_vcpu(v, u, 2), -XEN_ENOENT);
    CHECK_EQ(bind_vcpu(v, t, 1), -XEN_EINVAL); /* per-vCPU VIRQ */
    CHECK_EQ(bind_vcpu(v, c, 1), 0);           /* global VIRQ may move */
    CHECK_EQ(bind_vcpu(v, 100, 1), -XEN_EINVAL);

    /* Global VIRQ delivered to its (moved) notify vCPU: console input for dom0. */
    quiesce(d);
    console_notify_dom0();
    CHECK(pending(d, c));
    CHECK(d->vcpus[1]->kicked);
    CHECK(!d->vcpus[0]->kicked);
    CHECK_EQ(vcpu_info_of(d->vcpus[1])->evtchn_pending_sel, 1ULL << (c / 64));
    fake_domain_destroy(d);
}

static void test_enosys_and_faults(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    const unsigned int nosys[] = {EVTCHNOP_bind_pirq,
                                  EVTCHNOP_reset,
                                  EVTCHNOP_init_control,
                                  EVTCHNOP_expand_array,
                                  EVTCHNOP_set_priority,
                                  14,
                                  0xffffffffu};
    uint32_t p;

    for (unsigned int i = 0; i < (unsigned int)ARRAY_SIZE(nosys); i++)
        CHECK_EQ(hcall(v, __HYPERVISOR_event_channel_op, nosys[i], GVA_ARG, 0), -XEN_ENOSYS);
    CHECK_EQ(hcall(v, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, GVA_HOLE, 0), -XEN_EFAULT);
    CHECK_EQ(hcall(v, __HYPERVISOR_event_channel_op, EVTCHNOP_send, GVA_END - 2, 0), -XEN_EFAULT);
    CHECK_EQ(hcall(v, __HYPERVISOR_event_channel_op, EVTCHNOP_status, ~0ULL - 3, 0), -XEN_EFAULT);
    /* A struct that straddles into the hole: copy-out fails, the port is not leaked. */
    CHECK_EQ(hcall(v, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, GVA_HOLE - 4, 0),
             -XEN_EFAULT);
    CHECK_EQ(bind_ipi(v, 0, &p), 0);
    CHECK_EQ(p, 1);
    fake_domain_destroy(d);
}

static void test_port_exhaustion(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    uint32_t p = 0;
    unsigned int n = 0;

    while (bind_ipi(v, 0, &p) == 0)
        n++;
    CHECK_EQ(n, 4095); /* ports 1..4095 */
    CHECK_EQ(bind_ipi(v, 0, &p), -XEN_ENOSPC);
    CHECK_EQ(alloc_unbound(v, DOMID_SELF, 0, &p), -XEN_ENOSPC);
    CHECK_EQ(port_op(v, EVTCHNOP_close, 1234), 0);
    CHECK_EQ(bind_ipi(v, 0, &p), 0);
    CHECK_EQ(p, 1234);
    fake_domain_destroy(d);
}

static uint32_t consumer_port;
static struct domain *consumer_dom;
static void consumer(struct domain *d, uint32_t port)
{
    consumer_dom = d;
    consumer_port = port;
}

static void test_xen_consumer(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v = d->vcpus[0];
    int p = evtchn_alloc_xen_port(d, consumer);
    int b = evtchn_alloc_unbound_port(d, 0);
    uint32_t x;

    CHECK(p > 0);
    CHECK(b > 0 && b != p);
    CHECK_EQ(port_op(v, EVTCHNOP_send, (uint32_t)p), 0);
    CHECK(consumer_dom == d);
    CHECK_EQ(consumer_port, (uint32_t)p);
    /* The guest may not close or move a hypervisor-owned port, nor anyone bind to it. */
    CHECK_EQ(port_op(v, EVTCHNOP_close, (uint32_t)p), -XEN_EINVAL);
    CHECK_EQ(bind_vcpu(v, (uint32_t)p, 0), -XEN_EINVAL);
    CHECK_EQ(bind_interdomain(d0->vcpus[0], 1, (uint32_t)p, &x), -XEN_EINVAL);
    /* The backend side raises it towards the guest. */
    quiesce(d);
    evtchn_notify_xen_port(d, (uint32_t)p);
    CHECK(pending(d, (uint32_t)p));
    CHECK(v->kicked);
    /* A builder-made port is an ordinary guest port the backend domain can bind. */
    CHECK_EQ(bind_interdomain(d0->vcpus[0], 1, (uint32_t)b, &x), 0);
    fake_domain_destroy(d0);
    fake_domain_destroy(d);
}

TEST_MAIN("event_channel", TEST(test_loopback_self_store), TEST(test_port_bounds),
          TEST(test_bind_virq), TEST(test_ipi_delivery), TEST(test_mask_unmask),
          TEST(test_unbound_send_and_perms), TEST(test_interdomain), TEST(test_bind_vcpu),
          TEST(test_enosys_and_faults), TEST(test_port_exhaustion), TEST(test_xen_consumer))
