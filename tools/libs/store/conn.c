/* xstore: the connection (socket or xenbus device), message framing and the watch-event queue. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <public/io/xs_wire.h>

#include "store/store_priv.h"

#define DEFAULT_SOCKET "/var/run/xenstored/socket"
#define XENBUS_DEV     "/dev/xen/xenbus"
#define MAX_PARTS      8

struct watch_event {
    struct watch_event *next;
    char *path, *token;
};

struct xstore {
    int fd;
    int evfd;   /* eventfd: readable while watch events are queued */
    int pollfd; /* epoll over fd and evfd: what xstore_fd hands out */
    bool socket;
    int broken; /* errno every call fails with once the stream is out of step, or 0 */
    uint32_t next_req;
    struct watch_event *head, **tail;
};

static const struct {
    const char *name;
    int err;
} errnames[] = {
    {"EINVAL", EINVAL},       {"EACCES", EACCES},   {"EEXIST", EEXIST}, {"EISDIR", EISDIR},
    {"ENOENT", ENOENT},       {"ENOMEM", ENOMEM},   {"ENOSPC", ENOSPC}, {"EIO", EIO},
    {"ENOTEMPTY", ENOTEMPTY}, {"ENOSYS", ENOSYS},   {"EROFS", EROFS},   {"EBUSY", EBUSY},
    {"EAGAIN", EAGAIN},       {"EISCONN", EISCONN}, {"E2BIG", E2BIG},   {"EPERM", EPERM},
};

int xstore_errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (!strcmp(name, errnames[i].name))
            return errnames[i].err;
    return EINVAL;
}

static int connect_socket(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(a.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(a.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* One pollable fd that is readable when the connection or the event queue has something. */
static int setup_poll(struct xstore *xs)
{
    struct epoll_event ev = {.events = EPOLLIN};

    xs->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    xs->pollfd = epoll_create1(EPOLL_CLOEXEC);
    if (xs->evfd < 0 || xs->pollfd < 0)
        return -1;
    ev.data.fd = xs->fd;
    if (epoll_ctl(xs->pollfd, EPOLL_CTL_ADD, xs->fd, &ev))
        return -1;
    ev.data.fd = xs->evfd;
    return epoll_ctl(xs->pollfd, EPOLL_CTL_ADD, xs->evfd, &ev);
}

struct xstore *xstore_open_path(const char *path)
{
    struct xstore *xs = calloc(1, sizeof(*xs));
    struct stat st;

    if (!xs)
        return NULL;
    xs->tail = &xs->head;
    xs->next_req = 1;
    xs->socket = stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
    xs->evfd = xs->pollfd = -1;
    xs->fd = xs->socket ? connect_socket(path) : open(path, O_RDWR | O_CLOEXEC);
    if (xs->fd < 0 || setup_poll(xs)) {
        int e = errno;
        xstore_close(xs);
        errno = e;
        return NULL;
    }
    return xs;
}

struct xstore *xstore_open(void)
{
    const char *p = getenv("XENSTORED_PATH"), *dir = getenv("XENSTORED_RUNDIR");
    char buf[256];
    struct xstore *xs;

    if (p)
        return xstore_open_path(p);
    if (dir && (size_t)snprintf(buf, sizeof(buf), "%s/socket", dir) < sizeof(buf))
        xs = xstore_open_path(buf);
    else
        xs = xstore_open_path(DEFAULT_SOCKET);
    return xs ? xs : xstore_open_path(XENBUS_DEV);
}

static void free_event(struct watch_event *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

void xstore_close(struct xstore *xs)
{
    if (!xs)
        return;
    while (xs->head) {
        struct watch_event *w = xs->head;
        xs->head = w->next;
        free_event(w);
    }
    if (xs->pollfd >= 0)
        close(xs->pollfd);
    if (xs->evfd >= 0)
        close(xs->evfd);
    if (xs->fd >= 0)
        close(xs->fd);
    free(xs);
}

int xstore_fd(struct xstore *xs)
{
    return xs->pollfd;
}

/* Mark the connection unusable (the stream is out of step or gone) and fail with e. */
static int fail(struct xstore *xs, int e)
{
    xs->broken = e;
    errno = e;
    return -1;
}

static int read_full(struct xstore *xs, void *buf, size_t len)
{
    char *p = buf;

    while (len) {
        ssize_t n = read(xs->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(xs, errno);
        if (n == 0)
            return fail(xs, ECONNRESET); /* xenstored went away */
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read one whole message: header into *h, payload malloc'd with a NUL after it. */
static char *read_msg(struct xstore *xs, struct xsd_sockmsg *h)
{
    char *body;

    if (read_full(xs, h, sizeof(*h)))
        return NULL;
    if (h->len > XENSTORE_PAYLOAD_MAX) {
        fail(xs, EIO);
        return NULL;
    }
    body = malloc(h->len + 1);
    if (!body) {
        fail(xs, ENOMEM); /* the unread payload leaves the stream out of step */
        return NULL;
    }
    if (read_full(xs, body, h->len)) {
        free(body);
        return NULL;
    }
    body[h->len] = '\0';
    return body;
}

/* Queue a WATCH_EVENT payload "path\0token\0". */
static int queue_event(struct xstore *xs, const char *body, size_t len)
{
    size_t pl = strnlen(body, len);
    struct watch_event *w;

    if (pl == len)
        return fail(xs, EIO);
    w = calloc(1, sizeof(*w));
    if (!w)
        return -1;
    w->path = strdup(body);
    w->token = strndup(body + pl + 1, len - pl - 1);
    if (!w->path || !w->token) {
        free_event(w);
        return -1;
    }
    if (!xs->head) {
        uint64_t one = 1;
        if (write(xs->evfd, &one, sizeof(one)) != sizeof(one))
            return fail(xs, EIO);
    }
    *xs->tail = w;
    xs->tail = &w->next;
    return 0;
}

static int send_msg(struct xstore *xs, const struct xsd_sockmsg *h, const struct xstore_iov *iov,
                    unsigned int n)
{
    char buf[sizeof(*h) + XENSTORE_PAYLOAD_MAX];
    size_t len = sizeof(*h), off = 0;

    /* One write per message: the xenbus device wants whole messages. */
    memcpy(buf, h, sizeof(*h));
    for (unsigned int i = 0; i < n; i++) {
        memcpy(buf + len, iov[i].base, iov[i].len);
        len += iov[i].len;
    }
    while (off < len) {
        ssize_t w = xs->socket ? send(xs->fd, buf + off, len - off, MSG_NOSIGNAL)
                               : write(xs->fd, buf + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return fail(xs, errno == EPIPE ? ECONNRESET : errno);
        off += (size_t)w;
    }
    return 0;
}

char *xstore_request(struct xstore *xs, uint32_t type, uint32_t txn, const struct xstore_iov *iov,
                     unsigned int n, size_t *len)
{
    struct xsd_sockmsg h = {.type = type, .req_id = xs->next_req++, .tx_id = txn};
    struct xsd_sockmsg r;
    char *body;

    if (xs->broken) {
        errno = xs->broken;
        return NULL;
    }
    for (unsigned int i = 0; i < n; i++) {
        if (iov[i].len > XENSTORE_PAYLOAD_MAX - h.len) {
            errno = E2BIG; /* nothing sent: the connection stays usable */
            return NULL;
        }
        h.len += (uint32_t)iov[i].len;
    }
    if (send_msg(xs, &h, iov, n))
        return NULL;
    for (;;) {
        body = read_msg(xs, &r);
        if (!body)
            return NULL;
        if (r.type != XS_WATCH_EVENT)
            break;
        if (queue_event(xs, body, r.len)) {
            free(body);
            return NULL;
        }
        free(body);
    }
    if (r.req_id != h.req_id || (r.type != type && r.type != XS_ERROR)) {
        free(body);
        fail(xs, EIO);
        return NULL;
    }
    if (r.type == XS_ERROR) {
        errno = xstore_errno_from_name(body);
        free(body);
        return NULL;
    }
    if (len)
        *len = r.len;
    return body;
}

int xstore_request_ok(struct xstore *xs, uint32_t type, uint32_t txn, const struct xstore_iov *iov,
                      unsigned int n)
{
    char *r = xstore_request(xs, type, txn, iov, n, NULL);

    if (!r)
        return -1;
    free(r);
    return 0;
}

int xstore_read_watch(struct xstore *xs, char **path, char **token, bool nonblock)
{
    struct watch_event *w;
    struct xsd_sockmsg h;
    char *body;

    while (!xs->head) {
        if (xs->broken) {
            errno = xs->broken;
            return -1;
        }
        if (nonblock) {
            struct pollfd p = {.fd = xs->fd, .events = POLLIN};
            int rc = poll(&p, 1, 0);
            if (rc < 0)
                return -1;
            if (rc == 0) {
                errno = EAGAIN;
                return -1;
            }
        }
        body = read_msg(xs, &h);
        if (!body)
            return -1;
        if (h.type != XS_WATCH_EVENT) {
            free(body); /* no request is outstanding: a stray reply */
            return fail(xs, EIO);
        }
        if (queue_event(xs, body, h.len)) {
            free(body);
            return -1;
        }
        free(body);
    }
    w = xs->head;
    xs->head = w->next;
    *path = w->path;
    *token = w->token;
    free(w);
    if (!xs->head) {
        uint64_t v;
        xs->tail = &xs->head;
        if (read(xs->evfd, &v, sizeof(v)) != sizeof(v))
            xs->broken = EIO; /* cannot happen: the counter was set when the queue filled */
    }
    return 0;
}
