/* xl: phase timestamps on stderr when XL_TRACE is set. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "trace.h"

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void xl_trace(const char *what)
{
    static int on = -1;
    static double first, last;
    double t;

    if (on < 0) {
        const char *e = getenv("XL_TRACE");

        on = e && *e && *e != '0';
        first = last = now_ms();
    }
    if (!on)
        return;
    t = now_ms();
    fprintf(stderr, "xl: %-24s %8.1f ms  (total %8.1f ms)\n", what, t - last, t - first);
    last = t;
}
