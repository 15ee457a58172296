/* The client side of a guest console (`xl console`, xenconsole): relay a terminal to its pty. */
#ifndef XENCONSOLED_CONSOLE_CLIENT_H
#define XENCONSOLED_CONSOLE_CLIENT_H

#define CONSOLE_ESCAPE_DEFAULT 0x1d /* Ctrl-] */

struct xstore;

/*
 * Attach the caller's terminal (stdin/stdout) to the console pty at tty_path until the user
 * types escape_char (not forwarded), stdin ends, or the pty goes away. stdin, if a terminal, is
 * raw meanwhile and restored after. 0 on escape/EOF/pty gone, or -1 with errno (e.g. the path
 * cannot be opened).
 */
int console_attach(const char *tty_path, int escape_char);

/*
 * The relay itself: tty_fd <-> (in_fd, out_fd) until escape_char arrives on in_fd (bytes before
 * it are forwarded), in_fd ends, or tty_fd reports end/hang-up/EIO. 0, or -1 with errno.
 */
int console_relay(int tty_fd, int in_fd, int out_fd, int escape_char);

/*
 * The pty path xenconsoled wrote to /local/domain/<domid>/console/tty, waiting up to timeout_ms
 * for it to appear (client_xs.c; needs the tool libraries). malloc'd, or NULL with errno
 * (ENOENT: no console came up in time).
 */
char *console_tty_path(struct xstore *xs, unsigned int domid, int timeout_ms);

#endif
