/* Hypervisor console: leveled "(XEN)" log lines, panic, the log ring, dom0's console stream. */
#include <hv/console.h>
#include <hv/cmdline.h>
#include <hv/keyhandler.h>
#include <hv/lib.h>
#include <hv/spinlock.h>
#include <hv/time.h>

#define MSG_MAX    1024 /* longest single log_printf message; longer ones are cut */
#define RX_SIZE    1024 /* serial input queued for dom0 */
#define GLINE_SIZE 256  /* dom0 output is passed on a line at a time, at most this long */
#define CTRL_A     0x01

/*
 * out_lock (taken with interrupts off: the timer tick may print) protects everything the
 * output path touches: the ring, the line state below and the serial port's output.
 */
static spinlock_t out_lock = SPINLOCK_INIT;
static char conring[CONRING_SIZE];
static uint64_t conring_prod;     /* total bytes ever written to the ring */
static uint64_t conring_first;    /* oldest position a reader may see (moved by clear) */
static bool hv_line_start = true; /* next hypervisor byte starts a line: prefix due */
static bool serial_col0 = true;   /* last byte sent to the serial port was '\n' */
static bool last_was_guest;       /* the serial port's current line came from dom0 */
static char gline[GLINE_SIZE];    /* dom0 output not yet passed on */
static size_t gline_len;

/* rx_lock (interrupts off: the poll path runs in the timer tick) protects the dom0 input ring. */
static spinlock_t rx_lock = SPINLOCK_INIT;
static char rx_ring[RX_SIZE];
static uint32_t rx_prod, rx_cons;

/* Input switching state; only console_rx_char touches it (serialised by poll_lock). */
static spinlock_t poll_lock = SPINLOCK_INIT;
static bool input_dom0;
static unsigned int ctrl_a_count;

static int loglevel = LOG_INFO;
static int guest_loglevel = LOG_WARN;
static int panic_count;

/* Interrupt masking around out_lock; x86 flags, nothing to do in hosted unit tests. */
#ifdef HV_HOSTED
static inline unsigned long irq_save(void)
{
    return 0;
}
static inline void irq_restore(unsigned long flags)
{
    (void)flags;
}
#else
static inline unsigned long irq_save(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}
static inline void irq_restore(unsigned long flags)
{
    if (flags & (1UL << 9)) /* IF was set */
        __asm__ volatile("sti" : : : "memory");
}
#endif

static unsigned long out_lock_take(void)
{
    unsigned long flags = irq_save();
    spin_lock(&out_lock);
    return flags;
}

static void out_lock_drop(unsigned long flags)
{
    spin_unlock(&out_lock);
    irq_restore(flags);
}

/* ---- output path (out_lock held) ---- */

static void serial_out(const char *s, size_t len)
{
    if (!len)
        return;
    serial_puts(s, len);
    serial_col0 = s[len - 1] == '\n';
}

static void ring_put(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        conring[(conring_prod + i) % CONRING_SIZE] = s[i];
    conring_prod += len;
}

/* Write hypervisor text: a "(XEN) [seconds.micros] " prefix starts every line. */
static void hv_emit(const char *s, size_t len)
{
    if (last_was_guest && !serial_col0)
        serial_out("\n", 1); /* dom0 left a partial line on the terminal */
    last_was_guest = false;

    while (len) {
        size_t seg = 0;

        if (hv_line_start) {
            char pre[40];
            uint64_t ns = now_ns();
            int n = hv_snprintf(pre, sizeof(pre), "(XEN) [%5llu.%06llu] ",
                                (unsigned long long)(ns / 1000000000ULL),
                                (unsigned long long)(ns % 1000000000ULL / 1000));
            ring_put(pre, (size_t)n);
            serial_out(pre, (size_t)n);
            hv_line_start = false;
        }
        while (seg < len && s[seg] != '\n')
            seg++;
        if (seg < len) {
            seg++; /* include the newline */
            hv_line_start = true;
        }
        ring_put(s, seg);
        serial_out(s, seg);
        s += seg;
        len -= seg;
    }
}

/* Pass on dom0's buffered output as it is: no prefix, no ring. */
static void guest_flush(void)
{
    if (!gline_len)
        return;
    if (!last_was_guest && !serial_col0) {
        /* A hypervisor line is unfinished: end it so dom0's text starts on its own line. */
        serial_out("\n", 1);
        ring_put("\n", 1);
        hv_line_start = true;
    }
    serial_out(gline, gline_len);
    gline_len = 0;
    last_was_guest = true;
}

static void vlog(int threshold, int level, const char *fmt, va_list ap)
{
    char msg[MSG_MAX];
    unsigned long flags;
    int n;

    if (level > threshold)
        return;
    n = hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(msg)) {
        n = sizeof(msg) - 1;
        memcpy(msg + n - 4, "...\n", 4); /* show that the message was cut */
    }
    flags = out_lock_take();
    hv_emit(msg, (size_t)n);
    out_lock_drop(flags);
}

/* Print a formatted message at a level; lines get a "(XEN) [  s.us]" timestamp prefix. */
void log_printf(int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(loglevel, level, fmt, ap);
    va_end(ap);
}

/* As log_printf, but filtered by the guest log level. */
void glog_printf(int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(guest_loglevel, level, fmt, ap);
    va_end(ap);
}

/* Print a message and stop this CPU for good (after a backtrace). */
void panic(const char *fmt, ...)
{
    static const char stars[] = "****************************************\n";
    char msg[MSG_MAX];
    va_list ap;
    size_t n;

    console_force_unlock();
    if (__atomic_fetch_add(&panic_count, 1, __ATOMIC_SEQ_CST) > 0) {
        /* Panicking again (maybe from inside the first panic): say so and stop. */
        static const char again[] = "\nPANIC (recursive)\n";
        serial_puts(again, sizeof(again) - 1);
        arch_panic_halt();
    }

    va_start(ap, fmt);
    hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';

    /* Panic output is never filtered by loglvl; interrupts stay off from here on. */
    (void)out_lock_take();
    if (!hv_line_start)
        hv_emit("\n", 1);
    hv_emit("\n", 1);
    hv_emit(stars, sizeof(stars) - 1);
    hv_emit("PANIC: ", 7);
    hv_emit(msg, n);
    hv_emit("\n", 1);
    hv_emit(stars, sizeof(stars) - 1);
    hv_emit("\n", 1);
    spin_unlock(&out_lock);
    arch_panic_halt();
}

/* Break the console output lock (fault/NMI paths that may have interrupted a printk). */
void console_force_unlock(void)
{
    spin_unlock(&out_lock);
}

/* Set the threshold: messages with level > lvl are dropped ("loglvl=" option). */
void console_set_loglevel(int lvl)
{
    loglevel = lvl < -1 ? -1 : lvl > LOG_DEBUG ? LOG_DEBUG : lvl;
}

/* Current log threshold (LOG_*, -1 = none). */
int console_get_loglevel(void)
{
    return loglevel;
}

/* Threshold for gprintk messages (guest-triggered hypervisor messages, "guest_loglvl="). */
void console_set_guest_loglevel(int lvl)
{
    guest_loglevel = lvl < -1 ? -1 : lvl > LOG_DEBUG ? LOG_DEBUG : lvl;
}

/* Write raw bytes to the physical console (no prefix). */
void console_write_raw(const char *s, size_t len)
{
    unsigned long flags = out_lock_take();
    serial_out(s, len);
    out_lock_drop(flags);
}

/* Write bytes a guest (dom0) sent through console_io; line-buffered, no "(XEN)" prefix. */
void console_guest_write(const char *s, size_t len)
{
    while (len) {
        /* Bounded work per lock hold: a long write must not keep interrupts off for long. */
        size_t chunk = MIN(len, (size_t)GLINE_SIZE);
        unsigned long flags = out_lock_take();

        for (size_t i = 0; i < chunk; i++) {
            gline[gline_len++] = s[i];
            if (s[i] == '\n' || gline_len == GLINE_SIZE)
                guest_flush();
        }
        out_lock_drop(flags);
        s += chunk;
        len -= chunk;
    }
}

/* Take up to len bytes of pending serial input destined for dom0; returns the count. */
size_t console_guest_read(char *buf, size_t len)
{
    size_t n = 0;
    unsigned long flags = irq_save();

    spin_lock(&rx_lock);
    while (n < len && rx_cons != rx_prod)
        buf[n++] = rx_ring[rx_cons++ % RX_SIZE];
    spin_unlock(&rx_lock);
    irq_restore(flags);
    return n;
}

static void switch_input(void)
{
    input_dom0 = !input_dom0;
    printk("*** Serial input to %s (type 'CTRL-a' three times to switch input)\n",
           input_dom0 ? "DOM0" : "Xen");
}

static void deliver(char c)
{
    unsigned long flags;

    if (!input_dom0) {
        handle_keypress(c);
        return;
    }
    flags = irq_save();
    spin_lock(&rx_lock);
    if (rx_prod - rx_cons < RX_SIZE) /* when full, the newest input is dropped */
        rx_ring[rx_prod++ % RX_SIZE] = c;
    spin_unlock(&rx_lock);
    irq_restore(flags);
    console_notify_dom0();
}

/* Called from the serial receive path for each input byte (handles Ctrl-A switching). */
void console_rx_char(char c)
{
    if (c == CTRL_A) {
        /* CTRL-a is held back: three in a row switch the input's destination. */
        if (++ctrl_a_count == 3) {
            ctrl_a_count = 0;
            switch_input();
        }
        return;
    }
    /* Fewer than three: they were ordinary input after all. */
    for (; ctrl_a_count; ctrl_a_count--)
        deliver(CTRL_A);
    deliver(c);
}

/* True while serial input goes to dom0, false while it goes to the debug-key handlers. */
bool console_input_is_dom0(void)
{
    return input_dom0;
}

/* Poll the serial port for input and flush a pending partial dom0 line (timer/idle paths). */
void console_poll(void)
{
    unsigned long flags;

    if (spin_trylock(&poll_lock)) {
        serial_poll();
        spin_unlock(&poll_lock);
    }
    /* A prompt without a newline must still appear: pass on what dom0 left pending. */
    flags = out_lock_take();
    guest_flush();
    out_lock_drop(flags);
}

/* Apply boot_opts (loglvl=, guest_loglvl=) and program the serial ports; after cmdline_parse. */
void console_init(void)
{
    console_set_loglevel(boot_opts.loglvl);
    console_set_guest_loglevel(boot_opts.guest_loglvl);
    serial_init();
}

/* End of boot: hand serial input to dom0 (until CTRL-a is typed three times). */
void console_endboot(void)
{
    spin_lock(&poll_lock);
    ctrl_a_count = 0;
    if (!input_dom0)
        switch_input();
    spin_unlock(&poll_lock);
}

/* dom0 is gone: serial input goes to the debug keys again. */
void console_switch_input_to_xen(void)
{
    spin_lock(&poll_lock);
    ctrl_a_count = 0;
    if (input_dom0)
        switch_input();
    spin_unlock(&poll_lock);
}

/* Copy ring bytes from *pos on into buf (see console.h); returns the count. */
size_t console_ring_read(char *buf, size_t len, uint64_t *pos)
{
    unsigned long flags = out_lock_take();
    uint64_t oldest = conring_prod > CONRING_SIZE ? conring_prod - CONRING_SIZE : 0;
    uint64_t p = *pos;
    size_t n = 0;

    if (oldest < conring_first)
        oldest = conring_first;
    if (p < oldest)
        p = oldest;
    while (n < len && p < conring_prod)
        buf[n++] = conring[p++ % CONRING_SIZE];
    *pos = p;
    out_lock_drop(flags);
    return n;
}

/* Forget everything in the ring so far (`xl dmesg -c`). */
void console_ring_clear(void)
{
    unsigned long flags = out_lock_take();
    conring_first = conring_prod;
    out_lock_drop(flags);
}
