/* xenconsoled host tests: read what a pty or pipe delivers until it goes quiet. */
#ifndef XENCONSOLED_TEST_READ_QUIET_H
#define XENCONSOLED_TEST_READ_QUIET_H

#include <poll.h>
#include <stddef.h>
#include <unistd.h>

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
