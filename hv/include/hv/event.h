/* Event channels: port states, 2-level delivery primitives, helpers to raise events. */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <hv/domain.h>
#include <public/event_channel.h>

/* struct evtchn.state */
#define ECS_FREE        0 /* available */
#define ECS_RESERVED    1 /* never usable (port 0) */
#define ECS_UNBOUND     2 /* waiting for remote_domid to bind */
#define ECS_INTERDOMAIN 3 /* connected to (remote_domid, remote_port) */
#define ECS_PIRQ        4 /* physical IRQ (not supported) */
#define ECS_VIRQ        5 /* bound to a VIRQ */
#define ECS_IPI         6 /* intra-domain IPI */

/* Hypervisor-side consumer of a port: called, with no lock held, when the guest sends on it. */
typedef void (*evtchn_xen_notify_fn)(struct domain *d, uint32_t port);

/* The vcpu_info events and time for v go to right now, or NULL if v has none. */
struct vcpu_info *vcpu_info_of(struct vcpu *v);
/* vCPU id of d, or NULL if out of range / not created. */
struct vcpu *domain_vcpu(struct domain *d, unsigned int id);
/* True for VIRQs that exist once per domain (CONSOLE, DOM_EXC...), false for per-vCPU ones
 * (TIMER...). */
bool virq_is_global(unsigned int virq);

/* ---- 2-level ABI (event_2l.c); callers hold d->evtchn_lock and pass a port in 1..4095 ---- */
/* Raise port: set pending; if unmasked flag word + upcall for the notify vCPU; wake pollers. */
void evtchn_2l_set_pending(struct domain *d, uint32_t port);
/* Clear port's pending bit (used when a port is freed). */
void evtchn_2l_clear_pending(struct domain *d, uint32_t port);
/* Whether port's pending bit is set. */
bool evtchn_2l_is_pending(struct domain *d, uint32_t port);
/* Whether port's mask bit is set. */
bool evtchn_2l_is_masked(struct domain *d, uint32_t port);
/* Clear port's mask bit; if it was masked and is pending, re-raise it on its notify vCPU. */
void evtchn_2l_unmask(struct domain *d, uint32_t port);

/* ---- helpers for the rest of the hypervisor ---- */
/* Raise per-vCPU VIRQ virq on v if bound (timer expiry...). Takes the domain's evtchn_lock. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Raise global VIRQ virq in d if bound, to the port's notify vCPU. Takes d->evtchn_lock. */
void send_guest_global_virq(struct domain *d, unsigned int virq);
/* Builders: allocate an unbound port of d that domain remote may bind to; port or -XEN_E*. */
int evtchn_alloc_unbound_port(struct domain *d, uint16_t remote);
/* In-hypervisor backends: allocate an unbound port of d whose sends call fn; port or -XEN_E*. */
int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_fn fn);
/* In-hypervisor backends: raise a port made by evtchn_alloc_xen_port towards the guest. */
void evtchn_notify_xen_port(struct domain *d, uint32_t port);
/* Prepare d's ports (port 0 reserved, the rest free). */
void evtchn_domain_init(struct domain *d);
/* Close every port of d (interdomain peers become unbound). */
void evtchn_domain_destroy(struct domain *d);

/* ---- typed workers behind EVTCHNOP_* (no guest pointers; d = the calling domain) ---- */
/* EVTCHNOP_alloc_unbound: op->dom may be foreign only for a privileged d. */
int evtchn_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *op);
/* EVTCHNOP_bind_interdomain: connect a new port of d to the peer's unbound port. */
int evtchn_bind_interdomain(struct domain *d, struct evtchn_bind_interdomain *op);
/* EVTCHNOP_bind_virq */
int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op);
/* EVTCHNOP_bind_ipi */
int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *op);
/* EVTCHNOP_close; guest=true refuses ports that belong to a hypervisor consumer. */
int evtchn_close(struct domain *d, uint32_t port, bool guest);
/* EVTCHNOP_send */
int evtchn_send(struct domain *d, uint32_t port);
/* EVTCHNOP_status: op->dom may be foreign only for a privileged d. */
int evtchn_status(struct domain *d, struct evtchn_status *op);
/* EVTCHNOP_bind_vcpu */
int evtchn_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu);
/* EVTCHNOP_unmask */
int evtchn_unmask(struct domain *d, uint32_t port);
/* SCHEDOP_poll helper: 1 if port is pending, 0 if not, -XEN_EINVAL for a bad port. */
int evtchn_port_poll(struct domain *d, uint32_t port);

#endif
