/* A small JSON writer that indents like libxl's (yajl beautified, 4 spaces). */
#ifndef XL_JSON_H
#define XL_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
    FILE *out;
    int depth;
    bool has_items[JSON_MAX_DEPTH];
};

/* Start writing to OUT. */
void json_init(struct json *j, FILE *out);
/* Open an object or array; KEY is NULL inside arrays and at the top. */
void json_open(struct json *j, const char *key, char bracket);
/* Close the innermost object or array. */
void json_close(struct json *j, char bracket);
/* Members and elements (KEY NULL inside arrays). */
void json_string(struct json *j, const char *key, const char *s);
void json_uint(struct json *j, const char *key, unsigned long long v);
void json_bool(struct json *j, const char *key, bool v);

#endif
