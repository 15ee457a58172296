/* xstore against the real xenstored on a private socket: every call, errors, watches, drops. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xenolith/store.h>
#include <public/io/xs_wire.h>

#include "store/store_priv.h"
#include "check.h"

static char dir[] = "/tmp/xstore-test.XXXXXX";
static char sock[256];
static pid_t daemon_pid;

/* Start xenstored in the foreground on sock and wait for its pid file. */
static void start_daemon(const char *xenstored)
{
    char pidfile[300];

    snprintf(sock, sizeof(sock), "%s/socket", dir);
    snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
    daemon_pid = fork();
    if (daemon_pid == 0) {
        execl(xenstored, xenstored, "-N", "--no-xen", "--socket", sock, "-F", pidfile,
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && access(pidfile, F_OK); i++)
        usleep(50000);
    if (access(pidfile, F_OK)) {
        fprintf(stderr, "xenstored did not start\n");
        exit(1);
    }
    setenv("XENSTORED_PATH", sock, 1);
}

static void stop_daemon(void)
{
    if (daemon_pid > 0) {
        kill(daemon_pid, SIGKILL);
        waitpid(daemon_pid, NULL, 0);
        daemon_pid = 0;
    }
}

static void test_errnames(void)
{
    static const struct {
        const char *n;
        int e;
    } t[] = {{"EINVAL", EINVAL},       {"EACCES", EACCES},   {"EEXIST", EEXIST}, {"EISDIR", EISDIR},
             {"ENOENT", ENOENT},       {"ENOMEM", ENOMEM},   {"ENOSPC", ENOSPC}, {"EIO", EIO},
             {"ENOTEMPTY", ENOTEMPTY}, {"ENOSYS", ENOSYS},   {"EROFS", EROFS},   {"EBUSY", EBUSY},
             {"EAGAIN", EAGAIN},       {"EISCONN", EISCONN}, {"E2BIG", E2BIG},   {"EPERM", EPERM}};

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        CHECK(xstore_errno_from_name(t[i].n) == t[i].e);
    CHECK(xstore_errno_from_name("EWHATEVER") == EINVAL);
}

static void test_nodes(struct xstore *xs)
{
    char big[4000], *v;
    size_t len;

    CHECK(xstore_write_str(xs, XSTORE_NO_TXN, "/t/a", "hello") == 0);
    v = xstore_read(xs, XSTORE_NO_TXN, "/t/a", &len);
    CHECK_STR(v, "hello");
    CHECK(len == 5);
    free(v);
    v = xstore_read(xs, XSTORE_NO_TXN, "/t", &len); /* parent created, empty */
    CHECK(v && len == 0 && v[0] == '\0');
    free(v);
    CHECK(xstore_printf(xs, XSTORE_NO_TXN, "/t/n", "%d-%s", 42, "x") == 0);
    v = xstore_read(xs, XSTORE_NO_TXN, "/t/n", NULL);
    CHECK_STR(v, "42-x");
    free(v);

    /* Binary value with embedded NULs comes back byte for byte. */
    CHECK(xstore_write(xs, XSTORE_NO_TXN, "/t/bin", "a\0b\0c", 5) == 0);
    v = xstore_read(xs, XSTORE_NO_TXN, "/t/bin", &len);
    CHECK(v && len == 5 && !memcmp(v, "a\0b\0c", 5));
    free(v);

    /* A big value (the whole payload just under 4096 bytes) round-trips. */
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    CHECK(xstore_write(xs, XSTORE_NO_TXN, "/t/big", big, sizeof(big)) == 0);
    v = xstore_read(xs, XSTORE_NO_TXN, "/t/big", &len);
    CHECK(v && len == sizeof(big) && !memcmp(v, big, sizeof(big)));
    free(v);
    /* Over the payload limit: refused before sending, the connection stays usable. */
    {
        static char huge[XENSTORE_PAYLOAD_MAX];
        memset(huge, 'x', sizeof(huge));
        CHECK_FAILS(xstore_write(xs, XSTORE_NO_TXN, "/t/huge", huge, sizeof(huge)), -1, E2BIG);
        v = xstore_read(xs, XSTORE_NO_TXN, "/t/a", NULL);
        CHECK_STR(v, "hello");
        free(v);
    }

    CHECK_FAILS(xstore_read(xs, XSTORE_NO_TXN, "/t/missing", NULL), NULL, ENOENT);
    CHECK_FAILS(xstore_write_str(xs, XSTORE_NO_TXN, "/t//bad", "1"), -1, EINVAL);
    CHECK_FAILS(xstore_read(xs, XSTORE_NO_TXN, "/t/sp ace", NULL), NULL, EINVAL);

    CHECK(xstore_mkdir(xs, XSTORE_NO_TXN, "/t/d") == 0);
    CHECK(xstore_mkdir(xs, XSTORE_NO_TXN, "/t/d") == 0); /* exists: no error */
    CHECK(xstore_write_str(xs, XSTORE_NO_TXN, "/t/d/x/y", "1") == 0);
    CHECK(xstore_rm(xs, XSTORE_NO_TXN, "/t/d") == 0);
    CHECK_FAILS(xstore_read(xs, XSTORE_NO_TXN, "/t/d/x/y", NULL), NULL, ENOENT);
    CHECK_FAILS(xstore_read(xs, XSTORE_NO_TXN, "/t/d", NULL), NULL, ENOENT);
    CHECK_FAILS(xstore_rm(xs, XSTORE_NO_TXN, "/nope/at/all"), -1, ENOENT);
}

static void test_directory(struct xstore *xs)
{
    unsigned int n = 99;
    char **l;
    char path[128];
    int ok = 1;

    l = xstore_directory(xs, XSTORE_NO_TXN, "/t", &n);
    CHECK(l && n == 4);
    for (unsigned int i = 0; l && i < n; i++)
        ok &= !strcmp(l[i], "a") || !strcmp(l[i], "n") || !strcmp(l[i], "bin") ||
              !strcmp(l[i], "big");
    CHECK(ok);
    xstore_free_list(l, n);
    CHECK(xstore_mkdir(xs, XSTORE_NO_TXN, "/empty") == 0);
    l = xstore_directory(xs, XSTORE_NO_TXN, "/empty", &n);
    CHECK(l && n == 0);
    xstore_free_list(l, n);
    CHECK_FAILS(xstore_directory(xs, XSTORE_NO_TXN, "/nothing", &n), NULL, ENOENT);
    CHECK(n == 0);

    /* More children than one reply holds: the DIRECTORY_PART fallback. */
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof(path), "/big/node-with-a-rather-long-name-%03d", i);
        ok &= xstore_write_str(xs, XSTORE_NO_TXN, path, "v") == 0;
    }
    CHECK(ok);
    l = xstore_directory(xs, XSTORE_NO_TXN, "/big", &n);
    CHECK(l && n == 300);
    ok = 1;
    for (unsigned int i = 0; l && i < n; i++) {
        snprintf(path, sizeof(path), "node-with-a-rather-long-name-%03u", i);
        ok &= !strcmp(l[i], path);
    }
    CHECK(ok);
    xstore_free_list(l, n);
}

static void test_perms(struct xstore *xs)
{
    struct xstore_perm p[] = {{0, 'n'}, {5, 'r'}, {7, 'b'}};
    struct xstore_iov a[] = {{"/t/a", 5}};
    size_t len;
    char *r;

    CHECK(xstore_set_perms(xs, XSTORE_NO_TXN, "/t/a", p, 3) == 0);
    r = xstore_request(xs, XS_GET_PERMS, XSTORE_NO_TXN, a, 1, &len);
    CHECK(r && len == 9 && !memcmp(r, "n0\0r5\0b7\0", 9));
    free(r);
    p[1].perm = 'q';
    CHECK_FAILS(xstore_set_perms(xs, XSTORE_NO_TXN, "/t/a", p, 3), -1, EINVAL);
    CHECK_FAILS(xstore_set_perms(xs, XSTORE_NO_TXN, "/t/a", p, 0), -1, EINVAL);
    CHECK_FAILS(xstore_set_perms(xs, XSTORE_NO_TXN, "/t/zz", p, 1), -1, ENOENT);
}

static void test_transactions(struct xstore *xs, struct xstore *xs2)
{
    uint32_t t = 0, t2 = 0;
    char *v;

    CHECK(xstore_transaction_start(xs, &t) == 0 && t != 0);
    CHECK(xstore_write_str(xs, t, "/tx/a", "in-txn") == 0);
    CHECK_FAILS(xstore_read(xs2, XSTORE_NO_TXN, "/tx/a", NULL), NULL, ENOENT); /* not yet */
    v = xstore_read(xs, t, "/tx/a", NULL);
    CHECK_STR(v, "in-txn");
    free(v);
    CHECK(xstore_transaction_end(xs, t, false) == 0);
    v = xstore_read(xs2, XSTORE_NO_TXN, "/tx/a", NULL);
    CHECK_STR(v, "in-txn");
    free(v);

    /* Abort drops the change. */
    CHECK(xstore_transaction_start(xs, &t) == 0);
    CHECK(xstore_write_str(xs, t, "/tx/b", "never") == 0);
    CHECK(xstore_transaction_end(xs, t, true) == 0);
    CHECK_FAILS(xstore_read(xs, XSTORE_NO_TXN, "/tx/b", NULL), NULL, ENOENT);

    /* Conflict: another connection changes what the transaction read -> EAGAIN. */
    CHECK(xstore_transaction_start(xs, &t) == 0);
    v = xstore_read(xs, t, "/tx/a", NULL);
    free(v);
    CHECK(xstore_transaction_start(xs2, &t2) == 0 && t2 != 0);
    CHECK(xstore_write_str(xs2, t2, "/tx/a", "other") == 0);
    CHECK(xstore_transaction_end(xs2, t2, false) == 0);
    CHECK(xstore_write_str(xs, t, "/tx/a", "mine") == 0);
    CHECK_FAILS(xstore_transaction_end(xs, t, false), -1, EAGAIN);
    v = xstore_read(xs, XSTORE_NO_TXN, "/tx/a", NULL);
    CHECK_STR(v, "other");
    free(v);
    /* A finished transaction id is no longer valid. */
    CHECK(xstore_transaction_end(xs, t, false) == -1 && errno != 0);
}

static int readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return poll(&p, 1, 0) == 1;
}

static void test_watches(struct xstore *xs, struct xstore *xs2)
{
    char *p = NULL, *t = NULL, *v;

    CHECK_FAILS(xstore_read_watch(xs, &p, &t, true), -1, EAGAIN);
    CHECK(xstore_watch(xs, "/w", "tok1") == 0);
    /* The initial event: it may have been queued during the WATCH request itself. */
    CHECK(xstore_read_watch(xs, &p, &t, false) == 0);
    CHECK_STR(p, "/w");
    CHECK_STR(t, "tok1");
    free(p);
    free(t);

    /* A change by another client: delivered while we wait in a request of our own, queued. */
    CHECK(xstore_write_str(xs2, XSTORE_NO_TXN, "/w/x", "1") == 0);
    usleep(100000);
    v = xstore_read(xs, XSTORE_NO_TXN, "/w/x", NULL);
    CHECK_STR(v, "1");
    free(v);
    CHECK(readable(xstore_fd(xs))); /* queued events keep the fd readable */
    CHECK(xstore_read_watch(xs, &p, &t, true) == 0);
    CHECK_STR(p, "/w/x");
    CHECK_STR(t, "tok1");
    free(p);
    free(t);
    CHECK(!readable(xstore_fd(xs)));
    CHECK_FAILS(xstore_read_watch(xs, &p, &t, true), -1, EAGAIN);

    /* An event on the wire with nothing queued: the fd is readable, the read gets it. */
    CHECK(xstore_rm(xs2, XSTORE_NO_TXN, "/w/x") == 0);
    usleep(100000);
    CHECK(readable(xstore_fd(xs)));
    CHECK(xstore_read_watch(xs, &p, &t, true) == 0);
    CHECK_STR(p, "/w/x");
    free(p);
    free(t);

    /* Special watch with a token of its own. */
    CHECK(xstore_watch(xs, "@releaseDomain", "rel-42") == 0);
    CHECK(xstore_read_watch(xs, &p, &t, false) == 0);
    CHECK_STR(p, "@releaseDomain");
    CHECK_STR(t, "rel-42");
    free(p);
    free(t);

    CHECK(xstore_unwatch(xs, "/w", "tok1") == 0);
    CHECK_FAILS(xstore_unwatch(xs, "/w", "tok1"), -1, ENOENT);
    CHECK(xstore_write_str(xs2, XSTORE_NO_TXN, "/w/y", "1") == 0);
    usleep(100000);
    CHECK_FAILS(xstore_read_watch(xs, &p, &t, true), -1, EAGAIN);
}

static void test_domains(struct xstore *xs)
{
    char *p = xstore_domain_path(xs, 5);

    CHECK_STR(p, "/local/domain/5");
    free(p);
    /* No hypervisor behind this xenstored: INTRODUCE cannot map a ring. */
    CHECK_FAILS(xstore_introduce(xs, 3, 0xfeffc, 1), -1, EINVAL);
    CHECK_FAILS(xstore_release(xs, 3), -1, ENOENT);
}

static void test_dropped(struct xstore *xs)
{
    char *p, *t;

    stop_daemon();
    CHECK_FAILS(xstore_read(xs, XSTORE_NO_TXN, "/t/a", NULL), NULL, ECONNRESET);
    /* Every later call fails the same way, quickly (no hang, no SIGPIPE). */
    CHECK_FAILS(xstore_write_str(xs, XSTORE_NO_TXN, "/t/a", "x"), -1, ECONNRESET);
    CHECK_FAILS(xstore_read_watch(xs, &p, &t, false), -1, ECONNRESET);
    CHECK_FAILS(xstore_open(), NULL, ECONNREFUSED);
}

int main(int argc, char **argv)
{
    struct xstore *xs, *xs2;

    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/xenstored\n", argv[0]);
        return 2;
    }
    if (!mkdtemp(dir))
        return 1;
    test_errnames();
    unsetenv("XENSTORED_RUNDIR");
    setenv("XENSTORED_PATH", "/nonexistent/xenstore-socket", 1);
    CHECK_FAILS(xstore_open(), NULL, ENOENT);
    start_daemon(argv[1]);
    xs = xstore_open();
    xs2 = xstore_open();
    CHECK(xs && xs2);
    if (xs && xs2) {
        test_nodes(xs);
        test_directory(xs);
        test_perms(xs);
        test_transactions(xs, xs2);
        test_watches(xs, xs2);
        test_domains(xs);
        test_dropped(xs);
    }
    xstore_close(xs);
    xstore_close(xs2);
    stop_daemon();
    unlink(sock);
    {
        char f[300];
        snprintf(f, sizeof(f), "%s/pid", dir);
        unlink(f);
    }
    rmdir(dir);
    return check_summary("xstore");
}
