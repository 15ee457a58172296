/* The xenstore tree of a PVH domain as libxl writes it (§3.2 steps 3 and 7, §3.5 console). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith/guest.h>

#include "lifecycle.h"

/* How many times a conflicting transaction is retried before giving up. */
#define XS_RETRIES 20

/* Who may do what with a node: dom0 only, the guest may read, or the guest owns it. */
enum node_perm { PERM_DOM0, PERM_GUEST_READ, PERM_GUEST_OWNS, PERM_INHERIT };

/* One transaction's writes; the first failure sticks in err (errno value). */
struct tree_writer {
    struct xstore *xs;
    uint32_t txn, domid;
    int err;
};

static void set_perm(struct tree_writer *w, const char *path, enum node_perm p)
{
    struct xstore_perm perms[2] = {{0, 'n'}, {w->domid, 'r'}};
    unsigned int n = 2;

    if (p == PERM_INHERIT)
        return;
    if (p == PERM_DOM0)
        n = 1;
    if (p == PERM_GUEST_OWNS) {
        perms[0].domid = w->domid;
        n = 1;
    }
    if (xstore_set_perms(w->xs, w->txn, path, perms, n))
        w->err = errno;
}

/* Write value (NULL: an empty directory node) at the formatted path, then its permissions. */
static void node(struct tree_writer *w, enum node_perm p, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void node(struct tree_writer *w, enum node_perm p, const char *value, const char *fmt, ...)
{
    char path[256];
    va_list ap;
    int r;

    if (w->err)
        return;
    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    r = value ? xstore_write_str(w->xs, w->txn, path, value) : xstore_mkdir(w->xs, w->txn, path);
    if (r)
        w->err = errno;
    else
        set_perm(w, path, p);
}

/* Like node() with a number as the value. */
static void num(struct tree_writer *w, enum node_perm p, unsigned long long v, const char *dom,
                const char *key)
{
    char s[32];

    snprintf(s, sizeof(s), "%llu", v);
    node(w, p, s, "%s/%s", dom, key);
}

static void write_console(struct tree_writer *w, const struct xl_domain_tree *t, const char *dom)
{
    static const char *const own_keys[] = {"type", "output", "tty"};
    static const char *const own_vals[] = {"xenconsoled", "pty", ""};
    char be[96], fe[96];
    unsigned int i;

    snprintf(fe, sizeof(fe), "%s/console", dom);
    snprintf(be, sizeof(be), "/local/domain/0/backend/console/%u/0", t->domid);
    node(w, PERM_INHERIT, be, "%s/backend", fe);
    num(w, PERM_INHERIT, 0, fe, "backend-id");
    num(w, PERM_INHERIT, 1048576, fe, "limit");
    for (i = 0; i < 3; i++)
        node(w, PERM_INHERIT, own_vals[i], "%s/%s", fe, own_keys[i]);
    num(w, PERM_INHERIT, t->console_port, fe, "port");
    num(w, PERM_INHERIT, t->console_gfn, fe, "ring-ref");

    node(w, PERM_GUEST_READ, NULL, "%s", be);
    node(w, PERM_INHERIT, fe, "%s/frontend", be);
    num(w, PERM_INHERIT, t->domid, be, "frontend-id");
    num(w, PERM_INHERIT, 1, be, "online");
    num(w, PERM_INHERIT, 1, be, "state");
    node(w, PERM_INHERIT, "vt100", "%s/protocol", be);

    node(w, PERM_INHERIT, fe, "/libxl/%u/device/console/0/frontend", t->domid); /* dom0's */
    node(w, PERM_INHERIT, be, "/libxl/%u/device/console/0/backend", t->domid);
}

static void write_tree(struct tree_writer *w, const struct xl_domain_tree *t)
{
    static const char *const guest_dirs[] = {"device/suspend/event-channel",
                                             "control/shutdown",
                                             "control/feature-poweroff",
                                             "control/feature-reboot",
                                             "control/feature-suspend",
                                             "control/sysrq",
                                             "data",
                                             "drivers",
                                             "feature",
                                             "attr",
                                             "error"};
    char dom[48], vm[64], s[32];
    unsigned int i;

    snprintf(dom, sizeof(dom), "/local/domain/%u", t->domid);
    snprintf(vm, sizeof(vm), "/vm/%s", t->uuid);
    if (xstore_rm(w->xs, w->txn, dom) && errno != ENOENT)
        w->err = errno;
    node(w, PERM_GUEST_READ, NULL, "%s", dom);
    node(w, PERM_GUEST_READ, NULL, "%s", vm);
    node(w, PERM_DOM0, NULL, "/libxl/%u", t->domid);
    node(w, PERM_INHERIT, vm, "%s/vm", dom);
    node(w, PERM_INHERIT, t->name, "%s/name", dom);
    num(w, PERM_INHERIT, t->domid, dom, "domid");
    /*
     * A new node inherits its parent's permissions, and writing a node creates its missing
     * parents: so cpu, memory, device, control, store, console and /libxl/N/device come with
     * their first child, with the permissions they need, one request each fewer.
     */
    for (i = 0; i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++)
        node(w, PERM_GUEST_OWNS, "", "%s/%s", dom, guest_dirs[i]);
    node(w, PERM_INHERIT, t->uuid, "%s/uuid", vm);
    node(w, PERM_INHERIT, t->name, "%s/name", vm);
    snprintf(s, sizeof(s), "%ld.00", t->start_time);
    node(w, PERM_INHERIT, s, "%s/start_time", vm);
    node(w, PERM_INHERIT, "1", "%s/control/platform-feature-multiprocessor-suspend", dom);
    node(w, PERM_INHERIT, "1", "%s/control/platform-feature-xs_reset_watches", dom);
    node(w, PERM_INHERIT, "pvh", "/libxl/%u/type", t->domid);
    num(w, PERM_INHERIT, t->max_kb, dom, "memory/static-max");
    num(w, PERM_INHERIT, t->target_kb, dom, "memory/target");
    num(w, PERM_INHERIT, 0, dom, "memory/videoram");
    num(w, PERM_INHERIT, t->store_port, dom, "store/port");
    num(w, PERM_INHERIT, t->store_gfn, dom, "store/ring-ref");
    for (i = 0; i < t->max_vcpus; i++)
        node(w, PERM_INHERIT, i < t->vcpus ? "online" : "offline", "%s/cpu/%u/availability", dom,
             i);
    write_console(w, t, dom);
}

int xl_xs_write_domain(struct xstore *xs, const struct xl_domain_tree *t)
{
    int tries;

    for (tries = 0; tries < XS_RETRIES; tries++) {
        struct tree_writer w = {xs, 0, t->domid, 0};

        if (xstore_transaction_start(xs, &w.txn))
            return -1;
        write_tree(&w, t);
        if (w.err) {
            xstore_transaction_end(xs, w.txn, true);
            errno = w.err;
            return -1;
        }
        if (xstore_transaction_end(xs, w.txn, false) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1;
    }
    errno = EAGAIN;
    return -1;
}

void xl_xs_forget_domain(struct xstore *xs, uint32_t domid)
{
    char path[96], *vm;

    snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
    vm = xstore_read(xs, XSTORE_NO_TXN, path, NULL);
    if (vm && !strncmp(vm, "/vm/", 4))
        xstore_rm(xs, XSTORE_NO_TXN, vm);
    free(vm);
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    xstore_rm(xs, XSTORE_NO_TXN, path);
    snprintf(path, sizeof(path), "/libxl/%u", domid);
    xstore_rm(xs, XSTORE_NO_TXN, path);
    snprintf(path, sizeof(path), "/local/domain/0/backend/console/%u", domid);
    xstore_rm(xs, XSTORE_NO_TXN, path);
}

int xl_xs_rename_domain(struct xstore *xs, uint32_t domid, const char *name)
{
    char path[128], *vm;
    int rc;

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    rc = xstore_write_str(xs, XSTORE_NO_TXN, path, name);
    snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
    vm = xstore_read(xs, XSTORE_NO_TXN, path, NULL);
    if (!rc && vm && strlen(vm) < 100) {
        snprintf(path, sizeof(path), "%s/name", vm);
        rc = xstore_write_str(xs, XSTORE_NO_TXN, path, name);
    }
    free(vm);
    return rc;
}
