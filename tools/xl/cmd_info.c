/* `xl info', `xl dmesg' and `xl uptime': host facts, the hypervisor log and domain uptimes. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "ctx.h"
#include "fmt.h"

static void print_host(void)
{
    struct utsname u;

    if (uname(&u) < 0)
        return;
    xl_info_line(stdout, "host", "%s", u.nodename);
    xl_info_line(stdout, "release", "%s", u.release);
    xl_info_line(stdout, "version", "%s", u.version);
    xl_info_line(stdout, "machine", "%s", u.machine);
}

static int print_physinfo(struct xcall *xc)
{
    struct xen_sysctl_physinfo pi;
    char caps[256];
    const uint64_t per_mib = 256; /* 4 KiB pages per MiB */

    memset(&pi, 0, sizeof(pi));
    if (xctrl_physinfo(xc, &pi))
        return xl_fail("sysctl physinfo");
    xl_info_line(stdout, "nr_cpus", "%u", pi.nr_cpus);
    xl_info_line(stdout, "max_cpu_id", "%u", pi.max_cpu_id);
    xl_info_line(stdout, "nr_nodes", "%u", pi.nr_nodes);
    xl_info_line(stdout, "cores_per_socket", "%u", pi.cores_per_socket);
    xl_info_line(stdout, "threads_per_core", "%u", pi.threads_per_core);
    xl_info_line(stdout, "cpu_mhz", "%u.%03u", pi.cpu_khz / 1000, pi.cpu_khz % 1000);
    xl_info_line(stdout, "hw_caps", "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x", pi.hw_cap[0],
                 pi.hw_cap[1], pi.hw_cap[2], pi.hw_cap[3], pi.hw_cap[4], pi.hw_cap[5], pi.hw_cap[6],
                 pi.hw_cap[7]);
    xl_virt_caps(pi.capabilities, caps, sizeof(caps));
    printf("%-23s:%s\n", "virt_caps", caps);
    xl_info_line(stdout, "total_memory", "%" PRIu64, pi.total_pages / per_mib);
    xl_info_line(stdout, "free_memory", "%" PRIu64,
                 (pi.free_pages -
                  (pi.outstanding_pages < pi.free_pages ? pi.outstanding_pages : pi.free_pages)) /
                     per_mib);
    xl_info_line(stdout, "sharing_freed_memory", "%u", 0);
    xl_info_line(stdout, "sharing_used_memory", "%u", 0);
    xl_info_line(stdout, "outstanding_claims", "%" PRIu64, pi.outstanding_pages / per_mib);
    /* Xenolith has one cpupool holding every pCPU, so none is free. */
    xl_info_line(stdout, "free_cpus", "%u", 0);
    return 0;
}

static void vstring(struct xcall *xc, int cmd, char *buf, size_t len)
{
    if (xctrl_version_string(xc, cmd, buf, len))
        buf[0] = '\0';
}

static int print_xeninfo(struct xcall *xc)
{
    char extra[64], caps[1024], changeset[128], cmdline[1024];
    struct xen_compile_info ci;
    uint32_t sched = 0;
    int major, minor;

    if (xctrl_version(xc, &major, &minor))
        return xl_fail("xen_version");
    if (xctrl_sched_id(xc, &sched))
        return xl_fail("sysctl sched_id");
    vstring(xc, XENVER_extraversion, extra, sizeof(extra));
    vstring(xc, XENVER_capabilities, caps, sizeof(caps));
    vstring(xc, XENVER_changeset, changeset, sizeof(changeset));
    vstring(xc, XENVER_commandline, cmdline, sizeof(cmdline));
    memset(&ci, 0, sizeof(ci));
    xctrl_version_compile(xc, &ci);
    xl_info_line(stdout, "xen_major", "%d", major);
    xl_info_line(stdout, "xen_minor", "%d", minor);
    xl_info_line(stdout, "xen_extra", "%s", extra);
    xl_info_line(stdout, "xen_version", "%d.%d%s", major, minor, extra);
    xl_info_line(stdout, "xen_caps", "%s", caps);
    xl_info_line(stdout, "xen_scheduler", "%s", xl_sched_name(sched));
    xl_info_line(stdout, "xen_pagesize", "%u", 4096);
    xl_info_line(stdout, "platform_params", "virt_start=0x%" PRIx64, (uint64_t)0);
    xl_info_line(stdout, "xen_changeset", "%s", changeset);
    xl_info_line(stdout, "xen_commandline", "%s", cmdline);
    xl_info_line(stdout, "cc_compiler", "%.*s", (int)sizeof(ci.compiler), ci.compiler);
    xl_info_line(stdout, "cc_compile_by", "%.*s", (int)sizeof(ci.compile_by), ci.compile_by);
    xl_info_line(stdout, "cc_compile_domain", "%.*s", (int)sizeof(ci.compile_domain),
                 ci.compile_domain);
    xl_info_line(stdout, "cc_compile_date", "%.*s", (int)sizeof(ci.compile_date), ci.compile_date);
    xl_info_line(stdout, "build_id", "%s", "");
    return 0;
}

int xl_info_main(int argc, char **argv)
{
    struct xcall *xc;
    int opt;

    while ((opt = getopt(argc, argv, "n")) != -1) {
        if (opt != 'n')
            return xl_usage("info");
    }
    if (optind < argc)
        return xl_usage("info");
    xc = xl_xc();
    print_host();
    if (print_physinfo(xc) || print_xeninfo(xc))
        return 1;
    xl_info_line(stdout, "xend_config_format", "4");
    return 0;
}

int xl_dmesg_main(int argc, char **argv)
{
    /* Far more than the hypervisor's console ring holds, so one read returns all of it. */
    const size_t len = 1u << 20;
    uint32_t index = 0;
    int opt, clear = 0;
    char *buf;
    long n;

    while ((opt = getopt(argc, argv, "c")) != -1) {
        if (opt != 'c')
            return xl_usage("dmesg");
        clear = 1;
    }
    if (optind < argc)
        return xl_usage("dmesg");
    buf = malloc(len);
    if (!buf)
        return xl_fail("dmesg");
    n = xctrl_readconsole(xl_xc(), buf, len, clear, &index);
    if (n < 0) {
        free(buf);
        return xl_fail("sysctl readconsole");
    }
    fwrite(buf, 1, (size_t)n, stdout);
    free(buf);
    return 0;
}

/* Seconds since /vm/<uuid>/start_time of domid, or -1 when it has none. */
static long domu_uptime(uint32_t domid, time_t now)
{
    char path[96], *vm, *start;
    long up = -1;

    snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
    vm = xstore_read(xl_xs(), XSTORE_NO_TXN, path, NULL);
    if (!vm)
        return -1;
    snprintf(path, sizeof(path), "%s/start_time", vm);
    start = xstore_read(xl_xs(), XSTORE_NO_TXN, path, NULL);
    if (start) {
        long s = strtol(start, NULL, 10);

        if (s > 0 && s <= now)
            up = (long)(now - s);
    }
    free(start);
    free(vm);
    return up;
}

static long dom0_uptime(void)
{
    FILE *f = fopen("/proc/uptime", "r");
    double up = -1;

    if (!f)
        return -1;
    if (fscanf(f, "%lf", &up) != 1)
        up = -1;
    fclose(f);
    return (long)up;
}

struct uptime_args {
    bool short_mode;
    time_t now;
};

/* One uptime line (nothing for a domain without a start time); 0. */
static int print_uptime(uint32_t domid, void *arg)
{
    const struct uptime_args *a = arg;
    bool short_mode = a->short_mode;
    time_t now = a->now;
    long up = domid == 0 ? dom0_uptime() : domu_uptime(domid, now);
    char *name;
    char s[64];

    if (up < 0)
        return 0;
    name = xl_domain_name(domid);
    xl_format_uptime((unsigned long)up, short_mode, s, sizeof(s));
    if (short_mode) {
        char clock[16] = "";
        struct tm tm;

        if (localtime_r(&now, &tm))
            strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
        printf(" %s up %s, %s (%u)\n", clock, s, name ? name : "(null)", domid);
    } else {
        printf("%-33s %4u %s\n", name ? name : "(null)", domid, s);
    }
    free(name);
    return 0;
}

int xl_uptime_main(int argc, char **argv)
{
    struct uptime_args a = {.short_mode = false, .now = time(NULL)};
    int opt;

    while ((opt = getopt(argc, argv, "s")) != -1) {
        if (opt != 's')
            return xl_usage("uptime");
        a.short_mode = true;
    }
    if (!a.short_mode)
        printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
    return xl_each_domain(argv + optind, argc - optind, print_uptime, &a, false);
}
