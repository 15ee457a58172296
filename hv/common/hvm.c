/* hvm_op: HVM parameters (callback vector, console/xenstore pages and ports) and small queries. */
#include <hv/hypercall.h>
#include <hv/event.h>
#include <hv/pvclock.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/sched.h>

/* Parameters that no longer exist: reading or writing them is -EINVAL (as Xen). */
static bool param_deprecated(uint32_t index)
{
    switch (index) {
    case HVM_PARAM_PAE_ENABLED:
    case HVM_PARAM_DM_DOMAIN:
    case HVM_PARAM_MEMORY_EVENT_CR0:
    case HVM_PARAM_MEMORY_EVENT_CR3:
    case HVM_PARAM_MEMORY_EVENT_CR4:
    case HVM_PARAM_MEMORY_EVENT_INT3:
    case HVM_PARAM_NESTEDHVM:
    case HVM_PARAM_MEMORY_EVENT_SINGLE_STEP:
    case HVM_PARAM_BUFIOREQ_EVTCHN:
    case HVM_PARAM_MEMORY_EVENT_MSR:
        return true;
    default:
        return false;
    }
}

/* Parameters a guest may write about itself (the rest belong to the toolstack). */
static bool param_guest_writable(uint32_t index)
{
    switch (index) {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_VM86_TSS:
    case HVM_PARAM_VM86_TSS_SIZED:
    case HVM_PARAM_ACPI_IOPORTS_LOCATION:
    case HVM_PARAM_VM_GENERATION_ID_ADDR:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_X87_FIP_WIDTH:
        return true;
    default:
        return false;
    }
}

/* Parameters a guest may read about itself. */
static bool param_guest_readable(uint32_t index)
{
    switch (index) {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_VM86_TSS:
    case HVM_PARAM_VM86_TSS_SIZED:
    case HVM_PARAM_ACPI_IOPORTS_LOCATION:
    case HVM_PARAM_VM_GENERATION_ID_ADDR:
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_ALTP2M:
    case HVM_PARAM_X87_FIP_WIDTH:
        return true;
    default:
        return false;
    }
}

/* Once the callback is known, deliver whatever is already pending on each online vCPU. */
static void callback_changed(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
        struct vcpu *v = d->vcpus[i];
        struct vcpu_info *vi;

        if (!v || !v->online)
            continue;
        vi = vcpu_info_of(v);
        if (vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
            vcpu_kick(v);
    }
}

/* HVMOP_set_param on td by caller domain d. */
static int set_param(struct domain *d, struct domain *td, uint32_t index, uint64_t value)
{
    if (index >= HVM_NR_PARAMS || index >= NR_HVM_PARAMS || param_deprecated(index))
        return -XEN_EINVAL;
    if (td == d && !param_guest_writable(index))
        return -XEN_EPERM;

    switch (index) {
    case HVM_PARAM_X87_FIP_WIDTH:
        if (value != 0 && value != 4 && value != 8)
            return -XEN_EINVAL;
        break;
    case HVM_PARAM_TRIPLE_FAULT_REASON:
        if (value > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        break;
    default:
        break;
    }

    __atomic_store_n(&td->hvm_param[index], value, __ATOMIC_SEQ_CST);
    if (index == HVM_PARAM_CALLBACK_IRQ)
        callback_changed(td);
    return 0;
}

/* HVMOP_get_param on td by caller domain d. */
static int get_param(struct domain *d, struct domain *td, uint32_t index, uint64_t *value)
{
    if (index >= HVM_NR_PARAMS || index >= NR_HVM_PARAMS || param_deprecated(index))
        return -XEN_EINVAL;
    if (td == d && !param_guest_readable(index))
        return -XEN_EPERM;
    *value = __atomic_load_n(&td->hvm_param[index], __ATOMIC_SEQ_CST);
    return 0;
}

long do_hvm_op(struct vcpu *v, unsigned int op, uint64_t arg)
{
    struct domain *d = v->domain, *td;
    int err, rc;

    switch (op) {
    case HVMOP_set_param:
    case HVMOP_get_param: {
        struct xen_hvm_param p;

        if (copy_from_guest(v, &p, arg, sizeof(p)))
            return -XEN_EFAULT;
        if (p.index >= HVM_NR_PARAMS)
            return -XEN_EINVAL;
        td = hypercall_target_domain(d, p.domid, &err);
        if (!td)
            return err;
        if (op == HVMOP_set_param)
            return set_param(d, td, p.index, p.value);
        rc = get_param(d, td, p.index, &p.value);
        if (rc)
            return rc;
        return copy_to_guest(v, arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }

    case HVMOP_pagetable_dying: {
        struct xen_hvm_pagetable_dying a;

        if (copy_from_guest(v, &a, arg, sizeof(a)))
            return -XEN_EFAULT;
        /* Only meaningful with shadow paging; -EINVAL makes Linux stop calling it. */
        return -XEN_EINVAL;
    }

    case HVMOP_get_time: {
        struct xen_hvm_get_time t = {.now = guest_system_time()};

        return copy_to_guest(v, arg, &t, sizeof(t)) ? -XEN_EFAULT : 0;
    }

    case HVMOP_flush_tlbs:
        if (arg)
            return -XEN_EINVAL; /* Xen: the argument must be NULL */
        arch_domain_flush_tlbs(d);
        return 0;

    /*
     * set_evtchn_upcall_vector: CPUID leaf 0x40000004 EAX bit 6 is not
     * advertised, so Linux uses the global CALLBACK_IRQ vector instead.
     * get_mem_type (kdump), altp2m, mem access: not offered.
     */
    default:
        return -XEN_ENOSYS;
    }
}
