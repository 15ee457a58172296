/* Trace file (-T): one line per request, reply error and connection event. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xenstored.h"

static FILE *trace_file;
static bool trace_on;

/* Open the trace file (-T; "-" is stderr); false on error. */
bool xs_trace_open(const char *path)
{
    trace_file = strcmp(path, "-") ? fopen(path, "a") : stderr;
    if (!trace_file)
        return false;
    setvbuf(trace_file, NULL, _IOLBF, 0);
    trace_on = true;
    return true;
}

/* Turn tracing on or off (XS_CONTROL log). */
void xs_trace_enable(bool on)
{
    trace_on = on;
}

/* Write one trace line if tracing is on. */
void xs_trace(const char *fmt, ...)
{
    int saved = errno; /* for %m */
    va_list ap;

    if (!trace_file || !trace_on)
        return;
    fprintf(trace_file, "%ld ", (long)time(NULL));
    errno = saved;
    va_start(ap, fmt);
    vfprintf(trace_file, fmt, ap);
    va_end(ap);
    fputc('\n', trace_file);
    errno = saved;
}
