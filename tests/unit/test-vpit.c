/* Unit tests for the emulated PIT channel 2 and port 0x61 (Linux's TSC calibration path). */
// SOURCES: hv/arch/x86/hvm/vpit.c
#include "harness.h"
#include <string.h>
#include <hv/domain.h>

bool vpit_portio(struct vcpu *v, uint16_t port, bool is_in, uint32_t *val);

static uint64_t fake_now;

uint64_t now_ns(void)
{
    return fake_now;
}

static struct domain dom;
static struct vcpu vcpu = {.domain = &dom};

static uint32_t in(uint16_t port)
{
    uint32_t v = 0;
    CHECK(vpit_portio(&vcpu, port, true, &v));
    return v;
}

static void out(uint16_t port, uint32_t v)
{
    CHECK(vpit_portio(&vcpu, port, false, &v));
}

static unsigned int read_count(void)
{
    unsigned int lo = in(0x42);
    return lo | (in(0x42) << 8);
}

static void test_mode0_countdown_and_out2(void)
{
    fake_now = 1000000000ULL;
    out(0x61, 0x01); /* gate on, speaker off */
    out(0x43, 0xB0); /* channel 2, lo/hi, mode 0, binary */
    out(0x42, 0xFF);
    out(0x42, 0xFF);
    CHECK_EQ(read_count(), 0xFFFF);
    CHECK_EQ(in(0x61) & 0x20, 0); /* OUT2 low while counting */
    fake_now += 1000000;          /* 1 ms = 1193 ticks */
    CHECK_EQ(read_count(), 0xFFFF - 1193);
    fake_now += 60000000; /* 60 ms: past 0x10000 ticks */
    CHECK(in(0x61) & 0x20);
}

static void test_latch(void)
{
    fake_now = 5000000000ULL;
    out(0x61, 0x00);
    out(0x61, 0x01);
    out(0x43, 0xB0);
    out(0x42, 0x00);
    out(0x42, 0x10); /* 0x1000 */
    fake_now += 1000000;
    out(0x43, 0x80); /* latch channel 2 */
    fake_now += 1000000;
    CHECK_EQ(read_count(), 0x1000 - 1193); /* the latched value, not the later count */
    CHECK_EQ(read_count(), 0x1000 - 2386);
}

static void test_other_ports_not_handled(void)
{
    uint32_t v = 0;
    CHECK(!vpit_portio(&vcpu, 0x40, true, &v));
    CHECK(!vpit_portio(&vcpu, 0x80, false, &v));
    CHECK_EQ(in(0x43), 0xFF);
}

TEST_MAIN("vpit", TEST(test_mode0_countdown_and_out2), TEST(test_latch),
          TEST(test_other_ports_not_handled))
