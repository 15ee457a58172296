/* xen-init-dom0: give dom0 its xenstore identity (domid, name "Domain-0", pool name) at boot. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xenolith/store.h>

int main(int argc, char **argv)
{
    static const char *const keys[][2] = {
        {"/local/domain/0/domid", "0"},
        {"/local/domain/0/name", "Domain-0"},
        {"/local/pool/0/name", "Pool-0"},
    };
    struct xstore *xs;
    unsigned int i;
    int rc = 0;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: xen-init-dom0 (no arguments; xenstored must be running)\n");
        return 2;
    }
    xs = xstore_open();
    if (!xs) {
        fprintf(stderr, "xen-init-dom0: cannot connect to xenstored: %s\n", strerror(errno));
        return 1;
    }
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (xstore_write_str(xs, XSTORE_NO_TXN, keys[i][0], keys[i][1])) {
            fprintf(stderr, "xen-init-dom0: writing %s: %s\n", keys[i][0], strerror(errno));
            rc = 1;
        }
    }
    xstore_close(xs);
    return rc;
}
