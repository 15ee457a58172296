/* Per-domain control: domid, domname, pause, unpause, destroy, shutdown and reboot. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "ctx.h"
#include "lifecycle.h"

/* The single DOM argument of a command taking no options; -1 after a usage error. */
static int one_domain(int argc, char **argv, uint32_t *domid)
{
    if (getopt(argc, argv, "") != -1 || optind + 1 != argc)
        return -2;
    return xl_find_domain(argv[optind], domid);
}

int xl_domid_main(int argc, char **argv)
{
    uint32_t domid;
    int rc = one_domain(argc, argv, &domid);

    if (rc == -2)
        return xl_usage("domid");
    if (rc)
        return 1;
    printf("%u\n", domid);
    return 0;
}

int xl_domname_main(int argc, char **argv)
{
    uint32_t domid;
    char *name, *end;
    long id;

    if (getopt(argc, argv, "") != -1 || optind + 1 != argc)
        return xl_usage("domname");
    id = strtol(argv[optind], &end, 10);
    if (end == argv[optind] || *end || id < 0 || id > 0xffff) {
        fprintf(stderr, "Invalid domain id.\n");
        return 1;
    }
    domid = (uint32_t)id;
    name = xl_domain_name(domid);
    if (!name) {
        fprintf(stderr,
                "Can't get domain name of domain id '%u', maybe this domain does not "
                "exist.\n",
                domid);
        return 1;
    }
    printf("%s\n", name);
    free(name);
    return 0;
}

static int pause_or_unpause(int argc, char **argv, bool pause)
{
    const char *cmd = pause ? "pause" : "unpause";
    uint32_t domid;
    int rc = one_domain(argc, argv, &domid);

    if (rc == -2)
        return xl_usage(cmd);
    if (rc)
        return 1;
    rc = pause ? xctrl_domain_pause(xl_xc(), domid) : xctrl_domain_unpause(xl_xc(), domid);
    if (rc)
        return xl_fail(pause ? "pausing the domain" : "unpausing the domain");
    return 0;
}

int xl_pause_main(int argc, char **argv)
{
    return pause_or_unpause(argc, argv, true);
}

int xl_unpause_main(int argc, char **argv)
{
    return pause_or_unpause(argc, argv, false);
}

int xl_destroy_main(int argc, char **argv)
{
    uint32_t domid;
    int opt;

    while ((opt = getopt(argc, argv, "f")) != -1)
        if (opt != 'f')
            return xl_usage("destroy");
    if (optind + 1 != argc)
        return xl_usage("destroy");
    if (xl_find_domain(argv[optind], &domid))
        return 1;
    return xl_domain_teardown(domid) ? 1 : 0;
}

/* Block until none of doms[] exists any more (they are being shut down). */
static int wait_gone(uint32_t *doms, int n)
{
    struct xstore *xs = xl_xs();
    int left = 0, i;

    for (i = 0; i < n; i++)
        left += doms[i] != UINT32_MAX;
    if (xstore_watch(xs, "@releaseDomain", "xl-wait"))
        return xl_fail("watching @releaseDomain");
    while (left) {
        char *p, *t;

        for (i = 0; i < n; i++) {
            struct xctrl_dominfo di;

            if (doms[i] == UINT32_MAX)
                continue;
            if (xctrl_domain_getinfo(xl_xc(), doms[i], &di) &&
                (errno == ENOENT || errno == ESRCH)) {
                fprintf(stderr, "Domain %u has been destroyed.\n", doms[i]);
                doms[i] = UINT32_MAX;
                left--;
            }
        }
        if (!left)
            break;
        if (xstore_read_watch(xs, &p, &t, false)) {
            if (errno == EINTR)
                continue;
            return xl_fail("waiting for @releaseDomain");
        }
        free(p);
        free(t);
    }
    xstore_unwatch(xs, "@releaseDomain", "xl-wait");
    return 0;
}

/* shutdown/reboot: write control/shutdown for one or all guests, optionally wait. */
static int ask(int argc, char **argv, const char *cmd, const char *what)
{
    bool all = false, wait = false;
    struct xctrl_dominfo *doms = NULL;
    uint32_t *ids;
    int opt, n = 0, i, rc = 0;

    while ((opt = getopt(argc, argv, "awF")) != -1) {
        if (opt == 'a')
            all = true;
        else if (opt == 'w')
            wait = true;
        else if (opt != 'F')
            return xl_usage(cmd);
    }
    if (all ? optind != argc : optind + 1 != argc)
        return xl_usage(cmd);
    if (all) {
        n = xl_list_domains(&doms);
        if (n < 0)
            return 1;
    }
    ids = calloc((size_t)n + 1, sizeof(*ids));
    if (!ids) {
        free(doms);
        return xl_fail(cmd);
    }
    if (all) {
        int k = 0;

        for (i = 0; i < n; i++)
            if (doms[i].domid != 0)
                ids[k++] = doms[i].domid;
        n = k;
    } else {
        if (xl_find_domain(argv[optind], &ids[0])) {
            free(ids);
            return 1;
        }
        if (ids[0] == 0) {
            fprintf(stderr,
                    "xl: %s of Domain-0 is not done by xl: run `poweroff' or `reboot' in "
                    "dom0\n",
                    cmd);
            free(ids);
            return 1;
        }
        n = 1;
    }
    free(doms);
    for (i = 0; i < n; i++) {
        char path[64];

        snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", ids[i]);
        if (wait)
            fprintf(stderr, "Waiting for domain %u to die [pid %ld]\n", ids[i], (long)getpid());
        if (xstore_write_str(xl_xs(), XSTORE_NO_TXN, path, what)) {
            fprintf(stderr, "xl: asking domain %u to %s: %s\n", ids[i], cmd, strerror(errno));
            rc = 1;
            ids[i] = UINT32_MAX;
        }
    }
    if (wait && wait_gone(ids, n))
        rc = 1;
    free(ids);
    return rc;
}

int xl_shutdown_main(int argc, char **argv)
{
    return ask(argc, argv, "shutdown", "poweroff");
}

int xl_reboot_main(int argc, char **argv)
{
    return ask(argc, argv, "reboot", "reboot");
}
