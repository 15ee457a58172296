/* xl.cfg settings: the parsed form of an xl configuration file (Xen's libxlu grammar). */
#ifndef XL_CFG_H
#define XL_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Deepest list nesting the parser accepts. */
#define CFG_MAX_DEPTH 64
/* The parser gives up after this many errors. */
#define CFG_MAX_ERRORS 20

enum cfg_kind { CFG_STRING, CFG_LIST };
enum cfg_op { CFG_ASSIGN, CFG_APPEND };

/* An atom (quoted string or unquoted number, both kept as text, as in Xen) or a list. */
struct cfg_value {
    enum cfg_kind kind;
    int line;
    bool is_number;
    char *str;
    struct cfg_value **items;
    size_t n_items, cap_items;
};

/* One `name = value' or `name += value' statement. */
struct cfg_setting {
    char *name;
    struct cfg_value *value;
    enum cfg_op op;
    const char *source; /* not owned: must outlive the cfg */
    int line;
};

/* All statements in the order read; the last one of a name wins. */
struct cfg {
    struct cfg_setting *settings;
    size_t n, cap;
};

/* Make an atom owning STR (NULL on allocation failure, STR then freed). */
struct cfg_value *cfg_atom_new(char *str, bool is_number, int line);
/* Make an empty list. */
struct cfg_value *cfg_list_new(int line);
/* Append ITEM to LIST (taking it); returns 0, or -1 when out of memory (ITEM freed). */
int cfg_list_append(struct cfg_value *list, struct cfg_value *item);
/* Free a value and everything below it. */
void cfg_value_free(struct cfg_value *v);

/* Record a statement, taking NAME and VALUE. `+=' joins strings or lists to the previous value
 * of NAME; a duplicate `=' in the same source is warned about. Returns 0 or -1 (reported). */
int cfg_store(struct cfg *cfg, char *name, enum cfg_op op, struct cfg_value *value,
              const char *source, int line, struct diag *d);
/* The last setting called NAME, or NULL. */
const struct cfg_setting *cfg_find(const struct cfg *cfg, const char *name);
/* Free all settings (the cfg itself is the caller's). */
void cfg_free(struct cfg *cfg);

/* Parse LEN bytes of xl.cfg text from SOURCE into CFG; returns the number of errors reported. */
int cfg_parse(struct cfg *cfg, const char *data, size_t len, const char *source, struct diag *d);

/* Typed getters. Each returns 1 when NAME is absent, 0 when found and valid, -1 after
 * reporting an error (wrong type, bad number, out of range). */
int cfg_get_string(const struct cfg *cfg, struct diag *d, const char *name, const char **out);
int cfg_get_long(const struct cfg *cfg, struct diag *d, const char *name, long min, long max,
                 long *out);
int cfg_get_list(const struct cfg *cfg, struct diag *d, const char *name,
                 const struct cfg_setting **out);

#endif
