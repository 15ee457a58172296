/* Tiny check harness for the dom0 library host tests: count, report, exit status. */
#ifndef TESTS_TOOLS_LIBS_CHECK_H
#define TESTS_TOOLS_LIBS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int checks_passed, checks_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            checks_passed++;                                                                       \
        } else {                                                                                   \
            checks_failed++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s (errno %d %s)\n", __FILE__, __LINE__, #cond,  \
                    errno, strerror(errno));                                                       \
        }                                                                                          \
    } while (0)

/* expr must fail (-1 or NULL, given as the failure value) with errno e. */
#define CHECK_FAILS(expr, failval, e)                                                              \
    do {                                                                                           \
        errno = 0;                                                                                 \
        CHECK((expr) == (failval) && errno == (e));                                                \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        CHECK(a_ &&b_ && !strcmp(a_, b_));                                                         \
        if (a_ && b_ && strcmp(a_, b_))                                                            \
            fprintf(stderr, "  got [%s], want [%s]\n", a_, b_);                                    \
    } while (0)

/* Print "name: N passed, N failed" and return the process exit status. */
static inline int check_summary(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, checks_passed, checks_failed);
    return checks_failed || !checks_passed ? 1 : 0;
}

#endif
