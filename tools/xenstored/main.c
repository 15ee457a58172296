/* xenstored entry point: options (C xenstored 4.17 compatible), start-up, the poll loop. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/daemon.h"
#include "conn_socket.h"
#include "domain.h"
#include "util.h"

#define DEFAULT_RUNDIR "/var/run/xenstored"
#define MAX_POLL       1024

static void usage(FILE *f)
{
    fprintf(
        f, "usage: xenstored [options]\n"
           "  -F, --pid-file FILE     write the daemon's pid to FILE (locked while running)\n"
           "  -N, --no-fork           stay in the foreground\n"
           "  -P, --output-pid        print the daemon's pid on stdout\n"
           "  -T, --trace-file FILE   trace requests and connection events to FILE (- = stderr)\n"
           "  -V, --verbose           trace to stderr (with -N)\n"
           "  -D, --no-domain-init    do not open /dev/xen: socket clients only (alias --no-xen)\n"
           "  -E, --entry-nb N        nodes per domain (1000)\n"
           "  -W, --watch-nb N        watches per domain (128)\n"
           "  -S, --entry-size N      bytes per node value (2048)\n"
           "  -t, --transaction N     open transactions per domain (10)\n"
           "  -A, --perm-nb N         permissions per node (5)\n"
           "  -Q, --quota WHAT=N      WHAT: nodes watches transactions node-size permissions\n"
           "                          transaction-nodes\n"
           "  -I, --internal-db, -R, --no-recovery   accepted; the store is always in memory\n"
           "      --socket PATH       unix socket (default $XENSTORED_PATH, else\n"
           "                          $XENSTORED_RUNDIR/socket, else " DEFAULT_RUNDIR "/socket)\n"
           "      --init-dom0         write /local/domain/0/{name,domid} (normally xen-init-dom0)\n"
           "  -H, --help              this text\n");
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

/* mkdir -p of path's directory part (the run directory may not exist in an initramfs). */
static void make_parent_dirs(const char *path)
{
    char dir[4096];
    char *slash;

    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        daemon_mkdirs(dir);
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
    struct pollfd fds[MAX_POLL];
    struct conn *socks[MAX_POLL];
    nfds_t n = 0;

    fds[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = b ? b->fd : -1, .events = POLLIN};
    for (struct conn *c = conn_list(); c && n < MAX_POLL; c = c->next) {
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
        for (int i = 0; i < k; i++)
            domain_port_fired(ports[i]);
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

static void flush_sockets(void)
{
    struct conn *c, *next;

    for (c = conn_list(); c; c = next) {
        next = c->next;
        if (sock_is(c) && conn_out_pending(c) && sock_write(c) < 0)
            conn_free(c);
    }
}

/* /dev/xen: the ring backend, dom0's own ring, VIRQ_DOM_EXC; NULL if there is no Xen. */
static struct ring_backend *start_xen(void)
{
    struct ring_backend *b = ring_xen_open();

    if (!b) {
        fprintf(stderr, "xenstored: no /dev/xen/evtchn (%s): socket clients only\n",
                strerror(errno));
        return NULL;
    }
    domain_set_backend(b);
    if (b->virq_port < 0)
        fprintf(stderr, "xenstored: cannot bind VIRQ_DOM_EXC: domain deaths go unnoticed\n");
    if (ring_xen_attach_dom0(b))
        fprintf(stderr, "xenstored: no dom0 ring (/proc/xen/xsd_kva, xsd_port: %s)\n",
                strerror(errno));
    return b;
}

struct opts {
    const char *pidfile, *trace, *sockpath;
    bool nofork, outputpid, dom0_nodes, use_xen;
};

static void parse(int argc, char **argv, struct opts *o)
{
    enum { OPT_SOCKET = 256, OPT_INIT_DOM0 };
    static const struct option opts[] = {
        {"pid-file", required_argument, NULL, 'F'},
        {"trace-file", required_argument, NULL, 'T'},
        {"no-fork", no_argument, NULL, 'N'},
        {"output-pid", no_argument, NULL, 'P'},
        {"verbose", no_argument, NULL, 'V'},
        {"no-domain-init", no_argument, NULL, 'D'},
        {"no-xen", no_argument, NULL, 'D'},
        {"entry-nb", required_argument, NULL, 'E'},
        {"watch-nb", required_argument, NULL, 'W'},
        {"entry-size", required_argument, NULL, 'S'},
        {"transaction", required_argument, NULL, 't'},
        {"perm-nb", required_argument, NULL, 'A'},
        {"quota", required_argument, NULL, 'Q'},
        {"internal-db", no_argument, NULL, 'I'},
        {"no-recovery", no_argument, NULL, 'R'},
        {"socket", required_argument, NULL, OPT_SOCKET},
        {"init-dom0", no_argument, NULL, OPT_INIT_DOM0},
        {"help", no_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    while ((opt = getopt_long(argc, argv, "F:T:NPVDE:W:S:t:A:Q:IRHh", opts, NULL)) != -1) {
        char *eq;
        switch (opt) {
        case 'F':
            o->pidfile = optarg;
            break;
        case 'T':
            o->trace = optarg;
            break;
        case 'N':
            o->nofork = true;
            break;
        case 'P':
            o->outputpid = true;
            break;
        case 'V':
            o->trace = o->trace ? o->trace : "-";
            break;
        case 'D':
            o->use_xen = false;
            break;
        case 'E':
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
                exit(2);
            }
            *eq = '\0';
            if (xs_quota_set(optarg, num_arg(eq + 1))) {
                fprintf(stderr, "xenstored: unknown quota '%s'\n", optarg);
                exit(2);
            }
            break;
        case 'I':
        case 'R':
            break;
        case OPT_SOCKET:
            o->sockpath = optarg;
            break;
        case OPT_INIT_DOM0:
            o->dom0_nodes = true;
            break;
        case 'H':
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            exit(2);
        }
    }
    daemon_no_operands("xenstored", argc, argv);
}

int main(int argc, char **argv)
{
    struct opts o = {.use_xen = true};
    struct ring_backend *b = NULL;
    bool more = false;
    char buf[4096];
    int lfd, ready;

    xs_core_init();
    parse(argc, argv, &o);
    if (!o.sockpath) {
        o.sockpath = default_socket(buf, sizeof(buf));
        make_parent_dirs(o.sockpath);
    }
    /* Detach first: the parent waits, so every start-up error below still reaches stderr. */
    ready = daemon_start("xenstored", o.nofork, o.pidfile);
    lfd = sock_listen(o.sockpath);
    if (lfd < 0) {
        fprintf(stderr, "xenstored: cannot listen on %s: %s\n", o.sockpath, strerror(errno));
        return daemon_start_failed(o.pidfile);
    }
    if (o.trace && !xs_trace_open(o.trace)) {
        fprintf(stderr, "xenstored: cannot open trace file %s: %s\n", o.trace, strerror(errno));
        return daemon_start_failed(o.pidfile);
    }
    if (o.dom0_nodes)
        init_dom0_nodes();
    if (o.use_xen)
        b = start_xen();
    if (o.outputpid) {
        printf("%d\n", (int)getpid());
        fflush(stdout);
    }
    daemon_catch_signals();
    daemon_ready(ready);
    while (!daemon_stopping) {
        serve(lfd, b, more);
        more = ring_flush_all();
        flush_sockets();
    }
    xs_core_fini();
    close(lfd);
    unlink(o.sockpath);
    daemon_remove_pidfile(o.pidfile);
    return 0;
}
