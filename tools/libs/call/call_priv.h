/* xcall internals shared by the other dom0 libraries and their host tests. */
#ifndef XTOOLS_CALL_PRIV_H
#define XTOOLS_CALL_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <xenolith/call.h>

/*
 * A stand-in hypervisor for host tests: called for every xcall_op with the raw arguments
 * (buffer pointers are host addresses); returns a result >= 0 or a negative Xen errno.
 */
typedef long (*xcall_fake_fn)(void *ctx, unsigned int op, const uint64_t args[5]);

/* An xcall handle whose hypercalls go to fn instead of privcmd (buffers: locked anonymous). */
struct xcall *xcall_open_fake(xcall_fake_fn fn, void *ctx);

/* A zeroed handle of size bytes whose first member is the int fd of dev (opened read/write,
 * close-on-exec); NULL with errno. */
void *xtools_handle_open(const char *dev, size_t size);
/* Close the handle's fd and free it (NULL is allowed). */
void xtools_handle_close(void *h);

/* Privcmd ioctls (_IOC(_IOC_NONE, 'P', nr, size), see dom0-toolstack.md §2.2). */
#define XTOOLS_IOC(type, nr, size) (((unsigned long)(size) << 16) | ((type) << 8) | (nr))

struct privcmd_hypercall_arg {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL XTOOLS_IOC('P', 0, sizeof(struct privcmd_hypercall_arg))

#endif
