/* The per-domain monitor xl leaves behind: applies on_poweroff/on_reboot/on_crash when it stops. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <public/sched.h>

#include "ctx.h"
#include "lifecycle.h"

#define LOG_DIR "/var/log/xen"

static void logline(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logline(const char *fmt, ...)
{
    char stamp[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    va_list ap;

    if (localtime_r(&now, &tm))
        strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(stderr, "%s xl-monitor: ", stamp);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/* The configured action for a shutdown reason; suspend (no action) gives 0. */
static int action_for(const struct domain_config *dc, unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff:
        return dc->on_poweroff;
    case SHUTDOWN_reboot:
        return dc->on_reboot;
    case SHUTDOWN_crash:
        return dc->on_crash;
    case SHUTDOWN_watchdog:
        return dc->on_watchdog;
    case SHUTDOWN_suspend:
        return 0;
    default:
        return ACTION_DESTROY;
    }
}

/* Apply the action for domid's shutdown; returns the domain to watch next, or -1 to stop. */
static long handle_shutdown(struct domain_config *dc, uint32_t domid, unsigned int reason,
                            unsigned int *incarnation)
{
    int a = action_for(dc, reason);
    struct xl_start_opts o = {false, true};
    uint32_t newid;

    logline("domain %u (%s) shut down, reason code %u: %s", domid, dc->name, reason,
            a ? shutdown_action_name((enum shutdown_action)a) : "nothing to do");
    switch (a) {
    case 0:
        return domid;
    case ACTION_PRESERVE:
        return -1;
    case ACTION_RESTART_RENAME: {
        char name[96];

        snprintf(name, sizeof(name), "%s--incarnation-%u", dc->name, ++*incarnation);
        if (xl_xs_rename_domain(xl_xs(), domid, name)) {
            logline("renaming domain %u to %s: %s", domid, name, strerror(errno));
            return -1;
        }
        free(dc->uuid); /* the preserved domain keeps its UUID; the new one gets a fresh one */
        dc->uuid = NULL;
        break;
    }
    case ACTION_RESTART:
        if (xl_domain_teardown(domid))
            return -1;
        break;
    default:
        xl_domain_teardown(domid);
        return -1;
    }
    if (xl_domain_start(dc, &o, &newid)) {
        logline("restarting %s failed", dc->name);
        return -1;
    }
    logline("restarted %s as domain %u", dc->name, newid);
    return newid;
}

static void monitor(struct domain_config *dc, uint32_t domid)
{
    unsigned int incarnation = 0;
    struct xstore *xs = xl_xs();

    if (xstore_watch(xs, "@releaseDomain", "xl-monitor")) {
        logline("watching @releaseDomain: %s", strerror(errno));
        exit(1);
    }
    logline("watching domain %u (%s)", domid, dc->name);
    for (;;) {
        struct xctrl_dominfo di;
        char *path, *token;
        long next;

        if (xstore_read_watch(xs, &path, &token, false)) {
            if (errno == EINTR)
                continue;
            logline("reading watch events: %s", strerror(errno));
            exit(1);
        }
        free(path);
        free(token);
        if (xctrl_domain_getinfo(xl_xc(), domid, &di)) {
            if (errno != ENOENT && errno != ESRCH)
                continue;
            logline("domain %u is gone", domid);
            xl_xs_forget_domain(xs, domid);
            exit(0);
        }
        if (!di.shutdown || di.dying)
            continue;
        next = handle_shutdown(dc, domid, di.shutdown_reason, &incarnation);
        if (next < 0)
            exit(0);
        domid = (uint32_t)next;
    }
}

/* Point stdin at /dev/null and stdout/stderr at the domain's log file. */
static void redirect(const char *name)
{
    char path[160];
    int in = open("/dev/null", O_RDONLY), out;

    mkdir("/var/log", 0755);
    mkdir(LOG_DIR, 0755);
    snprintf(path, sizeof(path), LOG_DIR "/xl-%s.log", name);
    out = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out < 0)
        out = open("/dev/null", O_WRONLY);
    if (in >= 0) {
        dup2(in, 0);
        close(in);
    }
    if (out >= 0) {
        dup2(out, 1);
        dup2(out, 2);
        close(out);
    }
}

int xl_monitor_spawn(const struct domain_config *dc, uint32_t domid)
{
    pid_t child;

    fflush(NULL);
    child = fork();
    if (child < 0)
        return xl_error("starting the domain monitor (fork)");
    if (child == 0) {
        /* Detach: a new session, then a grandchild that init adopts. */
        setsid();
        if (fork() != 0)
            _exit(0);
        signal(SIGHUP, SIG_IGN);
        redirect(dc->name);
        xl_ctx_reset(); /* never share the parent's xenstore connection */
        monitor((struct domain_config *)dc, domid);
        _exit(0);
    }
    return (int)child;
}

void xl_monitor_reap(int pid)
{
    int status;

    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}
