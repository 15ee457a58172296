/* vcpu_op: vcpu_info placement, runstate area, single-shot timers, and runstate accounting. */
#include <hv/hypercall.h>
#include <hv/event.h>
#include <hv/pvclock.h>
#include <hv/guest_access.h>
#include <hv/frame.h>
#include <hv/physmap.h>
#include <hv/lib.h>
#include <hv/domctl.h>
#include <public/errno.h>
#include <public/vcpu.h>

/* Copy of v's runstate with the time in the current state counted up to now. */
static void runstate_snapshot(struct vcpu *v, struct vcpu_runstate_info *r)
{
    uint64_t now = guest_system_time();

    memset(r, 0, sizeof(*r));
    r->state = v->runstate;
    r->state_entry_time = v->runstate_entry_ns;
    for (unsigned int i = 0; i < 4; i++)
        r->time[i] = v->runstate_time[i];
    if (v->runstate >= 0 && v->runstate < 4 && now > v->runstate_entry_ns)
        r->time[v->runstate] += now - v->runstate_entry_ns;
}

/*
 * Write v's runstate to the registered area through writer's page tables.
 * With VMASST_TYPE_runstate_update_flag the guest sees XEN_RUNSTATE_UPDATE in
 * state_entry_time while the record is inconsistent; only the top byte of
 * that field is written to raise and drop the flag, so it never tears.
 */
static void write_runstate_area(struct vcpu *writer, struct vcpu *v)
{
    struct vcpu_runstate_info r;
    uint64_t gva = v->runstate_gva;
    uint64_t top = gva + offsetof(struct vcpu_runstate_info, state_entry_time) + 7;
    bool flag = __atomic_load_n(&v->domain->vm_assist, __ATOMIC_RELAXED) &
                (1U << VMASST_TYPE_runstate_update_flag);
    uint8_t b;

    if (!gva)
        return;
    runstate_snapshot(v, &r);
    if (flag) {
        b = (uint8_t)((r.state_entry_time | XEN_RUNSTATE_UPDATE) >> 56);
        if (copy_to_guest(writer, top, &b, 1))
            return;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        r.state_entry_time |= XEN_RUNSTATE_UPDATE;
    }
    /* Failures are ignored: the area is advisory (steal time) and may be unmapped for now. */
    copy_to_guest(writer, gva, &r, sizeof(r));
    if (flag) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        b = (uint8_t)((r.state_entry_time & ~XEN_RUNSTATE_UPDATE) >> 56);
        copy_to_guest(writer, top, &b, 1);
    }
}

void vcpu_runstate_change(struct vcpu *v, int new_state)
{
    uint64_t now = guest_system_time();

    if (new_state < RUNSTATE_running || new_state > RUNSTATE_offline || new_state == v->runstate)
        return;
    if (v->runstate >= 0 && v->runstate < 4 && now > v->runstate_entry_ns)
        v->runstate_time[v->runstate] += now - v->runstate_entry_ns;
    v->runstate = new_state;
    v->runstate_entry_ns = now;
    write_runstate_area(v, v);
}

/*
 * VCPUOP_register_vcpu_info for v, issued by cur. Moves v's vcpu_info from
 * its shared_info slot into guest frame gfn at offset. Allowed once per vCPU,
 * for the caller itself or for a vCPU that is not running (AP bring-up).
 */
static int register_vcpu_info(struct vcpu *cur, struct vcpu *v, uint64_t gfn, uint32_t offset)
{
    struct domain *d = v->domain;
    struct vcpu_info *old, *new;
    uint64_t mfn;

    if (offset > PAGE_SIZE - sizeof(struct vcpu_info) || (offset & 7))
        return -XEN_EINVAL;
    if (v != cur && v->online)
        return -XEN_EINVAL;
    if (v->vcpu_info_registered)
        return -XEN_EBUSY;
    /*
     * We keep a host pointer into this (writable) frame: a frame reference keeps it allocated
     * while the domain lives, even if the guest gives the frame back (memory_domain_teardown()
     * drops it).
     */
    if (physmap_get_page(d, gfn, PHYSMAP_PRESENT, true, &mfn) < 0)
        return -XEN_EINVAL;
    new = (struct vcpu_info *)((uintptr_t)(mfn << PAGE_SHIFT) + offset);

    spin_lock(&d->evtchn_lock);
    if (v->vcpu_info_registered) {
        spin_unlock(&d->evtchn_lock);
        frame_put(mfn);
        return -XEN_EBUSY;
    }
    old = vcpu_info_of(v);
    if (old) {
        memmove(new, old, sizeof(*new));
    } else {
        /* No legacy slot (vCPU >= 32): start masked and empty, as Xen does. */
        memset(new, 0, sizeof(*new));
        new->evtchn_upcall_mask = 1;
    }
    __atomic_store_n((struct vcpu_info **)&v->vcpu_info, new, __ATOMIC_RELEASE);
    v->vcpu_info_registered = true;
    /* Anything raised into the old area must not be lost: claim everything is pending. */
    __atomic_store_n(&new->evtchn_pending_sel, ~0ULL, __ATOMIC_SEQ_CST);
    __atomic_store_n(&new->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    spin_unlock(&d->evtchn_lock);

    update_vcpu_system_time(v);
    vcpu_kick(v);
    return 0;
}

static void singleshot_expired(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

static void periodic_expired(void *data)
{
    struct vcpu *v = data;

    send_guest_vcpu_virq(v, VIRQ_TIMER);
    if (v->periodic_ns)
        timer_set(&v->periodic, now_ns() + v->periodic_ns);
}

static void poll_timeout(void *data)
{
    struct vcpu *v = data;
    struct domain *d = v->domain;
    uint64_t bit = 1ULL << v->vcpu_id;

    if (__atomic_fetch_and(&d->poll_mask, ~bit, __ATOMIC_SEQ_CST) & bit) {
        v->polling = false;
        vcpu_kick(v);
    }
}

void vcpu_timer_follow(struct vcpu *v, struct timer *t)
{
    if (t->cpu == v->processor)
        return;
    /* Off every list once stopped, so the owner can change (a concurrent expiry only raises). */
    timer_stop(t);
    t->cpu = v->processor;
}

/* Arm v's single-shot timer for guest system time deadline; a passed deadline fires now. */
static int set_singleshot(struct vcpu *v, uint64_t deadline, uint32_t flags)
{
    uint64_t now = guest_system_time();

    if (deadline < now && (flags & VCPU_SSHOTTMR_future))
        return -XEN_ETIME;
    if (deadline <= now) {
        timer_stop(&v->singleshot);
        send_guest_vcpu_virq(v, VIRQ_TIMER);
        return 0;
    }
    vcpu_timer_follow(v, &v->singleshot);
    timer_set(&v->singleshot, guest_time_to_host_ns(deadline));
    return 0;
}

long do_set_timer_op(struct vcpu *v, uint64_t timeout)
{
    uint64_t now;

    if (timeout == 0) {
        timer_stop(&v->singleshot);
        return 0;
    }
    now = guest_system_time();
    /*
     * As Xen: a deadline wrapped negative or more than 2^50 ns (~13 days)
     * ahead comes from jiffies wrap in old guests; fire in 100 ms instead.
     */
    if ((int64_t)timeout < 0 || (timeout > now && ((timeout - now) >> 50) != 0))
        timeout = now + 100000000ULL;
    return set_singleshot(v, timeout, 0);
}

long do_vcpu_op(struct vcpu *cur, unsigned int cmd, unsigned int vcpuid, uint64_t arg)
{
    struct domain *d = cur->domain;
    struct vcpu *v = domain_vcpu(d, vcpuid);

    if (!v)
        return -XEN_ENOENT;

    switch (cmd) {
    case VCPUOP_register_vcpu_info: {
        struct vcpu_register_vcpu_info info;

        if (copy_from_guest(cur, &info, arg, sizeof(info)))
            return -XEN_EFAULT;
        return register_vcpu_info(cur, v, info.mfn, info.offset);
    }

    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area area;
        struct vcpu_runstate_info r;

        if (copy_from_guest(cur, &area, arg, sizeof(area)))
            return -XEN_EFAULT;
        v->runstate_gva = area.addr;
        if (area.addr) {
            /* The address is in the caller's address space: write the first copy through it. */
            runstate_snapshot(v, &r);
            copy_to_guest(cur, area.addr, &r, sizeof(r));
        }
        return 0;
    }

    case VCPUOP_get_runstate_info: {
        struct vcpu_runstate_info r;

        runstate_snapshot(v, &r);
        return copy_to_guest(cur, arg, &r, sizeof(r)) ? -XEN_EFAULT : 0;
    }

    case VCPUOP_is_up:
        return v->online ? 1 : 0;

    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer set;

        if (copy_from_guest(cur, &set, arg, sizeof(set)))
            return -XEN_EFAULT;
        if (set.period_ns < 1000000ULL) /* Xen refuses periods under 1 ms */
            return -XEN_EINVAL;
        v->periodic_ns = set.period_ns;
        timer_set(&v->periodic, now_ns() + set.period_ns);
        return 0;
    }

    case VCPUOP_stop_periodic_timer:
        /* HVM/PVH vCPUs start without a periodic timer; stop the one set_periodic armed. */
        v->periodic_ns = 0;
        timer_stop(&v->periodic);
        return 0;

    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer set;

        if (v != cur)
            return -XEN_EINVAL;
        if (copy_from_guest(cur, &set, arg, sizeof(set)))
            return -XEN_EFAULT;
        return set_singleshot(v, set.timeout_abs_ns, set.flags);
    }

    case VCPUOP_stop_singleshot_timer:
        if (v != cur)
            return -XEN_EINVAL;
        timer_stop(&v->singleshot);
        return 0;

    /*
     * initialise/up/down (Linux starts APs with INIT/SIPI; other PVH guests use these). The
     * toolstack lock serialises them with XEN_DOMCTL_sethvmcontext.
     */
    case VCPUOP_initialise: {
        struct vcpu_hvm_context ctx;
        long rc;

        if (!v->vcpu_info)
            return -XEN_EINVAL; /* Xen: a vCPU >= 32 needs its vcpu_info placed first */
        if (copy_from_guest(cur, &ctx, arg, sizeof(ctx)))
            return -XEN_EFAULT;
        domctl_lock();
        rc = arch_vcpu_initialise(v, &ctx);
        domctl_unlock();
        return rc;
    }

    case VCPUOP_up:
    case VCPUOP_down: {
        long rc;

        domctl_lock();
        rc = cmd == VCPUOP_up ? arch_vcpu_up(v) : arch_vcpu_down(v);
        domctl_unlock();
        return rc;
    }

    /*
     * send_nmi, get_physid, the time area (no vDSO pvclock) and the 4.18 physical-address
     * areas are not offered.
     */
    default:
        return -XEN_ENOSYS;
    }
}

void hypercall_vcpu_init(struct vcpu *v)
{
    spin_lock_init(&v->time_lock);
    /* The shared_info slot until VCPUOP_register_vcpu_info; vCPUs >= 32 have none. */
    v->vcpu_info = NULL;
    v->vcpu_info = vcpu_info_of(v);
    v->vcpu_info_registered = false;
    v->runstate_gva = 0;
    v->runstate = v->online ? RUNSTATE_running : RUNSTATE_offline;
    v->runstate_entry_ns = guest_system_time();
    for (unsigned int i = 0; i < 4; i++)
        v->runstate_time[i] = 0;
    for (unsigned int i = 0; i < NR_VIRQS; i++)
        v->virq_to_port[i] = 0;
    v->poll_deadline = 0;
    v->poll_port = -1;
    v->polling = false;
    timer_init(&v->singleshot, singleshot_expired, v, v->processor);
    timer_init(&v->poll_timer, poll_timeout, v, v->processor);
    timer_init(&v->periodic, periodic_expired, v, v->processor);
    v->periodic_ns = 0;
    update_vcpu_system_time(v);
}
