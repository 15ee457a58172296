/* Number and size parsing for command lines: hv_strtoull and Xen-style sizes with K/M/G/T. */
#include <hv/lib.h>

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/*
 * Parse an unsigned number in base 2..36; base 0 means "0x" prefix = hex, else decimal (a
 * leading 0 does NOT mean octal). Base 16 also accepts a "0x" prefix. Values that overflow
 * saturate at UINT64_MAX. *end (if not NULL) is set past the digits, or to s if there were none.
 */
uint64_t hv_strtoull(const char *s, const char **end, int base)
{
    const char *p = s;
    uint64_t v = 0;
    bool overflow = false, any = false;

    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = 10;
    }
    if (base < 2 || base > 36) {
        if (end)
            *end = s;
        return 0;
    }

    for (; digit_value(*p) < base; p++) {
        unsigned int d = (unsigned int)digit_value(*p);
        any = true;
        if (v > (UINT64_MAX - d) / (unsigned int)base)
            overflow = true;
        else
            v = v * (unsigned int)base + d;
    }
    if (end)
        *end = any ? p : s;
    return overflow ? UINT64_MAX : v;
}

/*
 * Parse a size the way Xen's parse_size_and_unit does: a number (hv_strtoull base 0) and
 * an optional case-insensitive suffix T, G, M, K (binary multiples) or B (bytes), which is
 * consumed. WITHOUT a suffix the number is in KiB (Xen's rule), so "dom0_mem=524288" is
 * 512 MiB. A '%' right after the number is left unconsumed and the value is returned
 * unscaled when end is not NULL (callers parsing percentages look at **end). Results that
 * overflow saturate at UINT64_MAX. Without leading digits it returns 0 and consumes nothing.
 */
uint64_t hv_parse_size(const char *s, const char **end)
{
    const char *p;
    uint64_t v = hv_strtoull(s, &p, 0);
    unsigned int shift = 10;

    if (p == s) { /* no digits: nothing consumed, not even a suffix letter */
        if (end)
            *end = s;
        return 0;
    }
    switch (*p) {
    case 'T':
    case 't':
        shift = 40;
        p++;
        break;
    case 'G':
    case 'g':
        shift = 30;
        p++;
        break;
    case 'M':
    case 'm':
        shift = 20;
        p++;
        break;
    case 'K':
    case 'k':
        shift = 10;
        p++;
        break;
    case 'B':
    case 'b':
        shift = 0;
        p++;
        break;
    case '%':
        if (end)
            shift = 0;
        break;
    default:
        break;
    }
    if (end)
        *end = p;
    if (shift && v > (UINT64_MAX >> shift))
        return UINT64_MAX;
    return v << shift;
}
