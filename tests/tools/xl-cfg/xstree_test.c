/* xl's xenstore tree of a new domain (tools/xl/xstree.c) against the real xenstored, socket only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
