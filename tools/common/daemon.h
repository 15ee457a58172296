/* Start-up helpers shared by the dom0 daemons (xenstored, xenconsoled): detach, ready, pid file. */
#ifndef TOOLS_COMMON_DAEMON_H
#define TOOLS_COMMON_DAEMON_H

#include <signal.h>

/* Set by SIGTERM/SIGINT once daemon_catch_signals ran: the main loop should end. */
extern volatile sig_atomic_t daemon_stopping;

/*
 * Fork into the background (new session, cwd /). Returns in the child only, with a descriptor
 * for daemon_ready. The parent stays until the child is ready, then exits 0; if the child exits
 * first, the parent exits with the child's status. So `daemon --pid-file F` returns once the
 * daemon serves and F exists, which is what init scripts wait for. Exits 1 if fork fails.
 */
int daemon_detach(void);

/* Tell the parent waiting in daemon_detach that we are up; stdio goes to /dev/null. fd -1: no-op.
 */
void daemon_ready(int fd);

/*
 * Write our pid ("%d\n") to path and keep it locked while we run; 0, or -1 with errno
 * (EAGAIN/EACCES: another instance holds the lock).
 */
int daemon_write_pidfile(const char *path);

/* SIGTERM and SIGINT set daemon_stopping (interrupting poll()); SIGPIPE is ignored. */
void daemon_catch_signals(void);

/* mkdir -p dir (mode 0755); errors show up later when the directory is used. */
void daemon_mkdirs(const char *dir);

#endif
