/* sched_op: yield, block, poll, shutdown; the guest-visible side of scheduling. */
#include <hv/hypercall.h>
#include <hv/event.h>
#include <hv/pvclock.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/sched.h>

#define POLL_MAX_PORTS 128 /* same (arbitrary) limit as Xen */

static bool upcall_pending(struct vcpu *v)
{
    struct vcpu_info *vi = vcpu_info_of(v);

    return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

/* Stop polling (if still polling); returns whether v was still registered as a poller. */
static bool poll_end(struct vcpu *v)
{
    uint64_t bit = 1ULL << v->vcpu_id;
    bool was = __atomic_fetch_and(&v->domain->poll_mask, ~bit, __ATOMIC_SEQ_CST) & bit;

    v->polling = false;
    v->poll_port = -1;
    v->poll_deadline = 0;
    return was;
}

/*
 * SCHEDOP_poll for the calling vCPU v with ports[] already copied in.
 * Returns at once if a listed port is pending or an upcall is pending;
 * otherwise registers v as a poller and blocks it: a raise of a listed port
 * (masked or not), any new upcall (vcpu_kick) or the timeout wakes it.
 */
static int poll_ports(struct vcpu *v, const uint32_t *ports, unsigned int nr, uint64_t timeout)
{
    struct domain *d = v->domain;
    int rc;

    v->poll_port = nr == 1 ? (int32_t)ports[0] : -1;
    v->poll_deadline = timeout;
    v->polling = true;
    /* Register before checking, so a raise between the check and the block still wakes us. */
    __atomic_fetch_or(&d->poll_mask, 1ULL << v->vcpu_id, __ATOMIC_SEQ_CST);

    /* An upcall that is already pending is not re-kicked: don't sleep through it. */
    if (upcall_pending(v)) {
        poll_end(v);
        return 0;
    }
    for (unsigned int i = 0; i < nr; i++) {
        rc = evtchn_port_poll(d, ports[i]);
        if (rc) {
            poll_end(v);
            return rc > 0 ? 0 : rc;
        }
    }
    if (timeout && timeout <= guest_system_time()) {
        poll_end(v);
        return 0;
    }

    vcpu_block(v);
    if (timeout) {
        vcpu_timer_follow(v, &v->poll_timer);
        timer_set(&v->poll_timer, guest_time_to_host_ns(timeout));
    }
    /* A waker may have cleared our bit before we blocked: make sure we do not stay asleep. */
    if (!(__atomic_load_n(&d->poll_mask, __ATOMIC_SEQ_CST) & (1ULL << v->vcpu_id)))
        vcpu_kick(v);
    return 0;
}

static long sched_shutdown(struct domain *d, uint32_t reason)
{
    if (reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    if (d->shutdown_code >= 0)
        reason = (uint32_t)d->shutdown_code;
    domain_shutdown(d, reason);
    return 0;
}

long do_sched_op(struct vcpu *v, unsigned int cmd, uint64_t arg)
{
    struct domain *d = v->domain;

    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield();
        return 0;

    case SCHEDOP_block:
        vcpu_block(v);
        /* Events already pending would not kick again: undo the block. */
        if (upcall_pending(v))
            vcpu_kick(v);
        return 0;

    case SCHEDOP_shutdown: {
        struct sched_shutdown s;

        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        return sched_shutdown(d, s.reason);
    }

    case SCHEDOP_shutdown_code: {
        struct sched_shutdown s;

        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        d->shutdown_code = (int)s.reason;
        return 0;
    }

    case SCHEDOP_poll: {
        struct sched_poll p;
        uint32_t ports[POLL_MAX_PORTS];

        if (copy_from_guest(v, &p, arg, sizeof(p)))
            return -XEN_EFAULT;
        if (p.nr_ports > POLL_MAX_PORTS)
            return -XEN_EINVAL;
        if (p.nr_ports && copy_from_guest(v, ports, p.ports, p.nr_ports * sizeof(uint32_t)))
            return -XEN_EFAULT;
        return poll_ports(v, ports, p.nr_ports, p.timeout);
    }

    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown rs;
        struct domain *td;

        if (!d->is_privileged)
            return -XEN_EPERM;
        if (copy_from_guest(v, &rs, arg, sizeof(rs)))
            return -XEN_EFAULT;
        td = rs.domain_id == DOMID_SELF ? d : domain_by_id(rs.domain_id);
        if (!td)
            return -XEN_ESRCH;
        return sched_shutdown(td, rs.reason);
    }

    /* watchdog (xen_wdt module only) and pin_override (two Dell SMM drivers) are not offered. */
    default:
        return -XEN_ENOSYS;
    }
}

void sched_poll_cancel(struct vcpu *v)
{
    if (v->polling && poll_end(v))
        timer_stop(&v->poll_timer);
}
