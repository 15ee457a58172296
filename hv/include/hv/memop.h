/* Helpers shared by the memory_op and grant_table_op workers (hv/common/memop.c). */
#ifndef HV_MEMOP_H
#define HV_MEMOP_H

#include <hv/domain.h>

struct vcpu;

/* memory_op's cmd: sub-op in the low bits, the continuation's start extent above them. */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)
/* Guest pages a preemptible sub-op handles per invocation before it asks to be re-issued. */
#define MEMOP_PREEMPT_PAGES 2048

/*
 * The toolstack lock keeps every domain alive while it is held (domains are freed only under
 * it). A sub-op that works on domains other than the caller takes it with memop_lock(), which
 * never waits: when the lock is busy it returns -XEN_ERESTART and the guest re-issues the
 * hypercall (a domain being destroyed holds it while it waits for the caller's vCPUs).
 */
int memop_lock(void);
/* Drop the toolstack lock taken by memop_lock(). */
void memop_unlock(void);

/*
 * hypercall_target_domain() for a sub-op that changes or reads the target: another domain is
 * returned with the toolstack lock held (*locked set; release with memop_put_target). NULL
 * with *err = -XEN_ESRCH / -XEN_EPERM, or -XEN_ERESTART when the lock is busy.
 */
struct domain *memop_get_target(struct domain *cur, domid_t domid, bool *locked, int *err);
/* Undo memop_get_target(). */
void memop_put_target(bool locked);

/* XENMEM_{increase,decrease}_reservation, populate_physmap, claim_pages, {set,get}_pod_target
 * (hv/common/memory_reservation.c); cmd as the guest passed it. */
long memory_op_reservation(struct vcpu *v, uint64_t cmd, uint64_t arg);
/* XENMEM_add_to_physmap_batch, remove_from_physmap, acquire_resource (memory_foreign.c). */
long memory_op_foreign(struct vcpu *v, uint64_t cmd, uint64_t arg);

#endif
