/* The test-guest framework API: what a tests/guest/<name>/main.c may use. */
#ifndef XTF_XTF_H
#define XTF_XTF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/errno.h>
#include <public/hvm/start_info.h>

#include "hypercall.h"
#include "x86.h"

#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))
#define __noreturn     __attribute__((noreturn))
#define __printf(f, a) __attribute__((format(printf, f, a)))

/* ---- provided by each test ---- */

/* One-line description printed before the test runs. */
extern const char test_title[];
/* The test body; returning means success unless xtf_error() was called. */
void test_main(void);

/* ---- boot state (lib/setup.c) ---- */

/* hvm_start_info handed over in EBX at the PVH entry (identity-mapped). */
extern const struct hvm_start_info *xtf_start_info;
/* True when CPUID shows the Xen leaves, i.e. hypercalls are usable. */
extern bool xtf_have_xen;

/* ---- console (lib/console.c) ---- */

/* printf-style formatting into buf (%d i u o x X p s c %%, flags, width, precision, hh-ll z). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* As vsnprintf, with variadic arguments. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* Print to the hypervisor console (console_io, or port 0xE9 when that is unavailable). */
void printk(const char *fmt, ...) __printf(1, 2);
/* Write len raw bytes to the console. */
void xtf_console_write(const char *buf, size_t len);

/* ---- verdict (lib/report.c) ---- */

/* Print "Test result: SUCCESS" and power the domain off. */
void __noreturn xtf_success(void);
/* Print "Test result: FAILURE: <reason>" and crash the domain (shutdown reason crash). */
void __noreturn xtf_failure(const char *fmt, ...) __printf(1, 2);
/* Record a failed check and keep going; the verdict after test_main() will be FAILURE. */
void xtf_error(const char *fmt, ...) __printf(1, 2);
/* Check a hypercall's return value; records an error naming what when rc != want. */
bool xtf_check_rc(const char *what, long rc, long want);
/* Number of xtf_error() calls so far. */
unsigned int xtf_error_count(void);

/* ---- exceptions (lib/traps.c) ---- */

/* Register state saved by the exception stubs; rip/cs/rflags/rsp/ss are the hardware frame. */
struct xtf_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * A test's exception hook: return true when the exception was expected (the
 * hook may change regs, e.g. advance rip); false makes it a test failure.
 */
typedef bool (*xtf_exception_fn)(struct xtf_regs *regs);
/* Install hook (NULL: every exception fails the test). */
void xtf_set_exception_hook(xtf_exception_fn hook);
/* Name of an exception vector ("#UD"), or "#??". */
const char *xtf_exception_name(unsigned int vector);

/*
 * Call fn at CPL 3 (flat user segments, a private user stack, interrupts off)
 * and return its result; exceptions it raises reach the hook as usual.
 */
unsigned long xtf_exec_user(unsigned long (*fn)(void));

/* ---- memory (lib/pagetable.c, lib/string.c) ---- */

/*
 * Map the 2 MiB page at virtual va to physical pa (both 2 MiB aligned) with
 * extra PTE flags (e.g. PTE_PCD | PTE_PWT), allocating paging structures from a
 * small static pool. Returns 0, or -1 when the pool is exhausted or va is not canonical.
 */
int xtf_map_2m(uint64_t va, uint64_t pa, uint64_t flags);

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif /* XTF_XTF_H */
