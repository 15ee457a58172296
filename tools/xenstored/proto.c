/* Wire framing: 16-byte header, bounded payload, one message at a time; errno names. */
#include <errno.h>
#include <string.h>

#include "xenstored.h"

/* Feed received bytes; handles each complete message. 0, or -1 if c must be dropped. */
int conn_input(struct conn *c, const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        size_t n;
        if (c->hdr_got < sizeof(c->hdr)) {
            n = sizeof(c->hdr) - c->hdr_got;
            n = n < len ? n : len;
            memcpy((char *)&c->hdr + c->hdr_got, p, n);
            c->hdr_got += (unsigned int)n;
            if (c->hdr_got == sizeof(c->hdr) && c->hdr.len > XENSTORE_PAYLOAD_MAX) {
                xs_trace("conn %u: payload length %u too long, dropping", c->domid, c->hdr.len);
                return -1;
            }
        } else {
            n = c->hdr.len - c->in_got;
            n = n < len ? n : len;
            memcpy(c->in + c->in_got, p, n);
            c->in_got += (unsigned int)n;
        }
        p += n;
        len -= n;
        if (c->hdr_got == sizeof(c->hdr) && c->in_got == c->hdr.len) {
            struct xsd_sockmsg h = c->hdr;
            c->hdr_got = c->in_got = 0;
            xs_dispatch(c, &h, c->in);
        }
    }
    return 0;
}

static const struct {
    int err;
    const char *name;
} errnames[] = {
    {EINVAL, "EINVAL"},       {EACCES, "EACCES"},   {EEXIST, "EEXIST"}, {EISDIR, "EISDIR"},
    {ENOENT, "ENOENT"},       {ENOMEM, "ENOMEM"},   {ENOSPC, "ENOSPC"}, {EIO, "EIO"},
    {ENOTEMPTY, "ENOTEMPTY"}, {ENOSYS, "ENOSYS"},   {EROFS, "EROFS"},   {EBUSY, "EBUSY"},
    {EAGAIN, "EAGAIN"},       {EISCONN, "EISCONN"}, {E2BIG, "E2BIG"},   {EPERM, "EPERM"},
};

/* Name of an errno value as sent in XS_ERROR ("EINVAL" for unknown ones). */
const char *xs_errname(int err)
{
    for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (errnames[i].err == err)
            return errnames[i].name;
    return "EINVAL";
}
