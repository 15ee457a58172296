/* event_channel_op (hypercall 32): sub-op numbers and argument structs. */
#ifndef XENOLITH_PUBLIC_EVENT_CHANNEL_H
#define XENOLITH_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13

/* evtchn_status.status values. */
#define EVTCHNSTAT_closed      0 /* port free */
#define EVTCHNSTAT_unbound     1 /* waiting for remote_dom to bind */
#define EVTCHNSTAT_interdomain 2 /* connected to another domain's port */
#define EVTCHNSTAT_pirq        3 /* bound to a physical IRQ */
#define EVTCHNSTAT_virq        4 /* bound to a VIRQ */
#define EVTCHNSTAT_ipi         5 /* intra-domain IPI port */

/* evtchn_bind_pirq.flags */
#define BIND_PIRQ__WILL_SHARE 1

/* Ports of the 2-level ABI on a 64-bit guest: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS 4096

/* FIFO ABI constants (EVTCHNOP_init_control). */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       16
#define EVTCHN_FIFO_PENDING          31
#define EVTCHN_FIFO_MASKED           30
#define EVTCHN_FIFO_LINKED           29
#define EVTCHN_FIFO_BUSY             28
#define EVTCHN_FIFO_LINK_BITS        17
#define EVTCHN_FIFO_LINK_MASK        ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS      (1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLY__

#include <stdint.h>

typedef uint32_t evtchn_port_t;
typedef uint32_t event_word_t; /* FIFO ABI event word */

/* EVTCHNOP_alloc_unbound: new port in dom that remote_dom may bind to. */
struct evtchn_alloc_unbound {
    domid_t dom;        /* IN */
    domid_t remote_dom; /* IN */
    evtchn_port_t port; /* OUT */
};

/* EVTCHNOP_bind_interdomain: connect a new local port to remote_dom's unbound port. */
struct evtchn_bind_interdomain {
    domid_t remote_dom; /* IN */
    uint16_t _pad0;
    evtchn_port_t remote_port; /* IN */
    evtchn_port_t local_port;  /* OUT */
};

/* EVTCHNOP_bind_virq */
struct evtchn_bind_virq {
    uint32_t virq;      /* IN: VIRQ_* */
    uint32_t vcpu;      /* IN */
    evtchn_port_t port; /* OUT */
};

/* EVTCHNOP_bind_pirq */
struct evtchn_bind_pirq {
    uint32_t pirq;      /* IN */
    uint32_t flags;     /* IN: BIND_PIRQ__* */
    evtchn_port_t port; /* OUT */
};

/* EVTCHNOP_bind_ipi */
struct evtchn_bind_ipi {
    uint32_t vcpu;      /* IN */
    evtchn_port_t port; /* OUT */
};

/* EVTCHNOP_close */
struct evtchn_close {
    evtchn_port_t port;
};

/* EVTCHNOP_send */
struct evtchn_send {
    evtchn_port_t port;
};

/* EVTCHNOP_status */
struct evtchn_status {
    domid_t dom; /* IN */
    uint16_t _pad0;
    evtchn_port_t port; /* IN */
    uint32_t status;    /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;      /* OUT: vCPU notified for this port */
    union {
        struct {
            domid_t dom;
        } unbound; /* EVTCHNSTAT_unbound: who may bind */
        struct {
            domid_t dom;
            uint16_t _pad0;
            evtchn_port_t port;
        } interdomain; /* EVTCHNSTAT_interdomain: the peer */
        uint32_t pirq; /* EVTCHNSTAT_pirq */
        uint32_t virq; /* EVTCHNSTAT_virq */
    } u;
};

/* EVTCHNOP_bind_vcpu: change the notified vCPU of a port. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};

/* EVTCHNOP_unmask */
struct evtchn_unmask {
    evtchn_port_t port;
};

/* EVTCHNOP_reset */
struct evtchn_reset {
    domid_t dom;
};

/* EVTCHNOP_init_control: switch to the FIFO ABI. */
struct evtchn_init_control {
    uint64_t control_gfn; /* IN */
    uint32_t offset;      /* IN */
    uint32_t vcpu;        /* IN */
    uint8_t link_bits;    /* OUT */
    uint8_t _pad[7];
};

/* EVTCHNOP_expand_array */
struct evtchn_expand_array {
    uint64_t array_gfn;
};

/* EVTCHNOP_set_priority */
struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};

/* Argument of the legacy __HYPERVISOR_event_channel_op_compat. */
struct evtchn_op {
    uint32_t cmd; /* EVTCHNOP_* */
    union {
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_pirq bind_pirq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
    } u;
};

/* FIFO ABI per-vCPU control block. */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_EVENT_CHANNEL_H */
