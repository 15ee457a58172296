/* xl: phase timestamps on stderr when XL_TRACE is set (for profiling `xl create'). */
#ifndef XL_TRACE_H
#define XL_TRACE_H

/* Report the time since the previous report (and since the first) under what. */
void xl_trace(const char *what);

#endif
