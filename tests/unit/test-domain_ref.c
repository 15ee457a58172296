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

/* ---- a pCPU in the middle of a "hypercall" that looked a domain up ---- */
static volatile int holder_stage; /* 1: holding the pointer, 2: may let go, 3: done */
static unsigned int holder_seen;

static void *holder_thread(void *arg)
{
    struct domain *d;

    (void)arg;
    fake_cpu = 1;
    rcu_idle_exit(1);
    d = domain_by_id(5);
    __atomic_store_n(&holder_stage, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&holder_stage, __ATOMIC_SEQ_CST) != 2)
        sched_yield();
    holder_seen = d->domain_id + d->vcpus[1]->vcpu_id; /* still valid: no quiescent point yet */
    rcu_quiescent(1);
    rcu_idle_enter(1);
    __atomic_store_n(&holder_stage, 3, __ATOMIC_SEQ_CST);
    return NULL;
}

static volatile bool unlinked;

static void *unlink_thread(void *arg)
{
    fake_cpu = 0;
    domain_unlink(arg);
    __atomic_store_n(&unlinked, true, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Destroy waits for a pCPU still using the domain; a reference keeps it after that. */
static void test_grace_and_reference(void)
{
    unsigned int frees = arch_frees, kicks = fake_kicks[1];
    struct domain *d = domain_alloc(5, 2);
    pthread_t h, u;

    CHECK(d != NULL);
    CHECK(domain_by_id(5) == d);
    CHECK_EQ(d->refcnt, 1);
    pthread_create(&h, NULL, holder_thread, NULL);
    while (__atomic_load_n(&holder_stage, __ATOMIC_SEQ_CST) != 1)
        sched_yield();
    CHECK(domain_get(d)); /* a hypercall that keeps d past its return */
    CHECK_EQ(d->refcnt, 2);
    /* destroydomain's steps. */
    d->is_dying = true;
    domain_kill_vcpus(d);
    CHECK(domain_vcpus_gone(d)); /* never queued */
    unlinked = false;
    pthread_create(&u, NULL, unlink_thread, d);
    for (int i = 0; i < 2000; i++)
        sched_yield();
    CHECK(domain_by_id(5) == NULL); /* new lookups miss it at once */
    CHECK(!unlinked);               /* but pCPU 1 may still use it: destroy waits */
    CHECK(fake_kicks[1] > kicks);   /* and pushes pCPU 1 out of its guest */
    CHECK_EQ(arch_frees, frees);
    __atomic_store_n(&holder_stage, 2, __ATOMIC_SEQ_CST);
    pthread_join(h, NULL);
    pthread_join(u, NULL);
    CHECK(unlinked);
    CHECK_EQ(holder_seen, 6);
    /* The table's reference is gone; ours keeps d. */
    CHECK_EQ(d->refcnt, 1);
    CHECK_EQ(arch_frees, frees);
    CHECK_EQ(d->domain_id, 5);
    domain_put(d);
    CHECK_EQ(arch_frees, frees + 1); /* and ASan checks nothing touches it afterwards */
}

/* Idle pCPUs hold nothing: unlinking frees at once; the id is free again at once. */
static void test_idle_and_reuse(void)
{
    unsigned int frees = arch_frees;
    struct domain *d = domain_alloc(6, 1), *again;

    fake_cpu = 0;
    domain_unlink(d);
    CHECK_EQ(arch_frees, frees + 1);
    again = domain_alloc(6, 1);
    CHECK(again != NULL);
    CHECK(domain_by_id(6) == again);
    domain_unlink(again);
    CHECK_EQ(arch_frees, frees + 2);
    CHECK(domain_by_id(6) == NULL);
    /* Ids and sizes outside the table are refused; a taken id too. */
    CHECK(domain_alloc(MAX_DOMAINS, 1) == NULL);
    CHECK(domain_alloc(7, 0) == NULL);
    CHECK(domain_alloc(7, MAX_VCPUS + 1) == NULL);
    d = domain_alloc(7, 1);
    CHECK(domain_alloc(7, 1) == NULL);
    domain_unlink(d);
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
    rcu_idle_exit(1);
    pthread_create(&t, NULL, lookup_thread, NULL);
    fake_cpu = 0;
    for (unsigned int i = 0; i < 300; i++) {
        struct domain *d = domain_alloc(9, 1);

        CHECK(d != NULL);
        for (int spin = 0; spin < 200; spin++)
            sched_yield();
        domain_unlink(d);
        CHECK_EQ(arch_frees, frees + i + 1);
    }
    __atomic_store_n(&stop_lookups, true, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    rcu_idle_enter(1);
    CHECK(lookups_seen > 0); /* the other pCPU really did use the domains */
}

/* pCPU 1 starts idle (quiescent); the threaded tests make it busy. */
static void test_setup(void)
{
    rcu_idle_enter(1);
    CHECK_EQ(fake_nr_cpus, 2);
}

TEST_MAIN("domain_ref", TEST(test_setup), TEST(test_grace_and_reference), TEST(test_idle_and_reuse),
          TEST(test_kill_vcpus), TEST(test_threads_lookup_vs_destroy))
