/* Console output for test guests: console_io hypercall (or port 0xE9) and a small printf. */
#include "xtf.h"

#include <public/xen.h>

#define DEBUGCON_PORT 0xE9

/* Set once console_io answers -ENOSYS (or there is no Xen): use the debug port from then on. */
static bool use_port;

/* Write len raw bytes to the console. */
void xtf_console_write(const char *buf, size_t len)
{
    if (!use_port && xtf_have_xen) {
        long rc = HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)len, buf);
        if (rc != -XEN_ENOSYS)
            return;
        use_port = true;
    }
    for (size_t i = 0; i < len; i++)
        outb(DEBUGCON_PORT, (uint8_t)buf[i]);
}

/* Output cursor of vsnprintf: counts every character, stores those that fit. */
struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

struct spec {
    bool left;  /* '-' */
    bool zero;  /* '0' */
    bool plus;  /* '+' */
    bool space; /* ' ' */
    bool alt;   /* '#' */
    int width;
    int precision; /* -1: none */
};

static void put_padded(struct out *o, const struct spec *s, const char *prefix, const char *body,
                       size_t body_len)
{
    size_t plen = strlen(prefix);
    size_t zeros = 0, total;

    if (s->precision >= 0 && (size_t)s->precision > body_len)
        zeros = (size_t)s->precision - body_len;
    total = plen + zeros + body_len;
    if (s->zero && !s->left && s->precision < 0 && s->width > 0 && (size_t)s->width > total) {
        zeros += (size_t)s->width - total;
        total = (size_t)s->width;
    }
    size_t pad = s->width > 0 && (size_t)s->width > total ? (size_t)s->width - total : 0;

    for (; !s->left && pad; pad--)
        put(o, ' ');
    for (size_t i = 0; i < plen; i++)
        put(o, prefix[i]);
    for (; zeros; zeros--)
        put(o, '0');
    for (size_t i = 0; i < body_len; i++)
        put(o, body[i]);
    for (; pad; pad--)
        put(o, ' ');
}

static void put_number(struct out *o, const struct spec *s, uint64_t v, bool negative,
                       unsigned int base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = sizeof(tmp);
    const char *prefix = "";

    if (v == 0 && s->precision == 0) {
        n = sizeof(tmp); /* "%.0d" of zero prints nothing */
    } else {
        do {
            tmp[--n] = digits[v % base];
            v /= base;
        } while (v);
    }
    if (negative)
        prefix = "-";
    else if (s->plus && base == 10)
        prefix = "+";
    else if (s->space && base == 10)
        prefix = " ";
    else if (s->alt && base == 16 && n != sizeof(tmp) && !(n == sizeof(tmp) - 1 && tmp[n] == '0'))
        prefix = upper ? "0X" : "0x";
    else if (s->alt && base == 8 && (n == sizeof(tmp) || tmp[n] != '0'))
        prefix = "0";
    put_padded(o, s, prefix, tmp + n, sizeof(tmp) - n);
}

/* Format like printf (see xtf.h for the supported subset) into buf; returns the full length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};

    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        struct spec s = {.precision = -1};
        for (;; p++) {
            char f = p[1];
            if (f == '-')
                s.left = true;
            else if (f == '0')
                s.zero = true;
            else if (f == '+')
                s.plus = true;
            else if (f == ' ')
                s.space = true;
            else if (f == '#')
                s.alt = true;
            else
                break;
        }
        p++;
        if (*p == '*') {
            s.width = va_arg(ap, int);
            if (s.width < 0) {
                s.left = true;
                s.width = -s.width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                s.width = s.width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            p++;
            s.precision = 0;
            if (*p == '*') {
                s.precision = va_arg(ap, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    s.precision = s.precision * 10 + (*p++ - '0');
            }
        }
        int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
        for (;; p++) {
            if (*p == 'l')
                lng++;
            else if (*p == 'h')
                lng--;
            else if (*p == 'z' || *p == 'j' || *p == 't')
                lng = 2;
            else
                break;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v;
            if (lng >= 1)
                v = lng == 1 ? va_arg(ap, long) : va_arg(ap, long long);
            else
                v = va_arg(ap, int);
            if (lng == -1)
                v = (short)v;
            else if (lng <= -2)
                v = (signed char)v;
            put_number(&o, &s, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v;
            if (lng >= 1)
                v = lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned long long);
            else
                v = va_arg(ap, unsigned int);
            if (lng == -1)
                v = (uint16_t)v;
            else if (lng <= -2)
                v = (uint8_t)v;
            unsigned int base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
            put_number(&o, &s, v, false, base, *p == 'X');
            break;
        }
        case 'p': {
            struct spec ps = s;
            ps.alt = true;
            put_number(&o, &ps, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16, false);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            size_t n = strlen(str);
            if (s.precision >= 0 && (size_t)s.precision < n)
                n = (size_t)s.precision;
            struct spec ss = s;
            ss.zero = false;
            ss.precision = -1;
            put_padded(&o, &ss, "", str, n);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            struct spec cs = s;
            cs.zero = false;
            cs.precision = -1;
            put_padded(&o, &cs, "", &c, 1);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        case '\0':
            p--; /* a lone '%' at the end: stop at the terminator */
            break;
        default: /* unknown conversion: print it as written */
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

/* As vsnprintf, with variadic arguments. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Print to the console; one console write per call (long output is cut at 511 bytes). */
void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    xtf_console_write(buf, (size_t)n);
}
