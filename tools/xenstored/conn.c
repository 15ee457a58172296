/* Connections: the global list, per-connection output queue, teardown. */
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "domain.h"
#include "util.h"

#define OUT_EVENT_CAP (1u << 20) /* unprivileged clients lose watch events beyond this backlog */

static struct conn *conns;

/* New connection on the global list. */
struct conn *conn_new(unsigned int domid, bool privileged, const struct conn_ops *ops, void *priv)
{
    struct conn *c = xcalloc(1, sizeof(*c));
    struct conn **tail = &conns;

    c->domid = domid;
    c->privileged = privileged;
    c->ops = ops;
    c->priv = priv;
    while (*tail)
        tail = &(*tail)->next;
    *tail = c;
    return c;
}

/* Tear down c: watches, transactions, transport, memory. */
void conn_free(struct conn *c)
{
    for (struct conn **pp = &conns; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    watch_free_all(c);
    txn_free_all(c);
    if (c->ops && c->ops->destroy)
        c->ops->destroy(c);
    if (c->domain && c->domain->conn == c)
        c->domain->conn = NULL;
    free(c->out);
    free(c);
}

/* First connection of the global list. */
struct conn *conn_list(void)
{
    return conns;
}

/* Target domid for c (device-model rights), or -1. */
int conn_target(const struct conn *c)
{
    return c->domain ? c->domain->target : -1;
}

/* Queue a message to c. Watch events beyond the output cap are dropped. */
void conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *payload,
               size_t len)
{
    struct xsd_sockmsg h = {type, req_id, tx_id, (uint32_t)len};
    size_t need;

    if (type == XS_WATCH_EVENT && !c->privileged && c->out_len - c->out_off > OUT_EVENT_CAP)
        return;
    if (c->out_off && c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    need = c->out_len + sizeof(h) + len;
    if (need > c->out_cap) {
        if (c->out_off) {
            memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
            c->out_len -= c->out_off;
            c->out_off = 0;
            need = c->out_len + sizeof(h) + len;
        }
        if (need > c->out_cap) {
            c->out_cap = need * 2;
            c->out = xrealloc(c->out, c->out_cap);
        }
    }
    memcpy(c->out + c->out_len, &h, sizeof(h));
    if (len)
        memcpy(c->out + c->out_len + sizeof(h), payload, len);
    c->out_len += sizeof(h) + len;
}

/* Bytes waiting for transmission. */
size_t conn_out_pending(const struct conn *c)
{
    return c->out_len - c->out_off;
}

/* Start of the waiting bytes. */
const char *conn_out_data(const struct conn *c)
{
    return c->out + c->out_off;
}

/* Mark n waiting bytes as transmitted. */
void conn_out_consume(struct conn *c, size_t n)
{
    c->out_off += n;
    if (c->out_off >= c->out_len)
        c->out_off = c->out_len = 0;
}
