/* Console client: raw terminal <-> guest pty relay with an escape character. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "console_client.h"

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && (errno == EINTR || errno == EAGAIN)) {
            struct pollfd pf = {.fd = fd, .events = POLLOUT};
            poll(&pf, 1, 1000);
            continue;
        }
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The relay: tty_fd <-> in/out until escape, EOF or hang-up; 0 or -1 with errno. */
int console_relay(int tty_fd, int in_fd, int out_fd, int escape_char)
{
    struct pollfd pf[2] = {{.fd = tty_fd, .events = POLLIN}, {.fd = in_fd, .events = POLLIN}};
    char buf[4096];

    for (;;) {
        ssize_t n;

        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (pf[0].revents & POLLIN) {
            n = read(tty_fd, buf, sizeof(buf));
            if (n == 0 || (n < 0 && errno == EIO))
                return 0; /* the console went away */
            if (n < 0 && errno != EINTR && errno != EAGAIN)
                return -1;
            if (n > 0 && write_all(out_fd, buf, (size_t)n))
                return -1;
        } else if (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            return 0;
        }
        if (pf[1].revents & (POLLIN | POLLHUP)) {
            char *esc;
            n = read(in_fd, buf, sizeof(buf));
            if (n == 0)
                return 0;
            if (n < 0) {
                if (errno == EINTR || errno == EAGAIN)
                    continue;
                return -1;
            }
            esc = escape_char >= 0 ? memchr(buf, escape_char, (size_t)n) : NULL;
            if (write_all(tty_fd, buf, esc ? (size_t)(esc - buf) : (size_t)n))
                return -1;
            if (esc)
                return 0;
        }
    }
}

/* Attach the terminal to tty_path until escape/EOF/hang-up; 0 or -1 with errno. */
int console_attach(const char *tty_path, int escape_char)
{
    struct termios saved, raw;
    int fd = open(tty_path, O_RDWR | O_NOCTTY | O_CLOEXEC), rc, err, is_tty;

    if (fd < 0)
        return -1;
    is_tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
    if (!tcgetattr(fd, &raw)) { /* the pty itself stays raw: no echo, no line editing */
        cfmakeraw(&raw);
        tcsetattr(fd, TCSANOW, &raw);
    }
    if (is_tty) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    }
    rc = console_relay(fd, STDIN_FILENO, STDOUT_FILENO, escape_char);
    err = errno;
    if (is_tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    close(fd);
    errno = err;
    return rc;
}
