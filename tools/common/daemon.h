/* Start-up helpers shared by the dom0 daemons (xenstored, xenconsoled): detach, ready, pid file. */
#ifndef TOOLS_COMMON_DAEMON_H
#define TOOLS_COMMON_DAEMON_H

#include <signal.h>
#include <stdbool.h>

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

/*
 * Start-up as both daemons do it: daemon_detach unless foreground, then the pid file (if any).
 * The descriptor for daemon_ready (-1 in the foreground); exits 1 with "name: cannot write pid
 * file ..." on stderr if the pid file cannot be written.
 */
int daemon_start(const char *name, bool foreground, const char *pidfile);

/* Remove the pid file (NULL: none) as the daemon ends. */
void daemon_remove_pidfile(const char *pidfile);

/* Start-up failed after daemon_start: remove the pid file; returns main's exit status, 1. */
int daemon_start_failed(const char *pidfile);

/* After getopt_long: exit 2 with "name: unexpected argument ..." if any operand is left. */
void daemon_no_operands(const char *name, int argc, char **argv);

/* SIGTERM and SIGINT set daemon_stopping (interrupting poll()); SIGPIPE is ignored. */
void daemon_catch_signals(void);

/* mkdir -p dir (mode 0755); errors show up later when the directory is used. */
void daemon_mkdirs(const char *dir);

#endif
