/* hvm_op (hypercall 34): sub-ops and argument structs. */
#ifndef XENOLITH_PUBLIC_HVM_HVM_OP_H
#define XENOLITH_PUBLIC_HVM_HVM_OP_H

#include "../xen.h"

#define HVMOP_set_param                0
#define HVMOP_get_param                1
#define HVMOP_set_pci_intx_level       2 /* obsolete since interface 0x00040900 (now dm_op) */
#define HVMOP_set_isa_irq_level        3 /* obsolete, as above */
#define HVMOP_set_pci_link_route       4 /* obsolete, as above */
#define HVMOP_flush_tlbs               5
#define HVMOP_pagetable_dying          9
#define HVMOP_get_time                 10
#define HVMOP_xentrace                 11
#define HVMOP_set_mem_access           12
#define HVMOP_get_mem_access           13
#define HVMOP_get_mem_type             15
#define HVMOP_set_evtchn_upcall_vector 23
#define HVMOP_guest_request_vm_event   24
#define HVMOP_altp2m                   25

/* xen_hvm_get_mem_type.mem_type */
#define HVMMEM_ram_rw       0
#define HVMMEM_ram_ro       1
#define HVMMEM_mmio_dm      2
#define HVMMEM_unused       3
#define HVMMEM_ioreq_server 4

#ifndef __ASSEMBLY__

#include <stdint.h>

/* HVMOP_set_param / HVMOP_get_param (16 bytes). */
struct xen_hvm_param {
    domid_t domid; /* DOMID_SELF from the guest */
    uint16_t pad;
    uint32_t index; /* HVM_PARAM_* */
    uint64_t value;
};

/* HVMOP_pagetable_dying: the guest is tearing down the page table at gpa. */
struct xen_hvm_pagetable_dying {
    domid_t domid;
    uint16_t pad[3];
    uint64_t gpa;
};

/* HVMOP_get_time: current guest system time in ns. */
struct xen_hvm_get_time {
    uint64_t now;
};

/* HVMOP_get_mem_type */
struct xen_hvm_get_mem_type {
    domid_t domid;
    uint16_t mem_type; /* OUT: HVMMEM_* */
    uint16_t pad[2];
    uint64_t pfn;
};

/* HVMOP_set_evtchn_upcall_vector: per-vCPU event upcall vector (LAPIC-delivered, needs EOI). */
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;
    uint8_t vector;
    uint8_t _pad0[3];
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_HVM_HVM_OP_H */
