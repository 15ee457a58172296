/* vCPU commands: vcpu-list, vcpu-set, vcpu-pin, and the credit scheduler's sched-credit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "ctx.h"
#include "fmt.h"

/* Online pCPUs of the host (at most XL_MAX_CPUS), or 0 after a reported failure. */
static unsigned int host_cpus(void)
{
    struct xen_sysctl_physinfo pi;

    memset(&pi, 0, sizeof(pi));
    if (xctrl_physinfo(xl_xc(), &pi)) {
        xl_fail("sysctl physinfo");
        return 0;
    }
    return pi.nr_cpus > XL_MAX_CPUS ? XL_MAX_CPUS : pi.nr_cpus;
}

/* vcpu-list's rows of one domain (*(unsigned int *)arg host CPUs); -1 if it does not exist. */
static int list_domain_vcpus(uint32_t domid, void *arg)
{
    unsigned int ncpu = *(const unsigned int *)arg;
    struct xctrl_dominfo di;
    char *name;
    unsigned int v;

    if (xl_domain_info(domid, &di))
        return -1;
    name = xl_domain_name(domid);
    for (v = 0; v <= di.max_vcpu_id; v++) {
        struct xctrl_vcpuinfo vi;
        uint64_t hard = 0, soft = 0;

        if (xctrl_vcpu_getinfo(xl_xc(), domid, v, &vi))
            continue; /* ids above max_vcpus of a domain still being built */
        if (xctrl_vcpu_getaffinity(xl_xc(), domid, v, &hard, &soft))
            hard = soft = ~0ULL;
        xl_vcpu_row(stdout, name, domid, v, &vi, hard, soft, ncpu);
    }
    free(name);
    return 0;
}

int xl_vcpu_list_main(int argc, char **argv)
{
    unsigned int ncpu;

    if (getopt(argc, argv, "") != -1)
        return xl_usage("vcpu-list");
    ncpu = host_cpus();
    if (!ncpu)
        return 1;
    xl_vcpu_header(stdout);
    return xl_each_domain(argv + optind, argc - optind, list_domain_vcpus, &ncpu, true);
}

int xl_vcpu_set_main(int argc, char **argv)
{
    struct xctrl_dominfo di;
    uint32_t domid;
    unsigned long n;
    unsigned int i;
    char *end;
    int opt;

    while ((opt = getopt(argc, argv, "i")) != -1)
        if (opt != 'i')
            return xl_usage("vcpu-set");
    if (optind + 2 != argc)
        return xl_usage("vcpu-set");
    n = strtoul(argv[optind + 1], &end, 10);
    if (end == argv[optind + 1] || *end || n == 0) {
        fprintf(stderr, "Error: Invalid argument.\n");
        return 1;
    }
    if (xl_find_domain(argv[optind], &domid) || xl_domain_info(domid, &di))
        return 1;
    if (n > di.max_vcpu_id + 1UL) {
        fprintf(stderr, "xl: domain %u has at most %u vCPUs (its maxvcpus)\n", domid,
                di.max_vcpu_id + 1);
        return 1;
    }
    for (i = 0; i <= di.max_vcpu_id; i++) {
        char path[80];

        snprintf(path, sizeof(path), "/local/domain/%u/cpu/%u/availability", domid, i);
        if (xstore_write_str(xl_xs(), XSTORE_NO_TXN, path, i < n ? "online" : "offline"))
            return xl_fail("writing vCPU availability");
    }
    return 0;
}

/* Parse one affinity argument: "-" leaves it (NULL out), else a CPU list. */
static int affinity_arg(const char *s, unsigned int ncpu, uint64_t *mask, uint64_t **out)
{
    if (!s || !strcmp(s, "-")) {
        *out = NULL;
        return 0;
    }
    if (xl_parse_cpumap(s, ncpu, mask)) {
        fprintf(stderr, "Error: Invalid CPU list '%s' (the host has CPUs 0-%u).\n", s, ncpu - 1);
        return -1;
    }
    *out = mask;
    return 0;
}

int xl_vcpu_pin_main(int argc, char **argv)
{
    uint64_t hmask, smask, *hard, *soft;
    struct xctrl_dominfo di;
    unsigned int ncpu, first, last, v;
    uint32_t domid;
    int opt;

    while ((opt = getopt(argc, argv, "f")) != -1)
        if (opt != 'f')
            return xl_usage("vcpu-pin");
    if (argc - optind < 3 || argc - optind > 4)
        return xl_usage("vcpu-pin");
    if (xl_find_domain(argv[optind], &domid) || xl_domain_info(domid, &di))
        return 1;
    ncpu = host_cpus();
    if (!ncpu)
        return 1;
    if (!strcmp(argv[optind + 1], "all")) {
        first = 0;
        last = di.max_vcpu_id;
    } else {
        char *end;
        unsigned long id = strtoul(argv[optind + 1], &end, 10);

        if (end == argv[optind + 1] || *end || id > di.max_vcpu_id) {
            fprintf(stderr, "Error: Invalid argument %s as VCPU.\n", argv[optind + 1]);
            return 1;
        }
        first = last = (unsigned int)id;
    }
    if (affinity_arg(argv[optind + 2], ncpu, &hmask, &hard) ||
        affinity_arg(argc - optind == 4 ? argv[optind + 3] : NULL, ncpu, &smask, &soft))
        return 1;
    if (!hard && !soft)
        return 0;
    for (v = first; v <= last; v++) {
        uint64_t h = hard ? *hard : 0, s = soft ? *soft : 0;

        if (xctrl_vcpu_setaffinity(xl_xc(), domid, v, hard ? &h : NULL, soft ? &s : NULL)) {
            fprintf(stderr, "Could not set affinity for vcpu `%u': %s.\n", v, strerror(errno));
            return 1;
        }
    }
    return 0;
}

static void credit_row(uint32_t domid)
{
    uint16_t w, c;
    char *name;

    if (xctrl_sched_credit_get(xl_xc(), domid, &w, &c))
        return;
    name = xl_domain_name(domid);
    printf("%-33s %4u %6u %4u\n", name ? name : "(null)", domid, w, c);
    free(name);
}

/* A number option value in [lo, hi]; -1 after a reported error. */
static long num_arg(const char *s, const char *what, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "xl: invalid %s '%s' (%ld..%ld)\n", what, s, lo, hi);
        return -1;
    }
    return v;
}

int xl_sched_credit_main(int argc, char **argv)
{
    const char *dom = NULL;
    long weight = -2, cap = -2;
    uint32_t domid;
    int opt;

    while ((opt = getopt(argc, argv, "d:w:c:p:")) != -1) {
        switch (opt) {
        case 'd':
            dom = optarg;
            break;
        case 'w':
            if ((weight = num_arg(optarg, "weight", 1, 65535)) < 0)
                return 1;
            break;
        case 'c':
            if ((cap = num_arg(optarg, "cap", 0, 65535)) < 0)
                return 1;
            break;
        case 'p':
            if (strcmp(optarg, "Pool-0")) {
                fprintf(stderr, "xl: no cpupool '%s' (Xenolith has Pool-0 only)\n", optarg);
                return 1;
            }
            break;
        default:
            return xl_usage("sched-credit");
        }
    }
    if (optind != argc || ((weight >= 0 || cap >= 0) && !dom))
        return xl_usage("sched-credit");
    if (dom && xl_find_domain(dom, &domid))
        return 1;
    if (weight >= 0 || cap >= 0) {
        uint16_t w, c;

        if (xctrl_sched_credit_get(xl_xc(), domid, &w, &c))
            return xl_fail("reading scheduler parameters");
        if (xctrl_sched_credit_set(xl_xc(), domid, weight >= 0 ? (uint16_t)weight : w,
                                   cap >= 0 ? (uint16_t)cap : c))
            return xl_fail("setting scheduler parameters");
        return 0;
    }
    printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
    if (dom) {
        credit_row(domid);
    } else {
        struct xctrl_dominfo *all;
        int n = xl_list_domains(&all), i;

        if (n < 0)
            return 1;
        for (i = 0; i < n; i++)
            credit_row(all[i].domid);
        free(all);
    }
    return 0;
}
