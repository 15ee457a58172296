/* xcall: hypercalls from dom0 userspace through Linux's /dev/xen/privcmd and /dev/xen/hypercall. */
#ifndef XENOLITH_CALL_H
#define XENOLITH_CALL_H

#include <stddef.h>
#include <stdint.h>

struct xcall;

/* Open privcmd (and the hypercall-buffer device); NULL with errno set on failure. */
struct xcall *xcall_open(void);
/* Close a handle from xcall_open (NULL is allowed). */
void xcall_close(struct xcall *xc);
/* The privcmd file descriptor (for foreign mapping ioctls on the same handle). */
int xcall_fd(struct xcall *xc);

/* A zeroed buffer the hypervisor may read/write through (locked, never moved); NULL on failure. */
void *xcall_buf_alloc(struct xcall *xc, size_t len);
/* Release a buffer from xcall_buf_alloc of the same len. */
void xcall_buf_free(struct xcall *xc, void *buf, size_t len);

/*
 * Issue hypercall op with up to five arguments (pointers must be xcall_buf_alloc buffers).
 * Returns the hypervisor's non-negative result, or -1 with errno set to the host errno that
 * matches the Xen error (the Xen errno values are Linux's on x86).
 */
long xcall_op(struct xcall *xc, unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
              uint64_t a5);

#endif
