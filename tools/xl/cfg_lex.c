/* xl.cfg lexer: Xen's libxlu tokens (names, numbers, quoted strings, punctuation, newlines). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_lex.h"

void lex_init(struct lexer *lx, const char *data, size_t len, const char *source, struct diag *d)
{
    memset(lx, 0, sizeof(*lx));
    lx->p = data;
    lx->end = data + len;
    lx->line = 1;
    lx->source = source;
    lx->d = d;
}

static void lex_error(struct lexer *lx, struct token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void lex_error(struct lexer *lx, struct token *t, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    t->kind = TOK_ERROR;
    if (lx->quiet)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_error(lx->d, lx->source, t->line, "%s", msg);
}

static bool is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

static char *dup_range(const char *s, size_t n)
{
    char *r = malloc(n + 1);

    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

/* Skip to the end of the current non-blank run (Xen's lexical error recovery). */
static void skip_run(struct lexer *lx)
{
    while (lx->p < lx->end && *lx->p != ' ' && *lx->p != '\t' && *lx->p != '\n')
        lx->p++;
}

/* Names: Xen accepts [a-z][._0-9a-z]*; a wider run is read so the error names all of it. */
static void lex_word(struct lexer *lx, struct token *t)
{
    const char *s = lx->p, *q;
    char buf[80];

    while (lx->p < lx->end && is_word_char(*lx->p))
        lx->p++;
    for (q = s; q < lx->p; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_' || *q == '.'))
            break;
    if (q < lx->p || !(*s >= 'a' && *s <= 'z')) {
        lex_error(lx, t,
                  "invalid setting name `%s' (names use lower-case letters, digits, '_' and '.')",
                  diag_quote(buf, sizeof(buf), s, (unsigned)(lx->p - s)));
        return;
    }
    t->text = dup_range(s, (size_t)(lx->p - s));
    t->kind = t->text ? TOK_IDENT : TOK_ERROR;
    if (!t->text)
        lex_error(lx, t, "out of memory");
}

/* Numbers: decimal, 0x hex or 0 octal, kept as text (Xen converts them when used). */
static void lex_number(struct lexer *lx, struct token *t)
{
    const char *s = lx->p;
    char buf[80], *end;
    char *text;

    while (lx->p < lx->end && is_word_char(*lx->p))
        lx->p++;
    text = dup_range(s, (size_t)(lx->p - s));
    if (!text) {
        lex_error(lx, t, "out of memory");
        return;
    }
    errno = 0;
    (void)strtoull(text, &end, 0);
    if (*end || end == text) {
        lex_error(lx, t, "bad number `%s' (numbers are decimal, 0x hex or 0 octal)",
                  diag_quote(buf, sizeof(buf), s, (unsigned)(lx->p - s)));
        free(text);
        return;
    }
    if (errno == ERANGE) {
        lex_error(lx, t, "number `%s' is too large",
                  diag_quote(buf, sizeof(buf), s, (unsigned)(lx->p - s)));
        free(text);
        return;
    }
    t->text = text;
    t->kind = TOK_NUMBER;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode one escape after a backslash at *P (P points past the backslash). Returns the byte,
 * or -1 with *WHY set. */
static int decode_escape(const char **pp, const char *end, const char **why)
{
    const char *p = *pp;
    char c = *p++;
    int v = 0, n;

    switch (c) {
    case '"':
    case '\'':
    case '\\':
        v = c;
        break;
    case 'a':
        v = '\a';
        break;
    case 'b':
        v = '\b';
        break;
    case 'f':
        v = '\f';
        break;
    case 'n':
        v = '\n';
        break;
    case 'r':
        v = '\r';
        break;
    case 't':
        v = '\t';
        break;
    case 'v':
        v = '\v';
        break;
    case 'x':
        for (n = 0; n < 2 && p < end && hexval(*p) >= 0; n++)
            v = v * 16 + hexval(*p++);
        if (!n) {
            *why = "\\x needs one or two hex digits";
            return -1;
        }
        break;
    default:
        if (c < '0' || c > '7') {
            *why = "unknown escape";
            return -1;
        }
        v = c - '0';
        for (n = 1; n < 3 && p < end && *p >= '0' && *p <= '7'; n++)
            v = v * 8 + (*p++ - '0');
        if (v > 255) {
            *why = "octal escape above \\377";
            return -1;
        }
        break;
    }
    if (v == 0) {
        *why = "NUL characters are not allowed in strings";
        return -1;
    }
    *pp = p;
    return v;
}

/* Quoted strings: single or double quotes, on one line, with C-like escapes. */
static void lex_string(struct lexer *lx, struct token *t)
{
    char quote = *lx->p++;
    const char *s = lx->p, *why = NULL;
    char *out, *o;

    out = malloc((size_t)(lx->end - s) + 1);
    if (!out) {
        lex_error(lx, t, "out of memory");
        return;
    }
    o = out;
    while (lx->p < lx->end && *lx->p != quote && *lx->p != '\n') {
        if (*lx->p == '\0') {
            why = "NUL characters are not allowed in strings";
            break;
        }
        if (*lx->p != '\\') {
            *o++ = *lx->p++;
            continue;
        }
        lx->p++;
        if (lx->p >= lx->end || *lx->p == '\n')
            break;
        const char *at = lx->p;
        int c = decode_escape(&lx->p, lx->end, &why);

        if (c < 0) {
            char buf[16];

            lex_error(lx, t, "invalid escape `\\%s' in string: %s",
                      diag_quote(buf, sizeof(buf), at, 1), why);
            free(out);
            while (lx->p < lx->end && *lx->p != quote && *lx->p != '\n')
                lx->p++;
            if (lx->p < lx->end && *lx->p == quote)
                lx->p++;
            return;
        }
        *o++ = (char)c;
    }
    if (why || lx->p >= lx->end || *lx->p != quote) {
        lex_error(lx, t, "%s", why ? why : "unterminated string (a string must end on its line)");
        free(out);
        while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
        return;
    }
    lx->p++;
    *o = '\0';
    t->text = out;
    t->kind = TOK_STRING;
}

void lex_next(struct lexer *lx, struct token *t)
{
    char buf[16];

    t->text = NULL;
    while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' ||
                               (*lx->p == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n')))
        lx->p++;
    if (lx->p < lx->end && *lx->p == '#')
        while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
    t->line = lx->line;
    if (lx->p >= lx->end) {
        t->kind = TOK_EOF;
        return;
    }
    char c = *lx->p;

    switch (c) {
    case '\n':
        lx->p++;
        lx->line++;
        t->kind = TOK_NEWLINE;
        return;
    case '=':
        lx->p++;
        t->kind = TOK_EQ;
        return;
    case ',':
        lx->p++;
        t->kind = TOK_COMMA;
        return;
    case '[':
        lx->p++;
        t->kind = TOK_LBRACK;
        return;
    case ']':
        lx->p++;
        t->kind = TOK_RBRACK;
        return;
    case ';':
        lx->p++;
        t->kind = TOK_SEMI;
        return;
    case '"':
    case '\'':
        lex_string(lx, t);
        return;
    case '+':
        if (lx->p + 1 < lx->end && lx->p[1] == '=') {
            lx->p += 2;
            t->kind = TOK_ADD;
            return;
        }
        break;
    default:
        if (c >= '0' && c <= '9') {
            lex_number(lx, t);
            return;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            lex_word(lx, t);
            return;
        }
        break;
    }
    if (c && strchr("+-.():", c))
        lx->likely_python = true;
    lex_error(lx, t, "unexpected character `%s'", diag_quote(buf, sizeof(buf), lx->p, 1));
    skip_run(lx);
}

const char *lex_describe(const struct token *t, char *buf, unsigned n)
{
    char q[64];

    switch (t->kind) {
    case TOK_EOF:
        return "end of file";
    case TOK_NEWLINE:
        return "end of line";
    case TOK_IDENT:
    case TOK_NUMBER:
        snprintf(buf, n, "`%s'", diag_quote(q, sizeof(q), t->text, (unsigned)strlen(t->text)));
        return buf;
    case TOK_STRING:
        snprintf(buf, n, "string \"%s\"",
                 diag_quote(q, sizeof(q), t->text, (unsigned)strlen(t->text)));
        return buf;
    case TOK_EQ:
        return "`='";
    case TOK_ADD:
        return "`+='";
    case TOK_COMMA:
        return "`,'";
    case TOK_LBRACK:
        return "`['";
    case TOK_RBRACK:
        return "`]'";
    case TOK_SEMI:
        return "`;'";
    case TOK_ERROR:
        break;
    }
    return "bad token";
}
