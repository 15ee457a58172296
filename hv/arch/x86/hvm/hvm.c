/* Vendor-neutral HVM glue: port I/O, hypercall entry, HLT semantics, choosing the vector to inject.
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/hypercall.h>
#include <hv/acpi_build.h>
#include <public/xen.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/hvm/params.h>
#include <asm/hvm.h>

const struct hvm_ops *hvm_ops;

const struct hvm_ops *svm_probe(void);

/* Select SVM or VMX for this machine; NULL when neither is usable. */
const struct hvm_ops *hvm_probe(void)
{
    return svm_probe();
}

static void debug_port_write(struct vcpu *v, char c)
{
    if (v->domain->is_privileged)
        console_guest_write(&c, 1);
    else
        console_domu_write(v->domain, &c, 1); /* "(dN) line", as Xen's hvm_print_line */
}

/* Guest port I/O: read (is_in) or write size bytes at port. */
void hvm_portio(struct vcpu *v, uint16_t port, unsigned int size, bool is_in, uint32_t *val)
{
    if (size == 1 && vpit_portio(v, port, is_in, val))
        return;
    if (is_in) {
        *val = 0xFFFFFFFF;
        if (port == ACPI_SLEEP_STATUS_PORT)
            *val = ACPI_WAKE_STATUS;
        return;
    }
    switch (port) {
    case 0xE9:
        debug_port_write(v, (char)*val);
        break;
    case ACPI_SLEEP_CONTROL_PORT:
        if ((*val & ACPI_SLEEP_ENABLE) &&
            ((*val & ACPI_SLEEP_TYPE_MASK) >> ACPI_SLEEP_TYPE_SHIFT) == ACPI_S5_SLP_TYP) {
            pr_info("d%u: ACPI S5 (power off) requested\n", v->domain->domain_id);
            domain_shutdown(v->domain, SHUTDOWN_poweroff);
        }
        break;
    case ACPI_RESET_PORT:
        if ((*val & 0xFF) == ACPI_RESET_VALUE) {
            pr_info("d%u: ACPI reset requested\n", v->domain->domain_id);
            domain_shutdown(v->domain, SHUTDOWN_reboot);
        }
        break;
    default:
        (void)size;
        break;
    }
}

/* Guest VMMCALL/VMCALL: run the hypercall in the guest's registers. */
void hvm_hypercall(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);
    struct guest_regs *r = &h->regs;
    struct hvm_state s;
    uint64_t args[5];

    hvm_ops->get_state(v, &s);
    if (s.cpl != 0 && (s.cr0 & X86_CR0_PE)) {
        r->rax = (uint64_t)(long)-XEN_EPERM;
        return;
    }
    if (s.long_mode && s.cs_l) {
        args[0] = r->rdi;
        args[1] = r->rsi;
        args[2] = r->rdx;
        args[3] = r->r10;
        args[4] = r->r8;
    } else {
        args[0] = (uint32_t)r->rbx;
        args[1] = (uint32_t)r->rcx;
        args[2] = (uint32_t)r->rdx;
        args[3] = (uint32_t)r->rsi;
        args[4] = (uint32_t)r->rdi;
        r->rax = (uint32_t)r->rax;
    }
    uint64_t nr = r->rax;
    v->hcall_cont_mask = 0;
    long rc = hypercall_dispatch(v, nr, args);
    if (rc == -XEN_ERESTART) {
        /* Continuation: re-execute the VMMCALL (preemptible ops), with the arguments the
         * hypercall asked to change (hypercall_continue) rewritten in the guest's registers. */
        bool wide = s.long_mode && s.cs_l;
        uint64_t *regs[5] = {wide ? &r->rdi : &r->rbx, wide ? &r->rsi : &r->rcx, &r->rdx,
                             wide ? &r->r10 : &r->rsi, wide ? &r->r8 : &r->rdi};
        for (unsigned int i = 0; i < 5; i++)
            if (v->hcall_cont_mask & (1u << i))
                *regs[i] = wide ? v->hcall_cont_arg[i] : (uint32_t)v->hcall_cont_arg[i];
        hvm_ops->set_rip(v, s.rip - 3); /* VMMCALL/VMCALL are 3 bytes; RIP is already past it */
        r->rax = nr;
        return;
    }
    r->rax = (uint64_t)rc;
}

/*
 * Shutdown intercept (triple fault): as Xen, dump the vCPU and shut its domain down with the
 * reason in HVM_PARAM_TRIPLE_FAULT_REASON (reboot unless the toolstack chose otherwise).
 */
void hvm_triple_fault(struct vcpu *v)
{
    struct domain *d = v->domain;
    unsigned int reason = (unsigned int)d->hvm_param[HVM_PARAM_TRIPLE_FAULT_REASON];

    if (reason == SHUTDOWN_crash) {
        pr_err("d%u v%u: triple fault\n", d->domain_id, v->vcpu_id);
        domain_crash(d, "triple fault");
        return;
    }
    pr_err("d%u v%u: triple fault: shutting the domain down (reason %u)\n", d->domain_id,
           v->vcpu_id, reason);
    pr_err("  d%uv%u state at the triple fault:\n", d->domain_id, v->vcpu_id);
    hvm_ops->dump(v);
    domain_shutdown(d, reason);
}

/* Guest HLT: with interrupts on, block until an event; with them off, the vCPU goes down. */
void hvm_hlt(struct vcpu *v, bool irqs_enabled)
{
    struct domain *d = v->domain;

    if (irqs_enabled) {
        v->blocked = true;
        return;
    }
    hvm_of(v)->down = true;
    v->online = false;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i]->online)
            return;
    pr_info("d%u: all vCPUs halted with interrupts disabled: powering off\n", d->domain_id);
    domain_shutdown(d, SHUTDOWN_poweroff);
}

static int upcall_vector(struct vcpu *v)
{
    uint64_t cb = v->domain->hvm_param[HVM_PARAM_CALLBACK_IRQ];
    const struct vcpu_info *vi = v->vcpu_info;

    if ((cb >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) != 2 || !vi)
        return -1;
    if (!__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE))
        return -1;
    return (int)(cb & 0xFF);
}

/* Highest-priority interrupt vector to inject now (event upcall first, then vLAPIC), or -1. */
int hvm_pending_vector(struct vcpu *v)
{
    int vec = upcall_vector(v);
    if (vec >= 0)
        return vec;
    return vlapic_pending(v);
}

/* The vector returned by hvm_pending_vector was injected: update IRR/ISR. */
void hvm_vector_injected(struct vcpu *v, int vec)
{
    if (vec == upcall_vector(v))
        return; /* the upcall bypasses the vLAPIC: no IRR/ISR, no EOI */
    vlapic_ack(v, vec);
}
