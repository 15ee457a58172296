/* Unit tests for domain lifetime: references, grace periods, vCPU teardown, lookups vs destroy. */
// clang-format off
// SOURCES: hv/common/domain.c hv/common/rcu.c hv/common/schedule.c hv/common/sched_credit.c hv/common/sched_queue.c
// clang-format on
#include "fake_sched.h"
#include "harness.h"

#include <pthread.h>
#include <sched.h>

#include <hv/event.h>
#include <hv/frame.h>
#include <hv/hypercall.h>
#include <hv/mm.h>

/* ---- what hv/common/domain.c needs besides the scheduler ---- */
static unsigned int arch_frees, timer_kills;

void *xzalloc(size_t size)
{
    return calloc(1, size);
}

void xfree(void *p)
{
    free(p);
}

void *alloc_page_zeroed(void)
{
    void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);

    memset(p, 0, PAGE_SIZE);
    return p;
}

void free_pages(void *p, unsigned int order)
{
    (void)order;
    free(p);
}

/* The last reference to a host frame (here: the shared_info page) goes. */
void frame_release(uint64_t mfn)
{
    free((void *)(uintptr_t)(mfn << PAGE_SHIFT));
}

void hypercall_domain_init(struct domain *d)
{
    d->shutdown_code = -1;
}

void hypercall_vcpu_init(struct vcpu *v)
{
    timer_init(&v->singleshot, NULL, v, v->processor);
    timer_init(&v->poll_timer, NULL, v, v->processor);
    timer_init(&v->periodic, NULL, v, v->processor);
}

void send_guest_global_virq(struct domain *d, uint32_t virq)
{
    (void)d;
    (void)virq;
}

struct vcpu *arch_current_vcpu(void)
{
    return NULL;
}

void arch_vcpu_dump(struct vcpu *v)
{
    (void)v;
}

void arch_domain_free(struct domain *d)
{
    (void)d;
    __atomic_add_fetch(&arch_frees, 1, __ATOMIC_SEQ_CST);
}

void timer_kill(struct timer *t)
{
    t->active = false;
    timer_kills++;
}

/* Pass a quiescent point on pCPU cpu and let it free what it can. */
static void quiesce(unsigned int cpu)
{
    unsigned int me = fake_cpu;

    fake_cpu = cpu;
    rcu_quiescent(cpu);
    rcu_reclaim_poll();
    fake_cpu = me;
}

/* A reference taken during a hypercall keeps the domain after destroy and the grace period. */
static void test_reference_outlives_destroy(void)
{
    unsigned int frees = arch_frees;
    struct domain *d = domain_alloc(5, 2);

    CHECK(d != NULL);
    CHECK(domain_by_id(5) == d);
    CHECK_EQ(d->refcnt, 1);
    CHECK(domain_get(d));
    CHECK_EQ(d->refcnt, 2);
    /* destroydomain's steps. */
    d->is_dying = true;
    domain_kill_vcpus(d);
    CHECK(domain_vcpus_gone(d)); /* never queued */
    domain_unlink(d);
    CHECK(domain_by_id(5) == NULL);
    /* pCPU 1 may still be in the hypercall that looked d up: nothing is freed. */
    quiesce(0);
    CHECK_EQ(arch_frees, frees);
    CHECK_EQ(d->refcnt, 2);
    /* Once it has passed a quiescent point the table's reference goes; ours keeps d. */
    quiesce(1);
    quiesce(0);
    CHECK_EQ(d->refcnt, 1);
    CHECK_EQ(arch_frees, frees);
    CHECK_EQ(d->domain_id, 5);
    CHECK(d->vcpus[1] != NULL && d->vcpus[1]->vcpu_id == 1);
    domain_put(d);
    CHECK_EQ(arch_frees, frees + 1); /* and ASan checks nothing touches it afterwards */
}

/* Without other references the domain goes once each pCPU has been quiescent or idle. */
static void test_grace_period(void)
{
    unsigned int frees = arch_frees;
    struct domain *d = domain_alloc(6, 1), *again;

    domain_unlink(d);
    /* The id can be reused at once, while the old structure waits. */
    again = domain_alloc(6, 1);
    CHECK(again != NULL && again != d);
    CHECK(domain_by_id(6) == again);
    quiesce(0);
    CHECK_EQ(arch_frees, frees);
    rcu_idle_enter(1); /* an idle pCPU holds nothing */
    quiesce(0);
    CHECK_EQ(arch_frees, frees + 1);
    rcu_idle_exit(1);
    /* A domain unlinked after pCPU 1 passed its point waits for its next one. */
    domain_unlink(again);
    quiesce(0);
    CHECK_EQ(arch_frees, frees + 1);
    quiesce(1);
    quiesce(0);
    CHECK_EQ(arch_frees, frees + 2);
    /* Ids outside the table are refused. */
    CHECK(domain_alloc(MAX_DOMAINS, 1) == NULL);
    CHECK(domain_alloc(7, 0) == NULL);
    CHECK(domain_alloc(7, MAX_VCPUS + 1) == NULL);
}

/* Destroy's first step stops every timer for good and takes the vCPUs off their queues. */
static void test_kill_vcpus(void)
{
    struct domain *d = domain_alloc(8, 2);
    unsigned int kills = timer_kills, leaves = fake_leaves, frees = arch_frees;

    for (unsigned int i = 0; i < 2; i++) {
        struct vcpu *v = d->vcpus[i];

        v->online = true;
        sched_add_vcpu(v, i);
        v->periodic_ns = 10000000;
        timer_set(&v->periodic, fake_now + 1000);
        timer_set(&v->singleshot, fake_now + 1000);
    }
    fake_cpu = 0;
    d->is_dying = true;
    domain_kill_vcpus(d);
    CHECK_EQ(timer_kills - kills, 6);
    CHECK_EQ(d->vcpus[0]->periodic_ns, 0);
    CHECK(!d->vcpus[1]->periodic.active && !d->vcpus[1]->singleshot.active);
    /* Each pCPU drops its vCPU at its next scheduling point. */
    CHECK(!domain_vcpus_gone(d));
    CHECK(sched_schedule(0, fake_now) == NULL);
    CHECK(!domain_vcpus_gone(d));
    fake_cpu = 1;
    CHECK(sched_schedule(1, fake_now) == NULL);
    CHECK(domain_vcpus_gone(d));
    CHECK_EQ(fake_leaves - leaves, 2);
    CHECK_EQ(runqs[0].nr + runqs[1].nr, 0);
    fake_cpu = 0;
    domain_unlink(d);
    quiesce(1);
    quiesce(0);
    CHECK_EQ(arch_frees, frees + 1);
}

/* ---- lookups on one pCPU while another creates and destroys the same id, for real ---- */
static volatile bool stop_lookups;
static unsigned long lookups_seen;

static void *lookup_thread(void *arg)
{
    (void)arg;
    fake_cpu = 1;
    while (!__atomic_load_n(&stop_lookups, __ATOMIC_SEQ_CST)) {
        /* One "hypercall": look the domain up and use it, then a quiescent point. */
        struct domain *d = domain_by_id(9);

        if (d) {
            volatile uint8_t *si = d->shared_info;
            unsigned long sum = d->domain_id + d->vcpus[0]->vcpu_id + si[0] + si[PAGE_SIZE - 1];

            if (sum == 9 && domain_get(d)) {
                lookups_seen++;
                domain_put(d);
            }
        }
        rcu_quiescent(1);
    }
    return NULL;
}

static void test_threads_lookup_vs_destroy(void)
{
    unsigned int frees = arch_frees;
    pthread_t t;

    stop_lookups = false;
    pthread_create(&t, NULL, lookup_thread, NULL);
    fake_cpu = 0;
    for (unsigned int i = 0; i < 300; i++) {
        struct domain *d = domain_alloc(9, 1);
        unsigned int want = frees + i + 1;

        CHECK(d != NULL);
        for (int spin = 0; spin < 200; spin++)
            sched_yield();
        domain_unlink(d);
        for (long n = 0; __atomic_load_n(&arch_frees, __ATOMIC_SEQ_CST) < want && n < 10000000;
             n++) {
            quiesce(0);
            sched_yield();
        }
    }
    __atomic_store_n(&stop_lookups, true, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    quiesce(1);
    quiesce(0);
    CHECK_EQ(arch_frees, frees + 300);
    CHECK(lookups_seen > 0); /* the other pCPU really did use the domains */
}

TEST_MAIN("domain_ref", TEST(test_reference_outlives_destroy), TEST(test_grace_period),
          TEST(test_kill_vcpus), TEST(test_threads_lookup_vs_destroy))
