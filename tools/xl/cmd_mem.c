/* `xl mem-set' and `xl mem-max': a domain's balloon target and its memory ceiling. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "ctx.h"
#include "fmt.h"

/* The Xen slack above a domain's RAM in its max_mem (libxl's LIBXL_MAXMEM_CONSTANT). */
#define MAXMEM_SLACK_KB 1024

/* DOM and a size argument; -2 for a usage error, -1 after a reported one. */
static int dom_and_size(int argc, char **argv, uint32_t *domid, uint64_t *kb)
{
    if (getopt(argc, argv, "") != -1 || optind + 2 != argc)
        return -2;
    if (xl_parse_memsize(argv[optind + 1], kb) || *kb == 0) {
        fprintf(stderr,
                "Invalid memory size: %s (a number of MiB, or with a suffix b, k, m, g, "
                "t)\n",
                argv[optind + 1]);
        return -1;
    }
    return xl_find_domain(argv[optind], domid);
}

/* Write memory/<key> (KiB) of domid. */
static int write_mem_key(uint32_t domid, const char *key, uint64_t kb)
{
    char path[64], val[32];

    snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", domid, key);
    snprintf(val, sizeof(val), "%" PRIu64, kb);
    if (xstore_write_str(xl_xs(), XSTORE_NO_TXN, path, val))
        return xl_fail("writing the memory target to xenstore");
    return 0;
}

int xl_mem_set_main(int argc, char **argv)
{
    uint32_t domid;
    uint64_t kb;
    char path[64], *max;
    int rc = dom_and_size(argc, argv, &domid, &kb);

    if (rc == -2)
        return xl_usage("mem-set");
    if (rc)
        return 1;
    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", domid);
    max = xstore_read(xl_xs(), XSTORE_NO_TXN, path, NULL);
    if (max && domid != 0 && kb > strtoull(max, NULL, 10)) {
        fprintf(stderr,
                "xl: %" PRIu64 " KiB is above the maximum of domain %u (%s KiB): raise it "
                "with `xl mem-max' first\n",
                kb, domid, max);
        free(max);
        return 1;
    }
    free(max);
    /* Enforced, as libxl_set_memory_target does: the ceiling follows the target. */
    if (domid != 0 && xctrl_domain_setmaxmem(xl_xc(), domid, kb + MAXMEM_SLACK_KB))
        return xl_fail("domctl max_mem");
    return write_mem_key(domid, "target", kb);
}

int xl_mem_max_main(int argc, char **argv)
{
    uint32_t domid;
    uint64_t kb;
    int rc = dom_and_size(argc, argv, &domid, &kb);

    if (rc == -2)
        return xl_usage("mem-max");
    if (rc)
        return 1;
    if (xctrl_domain_setmaxmem(xl_xc(), domid, kb + MAXMEM_SLACK_KB))
        return xl_fail("domctl max_mem");
    return write_mem_key(domid, "static-max", kb);
}
