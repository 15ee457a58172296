/* xenconsoled entry point: options, start-up, and the poll loop over xenstore, events and ptys. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenolith/evtchn.h>
#include <xenolith/store.h>

#include "../common/daemon.h"
#include "domains.h"
#include "xen.h"

#define DEFAULT_LOG_DIR "/var/log/xen/console"
#define MAX_CONSOLES    256

static void usage(FILE *f)
{
    fprintf(f, "usage: xenconsoled [options]\n"
               "  -i, --interactive     stay in the foreground\n"
               "  -v, --verbose         report consoles coming and going on stderr\n"
               "      --pid-file=FILE   write the daemon's pid to FILE (locked while running)\n"
               "      --log=WHAT        none (default) or guest: log guest output to\n"
               "                        LOGDIR/guest-<name>.log (all = guest; no hypervisor log)\n"
               "      --log-dir=DIR     LOGDIR (default " DEFAULT_LOG_DIR ")\n"
               "  -h, --help            this text\n");
}

struct opts {
    const char *pidfile, *log_dir;
    bool interactive, verbose, log_guest;
};

static void parse(int argc, char **argv, struct opts *o)
{
    enum { OPT_PID = 256, OPT_LOG, OPT_LOG_DIR };
    static const struct option opts[] = {
        {"interactive", no_argument, NULL, 'i'},
        {"verbose", no_argument, NULL, 'v'},
        {"pid-file", required_argument, NULL, OPT_PID},
        {"log", required_argument, NULL, OPT_LOG},
        {"log-dir", required_argument, NULL, OPT_LOG_DIR},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    while ((opt = getopt_long(argc, argv, "ivh", opts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            o->interactive = true;
            break;
        case 'v':
            o->verbose = true;
            break;
        case OPT_PID:
            o->pidfile = optarg;
            break;
        case OPT_LOG:
            if (!strcmp(optarg, "guest") || !strcmp(optarg, "all")) {
                o->log_guest = true;
            } else if (strcmp(optarg, "none")) {
                fprintf(stderr, "xenconsoled: --log=%s: only none, guest or all\n", optarg);
                exit(2);
            }
            break;
        case OPT_LOG_DIR:
            o->log_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            exit(2);
        }
    }
    daemon_no_operands("xenconsoled", argc, argv);
}

/* Drain queued watch events; false if the xenstore connection is gone. */
static bool handle_watches(struct cd_daemon *d, struct xstore *xs)
{
    char *path, *token;

    while (xstore_read_watch(xs, &path, &token, true) == 0) {
        cd_watch_event(d, path, token);
        free(path);
        free(token);
    }
    return errno == EAGAIN || errno == EINTR;
}

static void handle_ports(struct cd_daemon *d, struct xevtchn *xe)
{
    int port;

    while ((port = xevtchn_pending(xe)) >= 0) {
        xevtchn_unmask(xe, (uint32_t)port);
        cd_port_fired(d, port);
    }
}

static int run(struct cd_daemon *d, struct xen_handles *h)
{
    while (!daemon_stopping) {
        struct pollfd fds[MAX_CONSOLES + 2];
        struct cd_domain *doms[MAX_CONSOLES];
        unsigned int n = cd_pollfds(d, fds + 2, doms, MAX_CONSOLES);

        fds[0] = (struct pollfd){.fd = xstore_fd(h->xs), .events = POLLIN};
        fds[1] = (struct pollfd){.fd = xevtchn_fd(h->xe), .events = POLLIN};
        if (poll(fds, n + 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("xenconsoled: poll");
            return 1;
        }
        /* ptys first: watch events below may tear consoles (and doms[]) down */
        for (unsigned int i = 0; i < n; i++)
            if (fds[i + 2].revents)
                console_service(&doms[i]->con);
        if (fds[1].revents & POLLIN)
            handle_ports(d, h->xe);
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !handle_watches(d, h->xs)) {
            fprintf(stderr, "xenconsoled: lost the xenstore connection: %s\n", strerror(errno));
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = {.log_dir = DEFAULT_LOG_DIR};
    struct cd_daemon d = {0};
    struct xen_handles *h;
    const char *why = "";
    int ready, rc;

    parse(argc, argv, &o);
    ready = daemon_start("xenconsoled", o.interactive, o.pidfile);
    d.b = xen_backend_open(&h, &why);
    if (!d.b) {
        fprintf(stderr, "xenconsoled: cannot open %s: %s\n", why, strerror(errno));
        return daemon_start_failed(o.pidfile);
    }
    d.verbose = o.verbose;
    if (o.log_guest) {
        daemon_mkdirs(o.log_dir);
        d.log_dir = o.log_dir;
    }
    if (xstore_watch(h->xs, "@introduceDomain", CD_TOKEN_DOMLIST) ||
        xstore_watch(h->xs, "@releaseDomain", CD_TOKEN_DOMLIST)) {
        fprintf(stderr, "xenconsoled: cannot watch the domain list: %s\n", strerror(errno));
        return daemon_start_failed(o.pidfile);
    }
    daemon_catch_signals();
    cd_sync(&d);
    daemon_ready(ready);
    rc = run(&d, h);
    cd_fini(&d);
    daemon_remove_pidfile(o.pidfile);
    return rc;
}
