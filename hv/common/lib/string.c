/* Freestanding memory and string primitives (the lib.h subset of <string.h>). */
#include <hv/lib.h>

/*
 * Hosted unit tests link the host libc, whose names these would clash with, so there the
 * functions are built under a "hosted_" prefix and the tests call them by that name.
 */
#ifdef HV_HOSTED
#define memcpy  hosted_memcpy
#define memmove hosted_memmove
#define memset  hosted_memset
#define memcmp  hosted_memcmp
#define strlen  hosted_strlen
#define strnlen hosted_strnlen
#define strcmp  hosted_strcmp
#define strncmp hosted_strncmp
#define strchr  hosted_strchr
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

/*
 * GCC may recognise a byte loop as "a memset" and emit a call to memset, which inside
 * memset itself would recurse forever; forbid that transformation for these bodies.
 */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

/* Copy n bytes from src to dst (regions must not overlap); returns dst. */
NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* Word copies once both pointers share alignment; bytes for the head and tail. */
    if (((uintptr_t)d & (WORD - 1)) == ((uintptr_t)s & (WORD - 1))) {
        while (n && ((uintptr_t)d & (WORD - 1))) {
            *d++ = *s++;
            n--;
        }
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
            *(word_t *)d = *(const word_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

/* Copy n bytes from src to dst; the regions may overlap. Returns dst. */
NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    /* dst overlaps the tail of src: copy backwards. */
    d += n;
    s += n;
    while (n--)
        *--d = *--s;
    return dst;
}

/* Fill n bytes at dst with the byte c; returns dst. */
NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    word_t pattern = (unsigned char)c * 0x0101010101010101ULL;

    while (n && ((uintptr_t)d & (WORD - 1))) {
        *d++ = (unsigned char)c;
        n--;
    }
    for (; n >= WORD; n -= WORD, d += WORD)
        *(word_t *)d = pattern;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

/* Compare n bytes as unsigned chars; <0, 0 or >0 like the C library. */
NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x - *y;
    }
    return 0;
}

/* Length of the NUL-terminated string s. */
NO_LIBCALL size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return (size_t)(p - s);
}

/* Length of s, but at most max (s need not be terminated within max bytes). */
NO_LIBCALL size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

/* Compare two strings as unsigned chars. */
int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    while (*x && *x == *y) {
        x++;
        y++;
    }
    return *x - *y;
}

/* Compare at most n characters of two strings. */
int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    for (; n; n--, x++, y++) {
        if (*x != *y || !*x)
            return *x - *y;
    }
    return 0;
}

/* First occurrence of (char)c in s (the terminator counts), or NULL. */
char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}
