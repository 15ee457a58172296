/* Small allocation and string helpers shared by xenstored's files (abort on ENOMEM). */
#ifndef XENSTORED_UTIL_H
#define XENSTORED_UTIL_H

#include <stddef.h>

/* malloc/calloc/realloc/strdup/memdup that never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
void *xmemdup(const void *p, size_t n);

#endif /* XENSTORED_UTIL_H */
