/* xguest: phase timings (XGUEST_TRACE=1) and the one-line error helper. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "guest/guest_priv.h"

static double t_start, t_last;
static int enabled = -1;

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int on(void)
{
    if (enabled < 0) {
        const char *e = getenv("XGUEST_TRACE");
        enabled = e && *e && *e != '0';
    }
    return enabled;
}

void xguest_trace_start(void)
{
    enabled = -1; /* re-read the environment for every build */
    t_start = t_last = now();
}

void xguest_trace(const char *name)
{
    double t = now();

    if (on())
        fprintf(stderr, "xguest: %-12s %8.1f ms  (total %8.1f ms)\n", name, (t - t_last) * 1e3,
                (t - t_start) * 1e3);
    t_last = t;
}

void xguest_tracef(const char *fmt, ...)
{
    va_list ap;

    if (!on())
        return;
    fputs("xguest: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int xguest_fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    errno = e;
    return -1;
}
