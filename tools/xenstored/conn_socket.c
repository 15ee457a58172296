/* Unix-socket connections: listening, accepting, non-blocking reads and writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conn_socket.h"

static void sock_destroy(struct conn *c)
{
    close(sock_fd(c));
}

static const struct conn_ops sock_ops = {sock_destroy};

/* Listening socket at path (replacing a stale one), mode 0600; fd or -1. */
int sock_listen(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -1;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) || listen(fd, 64)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Accept one client as a privileged dom0 connection; NULL if none. */
struct conn *sock_accept(int lfd)
{
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (fd < 0)
        return NULL;
    return conn_new(0, true, &sock_ops, (void *)(intptr_t)fd);
}

/* True if c is a socket connection. */
bool sock_is(const struct conn *c)
{
    return c->ops == &sock_ops;
}

/* Its file descriptor. */
int sock_fd(const struct conn *c)
{
    return (int)(intptr_t)c->priv;
}

/* Read and handle what is available; -1 if the connection ended or misbehaved. */
int sock_read(struct conn *c)
{
    char buf[4096];
    ssize_t n = read(sock_fd(c), buf, sizeof(buf));

    if (n < 0)
        return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    if (n == 0)
        return -1;
    return conn_input(c, buf, (size_t)n);
}

/* Write what is pending; -1 on a dead peer. */
int sock_write(struct conn *c)
{
    while (conn_out_pending(c)) {
        ssize_t n = send(sock_fd(c), conn_out_data(c), conn_out_pending(c), MSG_NOSIGNAL);
        if (n < 0)
            return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
        conn_out_consume(c, (size_t)n);
    }
    return 0;
}
