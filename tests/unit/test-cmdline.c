// Unit test: hypervisor command-line options, Xen's value syntaxes, unknown and bad options.
// SOURCES: hv/common/cmdline.c hv/common/lib/strtoul.c
#include "harness.h"
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <stdarg.h>
#include <string.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Stub console: collect what the parser reports. */
static char logbuf[8192];
static int nr_msgs;

void log_printf(int level, const char *fmt, ...)
{
    va_list ap;
    size_t len = strlen(logbuf);
    (void)level;
    va_start(ap, fmt);
    vsnprintf(logbuf + len, sizeof(logbuf) - len, fmt, ap);
    va_end(ap);
    nr_msgs++;
}

static void reset(void)
{
    boot_opts_set_defaults();
    logbuf[0] = '\0';
    nr_msgs = 0;
}

static void test_defaults(void)
{
    reset();
    CHECK_EQ(cmdline_parse(""), 0);
    CHECK_EQ(cmdline_parse(NULL), 0);
    CHECK_EQ(boot_opts.console, CONSOLE_COM1 | CONSOLE_VGA);
    CHECK_EQ(boot_opts.com[0].baud, 115200);
    CHECK_EQ(boot_opts.com[0].io_base, 0x3f8);
    CHECK_EQ(boot_opts.com[1].io_base, 0x2f8);
    CHECK_EQ(boot_opts.com[0].data_bits, 8);
    CHECK_EQ(boot_opts.com[0].parity, 'n');
    CHECK_EQ(boot_opts.com[0].stop_bits, 1);
    CHECK(!boot_opts.com[0].given);
    CHECK(!boot_opts.dom0_mem.set);
    CHECK_EQ(boot_opts.dom0_max_vcpus_min, 1);
    CHECK_EQ(boot_opts.dom0_max_vcpus_max, UINT32_MAX);
    CHECK_EQ(boot_opts.loglvl, LOG_INFO);
    CHECK_EQ(boot_opts.guest_loglvl, LOG_WARN);
    CHECK(!boot_opts.noreboot);
    CHECK(!boot_opts.sync_console);
    CHECK_EQ(boot_opts.debug_exit_port, 0);
    CHECK_EQ(nr_msgs, 0);
}

static void test_typical_line(void)
{
    reset();
    CHECK_EQ(cmdline_parse("  console=com1 com1=115200,8n1 dom0_mem=512M,max:512M "
                           "dom0_max_vcpus=2 loglvl=all guest_loglvl=all noreboot "
                           "sync_console debug_exit=0xf4  "),
             0);
    CHECK_EQ(nr_msgs, 0);
    CHECK_EQ(boot_opts.console, CONSOLE_COM1);
    CHECK(boot_opts.com[0].given);
    CHECK_EQ(boot_opts.com[0].baud, 115200);
    CHECK(boot_opts.dom0_mem.set);
    CHECK_EQ(boot_opts.dom0_mem.bytes, 512 * MiB);
    CHECK(boot_opts.dom0_mem_max.set);
    CHECK_EQ(boot_opts.dom0_mem_max.bytes, 512 * MiB);
    CHECK(!boot_opts.dom0_mem_min.set);
    CHECK_EQ(boot_opts.dom0_max_vcpus_min, 2);
    CHECK_EQ(boot_opts.dom0_max_vcpus_max, 2);
    CHECK_EQ(boot_opts.loglvl, LOG_DEBUG);
    CHECK_EQ(boot_opts.guest_loglvl, LOG_DEBUG);
    CHECK(boot_opts.noreboot);
    CHECK(boot_opts.sync_console);
    CHECK_EQ(boot_opts.debug_exit_port, 0xf4);
}

static void test_image_name_and_placeholder(void)
{
    reset();
    /* QEMU's multiboot loader puts the image path first; Debian's GRUB puts "placeholder". */
    CHECK_EQ(cmdline_parse("build/xenolith noreboot"), 0);
    CHECK(boot_opts.noreboot);
    reset();
    CHECK_EQ(cmdline_parse("/boot/xenolith.gz placeholder loglvl=error"), 0);
    CHECK_EQ(boot_opts.loglvl, LOG_ERR);
    CHECK_EQ(nr_msgs, 0);
    reset();
    /* Only the first word may be an image path. */
    CHECK_EQ(cmdline_parse("noreboot /boot/x"), 1);
    CHECK(strstr(logbuf, "unknown option '/boot/x'") != NULL);
}

static void test_booleans(void)
{
    static const char *const yes[] = {"noreboot",    "noreboot=1",    "noreboot=yes",
                                      "noreboot=on", "noreboot=true", "noreboot=enable"};
    static const char *const no[] = {"no-noreboot",  "noreboot=0",     "noreboot=no",
                                     "noreboot=off", "noreboot=false", "noreboot=disable"};

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        reset();
        CHECK_EQ(cmdline_parse(yes[i]), 0);
        CHECK(boot_opts.noreboot);
    }
    for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
        reset();
        boot_opts.noreboot = true;
        CHECK_EQ(cmdline_parse(no[i]), 0);
        CHECK(!boot_opts.noreboot);
    }
    reset();
    CHECK_EQ(cmdline_parse("sync-console no-sync_console sync_console"), 0); /* last wins */
    CHECK(boot_opts.sync_console);

    reset();
    CHECK_EQ(cmdline_parse("noreboot=maybe"), 1);
    CHECK(!boot_opts.noreboot);
    CHECK(strstr(logbuf, "noreboot") != NULL);
    reset();
    CHECK_EQ(cmdline_parse("noreboot="), 1);
    reset();
    CHECK_EQ(cmdline_parse("no-noreboot=1"), 1); /* "no-" takes no value */
    reset();
    CHECK_EQ(cmdline_parse("no-loglvl"), 1); /* only booleans negate */
    CHECK_EQ(boot_opts.loglvl, LOG_INFO);
}

static void test_unknown_options(void)
{
    reset();
    CHECK_EQ(cmdline_parse("foo noreboot bar=1 no-baz dom0_memory=1G"), 4);
    CHECK(boot_opts.noreboot); /* the known one between them still applies */
    CHECK(strstr(logbuf, "unknown option 'foo'") != NULL);
    CHECK(strstr(logbuf, "unknown option 'bar'") != NULL);
    CHECK(strstr(logbuf, "unknown option 'no-baz'") != NULL);
    CHECK(strstr(logbuf, "unknown option 'dom0_memory'") != NULL);
    CHECK(strstr(logbuf, "ignored") != NULL);
    CHECK(!boot_opts.dom0_mem.set);
}

static void test_quotes_and_long_words(void)
{
    char line[600];

    reset();
    CHECK_EQ(cmdline_parse("loglvl=\"warning\" \"noreboot\""), 0);
    CHECK_EQ(boot_opts.loglvl, LOG_WARN);
    CHECK(boot_opts.noreboot);

    reset();
    memset(line, 'a', sizeof(line));
    memcpy(line + 400, " noreboot", 10);
    CHECK_EQ(cmdline_parse(line), 1);
    CHECK(strstr(logbuf, "too long") != NULL);
    CHECK(boot_opts.noreboot);
}

static void test_console(void)
{
    reset();
    CHECK_EQ(cmdline_parse("console=com2"), 0);
    CHECK_EQ(boot_opts.console, CONSOLE_COM2);
    CHECK_EQ(cmdline_parse("console=com1,com2,vga"), 0);
    CHECK_EQ(boot_opts.console, CONSOLE_COM1 | CONSOLE_COM2 | CONSOLE_VGA);
    CHECK_EQ(cmdline_parse("console=none"), 0);
    CHECK_EQ(boot_opts.console, 0);
    CHECK_EQ(cmdline_parse("console=com1,dbgp"), 1); /* a bad item rejects the whole value */
    CHECK_EQ(boot_opts.console, 0);
    CHECK_EQ(cmdline_parse("console="), 1);
    CHECK_EQ(cmdline_parse("console"), 1);
    CHECK(strstr(logbuf, "needs a value") != NULL);
    CHECK_EQ(cmdline_parse("console=com1,"), 1);
}

static void test_serial_options(void)
{
    reset();
    CHECK_EQ(cmdline_parse("com1=9600"), 0);
    CHECK_EQ(boot_opts.com[0].baud, 9600);
    CHECK_EQ(boot_opts.com[0].data_bits, 8);
    CHECK_EQ(boot_opts.com[0].io_base, 0x3f8);
    CHECK(boot_opts.com[0].given);

    CHECK_EQ(cmdline_parse("com2=57600,7e2,0x2e8,3"), 0);
    CHECK_EQ(boot_opts.com[1].baud, 57600);
    CHECK_EQ(boot_opts.com[1].data_bits, 7);
    CHECK_EQ(boot_opts.com[1].parity, 'e');
    CHECK_EQ(boot_opts.com[1].stop_bits, 2);
    CHECK_EQ(boot_opts.com[1].io_base, 0x2e8);
    CHECK_EQ(boot_opts.com[1].irq, 3);

    CHECK_EQ(cmdline_parse("com1=auto"), 0);
    CHECK_EQ(boot_opts.com[0].baud, 0);
    CHECK_EQ(cmdline_parse("com1=38400/1843200,,0x3e8"), 0);
    CHECK_EQ(boot_opts.com[0].baud, 38400);
    CHECK_EQ(boot_opts.com[0].base_baud, 1843200);
    CHECK_EQ(boot_opts.com[0].data_bits, 8);
    CHECK_EQ(boot_opts.com[0].io_base, 0x3e8);
    CHECK_EQ(cmdline_parse("com1=,5o1"), 0); /* empty baud keeps the default */
    CHECK_EQ(boot_opts.com[0].baud, 115200);
    CHECK_EQ(boot_opts.com[0].data_bits, 5);
    CHECK_EQ(boot_opts.com[0].parity, 'o');

    static const char *const bad[] = {"com1=fast",
                                      "com1=0",
                                      "com1=230400",
                                      "com1=115200,9n1",
                                      "com1=115200,8x1",
                                      "com1=115200,8n3",
                                      "com1=115200,8n",
                                      "com1=115200,8n1,0",
                                      "com1=115200,8n1,zz",
                                      "com1=115200,8n1,0x3f8,300",
                                      "com1=115200,8n1,0x3f8,4,x",
                                      "com1=115200/",
                                      "com1=1152OO"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        CHECK_EQ(cmdline_parse(bad[i]), 1);
        CHECK(!boot_opts.com[0].given); /* untouched */
        CHECK_EQ(boot_opts.com[0].baud, 115200);
        CHECK(strstr(logbuf, "bad value") != NULL);
    }
}

static void test_dom0_mem(void)
{
    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=1G"), 0);
    CHECK(boot_opts.dom0_mem.set && !boot_opts.dom0_mem.minus);
    CHECK_EQ(boot_opts.dom0_mem.bytes, GiB);
    CHECK_EQ(boot_opts.dom0_mem.percent, 0);

    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=524288"), 0); /* no unit: KiB, as in Xen */
    CHECK_EQ(boot_opts.dom0_mem.bytes, 512 * MiB);

    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=min:256M,max:2G,1G"), 0);
    CHECK_EQ(boot_opts.dom0_mem_min.bytes, 256 * MiB);
    CHECK_EQ(boot_opts.dom0_mem_max.bytes, 2 * GiB);
    CHECK_EQ(boot_opts.dom0_mem.bytes, GiB);

    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=max:512M"), 0);
    CHECK(!boot_opts.dom0_mem.set);
    CHECK(boot_opts.dom0_mem_max.set);

    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=-512M"), 0);
    CHECK(boot_opts.dom0_mem.minus);
    CHECK_EQ(boot_opts.dom0_mem.bytes, 512 * MiB);

    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=1G+25%,min:10%"), 0);
    CHECK_EQ(boot_opts.dom0_mem.bytes, GiB);
    CHECK_EQ(boot_opts.dom0_mem.percent, 25);
    CHECK_EQ(boot_opts.dom0_mem_min.bytes, 0);
    CHECK_EQ(boot_opts.dom0_mem_min.percent, 10);

    static const char *const bad[] = {"dom0_mem=",        "dom0_mem=abc",   "dom0_mem=512X",
                                      "dom0_mem=100%",    "dom0_mem=1G+",   "dom0_mem=1G+5",
                                      "dom0_mem=10%+1G",  "dom0_mem=512M,", "dom0_mem=mid:1G",
                                      "dom0_mem=1G,max:", "dom0_mem=--1G",  "dom0_mem=1G+200%"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        CHECK_EQ(cmdline_parse("dom0_mem=2G"), 0);
        CHECK_EQ(cmdline_parse(bad[i]), 1);
        CHECK_EQ(boot_opts.dom0_mem.bytes, 2 * GiB); /* a bad value changes nothing */
        CHECK(!boot_opts.dom0_mem_max.set);
    }
}

static void test_dom0_mem_resolve(void)
{
    struct mem_amount a = {true, false, GiB, 25};
    uint64_t host = 16 * GiB;

    CHECK_EQ(mem_amount_resolve(&a, host), GiB + 4 * GiB);
    a.minus = true;
    CHECK_EQ(mem_amount_resolve(&a, host), 16 * GiB - 5 * GiB);
    a.bytes = 64 * GiB;
    CHECK_EQ(mem_amount_resolve(&a, host), 0); /* host minus more than the host */
    a = (struct mem_amount){true, false, 0, 99};
    CHECK(mem_amount_resolve(&a, UINT64_MAX) > UINT64_MAX / 100 * 98); /* no overflow */

    reset();
    /* No dom0_mem: everything but min(1/16, 128 MiB). */
    CHECK_EQ(dom0_mem_bytes(1 * GiB), GiB - 64 * MiB);
    CHECK_EQ(dom0_mem_bytes(16 * GiB), 16 * GiB - 128 * MiB);
    CHECK_EQ(cmdline_parse("dom0_mem=512M"), 0);
    CHECK_EQ(dom0_mem_bytes(16 * GiB), 512 * MiB);
    CHECK_EQ(dom0_mem_bytes(256 * MiB), 256 * MiB); /* never more than available */
    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=max:1G"), 0);
    CHECK_EQ(dom0_mem_bytes(16 * GiB), GiB);
    reset();
    CHECK_EQ(cmdline_parse("dom0_mem=128M,min:50%"), 0);
    CHECK_EQ(dom0_mem_bytes(1 * GiB), 512 * MiB);
}

static void test_dom0_max_vcpus(void)
{
    struct {
        const char *arg;
        unsigned lo, hi;
    } good[] = {
        {"dom0_max_vcpus=4", 4, 4},           {"dom0_max_vcpus=2-8", 2, 8},
        {"dom0_max_vcpus=3-", 3, UINT32_MAX}, {"dom0_max_vcpus=-6", 1, 6},
        {"dom0-max-vcpus=1", 1, 1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        reset();
        CHECK_EQ(cmdline_parse(good[i].arg), 0);
        CHECK_EQ(boot_opts.dom0_max_vcpus_min, good[i].lo);
        CHECK_EQ(boot_opts.dom0_max_vcpus_max, good[i].hi);
    }
    static const char *const bad[] = {
        "dom0_max_vcpus=0",   "dom0_max_vcpus=-",  "dom0_max_vcpus=8-2", "dom0_max_vcpus=x",
        "dom0_max_vcpus=2-x", "dom0_max_vcpus=4x", "dom0_max_vcpus=1-0"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        CHECK_EQ(cmdline_parse(bad[i]), 1);
        CHECK_EQ(boot_opts.dom0_max_vcpus_min, 1);
        CHECK_EQ(boot_opts.dom0_max_vcpus_max, UINT32_MAX);
    }
}

static void test_loglvl(void)
{
    struct {
        const char *arg;
        int lvl;
    } good[] = {
        {"loglvl=none", -1},
        {"loglvl=error", LOG_ERR},
        {"loglvl=warning", LOG_WARN},
        {"loglvl=info", LOG_INFO},
        {"loglvl=debug", LOG_DEBUG},
        {"loglvl=all", LOG_DEBUG},
        {"loglvl=all/none", LOG_DEBUG},
        {"loglvl=error/warning", LOG_ERR},
    };
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        reset();
        CHECK_EQ(cmdline_parse(good[i].arg), 0);
        CHECK_EQ(boot_opts.loglvl, good[i].lvl);
        CHECK_EQ(boot_opts.guest_loglvl, LOG_WARN);
    }
    reset();
    CHECK_EQ(cmdline_parse("guest_loglvl=none/warning"), 0);
    CHECK_EQ(boot_opts.guest_loglvl, -1);
    CHECK_EQ(boot_opts.loglvl, LOG_INFO);

    static const char *const bad[] = {"loglvl=verbose", "loglvl=al",   "loglvl=all/x",
                                      "loglvl=ALL",     "loglvl=/all", "guest_loglvl=3"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        CHECK_EQ(cmdline_parse(bad[i]), 1);
        CHECK_EQ(boot_opts.loglvl, LOG_INFO);
        CHECK_EQ(boot_opts.guest_loglvl, LOG_WARN);
    }
}

static void test_debug_exit(void)
{
    reset();
    CHECK_EQ(cmdline_parse("debug_exit=501"), 0);
    CHECK_EQ(boot_opts.debug_exit_port, 501);
    CHECK_EQ(cmdline_parse("debug-exit=0x501"), 0);
    CHECK_EQ(boot_opts.debug_exit_port, 0x501);
    static const char *const bad[] = {"debug_exit=0", "debug_exit=0x10000", "debug_exit=f4",
                                      "debug_exit=12z", "debug_exit"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ(cmdline_parse(bad[i]), 1);
        CHECK_EQ(boot_opts.debug_exit_port, 0x501);
    }
}

TEST_MAIN("cmdline", TEST(test_defaults), TEST(test_typical_line),
          TEST(test_image_name_and_placeholder), TEST(test_booleans), TEST(test_unknown_options),
          TEST(test_quotes_and_long_words), TEST(test_console), TEST(test_serial_options),
          TEST(test_dom0_mem), TEST(test_dom0_mem_resolve), TEST(test_dom0_max_vcpus),
          TEST(test_loglvl), TEST(test_debug_exit))
