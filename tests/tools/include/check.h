/* Checks for the dom0 tools' host tests: CHECK counts failures and goes on, TEST_END reports. */
#ifndef TOOLS_TEST_CHECK_H
#define TOOLS_TEST_CHECK_H

#include <poll.h>
#include <stdio.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#define TEST_END(name)                                                                             \
    do {                                                                                           \
        printf("%s: %s\n", name, failures ? "FAILED" : "ok");                                      \
        return failures ? 1 : 0;                                                                   \
    } while (0)

/* Read from fd what arrives until it stays quiet for quiet_ms (or cap is reached); bytes read. */
static inline size_t read_quiet(int fd, char *buf, size_t cap, int quiet_ms)
{
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    size_t n = 0;

    while (n < cap && poll(&pf, 1, quiet_ms) > 0) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    return n;
}

#endif
