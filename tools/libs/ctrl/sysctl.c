/* xctrl: host-wide queries (physinfo, scheduler, console ring) and xen_version. */
#include <errno.h>
#include <string.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>

#include "ctrl/ctrl_priv.h"

int xctrl_physinfo(struct xcall *xc, struct xen_sysctl_physinfo *pi)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};

    if (xctrl_sysctl(xc, &op))
        return -1;
    *pi = op.u.physinfo;
    return 0;
}

int xctrl_sched_id(struct xcall *xc, uint32_t *id)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_sched_id};

    if (xctrl_sysctl(xc, &op))
        return -1;
    *id = op.u.sched_id.sched_id;
    return 0;
}

long xctrl_readconsole(struct xcall *xc, char *buf, size_t len, int clear, uint32_t *index)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_readconsole};
    struct xen_sysctl_readconsole *r = &op.u.readconsole;
    char *b;
    long rc;
    int e;

    if (len > UINT32_MAX)
        len = UINT32_MAX;
    b = xcall_buf_alloc(xc, len);
    if (!b)
        return -1;
    r->clear = clear != 0;
    r->incremental = index != NULL;
    r->index = index ? *index : 0;
    r->buffer = XTOOLS_PTR(b);
    r->count = (uint32_t)len;
    rc = xctrl_sysctl(xc, &op);
    e = errno;
    if (!rc) {
        rc = r->count <= len ? (long)r->count : -1;
        if (rc < 0)
            e = EIO;
        else
            memcpy(buf, b, (size_t)rc);
        if (index)
            *index = r->index;
    }
    xcall_buf_free(xc, b, len);
    errno = e;
    return rc;
}

int xctrl_version(struct xcall *xc, int *major, int *minor)
{
    long v = xcall_op(xc, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);

    if (v < 0)
        return -1;
    *major = (int)(v >> 16);
    *minor = (int)(v & 0xffff);
    return 0;
}

/* Bytes the hypervisor writes for each string query (its fixed-size type). */
static size_t version_len(int cmd)
{
    switch (cmd) {
    case XENVER_extraversion:
        return XEN_EXTRAVERSION_LEN;
    case XENVER_capabilities:
        return XEN_CAPABILITIES_INFO_LEN;
    case XENVER_changeset:
        return XEN_CHANGESET_INFO_LEN;
    case XENVER_commandline:
        return XEN_COMMANDLINE_LEN;
    default:
        return 0;
    }
}

/* xen_version(cmd) into a hypercall buffer of len bytes, copied to out. */
static int version_query(struct xcall *xc, int cmd, void *out, size_t len)
{
    void *b = xcall_buf_alloc(xc, len);
    long rc;
    int e;

    if (!b)
        return -1;
    rc = xcall_op(xc, __HYPERVISOR_xen_version, (uint64_t)cmd, XTOOLS_PTR(b), 0, 0, 0);
    e = errno;
    if (rc >= 0)
        memcpy(out, b, len);
    xcall_buf_free(xc, b, len);
    errno = e;
    return rc < 0 ? -1 : 0;
}

int xctrl_version_string(struct xcall *xc, int cmd, char *buf, size_t len)
{
    char tmp[XEN_CAPABILITIES_INFO_LEN + 1];
    size_t n = version_len(cmd);

    if (!n || !len) {
        errno = EINVAL;
        return -1;
    }
    if (version_query(xc, cmd, tmp, n))
        return -1;
    tmp[n] = '\0';
    n = strnlen(tmp, n);
    if (n >= len)
        n = len - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return 0;
}

int xctrl_version_compile(struct xcall *xc, struct xen_compile_info *ci)
{
    if (version_query(xc, XENVER_compile_info, ci, sizeof(*ci)))
        return -1;
    /* Never hand out an unterminated string. */
    ci->compiler[sizeof(ci->compiler) - 1] = '\0';
    ci->compile_by[sizeof(ci->compile_by) - 1] = '\0';
    ci->compile_domain[sizeof(ci->compile_domain) - 1] = '\0';
    ci->compile_date[sizeof(ci->compile_date) - 1] = '\0';
    return 0;
}
