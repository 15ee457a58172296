// Unit test: the freestanding mem*/str* functions (built as hosted_* so libc stays intact).
// SOURCES: hv/common/lib/string.c
#include "harness.h"
#include <stdint.h>
#include <string.h>

void *hosted_memcpy(void *dst, const void *src, size_t n);
void *hosted_memmove(void *dst, const void *src, size_t n);
void *hosted_memset(void *dst, int c, size_t n);
int hosted_memcmp(const void *a, const void *b, size_t n);
size_t hosted_strlen(const char *s);
size_t hosted_strnlen(const char *s, size_t max);
int hosted_strcmp(const char *a, const char *b);
int hosted_strncmp(const char *a, const char *b, size_t n);
char *hosted_strchr(const char *s, int c);

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

/* Every alignment and length combination, with guard bytes around the destination. */
static void test_memcpy_all_alignments(void)
{
    unsigned char src[96], dst[112], ref[112];
    int bad = 0;

    fill(src, sizeof(src), 3);
    for (size_t so = 0; so < 8; so++) {
        for (size_t d_o = 0; d_o < 8; d_o++) {
            for (size_t n = 0; n <= 80; n++) {
                memset(dst, 0xee, sizeof(dst));
                memset(ref, 0xee, sizeof(ref));
                memcpy(ref + 8 + d_o, src + so, n);
                void *r = hosted_memcpy(dst + 8 + d_o, src + so, n);
                if (r != dst + 8 + d_o || memcmp(dst, ref, sizeof(dst)))
                    bad++;
            }
        }
    }
    CHECK_EQ(bad, 0);
}

static void test_memmove_overlap(void)
{
    unsigned char buf[128], ref[128];
    int bad = 0;

    for (int shift = -20; shift <= 20; shift++) {
        for (size_t n = 0; n <= 64; n += 3) {
            fill(buf, sizeof(buf), 11);
            fill(ref, sizeof(ref), 11);
            memmove(ref + 32 + shift, ref + 32, n);
            void *r = hosted_memmove(buf + 32 + shift, buf + 32, n);
            if (r != buf + 32 + shift || memcmp(buf, ref, sizeof(buf)))
                bad++;
        }
    }
    CHECK_EQ(bad, 0);
}

static void test_memset(void)
{
    unsigned char buf[80];
    int bad = 0;

    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n <= 64; n++) {
            memset(buf, 0x11, sizeof(buf));
            void *r = hosted_memset(buf + off, 0x1ab, n); /* only the low byte counts */
            for (size_t i = 0; i < sizeof(buf); i++) {
                unsigned char want = (i >= off && i < off + n) ? 0xab : 0x11;
                if (buf[i] != want)
                    bad++;
            }
            if (r != buf + off)
                bad++;
        }
    }
    CHECK_EQ(bad, 0);
}

static void test_memcmp(void)
{
    unsigned char a[16] = {1, 2, 3, 0x80}, b[16] = {1, 2, 3, 0x7f};

    CHECK_EQ(hosted_memcmp(a, b, 3), 0);
    CHECK(hosted_memcmp(a, b, 4) > 0); /* compared as unsigned */
    CHECK(hosted_memcmp(b, a, 4) < 0);
    CHECK_EQ(hosted_memcmp(a, b, 0), 0);
}

static void test_strlen_strnlen(void)
{
    char s[] = "hello";

    CHECK_EQ(hosted_strlen(""), 0);
    CHECK_EQ(hosted_strlen(s), 5);
    CHECK_EQ(hosted_strnlen(s, 3), 3);
    CHECK_EQ(hosted_strnlen(s, 10), 5);
    CHECK_EQ(hosted_strnlen(s, 0), 0);
    char unterminated[4] = {'a', 'b', 'c', 'd'};
    CHECK_EQ(hosted_strnlen(unterminated, 4), 4); /* must not read past max (ASan) */
}

static void test_strcmp_strncmp(void)
{
    CHECK_EQ(hosted_strcmp("abc", "abc"), 0);
    CHECK(hosted_strcmp("abc", "abd") < 0);
    CHECK(hosted_strcmp("abd", "abc") > 0);
    CHECK(hosted_strcmp("ab", "abc") < 0);
    CHECK(hosted_strcmp("abc", "ab") > 0);
    CHECK(hosted_strcmp("\xff", "a") > 0); /* unsigned compare */
    CHECK_EQ(sign(hosted_strcmp("", "")), 0);
    CHECK_EQ(hosted_strncmp("abcdef", "abcxyz", 3), 0);
    CHECK(hosted_strncmp("abcdef", "abcxyz", 4) < 0);
    CHECK_EQ(hosted_strncmp("ab", "ab", 10), 0);
    CHECK(hosted_strncmp("ab", "abc", 10) < 0);
    CHECK_EQ(hosted_strncmp("x", "y", 0), 0);
}

static void test_strchr(void)
{
    const char *s = "key=value=2";

    CHECK(hosted_strchr(s, '=') == s + 3);
    CHECK(hosted_strchr(s, 'k') == s);
    CHECK(hosted_strchr(s, '\0') == s + strlen(s));
    CHECK(hosted_strchr(s, 'z') == NULL);
    CHECK(hosted_strchr("", 'a') == NULL);
}

TEST_MAIN("string", TEST(test_memcpy_all_alignments), TEST(test_memmove_overlap), TEST(test_memset),
          TEST(test_memcmp), TEST(test_strlen_strnlen), TEST(test_strcmp_strncmp),
          TEST(test_strchr))
