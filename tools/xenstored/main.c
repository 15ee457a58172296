/* xenstored entry point: options, daemon start-up, and the poll loop over sockets and rings. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn_socket.h"
#include "domain.h"
#include "util.h"

#define DEFAULT_RUNDIR "/run/xenstored"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: xenstored [options]\n"
            "  -F, --pid-file FILE   write the daemon's pid to FILE\n"
            "  -T, --trace-file FILE trace every request to FILE\n"
            "  -N, --no-fork         stay in the foreground\n"
            "  -D, --entry-nb N      nodes per domain (1000)\n"
            "  -W, --watch-nb N      watches per domain (128)\n"
            "  -S, --entry-size N    bytes per node value (2048)\n"
            "  -t, --transaction N   open transactions per domain (10)\n"
            "  -A, --perm-nb N       permissions per node (5)\n"
            "  -Q, --quota WHAT=N    WHAT: nodes watches transactions node-size permissions\n"
            "                        transaction-nodes\n"
            "      --socket PATH     unix socket (default $XENSTORED_PATH, else\n"
            "                        $XENSTORED_RUNDIR/socket, else " DEFAULT_RUNDIR "/socket)\n"
            "      --init-dom0       write /local/domain/0/{name,domid} (normally xen-init-dom0)\n"
            "      --no-xen          do not open /dev/xen (socket clients only)\n");
}

static unsigned int num_arg(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    if (!*s || *end || v > 0xffffffffu) {
        fprintf(stderr, "xenstored: bad number '%s'\n", s);
        exit(2);
    }
    return (unsigned int)v;
}

static const char *default_socket(char *buf, size_t len)
{
    const char *p = getenv("XENSTORED_PATH"), *dir = getenv("XENSTORED_RUNDIR");

    if (p)
        return p;
    snprintf(buf, len, "%s/socket", dir ? dir : DEFAULT_RUNDIR);
    return buf;
}

static void daemonize(void)
{
    pid_t pid = fork();
    int fd;

    if (pid < 0) {
        perror("xenstored: fork");
        exit(1);
    }
    if (pid > 0)
        _exit(0);
    setsid();
    if (chdir("/"))
        exit(1);
    fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2)
            close(fd);
    }
}

static void init_dom0_nodes(void)
{
    struct conn priv = {.privileged = true};
    struct xs_ctx x = {&priv, NULL};

    store_write(&x, "/local/domain/0/name", "Domain-0", 8);
    store_write(&x, "/local/domain/0/domid", "0", 1);
}

/* One round: wait for activity, then serve it. */
static void serve(int lfd, struct ring_backend *b, bool more)
{
    struct pollfd fds[1024];
    struct conn *socks[1024];
    nfds_t n = 0;

    fds[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = b ? b->fd : -1, .events = POLLIN};
    for (struct conn *c = conn_list(); c && n < 1024; c = c->next) {
        if (!sock_is(c))
            continue;
        socks[n] = c;
        fds[n++] = (struct pollfd){.fd = sock_fd(c),
                                   .events = POLLIN | (conn_out_pending(c) ? POLLOUT : 0)};
    }
    if (poll(fds, n, more ? 0 : -1) < 0)
        return;
    if (fds[0].revents & POLLIN)
        while (sock_accept(lfd))
            ;
    if (b && (fds[1].revents & POLLIN)) {
        int ports[64], k = b->wait(b, ports, 64);
        for (int i = 0; i < k; i++) {
            struct domain *d = domain_by_port(ports[i]);
            if (d && d->conn)
                ring_conn_service(d->conn);
        }
    }
    for (nfds_t i = 2; i < n; i++) {
        if (!fds[i].revents)
            continue;
        if (((fds[i].revents & POLLIN) && sock_read(socks[i]) < 0) ||
            (fds[i].revents & (POLLERR | POLLNVAL)) ||
            ((fds[i].revents & POLLHUP) && !(fds[i].revents & POLLIN))) {
            conn_free(socks[i]);
            socks[i] = NULL;
        }
    }
}

static int flush_sockets(void)
{
    struct conn *c, *next;

    for (c = conn_list(); c; c = next) {
        next = c->next;
        if (sock_is(c) && conn_out_pending(c) && sock_write(c) < 0)
            conn_free(c);
    }
    return 0;
}

int main(int argc, char **argv)
{
    enum { OPT_SOCKET = 256, OPT_INIT_DOM0, OPT_NO_XEN };
    static const struct option opts[] = {
        {"pid-file", required_argument, NULL, 'F'},
        {"trace-file", required_argument, NULL, 'T'},
        {"no-fork", no_argument, NULL, 'N'},
        {"entry-nb", required_argument, NULL, 'D'},
        {"watch-nb", required_argument, NULL, 'W'},
        {"entry-size", required_argument, NULL, 'S'},
        {"transaction", required_argument, NULL, 't'},
        {"perm-nb", required_argument, NULL, 'A'},
        {"quota", required_argument, NULL, 'Q'},
        {"socket", required_argument, NULL, OPT_SOCKET},
        {"init-dom0", no_argument, NULL, OPT_INIT_DOM0},
        {"no-xen", no_argument, NULL, OPT_NO_XEN},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pidfile = NULL, *trace = NULL, *sockpath = NULL;
    bool nofork = false, dom0_nodes = false, use_xen = true, more = false;
    struct ring_backend *b = NULL;
    char buf[4096];
    int opt, lfd;

    xs_core_init();
    while ((opt = getopt_long(argc, argv, "F:T:ND:W:S:t:A:Q:h", opts, NULL)) != -1) {
        char *eq;
        switch (opt) {
        case 'F':
            pidfile = optarg;
            break;
        case 'T':
            trace = optarg;
            break;
        case 'N':
            nofork = true;
            break;
        case 'D':
            xs_quota.nodes_per_domain = num_arg(optarg);
            break;
        case 'W':
            xs_quota.watches_per_domain = num_arg(optarg);
            break;
        case 'S':
            xs_quota.node_size = num_arg(optarg);
            break;
        case 't':
            xs_quota.transactions_per_domain = num_arg(optarg);
            break;
        case 'A':
            xs_quota.perms_per_node = num_arg(optarg);
            break;
        case 'Q':
            eq = strchr(optarg, '=');
            if (!eq) {
                usage(stderr);
                return 2;
            }
            *eq = '\0';
            if (xs_quota_set(optarg, num_arg(eq + 1))) {
                fprintf(stderr, "xenstored: unknown quota '%s'\n", optarg);
                return 2;
            }
            break;
        case OPT_SOCKET:
            sockpath = optarg;
            break;
        case OPT_INIT_DOM0:
            dom0_nodes = true;
            break;
        case OPT_NO_XEN:
            use_xen = false;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!sockpath)
        sockpath = default_socket(buf, sizeof(buf));
    lfd = sock_listen(sockpath);
    if (lfd < 0) {
        fprintf(stderr, "xenstored: cannot listen on %s: %s\n", sockpath, strerror(errno));
        return 1;
    }
    if (trace && !xs_trace_open(trace)) {
        fprintf(stderr, "xenstored: cannot open trace file %s\n", trace);
        return 1;
    }
    if (dom0_nodes)
        init_dom0_nodes();
    if (use_xen && (b = ring_xen_open())) {
        domain_set_backend(b);
        if (ring_xen_attach_dom0(b))
            xs_trace("no dom0 ring (/proc/xen/xsd_kva, xsd_port)");
    }
    if (!nofork)
        daemonize();
    if (pidfile) {
        FILE *f = fopen(pidfile, "w");
        if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
            fprintf(stderr, "xenstored: cannot write pid file %s\n", pidfile);
            return 1;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (!stopping) {
        serve(lfd, b, more);
        more = ring_flush_all();
        flush_sockets();
    }
    xs_core_fini();
    close(lfd);
    unlink(sockpath);
    if (pidfile)
        unlink(pidfile);
    return 0;
}
