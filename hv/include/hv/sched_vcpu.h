/* Per-vCPU credit-scheduler state, embedded in struct vcpu (see hv/common/sched_credit.c). */
#ifndef HV_SCHED_VCPU_H
#define HV_SCHED_VCPU_H

#include <hv/types.h>

struct vcpu;

/* Priority classes, best first. */
#define SCHED_PRI_BOOST  1 /* woke up with credit left: runs ahead of the others, once */
#define SCHED_PRI_NORMAL 0

/* Where a vCPU stands with respect to the run queues (hv/common/sched_queue.c). */
#define SCHED_Q_NONE    0 /* never queued (a half-made domain) */
#define SCHED_Q_QUEUED  1 /* in runq[processor] */
#define SCHED_Q_MOVING  2 /* taken off one queue, not yet on the next */
#define SCHED_Q_REMOVED 3 /* off every queue for good (its domain is being destroyed) */

/*
 * Written under the lock of the run queue the vCPU is on (runq[v->processor]), except
 * where noted. Times are now_ns() values; credit and budget are nanoseconds of pCPU time.
 */
struct sched_vcpu {
    struct vcpu *next;    /* next vCPU on the same run queue */
    int64_t credit;       /* weighted pCPU time left until the next reset (may be negative) */
    int64_t cap_budget;   /* capped domains: time it may still run this period */
    uint64_t run_start;   /* when it was last picked */
    uint64_t order;       /* round-robin position inside its priority class: lower runs first */
    uint64_t runtime;     /* total time it has run (debug key 'r') */
    uint8_t pri;          /* SCHED_PRI_* */
    uint8_t state;        /* SCHED_Q_*: changed with the queue lock(s) held */
    bool active;          /* ran or wanted to run since the last cap refill */
    bool was_active;      /* 'active' as of the last refill (read unlocked by other pCPUs) */
    bool yield;           /* gave way (SCHEDOP_yield): others of its class go first, once */
    bool remove;          /* request: leave the queue for good (domain destruction) */
    unsigned int move_to; /* request: move to pCPU move_to - 1 (0: none) */
};

#endif
