/* xenconsole DOMID: attach this terminal to a guest's console (exit with Ctrl-]). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith/store.h>

#include "console_client.h"

int main(int argc, char **argv)
{
    struct xstore *xs;
    unsigned long domid;
    char *end, *tty;
    int rc;

    if (argc != 2 || !*argv[1] || (domid = strtoul(argv[1], &end, 10), *end) || domid >= 0x7ff0) {
        fprintf(stderr, "usage: xenconsole DOMID   (exit with Ctrl-])\n");
        return 2;
    }
    xs = xstore_open();
    if (!xs) {
        fprintf(stderr, "xenconsole: cannot connect to xenstore: %s\n", strerror(errno));
        return 1;
    }
    tty = console_tty_path(xs, (unsigned int)domid, 5000);
    xstore_close(xs);
    if (!tty) {
        fprintf(stderr, "xenconsole: domain %lu has no console (is xenconsoled running?)\n", domid);
        return 1;
    }
    rc = console_attach(tty, CONSOLE_ESCAPE_DEFAULT);
    if (rc)
        fprintf(stderr, "xenconsole: %s: %s\n", tty, strerror(errno));
    free(tty);
    return rc ? 1 : 0;
}
