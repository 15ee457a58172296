/* xenstore-{read,write,ls,rm,list}: Xen's small xenstore clients, one binary (by argv[0] or
 * argv[1]). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith/store.h>

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "xenstore-%s: %s: %s\n", what, path, strerror(errno));
    return 1;
}

/* Print path's subtree as xenstore-ls does: "name = \"value\"" indented one space per level. */
static int ls(struct xstore *xs, const char *path, int depth)
{
    unsigned int n, i;
    char **kids = xstore_directory(xs, XSTORE_NO_TXN, path, &n);
    int rc = 0;

    if (!kids)
        return depth ? 0 : fail("ls", path);
    for (i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(kids[i]) + 2;
        char *child = malloc(len), *val;

        if (!child) {
            rc = 1;
            break;
        }
        snprintf(child, len, "%s%s%s", path, strcmp(path, "/") ? "/" : "", kids[i]);
        val = xstore_read(xs, XSTORE_NO_TXN, child, NULL);
        printf("%*s%s = \"%s\"\n", depth, "", kids[i], val ? val : "");
        free(val);
        rc |= ls(xs, child, depth + 1);
        free(child);
    }
    xstore_free_list(kids, n);
    return rc;
}

int main(int argc, char **argv)
{
    const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    const char *cmd = strncmp(prog, "xenstore-", 9) ? NULL : prog + 9;
    struct xstore *xs;
    int i, rc = 0;

    if (!cmd && argc > 1) {
        cmd = argv[1];
        argv++;
        argc--;
    }
    if (!cmd || (strcmp(cmd, "read") && strcmp(cmd, "write") && strcmp(cmd, "ls") &&
                 strcmp(cmd, "rm") && strcmp(cmd, "list"))) {
        fprintf(stderr,
                "usage: xenstore {read|rm|list} PATH... | write PATH VALUE... | ls [PATH]\n");
        return 2;
    }
    if ((!strcmp(cmd, "write") && (argc < 3 || argc % 2 == 0)) ||
        (strcmp(cmd, "ls") && strcmp(cmd, "write") && argc < 2)) {
        fprintf(stderr, "xenstore-%s: wrong number of arguments\n", cmd);
        return 2;
    }
    xs = xstore_open();
    if (!xs) {
        fprintf(stderr, "xenstore-%s: cannot connect to xenstored: %s\n", cmd, strerror(errno));
        return 1;
    }
    if (!strcmp(cmd, "ls")) {
        rc = ls(xs, argc > 1 ? argv[1] : "/", 0);
    } else if (!strcmp(cmd, "write")) {
        for (i = 1; i + 1 < argc && !rc; i += 2)
            if (xstore_write_str(xs, XSTORE_NO_TXN, argv[i], argv[i + 1]))
                rc = fail(cmd, argv[i]);
    } else {
        for (i = 1; i < argc && !rc; i++) {
            if (!strcmp(cmd, "rm")) {
                if (xstore_rm(xs, XSTORE_NO_TXN, argv[i]))
                    rc = fail(cmd, argv[i]);
            } else if (!strcmp(cmd, "read")) {
                char *v = xstore_read(xs, XSTORE_NO_TXN, argv[i], NULL);

                if (!v)
                    rc = fail(cmd, argv[i]);
                else
                    printf("%s\n", v);
                free(v);
            } else {
                unsigned int n, k;
                char **kids = xstore_directory(xs, XSTORE_NO_TXN, argv[i], &n);

                if (!kids)
                    rc = fail(cmd, argv[i]);
                for (k = 0; kids && k < n; k++)
                    printf("%s\n", kids[k]);
                xstore_free_list(kids, kids ? n : 0);
            }
        }
    }
    xstore_close(xs);
    return rc;
}
