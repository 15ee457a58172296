/* Disk specifications (xl-disk-configuration(5)): positional and key=value items, legacy prefixes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"

struct dctx {
    struct disk_spec *disk;
    const char *spec;
    struct diag *d;
    const char *source;
    int line;
    int err;
};

static void derr(struct dctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void derr(struct dctx *c, const char *fmt, ...)
{
    char msg[256], q[160];
    va_list ap;

    if (c->err++)
        return; /* the first error is the useful one */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_error(c->d, c->source, c->line, "bad disk specification `%s': %s",
               diag_quote(q, sizeof(q), c->spec, (unsigned)strlen(c->spec)), msg);
}

/* Set a string once; overwriting an empty one is allowed (as libxlu does). */
static void save(struct dctx *c, const char *what, char **slot, const char *val, size_t len)
{
    if (*slot && **slot) {
        derr(c, "%s given twice", what);
        return;
    }
    free(*slot);
    *slot = strndup(val, len);
    if (!*slot)
        derr(c, "out of memory");
}

static void set_format(struct dctx *c, const char *v, size_t n)
{
    static const struct {
        const char *name;
        enum disk_format f;
    } formats[] = {{"", DISK_FORMAT_RAW},      {"raw", DISK_FORMAT_RAW},
                   {"qcow", DISK_FORMAT_QCOW}, {"qcow2", DISK_FORMAT_QCOW2},
                   {"vhd", DISK_FORMAT_VHD},   {"empty", DISK_FORMAT_EMPTY},
                   {"qed", DISK_FORMAT_QED}};
    size_t i;

    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (strlen(formats[i].name) != n || strncmp(formats[i].name, v, n))
            continue;
        if (c->disk->format != DISK_FORMAT_UNKNOWN && c->disk->format != formats[i].f)
            derr(c, "format given twice");
        else
            c->disk->format = formats[i].f;
        return;
    }
    derr(c, "unknown format `%.*s' (raw, qcow, qcow2, vhd, qed or empty)", (int)n, v);
}

static void set_access(struct dctx *c, const char *v, size_t n)
{
    if ((n == 1 && *v == 'r') || (n == 2 && !strncmp(v, "ro", 2)))
        c->disk->readwrite = 0;
    else if (n == 0 || (n == 1 && *v == 'w') || (n == 2 && !strncmp(v, "rw", 2)))
        c->disk->readwrite = 1;
    else
        derr(c, "unknown access `%.*s' (r, ro, w or rw)", (int)n, v);
}

static bool eq(const char *v, size_t n, const char *lit)
{
    return strlen(lit) == n && !strncmp(v, lit, n);
}

static void set_backendtype(struct dctx *c, const char *v, size_t n)
{
    enum disk_backend b;

    if (eq(v, n, "phy"))
        b = DISK_BACKEND_PHY;
    else if (eq(v, n, "tap"))
        b = DISK_BACKEND_TAP;
    else if (eq(v, n, "qdisk"))
        b = DISK_BACKEND_QDISK;
    else if (eq(v, n, "standalone"))
        b = DISK_BACKEND_STANDALONE;
    else {
        derr(c, "unknown backendtype `%.*s' (phy, tap, qdisk or standalone)", (int)n, v);
        return;
    }
    if (c->disk->backend != DISK_BACKEND_UNKNOWN && c->disk->backend != b)
        derr(c, "backendtype given twice");
    else
        c->disk->backend = b;
}

static void set_specification(struct dctx *c, const char *v, size_t n)
{
    enum disk_specification s;

    if (eq(v, n, "xen"))
        s = DISK_SPEC_XEN;
    else if (eq(v, n, "virtio"))
        s = DISK_SPEC_VIRTIO;
    else {
        derr(c, "unknown specification `%.*s' (xen or virtio)", (int)n, v);
        return;
    }
    if (c->disk->specification != DISK_SPEC_UNKNOWN && c->disk->specification != s)
        derr(c, "specification given twice");
    else
        c->disk->specification = s;
}

/* `vdev:devtype' in a positional vdev; returns true when V had a colon. */
static bool vdev_and_devtype(struct dctx *c, const char *v, size_t n)
{
    const char *colon = NULL;
    size_t i;

    for (i = 0; i < n; i++)
        if (v[i] == ':')
            colon = v + i;
    if (!colon)
        return false;
    save(c, "vdev", &c->disk->vdev, v, (size_t)(colon - v));
    colon++;
    n -= (size_t)(colon - v);
    if (eq(colon, n, "cdrom"))
        c->disk->is_cdrom = 1;
    else if (eq(colon, n, "disk"))
        c->disk->is_cdrom = 0;
    else
        derr(c, "unknown device type `%.*s' after `:' (cdrom or disk)", (int)n, colon);
    return true;
}

static void positional(struct dctx *c, const char *v, size_t n)
{
    struct disk_spec *k = c->disk;

    if (!k->pdev_path) {
        save(c, "target", &k->pdev_path, v, n);
    } else if (!k->had_prefix && k->format == DISK_FORMAT_UNKNOWN) {
        if (!*k->pdev_path && vdev_and_devtype(c, v, n))
            k->format = DISK_FORMAT_EMPTY;
        else
            set_format(c, v, n);
    } else if (!k->vdev) {
        if (!vdev_and_devtype(c, v, n))
            save(c, "vdev", &k->vdev, v, n);
    } else if (!k->access_set) {
        k->access_set = true;
        set_access(c, v, n);
    } else {
        derr(c, "too many positional parameters at `%.*s'", (int)n, v);
    }
}

/* A flag item (no `='); returns false when ITEM is not a flag. */
static bool flag(struct dctx *c, const char *v, size_t n)
{
    struct disk_spec *k = c->disk;

    if (eq(v, n, "cdrom"))
        k->is_cdrom = 1;
    else if (eq(v, n, "direct-io-safe"))
        k->direct_io_safe = true;
    else if (eq(v, n, "discard") || eq(v, n, "no-discard"))
        k->discard_enable = *v != 'n';
    else if (eq(v, n, "colo") || eq(v, n, "no-colo"))
        k->colo_enable = *v != 'n';
    else if (eq(v, n, "trusted") || eq(v, n, "untrusted"))
        k->trusted = *v != 'u';
    else
        return false;
    return true;
}

static void keyval(struct dctx *c, const char *key, size_t kn, const char *v, size_t n)
{
    struct disk_spec *k = c->disk;

    if (eq(key, kn, "format")) {
        set_format(c, v, n);
    } else if (eq(key, kn, "devtype")) {
        if (eq(v, n, "cdrom") || eq(v, n, "disk"))
            k->is_cdrom = *v == 'c';
        else
            derr(c, "unknown devtype `%.*s' (cdrom or disk)", (int)n, v);
    } else if (eq(key, kn, "access")) {
        set_access(c, v, n);
    } else if (eq(key, kn, "backend")) {
        save(c, "backend", &k->backend_domname, v, n);
    } else if (eq(key, kn, "backendtype")) {
        set_backendtype(c, v, n);
    } else if (eq(key, kn, "specification")) {
        set_specification(c, v, n);
    } else if (eq(key, kn, "vdev")) {
        save(c, "vdev", &k->vdev, v, n);
    } else if (eq(key, kn, "script")) {
        save(c, "script", &k->script, v, n);
    } else if (eq(key, kn, "colo-host")) {
        save(c, "colo-host", &k->colo_host, v, n);
    } else if (eq(key, kn, "colo-export")) {
        save(c, "colo-export", &k->colo_export, v, n);
    } else if (eq(key, kn, "active-disk")) {
        save(c, "active-disk", &k->active_disk, v, n);
    } else if (eq(key, kn, "hidden-disk")) {
        save(c, "hidden-disk", &k->hidden_disk, v, n);
    } else if (eq(key, kn, "colo-port")) {
        char buf[16];

        snprintf(buf, sizeof(buf), "%.*s", (int)(n < 15 ? n : 15), v);
        k->colo_port = atoi(buf);
        if (k->colo_port <= 0 || k->colo_port > 65535)
            derr(c, "bad colo-port `%.*s'", (int)n, v);
    } else if (eq(key, kn, "grant_usage")) {
        if (eq(v, n, "0") || eq(v, n, "1"))
            k->grant_usage = *v == '1';
        else
            derr(c, "grant_usage must be 0 or 1");
    } else {
        derr(c, "unknown parameter `%.*s'", (int)kn, key);
    }
}

/* A legacy `prefix:' at P (stripped, as Xen does); returns its length with the colon, 0 if
 * none, -1 after an error. */
static int legacy_prefix(struct dctx *c, const char *p)
{
    static const char *const ignored[] = {"tapdisk", "tap", "tap2", "aio", "ioemu", "file", "phy"};
    static const char *const formats[] = {"raw", "qcow", "qcow2", "vhd"};
    static const char *const scripts[] = {"iscsi", "nbd", "enbd", "drbd"};
    size_t n = 0, i;

    if (!(p[0] >= 'a' && p[0] <= 'z'))
        return 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9'))
        n++;
    if (p[n] != ':')
        return 0;
    for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
        if (eq(p, n, ignored[i]))
            goto found;
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (eq(p, n, formats[i])) {
            set_format(c, p, n);
            goto found;
        }
    }
    for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
        if (eq(p, n, scripts[i])) {
            char script[16];

            snprintf(script, sizeof(script), "block-%s", scripts[i]);
            save(c, "script", &c->disk->script, script, strlen(script));
            goto found;
        }
    }
    char next = p[n + 1];

    if ((next >= 'a' && next <= 'z') || (next >= '0' && next <= '9'))
        return 0; /* `hdc:cdrom' and the like: a positional vdev:devtype */
    derr(c, "unknown legacy prefix `%.*s:'", (int)n, p);
    return -1;
found:
    c->disk->had_prefix = true;
    return (int)n + 1;
}

bool disk_vdev_valid(const char *v)
{
    size_t i = 0;

    if (!strncmp(v, "xvd", 3) || !strncmp(v, "hd", 2) || !strncmp(v, "sd", 2)) {
        i = v[0] == 'x' ? 3 : 2;
        if (!(v[i] >= 'a' && v[i] <= 'z'))
            return false;
        while (v[i] >= 'a' && v[i] <= 'z')
            i++;
        if (v[0] == 'h' && i != 3)
            return false;
    } else if (v[0] == 'd' && v[1] >= '0' && v[1] <= '9') {
        for (i = 1; v[i] >= '0' && v[i] <= '9'; i++)
            ;
        if (v[i] == 'p') {
            if (!(v[++i] >= '0' && v[i] <= '9'))
                return false;
        }
    } else if (!(v[0] >= '0' && v[0] <= '9')) {
        return false;
    }
    while (v[i] >= '0' && v[i] <= '9')
        i++;
    return v[i] == '\0' && i < 32;
}

int disk_spec_parse(struct disk_spec *disk, const char *spec, struct diag *d, const char *source,
                    int line)
{
    struct dctx c = {disk, spec, d, source, line, 0};
    const char *p = spec;

    disk->readwrite = 1;
    disk->discard_enable = disk->colo_enable = disk->trusted = disk->grant_usage = -1;
    while (*p && !c.err) {
        const char *item, *end, *eqs;
        int pre;

        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        if (!strncmp(p, "target=", 7)) {
            size_t n = strlen(p + 7);

            if (n && p[7 + n - 1] == ',')
                n--;
            save(&c, "target", &disk->pdev_path, p + 7, n);
            break;
        }
        pre = legacy_prefix(&c, p);
        if (pre < 0)
            break;
        if (pre > 0) {
            p += pre;
            continue;
        }
        item = p;
        end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        p = *end ? end + 1 : end;
        eqs = memchr(item, '=', (size_t)(end - item));
        if (eqs) {
            keyval(&c, item, (size_t)(eqs - item), eqs + 1, (size_t)(end - eqs - 1));
            continue;
        }
        while (end > item && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
            end--;
        if (!flag(&c, item, (size_t)(end - item)))
            positional(&c, item, (size_t)(end - item));
    }
    if (c.err)
        return -1;
    if (disk->format == DISK_FORMAT_UNKNOWN)
        disk->format = DISK_FORMAT_RAW;
    if (disk->is_cdrom) {
        disk->removable = 1;
        disk->readwrite = 0;
        if (!disk->pdev_path || !*disk->pdev_path)
            disk->format = DISK_FORMAT_EMPTY;
    }
    if (!disk->vdev || !*disk->vdev) {
        derr(&c, "no vdev given (e.g. `xvda')");
        return -1;
    }
    if (!disk_vdev_valid(disk->vdev)) {
        derr(&c, "bad vdev `%s' (xvdX, hdX, sdX, dNpM or a number)", disk->vdev);
        return -1;
    }
    if ((!disk->pdev_path || !*disk->pdev_path) && !disk->removable) {
        derr(&c, "no target given (only a cdrom may be empty)");
        return -1;
    }
    return 0;
}

void disk_spec_free(struct disk_spec *k)
{
    free(k->pdev_path);
    free(k->vdev);
    free(k->script);
    free(k->backend_domname);
    free(k->colo_host);
    free(k->colo_export);
    free(k->active_disk);
    free(k->hidden_disk);
}

const char *disk_format_name(enum disk_format f)
{
    static const char *const names[] = {"unknown", "qcow", "qcow2", "vhd", "raw", "empty", "qed"};
    return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "unknown";
}

const char *disk_backend_name(enum disk_backend b)
{
    static const char *const names[] = {"unknown", "phy", "tap", "qdisk", "standalone"};
    return (unsigned)b < sizeof(names) / sizeof(names[0]) ? names[b] : "unknown";
}

const char *disk_specification_name(enum disk_specification s)
{
    static const char *const names[] = {"unknown", "xen", "virtio"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}
