/* `xl list': the domain table in Xen's format, or with -l each domain's saved configuration. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "ctx.h"
#include "fmt.h"
#include "lifecycle.h"

/* -l: [{"domid": N, "config": {...}}, ...] for domains xl created (dom0 has no saved config). */
static void list_long(const struct xctrl_dominfo *doms, int n)
{
    int i, shown = 0;

    printf("[\n");
    for (i = 0; i < n; i++) {
        char *json = xl_userdata_read(doms[i].domid, doms[i].handle);

        if (!json)
            continue;
        printf("%s    {\n        \"domid\": %u,\n        \"config\": %s\n    }", shown ? ",\n" : "",
               doms[i].domid, json);
        shown++;
        free(json);
    }
    printf("%s]\n", shown ? "\n" : "");
}

int xl_list_main(int argc, char **argv)
{
    struct xctrl_dominfo *doms = NULL, one;
    bool verbose = false, details = false;
    int opt, n, i;

    while ((opt = getopt(argc, argv, "lvZcn")) != -1) {
        switch (opt) {
        case 'l':
            details = true;
            break;
        case 'v':
            verbose = true;
            break;
        case 'Z':
        case 'c':
        case 'n':
            break; /* security label, cpupool, NUMA columns: nothing to show on Xenolith */
        default:
            return xl_usage("list");
        }
    }
    if (optind + 1 < argc)
        return xl_usage("list");
    if (optind < argc) {
        uint32_t domid;

        if (xl_find_domain(argv[optind], &domid) || xl_domain_info(domid, &one))
            return 1;
        doms = &one;
        n = 1;
    } else {
        n = xl_list_domains(&doms);
        if (n < 0)
            return 1;
    }
    if (details) {
        list_long(doms, n);
    } else {
        xl_list_header(stdout, verbose);
        for (i = 0; i < n; i++) {
            char *name = xl_domain_name(doms[i].domid);

            xl_list_row(stdout, name, &doms[i], verbose);
            free(name);
        }
    }
    if (doms != &one)
        free(doms);
    return 0;
}
