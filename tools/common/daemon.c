/* Detaching a daemon with a readiness pipe, and a locked pid file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"

volatile sig_atomic_t daemon_stopping;

static void on_stop(int sig)
{
    (void)sig;
    daemon_stopping = 1;
}

/* SIGTERM/SIGINT end the main loop; SIGPIPE is ignored. */
void daemon_catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: poll() returns EINTR */

    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* mkdir -p dir. */
void daemon_mkdirs(const char *dir)
{
    char buf[4096];

    snprintf(buf, sizeof(buf), "%s/", dir);
    for (char *s = buf + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(buf, 0755);
        *s = '/';
    }
}

/* Fork; the parent waits for the child's "ready" byte or its exit. Returns in the child. */
int daemon_detach(void)
{
    int p[2], status;
    pid_t pid;
    char c;

    if (pipe2(p, O_CLOEXEC)) {
        perror("pipe");
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid > 0) {
        close(p[1]);
        if (read(p[0], &c, 1) == 1)
            _exit(0);
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
            _exit(WEXITSTATUS(status));
        _exit(1);
    }
    close(p[0]);
    setsid();
    if (chdir("/"))
        perror("chdir /");
    return p[1];
}

/* Tell the waiting parent we are up; stdio goes to /dev/null. */
void daemon_ready(int fd)
{
    int null;

    if (fd < 0)
        return;
    null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2)
            close(null);
    }
    if (write(fd, "r", 1) != 1) {
        /* the parent is gone: nobody to tell */
    }
    close(fd);
}

/* Write our pid to path and keep it locked while we run; 0 or -1 with errno. */
int daemon_write_pidfile(const char *path)
{
    char buf[32];
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644), len;

    if (fd < 0)
        return -1;
    if (lockf(fd, F_TLOCK, 0) || ftruncate(fd, 0)) {
        close(fd);
        return -1;
    }
    len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    if (write(fd, buf, (size_t)len) != len) {
        close(fd);
        return -1;
    }
    return 0; /* fd stays open: the lock lasts as long as the process */
}

/* Detach unless foreground, then write the pid file; exits 1 if it cannot. */
int daemon_start(const char *name, bool foreground, const char *pidfile)
{
    int ready = foreground ? -1 : daemon_detach();

    if (pidfile && daemon_write_pidfile(pidfile)) {
        fprintf(stderr, "%s: cannot write pid file %s: %s\n", name, pidfile, strerror(errno));
        exit(1);
    }
    return ready;
}

/* unlink the pid file, if there is one. */
void daemon_remove_pidfile(const char *pidfile)
{
    if (pidfile)
        unlink(pidfile);
}

/* Remove the pid file; 1. */
int daemon_start_failed(const char *pidfile)
{
    daemon_remove_pidfile(pidfile);
    return 1;
}

/* Exit 2 if getopt_long left an operand. */
void daemon_no_operands(const char *name, int argc, char **argv)
{
    if (optind != argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", name, argv[optind]);
        exit(2);
    }
}
