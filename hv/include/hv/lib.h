/* Freestanding C library subset and small helpers used everywhere in the hypervisor. */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <stdarg.h>
#include <hv/types.h>

#define ARRAY_SIZE(a)         (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)             ((a) < (b) ? (a) : (b))
#define MAX(a, b)             ((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a)         (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ROUNDDOWN(x, a)       ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a)      (((x) & ((__typeof__(x))(a)-1)) == 0)
#define BUILD_BUG_ON(c)       _Static_assert(!(c), #c)
#define container_of(p, T, m) ((T *)((char *)(p)-offsetof(T, m)))
#define likely(x)             __builtin_expect(!!(x), 1)
#define unlikely(x)           __builtin_expect(!!(x), 0)

#ifndef HV_HOSTED
/* The hosted build (unit tests) uses the host libc for these. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#else
#include <string.h>
#endif

/* Format into buf (always NUL-terminated if size > 0); returns the length it wanted. */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* As hv_vsnprintf with variadic arguments. */
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Parse an unsigned number (base 0: 0x prefix = hex, else decimal); *end set past the digits. */
uint64_t hv_strtoull(const char *s, const char **end, int base);
/* Parse a size with K/M/G/T/B suffix as Xen's parse_size_and_unit: NO suffix = KiB (Xen's rule). */
uint64_t hv_parse_size(const char *s, const char **end);

#endif
