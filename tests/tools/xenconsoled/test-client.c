/* Host tests: the console client relay (pty <-> stdin/stdout) and its escape character. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "read_quiet.h"
#include "console_client.h"

/* Run console_relay(slave, in, out) in a child; returns its pid. */
static pid_t relay_child(int tty, int in, int out, int esc)
{
    pid_t pid = fork();

    if (pid == 0) {
        for (int fd = 3; fd < 256; fd++) /* hold only our ends, so EOF/hang-up can be seen */
            if (fd != tty && fd != in && fd != out)
                close(fd);
        _exit(console_relay(tty, in, out, esc) == 0 ? 0 : 1);
    }
    return pid;
}

static int child_status(pid_t pid)
{
    int st;

    for (int i = 0; i < 300; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
        usleep(10000);
    }
    kill(pid, 9);
    waitpid(pid, &st, 0);
    return -1; /* still running: timed out */
}

static size_t read_some(int fd, char *buf, size_t cap)
{
    return read_quiet(fd, buf, cap, 300);
}

static void close_all(const int *fds, int n)
{
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

static void raw_pty(int *m, int *s)
{
    struct termios t;

    CHECK(openpty(m, s, NULL, NULL, NULL) == 0);
    tcgetattr(*s, &t);
    cfmakeraw(&t);
    tcsetattr(*s, TCSANOW, &t);
}

static void test_relay_and_escape(void)
{
    int m, s, in[2], out[2];
    char buf[256];
    pid_t pid;

    raw_pty(&m, &s);
    CHECK(pipe(in) == 0 && pipe(out) == 0);
    pid = relay_child(s, in[0], out[1], CONSOLE_ESCAPE_DEFAULT);
    CHECK(write(m, "guest says hi", 13) == 13); /* guest output -> stdout */
    CHECK(read_some(out[0], buf, sizeof(buf)) == 13 && !memcmp(buf, "guest says hi", 13));
    CHECK(write(in[1], "ls\r", 3) == 3); /* keyboard -> guest */
    CHECK(read_some(m, buf, sizeof(buf)) == 3 && !memcmp(buf, "ls\r", 3));
    CHECK(write(in[1],
                "ab\x1d"
                "cd",
                5) == 5); /* escape: "ab" forwarded, then exit */
    CHECK(child_status(pid) == 0);
    CHECK(read_some(m, buf, sizeof(buf)) == 2 && !memcmp(buf, "ab", 2));
    close_all((int[]){m, s, in[0], in[1], out[0], out[1]}, 6);
}

static void test_end_conditions(void)
{
    int m, s, in[2], out[2];
    pid_t pid;

    /* stdin EOF ends the relay */
    raw_pty(&m, &s);
    CHECK(pipe(in) == 0 && pipe(out) == 0);
    pid = relay_child(s, in[0], out[1], CONSOLE_ESCAPE_DEFAULT);
    close(in[1]);
    CHECK(child_status(pid) == 0);
    close(in[0]);
    /* the console side going away (master closed) ends it too */
    CHECK(pipe(in) == 0);
    pid = relay_child(s, in[0], out[1], CONSOLE_ESCAPE_DEFAULT);
    usleep(20000);
    close(m);
    CHECK(child_status(pid) == 0);
    close_all((int[]){s, in[0], in[1], out[0], out[1]}, 5);
}

static void test_attach_errors(void)
{
    errno = 0;
    CHECK(console_attach("/nonexistent/pts/9", CONSOLE_ESCAPE_DEFAULT) == -1 && errno == ENOENT);
}

int main(void)
{
    test_relay_and_escape();
    test_end_conditions();
    test_attach_errors();
    return check_summary("xenconsoled test-client");
}
