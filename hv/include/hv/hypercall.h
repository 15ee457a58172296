/* Hypercall dispatch, the per-family entry points, and the per-domain/vCPU state they own. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/domain.h>
#include <public/errno.h>

/* The Xen version we present (XENVER_version; keep CPUID leaf 0x40000001 equal). */
#define XENOLITH_XEN_MAJOR    4
#define XENOLITH_XEN_MINOR    17
#define XENOLITH_EXTRAVERSION ".0-xenolith"

/* Number of entries in the dispatch table; larger numbers are -ENOSYS. */
#define NR_HYPERCALLS 64

/*
 * Run hypercall nr for the calling vCPU v with the guest's argument registers
 * args[0..4] (RDI, RSI, RDX, R10, R8). Returns the value for RAX: >= 0 or
 * -XEN_E*. Never crashes on any argument. May leave v blocked (v->blocked) for
 * the run loop to halt after the return value has been stored.
 */
long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t args[5]);

/* Builder: initialise d's hypercall state; d->shared_info must already be allocated, zeroed. */
void hypercall_domain_init(struct domain *d);
/* Builder: initialise v's hypercall state (after hypercall_domain_init; set v->domain, id, cpu). */
void hypercall_vcpu_init(struct vcpu *v);
/* Domain destruction: stop vCPU timers, close all ports, free grant frames (p2m: the arch's). */
void hypercall_domain_teardown(struct domain *d);

/*
 * Resolve a domid argument for the calling domain cur: DOMID_SELF or cur's id
 * give cur; another existing domain only if cur is privileged. Returns the
 * domain, or NULL with *err = -XEN_ESRCH (no such domain) or -XEN_EPERM.
 */
struct domain *hypercall_target_domain(struct domain *cur, uint16_t domid, int *err);

/*
 * Continuation: have the guest re-issue the current hypercall of v with argument i (0..4) set
 * to val (call once per argument to change); returns -XEN_ERESTART for the worker to return.
 * Used by preemptible sub-ops that encode their progress in the arguments, as Xen does.
 */
static inline long hypercall_continue(struct vcpu *v, unsigned int i, uint64_t val)
{
    v->hcall_cont_mask |= (uint8_t)(1u << i);
    v->hcall_cont_arg[i] = val;
    return -XEN_ERESTART;
}

/* ---- family entry points: copy arguments in, call a typed worker, copy results out ---- */
/* __HYPERVISOR_xen_version */
long do_xen_version(struct vcpu *v, unsigned int cmd, uint64_t arg);
/* __HYPERVISOR_memory_op; cmd's low 6 bits select the sub-op */
long do_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg);
/* __HYPERVISOR_event_channel_op */
long do_event_channel_op(struct vcpu *v, unsigned int cmd, uint64_t arg);
/* __HYPERVISOR_vcpu_op */
long do_vcpu_op(struct vcpu *v, unsigned int cmd, unsigned int vcpuid, uint64_t arg);
/* __HYPERVISOR_sched_op */
long do_sched_op(struct vcpu *v, unsigned int cmd, uint64_t arg);
/* __HYPERVISOR_set_timer_op: absolute guest system time, 0 = cancel */
long do_set_timer_op(struct vcpu *v, uint64_t timeout);
/* __HYPERVISOR_hvm_op */
/* platform_op (dom0): wall-clock setting; other sub-ops -ENOSYS. */
long do_platform_op(struct vcpu *v, uint64_t arg);
long do_hvm_op(struct vcpu *v, unsigned int op, uint64_t arg);
/* __HYPERVISOR_console_io */
long do_console_io(struct vcpu *v, unsigned int cmd, unsigned int count, uint64_t buf);
/* __HYPERVISOR_grant_table_op */
long do_grant_table_op(struct vcpu *v, unsigned int cmd, uint64_t uop, unsigned int count);
/* __HYPERVISOR_vm_assist */
long do_vm_assist(struct vcpu *v, unsigned int cmd, unsigned int type);

/* ---- workers other code may call ---- */
/* Grow d's grant table to at least nr frames (allocating zeroed pages); 0 or -XEN_E*. */
int gnttab_grow(struct domain *d, unsigned int nr);
/* As gnttab_grow, caller holds d->grant_lock. */
int gnttab_grow_locked(struct domain *d, unsigned int nr);
/* Free every grant frame of a dying domain. */
void gnttab_domain_destroy(struct domain *d);
/* Map hypervisor-owned page (shared_info or grant frame idx) into d at gpfn; 0 or -XEN_E*. */
int memory_add_to_physmap(struct domain *d, unsigned int space, uint64_t idx, uint64_t gpfn);
/* A hypervisor page of d at gfn left the physmap: forget that placement. */
void memory_xen_page_removed(struct domain *d, uint64_t gfn);
/* Domain destruction: drop the frame references the hypervisor holds into d's pages. */
void memory_domain_teardown(struct domain *d);
/* Move v's timer t (stopped if it must move) to v's current pCPU, whose interrupt then fires it. */
void vcpu_timer_follow(struct vcpu *v, struct timer *t);
/* A vCPU issuing a hypercall is no longer in SCHEDOP_poll: drop its poller registration. */
void sched_poll_cancel(struct vcpu *v);
/* Raise global VIRQ_CONSOLE on dom0 (serial input arrived). Also declared in hv/console.h. */
void console_notify_dom0(void);

#endif
