/* Hypercall dispatch table (privilege checked once, here), vm_assist, per-domain state. */
#include <hv/hypercall.h>
#include <hv/domctl.h>
#include <hv/event.h>
#include <hv/pvclock.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/hvm/params.h>
#include <public/vcpu.h>

/* Assists a PVH guest may enable: only the runstate update flag. */
#define VM_ASSIST_ALLOWED (1U << VMASST_TYPE_runstate_update_flag)

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t a[5]);

struct hypercall_entry {
    hypercall_fn fn; /* NULL: not implemented (-ENOSYS) */
    bool privileged; /* only a privileged domain (dom0) may call it; others get -EPERM */
};

struct domain *hypercall_target_domain(struct domain *cur, uint16_t domid, int *err)
{
    struct domain *d;

    if (domid == DOMID_SELF || domid == cur->domain_id)
        return cur;
    d = domid < DOMID_FIRST_RESERVED ? domain_by_id(domid) : NULL;
    if (!d) {
        *err = -XEN_ESRCH;
        return NULL;
    }
    if (!cur->is_privileged) {
        *err = -XEN_EPERM;
        return NULL;
    }
    return d;
}

long do_vm_assist(struct vcpu *v, unsigned int cmd, unsigned int type)
{
    struct domain *d = v->domain;

    if (type >= 32 || !(VM_ASSIST_ALLOWED & (1U << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        __atomic_fetch_or(&d->vm_assist, 1U << type, __ATOMIC_SEQ_CST);
        return 0;
    case VMASST_CMD_disable:
        __atomic_fetch_and(&d->vm_assist, ~(1U << type), __ATOMIC_SEQ_CST);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* Adapters from the six argument registers to each family's typed entry point. */
static long hc_memory_op(struct vcpu *v, const uint64_t a[5])
{
    return do_memory_op(v, a[0], a[1]);
}

static long hc_set_timer_op(struct vcpu *v, const uint64_t a[5])
{
    return do_set_timer_op(v, a[0]);
}

static long hc_xen_version(struct vcpu *v, const uint64_t a[5])
{
    return do_xen_version(v, (unsigned int)a[0], a[1]);
}

static long hc_console_io(struct vcpu *v, const uint64_t a[5])
{
    return do_console_io(v, (unsigned int)a[0], (unsigned int)a[1], a[2]);
}

static long hc_grant_table_op(struct vcpu *v, const uint64_t a[5])
{
    return do_grant_table_op(v, (unsigned int)a[0], a[1], (unsigned int)a[2]);
}

static long hc_vm_assist(struct vcpu *v, const uint64_t a[5])
{
    return do_vm_assist(v, (unsigned int)a[0], (unsigned int)a[1]);
}

static long hc_vcpu_op(struct vcpu *v, const uint64_t a[5])
{
    return do_vcpu_op(v, (unsigned int)a[0], (unsigned int)a[1], a[2]);
}

static long hc_sched_op(struct vcpu *v, const uint64_t a[5])
{
    return do_sched_op(v, (unsigned int)a[0], a[1]);
}

static long hc_event_channel_op(struct vcpu *v, const uint64_t a[5])
{
    return do_event_channel_op(v, (unsigned int)a[0], a[1]);
}

static long hc_hvm_op(struct vcpu *v, const uint64_t a[5])
{
    return do_hvm_op(v, (unsigned int)a[0], a[1]);
}

static long hc_platform_op(struct vcpu *v, const uint64_t a[5])
{
    return do_platform_op(v, a[0]);
}

static long hc_sysctl(struct vcpu *v, const uint64_t a[5])
{
    return do_sysctl(v, a[0]);
}

static long hc_domctl(struct vcpu *v, const uint64_t a[5])
{
    return do_domctl(v, a[0]);
}

/* A dom0 kernel tolerates -ENOSYS from every physdev_op it tries. */
static long hc_not_yet(struct vcpu *v, const uint64_t a[5])
{
    (void)v;
    (void)a;
    return -XEN_ENOSYS;
}

static const struct hypercall_entry table[NR_HYPERCALLS] = {
    [__HYPERVISOR_platform_op] = {hc_platform_op, true},
    [__HYPERVISOR_memory_op] = {hc_memory_op, false},
    [__HYPERVISOR_set_timer_op] = {hc_set_timer_op, false},
    [__HYPERVISOR_xen_version] = {hc_xen_version, false},
    [__HYPERVISOR_console_io] = {hc_console_io, false},
    [__HYPERVISOR_grant_table_op] = {hc_grant_table_op, false},
    [__HYPERVISOR_vm_assist] = {hc_vm_assist, false},
    [__HYPERVISOR_vcpu_op] = {hc_vcpu_op, false},
    [__HYPERVISOR_sched_op] = {hc_sched_op, false},
    [__HYPERVISOR_event_channel_op] = {hc_event_channel_op, false},
    [__HYPERVISOR_physdev_op] = {hc_not_yet, false},
    [__HYPERVISOR_hvm_op] = {hc_hvm_op, false},
    /* Toolstack interfaces: privileged (sysctl.c, domctl.c; the others later). */
    [__HYPERVISOR_sysctl] = {hc_sysctl, true},
    [__HYPERVISOR_domctl] = {hc_domctl, true},
    [__HYPERVISOR_kexec_op] = {NULL, true},
    [__HYPERVISOR_dm_op] = {NULL, true},
};

long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t args[5])
{
    const struct hypercall_entry *e;

    if (nr >= NR_HYPERCALLS)
        return -XEN_ENOSYS;
    e = &table[nr];
    if (e->privileged && !v->domain->is_privileged)
        return -XEN_EPERM;
    if (!e->fn)
        return -XEN_ENOSYS;
    /*
     * A vCPU making a hypercall is running and no longer polling. This also
     * moves a vCPU out of RUNSTATE_offline on its first hypercall if the run
     * loop did not report that it started (offline time counts as steal).
     */
    sched_poll_cancel(v);
    if (unlikely(v->runstate != RUNSTATE_running))
        vcpu_runstate_change(v, RUNSTATE_running);
    return e->fn(v, args);
}

void hypercall_domain_init(struct domain *d)
{
    spin_lock_init(&d->grant_lock);
    spin_lock_init(&d->e820_lock);
    evtchn_domain_init(d);
    d->shared_info_gfn = INVALID_GFN_RAW;
    d->nr_grant_frames = 0;
    for (unsigned int i = 0; i < GRANT_MAX_FRAMES; i++) {
        d->grant_frames[i] = NULL;
        d->grant_frame_gfn[i] = INVALID_GFN_RAW;
    }
    d->shutdown_code = -1;
    d->vm_assist = 0;
    /* Xen's default for every HVM domain: a triple fault reboots it. */
    d->hvm_param[HVM_PARAM_TRIPLE_FAULT_REASON] = SHUTDOWN_reboot;
    update_domain_wallclock_time(d);
}

void hypercall_domain_teardown(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
        struct vcpu *v = d->vcpus[i];

        if (!v)
            continue;
        timer_stop(&v->singleshot);
        timer_stop(&v->poll_timer);
    }
    evtchn_domain_destroy(d);
    gnttab_domain_destroy(d);
    memory_domain_teardown(d);
}
