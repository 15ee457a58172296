/* Process-wide state: quotas, and bringing the database and special nodes up and down. */
#include <string.h>

#include "xenstored.h"
#include "domain.h"

struct xs_quota xs_quota;

static const struct xs_quota defaults = {
    .nodes_per_domain = 1000,
    .watches_per_domain = 128,
    .transactions_per_domain = 10,
    .node_size = 2048,
    .perms_per_node = 5,
    .nodes_per_transaction = 1024,
};

/* Set one quota by its -Q name; -1 if the name is unknown. */
int xs_quota_set(const char *name, unsigned int value)
{
    static const struct {
        const char *name;
        unsigned int *field;
    } q[] = {
        {"nodes", &xs_quota.nodes_per_domain},
        {"watches", &xs_quota.watches_per_domain},
        {"transactions", &xs_quota.transactions_per_domain},
        {"node-size", &xs_quota.node_size},
        {"permissions", &xs_quota.perms_per_node},
        {"transaction-nodes", &xs_quota.nodes_per_transaction},
    };

    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
        if (!strcmp(name, q[i].name)) {
            *q[i].field = value;
            return 0;
        }
    }
    return -1;
}

/* Default quotas, base tree and special nodes. */
void xs_core_init(void)
{
    xs_quota = defaults;
    db_init();
    watch_init();
}

/* Drop every connection, domain, node and special node. */
void xs_core_fini(void)
{
    domain_free_all();
    while (conn_list())
        conn_free(conn_list());
    watch_fini();
    db_fini();
}
