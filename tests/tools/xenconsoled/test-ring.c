/* Host tests: console ring indices (wrap, full, empty) and hostile indices from the guest. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "cons_ring.h"

static struct xencons_interface ring;

/* Guest side: produce n bytes of output starting with byte value seed. */
static void guest_out(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ring.out[MASK_XENCONS_IDX(ring.out_prod + i, ring.out)] = p[i];
    ring.out_prod += (XENCONS_RING_IDX)n;
}

static void test_output_basic_and_wrap(void)
{
    char buf[4096], big[2048];

    memset(&ring, 0, sizeof(ring));
    CHECK(cons_ring_take_output(&ring, buf, sizeof(buf)) == 0);
    guest_out("hello", 5);
    CHECK(cons_ring_take_output(&ring, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5));
    CHECK(ring.out_cons == 5);

    /* indices about to wrap 2^32, data wrapping the 2048-byte array */
    ring.out_cons = ring.out_prod = 0xfffffff0u - 3;
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    guest_out(big, sizeof(big)); /* exactly full */
    CHECK(ring.out_prod - ring.out_cons == 2048);
    CHECK(cons_ring_take_output(&ring, buf, 100) == 100 && !memcmp(buf, big, 100));
    CHECK(cons_ring_take_output(&ring, buf, sizeof(buf)) == 1948 && !memcmp(buf, big + 100, 1948));
    CHECK(ring.out_cons == ring.out_prod && ring.out_prod < 0x1000u);
    CHECK(cons_ring_take_output(&ring, buf, sizeof(buf)) == 0);
}

static void test_output_hostile(void)
{
    char buf[4096 + 16];

    memset(&ring, 0, sizeof(ring));
    memset(buf, 0x5a, sizeof(buf));
    ring.out_prod = 2049; /* one more than the ring holds */
    CHECK(cons_ring_take_output(&ring, buf, 4096) == -1);
    CHECK(ring.out_cons == 0); /* untouched */
    ring.out_cons = 10;
    ring.out_prod = 5; /* producer behind consumer: 2^32 - 5 apart */
    CHECK(cons_ring_take_output(&ring, buf, 4096) == -1);
    CHECK(ring.out_cons == 10);
    for (size_t i = 0; i < sizeof(buf); i++)
        CHECK(buf[i] == 0x5a); /* nothing copied anywhere */
    /* a small cap never writes past it, even with a full ring */
    ring.out_cons = 0;
    ring.out_prod = 2048;
    CHECK(cons_ring_take_output(&ring, buf, 3) == 3);
    CHECK(buf[3] == 0x5a);
    /* sane again: works again */
    ring.out_cons = ring.out_prod = 7;
    guest_out("ok", 2);
    CHECK(cons_ring_take_output(&ring, buf, 16) == 2 && !memcmp(buf, "ok", 2));
}

static void test_input(void)
{
    char data[1500], got[1500];

    memset(&ring, 0, sizeof(ring));
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)i;
    CHECK(cons_ring_input_space(&ring) == 1024);
    ring.in_cons = ring.in_prod = 0xffffff00u; /* wrap the index and the array */
    CHECK(cons_ring_put_input(&ring, data, sizeof(data)) == 1024); /* fills, no more */
    CHECK(cons_ring_input_space(&ring) == 0);
    CHECK(cons_ring_put_input(&ring, data, 10) == 0);
    for (size_t i = 0; i < 1024; i++)
        got[i] = ring.in[MASK_XENCONS_IDX(ring.in_cons + i, ring.in)];
    CHECK(!memcmp(got, data, 1024));
    ring.in_cons += 1000; /* the guest consumed */
    CHECK(cons_ring_input_space(&ring) == 1000);
    CHECK(cons_ring_put_input(&ring, data + 1024, 476) == 476);
    CHECK(ring.in_prod == 0xffffff00u + 1500u);

    /* hostile in_cons: no space, nothing written */
    memset(&ring, 0, sizeof(ring));
    ring.in_cons = 5000;
    CHECK(cons_ring_input_space(&ring) == 0);
    CHECK(cons_ring_put_input(&ring, data, 10) == -1);
    CHECK(ring.in_prod == 0);
    for (size_t i = 0; i < sizeof(ring.in); i++)
        CHECK(ring.in[i] == 0);
}

int main(void)
{
    test_output_basic_and_wrap();
    test_output_hostile();
    test_input();
    return check_summary("xenconsoled test-ring");
}
