/* `xl console': attach this terminal to a domain's console pty (xenconsoled's client). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../xenconsoled/console_client.h"
#include "cmds.h"
#include "ctx.h"

/* Ctrl-], the escape that detaches, as Xen's xenconsole. */
#define CONSOLE_ESCAPE 0x1d

int xl_console_main(int argc, char **argv)
{
    char path[64], *tty;
    uint32_t domid;
    int opt, rc;

    while ((opt = getopt(argc, argv, "t:n:")) != -1) {
        if (opt == 't' && strcmp(optarg, "pv")) {
            fprintf(stderr, "xl: console type '%s' is not available (only pv)\n", optarg);
            return 1;
        }
        if (opt == 'n' && strcmp(optarg, "0")) {
            fprintf(stderr, "xl: console %s does not exist (only 0)\n", optarg);
            return 1;
        }
        if (opt != 't' && opt != 'n')
            return xl_usage("console");
    }
    if (optind + 1 != argc)
        return xl_usage("console");
    if (xl_find_domain(argv[optind], &domid))
        return 1;
    if (domid == 0) {
        fprintf(stderr, "xl: Domain-0's console is the hypervisor console (this terminal under "
                        "`make run')\n");
        return 1;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/console/tty", domid);
    tty = xstore_read(xl_xs(), XSTORE_NO_TXN, path, NULL);
    if (!tty || !*tty) {
        fprintf(stderr, "xl: domain %u has no console tty yet (is xenconsoled running?)\n", domid);
        free(tty);
        return 1;
    }
    fflush(NULL);
    rc = console_attach(tty, CONSOLE_ESCAPE);
    free(tty);
    return rc ? 1 : 0;
}
