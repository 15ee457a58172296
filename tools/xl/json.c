/* A small JSON writer that indents like libxl's (yajl beautified, 4 spaces). */
#include "json.h"

void json_init(struct json *j, FILE *out)
{
    j->out = out;
    j->depth = 0;
    j->has_items[0] = false;
}

static void quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* Separator, newline, indentation and key of the next item. */
static void item(struct json *j, const char *key)
{
    if (j->depth > 0) {
        fputs(j->has_items[j->depth] ? ",\n" : "\n", j->out);
        j->has_items[j->depth] = true;
        fprintf(j->out, "%*s", 4 * j->depth, "");
    }
    if (key) {
        quoted(j->out, key);
        fputs(": ", j->out);
    }
}

void json_open(struct json *j, const char *key, char bracket)
{
    item(j, key);
    fputc(bracket, j->out);
    if (j->depth + 1 < JSON_MAX_DEPTH)
        j->depth++;
    j->has_items[j->depth] = false;
}

void json_close(struct json *j, char bracket)
{
    bool had = j->has_items[j->depth];

    if (j->depth > 0)
        j->depth--;
    if (had)
        fprintf(j->out, "\n%*s", 4 * j->depth, "");
    fputc(bracket, j->out);
    if (j->depth == 0)
        fputc('\n', j->out);
}

void json_string(struct json *j, const char *key, const char *s)
{
    item(j, key);
    quoted(j->out, s);
}

void json_uint(struct json *j, const char *key, unsigned long long v)
{
    item(j, key);
    fprintf(j->out, "%llu", v);
}

void json_bool(struct json *j, const char *key, bool v)
{
    item(j, key);
    fputs(v ? "true" : "false", j->out);
}
