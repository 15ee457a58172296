/* Hypervisor console: log levels, printk, panic, and the guest-facing console byte stream. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Print a formatted message at a level; lines get a "(XEN) [  s.us]" timestamp prefix. */
void log_printf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pr_err(...) log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define pr_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)
#define printk(...) log_printf(LOG_INFO, __VA_ARGS__)

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
/* Poll the serial port for input (called from timer/idle paths). */
void console_poll(void);

#endif
