/* xl.cfg parser: recursive descent over Xen's libxlu grammar, with line-level error recovery. */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfg_lex.h"

struct parser {
    struct lexer lx;
    struct token tok;
    struct cfg *cfg;
    struct diag *d;
    int depth;
};

static void advance(struct parser *p)
{
    free(p->tok.text);
    lex_next(&p->lx, &p->tok);
}

/* Take the current token's text (the token keeps none). */
static char *take(struct parser *p)
{
    char *s = p->tok.text;

    p->tok.text = NULL;
    return s;
}

static void skip_newlines(struct parser *p)
{
    while (p->tok.kind == TOK_NEWLINE)
        advance(p);
}

/* Report a syntax error at the current token, unless the lexer already did. */
static void syntax_error(struct parser *p, const char *what)
{
    char buf[96];

    if (p->tok.kind == TOK_ERROR)
        return;
    diag_error(p->d, p->lx.source, p->tok.line, "%s, found %s", what,
               lex_describe(&p->tok, buf, sizeof(buf)));
}

static struct cfg_value *parse_value(struct parser *p);

/* '[' newlines* (value newlines* (',' newlines* value newlines*)* (',' newlines*)?)? ']' */
static struct cfg_value *parse_list(struct parser *p)
{
    int open_line = p->tok.line;
    struct cfg_value *list;

    if (p->depth >= CFG_MAX_DEPTH) {
        diag_error(p->d, p->lx.source, p->tok.line, "lists nested more than %d deep",
                   CFG_MAX_DEPTH);
        return NULL;
    }
    list = cfg_list_new(open_line);
    if (!list) {
        diag_error(p->d, p->lx.source, open_line, "out of memory");
        return NULL;
    }
    p->depth++;
    advance(p);
    skip_newlines(p);
    while (p->tok.kind != TOK_RBRACK) {
        struct cfg_value *item = parse_value(p);

        if (!item)
            goto fail;
        if (cfg_list_append(list, item)) {
            diag_error(p->d, p->lx.source, p->tok.line, "out of memory");
            goto fail;
        }
        skip_newlines(p);
        if (p->tok.kind == TOK_COMMA) {
            advance(p);
            skip_newlines(p);
        } else if (p->tok.kind != TOK_RBRACK) {
            char what[96];

            if (p->tok.kind == TOK_EOF)
                snprintf(what, sizeof(what), "unterminated list: `[' on line %d has no `]'",
                         open_line);
            else
                snprintf(what, sizeof(what), "expected `,' or `]' in the list opened on line %d",
                         open_line);
            syntax_error(p, what);
            goto fail;
        }
    }
    p->depth--;
    advance(p);
    return list;
fail:
    /* p->depth stays at the failing level: recover() skips to its closing brackets. */
    cfg_value_free(list);
    return NULL;
}

/* STRING | NUMBER | list */
static struct cfg_value *parse_value(struct parser *p)
{
    struct cfg_value *v;
    int line = p->tok.line;

    switch (p->tok.kind) {
    case TOK_STRING:
    case TOK_NUMBER:
        v = cfg_atom_new(take(p), p->tok.kind == TOK_NUMBER, line);
        if (!v)
            diag_error(p->d, p->lx.source, line, "out of memory");
        else
            advance(p);
        return v;
    case TOK_LBRACK:
        return parse_list(p);
    case TOK_IDENT:
        syntax_error(p, "expected a value (a quoted string, a number or a [list]; "
                        "words must be quoted)");
        return NULL;
    case TOK_EOF:
        syntax_error(p, "unterminated list or missing value");
        return NULL;
    default:
        syntax_error(p, "expected a value (a quoted string, a number or a [list])");
        return NULL;
    }
}

/* IDENT ('=' | '+=') value (NEWLINE | ';' | EOF); returns 0 or -1. */
static int parse_assignment(struct parser *p)
{
    char *name = take(p);
    enum cfg_op op;
    struct cfg_value *v;
    char what[128];

    advance(p);
    if (p->tok.kind != TOK_EQ && p->tok.kind != TOK_ADD) {
        snprintf(what, sizeof(what), "expected `=' or `+=' after `%.64s'", name);
        syntax_error(p, what);
        free(name);
        return -1;
    }
    op = p->tok.kind == TOK_ADD ? CFG_APPEND : CFG_ASSIGN;
    advance(p);
    if (p->tok.kind == TOK_NEWLINE || p->tok.kind == TOK_SEMI || p->tok.kind == TOK_EOF) {
        snprintf(what, sizeof(what), "missing value for `%.64s'", name);
        syntax_error(p, what);
        free(name);
        return -1;
    }
    v = parse_value(p);
    if (!v) {
        free(name);
        return -1;
    }
    if (p->tok.kind != TOK_NEWLINE && p->tok.kind != TOK_SEMI && p->tok.kind != TOK_EOF) {
        snprintf(what, sizeof(what), "expected a newline or `;' after the value of `%.64s'", name);
        syntax_error(p, what);
        free(name);
        cfg_value_free(v);
        return -1;
    }
    if (cfg_store(p->cfg, name, op, v, p->lx.source, v->line, p->d))
        return -1;
    return 0;
}

/* Skip to the next newline outside brackets (or the end), without reporting lexical errors. */
static void recover(struct parser *p)
{
    int depth = p->depth;

    p->depth = 0;
    p->lx.quiet = true;
    while (p->tok.kind != TOK_EOF && !(p->tok.kind == TOK_NEWLINE && depth <= 0)) {
        if (p->tok.kind == TOK_LBRACK)
            depth++;
        else if (p->tok.kind == TOK_RBRACK)
            depth--;
        advance(p);
    }
    p->lx.quiet = false;
}

int cfg_parse(struct cfg *cfg, const char *data, size_t len, const char *source, struct diag *d)
{
    struct parser p = {.cfg = cfg, .d = d};
    int errors0 = d->errors;

    lex_init(&p.lx, data, len, source, d);
    lex_next(&p.lx, &p.tok);
    while (p.tok.kind != TOK_EOF) {
        if (d->errors - errors0 >= CFG_MAX_ERRORS) {
            diag_error(d, source, p.tok.line, "too many errors; giving up");
            break;
        }
        if (p.tok.kind == TOK_NEWLINE || p.tok.kind == TOK_SEMI) {
            advance(&p);
            continue;
        }
        if (p.tok.kind == TOK_IDENT) {
            if (parse_assignment(&p) == 0)
                continue;
        } else {
            syntax_error(&p, "expected a setting (`name = value')");
        }
        recover(&p);
    }
    free(p.tok.text);
    if (d->errors > errors0 && p.lx.likely_python)
        fprintf(d->out,
                "%s: note: this looks like Python; xl.cfg files are not Python "
                "(see xl.cfg(5))\n",
                source);
    return d->errors - errors0;
}
