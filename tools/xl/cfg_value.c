/* xl.cfg values and the settings store, with Xen's `+=' and last-one-wins rules. */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

struct cfg_value *cfg_atom_new(char *str, bool is_number, int line)
{
    struct cfg_value *v = calloc(1, sizeof(*v));

    if (!v) {
        free(str);
        return NULL;
    }
    v->kind = CFG_STRING;
    v->str = str;
    v->is_number = is_number;
    v->line = line;
    return v;
}

struct cfg_value *cfg_list_new(int line)
{
    struct cfg_value *v = calloc(1, sizeof(*v));

    if (v) {
        v->kind = CFG_LIST;
        v->line = line;
    }
    return v;
}

int cfg_list_append(struct cfg_value *list, struct cfg_value *item)
{
    if (list->n_items == list->cap_items) {
        size_t cap = list->cap_items ? list->cap_items * 2 : 4;
        struct cfg_value **items = realloc(list->items, cap * sizeof(*items));

        if (!items) {
            cfg_value_free(item);
            return -1;
        }
        list->items = items;
        list->cap_items = cap;
    }
    list->items[list->n_items++] = item;
    return 0;
}

void cfg_value_free(struct cfg_value *v)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < v->n_items; i++)
        cfg_value_free(v->items[i]);
    free(v->items);
    free(v->str);
    free(v);
}

const struct cfg_setting *cfg_find(const struct cfg *cfg, const char *name)
{
    size_t i;

    for (i = cfg->n; i-- > 0;)
        if (!strcmp(cfg->settings[i].name, name))
            return &cfg->settings[i];
    return NULL;
}

/* Join PREV's value in front of ADD (moving list items out of PREV). Returns 0 or -1. */
static int join(struct cfg_value *prev, struct cfg_value *add)
{
    if (add->kind == CFG_STRING) {
        size_t a = strlen(prev->str), b = strlen(add->str);
        char *s = malloc(a + b + 1);

        if (!s)
            return -1;
        memcpy(s, prev->str, a);
        memcpy(s + a, add->str, b + 1);
        free(add->str);
        add->str = s;
        add->is_number = false;
        return 0;
    }
    size_t n = prev->n_items + add->n_items;
    struct cfg_value **items = malloc((n ? n : 1) * sizeof(*items));

    if (!items)
        return -1;
    if (prev->n_items)
        memcpy(items, prev->items, prev->n_items * sizeof(*items));
    if (add->n_items)
        memcpy(items + prev->n_items, add->items, add->n_items * sizeof(*items));
    free(add->items);
    add->items = items;
    add->n_items = add->cap_items = n;
    prev->n_items = 0;
    return 0;
}

int cfg_store(struct cfg *cfg, char *name, enum cfg_op op, struct cfg_value *value,
              const char *source, int line, struct diag *d)
{
    struct cfg_setting *prev = (struct cfg_setting *)cfg_find(cfg, name);

    if (op == CFG_APPEND && prev) {
        if (prev->value->kind != value->kind) {
            diag_error(d, source, line, "`%s += ...': cannot add a %s to a %s", name,
                       value->kind == CFG_LIST ? "list" : "string",
                       prev->value->kind == CFG_LIST ? "list" : "string");
            goto fail;
        }
        if (join(prev->value, value)) {
            diag_error(d, source, line, "out of memory");
            goto fail;
        }
    } else if (op == CFG_ASSIGN && prev && prev->source == source) {
        diag_warn(d, source, line, "`%s' is set again (line %d); the last setting wins", name,
                  prev->line);
    }
    if (cfg->n == cfg->cap) {
        size_t cap = cfg->cap ? cfg->cap * 2 : 16;
        struct cfg_setting *s = realloc(cfg->settings, cap * sizeof(*s));

        if (!s) {
            diag_error(d, source, line, "out of memory");
            goto fail;
        }
        cfg->settings = s;
        cfg->cap = cap;
    }
    cfg->settings[cfg->n++] = (struct cfg_setting){name, value, op, source, line};
    return 0;
fail:
    free(name);
    cfg_value_free(value);
    return -1;
}

void cfg_free(struct cfg *cfg)
{
    size_t i;

    for (i = 0; i < cfg->n; i++) {
        free(cfg->settings[i].name);
        cfg_value_free(cfg->settings[i].value);
    }
    free(cfg->settings);
    cfg->settings = NULL;
    cfg->n = cfg->cap = 0;
}
