/* xl's connections to the hypervisor and xenstored, plus domain lookup by name or id. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "fmt.h"

static struct xcall *xc;
static struct xstore *xs;

struct xcall *xl_xc(void)
{
    if (!xc) {
        xc = xcall_open();
        if (!xc) {
            fprintf(stderr,
                    "xl: cannot open /dev/xen/privcmd: %s (xl runs in dom0 under Xenolith, "
                    "as root, with xen-privcmd loaded)\n",
                    strerror(errno));
            exit(1);
        }
    }
    return xc;
}

struct xstore *xl_xs(void)
{
    if (!xs) {
        xs = xstore_open();
        if (!xs) {
            fprintf(stderr, "xl: cannot connect to xenstored: %s (is xenstored running?)\n",
                    strerror(errno));
            exit(1);
        }
    }
    return xs;
}

void xl_ctx_reset(void)
{
    xstore_close(xs);
    xcall_close(xc);
    xs = NULL;
    xc = NULL;
}

int xl_fail(const char *what)
{
    int e = errno;

    fprintf(stderr, "xl: %s: %s\n", what, strerror(e));
    errno = e;
    return 1;
}

int xl_error(const char *what)
{
    xl_fail(what);
    return -1;
}

int xl_list_domains(struct xctrl_dominfo **out)
{
    struct xctrl_dominfo *all = NULL;
    unsigned int n = 0, cap = 0;
    uint32_t next = 0;

    for (;;) {
        if (cap - n < 64) {
            struct xctrl_dominfo *p = realloc(all, (cap + 64) * sizeof(*p));

            if (!p) {
                free(all);
                xl_fail("listing domains");
                return -1;
            }
            all = p;
            cap += 64;
        }
        int got = xctrl_domain_list(xl_xc(), next, all + n, cap - n);

        if (got < 0) {
            free(all);
            xl_fail("listing domains (sysctl getdomaininfolist)");
            return -1;
        }
        n += (unsigned int)got;
        if (got == 0 || n < cap)
            break;
        next = all[n - 1].domid + 1;
    }
    *out = all;
    return (int)n;
}

char *xl_domain_name(uint32_t domid)
{
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    return xstore_read(xl_xs(), XSTORE_NO_TXN, path, NULL);
}

int xl_find_domain(const char *arg, uint32_t *domid)
{
    struct xctrl_dominfo *all;
    struct xl_dom_name *names;
    int n = xl_list_domains(&all), i, rc = -1;

    if (n < 0)
        return -1;
    names = calloc((size_t)n + 1, sizeof(*names));
    if (!names) {
        free(all);
        xl_fail("resolving a domain");
        return -1;
    }
    for (i = 0; i < n; i++) {
        names[i].domid = all[i].domid;
        names[i].name = xl_domain_name(all[i].domid);
    }
    if (xl_resolve_domain(arg, names, (size_t)n, domid) == 0)
        rc = 0;
    else
        fprintf(stderr, "Error: Domain '%s' does not exist.\n", arg);
    for (i = 0; i < n; i++)
        free((char *)names[i].name);
    free(names);
    free(all);
    return rc;
}

/* Named domains, else all of them; see ctx.h. */
int xl_each_domain(char **names, int n, int (*fn)(uint32_t domid, void *arg), void *arg,
                   bool keep_going)
{
    int i, rc = 0;

    if (n == 0) {
        struct xctrl_dominfo *all;
        int count = xl_list_domains(&all);

        if (count < 0)
            return 1;
        for (i = 0; i < count; i++)
            fn(all[i].domid, arg);
        free(all);
        return 0;
    }
    for (i = 0; i < n; i++) {
        uint32_t domid;

        if (xl_find_domain(names[i], &domid) || fn(domid, arg)) {
            rc = 1;
            if (!keep_going)
                break;
        }
    }
    return rc;
}

int xl_domain_info(uint32_t domid, struct xctrl_dominfo *di)
{
    if (xctrl_domain_getinfo(xl_xc(), domid, di) == 0)
        return 0;
    if (errno == ENOENT || errno == ESRCH)
        fprintf(stderr, "Error: Domain %u does not exist.\n", domid);
    else
        xl_fail("getting domain info");
    return -1;
}
