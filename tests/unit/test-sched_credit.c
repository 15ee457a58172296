/* Unit tests for the credit scheduler: shares by weight, caps, wake-up boost, who may run. */
// clang-format off
// SOURCES: hv/common/schedule.c hv/common/sched_credit.c hv/common/sched_queue.c hv/common/rcu.c
// clang-format on
#include "fake_sched.h"
#include "harness.h"

#include <public/vcpu.h>

#define MS 1000000ULL
#define S  1000000000ULL

/* rcu.c drops deferred domains with this; no domain is unlinked in these tests. */
void domain_put(struct domain *d)
{
    (void)d;
    abort();
}

/* v behaves as g and is queued on pCPU cpu. */
static void sim_add(struct vcpu *v, struct sim_guest *g, unsigned int cpu)
{
    sim_attach(v, g);
    sched_add_vcpu(v, cpu);
}

/* Two busy 1-vCPU domains with weights wa and wb on pCPU 0 for 3 s: (a's time, b's time). */
static void busy_pair(uint16_t wa, uint16_t wb, uint64_t *ta, uint64_t *tb)
{
    struct domain *a = fake_sdom(1, 1, wa, 0), *b = fake_sdom(2, 1, wb, 0);
    struct sim_guest ga = {0}, gb = {0};

    sim_add(a->vcpus[0], &ga, 0);
    sim_add(b->vcpus[0], &gb, 0);
    sim_idle_ns = 0;
    sim_run(0, fake_now + 3 * S);
    *ta = ga.ran;
    *tb = gb.ran;
    CHECK_EQ(sim_idle_ns, 0); /* nobody waits while work is there */
    CHECK(ga.runs > 10 && gb.runs > 10);
    fake_sdom_free(a);
    fake_sdom_free(b);
}

/* a / b within pct percent of want. */
static bool ratio_near(uint64_t a, uint64_t b, double want, double pct)
{
    double r = (double)a / (double)b;

    if (getenv("VERBOSE"))
        fprintf(stderr, "  ratio %.3f\n", r);
    if (r < want * (1 - pct / 100) || r > want * (1 + pct / 100)) {
        fprintf(stderr, "  ratio %.3f, wanted %.3f +- %.0f%%\n", r, want, pct);
        return false;
    }
    return true;
}

static void test_weights(void)
{
    uint64_t ta, tb;

    busy_pair(512, 256, &ta, &tb);
    CHECK(ratio_near(ta, tb, 2.0, 10));
    CHECK_EQ(ta + tb, 3 * S);
    busy_pair(256, 256, &ta, &tb);
    CHECK(ratio_near(ta, tb, 1.0, 10));
    busy_pair(768, 256, &ta, &tb);
    CHECK(ratio_near(ta, tb, 3.0, 10));
    busy_pair(256, 512, &ta, &tb);
    CHECK(ratio_near(tb, ta, 2.0, 10));
    busy_pair(0, 512, &ta, &tb); /* weight 0 means the default, 256 */
    CHECK(ratio_near(tb, ta, 2.0, 10));
}

static void test_cap_alone(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 50);
    struct sim_guest g = {0};

    sim_add(d->vcpus[0], &g, 0);
    sim_idle_ns = 0;
    sim_run(0, fake_now + 3 * S);
    /* At most half of the pCPU although nothing else wants it: the rest is idle. */
    CHECK(g.ran <= 3 * S / 2 + 30 * MS);
    CHECK(g.ran >= 3 * S / 2 - 60 * MS);
    CHECK_EQ(g.ran + sim_idle_ns, 3 * S);
    /* Removing the cap gives it the whole pCPU. */
    d->ctl.sched_cap = 0;
    sim_attach(d->vcpus[0], &g);
    sim_idle_ns = 0;
    sim_run(0, fake_now + 1 * S);
    CHECK_EQ(sim_idle_ns, 0);
    CHECK_EQ(g.ran, 1 * S);
    fake_sdom_free(d);
}

static void test_cap_with_competitor(void)
{
    struct domain *a = fake_sdom(1, 1, 256, 25), *b = fake_sdom(2, 1, 256, 0);
    struct sim_guest ga = {0}, gb = {0};

    sim_add(a->vcpus[0], &ga, 0);
    sim_add(b->vcpus[0], &gb, 0);
    sim_idle_ns = 0;
    sim_run(0, fake_now + 3 * S);
    CHECK(ga.ran <= 3 * S / 4 + 30 * MS);
    CHECK(ga.ran >= 3 * S / 4 - 60 * MS);
    CHECK_EQ(sim_idle_ns, 0); /* the uncapped domain takes the rest */
    CHECK_EQ(ga.ran + gb.ran, 3 * S);
    fake_sdom_free(a);
    fake_sdom_free(b);
}

/* A 2-vCPU domain capped at 50 % of one pCPU, its vCPUs on two pCPUs: the cap is domain-wide. */
static void test_cap_split_over_vcpus(void)
{
    struct domain *d = fake_sdom(1, 2, 256, 50);
    struct sim_guest g0 = {0}, g1 = {0};
    uint64_t start = fake_now;

    sim_add(d->vcpus[0], &g0, 0);
    sim_add(d->vcpus[1], &g1, 1);
    /* The two pCPUs take turns over the same 1 ms stretches of time. */
    for (uint64_t t = start + MS; t <= start + 3 * S; t += MS) {
        for (unsigned int cpu = 0; cpu < 2; cpu++) {
            fake_now = t - MS;
            sim_run(cpu, t);
        }
    }
    CHECK(g0.ran + g1.ran <= 3 * S / 2 + 60 * MS);
    CHECK(g0.ran + g1.ran >= 3 * S / 2 - 120 * MS);
    CHECK(ratio_near(g0.ran, g1.ran, 1.0, 10));
    fake_sdom_free(d);
}

/* dom0's console vCPU wakes every 17.3 ms for 200 us while two domains spin on its pCPU. */
static void test_wake_boost(void)
{
    struct domain *d0 = fake_sdom(0, 1, 256, 0);
    struct domain *a = fake_sdom(1, 1, 256, 0), *b = fake_sdom(2, 1, 512, 0);
    struct sim_guest g0 = {.burst = 200000, .think = 17 * MS + 300000}, ga = {0}, gb = {0};

    sim_add(a->vcpus[0], &ga, 0);
    sim_add(b->vcpus[0], &gb, 0);
    sim_add(d0->vcpus[0], &g0, 0);
    sim_run(0, fake_now + 2 * S);
    /* Every wake-up runs within the rate limit: far less than a slice. */
    CHECK(g0.max_lat <= SCHED_RATELIMIT_NS);
    CHECK(g0.max_lat < SCHED_SLICE_NS);
    CHECK(g0.runs >= 110);
    /* The spinners still share the rest by weight. */
    CHECK(ratio_near(gb.ran, ga.ran, 2.0, 10));
    fake_sdom_free(d0);
    fake_sdom_free(a);
    fake_sdom_free(b);
}

/* Two default domains on pCPU 0: *a's vCPU picked and running, *b's blocked. */
static void running_and_blocked(struct domain **a, struct domain **b)
{
    *a = fake_sdom(1, 1, 256, 0);
    *b = fake_sdom(2, 1, 256, 0);
    sched_add_vcpu((*a)->vcpus[0], 0);
    sched_add_vcpu((*b)->vcpus[0], 0);
    fake_cpu = 0;
    (*b)->vcpus[0]->blocked = true;
    CHECK(sched_schedule(0, fake_now) == (*a)->vcpus[0]);
}

/* Without the boost (no credit left) a waker waits for the running vCPU's slice. */
static void test_no_boost_when_overdrawn(void)
{
    struct domain *a, *b;
    struct vcpu *va, *vb;

    running_and_blocked(&a, &b);
    va = a->vcpus[0];
    vb = b->vcpus[0];
    fake_now += 2 * MS;
    CHECK(sched_keep_running(0, va, fake_now));
    vb->sched.credit = 0;
    vcpu_kick(vb);
    CHECK(runqs[0].wakeups);
    CHECK(sched_keep_running(0, va, fake_now)); /* vb has no credit: no boost, no preemption */
    CHECK(!vb->blocked);
    CHECK_EQ(vb->sched.pri, SCHED_PRI_NORMAL);
    /* With credit it is boosted and preempts va. */
    vb->blocked = true;
    vb->sched.credit = (int64_t)MS;
    vcpu_kick(vb);
    CHECK(!sched_keep_running(0, va, fake_now));
    CHECK_EQ(vb->sched.pri, SCHED_PRI_BOOST);
    sched_descheduled(0, va, fake_now);
    CHECK(sched_schedule(0, fake_now) == vb);
    fake_now += MS;
    sched_descheduled(0, vb, fake_now);
    CHECK_EQ(vb->sched.pri, SCHED_PRI_NORMAL); /* the boost lasts one run */
    fake_sdom_free(a);
    fake_sdom_free(b);
}

static void test_ratelimit(void)
{
    struct domain *a, *b;
    struct vcpu *va, *vb;
    uint64_t start = fake_now;

    running_and_blocked(&a, &b);
    va = a->vcpus[0];
    vb = b->vcpus[0];
    fake_now += 300000;
    vcpu_kick(vb);
    /* va has run 0.3 ms: it keeps the pCPU, and the timer fires when its 1 ms is up. */
    CHECK(sched_keep_running(0, va, fake_now));
    CHECK(runqs[0].timer.active);
    CHECK_EQ(runqs[0].timer.expires, start + SCHED_RATELIMIT_NS);
    fake_now = start + SCHED_RATELIMIT_NS;
    CHECK(!sched_keep_running(0, va, fake_now));
    sched_descheduled(0, va, fake_now);
    CHECK_EQ(va->runstate, RUNSTATE_runnable); /* preempted: waiting for the pCPU */
    CHECK(sched_schedule(0, fake_now) == vb);
    sched_descheduled(0, vb, fake_now);
    fake_sdom_free(a);
    fake_sdom_free(b);
}

/* Blocked, paused, dying, shut down or offline vCPUs are not picked; a running one stops. */
static void test_who_may_run(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 0);
    struct vcpu *v = d->vcpus[0];

    sched_add_vcpu(v, 0);
    fake_cpu = 0;
    v->blocked = true;
    CHECK(sched_schedule(0, fake_now) == NULL);
    fake_work[0] = true; /* an interrupt is pending: it wakes without a kick */
    CHECK(sched_schedule(0, fake_now) == v);
    CHECK(!v->blocked);
    fake_work[0] = false;
    sched_descheduled(0, v, fake_now);

    d->pause_count = 1;
    CHECK(sched_schedule(0, fake_now) == NULL);
    d->pause_count = 0;
    CHECK(sched_schedule(0, fake_now) == v);
    v->runstate = RUNSTATE_running; /* as arch_vcpu_run_once() records it */
    d->pause_count = 1;             /* paused while running: it leaves at the next exit */
    CHECK(!sched_keep_running(0, v, fake_now));
    sched_descheduled(0, v, fake_now);
    CHECK_EQ(v->runstate, RUNSTATE_offline);
    d->pause_count = 0;

    v->online = false;
    CHECK(sched_schedule(0, fake_now) == NULL);
    v->online = true;
    d->is_shutdown = true;
    CHECK(sched_schedule(0, fake_now) == NULL);
    d->is_shutdown = false;
    d->is_dying = true;
    CHECK(sched_schedule(0, fake_now) == NULL);
    d->is_dying = false;

    CHECK(sched_schedule(0, fake_now) == v);
    v->yielded = true;
    CHECK(!sched_keep_running(0, v, fake_now));
    CHECK(!v->yielded);
    sched_descheduled(0, v, fake_now);
    fake_sdom_free(d);
}

/* A yielding vCPU lets the other one run even with more credit; alone it runs again. */
static void test_yield(void)
{
    struct domain *a = fake_sdom(1, 1, 256, 0), *b = fake_sdom(2, 1, 256, 0);
    struct vcpu *va = a->vcpus[0], *vb = b->vcpus[0];

    sched_add_vcpu(va, 0);
    sched_add_vcpu(vb, 0);
    fake_cpu = 0;
    va->sched.credit = 9 * (int64_t)MS;
    vb->sched.credit = 1 * (int64_t)MS;
    CHECK(sched_schedule(0, fake_now) == va);
    va->yielded = true;
    CHECK(!sched_keep_running(0, va, fake_now + 1000));
    sched_descheduled(0, va, fake_now + 1000);
    CHECK(sched_schedule(0, fake_now + 1000) == vb);
    CHECK(!va->sched.yield); /* once */
    sched_descheduled(0, vb, fake_now + 2000);
    CHECK(sched_schedule(0, fake_now + 2000) == va);
    sched_descheduled(0, va, fake_now + 2000);
    /* Alone, a yield just picks the same vCPU again. */
    b->pause_count = 1;
    CHECK(sched_schedule(0, fake_now + 2000) == va);
    va->yielded = true;
    CHECK(!sched_keep_running(0, va, fake_now + 3000));
    sched_descheduled(0, va, fake_now + 3000);
    CHECK(sched_schedule(0, fake_now + 3000) == va);
    sched_descheduled(0, va, fake_now + 3000);
    b->pause_count = 0;
    fake_sdom_free(a);
    fake_sdom_free(b);
}

/* Credit burns by weight and is reset when the best has none; cap budgets come per period. */
static void test_credit_and_periods(void)
{
    struct domain *a = fake_sdom(1, 1, 512, 0), *b = fake_sdom(2, 1, 256, 0);
    struct domain *c = fake_sdom(3, 1, 256, 50);
    struct vcpu *va = a->vcpus[0], *vb = b->vcpus[0], *vc = c->vcpus[0];
    struct runq *rq = &runqs[3];
    uint64_t resets;

    fake_nr_cpus = 4;
    fake_cpu = 3;
    sched_add_vcpu(va, 3);
    sched_add_vcpu(vb, 3);
    sched_add_vcpu(vc, 3);
    spin_lock(&rq->lock);
    /* 10 ms of running costs the weight-512 vCPU 5 ms of credit, a weight-256 one 10 ms. */
    va->sched.run_start = vb->sched.run_start = fake_now;
    credit_charge(rq, va, fake_now + 10 * MS);
    credit_charge(rq, vb, fake_now + 10 * MS);
    CHECK_EQ(va->sched.credit, -5 * (int64_t)MS);
    CHECK_EQ(vb->sched.credit, -10 * (int64_t)MS);
    CHECK_EQ(va->sched.runtime, 10 * MS);
    /* The best ready vCPU (va) has no credit: everyone gets SCHED_CREDIT_INIT, at most up to it. */
    vc->blocked = true;
    vc->sched.credit = 8 * (int64_t)MS;
    resets = rq->resets;
    CHECK(credit_pick(rq, fake_now) == va);
    CHECK_EQ(rq->resets, resets + 1);
    CHECK_EQ(va->sched.credit, SCHED_CREDIT_INIT - 5 * (int64_t)MS);
    CHECK_EQ(vb->sched.credit, SCHED_CREDIT_INIT - 10 * (int64_t)MS);
    CHECK_EQ(vc->sched.credit, SCHED_CREDIT_INIT);
    credit_charge(rq, va, fake_now);
    /* The capped vCPU got half of a period as budget at the first period; debt carries over. */
    CHECK_EQ(vc->sched.cap_budget, (int64_t)SCHED_ACCT_NS / 2);
    CHECK_EQ(rq->next_acct, fake_now + SCHED_ACCT_NS);
    vc->sched.cap_budget = -2 * (int64_t)MS;
    CHECK(credit_parked(vc));
    credit_refill(rq, fake_now + SCHED_ACCT_NS - 1); /* not due yet */
    CHECK_EQ(vc->sched.cap_budget, -2 * (int64_t)MS);
    credit_refill(rq, fake_now + SCHED_ACCT_NS);
    CHECK_EQ(vc->sched.cap_budget, (int64_t)SCHED_ACCT_NS / 2 - 2 * (int64_t)MS);
    CHECK(!credit_parked(vc));
    CHECK_EQ(rq->next_acct, fake_now + 2 * SCHED_ACCT_NS);
    /* Unused budget is not saved up. */
    credit_refill(rq, fake_now + 2 * SCHED_ACCT_NS);
    CHECK_EQ(vc->sched.cap_budget, (int64_t)SCHED_ACCT_NS / 2);
    /* A pCPU that slept through periods starts the next one at now. */
    credit_refill(rq, fake_now + 100 * SCHED_ACCT_NS);
    CHECK_EQ(rq->next_acct, fake_now + 101 * SCHED_ACCT_NS);
    spin_unlock(&rq->lock);
    fake_sdom_free(a);
    fake_sdom_free(b);
    fake_sdom_free(c);
    fake_nr_cpus = 2;
}

static void test_dump_key(void)
{
    struct domain *d = fake_sdom(1, 1, 512, 50);

    sched_keyhandlers_init();
    CHECK(fake_key_r != NULL);
    sched_add_vcpu(d->vcpus[0], 1);
    fake_log_len = 0;
    fake_key_r('r');
    fake_log[fake_log_len] = '\0';
    CHECK(strstr(fake_log, "CPU1: 1 vCPU(s)") != NULL);
    CHECK(strstr(fake_log, "d1v0") != NULL);
    CHECK(strstr(fake_log, "weight 512 cap 50") != NULL);
    CHECK(strstr(fake_log, "budget") != NULL);
    fake_sdom_free(d);
}

TEST_MAIN("sched_credit", TEST(test_weights), TEST(test_cap_alone), TEST(test_cap_with_competitor),
          TEST(test_cap_split_over_vcpus), TEST(test_wake_boost),
          TEST(test_no_boost_when_overdrawn), TEST(test_ratelimit), TEST(test_who_may_run),
          TEST(test_yield), TEST(test_credit_and_periods), TEST(test_dump_key))
