/* Host tests: the drop-oldest output queue keeps the newest bytes in order. */
#include <string.h>

#include "check.h"
#include "outbuf.h"

/* Drain b into out; returns bytes. */
static size_t drain(struct outbuf *b, char *out)
{
    const char *p;
    size_t n, total = 0;

    while ((n = outbuf_peek(b, &p))) {
        memcpy(out + total, p, n);
        total += n;
        outbuf_consume(b, n);
    }
    return total;
}

int main(void)
{
    struct outbuf b;
    char src[1000], out[1000];
    const char *p;

    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (char)(i * 7);
    outbuf_init(&b, 100);
    CHECK(outbuf_peek(&b, &p) == 0);

    outbuf_append(&b, src, 60);
    outbuf_consume(&b, 50); /* head moves, so later appends wrap */
    outbuf_append(&b, src + 60, 80);
    CHECK(b.len == 90 && b.dropped == 0);
    CHECK(drain(&b, out) == 90 && !memcmp(out, src + 50, 90));

    /* overflow: the oldest go, the newest 100 stay, in order */
    outbuf_append(&b, src, 70);
    outbuf_append(&b, src + 70, 70);
    CHECK(b.len == 100 && b.dropped == 40);
    CHECK(drain(&b, out) == 100 && !memcmp(out, src + 40, 100));

    /* one append bigger than the limit */
    outbuf_append(&b, src, 30);
    outbuf_append(&b, src + 100, 500);
    CHECK(b.dropped == 40 + 30 + 400);
    CHECK(drain(&b, out) == 100 && !memcmp(out, src + 500, 100));

    /* many small appends, partial consumes */
    for (int k = 0; k < 50; k++) {
        outbuf_append(&b, src + k * 13, 13);
        outbuf_consume(&b, 5);
    }
    CHECK(b.len == 95); /* full at 100, then the last consume took 5 */
    CHECK(drain(&b, out) == 95 && !memcmp(out, src + 650 - 95, 95));
    outbuf_consume(&b, 10); /* more than waiting: harmless */
    CHECK(b.len == 0);
    outbuf_free(&b);
    return check_summary("xenconsoled test-outbuf");
}
