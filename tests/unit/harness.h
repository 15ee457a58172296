/* Minimal host test harness: CHECK() records failures, TEST_MAIN runs the listed tests. */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>

static int harness_failures;
static int harness_checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        harness_checks++;                                                                          \
        if (!(cond)) {                                                                             \
            harness_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long _a = (long long)(a), _b = (long long)(b);                                        \
        harness_checks++;                                                                          \
        if (_a != _b) {                                                                            \
            harness_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %lld, expected %s == %lld\n", __FILE__, \
                    __LINE__, #a, _a, #b, _b);                                                     \
        }                                                                                          \
    } while (0)

typedef void (*test_fn)(void);
struct test_case {
    const char *name;
    test_fn fn;
};

/* Run every test case; print one summary line; exit status says whether all checks held. */
static inline int harness_run(const char *suite, const struct test_case *tc, int n)
{
    for (int i = 0; i < n; i++) {
        int before = harness_failures;
        tc[i].fn();
        printf("  %-40s %s\n", tc[i].name, harness_failures == before ? "ok" : "FAIL");
    }
    printf("%s: %d checks, %d failed\n", suite, harness_checks, harness_failures);
    return harness_failures ? 1 : 0;
}

#define TEST(name)                                                                                 \
    {                                                                                              \
#name, name                                                                                \
    }
#define TEST_MAIN(suite, ...)                                                                      \
    int main(void)                                                                                 \
    {                                                                                              \
        static const struct test_case cases[] = {__VA_ARGS__};                                     \
        return harness_run(suite, cases, (int)(sizeof(cases) / sizeof(cases[0])));                 \
    }

#endif
