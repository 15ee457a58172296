// Unit test: console line prefixes, level filtering, log ring, dom0 stream, CTRL-a switching, keys.
// SOURCES: hv/common/console.c hv/common/keyhandler.c hv/common/lib/vsnprintf.c
#include "harness.h"
#include <hv/console.h>
#include <hv/cmdline.h>
#include <hv/keyhandler.h>
#include <hv/lib.h>
#include <setjmp.h>
#include <string.h>

/* ---- fakes for the hooks the console calls ---- */
static uint64_t fake_ns;
static char out[65536]; /* everything "sent to the serial port" */
static size_t out_len;
static int serial_inits, notifies, pa_dumps, xm_dumps, halts;
static const char *poll_feed; /* bytes the fake UART "receives" on the next poll */
static jmp_buf panic_jmp;
struct boot_options boot_opts; /* console_init reads it; cmdline.c is tested on its own */

uint64_t now_ns(void)
{
    return fake_ns;
}
void serial_init(void)
{
    serial_inits++;
}
void serial_puts(const char *s, size_t len)
{
    if (out_len + len < sizeof(out)) {
        memcpy(out + out_len, s, len);
        out_len += len;
        out[out_len] = '\0';
    }
}
void serial_poll(void)
{
    for (; poll_feed && *poll_feed; poll_feed++)
        console_rx_char(*poll_feed);
}
void console_notify_dom0(void)
{
    notifies++;
}
void arch_panic_halt(void)
{
    halts++;
    longjmp(panic_jmp, 1);
}
void page_alloc_dump(void)
{
    pa_dumps++;
}
void xmalloc_dump(void)
{
    xm_dumps++;
}

static void clear_out(void)
{
    out_len = 0;
    out[0] = '\0';
}

static void test_prefix_and_timestamp(void)
{
    clear_out();
    fake_ns = 1234567890ULL; /* 1.234567890 s */
    printk("hello %d\n", 42);
    CHECK(strcmp(out, "(XEN) [    1.234567] hello 42\n") == 0);

    clear_out();
    fake_ns = 12345000001000ULL;
    printk("two\nlines\n");
    CHECK(strcmp(out, "(XEN) [12345.000001] two\n(XEN) [12345.000001] lines\n") == 0);

    /* A line built from several calls gets one prefix. */
    clear_out();
    fake_ns = 0;
    printk("part1 ");
    fake_ns = 5000000000ULL;
    printk("part2\n");
    CHECK(strcmp(out, "(XEN) [    0.000000] part1 part2\n") == 0);
}

static void test_level_filter(void)
{
    fake_ns = 0;
    console_set_loglevel(LOG_INFO);
    clear_out();
    pr_debug("debug\n");
    CHECK_EQ(out_len, 0);
    pr_info("info\n");
    pr_warn("warn\n");
    pr_err("err\n");
    CHECK(strstr(out, "info") && strstr(out, "warn") && strstr(out, "err"));

    console_set_loglevel(LOG_ERR);
    clear_out();
    pr_info("info\n");
    pr_warn("warn\n");
    CHECK_EQ(out_len, 0);
    pr_err("err\n");
    CHECK(strstr(out, "err") != NULL);

    console_set_loglevel(-1);
    clear_out();
    pr_err("nothing\n");
    CHECK_EQ(out_len, 0);
    CHECK_EQ(console_get_loglevel(), -1);

    console_set_loglevel(99); /* clamped to "all" */
    CHECK_EQ(console_get_loglevel(), LOG_DEBUG);
    clear_out();
    pr_debug("dbg\n");
    CHECK(strstr(out, "dbg") != NULL);

    /* gprintk follows the guest level, not the hypervisor one. */
    console_set_guest_loglevel(LOG_WARN);
    clear_out();
    gprintk(LOG_INFO, "ginfo\n");
    CHECK_EQ(out_len, 0);
    gprintk(LOG_WARN, "gwarn\n");
    CHECK(strstr(out, "gwarn") != NULL);
    console_set_loglevel(LOG_INFO);
}

static void test_console_init_applies_options(void)
{
    boot_opts.loglvl = LOG_DEBUG; /* as "loglvl=all guest_loglvl=error" leave it */
    boot_opts.guest_loglvl = LOG_ERR;
    int before = serial_inits;
    console_init();
    CHECK_EQ(serial_inits, before + 1);
    CHECK_EQ(console_get_loglevel(), LOG_DEBUG);
    clear_out();
    gprintk(LOG_WARN, "hidden\n");
    CHECK_EQ(out_len, 0);
    boot_opts.loglvl = LOG_INFO;
    boot_opts.guest_loglvl = LOG_WARN;
    console_init();
    CHECK_EQ(console_get_loglevel(), LOG_INFO);
    clear_out();
    gprintk(LOG_WARN, "shown\n");
    CHECK(strstr(out, "shown") != NULL);
}

static void test_long_message_cut(void)
{
    char big[3000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    clear_out();
    printk("%s\n", big);
    CHECK(out_len < 1100);
    CHECK(out_len > 1000);
    CHECK(strstr(out, "...\n") != NULL);
}

static void test_ring(void)
{
    char buf[CONRING_SIZE + 100];
    uint64_t pos = 0;
    size_t n;

    console_ring_clear();
    CHECK_EQ(console_ring_read(buf, sizeof(buf), &pos), 0);

    fake_ns = 2000000ULL;
    pr_info("ring one\n");
    pr_debug("not in ring\n"); /* filtered messages are not kept either */
    n = console_ring_read(buf, sizeof(buf), &pos);
    buf[n] = '\0';
    CHECK(strcmp(buf, "(XEN) [    0.002000] ring one\n") == 0);

    /* Incremental: only what is new since pos. */
    console_guest_write("guest text\n", 11); /* dom0 output does not go into the ring */
    pr_info("ring two\n");
    n = console_ring_read(buf, sizeof(buf), &pos);
    buf[n] = '\0';
    CHECK(strcmp(buf, "(XEN) [    0.002000] ring two\n") == 0);

    /* Small reads advance in pieces. */
    uint64_t p2 = 0;
    char piece[8];
    n = console_ring_read(piece, 5, &p2);
    CHECK_EQ(n, 5);
    CHECK(memcmp(piece, "(XEN)", 5) == 0);

    /* Overflow: only the newest CONRING_SIZE bytes remain; old positions skip ahead. */
    for (int i = 0; i < 1000; i++)
        pr_info("filler line %04d\n", i);
    pos = 0;
    n = console_ring_read(buf, sizeof(buf), &pos);
    CHECK_EQ(n, CONRING_SIZE);
    buf[n] = '\0';
    CHECK(strstr(buf, "filler line 0999\n") != NULL);
    CHECK(strstr(buf, "filler line 0000") == NULL);
    CHECK(memcmp(buf + n - 5, "0999\n", 5) == 0);

    console_ring_clear();
    pos = 0;
    CHECK_EQ(console_ring_read(buf, sizeof(buf), &pos), 0);
    pr_info("after clear\n");
    n = console_ring_read(buf, sizeof(buf), &pos);
    buf[n] = '\0';
    CHECK(strstr(buf, "after clear") != NULL);
    CHECK(strstr(buf, "filler") == NULL);
}

static void test_guest_output(void)
{
    fake_ns = 0;
    clear_out();
    console_guest_write("login: ", 7); /* partial line: held */
    CHECK_EQ(out_len, 0);
    console_guest_write("root\nnext", 9);
    CHECK(strcmp(out, "login: root\n") == 0); /* complete lines pass, unprefixed */
    console_poll();                           /* the pending partial line appears */
    CHECK(strcmp(out, "login: root\nnext") == 0);

    /* A hypervisor line after dom0's partial line starts on a new line. */
    printk("hv\n");
    CHECK(strcmp(out, "login: root\nnext\n(XEN) [    0.000000] hv\n") == 0);

    /* A dom0 line does not glue onto an unfinished hypervisor line. */
    clear_out();
    printk("hv partial");
    console_guest_write("g\n", 2);
    printk(" rest\n");
    CHECK(strcmp(out, "(XEN) [    0.000000] hv partial\ng\n(XEN) [    0.000000]  rest\n") == 0);

    /* Lines longer than the buffer go out in pieces, nothing lost. */
    char big[700];
    memset(big, 'q', sizeof(big));
    clear_out();
    console_guest_write(big, sizeof(big));
    CHECK(out_len >= 512 && out_len < sizeof(big));
    console_poll();
    CHECK_EQ(out_len, sizeof(big));
    console_guest_write("\n", 1);
    CHECK_EQ(out_len, sizeof(big) + 1);
}

static void test_raw_write(void)
{
    clear_out();
    console_write_raw("raw\n", 4);
    CHECK(strcmp(out, "raw\n") == 0);
}

static int q_presses;
static void q_handler(char key)
{
    CHECK_EQ(key, 'q');
    q_presses++;
}

static void type(const char *s)
{
    for (; *s; s++)
        console_rx_char(*s);
}

static void test_input_switching(void)
{
    char buf[64];
    size_t n;

    register_keyhandler('q', q_handler, "dump domains");
    CHECK(!console_input_is_dom0()); /* during boot, input goes to Xen */

    clear_out();
    console_endboot();
    CHECK(console_input_is_dom0());
    CHECK(strstr(out, "(XEN) [") != NULL);
    CHECK(strstr(out, "*** Serial input to DOM0 (type 'CTRL-a' three times to switch input)\n"));

    int before = notifies;
    type("ls\r");
    CHECK_EQ(notifies, before + 3);
    n = console_guest_read(buf, sizeof(buf));
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "ls\r", 3) == 0);
    CHECK_EQ(console_guest_read(buf, sizeof(buf)), 0);

    /* One or two CTRL-a followed by something else are passed on as typed. */
    type("\x01x\x01\x01y");
    n = console_guest_read(buf, sizeof(buf));
    CHECK_EQ(n, 5);
    CHECK(memcmp(buf, "\x01x\x01\x01y", 5) == 0);
    CHECK(console_input_is_dom0());

    /* Three switch to Xen; keys then run handlers and dom0 sees nothing. */
    clear_out();
    type("\x01\x01\x01");
    CHECK(!console_input_is_dom0());
    CHECK(strstr(out, "*** Serial input to Xen (type 'CTRL-a' three times to switch input)\n"));
    CHECK_EQ(console_guest_read(buf, sizeof(buf)), 0);

    clear_out();
    type("h");
    CHECK(strstr(out, "'h'") != NULL);
    CHECK(strstr(out, "'m'") != NULL);
    CHECK(strstr(out, "'q'       dump domains") != NULL);
    type("q");
    CHECK_EQ(q_presses, 1);
    int pa = pa_dumps, xm = xm_dumps;
    type("m");
    CHECK_EQ(pa_dumps, pa + 1);
    CHECK_EQ(xm_dumps, xm + 1);
    clear_out();
    type("Z");
    CHECK(strstr(out, "No debug key 'Z'; press 'h'") != NULL);
    clear_out();
    type("\x02");
    CHECK(strstr(out, "0x02") != NULL);
    CHECK_EQ(console_guest_read(buf, sizeof(buf)), 0);

    /* Input arriving through the serial poll path takes the same route. */
    clear_out();
    poll_feed = "\x01\x01\x01ok";
    console_poll();
    CHECK(console_input_is_dom0());
    CHECK(strstr(out, "Serial input to DOM0") != NULL);
    n = console_guest_read(buf, sizeof(buf));
    CHECK_EQ(n, 2);
    CHECK(memcmp(buf, "ok", 2) == 0);

    /* Six CTRL-a: Xen and back. */
    type("\x01\x01\x01\x01\x01\x01");
    CHECK(console_input_is_dom0());
}

static void test_rx_ring_full(void)
{
    char buf[2048];

    CHECK(console_input_is_dom0());
    for (int i = 0; i < 1100; i++)
        console_rx_char((char)('a' + i % 26));
    size_t n = console_guest_read(buf, sizeof(buf));
    CHECK_EQ(n, 1024); /* the ring holds 1 KiB; the newest input was dropped */
    CHECK_EQ(buf[0], 'a');
    CHECK_EQ(buf[1023], (char)('a' + 1023 % 26));
    /* Partial reads keep the rest queued. */
    type("abcdef");
    CHECK_EQ(console_guest_read(buf, 4), 4);
    CHECK_EQ(console_guest_read(buf, sizeof(buf)), 2);
    CHECK(memcmp(buf, "ef", 2) == 0);
}

static void test_register_keyhandler(void)
{
    clear_out();
    register_keyhandler((char)0xe9, q_handler, "not ascii");
    CHECK(strstr(out, "not 7-bit") != NULL);
    type("\x01\x01\x01");                 /* to Xen */
    register_keyhandler('q', NULL, NULL); /* unregister */
    clear_out();
    type("q");
    CHECK(strstr(out, "No debug key 'q'") != NULL);
    CHECK_EQ(q_presses, 1);
    type("\x01\x01\x01"); /* back to dom0 */
}

static void test_panic(void)
{
    console_set_loglevel(-1); /* panics print whatever the level */
    clear_out();
    fake_ns = 3000000000ULL;
    printk("dropped\n");
    if (!setjmp(panic_jmp))
        panic("it broke: %d\n", 7);
    CHECK_EQ(halts, 1);
    CHECK(strstr(out, "dropped") == NULL);
    CHECK(strstr(out, "(XEN) [    3.000000] PANIC: it broke: 7\n") != NULL);
    CHECK(strstr(out, "(XEN) [    3.000000] ****************************************\n"));
    /* The banner also lands in the ring for xl dmesg. */
    char buf[CONRING_SIZE];
    uint64_t pos = 0;
    size_t n = console_ring_read(buf, sizeof(buf) - 1, &pos);
    buf[n] = '\0';
    CHECK(strstr(buf, "PANIC: it broke: 7") != NULL);

    /* A panic while panicking just stops. */
    clear_out();
    if (!setjmp(panic_jmp))
        panic("again");
    CHECK_EQ(halts, 2);
    CHECK(strstr(out, "recursive") != NULL);
    CHECK(strstr(out, "again") == NULL);
}

TEST_MAIN("console", TEST(test_prefix_and_timestamp), TEST(test_level_filter),
          TEST(test_console_init_applies_options), TEST(test_long_message_cut), TEST(test_ring),
          TEST(test_guest_output), TEST(test_raw_write), TEST(test_input_switching),
          TEST(test_rx_ring_full), TEST(test_register_keyhandler), TEST(test_panic))
