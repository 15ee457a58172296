/* Allocation helpers: xenstored treats running out of memory as fatal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void *check(void *p)
{
    if (!p) {
        fprintf(stderr, "xenstored: out of memory\n");
        abort();
    }
    return p;
}

/* malloc that never returns NULL (size 0 allowed). */
void *xmalloc(size_t n)
{
    return check(malloc(n ? n : 1));
}

/* calloc that never returns NULL. */
void *xcalloc(size_t n, size_t size)
{
    return check(calloc(n ? n : 1, size ? size : 1));
}

/* realloc that never returns NULL. */
void *xrealloc(void *p, size_t n)
{
    return check(realloc(p, n ? n : 1));
}

/* strdup that never returns NULL. */
char *xstrdup(const char *s)
{
    return check(strdup(s));
}

/* Copy of n bytes at p. */
void *xmemdup(const void *p, size_t n)
{
    void *q = xmalloc(n);

    if (n)
        memcpy(q, p, n);
    return q;
}
