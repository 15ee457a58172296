/* Typed access to xl.cfg settings, with Xen's number rules (strtol base 0 on the text). */
#include <errno.h>
#include <stdlib.h>

#include "cfg.h"

int cfg_get_string(const struct cfg *cfg, struct diag *d, const char *name, const char **out)
{
    const struct cfg_setting *s = cfg_find(cfg, name);

    if (!s)
        return 1;
    if (s->value->kind != CFG_STRING) {
        diag_error(d, s->source, s->line, "`%s' is a list but should be a single value", name);
        return -1;
    }
    *out = s->value->str;
    return 0;
}

int cfg_get_long(const struct cfg *cfg, struct diag *d, const char *name, long min, long max,
                 long *out)
{
    const struct cfg_setting *s = cfg_find(cfg, name);
    const char *str;
    char *end;
    long v;

    if (!s)
        return 1;
    if (cfg_get_string(cfg, d, name, &str))
        return -1;
    if (s->op == CFG_APPEND) {
        diag_error(d, s->source, s->line, "`%s': `+=' cannot be used with numbers", name);
        return -1;
    }
    errno = 0;
    v = strtol(str, &end, 0);
    if (end == str || *end) {
        diag_error(d, s->source, s->line, "`%s' must be a number, not \"%s\"", name, str);
        return -1;
    }
    if (errno == ERANGE || v < min || v > max) {
        diag_error(d, s->source, s->line, "`%s' must be between %ld and %ld, not %s", name, min,
                   max, str);
        return -1;
    }
    *out = v;
    return 0;
}

int cfg_get_list(const struct cfg *cfg, struct diag *d, const char *name,
                 const struct cfg_setting **out)
{
    const struct cfg_setting *s = cfg_find(cfg, name);

    if (!s)
        return 1;
    if (s->value->kind != CFG_LIST) {
        diag_error(d, s->source, s->line, "`%s' is a single value but should be a list", name);
        return -1;
    }
    *out = s;
    return 0;
}
