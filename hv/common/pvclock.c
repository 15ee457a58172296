/* pvclock: vcpu_time_info records, the shared_info wall clock, the guest system-time reference. */
#include <hv/pvclock.h>
#include <hv/event.h>
#include <hv/lib.h>

/*
 * One reference for every guest, taken the first time guest time is needed
 * (after TSC calibration). Every vcpu_time_info carries exactly this
 * (tsc_timestamp, system_time, mul, shift), so the guest's clock is a single
 * linear function of the TSC: rewriting a record never makes time jump,
 * every vCPU agrees, and no periodic refresh is needed.
 *
 * XEN_PVCLOCK_TSC_STABLE_BIT is set only when the arch declares the TSC
 * invariant and synchronised across pCPUs (pvclock_set_tsc_stable). Under
 * QEMU TCG the guest-visible TSC follows the host clock but is not
 * advertised as invariant, so by default the bit stays clear: Linux then
 * keeps its pvclock globally monotonic itself (one shared atomic) and does
 * not try the vDSO time area. Clearing the bit is always safe; setting it
 * on a TSC that differs between pCPUs would let time run backwards.
 */
static struct {
    spinlock_t lock;
    bool ready; /* written once under lock, read with acquire */
    uint64_t tsc;
    uint64_t ns;
    uint32_t mul;
    int8_t shift;
} ref = {.lock = SPINLOCK_INIT};

static bool tsc_stable;
static spinlock_t wallclock_lock = SPINLOCK_INIT; /* serialises wc_* writers of all domains */

#define NS_PER_SEC 1000000000ULL

static void write_barrier(void)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

void pvclock_compute_scale(uint64_t ticks_per_sec, uint32_t *mul, int8_t *shift)
{
    uint64_t t = ticks_per_sec ? ticks_per_sec : 1;
    int s = 0;

    /* Bring the rate into (1e9, 2e9] by halving or doubling; each step moves the shift. */
    while (t > 2 * NS_PER_SEC) {
        t >>= 1;
        s--;
    }
    while (t <= NS_PER_SEC) {
        t <<= 1;
        s++;
    }
    /* mul = 2^32 * 1e9 / t, which lies in [2^31, 2^32) because t is in (1e9, 2e9]. */
    *mul = (uint32_t)((NS_PER_SEC << 32) / t);
    *shift = (int8_t)s;
}

uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

void pvclock_set_tsc_stable(bool stable)
{
    __atomic_store_n(&tsc_stable, stable, __ATOMIC_RELEASE);
}

static void ensure_reference(void)
{
    if (__atomic_load_n(&ref.ready, __ATOMIC_ACQUIRE))
        return;
    spin_lock(&ref.lock);
    if (!ref.ready) {
        pvclock_compute_scale(tsc_khz() * 1000, &ref.mul, &ref.shift);
        ref.tsc = rdtsc_now();
        ref.ns = now_ns();
        __atomic_store_n(&ref.ready, true, __ATOMIC_RELEASE);
    }
    spin_unlock(&ref.lock);
}

uint64_t guest_system_time(void)
{
    uint64_t tsc;

    ensure_reference();
    tsc = rdtsc_now();
    if (tsc >= ref.tsc)
        return ref.ns + pvclock_scale_delta(tsc - ref.tsc, ref.mul, ref.shift);
    /* A pCPU whose TSC lags the reference: count backwards, never below 0. */
    tsc = pvclock_scale_delta(ref.tsc - tsc, ref.mul, ref.shift);
    return tsc < ref.ns ? ref.ns - tsc : 0;
}

uint64_t guest_time_to_host_ns(uint64_t guest_ns)
{
    uint64_t g = guest_system_time(), h = now_ns();

    if (guest_ns <= g)
        return h;
    if (guest_ns - g > UINT64_MAX - h)
        return UINT64_MAX;
    return h + (guest_ns - g);
}

void update_vcpu_system_time(struct vcpu *v)
{
    struct vcpu_info *vi = vcpu_info_of(v);
    struct vcpu_time_info *t;
    uint32_t version;

    if (!vi)
        return;
    ensure_reference();
    t = &vi->time;

    spin_lock(&v->time_lock);
    /* Odd while writing; the guest retries until it sees the same even value twice. */
    version = (__atomic_load_n(&t->version, __ATOMIC_RELAXED) + 1) | 1;
    __atomic_store_n(&t->version, version, __ATOMIC_RELAXED);
    write_barrier();
    t->tsc_timestamp = ref.tsc;
    t->system_time = ref.ns;
    t->tsc_to_system_mul = ref.mul;
    t->tsc_shift = ref.shift;
    t->flags = __atomic_load_n(&tsc_stable, __ATOMIC_ACQUIRE) ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
    write_barrier();
    __atomic_store_n(&t->version, version + 1, __ATOMIC_RELAXED);
    spin_unlock(&v->time_lock);
}

void update_domain_wallclock_time(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    uint64_t wall, sec;
    uint32_t version;

    if (!s)
        return;
    /* Guest system time and now_ns() share their origin, so this is the wall time at guest time 0.
     */
    wall = arch_wallclock_boot_ns();
    sec = wall / NS_PER_SEC;

    spin_lock(&wallclock_lock);
    version = (__atomic_load_n(&s->wc_version, __ATOMIC_RELAXED) + 1) | 1;
    __atomic_store_n(&s->wc_version, version, __ATOMIC_RELAXED);
    write_barrier();
    s->wc_sec = (uint32_t)sec;
    s->wc_sec_hi = (uint32_t)(sec >> 32);
    s->wc_nsec = (uint32_t)(wall % NS_PER_SEC);
    write_barrier();
    __atomic_store_n(&s->wc_version, version + 1, __ATOMIC_RELAXED);
    spin_unlock(&wallclock_lock);
}
