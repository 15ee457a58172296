/* xctrl internals: issuing a hypercall whose argument struct is bounced through a locked buffer. */
#ifndef XTOOLS_CTRL_PRIV_H
#define XTOOLS_CTRL_PRIV_H

#include <stddef.h>
#include <stdint.h>

struct xcall;

/*
 * Copy len bytes of arg into a hypercall buffer, issue op with that buffer's address (as the
 * first argument, or as the second after cmd when with_cmd), then copy the buffer back into arg.
 * Returns the hypercall's result, or -1 with errno.
 */
long xctrl_bounce(struct xcall *xc, unsigned int op, int with_cmd, uint64_t cmd, void *arg,
                  size_t len);

/* A hypercall buffer holding a copy of len bytes of src (NULL with errno on failure). */
void *xctrl_buf_dup(struct xcall *xc, const void *src, size_t len);

/* Host address of a hypercall buffer as a guest handle. */
#define XTOOLS_PTR(p) ((uint64_t)(uintptr_t)(p))

#endif
