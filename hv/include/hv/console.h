/* Hypervisor console: log levels, printk, panic, and the guest-facing console byte stream. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Print a formatted message at a level; lines get a "(XEN) [  s.us]" timestamp prefix. */
void log_printf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pr_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)
#define printk(...)   log_printf(LOG_INFO, __VA_ARGS__)

/* Print a message and stop this CPU for good (after a backtrace). */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Set the threshold: messages with level > lvl are dropped ("loglvl=" option). */
void console_set_loglevel(int lvl);
/* Write raw bytes to the physical console (no prefix). */
void console_write_raw(const char *s, size_t len);
/* Write bytes a guest (dom0) sent through console_io; line-buffered, no "(XEN)" prefix. */
void console_guest_write(const char *s, size_t len);
/* Take up to len bytes of pending serial input destined for dom0; returns the count. */
size_t console_guest_read(char *buf, size_t len);
/* Called from the serial receive path for each input byte (handles Ctrl-A switching). */
void console_rx_char(char c);
/* Poll the serial port for input and flush a pending partial dom0 line (timer/idle paths). */
void console_poll(void);

/* Apply boot_opts (loglvl=, guest_loglvl=) and program the serial ports; after cmdline_parse. */
void console_init(void);
/* End of boot: hand serial input to dom0 (until CTRL-a is typed three times). */
void console_endboot(void);
/* dom0 is gone: serial input goes to the debug keys again. */
void console_switch_input_to_xen(void);
/* Break the console output lock (fault/NMI paths that may have interrupted a printk). */
void console_force_unlock(void);
/* Current log threshold (LOG_*, -1 = none). */
int console_get_loglevel(void);
/* Threshold for gprintk messages (guest-triggered hypervisor messages, "guest_loglvl="). */
void console_set_guest_loglevel(int lvl);
/* As log_printf, but filtered by the guest log level. */
void glog_printf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define gprintk(level, ...) glog_printf(level, __VA_ARGS__)
/* True while serial input goes to dom0, false while it goes to the debug-key handlers. */
bool console_input_is_dom0(void);

/*
 * The console ring keeps the last CONRING_SIZE bytes of hypervisor log output (with the
 * "(XEN) [ts] " prefixes) for `xl dmesg`. Positions are absolute byte counts since boot.
 * Copy up to len bytes starting at *pos into buf and advance *pos; if *pos is older than
 * what the ring still holds, reading starts at the oldest byte kept. Returns the count.
 */
#define CONRING_SIZE 16384
size_t console_ring_read(char *buf, size_t len, uint64_t *pos);
/* Forget everything in the ring so far (`xl dmesg -c`). */
void console_ring_clear(void);

/* ---- Hooks the console calls, implemented elsewhere ---- */
/* Arch (lead): print a backtrace, stop the other CPUs and halt (or reboot unless noreboot). */
void arch_panic_halt(void) __attribute__((noreturn));
/* Hypercall code: serial input for dom0 was queued; raise VIRQ_CONSOLE for dom0. */
void console_notify_dom0(void);
/* Text from domain d (not dom0) for the log: printed a line at a time as "(dN) text", control
 * characters replaced (hv/common/console_io.c). */
struct domain;
void console_domu_write(struct domain *d, const char *s, size_t n);
/* Serial driver (ns16550.c): program the ports boot_opts.console selects. */
void serial_init(void);
/* Serial driver: write bytes to every console port ('\n' goes out as "\r\n"). */
void serial_puts(const char *s, size_t len);
/* Serial driver: pass each received byte to console_rx_char(). */
void serial_poll(void);

#endif
