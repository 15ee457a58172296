/* xctrl: bounce an argument struct through a hypercall buffer (the hypervisor reads it by address).
 */
#include <errno.h>
#include <string.h>

#include <xenolith/call.h>

#include "ctrl/ctrl_priv.h"

void *xctrl_buf_dup(struct xcall *xc, const void *src, size_t len)
{
    void *b = xcall_buf_alloc(xc, len);

    if (b && len)
        memcpy(b, src, len);
    return b;
}

long xctrl_bounce(struct xcall *xc, unsigned int op, int with_cmd, uint64_t cmd, void *arg,
                  size_t len)
{
    void *b = xctrl_buf_dup(xc, arg, len);
    long rc;
    int e;

    if (!b)
        return -1;
    if (with_cmd)
        rc = xcall_op(xc, op, cmd, XTOOLS_PTR(b), 0, 0, 0);
    else
        rc = xcall_op(xc, op, XTOOLS_PTR(b), 0, 0, 0, 0);
    e = errno;
    memcpy(arg, b, len);
    xcall_buf_free(xc, b, len);
    errno = e;
    return rc;
}
