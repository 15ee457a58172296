/* Circular output queue with drop-oldest overflow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbuf.h"

/* Empty queue of at most limit bytes. */
void outbuf_init(struct outbuf *b, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->limit = limit ? limit : 1;
    b->data = malloc(b->limit);
    if (!b->data) {
        perror("xenconsoled: outbuf");
        abort();
    }
}

/* Free the storage. */
void outbuf_free(struct outbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->head = 0;
}

/* Queue n bytes, dropping the oldest beyond the limit. */
void outbuf_append(struct outbuf *b, const char *p, size_t n)
{
    if (n >= b->limit) { /* only the newest limit bytes survive */
        b->dropped += b->len + (n - b->limit);
        p += n - b->limit;
        n = b->limit;
        b->head = b->len = 0;
    } else if (b->len + n > b->limit) {
        size_t over = b->len + n - b->limit;
        b->dropped += over;
        b->head = (b->head + over) % b->limit;
        b->len -= over;
    }
    while (n) {
        size_t tail = (b->head + b->len) % b->limit;
        size_t chunk = b->limit - tail;
        if (chunk > n)
            chunk = n;
        memcpy(b->data + tail, p, chunk);
        b->len += chunk;
        p += chunk;
        n -= chunk;
    }
}

/* The oldest contiguous run of waiting bytes. */
size_t outbuf_peek(const struct outbuf *b, const char **p)
{
    size_t run = b->limit - b->head;

    *p = b->data + b->head;
    return b->len < run ? b->len : run;
}

/* Drop n bytes from the front. */
void outbuf_consume(struct outbuf *b, size_t n)
{
    if (n > b->len)
        n = b->len;
    b->head = (b->head + n) % b->limit;
    b->len -= n;
    if (!b->len)
        b->head = 0;
}
