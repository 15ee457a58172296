/* Unit tests for placement, hard/soft affinity, migration between pCPUs, removal and sync. */
// clang-format off
// SOURCES: hv/common/schedule.c hv/common/sched_credit.c hv/common/sched_queue.c hv/common/rcu.c
// clang-format on
#include "fake_sched.h"
#include "harness.h"

#include <pthread.h>
#include <sched.h>

/* rcu.c drops deferred domains with this; no domain is unlinked in these tests. */
void domain_put(struct domain *d)
{
    (void)d;
    abort();
}

static unsigned int queued_on(unsigned int cpu, const struct vcpu *v)
{
    unsigned int n = 0;

    for (const struct vcpu *w = runqs[cpu].head; w; w = w->sched.next)
        n += w == v;
    return n;
}

static void test_placement(void)
{
    struct domain *d0 = fake_sdom(0, 4, 256, 0), *d = fake_sdom(1, 6, 256, 0);

    fake_nr_cpus = 4;
    sched_add_vcpu(d0->vcpus[0], 0);
    sched_add_vcpu(d0->vcpus[1], 0);
    sched_add_vcpu(d0->vcpus[2], 1);
    sched_add_vcpu(d0->vcpus[3], 2);
    /* The emptiest pCPU. */
    sched_place_vcpu(d->vcpus[0]);
    CHECK_EQ(d->vcpus[0]->processor, 3);
    CHECK_EQ(queued_on(3, d->vcpus[0]), 1);
    /* pCPUs 1-3 hold one vCPU each: the one least busy last period wins. */
    runqs[1].busy_ns = 5;
    runqs[2].busy_ns = 1;
    runqs[3].busy_ns = 3;
    sched_place_vcpu(d->vcpus[1]);
    CHECK_EQ(d->vcpus[1]->processor, 2);
    /* Hard affinity beats load. */
    d->vcpus[2]->affinity_hard = 0x1;
    sched_place_vcpu(d->vcpus[2]);
    CHECK_EQ(d->vcpus[2]->processor, 0);
    /* Soft affinity is preferred within hard... */
    d->vcpus[3]->affinity_soft = 0x2;
    sched_place_vcpu(d->vcpus[3]);
    CHECK_EQ(d->vcpus[3]->processor, 1);
    /* ... and ignored when it has nothing in common with hard. */
    d->vcpus[4]->affinity_hard = 0x5;
    d->vcpus[4]->affinity_soft = 0x2;
    CHECK_EQ(sched_pick_cpu(d->vcpus[4]), 2);
    /* Bits for pCPUs that do not exist are not pCPUs: none left means any online pCPU. */
    d->vcpus[5]->affinity_hard = 0x30;
    CHECK(sched_pick_cpu(d->vcpus[5]) < 4);
    /* A queued vCPU does not count against its own pCPU. */
    CHECK_EQ(runqs[3].nr, 1);
    runqs[3].busy_ns = 0;
    CHECK_EQ(sched_pick_cpu(d->vcpus[0]), 3);
    fake_sdom_free(d0);
    fake_sdom_free(d); /* vCPUs 4 and 5 were never queued: nothing to take off */
    fake_nr_cpus = 2;
    for (unsigned int cpu = 0; cpu < 4; cpu++)
        runqs[cpu].busy_ns = 0;
}

/* A queued vCPU that is not running moves when its pCPU next schedules; state saved there. */
static void test_migrate_waiting_vcpu(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 0);
    struct vcpu *v = d->vcpus[0];
    unsigned int kicks0 = fake_kicks[0], kicks1, leaves = fake_leaves;

    sched_add_vcpu(v, 0);
    v->blocked = true;
    fake_cpu = 1; /* the toolstack runs on the other pCPU */
    v->affinity_hard = 0x2;
    sched_affinity_changed(v);
    CHECK_EQ(fake_kicks[0], kicks0 + 1);
    CHECK_EQ(v->processor, 0); /* not yet: pCPU 0 moves it */
    CHECK_EQ(fake_leaves, leaves);
    kicks1 = fake_kicks[1];
    fake_cpu = 0;
    CHECK(sched_schedule(0, fake_now) == NULL);
    CHECK_EQ(fake_leaves, leaves + 1);
    CHECK_EQ(fake_leave_cpu, 0); /* its FPU state was saved on the pCPU that held it */
    CHECK(fake_left == v);
    CHECK_EQ(v->processor, 1);
    CHECK_EQ(queued_on(0, v), 0);
    CHECK_EQ(queued_on(1, v), 1);
    CHECK_EQ(runqs[0].nr, 0);
    CHECK_EQ(runqs[1].nr, 1);
    CHECK_EQ(fake_kicks[1], kicks1 + 1);
    fake_cpu = 1;
    v->kicked = true;
    CHECK(sched_schedule(1, fake_now) == v);
    sched_descheduled(1, v, fake_now);
    fake_sdom_free(d);
}

/* A running vCPU finishes its exit, is charged, and only then leaves. */
static void test_migrate_running_vcpu(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 0);
    struct vcpu *v = d->vcpus[0];
    unsigned int leaves = fake_leaves;

    sched_add_vcpu(v, 0);
    fake_cpu = 0;
    CHECK(sched_schedule(0, fake_now) == v);
    fake_cpu = 1;
    v->affinity_hard = 0x2;
    sched_affinity_changed(v);
    fake_cpu = 0;
    CHECK(!sched_keep_running(0, v, fake_now + 1000));
    CHECK_EQ(fake_leaves, leaves); /* not while it is running */
    CHECK_EQ(queued_on(0, v), 1);
    sched_descheduled(0, v, fake_now + 1000);
    CHECK(sched_schedule(0, fake_now + 1000) == NULL);
    CHECK_EQ(fake_leaves, leaves + 1);
    CHECK_EQ(v->processor, 1);
    fake_cpu = 1;
    CHECK(sched_schedule(1, fake_now + 1000) == v);
    sched_descheduled(1, v, fake_now + 2000);
    fake_sdom_free(d);
}

/* A vCPU re-pinning itself (xl vcpu-pin on dom0) leaves once its hypercall returns. */
static void test_migrate_self(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 0);
    struct vcpu *v = d->vcpus[0];
    unsigned int kicks0, leaves = fake_leaves;

    sched_add_vcpu(v, 0);
    fake_cpu = 0;
    CHECK(sched_schedule(0, fake_now) == v);
    kicks0 = fake_kicks[0];
    v->affinity_hard = 0x2;
    sched_affinity_changed(v);       /* from its own hypercall, on its own pCPU */
    CHECK_EQ(fake_kicks[0], kicks0); /* no need to interrupt ourselves */
    CHECK(!sched_keep_running(0, v, fake_now + 1000));
    sched_descheduled(0, v, fake_now + 1000);
    CHECK(sched_schedule(0, fake_now + 1000) == NULL);
    CHECK_EQ(fake_leaves, leaves + 1);
    CHECK_EQ(fake_leave_cpu, 0);
    CHECK_EQ(v->processor, 1);
    fake_sdom_free(d);
}

/* An allowed pCPU keeps the vCPU; a pending move is called off when the pCPU is allowed again. */
static void test_move_cancelled(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 0);
    struct vcpu *v = d->vcpus[0];
    unsigned int leaves = fake_leaves, kicks0;

    sched_add_vcpu(v, 0);
    fake_cpu = 1;
    kicks0 = fake_kicks[0];
    v->affinity_hard = 0x3;
    sched_affinity_changed(v); /* pCPU 0 is still allowed: nothing to do */
    CHECK_EQ(v->sched.move_to, 0);
    v->affinity_hard = 0x2;
    sched_affinity_changed(v);
    CHECK_EQ(v->sched.move_to, 2);
    v->affinity_hard = 0x1;
    sched_affinity_changed(v);
    CHECK_EQ(v->sched.move_to, 0);
    CHECK_EQ(fake_kicks[0], kicks0 + 2); /* only the two calls that changed something */
    fake_cpu = 0;
    CHECK(sched_schedule(0, fake_now) == v);
    CHECK_EQ(fake_leaves, leaves);
    CHECK_EQ(v->processor, 0);
    sched_descheduled(0, v, fake_now);
    fake_sdom_free(d);
}

static void test_remove(void)
{
    struct domain *d = fake_sdom(1, 2, 256, 0);
    struct vcpu *v = d->vcpus[0], *w = d->vcpus[1];
    unsigned int leaves = fake_leaves;

    CHECK(sched_vcpu_removed(v)); /* never queued */
    sched_add_vcpu(v, 0);
    sched_add_vcpu(w, 0);
    CHECK(!sched_vcpu_removed(v));
    fake_cpu = 1;
    sched_remove_vcpu(v);
    CHECK(!sched_vcpu_removed(v));
    fake_cpu = 0;
    CHECK(sched_schedule(0, fake_now) == w);
    CHECK(sched_vcpu_removed(v));
    CHECK_EQ(fake_leaves, leaves + 1);
    CHECK_EQ(runqs[0].nr, 1);
    /* A removed vCPU cannot be moved back in. */
    v->affinity_hard = 0x2;
    sched_affinity_changed(v);
    CHECK_EQ(v->sched.state, SCHED_Q_REMOVED);
    CHECK_EQ(queued_on(1, v), 0);
    sched_descheduled(0, w, fake_now);
    fake_sdom_free(d);
}

/* ---- the same with real concurrency: threads play pCPUs ---- */
static volatile bool stop_cpus;
static volatile unsigned int violations;
static struct vcpu *watched;

/* One pCPU's loop: pick, run a few exits, charge; check v is only ever run where it is queued. */
static void *cpu_thread(void *arg)
{
    unsigned int cpu = (unsigned int)(uintptr_t)arg;

    fake_cpu = cpu;
    while (!stop_cpus) {
        uint64_t now = now_ns();
        struct vcpu *v = sched_schedule(cpu, now);

        if (!v) {
            sched_yield(); /* idle */
            continue;
        }
        if (v->processor != cpu || v->sched.state != SCHED_Q_QUEUED ||
            __atomic_load_n(&runqs[1 - cpu].curr, __ATOMIC_SEQ_CST) == v)
            __atomic_add_fetch(&violations, 1, __ATOMIC_SEQ_CST);
        for (int i = 0; i < 3 && sched_keep_running(cpu, v, now_ns()); i++)
            __atomic_add_fetch(&fake_now, 1000, __ATOMIC_SEQ_CST);
        sched_descheduled(cpu, v, now_ns());
    }
    return NULL;
}

#define MIGRATIONS 400

static void test_threads_migrate(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 0), *o = fake_sdom(2, 2, 256, 0);
    struct vcpu *v = d->vcpus[0];
    pthread_t t[2];
    unsigned int moved = 0, leaves = fake_leaves;

    watched = v;
    sched_add_vcpu(v, 0);
    sched_add_vcpu(o->vcpus[0], 0);
    sched_add_vcpu(o->vcpus[1], 1);
    stop_cpus = false;
    for (uintptr_t i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, cpu_thread, (void *)i);
    fake_cpu = 3; /* the toolstack, on a pCPU of its own */
    for (unsigned int i = 0; i < MIGRATIONS; i++) {
        unsigned int want = i & 1;
        uint64_t deadline;

        v->affinity_hard = 1ULL << want;
        sched_affinity_changed(v);
        for (deadline = 0; deadline < 10000000; deadline++) {
            if (__atomic_load_n(&v->processor, __ATOMIC_ACQUIRE) == want &&
                __atomic_load_n(&v->sched.state, __ATOMIC_ACQUIRE) == SCHED_Q_QUEUED)
                break;
            sched_yield(); /* the machine running the tests may have fewer cores than threads */
        }
        moved += v->processor == want;
    }
    stop_cpus = true;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    CHECK_EQ(moved, MIGRATIONS);
    CHECK_EQ(violations, 0);
    CHECK(fake_leaves - leaves >= MIGRATIONS - 1);
    CHECK_EQ(runqs[0].nr + runqs[1].nr, 3);
    fake_sdom_free(d);
    fake_sdom_free(o);
}

/* sched_vcpu_sync returns only once the pCPU running v has let go of it. */
static void test_threads_sync(void)
{
    struct domain *d = fake_sdom(1, 1, 256, 0);
    struct vcpu *v = d->vcpus[0];
    pthread_t t;
    unsigned int kicks = fake_kicks[0], caught = 0;

    sched_add_vcpu(v, 0);
    stop_cpus = false;
    pthread_create(&t, NULL, cpu_thread, (void *)(uintptr_t)0);
    fake_cpu = 1;
    for (unsigned int i = 0; i < 200; i++) {
        __atomic_add_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
        sched_vcpu_sync(v);
        caught += __atomic_load_n(&runqs[0].curr, __ATOMIC_SEQ_CST) == v;
        __atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    }
    stop_cpus = true;
    pthread_join(t, NULL);
    CHECK_EQ(caught, 0);
    CHECK(fake_kicks[0] > kicks); /* it had to interrupt pCPU 0 at least once */
    fake_sdom_free(d);
}

TEST_MAIN("sched_affinity", TEST(test_placement), TEST(test_migrate_waiting_vcpu),
          TEST(test_migrate_running_vcpu), TEST(test_migrate_self), TEST(test_move_cancelled),
          TEST(test_remove), TEST(test_threads_migrate), TEST(test_threads_sync))
