/* Build and start one PVH domain from a domain_config, as libxl does (dom0-toolstack.md §3.2). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <public/hvm/params.h>
#include <public/sched.h>
#include <xenolith/guest.h>

#include "ctx.h"
#include "fmt.h"
#include "lifecycle.h"
#include "trace.h"

/* Memory the hypervisor needs beside the guest's own RAM: libxl's LIBXL_MAXMEM_CONSTANT. */
#define MAXMEM_SLACK_KB 1024

/* A built-but-not-finished domain: what must be undone on failure. */
struct start {
    const struct domain_config *dc;
    uint32_t domid;
    bool created, tree_written;
    uint8_t handle[16];
    char uuid[37];
};

/* A fresh random UUID (version 4) in h. */
static void random_uuid(uint8_t h[16])
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, h, 16) : -1;

    if (fd >= 0)
        close(fd);
    if (n != 16) {
        struct timespec ts;
        unsigned int i;

        clock_gettime(CLOCK_REALTIME, &ts);
        srand((unsigned int)(ts.tv_nsec ^ ts.tv_sec ^ getpid()));
        for (i = 0; i < 16; i++)
            h[i] = (uint8_t)rand();
    }
    h[6] = (uint8_t)((h[6] & 0x0f) | 0x40);
    h[8] = (uint8_t)((h[8] & 0x3f) | 0x80);
}

/* The checks that need no domain: unique name, readable kernel/ramdisk, enough free memory. */
static int precheck(const struct domain_config *dc, struct xen_sysctl_physinfo *pi)
{
    struct xctrl_dominfo *all;
    int n = xl_list_domains(&all), i;
    uint64_t free_kb, need_kb;

    if (n < 0)
        return -1;
    for (i = 0; i < n; i++) {
        char *name = xl_domain_name(all[i].domid);
        bool clash = name && !strcmp(name, dc->name);

        free(name);
        if (clash) {
            fprintf(stderr, "xl: domain '%s' already exists (id %u)\n", dc->name, all[i].domid);
            free(all);
            return -1;
        }
    }
    free(all);
    if (access(dc->kernel, R_OK)) {
        fprintf(stderr, "xl: kernel %s: %s\n", dc->kernel, strerror(errno));
        return -1;
    }
    if (dc->ramdisk && access(dc->ramdisk, R_OK)) {
        fprintf(stderr, "xl: ramdisk %s: %s\n", dc->ramdisk, strerror(errno));
        return -1;
    }
    memset(pi, 0, sizeof(*pi));
    if (xctrl_physinfo(xl_xc(), pi)) {
        xl_fail("sysctl physinfo");
        return -1;
    }
    free_kb = pi->free_pages * 4;
    need_kb = dc->target_memkb + MAXMEM_SLACK_KB;
    if (need_kb > free_kb) {
        fprintf(stderr,
                "xl: not enough memory for '%s': it needs %llu MiB, the hypervisor has %llu MiB "
                "free\n",
                dc->name, (unsigned long long)(need_kb + 1023) / 1024,
                (unsigned long long)free_kb / 1024);
        return -1;
    }
    return 0;
}

/* Undo a failed start: no domain, no xenstore nodes, no saved config. */
static void undo(struct start *s)
{
    if (s->tree_written)
        xl_xs_forget_domain(xl_xs(), s->domid);
    if (s->created) {
        xl_userdata_remove(s->domid, s->handle);
        if (xctrl_domain_destroy(xl_xc(), s->domid))
            fprintf(stderr, "xl: destroying the half-built domain %u: %s\n", s->domid,
                    strerror(errno));
    }
}

static int create(struct start *s, const struct xen_sysctl_physinfo *pi)
{
    const struct domain_config *dc = s->dc;
    struct xen_domctl_createdomain c;
    uint64_t hard = ~0ULL;
    unsigned int i;

    memset(&c, 0, sizeof(c));
    memcpy(c.handle, s->handle, 16);
    c.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c.max_vcpus = dc->max_vcpus;
    c.max_evtchn_port = 1023;
    c.max_grant_frames = -1;
    c.max_maptrack_frames = -1;
    c.grant_opts = XEN_DOMCTL_GRANT_version(1);
    c.arch.emulation_flags = XEN_X86_EMU_LAPIC;
    s->domid = 0;
    if (xctrl_domain_create(xl_xc(), &s->domid, &c))
        return xl_error("creating the domain (domctl createdomain)");
    s->created = true;
    if (xctrl_domain_max_vcpus(xl_xc(), s->domid, dc->max_vcpus))
        return xl_error("domctl max_vcpus");
    if (dc->cpus) {
        unsigned int ncpu = pi->nr_cpus > XL_MAX_CPUS ? XL_MAX_CPUS : pi->nr_cpus;

        if (xl_parse_cpumap(dc->cpus, ncpu, &hard) || !hard) {
            fprintf(stderr, "%s:%d: cpus \"%s\" names no CPU of this host (it has %u)\n",
                    dc->cpus_at.source, dc->cpus_at.line, dc->cpus, pi->nr_cpus);
            return -1;
        }
        for (i = 0; i < dc->max_vcpus; i++) {
            uint64_t h = hard, soft = ~0ULL;

            if (xctrl_vcpu_setaffinity(xl_xc(), s->domid, i, &h, &soft))
                return xl_error("setting vCPU affinity");
        }
    }
    if (xctrl_domain_setmaxmem(xl_xc(), s->domid, dc->max_memkb + MAXMEM_SLACK_KB))
        return xl_error("domctl max_mem");
    if (xctrl_domain_set_tsc(xl_xc(), s->domid, dc->tsc_mode))
        return xl_error("domctl settscinfo");
    /* libxl's HAP paging pool: 256 pages per vCPU plus one page per MiB of RAM. */
    if (xctrl_domain_set_paging_mempool(xl_xc(), s->domid,
                                        4096ULL * (256ULL * dc->max_vcpus + dc->max_memkb / 1024)))
        return xl_error("domctl set_paging_mempool_size");
    /*
     * A triple fault is a crash (on_crash applies), as libxl sets it for HVM guests; Xen leaves
     * a PVH guest at the hypervisor default, reboot. Differs on purpose: a guest that dies on a
     * triple fault has crashed, and a Linux guest's own reboot goes through its ACPI reset.
     */
    if (xctrl_hvm_param_set(xl_xc(), s->domid, HVM_PARAM_TRIPLE_FAULT_REASON, SHUTDOWN_crash))
        return xl_error("HVM param triple_fault_reason");
    xl_trace("domctls");
    return 0;
}

/* Wait (event driven, at most XL_CONSOLE_TIMEOUT_S) until xenconsoled fills console/tty. */
static int wait_console_tty(uint32_t domid)
{
    struct xstore *xs = xl_xs();
    struct timespec t0, now;
    char path[64];
    int rc = -1;

    snprintf(path, sizeof(path), "/local/domain/%u/console/tty", domid);
    if (xstore_watch(xs, path, "xl-tty"))
        return xl_error("watching console/tty");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        char *tty = xstore_read(xs, XSTORE_NO_TXN, path, NULL), *wp, *wt;
        bool ready = tty && *tty;
        long left_ms;

        free(tty);
        if (ready) {
            rc = 0;
            break;
        }
        if (xstore_read_watch(xs, &wp, &wt, true) == 0) {
            free(wp);
            free(wt);
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        left_ms = XL_CONSOLE_TIMEOUT_S * 1000L -
                  ((now.tv_sec - t0.tv_sec) * 1000L + (now.tv_nsec - t0.tv_nsec) / 1000000L);
        if (left_ms <= 0) {
            fprintf(stderr,
                    "xl: xenconsoled did not set up the console of domain %u within %d s (is "
                    "xenconsoled running?)\n",
                    domid, XL_CONSOLE_TIMEOUT_S);
            break;
        }
        struct pollfd p = {xstore_fd(xs), POLLIN, 0};

        if (poll(&p, 1, (int)left_ms) < 0 && errno != EINTR) {
            xl_fail("waiting for console/tty");
            break;
        }
    }
    xstore_unwatch(xs, path, "xl-tty");
    return rc;
}

/* Everything after createdomain; -1 (reported) leaves the undo to the caller. */
static int build(struct start *s, const struct xl_start_opts *o)
{
    const struct domain_config *dc = s->dc;
    struct xguest_params p;
    struct xguest_result r;
    struct xl_domain_tree t;
    char err[256] = "";
    int port;

    memset(&p, 0, sizeof(p));
    memset(&r, 0, sizeof(r));
    p.kernel = dc->kernel;
    p.ramdisk = dc->ramdisk;
    p.cmdline = dc->cmdline;
    p.mem_kb = dc->target_memkb;
    p.maxmem_kb = dc->max_memkb;
    p.vcpus = dc->vcpus;
    p.max_vcpus = dc->max_vcpus;
    port = xctrl_evtchn_alloc_unbound(xl_xc(), s->domid, 0);
    if (port < 0)
        return xl_error("allocating the xenstore event channel");
    p.store_port = (uint32_t)port;
    port = xctrl_evtchn_alloc_unbound(xl_xc(), s->domid, 0);
    if (port < 0)
        return xl_error("allocating the console event channel");
    p.console_port = (uint32_t)port;
    xl_trace("event channels");
    if (xguest_build_pvh(xl_xc(), s->domid, &p, &r, err, sizeof(err))) {
        fprintf(stderr, "xl: cannot build '%s' from %s: %s\n", dc->name, dc->kernel,
                err[0] ? err : strerror(errno));
        return -1;
    }
    xl_trace("build");
    t = (struct xl_domain_tree){.domid = s->domid,
                                .name = dc->name,
                                .uuid = s->uuid,
                                .target_kb = dc->target_memkb,
                                .max_kb = dc->max_memkb,
                                .vcpus = dc->vcpus,
                                .max_vcpus = dc->max_vcpus,
                                .store_port = p.store_port,
                                .console_port = p.console_port,
                                .store_gfn = r.store_gfn,
                                .console_gfn = r.console_gfn,
                                .start_time = (long)time(NULL)};
    s->tree_written = true; /* a failed transaction leaves nothing, removing is harmless */
    if (xl_xs_write_domain(xl_xs(), &t))
        return xl_error("writing the domain's xenstore nodes");
    xl_trace("xenstore tree");
    if (xstore_introduce(xl_xs(), s->domid, r.store_gfn, p.store_port))
        return xl_error("introducing the domain to xenstored");
    xl_trace("introduce");
    if (wait_console_tty(s->domid))
        return -1;
    xl_trace("console tty");
    if ((dc->cpu_weight >= 0 || dc->cap >= 0)) {
        uint16_t w = 256, c = 0;

        if (xctrl_sched_credit_get(xl_xc(), s->domid, &w, &c))
            return xl_error("reading scheduler parameters");
        if (dc->cpu_weight >= 0)
            w = (uint16_t)dc->cpu_weight;
        if (dc->cap >= 0)
            c = (uint16_t)dc->cap;
        if (xctrl_sched_credit_set(xl_xc(), s->domid, w, c))
            return xl_error("setting scheduler parameters");
    }
    if (xl_userdata_write(s->domid, s->handle, dc) && !o->quiet)
        fprintf(stderr, "xl: warning: cannot save the config of domain %u: %s\n", s->domid,
                strerror(errno));
    xl_trace("sched, userdata");
    if (!o->paused && xctrl_domain_unpause(xl_xc(), s->domid))
        return xl_error("unpausing the domain");
    xl_trace("unpause");
    return 0;
}

int xl_domain_start(const struct domain_config *dc, const struct xl_start_opts *o, uint32_t *domid)
{
    struct xen_sysctl_physinfo pi;
    struct start s;

    memset(&s, 0, sizeof(s));
    s.dc = dc;
    if (dc->uuid)
        xl_parse_uuid(dc->uuid, s.handle);
    else
        random_uuid(s.handle);
    xl_format_uuid(s.handle, s.uuid);
    if (precheck(dc, &pi))
        return -1;
    xl_trace("precheck");
    if (create(&s, &pi) || build(&s, o)) {
        undo(&s);
        return -1;
    }
    *domid = s.domid;
    return 0;
}
