/* A host panic() for unit tests: unexpected panics abort, EXPECT_PANIC catches expected ones. */
#ifndef TEST_EXPECT_PANIC_H
#define TEST_EXPECT_PANIC_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf panic_jmp;
static bool panic_expected;
static char panic_msg[256];

/* Record the message; jump back to EXPECT_PANIC if one is waiting, else abort the test. */
void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
    va_end(ap);
    if (!panic_expected) {
        fprintf(stderr, "unexpected panic: %s\n", panic_msg);
        abort();
    }
    longjmp(panic_jmp, 1);
}

/* Run stmt and check that it panicked with a message containing want. */
#define EXPECT_PANIC(stmt, want)                                                                   \
    do {                                                                                           \
        panic_msg[0] = '\0';                                                                       \
        panic_expected = true;                                                                     \
        bool _panicked = false;                                                                    \
        if (!setjmp(panic_jmp)) {                                                                  \
            stmt;                                                                                  \
        } else {                                                                                   \
            _panicked = true;                                                                      \
        }                                                                                          \
        panic_expected = false;                                                                    \
        CHECK(_panicked);                                                                          \
        CHECK(strstr(panic_msg, want) != NULL);                                                    \
        if (!strstr(panic_msg, want))                                                              \
            fprintf(stderr, "  panic message was: '%s'\n", panic_msg);                             \
    } while (0)

#endif
