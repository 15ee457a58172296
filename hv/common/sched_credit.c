/* Credit accounting for one run queue: weighted credit burn and reset, caps, wake-up boost. */
#include <hv/lib.h>
#include <hv/sched_credit.h>

/*
 * The policy, per pCPU run queue:
 *  - Running burns credit at SCHED_DEFAULT_WEIGHT / weight ns per ns: a domain with twice the
 *    weight burns half as fast. The vCPU with the most credit runs; when the best vCPU ready to
 *    run has none left, every vCPU on the queue gets SCHED_CREDIT_INIT more (never above it).
 *    Busy vCPUs therefore share the pCPU in proportion to their weights, and a vCPU that
 *    sleeps keeps a full credit without hoarding more.
 *  - A vCPU that yields (SCHEDOP_yield) lets every other ready vCPU of its class go first, once,
 *    as in Xen's credit1.
 *  - A vCPU that wakes with credit left is boosted (as Xen's BOOST priority): it ranks above
 *    every vCPU that is not, once, and preempts the running one after its rate limit.
 *  - A capped domain gets cap% of one pCPU per SCHED_ACCT_NS period, split among its active
 *    vCPUs; a vCPU out of budget is parked (not run, even on an idle pCPU) until the next one.
 */

/* The domain's credit weight (the default for 0). */
unsigned int credit_weight(const struct domain *d)
{
    return d->ctl.sched_weight ? d->ctl.sched_weight : SCHED_DEFAULT_WEIGHT;
}

static bool capped(const struct vcpu *v)
{
    return v->domain->ctl.sched_cap != 0;
}

/* Capped and out of budget until the next refill. */
bool credit_parked(const struct vcpu *v)
{
    return capped(v) && v->sched.cap_budget <= 0;
}

/* May v run at all (whether or not it is blocked or out of cap budget)? */
static bool may_run(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return v->online && !d->is_shutdown && !d->is_dying &&
           __atomic_load_n(&d->pause_count, __ATOMIC_ACQUIRE) <= 0 && !v->sched.remove &&
           !v->sched.move_to;
}

/* Does v want the pCPU (without waking it up)? */
static bool wants_cpu(const struct vcpu *v)
{
    return may_run(v) && (!v->blocked || v->kicked);
}

/* Is v ready to run now? A blocked vCPU that was kicked or has an interrupt wakes up here. */
static bool ready(struct vcpu *v)
{
    if (!may_run(v) || credit_parked(v))
        return false;
    if (v->blocked) {
        if (!v->kicked && !arch_vcpu_has_work(v))
            return false;
        v->blocked = false;
        if (v->sched.credit > 0)
            v->sched.pri = SCHED_PRI_BOOST;
    }
    return true;
}

/* How many of d's vCPUs were active last period (at least 1): the cap is split among them. */
static unsigned int active_vcpus(const struct domain *d)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++)
        if (d->vcpus[i] && __atomic_load_n(&d->vcpus[i]->sched.was_active, __ATOMIC_RELAXED))
            n++;
    return n ? n : 1;
}

/* Start a new period if one is due at now: cap budgets (debt carries over, unused budget does
 * not), activity, the busy-time statistic. */
void credit_refill(struct runq *rq, uint64_t now)
{
    if (rq->next_acct && now < rq->next_acct)
        return;
    for (struct vcpu *v = rq->head; v; v = v->sched.next)
        __atomic_store_n(&v->sched.was_active, v->sched.active || wants_cpu(v), __ATOMIC_RELAXED);
    for (struct vcpu *v = rq->head; v; v = v->sched.next) {
        struct sched_vcpu *s = &v->sched;
        const struct domain *d = v->domain;

        if (capped(v)) {
            uint64_t share = (uint64_t)d->ctl.sched_cap * SCHED_ACCT_NS / 100 / active_vcpus(d);
            s->cap_budget = MIN(s->cap_budget, 0) + (int64_t)share;
        }
        s->active = false;
    }
    rq->busy_ns = rq->busy_acc;
    rq->busy_acc = 0;
    if (!rq->next_acct || now - rq->next_acct >= SCHED_ACCT_NS)
        rq->next_acct = now + SCHED_ACCT_NS; /* first period, or the pCPU slept through some */
    else
        rq->next_acct += SCHED_ACCT_NS;
}

/* The best ready vCPU is out of credit: everyone on the queue gets more, up to the initial. */
static void credit_reset(struct runq *rq)
{
    for (struct vcpu *v = rq->head; v; v = v->sched.next)
        v->sched.credit = MIN(v->sched.credit + SCHED_CREDIT_INIT, SCHED_CREDIT_INIT);
    rq->resets++;
}

/* Does a outrank b: a better class, not yielding, more credit, or as much and waiting longer? */
static bool outranks(const struct vcpu *a, const struct vcpu *b)
{
    if (a->sched.pri != b->sched.pri)
        return a->sched.pri > b->sched.pri;
    if (a->sched.yield != b->sched.yield)
        return b->sched.yield;
    if (a->sched.credit != b->sched.credit)
        return a->sched.credit > b->sched.credit;
    return a->sched.order < b->sched.order;
}

/* Start a period if due, then choose the best vCPU ready to run; it becomes rq->curr. */
struct vcpu *credit_pick(struct runq *rq, uint64_t now)
{
    struct vcpu *best = NULL;

    credit_refill(rq, now);
    for (struct vcpu *v = rq->head; v; v = v->sched.next)
        if (ready(v) && (!best || outranks(v, best)))
            best = v;
    if (!best)
        return NULL;
    if (best->sched.credit <= 0)
        credit_reset(rq); /* adds the same to every ready vCPU: best stays best */
    for (struct vcpu *v = rq->head; v; v = v->sched.next)
        v->sched.yield = false; /* a yield lasts one pick */
    best->sched.run_start = now;
    best->sched.active = true;
    __atomic_store_n(&rq->curr, best, __ATOMIC_RELEASE);
    return best;
}

/* v (rq->curr) stopped running at now: burn credit by weight and budget, end its boost. */
void credit_charge(struct runq *rq, struct vcpu *v, uint64_t now)
{
    struct sched_vcpu *s = &v->sched;
    uint64_t ran = now > s->run_start ? now - s->run_start : 0;

    s->credit -= (int64_t)(ran * SCHED_DEFAULT_WEIGHT / credit_weight(v->domain));
    if (capped(v))
        s->cap_budget = MAX(s->cap_budget - (int64_t)ran, -(int64_t)SCHED_ACCT_NS);
    s->runtime += ran;
    rq->busy_acc += ran;
    s->pri = SCHED_PRI_NORMAL;
    s->order = ++rq->order_seq;
    __atomic_store_n(&rq->curr, NULL, __ATOMIC_RELEASE);
}

/* When v, picked at now, must give way: after a slice, or sooner when its cap budget ends. */
uint64_t credit_slice_end(const struct vcpu *v, uint64_t now)
{
    uint64_t end = now + SCHED_SLICE_NS;

    if (capped(v) && v->sched.cap_budget > 0 && (uint64_t)v->sched.cap_budget < SCHED_SLICE_NS)
        end = now + (uint64_t)v->sched.cap_budget;
    return end;
}

/* Does a vCPU waiting on rq (waking it if it was kicked) outrank the running v's class? */
bool credit_should_preempt(struct runq *rq, struct vcpu *v)
{
    bool preempt = false;

    for (struct vcpu *w = rq->head; w; w = w->sched.next)
        if (w != v && ready(w) && w->sched.pri > v->sched.pri)
            preempt = true;
    return preempt;
}

/* Earliest time a parked vCPU of rq gets budget again, or 0 if none is parked. */
uint64_t credit_next_unpark(const struct runq *rq)
{
    for (const struct vcpu *v = rq->head; v; v = v->sched.next)
        if (may_run(v) && credit_parked(v))
            return rq->next_acct;
    return 0;
}
