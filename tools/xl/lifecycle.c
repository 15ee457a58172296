/* Domain teardown (xl destroy, the monitor, failed creates) and the saved per-domain config. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "fmt.h"
#include "lifecycle.h"

/* Where configs of running domains are kept, as libxl's userdata files. */
#define USERDATA_DIR "/var/lib/xen"

static void userdata_path(char *buf, size_t len, uint32_t domid, const uint8_t handle[16])
{
    char uuid[37];

    xl_format_uuid(handle, uuid);
    snprintf(buf, len, USERDATA_DIR "/userdata-d.%u.%s.libxl-json", domid, uuid);
}

int xl_userdata_write(uint32_t domid, const uint8_t handle[16], const struct domain_config *dc)
{
    char path[160], tmp[170];
    FILE *f;
    int bad;

    mkdir("/var/lib", 0755);
    if (mkdir(USERDATA_DIR, 0755) && errno != EEXIST)
        return -1;
    userdata_path(path, sizeof(path), domid, handle);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f)
        return -1;
    domain_config_print_json(dc, f);
    bad = ferror(f);
    if (fclose(f) || bad || rename(tmp, path)) {
        int e = errno ? errno : EIO;

        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

char *xl_userdata_read(uint32_t domid, const uint8_t handle[16])
{
    char path[160], *buf;
    FILE *f;
    long n;

    userdata_path(path, sizeof(path), domid, handle);
    f = fopen(path, "r");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
        !(buf = malloc((size_t)n + 1))) {
        fclose(f);
        return NULL;
    }
    n = (long)fread(buf, 1, (size_t)n, f);
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        n--;
    buf[n] = '\0';
    return buf;
}

void xl_userdata_remove(uint32_t domid, const uint8_t handle[16])
{
    char path[160];

    userdata_path(path, sizeof(path), domid, handle);
    unlink(path);
}

int xl_domain_teardown(uint32_t domid)
{
    struct xctrl_dominfo di;

    if (domid == 0) {
        fprintf(stderr, "xl: domain 0 (Domain-0) cannot be destroyed\n");
        return -1;
    }
    if (xctrl_domain_getinfo(xl_xc(), domid, &di)) {
        if (errno == ENOENT || errno == ESRCH) {
            xl_xs_forget_domain(xl_xs(), domid); /* gone already: just tidy up */
            return 0;
        }
        return xl_error("getting domain info");
    }
    xctrl_domain_pause(xl_xc(), domid); /* stop it running while it is taken apart */
    xl_xs_forget_domain(xl_xs(), domid);
    xl_userdata_remove(domid, di.handle);
    if (xctrl_domain_destroy(xl_xc(), domid) && errno != ENOENT && errno != ESRCH)
        return xl_error("destroying the domain (domctl destroydomain)");
    return 0;
}
