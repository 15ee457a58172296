/* Unix-socket connections (privileged local clients such as xenstore-utils and libxl). */
#ifndef XENSTORED_CONN_SOCKET_H
#define XENSTORED_CONN_SOCKET_H

#include "xenstored.h"

/* Listening socket at path (replacing a stale one), mode 0600; fd or -1. */
int sock_listen(const char *path);
/* Accept one client as a privileged dom0 connection; NULL if none. */
struct conn *sock_accept(int lfd);
/* True if c is a socket connection. */
bool sock_is(const struct conn *c);
/* Its file descriptor. */
int sock_fd(const struct conn *c);
/* Read and handle what is available; -1 if the connection ended or misbehaved. */
int sock_read(struct conn *c);
/* Write what is pending; -1 on a dead peer. */
int sock_write(struct conn *c);

#endif /* XENSTORED_CONN_SOCKET_H */
