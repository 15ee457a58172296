/* Credit scheduler internals: per-pCPU run queues, accounting and picking (shared with tests). */
#ifndef HV_SCHED_CREDIT_H
#define HV_SCHED_CREDIT_H

#include <hv/domain.h>
#include <hv/sched.h>
#include <hv/time.h>

#define SCHED_SLICE_NS       10000000ULL /* a vCPU runs at most 10 ms before the next pick */
#define SCHED_ACCT_NS        30000000ULL /* cap budgets are handed out every 30 ms (the period) */
#define SCHED_RATELIMIT_NS   1000000ULL  /* a running vCPU keeps the pCPU 1 ms before a waker */
#define SCHED_CREDIT_INIT    10000000LL  /* credit after a reset (the most a vCPU holds) */
#define SCHED_DEFAULT_WEIGHT 256

/*
 * One run queue per pCPU. lock protects the list, every queued vCPU's sched fields and the
 * fields below except where noted. Only the owning pCPU runs its vCPUs; other pCPUs take
 * the lock to queue, request moves or look.
 */
struct runq {
    spinlock_t lock;
    struct vcpu *head;          /* queued vCPUs, linked through v->sched.next */
    unsigned int nr;            /* how many */
    struct vcpu *curr;          /* picked and not yet charged (running or about to) */
    uint64_t next_acct;         /* when the next credit refill is due (0: not started) */
    uint64_t order_seq;         /* source of sched.order */
    uint64_t busy_ns;           /* time vCPUs ran in the last period (placement tie-break) */
    uint64_t busy_acc;          /* ... and in this one so far */
    uint64_t switches;          /* statistics for debug key 'r': picks */
    uint64_t resets;            /* ... and credit resets */
    uint64_t slice_end;         /* when curr must give way (owning pCPU only) */
    volatile bool wakeups;      /* a queued vCPU was kicked: look for a preemption (atomic) */
    volatile bool moves;        /* a queued vCPU has a move or removal request (atomic) */
    bool timer_ready;           /* timer initialised (owning pCPU only) */
    struct timer timer;         /* fires at slice end, period end or ratelimit end */
} __attribute__((aligned(64))); /* pCPUs do not share a cache line of their queues */

extern struct runq runqs[SCHED_MAX_CPUS];

/* ---- accounting (hv/common/sched_credit.c); all with rq->lock held ---- */
/* The domain's credit weight (the default for 0). */
unsigned int credit_weight(const struct domain *d);
/* Capped and out of budget until the next refill. */
bool credit_parked(const struct vcpu *v);
/* Start a period if one is due at now: cap budgets, activity, statistics. */
void credit_refill(struct runq *rq, uint64_t now);
/* Start a period if due, then choose the best vCPU ready to run (waking blocked vCPUs that were
 * kicked or have an interrupt; resetting credit if it has none); it becomes rq->curr. NULL:
 * nothing to run. */
struct vcpu *credit_pick(struct runq *rq, uint64_t now);
/* v (rq->curr) stopped running at now: burn its credit by weight and its cap budget, end its
 * boost, queue it last among equals; rq->curr becomes NULL. */
void credit_charge(struct runq *rq, struct vcpu *v, uint64_t now);
/* When v, picked at now, must give way: the slice, cut short by its cap budget. */
uint64_t credit_slice_end(const struct vcpu *v, uint64_t now);
/* Does a vCPU waiting on rq (waking it if it was kicked) outrank the running v's class? */
bool credit_should_preempt(struct runq *rq, struct vcpu *v);
/* Earliest time a parked vCPU of rq gets budget again, or 0 if none is parked. */
uint64_t credit_next_unpark(const struct runq *rq);

/* ---- queues (hv/common/sched_queue.c) ---- */
/* Carry out move and removal requests of rq's vCPUs other than rq->curr (on the owning pCPU). */
void sched_process_moves(struct runq *rq);

#endif
