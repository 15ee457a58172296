/* xl's xenstore tree of a new domain (tools/xl/xstree.c) against the real xenstored, socket only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <public/io/xs_wire.h>

#include "check.h"
#include "lifecycle.h"

static char dir[] = "/tmp/xl-xstree.XXXXXX";

/* path's value equals want (NULL: path must not exist). */
static void expect(struct xstore *xs, const char *path, const char *want)
{
    char *v = xstore_read(xs, XSTORE_NO_TXN, path, NULL);

    if (want ? !v || strcmp(v, want) : v != NULL || errno != ENOENT) {
        fprintf(stderr, "%s: got %s%s%s, want %s%s%s\n", path, v ? "\"" : "", v ? v : "(none)",
                v ? "\"" : "", want ? "\"" : "", want ? want : "(none)", want ? "\"" : "");
        checks_failed++;
    } else {
        checks_passed++;
    }
    free(v);
}

/* path's permissions as xenstored lists them ("n0,r7"), by a raw XS_GET_PERMS on a fresh
 * socket (the library has no call for it); NULL on any failure. */
static char *get_perms(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    struct xsd_sockmsg h = {.type = XS_GET_PERMS, .req_id = 1, .len = (uint32_t)strlen(path) + 1};
    static char out[256];
    char body[256];
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    size_t got = 0;

    snprintf(a.sun_path, sizeof(a.sun_path), "%s", getenv("XENSTORED_PATH"));
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
        write(fd, &h, sizeof(h)) != sizeof(h) || write(fd, path, h.len) != (ssize_t)h.len ||
        read(fd, &h, sizeof(h)) != sizeof(h) || h.type != XS_GET_PERMS || h.len >= sizeof(body)) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    while (got < h.len) {
        ssize_t n = read(fd, body + got, h.len - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    out[0] = '\0';
    for (size_t i = 0; i < got; i += strlen(body + i) + 1)
        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", out[0] ? "," : "", body + i);
    return got == h.len ? out : NULL;
}

/* path's permissions are want. */
static void expect_perms(const char *path, const char *want)
{
    const char *got = get_perms(path);

    if (!got || strcmp(got, want)) {
        fprintf(stderr, "%s: permissions %s, want %s\n", path, got ? got : "(unreadable)", want);
        checks_failed++;
    }
}

/* Start xenstored (no hypervisor, private socket); it forks once it is ready. Its pid. */
static pid_t start_xenstored(const char *bin)
{
    char sock[300], pidfile[300], cmd[1024];
    FILE *f;
    long pid = -1;

    snprintf(sock, sizeof(sock), "%s/socket", dir);
    snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
    snprintf(cmd, sizeof(cmd), "%s --no-xen --socket %s -F %s", bin, sock, pidfile);
    if (system(cmd) != 0)
        return -1;
    f = fopen(pidfile, "r");
    if (!f || fscanf(f, "%ld", &pid) != 1)
        pid = -1;
    if (f)
        fclose(f);
    setenv("XENSTORED_PATH", sock, 1);
    return (pid_t)pid;
}

static void test_tree(struct xstore *xs)
{
    static const char uuid[] = "0a1b2c3d-0000-4000-8000-00000000abcd";
    struct xl_domain_tree t = {.domid = 7,
                               .name = "guest-1",
                               .uuid = uuid,
                               .target_kb = 262144,
                               .max_kb = 524288,
                               .vcpus = 1,
                               .max_vcpus = 3,
                               .store_port = 3,
                               .console_port = 4,
                               .store_gfn = 0xFEFFC,
                               .console_gfn = 0xFEFFF,
                               .start_time = 1700000000};

    CHECK(xstore_write_str(xs, XSTORE_NO_TXN, "/local/domain/7/stale", "x") == 0);
    CHECK(xl_xs_write_domain(xs, &t) == 0);
    expect(xs, "/local/domain/7/stale", NULL); /* a leftover of an earlier domain 7 is gone */
    expect(xs, "/local/domain/7/name", "guest-1");
    expect(xs, "/local/domain/7/domid", "7");
    expect(xs, "/local/domain/7/vm", "/vm/0a1b2c3d-0000-4000-8000-00000000abcd");
    expect(xs, "/vm/0a1b2c3d-0000-4000-8000-00000000abcd/uuid", uuid);
    expect(xs, "/vm/0a1b2c3d-0000-4000-8000-00000000abcd/name", "guest-1");
    expect(xs, "/vm/0a1b2c3d-0000-4000-8000-00000000abcd/start_time", "1700000000.00");
    expect(xs, "/local/domain/7/memory/static-max", "524288");
    expect(xs, "/local/domain/7/memory/target", "262144");
    expect(xs, "/local/domain/7/memory/videoram", "0");
    expect(xs, "/local/domain/7/store/port", "3");
    expect(xs, "/local/domain/7/store/ring-ref", "1044476");
    expect(xs, "/local/domain/7/cpu/0/availability", "online");
    expect(xs, "/local/domain/7/cpu/1/availability", "offline");
    expect(xs, "/local/domain/7/cpu/2/availability", "offline");
    expect(xs, "/local/domain/7/cpu/3/availability", NULL);
    expect(xs, "/local/domain/7/control/shutdown", "");
    expect(xs, "/local/domain/7/control/platform-feature-xs_reset_watches", "1");
    expect(xs, "/local/domain/7/device/suspend/event-channel", "");
    expect(xs, "/local/domain/7/console/backend", "/local/domain/0/backend/console/7/0");
    expect(xs, "/local/domain/7/console/backend-id", "0");
    expect(xs, "/local/domain/7/console/type", "xenconsoled");
    expect(xs, "/local/domain/7/console/output", "pty");
    expect(xs, "/local/domain/7/console/tty", "");
    expect(xs, "/local/domain/7/console/port", "4");
    expect(xs, "/local/domain/7/console/ring-ref", "1044479");
    expect(xs, "/local/domain/7/console/limit", "1048576");
    expect(xs, "/local/domain/0/backend/console/7/0/frontend", "/local/domain/7/console");
    expect(xs, "/local/domain/0/backend/console/7/0/frontend-id", "7");
    expect(xs, "/local/domain/0/backend/console/7/0/state", "1");
    expect(xs, "/local/domain/0/backend/console/7/0/protocol", "vt100");
    expect(xs, "/libxl/7/type", "pvh");
    expect(xs, "/libxl/7/device/console/0/frontend", "/local/domain/7/console");
    /* Permissions: the guest reads its tree, owns its writable dirs, sees nothing of dom0's. */
    expect_perms("/local/domain/7", "n0,r7");
    expect_perms("/local/domain/7/cpu", "n0,r7");
    expect_perms("/local/domain/7/cpu/1/availability", "n0,r7");
    expect_perms("/local/domain/7/memory/target", "n0,r7");
    expect_perms("/local/domain/7/device", "n0,r7");
    expect_perms("/local/domain/7/control", "n0,r7");
    expect_perms("/local/domain/7/control/shutdown", "n7");
    expect_perms("/local/domain/7/data", "n7");
    expect_perms("/local/domain/7/store", "n0,r7");
    expect_perms("/local/domain/7/store/ring-ref", "n0,r7");
    expect_perms("/local/domain/7/console", "n0,r7");
    expect_perms("/local/domain/7/console/tty", "n0,r7");
    expect_perms("/local/domain/0/backend/console/7/0", "n0,r7");
    expect_perms("/vm/0a1b2c3d-0000-4000-8000-00000000abcd", "n0,r7");
    expect_perms("/libxl/7", "n0");
    expect_perms("/libxl/7/device", "n0");
    expect_perms("/libxl/7/type", "n0");
    expect_perms("/libxl/7/device/console/0/frontend", "n0");

    CHECK(xl_xs_rename_domain(xs, 7, "guest-1--incarnation-1") == 0);
    expect(xs, "/local/domain/7/name", "guest-1--incarnation-1");
    expect(xs, "/vm/0a1b2c3d-0000-4000-8000-00000000abcd/name", "guest-1--incarnation-1");

    xl_xs_forget_domain(xs, 7);
    expect(xs, "/local/domain/7", NULL);
    expect(xs, "/vm/0a1b2c3d-0000-4000-8000-00000000abcd", NULL);
    expect(xs, "/libxl/7", NULL);
    expect(xs, "/local/domain/0/backend/console/7", NULL);
    xl_xs_forget_domain(xs, 7); /* nothing left: still fine */
    expect(xs, "/local/domain/7", NULL);
}

int main(int argc, char **argv)
{
    struct xstore *xs;
    pid_t pid;

    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/xenstored\n", argv[0]);
        return 2;
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    unsetenv("XENSTORED_RUNDIR");
    pid = start_xenstored(argv[1]);
    if (pid <= 0) {
        fprintf(stderr, "xl-xstree-test: xenstored did not start\n");
        return 1;
    }
    xs = xstore_open();
    CHECK(xs != NULL);
    if (xs) {
        test_tree(xs);
        xstore_close(xs);
    }
    kill(pid, SIGTERM);
    {
        char cmd[64];

        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        CHECK(system(cmd) == 0);
    }
    return check_summary("xl-xstree-test");
}
