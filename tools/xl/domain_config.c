/* Map xl.cfg settings to a domain_config with xl's defaults and validation. */
#include <stdlib.h>
#include <string.h>

#include "cfg_keys.h"
#include "domain_config.h"
#include "fmt.h"

/* Settings this front end interprets; every other known one is refused as unsupported. */
static const char *const handled[] = {
    "name",     "type",        "builder",   "uuid",        "kernel",   "ramdisk",
    "cmdline",  "root",        "extra",     "memory",      "maxmem",   "vcpus",
    "maxvcpus", "on_poweroff", "on_reboot", "on_watchdog", "on_crash", "on_soft_reset",
    "disk",     "vif",         "cpus",      "cpu_weight",  "cap",
};

static const char *const action_names[] = {
    [ACTION_DESTROY] = "destroy",
    [ACTION_RESTART] = "restart",
    [ACTION_RESTART_RENAME] = "rename-restart",
    [ACTION_PRESERVE] = "preserve",
    [ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [ACTION_COREDUMP_RESTART] = "coredump-restart",
    [ACTION_SOFT_RESET] = "soft-reset",
};

static bool is_handled(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
        if (!strcmp(handled[i], name))
            return true;
    return false;
}

static struct where where_of(const struct cfg *cfg, const char *name, const char *source)
{
    const struct cfg_setting *s = cfg_find(cfg, name);

    return s ? (struct where){s->source, s->line} : (struct where){source, 0};
}

/* Warn about unknown names; remember known ones we do not handle. */
static void scan_names(struct domain_config *dc, const struct cfg *cfg, struct diag *d)
{
    size_t i, j;

    for (i = 0; i < cfg->n; i++) {
        const struct cfg_setting *s = &cfg->settings[i];

        if (is_handled(s->name))
            continue;
        if (!cfg_key_known(s->name)) {
            diag_warn(d, s->source, s->line, "unknown setting `%s' is ignored", s->name);
            continue;
        }
        for (j = 0; j < dc->n_unsupported; j++)
            if (!strcmp(dc->unsupported[j].name, s->name))
                break;
        if (j < dc->n_unsupported)
            continue;
        struct unsupported_key *u = realloc(dc->unsupported, (dc->n_unsupported + 1) * sizeof(*u));

        if (!u) {
            diag_error(d, s->source, s->line, "out of memory");
            return;
        }
        dc->unsupported = u;
        u[dc->n_unsupported].name = s->name;
        u[dc->n_unsupported].at = where_of(cfg, s->name, s->source);
        dc->n_unsupported++;
    }
}

static void parse_type(struct domain_config *dc, const struct cfg *cfg, const char *source,
                       struct diag *d)
{
    const char *t = NULL, *b = NULL;
    enum domain_type bt = DOMAIN_TYPE_PV;
    int rt = cfg_get_string(cfg, d, "type", &t), rb = cfg_get_string(cfg, d, "builder", &b);

    dc->type = DOMAIN_TYPE_PV;
    dc->type_at = (struct where){source, 0};
    if (rt == 0) {
        dc->type_at = where_of(cfg, "type", source);
        if (!strcmp(t, "pv"))
            dc->type = DOMAIN_TYPE_PV;
        else if (!strcmp(t, "pvh"))
            dc->type = DOMAIN_TYPE_PVH;
        else if (!strcmp(t, "hvm"))
            dc->type = DOMAIN_TYPE_HVM;
        else
            diag_error(d, dc->type_at.source, dc->type_at.line,
                       "unknown type \"%s\" (pvh, pv or hvm)", t);
    }
    if (rb == 0) {
        struct where at = where_of(cfg, "builder", source);

        if (!strcmp(b, "hvm")) {
            bt = DOMAIN_TYPE_HVM;
        } else if (!strcmp(b, "generic") || !strcmp(b, "linux")) {
            bt = DOMAIN_TYPE_PV;
        } else {
            diag_error(d, at.source, at.line,
                       "unknown builder \"%s\" (hvm or generic; `type' replaces `builder')", b);
            return;
        }
        if (rt == 0 && bt != dc->type) {
            diag_error(d, at.source, at.line, "builder \"%s\" contradicts type \"%s\"", b, t);
            return;
        }
        if (rt != 0) {
            dc->type = bt;
            dc->type_at = at;
        }
    }
}

static bool name_ok(const char *n, const char **why)
{
    const char *p;
    bool digits = true;

    if (!*n) {
        *why = "it is empty";
        return false;
    }
    if (strlen(n) > 64) {
        *why = "it is longer than 64 characters";
        return false;
    }
    for (p = n; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (c <= ' ' || c >= 0x7f || c == '/' || c == '\\' || c == '"' || c == '\'') {
            *why = "use letters, digits and punctuation other than / \\ ' \" (no spaces)";
            return false;
        }
        if (c < '0' || c > '9')
            digits = false;
    }
    if (digits) {
        *why = "an all-digit name would be taken for a domain id";
        return false;
    }
    if (!strcmp(n, "Domain-0")) {
        *why = "Domain-0 is the control domain's name";
        return false;
    }
    return true;
}

static bool uuid_ok(const char *u)
{
    static const int dash[] = {8, 13, 18, 23};
    int i, k = 0;

    if (strlen(u) != 36)
        return false;
    for (i = 0; i < 36; i++) {
        if (k < 4 && i == dash[k]) {
            if (u[i] != '-')
                return false;
            k++;
        } else if (!((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f') ||
                     (u[i] >= 'A' && u[i] <= 'F'))) {
            return false;
        }
    }
    return true;
}

/* A string setting copied into *OUT; empty strings are refused when NONEMPTY. */
static void get_str(const struct cfg *cfg, struct diag *d, const char *key, char **out,
                    bool nonempty)
{
    const char *s;

    if (cfg_get_string(cfg, d, key, &s))
        return;
    if (nonempty && !*s) {
        struct where at = where_of(cfg, key, "");

        diag_error(d, at.source, at.line, "`%s' is empty", key);
        return;
    }
    *out = strdup(s);
    if (!*out)
        diag_error(d, "xl", 0, "out of memory");
}

static void parse_names(struct domain_config *dc, const struct cfg *cfg, const char *source,
                        struct diag *d)
{
    const char *why;

    if (!cfg_find(cfg, "name"))
        diag_error(d, source, 0, "`name' must be given (e.g. name = \"guest1\")");
    get_str(cfg, d, "name", &dc->name, false);
    if (dc->name && !name_ok(dc->name, &why)) {
        struct where at = where_of(cfg, "name", source);

        diag_error(d, at.source, at.line, "invalid name \"%s\": %s", dc->name, why);
    }
    get_str(cfg, d, "uuid", &dc->uuid, false);
    if (dc->uuid && !uuid_ok(dc->uuid)) {
        struct where at = where_of(cfg, "uuid", source);

        diag_error(d, at.source, at.line,
                   "invalid uuid \"%s\" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", dc->uuid);
    }
}

/* cmdline, or root= and extra= joined as libxl does. */
static void parse_cmdline(struct domain_config *dc, const struct cfg *cfg, struct diag *d)
{
    const char *cmd = NULL, *root = NULL, *extra = NULL;
    int rc = cfg_get_string(cfg, d, "cmdline", &cmd);
    int rr = cfg_get_string(cfg, d, "root", &root);
    int re = cfg_get_string(cfg, d, "extra", &extra);
    size_t n;

    if (rc < 0 || rr < 0 || re < 0)
        return;
    if (cmd) {
        if (root || extra) {
            struct where at = where_of(cfg, "cmdline", "");

            diag_warn(d, at.source, at.line, "ignoring root= and extra= in favour of cmdline=");
        }
        dc->cmdline = strdup(cmd);
    } else if (root || extra) {
        n = (root ? strlen(root) + 6 : 0) + (extra ? strlen(extra) + 1 : 0) + 1;
        dc->cmdline = malloc(n);
        if (dc->cmdline && root && extra)
            snprintf(dc->cmdline, n, "root=%s %s", root, extra);
        else if (dc->cmdline && root)
            snprintf(dc->cmdline, n, "root=%s", root);
        else if (dc->cmdline)
            snprintf(dc->cmdline, n, "%s", extra);
    } else {
        return;
    }
    if (!dc->cmdline)
        diag_error(d, "xl", 0, "out of memory");
}

static void parse_sizes(struct domain_config *dc, const struct cfg *cfg, struct diag *d)
{
    long mem = 0, max = 0, v = 0, mv = 0;
    int rm = cfg_get_long(cfg, d, "memory", 1, DOMAIN_MAX_MEMORY_MIB, &mem);
    int rx = cfg_get_long(cfg, d, "maxmem", 1, DOMAIN_MAX_MEMORY_MIB, &max);
    int rv = cfg_get_long(cfg, d, "vcpus", 1, DOMAIN_MAX_VCPUS, &v);
    int rmv = cfg_get_long(cfg, d, "maxvcpus", 1, DOMAIN_MAX_VCPUS, &mv);

    /* libxl: 32 MiB when neither is given; a missing one takes the other's value. */
    if (rm > 0 && rx > 0)
        mem = max = 32;
    else if (rm > 0)
        mem = max;
    else if (rx > 0)
        max = mem;
    if (rm == 0 && rx == 0 && mem > max) {
        struct where at = where_of(cfg, "memory", "");

        diag_error(d, at.source, at.line, "memory (%ld MiB) is larger than maxmem (%ld MiB)", mem,
                   max);
    }
    dc->target_memkb = (uint64_t)mem * 1024;
    dc->max_memkb = (uint64_t)max * 1024;

    if (rv > 0)
        v = 1;
    if (rmv > 0)
        mv = v;
    if (rv == 0 && rmv == 0 && v > mv) {
        struct where at = where_of(cfg, "vcpus", "");

        diag_error(d, at.source, at.line, "vcpus (%ld) is larger than maxvcpus (%ld)", v, mv);
    }
    dc->vcpus = (unsigned)v;
    dc->max_vcpus = (unsigned)mv;
}

static void parse_action(const struct cfg *cfg, struct diag *d, const char *key,
                         enum shutdown_action def, enum shutdown_action *out, struct where *at_out)
{
    const char *s;
    size_t i;

    *out = def;
    *at_out = where_of(cfg, key, "");
    if (cfg_get_string(cfg, d, key, &s))
        return;
    for (i = 1; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
        if (!strcmp(s, action_names[i])) {
            *out = (enum shutdown_action)i;
            return;
        }
    }
    struct where at = where_of(cfg, key, "");

    diag_error(d, at.source, at.line,
               "unknown %s action \"%s\" (destroy, restart, rename-restart, preserve, "
               "coredump-destroy, coredump-restart or soft-reset)",
               key, s);
}

/* The `disk' or `vif' list: each string item parsed as a device spec. */
static void parse_devices(struct domain_config *dc, const struct cfg *cfg, struct diag *d,
                          bool disks)
{
    const char *key = disks ? "disk" : "vif";
    const struct cfg_setting *s;
    size_t i, j;

    if (cfg_get_list(cfg, d, key, &s))
        return;
    if (disks) {
        dc->disks_at = (struct where){s->source, s->line};
        dc->disks = calloc(s->value->n_items ? s->value->n_items : 1, sizeof(*dc->disks));
    } else {
        dc->vifs_at = (struct where){s->source, s->line};
        dc->vifs = calloc(s->value->n_items ? s->value->n_items : 1, sizeof(*dc->vifs));
    }
    if (disks ? !dc->disks : !dc->vifs) {
        diag_error(d, s->source, s->line, "out of memory");
        return;
    }
    for (i = 0; i < s->value->n_items; i++) {
        const struct cfg_value *it = s->value->items[i];

        if (it->kind != CFG_STRING) {
            diag_error(d, s->source, it->line, "%s item %zu is a list; each %s is a string", key,
                       i + 1, key);
            continue;
        }
        if (disks) {
            struct disk_spec *k = &dc->disks[dc->n_disks++];

            if (disk_spec_parse(k, it->str, d, s->source, it->line))
                continue;
            for (j = 0; j + 1 < dc->n_disks; j++)
                if (dc->disks[j].vdev && !strcmp(dc->disks[j].vdev, k->vdev))
                    diag_error(d, s->source, it->line, "vdev `%s' is used by two disks", k->vdev);
        } else {
            vif_spec_parse(&dc->vifs[dc->n_vifs++], it->str, (int)i, d, s->source, it->line);
        }
    }
}

/* cpus (a string, or a list of strings/numbers joined with ","), cpu_weight and cap. */
static void parse_sched(struct domain_config *dc, const struct cfg *cfg, struct diag *d)
{
    const struct cfg_setting *s = cfg_find(cfg, "cpus");
    uint64_t mask;
    size_t i, n = 0;

    dc->cpu_weight = dc->cap = -1;
    if (cfg_get_long(cfg, d, "cpu_weight", 1, 65535, &dc->cpu_weight) > 0)
        dc->cpu_weight = -1;
    if (cfg_get_long(cfg, d, "cap", 0, 65535, &dc->cap) > 0)
        dc->cap = -1;
    if (!s)
        return;
    dc->cpus_at = (struct where){s->source, s->line};
    if (s->value->kind == CFG_STRING) {
        dc->cpus = strdup(s->value->str);
    } else {
        for (i = 0; i < s->value->n_items; i++) {
            if (s->value->items[i]->kind != CFG_STRING) {
                diag_error(d, s->source, s->line, "cpus: a list item is itself a list");
                return;
            }
            n += strlen(s->value->items[i]->str) + 1;
        }
        dc->cpus = calloc(1, n + 1);
        for (i = 0; dc->cpus && i < s->value->n_items; i++) {
            if (i)
                strcat(dc->cpus, ",");
            strcat(dc->cpus, s->value->items[i]->str);
        }
    }
    if (!dc->cpus)
        diag_error(d, s->source, s->line, "out of memory");
    else if (xl_parse_cpumap(dc->cpus, XL_MAX_CPUS, &mask))
        diag_error(d, s->source, s->line,
                   "invalid cpus \"%s\" (e.g. \"all\", \"0-3\", \"0,2\", \"all,^1\")", dc->cpus);
}

int domain_config_build(struct domain_config *dc, const struct cfg *cfg, const char *source,
                        struct diag *d)
{
    int errors0 = d->errors;
    const char *bootloader = NULL;

    scan_names(dc, cfg, d);
    parse_type(dc, cfg, source, d);
    parse_names(dc, cfg, source, d);
    get_str(cfg, d, "kernel", &dc->kernel, true);
    get_str(cfg, d, "ramdisk", &dc->ramdisk, true);
    parse_cmdline(dc, cfg, d);
    parse_sizes(dc, cfg, d);
    parse_action(cfg, d, "on_poweroff", ACTION_DESTROY, &dc->on_poweroff, &dc->action_at[0]);
    parse_action(cfg, d, "on_reboot", ACTION_RESTART, &dc->on_reboot, &dc->action_at[1]);
    parse_action(cfg, d, "on_watchdog", ACTION_DESTROY, &dc->on_watchdog, &dc->action_at[2]);
    parse_action(cfg, d, "on_crash", ACTION_DESTROY, &dc->on_crash, &dc->action_at[3]);
    parse_action(cfg, d, "on_soft_reset", ACTION_SOFT_RESET, &dc->on_soft_reset, &dc->action_at[4]);
    parse_devices(dc, cfg, d, true);
    parse_devices(dc, cfg, d, false);
    parse_sched(dc, cfg, d);
    if (dc->type != DOMAIN_TYPE_HVM && !dc->kernel && cfg_find(cfg, "kernel") == NULL &&
        cfg_get_string(cfg, d, "bootloader", &bootloader) > 0)
        diag_error(d, source, 0, "a %s guest needs `kernel' (or `bootloader')",
                   domain_type_name(dc->type));
    return d->errors > errors0 ? -1 : 0;
}

void domain_config_free(struct domain_config *dc)
{
    size_t i;

    free(dc->name);
    free(dc->uuid);
    free(dc->kernel);
    free(dc->ramdisk);
    free(dc->cmdline);
    free(dc->cpus);
    for (i = 0; i < dc->n_disks; i++)
        disk_spec_free(&dc->disks[i]);
    free(dc->disks);
    for (i = 0; i < dc->n_vifs; i++)
        vif_spec_free(&dc->vifs[i]);
    free(dc->vifs);
    free(dc->unsupported);
    memset(dc, 0, sizeof(*dc));
}

const char *domain_type_name(enum domain_type t)
{
    return t == DOMAIN_TYPE_HVM ? "hvm" : t == DOMAIN_TYPE_PVH ? "pvh" : "pv";
}

const char *shutdown_action_name(enum shutdown_action a)
{
    return (unsigned)a < sizeof(action_names) / sizeof(action_names[0]) && action_names[a]
               ? action_names[a]
               : "destroy";
}

const char *shutdown_action_json_name(enum shutdown_action a)
{
    static const char *const json[] = {
        [ACTION_DESTROY] = "destroy",
        [ACTION_RESTART] = "restart",
        [ACTION_RESTART_RENAME] = "restart_rename",
        [ACTION_PRESERVE] = "preserve",
        [ACTION_COREDUMP_DESTROY] = "coredump_destroy",
        [ACTION_COREDUMP_RESTART] = "coredump_restart",
        [ACTION_SOFT_RESET] = "soft_reset",
    };
    return (unsigned)a < sizeof(json) / sizeof(json[0]) && json[a] ? json[a] : "destroy";
}
