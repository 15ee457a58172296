/* xcall: hypercalls through /dev/xen/privcmd with argument buffers from /dev/xen/hypercall. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "call/call_priv.h"

#define PAGE      4096UL
#define CACHE_MAX 8 /* single-page buffers kept for reuse (most calls need one page) */
#define PRIVCMD   "/dev/xen/privcmd"
#define HYPERCALL "/dev/xen/hypercall"

struct xcall {
    int fd;     /* privcmd, or -1 for a fake handle */
    int buf_fd; /* /dev/xen/hypercall, or -1: anonymous mlock'ed memory */
    xcall_fake_fn fake;
    void *fake_ctx;
    void *cache[CACHE_MAX];
    unsigned int nr_cached;
};

_Static_assert(sizeof(struct privcmd_hypercall_arg) == 48, "privcmd_hypercall layout");

static struct xcall *xcall_new(void)
{
    struct xcall *xc = calloc(1, sizeof(*xc));

    if (xc) {
        xc->fd = -1;
        xc->buf_fd = -1;
    }
    return xc;
}

struct xcall *xcall_open(void)
{
    struct xcall *xc = xcall_new();

    if (!xc)
        return NULL;
    xc->fd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
    if (xc->fd < 0) {
        int e = errno;
        free(xc);
        errno = e;
        return NULL;
    }
    /* Older kernels lack privcmd-buf: fall back to locked anonymous memory. */
    xc->buf_fd = open(HYPERCALL, O_RDWR | O_CLOEXEC);
    return xc;
}

struct xcall *xcall_open_fake(xcall_fake_fn fn, void *ctx)
{
    struct xcall *xc = xcall_new();

    if (xc) {
        xc->fake = fn;
        xc->fake_ctx = ctx;
    }
    return xc;
}

static size_t buf_bytes(size_t len)
{
    return len ? (len + PAGE - 1) & ~(PAGE - 1) : PAGE;
}

static void *map_pages(struct xcall *xc, size_t bytes)
{
    void *p;

    if (xc->buf_fd >= 0) {
        p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, xc->buf_fd, 0);
        return p == MAP_FAILED ? NULL : p;
    }
    p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    /* Never swapped out, never copied on write into a forked child under the hypervisor. */
    if (mlock(p, bytes) || madvise(p, bytes, MADV_DONTFORK)) {
        int e = errno;
        munmap(p, bytes);
        errno = e;
        return NULL;
    }
    return p;
}

void xcall_close(struct xcall *xc)
{
    if (!xc)
        return;
    for (unsigned int i = 0; i < xc->nr_cached; i++)
        munmap(xc->cache[i], PAGE);
    if (xc->buf_fd >= 0)
        close(xc->buf_fd);
    if (xc->fd >= 0)
        close(xc->fd);
    free(xc);
}

int xcall_fd(struct xcall *xc)
{
    return xc->fd;
}

void *xcall_buf_alloc(struct xcall *xc, size_t len)
{
    size_t bytes = buf_bytes(len);
    void *p;

    if (bytes == PAGE && xc->nr_cached) {
        p = xc->cache[--xc->nr_cached];
        memset(p, 0, PAGE);
        return p;
    }
    return map_pages(xc, bytes);
}

void xcall_buf_free(struct xcall *xc, void *buf, size_t len)
{
    size_t bytes = buf_bytes(len);
    int e = errno;

    if (!buf)
        return;
    if (bytes == PAGE && xc->nr_cached < CACHE_MAX)
        xc->cache[xc->nr_cached++] = buf;
    else
        munmap(buf, bytes);
    errno = e;
}

long xcall_op(struct xcall *xc, unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
              uint64_t a5)
{
    struct privcmd_hypercall_arg hc = {.op = op, .arg = {a1, a2, a3, a4, a5}};
    long rc;

    if (xc->fake) {
        rc = xc->fake(xc->fake_ctx, op, hc.arg);
        if (rc < 0) {
            errno = (int)-rc;
            return -1;
        }
        return rc;
    }
    /* privcmd returns the hypervisor's result; a negative Xen errno becomes -1 + errno. */
    return ioctl(xc->fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
}
