/* Fake arch layer for hypercall unit tests: guest memory, p2m, clock, timers, kicks, console. */
#ifndef TEST_FAKE_HV_H
#define TEST_FAKE_HV_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/hypercall.h>
#include <hv/event.h>
#include <hv/pvclock.h>
#include <hv/guest_access.h>
#include <hv/console.h>
#include <hv/mm.h>
#include <hv/lib.h>
#include <hv/physmap.h>
#include <hv/frame.h>
#include <hv/grant.h>
#include <hv/memop.h>
#include <public/errno.h>

#include "fake_basics.h"

/*
 * Each fake domain has FAKE_PAGES pages of guest memory. Guest-virtual ==
 * guest-physical; page FAKE_HOLE_PFN and everything past the end fault.
 */
#define FAKE_PAGES    16
#define FAKE_HOLE_PFN 7
#define FAKE_MAX_DOMS 8
#define FAKE_P2M_MAX  64
#define GVA_ARG       0x1000ULL /* page 1: hypercall argument structs */
#define GVA_BUF       0x2000ULL /* page 2: buffers */
#define GVA_HOLE      ((uint64_t)FAKE_HOLE_PFN << PAGE_SHIFT)
#define GVA_END       ((uint64_t)FAKE_PAGES << PAGE_SHIFT)

struct fake_p2m_entry {
    uint64_t gfn, mfn;
    enum physmap_type type;
};

struct fake_dom {
    struct domain d;
    uint8_t *mem;
    struct fake_p2m_entry p2m[FAKE_P2M_MAX];
    unsigned int nr_p2m;
    unsigned int p2m_maps, p2m_unmaps;
};

static struct fake_dom *fake_doms[FAKE_MAX_DOMS];
static uint64_t fake_tsc = 1000000000000ULL; /* 500 s at 2 GHz */
static uint64_t fake_khz = 2000000;
static unsigned int fake_kicks, fake_blocks, fake_yields, fake_pages_out;
static bool fake_alloc_fails;
static uint64_t fake_p2m_fail_gfn = ~0ULL;
static char fake_con_out[4096];
static size_t fake_con_out_len;
static const char *fake_con_in = "";

static inline struct fake_dom *fake_of(struct domain *d)
{
    return (struct fake_dom *)d;
}

static inline uint8_t *guest_ptr(struct domain *d, uint64_t gva, size_t len)
{
    uint8_t *mem = fake_of(d)->mem;

    if (gva >= GVA_END || len > GVA_END - gva)
        return NULL;
    for (uint64_t p = gva >> PAGE_SHIFT; len && p <= (gva + len - 1) >> PAGE_SHIFT; p++)
        if (p == FAKE_HOLE_PFN)
            return NULL;
    return mem + gva;
}

/* ---- arch hooks ---- */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    uint8_t *p = guest_ptr(v->domain, gva, len);

    if (!p)
        return -XEN_EFAULT;
    memcpy(dst, p, len);
    return 0;
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    uint8_t *p = guest_ptr(v->domain, gva, len);

    if (!p)
        return -XEN_EFAULT;
    memcpy(p, src, len);
    return 0;
}

int copy_from_guest_phys(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    uint8_t *p = guest_ptr(d, gpa, len);

    if (!p)
        return -XEN_EFAULT;
    memcpy(dst, p, len);
    return 0;
}

int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    uint8_t *p = guest_ptr(d, gpa, len);

    if (!p)
        return -XEN_EFAULT;
    memcpy(p, src, len);
    return 0;
}

#ifndef FAKE_REAL_MEM /* real_mem.h reaches guest frames through the real p2m */
void *map_guest_frame(struct domain *d, uint64_t gfn)
{
    if (gfn >= FAKE_PAGES || gfn == FAKE_HOLE_PFN)
        return NULL;
    return fake_of(d)->mem + (gfn << PAGE_SHIFT);
}
#endif

/*
 * The physmap of a test domain, for tests that do not compile the real p2m (hv/arch/x86/mm):
 * a small table of entries. Weak, like the other memory fakes below.
 */
__attribute__((weak)) void physmap_lookup(struct domain *d, uint64_t gfn, struct physmap_entry *e)
{
    struct fake_dom *f = fake_of(d);

    *e = (struct physmap_entry){0, PHYSMAP_HOLE, false};
    for (unsigned int i = 0; i < f->nr_p2m; i++)
        if (f->p2m[i].gfn == gfn)
            *e = (struct physmap_entry){f->p2m[i].mfn, f->p2m[i].type, false};
}

__attribute__((weak)) int physmap_set(struct domain *d, uint64_t gfn, const struct physmap_entry *e,
                                      struct physmap_entry *old)
{
    struct fake_dom *f = fake_of(d);

    if (old)
        physmap_lookup(d, gfn, old);
    if (gfn == fake_p2m_fail_gfn)
        return -XEN_ENOMEM;
    f->p2m_maps++;
    for (unsigned int i = 0; i < f->nr_p2m; i++) {
        if (f->p2m[i].gfn == gfn) {
            f->p2m[i].mfn = e->mfn;
            f->p2m[i].type = e->type;
            return 0;
        }
    }
    if (f->nr_p2m == FAKE_P2M_MAX)
        return -XEN_ENOMEM;
    f->p2m[f->nr_p2m++] = (struct fake_p2m_entry){gfn, e->mfn, e->type};
    return 0;
}

__attribute__((weak)) int physmap_remove(struct domain *d, uint64_t gfn, unsigned int types,
                                         uint64_t mfn, struct physmap_entry *old)
{
    struct fake_dom *f = fake_of(d);

    if (old)
        physmap_lookup(d, gfn, old);
    f->p2m_unmaps++;
    for (unsigned int i = 0; i < f->nr_p2m; i++) {
        if (f->p2m[i].gfn == gfn && (types & PHYSMAP_BIT(f->p2m[i].type)) &&
            (mfn == PHYSMAP_ANY_MFN || mfn == f->p2m[i].mfn)) {
            f->p2m[i] = f->p2m[--f->nr_p2m];
            return 0;
        }
    }
    return -XEN_ENOENT;
}

static unsigned int fake_tlb_flushes;

/* A frame of the fake guest memory, as the fake map_guest_frame() sees it (no references). */
__attribute__((weak)) int physmap_get_page(struct domain *d, uint64_t gfn, unsigned int types,
                                           bool write, uint64_t *mfn)
{
    (void)types;
    (void)write;
    if (gfn >= FAKE_PAGES || gfn == FAKE_HOLE_PFN)
        return -XEN_EINVAL;
    *mfn = (uint64_t)(uintptr_t)(fake_of(d)->mem + (gfn << PAGE_SHIFT)) >> PAGE_SHIFT;
    return PHYSMAP_RAM;
}

__attribute__((weak)) void arch_domain_flush_tlbs(struct domain *d)
{
    (void)d;
    fake_tlb_flushes++;
}

struct domain *domain_by_id(uint16_t domid)
{
    for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++)
        if (fake_doms[i] && fake_doms[i]->d.domain_id == domid)
            return &fake_doms[i]->d;
    return NULL;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    d->is_shutdown = true;
    d->shutdown_reason = reason;
}

void domain_crash(struct domain *d, const char *why)
{
    (void)why;
    domain_shutdown(d, 3);
}

void vcpu_kick(struct vcpu *v)
{
    v->kicked = true;
    fake_kicks++;
}

struct vcpu *current_vcpu(void)
{
    return NULL;
}

void vcpu_yield(void)
{
    fake_yields++;
}

void vcpu_block(struct vcpu *v)
{
    v->blocked = true;
    fake_blocks++;
}

/* Tests that do not compile hv/arch/x86/hvm/vcpu_init.c or domctl.c: VCPUOP_initialise/up/down
 * are counted and succeed; the toolstack lock is a no-op. */
static unsigned int fake_vcpu_inits, fake_vcpu_ups, fake_vcpu_downs;

__attribute__((weak)) int arch_vcpu_initialise(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    (void)v;
    (void)ctx;
    fake_vcpu_inits++;
    return 0;
}

__attribute__((weak)) int arch_vcpu_up(struct vcpu *v)
{
    (void)v;
    fake_vcpu_ups++;
    return 0;
}

__attribute__((weak)) int arch_vcpu_down(struct vcpu *v)
{
    (void)v;
    fake_vcpu_downs++;
    return 0;
}

__attribute__((weak)) void domctl_lock(void)
{
}

__attribute__((weak)) void domctl_unlock(void)
{
}

static uint64_t fake_wallclock_boot_ns = 1700000000123456789ULL;

uint64_t arch_wallclock_boot_ns(void)
{
    return fake_wallclock_boot_ns;
}

void arch_set_wallclock_boot_ns(uint64_t ns)
{
    fake_wallclock_boot_ns = ns;
}

const char *arch_hypervisor_cmdline(void)
{
    return "console=com1 loglvl=all";
}

uint64_t now_ns(void)
{
    return (uint64_t)((unsigned __int128)fake_tsc * 1000000 / fake_khz);
}

uint64_t tsc_khz(void)
{
    return fake_khz;
}

uint64_t rdtsc_now(void)
{
    return fake_tsc;
}

static inline void fake_advance_ns(uint64_t ns)
{
    fake_tsc += ns * fake_khz / 1000000;
}

/* Fire t as the timer softirq would once its time has come. */
static inline void fake_timer_fire(struct timer *t)
{
    if (!t->active)
        return;
    t->active = false;
    t->fn(t->data);
}

__attribute__((weak)) void *alloc_page_zeroed(void)
{
    void *p;

    if (fake_alloc_fails)
        return NULL;
    p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    memset(p, 0, PAGE_SIZE);
    fake_pages_out++;
    return p;
}

__attribute__((weak)) void free_pages(void *p, unsigned int order)
{
    (void)order;
    free(p);
    fake_pages_out--;
}

void console_guest_write(const char *s, size_t len)
{
    len = MIN(len, sizeof(fake_con_out) - 1 - fake_con_out_len);
    memcpy(fake_con_out + fake_con_out_len, s, len);
    fake_con_out_len += len;
    fake_con_out[fake_con_out_len] = '\0';
}

size_t console_guest_read(char *buf, size_t len)
{
    size_t n = MIN(len, strlen(fake_con_in));

    memcpy(buf, fake_con_in, n);
    fake_con_in += n;
    return n;
}

/* ---- building and tearing down test domains ---- */
static inline struct domain *fake_domain_create(uint16_t id, unsigned int nr_vcpus, bool privileged)
{
    struct fake_dom *f = calloc(1, sizeof(*f));
    struct domain *d = &f->d;

    f->mem = aligned_alloc(PAGE_SIZE, FAKE_PAGES * PAGE_SIZE);
    memset(f->mem, 0, FAKE_PAGES * PAGE_SIZE);
    d->domain_id = id;
    d->is_privileged = privileged;
    d->max_vcpus = nr_vcpus;
    d->tot_pages = 1000;
    d->max_pages = 2000;
    d->shared_info = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    memset(d->shared_info, 0, PAGE_SIZE);
    hypercall_domain_init(d);
    /* A small PVH-like map: low RAM, a hole, RAM from 1 MiB. */
    d->e820[0] = (struct e820entry){0, 0x9f000, E820_RAM};
    d->e820[1] = (struct e820entry){0x9f000, 0x61000, E820_RESERVED};
    d->e820[2] = (struct e820entry){0x100000, 0x3ff00000, E820_RAM};
    d->nr_e820 = 3;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));

        v->vcpu_id = i;
        v->domain = d;
        v->online = i == 0;
        v->processor = i;
        v->affinity_hard = v->affinity_soft = ~0ULL;
        d->vcpus[i] = v;
        hypercall_vcpu_init(v);
    }
    for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++) {
        if (!fake_doms[i]) {
            fake_doms[i] = f;
            break;
        }
    }
    return d;
}

/* Unregister and free a test domain without touching its hypercall state. */
static inline void fake_domain_release(struct domain *d)
{
    struct fake_dom *f = fake_of(d);

    for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++)
        if (fake_doms[i] == f)
            fake_doms[i] = NULL;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        free(d->vcpus[i]);
    free(d->shared_info);
    free(f->mem);
    free(f);
}

static inline void fake_domain_destroy(struct domain *d)
{
    hypercall_domain_teardown(d);
    fake_domain_release(d);
}

/* ---- domctl / sysctl: domain lifecycle, arch and scheduler hooks, the console ring ---- */
#include <hv/domctl.h>
#include <hv/hvm_save.h>
#include <hv/sched.h>
#include <public/vcpu.h>

/* Tests that do not compile domctl.c or sysctl.c: the dispatch table's entries say -ENOSYS. */
__attribute__((weak)) long do_domctl(struct vcpu *v, uint64_t arg)
{
    (void)v;
    (void)arg;
    return -XEN_ENOSYS;
}

__attribute__((weak)) long do_sysctl(struct vcpu *v, uint64_t arg)
{
    (void)v;
    (void)arg;
    return -XEN_ENOSYS;
}

/* Tests that do not compile hv/common/domctl_hvm.c: the HVM-context sub-ops say -ENOSYS. */
__attribute__((weak)) long domctl_hvmcontext(struct vcpu *v, struct domain *d,
                                             struct xen_domctl *op, bool *copyback)
{
    (void)v;
    (void)d;
    (void)op;
    (void)copyback;
    return -XEN_ENOSYS;
}

static unsigned int fake_nr_cpus = 2;
static int fake_arch_create_rc;           /* what arch_domain_create() returns */
static int fake_vcpu_create_fail_id = -1; /* arch_vcpu_create() fails for this vCPU id */
static unsigned int fake_arch_creates, fake_arch_frees, fake_vcpu_syncs, fake_vcpu_removes;
static unsigned int fake_vcpus_added, fake_cpu_kicks;
static uint64_t fake_total_pages = 262144, fake_free_pages = 100000;

/* domain_alloc() as in hv/common/domain.c, on fake domains (no RAM, every vCPU down). */
struct domain *domain_alloc(uint16_t domid, unsigned int max_vcpus)
{
    struct domain *d;
    bool slot = false;

    for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++)
        slot |= !fake_doms[i];
    if (!slot || fake_alloc_fails || domid >= MAX_DOMAINS || max_vcpus == 0 ||
        max_vcpus > MAX_VCPUS || domain_by_id(domid))
        return NULL;
    d = fake_domain_create(domid, max_vcpus, false);
    d->tot_pages = 0;
    d->max_pages = 0;
    d->nr_e820 = 0;
    for (unsigned int i = 0; i < max_vcpus; i++) {
        d->vcpus[i]->online = false;
        d->vcpus[i]->runstate = RUNSTATE_offline;
        d->vcpus[i]->processor = 0;
    }
    return d;
}

void domain_free(struct domain *d)
{
    fake_domain_release(d);
}

__attribute__((weak)) int arch_domain_create(struct domain *d, uint32_t cdf_flags)
{
    (void)d;
    (void)cdf_flags;
    fake_arch_creates++;
    return fake_arch_create_rc;
}

int arch_vcpu_create(struct vcpu *v)
{
    return (int)v->vcpu_id == fake_vcpu_create_fail_id ? -XEN_ENOMEM : 0;
}

/* Frees the domain's "RAM" (tot_pages) budget pages at a time. */
__attribute__((weak)) long arch_domain_relinquish(struct domain *d, unsigned long budget)
{
    d->tot_pages -= MIN((uint64_t)budget, d->tot_pages);
    return (long)d->tot_pages;
}

#ifndef FAKE_REAL_MEM /* real_mem.h frees the real p2m */
void arch_domain_free(struct domain *d)
{
    (void)d;
    fake_arch_frees++;
}
#endif

void sched_vcpu_sync(struct vcpu *v)
{
    (void)v;
    fake_vcpu_syncs++;
}

void sched_remove_vcpu(struct vcpu *v)
{
    (void)v;
    fake_vcpu_removes++;
}

void sched_add_vcpu(struct vcpu *v, unsigned int cpu)
{
    v->processor = cpu;
    fake_vcpus_added++;
}

/* Placement as the old fixed rule (vCPU i on pCPU i mod n): the real policy has its own tests. */
void sched_place_vcpu(struct vcpu *v)
{
    sched_add_vcpu(v, v->vcpu_id % fake_nr_cpus);
}

static unsigned int fake_affinity_changes;

void sched_affinity_changed(struct vcpu *v)
{
    (void)v;
    fake_affinity_changes++;
}

/* domain_kill_vcpus() as in hv/common/domain.c, with the fake timers and scheduler. */
void domain_kill_vcpus(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        v->periodic_ns = 0;
        timer_stop(&v->periodic);
        timer_stop(&v->singleshot);
        timer_stop(&v->poll_timer);
        sched_remove_vcpu(v);
    }
}

static bool fake_vcpus_linger; /* domain_vcpus_gone() says no while set */

bool domain_vcpus_gone(const struct domain *d)
{
    (void)d;
    return !fake_vcpus_linger;
}

/* No other pCPU exists here: unlinking frees at once (the grace period has its own tests). */
void domain_unlink(struct domain *d)
{
    arch_domain_free(d);
    domain_free(d);
}

unsigned int arch_nr_cpus(void)
{
    return fake_nr_cpus;
}

unsigned int arch_cpu_id(void)
{
    return 0;
}

void arch_kick_cpu(unsigned int cpu)
{
    (void)cpu;
    fake_cpu_kicks++;
}

void arch_cpu_relax(void)
{
}

/* One pCPU: nothing waits for its quiescent points (the grace period has its own tests). */
void rcu_quiescent(unsigned int cpu)
{
    (void)cpu;
}

/* Word i of featureset index is (index << 16) | i, so tests can tell them apart. */
void arch_cpu_featureset(unsigned int index, uint32_t *fs, unsigned int nr)
{
    for (unsigned int i = 0; i < nr; i++)
        fs[i] = (index << 16) | i;
}

uint64_t arch_max_mfn(void)
{
    return 0x123456;
}

__attribute__((weak)) uint64_t page_alloc_total_pages(void)
{
    return fake_total_pages;
}

__attribute__((weak)) uint64_t page_alloc_free_pages(void)
{
    return fake_free_pages;
}

/* A small console ring with the semantics of hv/common/console.c's (absolute positions). */
#define FAKE_CONRING_SIZE 64
static char fake_conring[FAKE_CONRING_SIZE];
static uint64_t fake_conring_prod, fake_conring_first;

static inline void fake_conring_put(const char *s)
{
    for (; *s; s++)
        fake_conring[fake_conring_prod++ % FAKE_CONRING_SIZE] = *s;
}

size_t console_ring_read(char *buf, size_t len, uint64_t *pos)
{
    uint64_t oldest =
        fake_conring_prod > FAKE_CONRING_SIZE ? fake_conring_prod - FAKE_CONRING_SIZE : 0;
    uint64_t p = *pos;
    size_t n = 0;

    if (oldest < fake_conring_first)
        oldest = fake_conring_first;
    if (p < oldest)
        p = oldest;
    while (n < len && p < fake_conring_prod)
        buf[n++] = fake_conring[p++ % FAKE_CONRING_SIZE];
    *pos = p;
    return n;
}

void console_ring_clear(void)
{
    fake_conring_first = fake_conring_prod;
}

/* Host pointer to guest-virtual gva of d (for setting up arguments and checking results). */
static inline void *G(struct domain *d, uint64_t gva)
{
    return fake_of(d)->mem + gva;
}

static inline struct shared_info *SI(struct domain *d)
{
    return d->shared_info;
}

/* Issue hypercall nr from v with up to three arguments. */
static inline long hcall(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t args[5] = {a0, a1, a2, 0, 0};

    return hypercall_dispatch(v, nr, args);
}

/* Copy a struct into d's argument page and issue a hypercall with (cmd, GVA_ARG). */
#define HC_ARG(v, nr, cmd, obj)                                                                    \
    (memcpy(G((v)->domain, GVA_ARG), &(obj), sizeof(obj)), hcall((v), (nr), (cmd), GVA_ARG, 0))
/* Read the argument page back into obj (after HC_ARG). */
#define ARG_BACK(d, obj) memcpy(&(obj), G((d), GVA_ARG), sizeof(obj))

/* ---- guest-memory workers, for tests that do not compile them (memory_*.c, grant_*.c,
 * memop.c, frame_table.c): their sub-ops say -ENOSYS and frames are plainly freed ---- */
__attribute__((weak)) long memory_op_reservation(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    (void)v;
    (void)cmd;
    (void)arg;
    return -XEN_ENOSYS;
}

__attribute__((weak)) long memory_op_foreign(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    return memory_op_reservation(v, cmd, arg);
}

__attribute__((weak)) long gnttab_map_one(struct vcpu *v, uint64_t at)
{
    (void)v;
    (void)at;
    return -XEN_ENOSYS;
}

__attribute__((weak)) long gnttab_unmap_one(struct vcpu *v, uint64_t at)
{
    return gnttab_map_one(v, at);
}

__attribute__((weak)) long gnttab_copy_one(struct vcpu *v, uint64_t at)
{
    return gnttab_map_one(v, at);
}

__attribute__((weak)) void gnttab_release_mappings(struct domain *d)
{
    (void)d;
}

__attribute__((weak)) int memop_lock(void)
{
    return 0;
}

__attribute__((weak)) void memop_unlock(void)
{
}

__attribute__((weak)) struct domain *memop_get_target(struct domain *cur, domid_t domid,
                                                      bool *locked, int *err)
{
    *locked = false;
    return hypercall_target_domain(cur, domid, err);
}

__attribute__((weak)) void memop_put_target(bool locked)
{
    (void)locked;
}

__attribute__((weak)) void frame_release(uint64_t mfn)
{
    free_pages((void *)(uintptr_t)(mfn << PAGE_SHIFT), 0);
}

__attribute__((weak)) void frame_put(uint64_t mfn)
{
    (void)mfn;
}

#endif
