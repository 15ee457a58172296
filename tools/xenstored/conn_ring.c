/* Shared-ring connections: byte streams over struct xenstore_domain_interface, hostile-index safe.
 */
#include <string.h>

#include "domain.h"

#define SERVICE_BUDGET                                                                             \
    (64u * 1024) /* request bytes taken per call, so one guest can't starve others */

static const struct conn_ops ring_ops = {NULL};

static struct xenstore_domain_interface *intf_of(const struct conn *c)
{
    return c->domain->page;
}

static void notify(struct domain *d)
{
    struct ring_backend *b = domain_backend();

    if (b && d->port >= 0)
        b->notify(b, d->port);
}

/* Ring connection over an already mapped page; connection state set to connected. */
struct conn *ring_conn_new(struct domain *d)
{
    struct conn *c = conn_new(d->domid, d->domid == 0, &ring_ops, NULL);
    struct xenstore_domain_interface *intf = d->page;

    c->domain = d;
    d->conn = c;
    intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
    intf->error = XENSTORE_ERROR_NONE;
    __atomic_store_n(&intf->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
    notify(d);
    return c;
}

static int drop(struct conn *c, uint32_t why)
{
    struct domain *d = c->domain;

    xs_trace("domain %u: bad ring or message (error %u), connection dropped", d->domid, why);
    intf_of(c)->error = why;
    conn_free(c);
    notify(d);
    return -1;
}

/* Move bytes between the ring and the connection; 0 done, 1 more input waiting, -1 dropped. */
int ring_conn_service(struct conn *c)
{
    struct xenstore_domain_interface *intf = intf_of(c);
    struct domain *d = c->domain;
    char buf[XENSTORE_RING_SIZE];
    unsigned int taken = 0;
    bool kick = false;
    int more = 0;

    for (;;) {
        XENSTORE_RING_IDX cons = intf->req_cons;
        XENSTORE_RING_IDX prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX avail = prod - cons;
        uint32_t n;

        if (avail > XENSTORE_RING_SIZE)
            return drop(c, XENSTORE_ERROR_RINGIDX);
        if (!avail)
            break;
        if (taken >= SERVICE_BUDGET) {
            more = 1;
            break;
        }
        n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
        n = n < avail ? n : avail;
        memcpy(buf, intf->req + MASK_XENSTORE_IDX(cons), n);
        __atomic_store_n(&intf->req_cons, cons + n, __ATOMIC_RELEASE);
        taken += n;
        kick = true;
        if (conn_input(c, buf, n) < 0)
            return drop(c, XENSTORE_ERROR_PROTO);
    }
    while (conn_out_pending(c)) {
        XENSTORE_RING_IDX cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX prod = intf->rsp_prod;
        XENSTORE_RING_IDX used = prod - cons;
        size_t n, pending = conn_out_pending(c);

        if (used > XENSTORE_RING_SIZE)
            return drop(c, XENSTORE_ERROR_RINGIDX);
        if (used == XENSTORE_RING_SIZE)
            break;
        n = XENSTORE_RING_SIZE - used;
        if (n > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod))
            n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
        n = n < pending ? n : pending;
        memcpy(intf->rsp + MASK_XENSTORE_IDX(prod), conn_out_data(c), n);
        __atomic_store_n(&intf->rsp_prod, prod + (XENSTORE_RING_IDX)n, __ATOMIC_RELEASE);
        conn_out_consume(c, n);
        kick = true;
    }
    if (kick)
        notify(d);
    return more;
}

/* Service every ring connection; 1 if some connection still has input waiting. */
int ring_flush_all(void)
{
    unsigned int ids[256], n = 0;
    int more = 0;

    /* Work from domids: handling one request may release another domain's connection. */
    for (struct conn *c = conn_list(); c; c = c->next) {
        if (c->ops != &ring_ops)
            continue;
        if (n == sizeof(ids) / sizeof(ids[0])) {
            more = 1;
            break;
        }
        ids[n++] = c->domid;
    }
    for (unsigned int i = 0; i < n; i++) {
        struct domain *d = domain_find(ids[i]);
        if (d && d->conn && ring_conn_service(d->conn) > 0)
            more = 1;
    }
    return more;
}
