/* Trace file (-T): one line per request, reply error and connection event. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "xenstored.h"

static FILE *trace_file;
static bool trace_on;

/* Open the trace file (-T); false on error. */
bool xs_trace_open(const char *path)
{
    trace_file = fopen(path, "a");
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
    va_list ap;

    if (!trace_file || !trace_on)
        return;
    fprintf(trace_file, "%ld ", (long)time(NULL));
    va_start(ap, fmt);
    vfprintf(trace_file, fmt, ap);
    va_end(ap);
    fputc('\n', trace_file);
}
