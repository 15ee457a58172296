/* Diagnostics for the xl front end: `source:line: message' errors and warnings. */
#include <stdarg.h>
#include <string.h>

#include "diag.h"

static void emit(struct diag *d, const char *source, int line, const char *kind, const char *fmt,
                 va_list ap)
{
    if (line > 0)
        fprintf(d->out, "%s:%d: %s", source, line, kind);
    else
        fprintf(d->out, "%s: %s", source, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
}

void diag_error(struct diag *d, const char *source, int line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit(d, source, line, "", fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warn(struct diag *d, const char *source, int line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit(d, source, line, "warning: ", fmt, ap);
    va_end(ap);
    d->warnings++;
}

const char *diag_quote(char *buf, unsigned n, const char *s, unsigned len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned o = 0, i;

    if (n < 8) {
        if (n)
            buf[0] = '\0';
        return buf;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned need = (c >= 0x20 && c < 0x7f) ? 1 : 4;

        if (o + need + 4 > n) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (need == 1) {
            buf[o++] = (char)c;
        } else {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        }
    }
    buf[o] = '\0';
    return buf;
}
