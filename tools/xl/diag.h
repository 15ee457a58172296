/* Diagnostics for the xl front end: `source:line: message' errors and warnings. */
#ifndef XL_DIAG_H
#define XL_DIAG_H

#include <stdio.h>

/* Where messages go and how many were printed. */
struct diag {
    FILE *out;
    int errors;
    int warnings;
};

/* Report an error at SOURCE:LINE (LINE <= 0: no line) and count it. */
void diag_error(struct diag *d, const char *source, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Report a warning at SOURCE:LINE (LINE <= 0: no line) and count it. */
void diag_warn(struct diag *d, const char *source, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Write S to BUF (size N) quoted for a message: printable ASCII kept, other bytes as \xHH,
 * cut with "..." when longer than N allows. Returns BUF. */
const char *diag_quote(char *buf, unsigned n, const char *s, unsigned len);

#endif
