/* A bounded byte queue that keeps the newest bytes: console output waiting for a pty reader. */
#ifndef XENCONSOLED_OUTBUF_H
#define XENCONSOLED_OUTBUF_H

#include <stddef.h>
#include <stdint.h>

struct outbuf {
    char *data;       /* limit bytes, used circularly */
    size_t limit;     /* capacity: older bytes are dropped beyond it */
    size_t head, len; /* first waiting byte, bytes waiting */
    uint64_t dropped; /* bytes discarded so far */
};

/* Empty queue holding at most limit (> 0) bytes; aborts on ENOMEM. */
void outbuf_init(struct outbuf *b, size_t limit);
/* Free the storage. */
void outbuf_free(struct outbuf *b);
/* Queue n bytes; when full the oldest bytes make room (counted in dropped). */
void outbuf_append(struct outbuf *b, const char *p, size_t n);
/* The oldest waiting bytes as one contiguous run: its length, start in *p (0 if empty). */
size_t outbuf_peek(const struct outbuf *b, const char **p);
/* Drop n (<= waiting) bytes from the front after they were written out. */
void outbuf_consume(struct outbuf *b, size_t n);

#endif
