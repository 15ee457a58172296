/* printf-style formatting into a bounded buffer (no floating point). */
#include <hv/lib.h>

#define FL_LEFT  0x01 /* '-': pad on the right */
#define FL_ZERO  0x02 /* '0': pad numbers with zeros */
#define FL_PLUS  0x04 /* '+': always print a sign */
#define FL_SPACE 0x08 /* ' ': space where a '+' would go */
#define FL_ALT   0x10 /* '#': 0x / leading-zero forms */
#define FL_UPPER 0x20 /* upper-case hex digits */

/* Output cursor: counts every character, stores only what fits before the terminator. */
struct out {
    char *buf;
    size_t size;
    size_t pos;
};

static void put(struct out *o, char c)
{
    if (o->pos + 1 < o->size)
        o->buf[o->pos] = c;
    o->pos++;
}

static void put_rep(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

struct spec {
    unsigned int flags;
    int width;     /* minimum field width; 0 = none */
    int precision; /* -1 = none */
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
    size_t len;
    int pad;

    if (!s)
        s = "(null)";
    len = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
    pad = sp->width > (int)len ? sp->width - (int)len : 0;
    if (!(sp->flags & FL_LEFT))
        put_rep(o, ' ', pad);
    for (size_t i = 0; i < len; i++)
        put(o, s[i]);
    if (sp->flags & FL_LEFT)
        put_rep(o, ' ', pad);
}

/* Format an integer: magnitude v, negative says a '-' is due, base 8, 10 or 16. */
static void put_num(struct out *o, uint64_t v, bool negative, unsigned int base,
                    const struct spec *sp)
{
    const char *digits = (sp->flags & FL_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24]; /* 22 octal digits is the longest 64-bit form */
    int ndig = 0, nzero = 0, pad, len;
    const char *prefix = "";
    int plen;

    while (v) {
        tmp[ndig++] = digits[v % base];
        v /= base;
    }
    /* Zero prints as "0" unless an explicit precision of 0 asks for no digits. */
    if (ndig == 0 && sp->precision != 0)
        tmp[ndig++] = '0';

    if (negative)
        prefix = "-";
    else if (sp->flags & FL_PLUS)
        prefix = "+";
    else if (sp->flags & FL_SPACE)
        prefix = " ";
    if ((sp->flags & FL_ALT) && base == 16 && ndig && !(ndig == 1 && tmp[0] == '0'))
        prefix = (sp->flags & FL_UPPER) ? "0X" : "0x";
    plen = (int)strlen(prefix);

    if (sp->precision > ndig)
        nzero = sp->precision - ndig;
    /* '#' with octal guarantees a leading zero. */
    if ((sp->flags & FL_ALT) && base == 8 && nzero == 0 && (ndig == 0 || tmp[ndig - 1] != '0'))
        nzero = 1;

    len = plen + nzero + ndig;
    pad = sp->width > len ? sp->width - len : 0;
    /* '0' pads between the prefix and the digits, unless left-justified or precision given. */
    if ((sp->flags & FL_ZERO) && !(sp->flags & FL_LEFT) && sp->precision < 0) {
        nzero += pad;
        pad = 0;
    }

    if (!(sp->flags & FL_LEFT))
        put_rep(o, ' ', pad);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    put_rep(o, '0', nzero);
    while (ndig)
        put(o, tmp[--ndig]);
    if (sp->flags & FL_LEFT)
        put_rep(o, ' ', pad);
}

enum len_mod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

static int64_t take_signed(va_list *ap, enum len_mod m)
{
    switch (m) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
    case LEN_T:
        return va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

static uint64_t take_unsigned(va_list *ap, enum len_mod m)
{
    switch (m) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
    case LEN_T:
        return va_arg(*ap, size_t);
    case LEN_J:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

static int parse_decimal(const char **pp)
{
    const char *p = *pp;
    int v = 0;

    while (*p >= '0' && *p <= '9') {
        if (v < 100000000)
            v = v * 10 + (*p - '0');
        p++;
    }
    *pp = p;
    return v;
}

/* Format into buf (always NUL-terminated if size > 0); returns the length it wanted. */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct out o = {buf, size, 0};
    va_list ap;

    va_copy(ap, ap_in);
    while (*fmt) {
        struct spec sp = {0, 0, -1};
        enum len_mod mod = LEN_NONE;
        const char *start = fmt;

        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;

        for (;; fmt++) {
            if (*fmt == '-')
                sp.flags |= FL_LEFT;
            else if (*fmt == '0')
                sp.flags |= FL_ZERO;
            else if (*fmt == '+')
                sp.flags |= FL_PLUS;
            else if (*fmt == ' ')
                sp.flags |= FL_SPACE;
            else if (*fmt == '#')
                sp.flags |= FL_ALT;
            else
                break;
        }

        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.flags |= FL_LEFT;
                sp.width = sp.width == INT32_MIN ? 0 : -sp.width;
            }
            fmt++;
        } else {
            sp.width = parse_decimal(&fmt);
        }

        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                sp.precision = va_arg(ap, int);
                if (sp.precision < 0)
                    sp.precision = -1;
                fmt++;
            } else {
                sp.precision = parse_decimal(&fmt);
            }
        }

        switch (*fmt) {
        case 'h':
            mod = LEN_H;
            if (*++fmt == 'h') {
                mod = LEN_HH;
                fmt++;
            }
            break;
        case 'l':
            mod = LEN_L;
            if (*++fmt == 'l') {
                mod = LEN_LL;
                fmt++;
            }
            break;
        case 'z':
            mod = LEN_Z;
            fmt++;
            break;
        case 'j':
            mod = LEN_J;
            fmt++;
            break;
        case 't':
            mod = LEN_T;
            fmt++;
            break;
        }

        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = take_signed(&ap, mod);
            put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, &sp);
            break;
        }
        case 'u':
            put_num(&o, take_unsigned(&ap, mod), false, 10, &sp);
            break;
        case 'o':
            put_num(&o, take_unsigned(&ap, mod), false, 8, &sp);
            break;
        case 'X':
            sp.flags |= FL_UPPER;
            /* fallthrough */
        case 'x':
            put_num(&o, take_unsigned(&ap, mod), false, 16, &sp);
            break;
        case 'p': {
            void *p = va_arg(ap, void *);
            if (!p) {
                sp.precision = -1;
                put_str(&o, "(nil)", &sp);
            } else {
                sp.flags |= FL_ALT;
                put_num(&o, (uintptr_t)p, false, 16, &sp);
            }
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            int pad = sp.width > 1 ? sp.width - 1 : 0;
            if (!(sp.flags & FL_LEFT))
                put_rep(&o, ' ', pad);
            put(&o, c);
            if (sp.flags & FL_LEFT)
                put_rep(&o, ' ', pad);
            break;
        }
        case 's':
            put_str(&o, va_arg(ap, const char *), &sp);
            break;
        case '%':
            put(&o, '%');
            break;
        default:
            /* Unknown conversion (or a lone '%' at the end): print it as written. */
            for (; start < fmt; start++)
                put(&o, *start);
            if (*fmt)
                put(&o, *fmt);
            else
                fmt--;
            break;
        }
        fmt++;
    }
    va_end(ap);

    if (size)
        buf[o.pos < size ? o.pos : size - 1] = '\0';
    return o.pos > INT32_MAX ? INT32_MAX : (int)o.pos;
}

/* As hv_vsnprintf with variadic arguments. */
int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = hv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
