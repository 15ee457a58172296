/* Host tests: a console over an in-memory ring and a real pty: relay both ways, no reader,
 * full rings, hostile indices. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "read_quiet.h"
#include "console.h"

static struct xencons_interface ring;
static int kicks;

static void on_notify(void *ctx, int port)
{
    CHECK(ctx == &ring && port == 42);
    kicks++;
}

static void guest_out(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ring.out[MASK_XENCONS_IDX(ring.out_prod + i, ring.out)] = p[i];
    ring.out_prod += (XENCONS_RING_IDX)n;
}

/* Guest side: take what arrived in in[]. */
static size_t guest_in(char *buf, size_t cap)
{
    size_t n = 0;

    while (n < cap && ring.in_cons != ring.in_prod)
        buf[n++] = ring.in[MASK_XENCONS_IDX(ring.in_cons++, ring.in)];
    return n;
}

/* Client side: read what is there within a short wait. */
static size_t client_read(int fd, char *buf, size_t cap)
{
    return read_quiet(fd, buf, cap, 200);
}

static int open_client(const struct console *c)
{
    int fd = open(c->tty, O_RDWR | O_NOCTTY | O_NONBLOCK);

    CHECK(fd >= 0);
    return fd;
}

static void test_relay(void)
{
    struct console c;
    char buf[4096];
    int cl;

    memset(&ring, 0, sizeof(ring));
    kicks = 0;
    CHECK(console_open(&c, 7, &ring, 42, 4096, on_notify, &ring) == 0);
    CHECK(!strncmp(c.tty, "/dev/pts/", 9));
    cl = open_client(&c);

    guest_out("login: ", 7);
    console_service(&c);
    CHECK(ring.out_cons == ring.out_prod && kicks == 1);
    CHECK(client_read(cl, buf, sizeof(buf)) == 7 && !memcmp(buf, "login: ", 7));

    CHECK(write(cl, "root\r", 5) == 5);
    usleep(20000);
    CHECK(console_poll_events(&c) & POLLIN);
    console_service(&c);
    CHECK(guest_in(buf, sizeof(buf)) == 5 && !memcmp(buf, "root\r", 5)); /* raw: no ICRNL */
    CHECK(kicks == 2);
    CHECK(client_read(cl, buf, sizeof(buf)) == 0); /* raw: no echo */
    close(cl);

    /* the client went away: the master does not hang up, output keeps queueing */
    guest_out("bye", 3);
    console_service(&c);
    cl = open_client(&c);
    CHECK(client_read(cl, buf, sizeof(buf)) == 3 && !memcmp(buf, "bye", 3));
    close(cl);
    console_close(&c);
}

/* Input beyond the 1 KiB ring waits in the pty until the guest makes room. */
static void test_input_full(void)
{
    struct console c;
    char data[3000], got[3000];
    size_t n = 0;
    int cl;

    memset(&ring, 0, sizeof(ring));
    CHECK(console_open(&c, 7, &ring, 42, 4096, on_notify, &ring) == 0);
    cl = open_client(&c);
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)('A' + i % 50);
    CHECK(write(cl, data, sizeof(data)) == (ssize_t)sizeof(data));
    usleep(20000);
    for (int round = 0; round < 20 && n < sizeof(data); round++) {
        console_service(&c);
        CHECK(ring.in_prod - ring.in_cons <= sizeof(ring.in));
        if (ring.in_prod - ring.in_cons == sizeof(ring.in))
            CHECK(!(console_poll_events(&c) & POLLIN)); /* full: don't read the pty */
        n += guest_in(got + n, sizeof(got) - n);
    }
    CHECK(n == sizeof(data) && !memcmp(got, data, sizeof(data)));
    close(cl);
    console_close(&c);
}

/* No reader for a long time: the guest is never blocked, the newest output survives. */
static void test_no_reader(void)
{
    enum { LIMIT = 8192, TOTAL = 1 << 20 };
    struct console c;
    char *all = malloc(TOTAL), *got = malloc(TOTAL);
    size_t sent = 0, n;
    int cl;

    memset(&ring, 0, sizeof(ring));
    CHECK(console_open(&c, 7, &ring, 42, LIMIT, on_notify, &ring) == 0);
    for (size_t i = 0; i < TOTAL; i++)
        all[i] = (char)(' ' + (i * 31 + i / 97) % 90);
    while (sent < TOTAL) {
        size_t chunk = TOTAL - sent < 2048 ? TOTAL - sent : 2048;
        CHECK(ring.out_prod - ring.out_cons == 0); /* emptied by every service */
        guest_out(all + sent, chunk);
        sent += chunk;
        console_service(&c);
    }
    CHECK(ring.out_cons == ring.out_prod);
    CHECK(c.out.len <= LIMIT && c.out.dropped > 0);
    /* a client now gets what the kernel already held, then the newest LIMIT bytes */
    cl = open_client(&c);
    n = 0;
    for (int k = 0; k < 200; k++) {
        size_t r = client_read(cl, got + n, TOTAL - n);
        console_service(&c);
        n += r;
        if (!r && !c.out.len)
            break;
    }
    CHECK(n >= LIMIT && n < TOTAL);
    CHECK(!memcmp(got + n - LIMIT, all + TOTAL - LIMIT, LIMIT)); /* the tail is intact */
    CHECK(!memcmp(got, all, 16));                                /* the kernel kept the start */
    close(cl);
    console_close(&c);
    free(all);
    free(got);
}

/* Garbage indices: output ignored (nothing overflows), the console survives and recovers. */
static void test_hostile(void)
{
    struct console c;
    char buf[64];
    int cl;

    memset(&ring, 0, sizeof(ring));
    CHECK(console_open(&c, 7, &ring, 42, 4096, on_notify, &ring) == 0);
    cl = open_client(&c);
    ring.out_prod = 0x80000000u;
    kicks = 0;
    console_service(&c);
    CHECK(c.ring_bad && ring.out_cons == 0 && kicks == 0 && c.out.len == 0);
    ring.in_cons = 0x12345678u; /* input side garbage too */
    CHECK(write(cl, "x", 1) == 1);
    usleep(20000);
    CHECK(!(console_poll_events(&c) & POLLIN));
    console_service(&c);
    CHECK(ring.in_prod == 0);
    /* the guest resets its ring: things flow again */
    ring.out_prod = ring.out_cons = 0;
    ring.in_cons = ring.in_prod = 0;
    guest_out("again", 5);
    console_service(&c);
    CHECK(!c.ring_bad);
    CHECK(client_read(cl, buf, sizeof(buf)) == 5 && !memcmp(buf, "again", 5));
    CHECK(ring.in_prod == 1 && ring.in[0] == 'x');
    close(cl);
    console_close(&c);
}

int main(void)
{
    test_relay();
    test_input_full();
    test_no_reader();
    test_hostile();
    return check_summary("xenconsoled test-console");
}
