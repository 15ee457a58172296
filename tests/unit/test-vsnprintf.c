// Unit test: hv_vsnprintf/hv_snprintf against the host's snprintf, truncation and NUL rules.
// SOURCES: hv/common/lib/vsnprintf.c
#include "harness.h"
#include <hv/lib.h>
#include <stdint.h>
#include <string.h>

/* Format with both implementations; they must agree on the text and the return value. */
#define SAME(...)                                                                                  \
    do {                                                                                           \
        char _a[512], _b[512];                                                                     \
        int _ra = hv_snprintf(_a, sizeof(_a), __VA_ARGS__);                                        \
        int _rb = snprintf(_b, sizeof(_b), __VA_ARGS__);                                           \
        CHECK_EQ(_ra, _rb);                                                                        \
        CHECK(strcmp(_a, _b) == 0);                                                                \
        if (strcmp(_a, _b))                                                                        \
            fprintf(stderr, "  format %s: got [%s] want [%s]\n", #__VA_ARGS__, _a, _b);            \
    } while (0)

/* Format with ours only and compare against a fixed expectation. */
#define IS(want, ...)                                                                              \
    do {                                                                                           \
        char _a[512];                                                                              \
        int _ra = hv_snprintf(_a, sizeof(_a), __VA_ARGS__);                                        \
        CHECK(strcmp(_a, want) == 0);                                                              \
        CHECK_EQ(_ra, (int)strlen(want));                                                          \
        if (strcmp(_a, want))                                                                      \
            fprintf(stderr, "  got [%s] want [%s]\n", _a, want);                                   \
    } while (0)

/* As SAME for combinations the compiler warns about (legal C, just redundant flags). */
static void same_rt(const char *fmt, ...)
{
    char a[256], b[256];
    va_list ap, aq;

    va_start(ap, fmt);
    va_copy(aq, ap);
    int ra = hv_vsnprintf(a, sizeof(a), fmt, ap);
    int rb = vsnprintf(b, sizeof(b), fmt, aq);
    va_end(aq);
    va_end(ap);
    CHECK_EQ(ra, rb);
    CHECK(strcmp(a, b) == 0);
    if (strcmp(a, b))
        fprintf(stderr, "  format %s: got [%s] want [%s]\n", fmt, a, b);
}

static void test_integers(void)
{
    SAME("%d %i %u", 0, -1, 4000000000u);
    SAME("%d|%d", INT32_MIN, INT32_MAX);
    SAME("%x %X %o", 0xdeadbeefu, 0xabcdefu, 0755u);
    SAME("%lx %lu %ld", 0xffffffffffffffffUL, 18446744073709551615UL, (long)INT64_MIN);
    SAME("%llx %lld %llu", 0x123456789abcdefULL, (long long)INT64_MIN, 0ULL);
    SAME("%zu %zx %zd", (size_t)123456789, (size_t)0xabc, (ssize_t)-42);
    SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
    SAME("%jd %td", (intmax_t)-9, (ptrdiff_t)77);
}

static void test_width_and_flags(void)
{
    SAME("[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42);
    same_rt("[%05d][%-05d][%+05d][% 05d]", -42, -42, 42, 42);
    SAME("[%08x][%#x][%#08x][%#X][%#x]", 0xbeefu, 0xbeefu, 0xbeefu, 0xbeefu, 0u);
    SAME("[%#o][%#o][%#.0o][%.0o]", 8u, 0u, 0u, 0u);
    SAME("[%016llx]", 0xffff82d040200000ULL);
    SAME("[%*d][%-*d][%*d]", 6, 7, 6, 7, -6, 7);
    same_rt("[%.3d][%8.3d][%-8.3d][%08.3d]", 5, -5, 5, 5);
    SAME("[%.0d][%.0x][%5.0d]", 0, 0u, 0);
    SAME("[%.*d][%.*d]", 4, 12, -1, 12);
    SAME("%#llx", 0x10ULL);
}

static void test_strings_and_chars(void)
{
    SAME("[%s][%10s][%-10s]", "abc", "abc", "abc");
    SAME("[%.2s][%.*s][%.*s][%.0s]", "abcdef", 3, "abcdef", -1, "xyz", "abc");
    SAME("[%8.3s][%-8.3s]", "abcdef", "abcdef");
    SAME("[%c][%3c][%-3c]", 'x', 'y', 'z');
    SAME("100%% sure %s", "yes");
    const char *volatile null_str = NULL;
    IS("[(null)]", "[%s]", null_str);
    IS("[(nu]", "[%.3s]", null_str);
    char s4[4] = {'a', 'b', 'c', 'd'}; /* precision bounds the read: no NUL needed (ASan) */
    IS("abcd", "%.4s", s4);
}

static void test_pointers(void)
{
    int x;
    char want[64];

    snprintf(want, sizeof(want), "%p", (void *)&x);
    IS(want, "%p", (void *)&x);
    IS("0x1000", "%p", (void *)0x1000);
    IS("(nil)", "%p", (void *)NULL);
    IS("[    0xff]", "[%8p]", (void *)0xff);
}

static void test_unknown_conversion(void)
{
    char a[32];

    /* Not valid printf, so built at run time to keep the compiler's format check quiet. */
    const char *fmt = "a%qb";
    int n = hv_snprintf(a, sizeof(a), fmt, 1);
    CHECK(strcmp(a, "a%qb") == 0);
    CHECK_EQ(n, 4);
    fmt = "end%";
    n = hv_snprintf(a, sizeof(a), fmt);
    CHECK(strcmp(a, "end%") == 0);
    CHECK_EQ(n, 4);
}

/* Every buffer size from 0 up: same return, same prefix, NUL-terminated, nothing beyond. */
static void test_truncation(void)
{
    const char *want = "value=-12345 name=hypervisor!";
    size_t len = strlen(want);
    int bad = 0;

    for (size_t size = 0; size <= len + 2; size++) {
        char buf[64];
        memset(buf, 'Z', sizeof(buf));
        int n = hv_snprintf(size ? buf : NULL, size, "value=%d name=%s!", -12345, "hypervisor");
        if (n != (int)len)
            bad++;
        if (size) {
            size_t kept = size - 1 < len ? size - 1 : len;
            if (memcmp(buf, want, kept) || buf[kept] != '\0')
                bad++;
            for (size_t i = kept + 1; i < sizeof(buf); i++)
                if (buf[i] != 'Z')
                    bad++;
        } else if (buf[0] != 'Z') {
            bad++;
        }
    }
    CHECK_EQ(bad, 0);

    char one[1] = {'Q'};
    CHECK_EQ(hv_snprintf(one, 1, "%s", "abc"), 3);
    CHECK_EQ(one[0], '\0');
}

static int vwrap(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = hv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void test_vsnprintf_va_list(void)
{
    char buf[32];

    CHECK_EQ(vwrap(buf, sizeof(buf), "%s-%d-%llx", "a", 7, 0xffULL), 6);
    CHECK(strcmp(buf, "a-7-ff") == 0);
}

/* Random conversion specs, each compared with the host's printf. */
static void test_random_specs(void)
{
    static const char *const conv[] = {"d",  "i",   "u",   "x",   "X",  "o",  "ld", "lu",
                                       "lx", "lld", "llu", "llx", "zu", "zx", "s",  "c"};
    static const char *const strs[] = {"", "a", "hello", "0123456789abcdef"};
    unsigned int seed = 12345;
    int mismatches = 0;

    for (int iter = 0; iter < 20000; iter++) {
        char fmt[48], a[256], b[256];
        int p = 0, ra, rb;
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        const char *c = conv[r % ARRAY_SIZE(conv)];
        bool is_num = c[strlen(c) - 1] != 's' && c[strlen(c) - 1] != 'c';
        bool is_signed = strchr("di", c[strlen(c) - 1]) != NULL;
        bool is_c = !strcmp(c, "c");

        fmt[p++] = '[';
        fmt[p++] = '%';
        if (r & 0x10)
            fmt[p++] = '-';
        if (is_num && (r & 0x20))
            fmt[p++] = '0';
        if (is_signed && (r & 0x40))
            fmt[p++] = '+';
        if (is_signed && (r & 0x80))
            fmt[p++] = ' ';
        if (is_num && !is_signed && strchr("xXo", c[strlen(c) - 1]) && (r & 0x100))
            fmt[p++] = '#';
        if (r & 0x200)
            p += sprintf(fmt + p, "%u", (r >> 12) % 25);
        if (!is_c && (r & 0x400))
            p += sprintf(fmt + p, ".%u", (r >> 17) % 22);
        p += sprintf(fmt + p, "%s]", c);

        seed = seed * 1103515245u + 12345u;
        uint64_t v = ((uint64_t)seed << 32) ^ (seed * 2654435761u);
        if (seed & 1)
            v >>= (seed >> 3) % 64;
        if (!strcmp(c, "s")) {
            const char *s = strs[seed % ARRAY_SIZE(strs)];
            ra = hv_snprintf(a, sizeof(a), fmt, s);
            rb = snprintf(b, sizeof(b), fmt, s);
        } else if (is_c) {
            ra = hv_snprintf(a, sizeof(a), fmt, 'A' + (int)(v % 26));
            rb = snprintf(b, sizeof(b), fmt, 'A' + (int)(v % 26));
        } else if (c[0] == 'z') {
            ra = hv_snprintf(a, sizeof(a), fmt, (size_t)v);
            rb = snprintf(b, sizeof(b), fmt, (size_t)v);
        } else if (c[0] == 'l' && c[1] == 'l') {
            ra = hv_snprintf(a, sizeof(a), fmt, (long long)v);
            rb = snprintf(b, sizeof(b), fmt, (long long)v);
        } else if (c[0] == 'l') {
            ra = hv_snprintf(a, sizeof(a), fmt, (long)v);
            rb = snprintf(b, sizeof(b), fmt, (long)v);
        } else {
            ra = hv_snprintf(a, sizeof(a), fmt, (int)v);
            rb = snprintf(b, sizeof(b), fmt, (int)v);
        }
        if (ra != rb || strcmp(a, b)) {
            if (mismatches++ < 5)
                fprintf(stderr, "  fmt %s: got [%s] want [%s]\n", fmt, a, b);
        }
    }
    CHECK_EQ(mismatches, 0);
}

TEST_MAIN("vsnprintf", TEST(test_integers), TEST(test_width_and_flags),
          TEST(test_strings_and_chars), TEST(test_pointers), TEST(test_unknown_conversion),
          TEST(test_truncation), TEST(test_vsnprintf_va_list), TEST(test_random_specs))
