/*
 * The credit scheduler seen from dom0 with real domUs on two pCPUs: two spinning domUs pinned
 * to pCPU 1 share it by weight, caps hold even on an idle pCPU, a hard-affinity change moves a
 * running vCPU, dom0's wake-ups are served within the rate limit while a domU spins on its
 * pCPU (no later than on an idle pCPU, give or take 2 ms), and destroying the domUs gives every
 * page back at once.
 */
#include "xtf.h"
#include "toolstack.h"

const char test_title[] = "dom0-sched: weights, caps, affinity and wake-up latency with domUs";

#define MS        1000000ULL
#define SCRATCH   0x31000ULL /* a hole in dom0's physmap (64 MiB of RAM), identity-mapped */
#define WINDOW    (2000 * MS)
#define SETTLE    (300 * MS)
#define LAT_WAKES 21

static const uint8_t spin[] = {0xeb, 0xfe}; /* 1: jmp 1b (no exits of its own) */

static uint64_t cpu_time(domid_t dom)
{
    struct xen_domctl_getvcpuinfo info;

    if (ts_vcpu_info(dom, 0, &info))
        xtf_failure("d%u: getvcpuinfo failed", dom);
    return info.cpu_time;
}

/* Percent of one pCPU each domain's vCPU 0 got over WINDOW (after SETTLE). */
static void measure(domid_t a, domid_t b, unsigned int *pa, unsigned int *pb)
{
    uint64_t t0, t1, a0, b0;

    ts_sleep_until(ts_now_ns() + SETTLE);
    t0 = ts_now_ns();
    a0 = cpu_time(a);
    b0 = cpu_time(b);
    ts_sleep_until(t0 + WINDOW);
    t1 = ts_now_ns();
    *pa = (unsigned int)((cpu_time(a) - a0) * 1000 / (t1 - t0));
    *pb = (unsigned int)((cpu_time(b) - b0) * 1000 / (t1 - t0));
    printk("  d%u %u.%u%%, d%u %u.%u%% of a pCPU over %llu ms\n", a, *pa / 10, *pa % 10, b,
           *pb / 10, *pb % 10, (unsigned long long)((t1 - t0) / MS));
}

/* Wait up to 1 s for dom's vCPU 0 to be on pCPU cpu. */
static void expect_on(domid_t dom, unsigned int cpu)
{
    struct xen_domctl_getvcpuinfo info;
    uint64_t deadline = ts_now_ns() + 1000 * MS;

    do {
        if (ts_vcpu_info(dom, 0, &info))
            xtf_failure("d%u: getvcpuinfo failed", dom);
        if (info.cpu == cpu)
            return;
        ts_sleep_until(ts_now_ns() + MS);
    } while (ts_now_ns() < deadline);
    xtf_error("d%u's vCPU is on pCPU %u, expected %u", dom, info.cpu, cpu);
}

static void in_range(const char *what, unsigned int permille, unsigned int lo, unsigned int hi)
{
    if (permille < lo || permille > hi)
        xtf_error("%s: %u.%u%%, expected %u-%u%%", what, permille / 10, permille % 10, lo / 10,
                  hi / 10);
}

static void pause(domid_t dom, bool on)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    xtf_check_rc(on ? "pausedomain" : "unpausedomain",
                 ts_domctl(&op, on ? XEN_DOMCTL_pausedomain : XEN_DOMCTL_unpausedomain, dom), 0);
}

/* How late dom0 wakes from 5 ms sleeps while a domU spins on its pCPU: the median, in us. */
static uint64_t wake_latency_us(void)
{
    uint64_t late[LAT_WAKES];

    for (unsigned int i = 0; i < LAT_WAKES; i++) {
        uint64_t deadline = ts_now_ns() + 5 * MS + i * 137000; /* not in step with any tick */

        ts_sleep_until(deadline);
        late[i] = ts_now_ns() - deadline;
    }
    for (unsigned int i = 1; i < LAT_WAKES; i++) /* insertion sort */
        for (unsigned int j = i; j > 0 && late[j] < late[j - 1]; j--) {
            uint64_t t = late[j];
            late[j] = late[j - 1];
            late[j - 1] = t;
        }
    printk("  dom0 wake-up lateness: median %llu us, max %llu us\n",
           (unsigned long long)(late[LAT_WAKES / 2] / 1000),
           (unsigned long long)(late[LAT_WAKES - 1] / 1000));
    return late[LAT_WAKES / 2] / 1000;
}

void test_main(void)
{
    struct xen_sysctl si;
    uint64_t free_before, quiet, busy;
    unsigned int pa, pb;
    domid_t a, b;

    memset(&si, 0, sizeof(si));
    if (ts_sysctl(&si, XEN_SYSCTL_physinfo) || si.u.physinfo.nr_cpus < 2)
        xtf_failure("needs two pCPUs (QEMU -smp 2)");
    /* A first domU makes dom0's own page tables for the scratch frame; those stay. */
    xtf_check_rc("destroy a warm-up domU", ts_destroy(ts_build_domu(1, spin, 2, SCRATCH)), 0);
    free_before = ts_free_pages();
    a = ts_build_domu(1, spin, sizeof(spin), SCRATCH);
    b = ts_build_domu(1, spin, sizeof(spin), SCRATCH);

    printk("Impossible affinities are refused\n");
    xtf_check_rc("pin to no pCPU", ts_pin(a, 0, 0), -XEN_EINVAL);
    xtf_check_rc("pin to pCPUs that do not exist", ts_pin(a, 0, 0xf0), -XEN_EINVAL);

    printk("Weights 512:256, both pinned to pCPU 1\n");
    xtf_check_rc("pin a", ts_pin(a, 0, 0x2), 0);
    xtf_check_rc("pin b", ts_pin(b, 0, 0x2), 0);
    xtf_check_rc("weight a", ts_sched_credit(a, 512, 0xffff), 0);
    xtf_check_rc("weight b", ts_sched_credit(b, 256, 0xffff), 0);
    pause(a, false);
    pause(b, false);
    expect_on(a, 1);
    expect_on(b, 1);
    measure(a, b, &pa, &pb);
    if (pa * 10 < pb * 18 || pa * 10 > pb * 22)
        xtf_error("weights 512:256 gave %u:%u, not 2:1 within 10%%", pa, pb);
    in_range("both together", pa + pb, 900, 1020);

    printk("Cap 50 on an otherwise idle pCPU\n");
    pause(b, true);
    xtf_check_rc("cap a", ts_sched_credit(a, 256, 50), 0);
    measure(a, b, &pa, &pb);
    in_range("capped at 50", pa, 430, 520);
    in_range("paused", pb, 0, 0);

    printk("Cap 25 next to an uncapped domU\n");
    xtf_check_rc("cap a", ts_sched_credit(a, 0, 25), 0);
    pause(b, false);
    measure(a, b, &pa, &pb);
    in_range("capped at 25", pa, 200, 270);
    in_range("uncapped", pb, 700, 800);

    printk("Moving the running d%u to pCPU 0, uncapped\n", a);
    xtf_check_rc("cap off", ts_sched_credit(a, 0, 0), 0);
    xtf_check_rc("pin a to pCPU 0", ts_pin(a, 0, 0x1), 0);
    expect_on(a, 0);
    measure(a, b, &pa, &pb);
    in_range("alone on pCPU 1", pb, 900, 1020);
    in_range("next to an idle dom0 on pCPU 0", pa, 800, 1020);

    /* Without the boost a waker waits for the rest of the spinner's slice: about 5 ms more
     * on the median. The host's own jitter (QEMU threads on a busy machine) is measured
     * first, with the spinner paused, and allowed for. */
    printk("dom0 wakes with its pCPU otherwise idle\n");
    pause(a, true);
    quiet = wake_latency_us();
    printk("dom0 wakes while d%u spins on its pCPU\n", a);
    pause(a, false);
    busy = wake_latency_us();
    if (busy > quiet + 2000)
        xtf_error("dom0's median wake-up lateness is %llu us next to a spinner, %llu us "
                  "without: no boost?",
                  (unsigned long long)busy, (unsigned long long)quiet);

    xtf_check_rc("destroy a", ts_destroy(a), 0);
    xtf_check_rc("destroy b", ts_destroy(b), 0);
    if (ts_free_pages() != free_before)
        xtf_error("free pages %llu after destroying both, %llu before",
                  (unsigned long long)ts_free_pages(), (unsigned long long)free_before);
}
