/* xl.cfg lexer: Xen's libxlu tokens (names, numbers, quoted strings, punctuation, newlines). */
#ifndef XL_CFG_LEX_H
#define XL_CFG_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum tok_kind {
    TOK_EOF,
    TOK_NEWLINE,
    TOK_IDENT,
    TOK_NUMBER,
    TOK_STRING,
    TOK_EQ,
    TOK_ADD,
    TOK_COMMA,
    TOK_LBRACK,
    TOK_RBRACK,
    TOK_SEMI,
    TOK_ERROR, /* already reported, unless the lexer is quiet */
};

/* A token; TEXT (owned, NUL-terminated) is set for names, numbers and strings. */
struct token {
    enum tok_kind kind;
    int line;
    char *text;
};

/* Lexer state over a byte buffer that may hold any bytes, NUL included. */
struct lexer {
    const char *p, *end;
    int line;
    const char *source;
    struct diag *d;
    bool quiet;         /* don't report errors (error recovery) */
    bool likely_python; /* saw a character that suggests a Python-style config */
};

/* Start lexing LEN bytes of DATA from SOURCE. */
void lex_init(struct lexer *lx, const char *data, size_t len, const char *source, struct diag *d);
/* Read the next token into T (T->text owned by the caller). */
void lex_next(struct lexer *lx, struct token *t);
/* Short description of T for error messages, written to BUF of size N. */
const char *lex_describe(const struct token *t, char *buf, unsigned n);

#endif
