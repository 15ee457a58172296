/* Unit tests: transactions (isolation, commit, abort, per-node conflicts -> EAGAIN, quotas). */
#include "xs_test.h"

static uint32_t start(struct client *cl)
{
    struct reply r = rq(cl, XS_TRANSACTION_START, 0, "", 1);

    CHECK(r.type == XS_TRANSACTION_START && r.len >= 2 && r.data[r.len - 1] == '\0');
    return (uint32_t)strtoul(r.data, NULL, 10);
}

static struct reply end(struct client *cl, uint32_t tx, const char *tf)
{
    return rqv(cl, XS_TRANSACTION_END, tx, 1, tf);
}

static void test_isolation_commit(void)
{
    struct client *a = client_new(0, true), *b = client_new(0, true);
    uint32_t t;
    struct reply r;

    wr(a, 0, "/x", "old");
    t = start(a);
    CHECK(t != 0);
    r = wr(a, t, "/x", "new");
    CHECK(IS_LIT(r, "OK") && r.tx_id == t);
    wr(a, t, "/y/z", "created");
    CHECK(IS_STR(RD(a, t, "/x"), "new")); /* own writes visible */
    CHECK(IS_STR(RD(b, 0, "/x"), "old")); /* not outside */
    CHECK(IS_ERR(RD(b, 0, "/y/z"), "ENOENT"));
    CHECK(IS_LIT(DIR(a, t, "/y"), "z"));
    CHECK(IS_LIT(end(a, t, "T"), "OK"));
    CHECK(IS_STR(RD(b, 0, "/x"), "new"));
    CHECK(IS_STR(RD(b, 0, "/y/z"), "created"));
    CHECK(IS_LIT(DIR(b, 0, "/"), "tool\0x\0y"));
    CHECK(IS_ERR(end(a, t, "T"), "ENOENT")); /* gone after END */
    CHECK(IS_ERR(RD(a, t, "/x"), "ENOENT"));
}

static void test_abort_and_rm(void)
{
    struct client *a = client_new(0, true);
    uint32_t t;

    wr(a, 0, "/k/l/m", "1");
    t = start(a);
    CHECK(IS_LIT(RM(a, t, "/k/l"), "OK"));
    CHECK(IS_ERR(RD(a, t, "/k/l/m"), "ENOENT"));
    CHECK(IS_STR(RD(a, 0, "/k/l/m"), "1"));
    CHECK(IS_LIT(end(a, t, "F"), "OK"));
    CHECK(IS_STR(RD(a, 0, "/k/l/m"), "1"));
    t = start(a);
    RM(a, t, "/k/l");
    CHECK(IS_LIT(end(a, t, "T"), "OK"));
    CHECK(IS_ERR(RD(a, 0, "/k/l/m"), "ENOENT"));
    CHECK(IS_ERR(RD(a, 0, "/k/l"), "ENOENT"));
    CHECK(db_get("/k/l/m") == NULL);
    CHECK(is_data(DIR(a, 0, "/k"), "", 0));
}

static void test_conflicts(void)
{
    struct client *a = client_new(0, true), *b = client_new(0, true);
    uint32_t t, t2;

    wr(a, 0, "/c/1", "a");
    wr(a, 0, "/c/2", "b");
    /* read node changed by someone else -> EAGAIN, nothing applied */
    t = start(a);
    RD(a, t, "/c/1");
    wr(a, t, "/c/2", "mine");
    wr(b, 0, "/c/1", "theirs");
    CHECK(IS_ERR(end(a, t, "T"), "EAGAIN"));
    CHECK(IS_STR(RD(b, 0, "/c/2"), "b"));
    /* unrelated change -> commits */
    t = start(a);
    RD(a, t, "/c/1");
    wr(a, t, "/c/2", "mine");
    wr(b, 0, "/other", "x");
    CHECK(IS_LIT(end(a, t, "T"), "OK"));
    CHECK(IS_STR(RD(b, 0, "/c/2"), "mine"));
    /* two transactions creating the same node: the second loses */
    t = start(a);
    t2 = start(b);
    CHECK(t != t2);
    wr(a, t, "/c/new", "A");
    wr(b, t2, "/c/new", "B");
    CHECK(IS_LIT(end(a, t, "T"), "OK"));
    CHECK(IS_ERR(end(b, t2, "T"), "EAGAIN"));
    CHECK(IS_STR(RD(a, 0, "/c/new"), "A"));
    /* a node seen as missing, then created outside -> conflict */
    t = start(a);
    CHECK(IS_ERR(RD(a, t, "/c/later"), "ENOENT"));
    wr(b, 0, "/c/later", "x");
    CHECK(IS_ERR(end(a, t, "T"), "EAGAIN"));
    /* directory listing vs. a concurrent new child -> conflict (parent generation) */
    t = start(a);
    DIR(a, t, "/c");
    wr(a, t, "/count", "3");
    wr(b, 0, "/c/another", "");
    CHECK(IS_ERR(end(a, t, "T"), "EAGAIN"));
    CHECK(IS_ERR(RD(a, 0, "/count"), "ENOENT"));
}

static void test_errors_quota(void)
{
    struct client *d0 = client_new(0, true), *g = client_new(5, false);
    uint32_t ids[10];

    CHECK(IS_ERR(RD(d0, 12345, "/tool"), "ENOENT")); /* unknown transaction */
    CHECK(IS_ERR(end(d0, 0, "T"), "ENOENT"));
    ids[0] = start(d0);
    CHECK(IS_ERR(rq(d0, XS_TRANSACTION_START, ids[0], "", 1), "EBUSY"));
    CHECK(IS_ERR(end(d0, ids[0], "X"), "EINVAL"));
    CHECK(IS_ERR(end(g, ids[0], "T"), "ENOENT")); /* another connection's id */
    CHECK(IS_LIT(end(d0, ids[0], "F"), "OK"));
    for (int i = 0; i < 10; i++)
        ids[i] = start(g);
    CHECK(IS_ERR(rq(g, XS_TRANSACTION_START, 0, "", 1), "ENOSPC"));
    CHECK(IS_LIT(end(g, ids[3], "F"), "OK"));
    CHECK(start(g) != 0);
    /* RESET_WATCHES drops transactions too */
    CHECK(IS_LIT(rq(g, XS_RESET_WATCHES, 0, "", 1), "OK"));
    CHECK(g->c->ntxs == 0);
    CHECK(IS_ERR(end(g, ids[0], "T"), "ENOENT"));
}

static void test_tx_node_quota(void)
{
    struct client *g = client_new(5, false), *d0 = client_new(0, true);
    uint32_t t;
    char p[32];
    struct reply r = {0};

    wr(d0, 0, "/local/domain/5", "");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/5", "n0", "b5");
    xs_quota.nodes_per_transaction = 8;
    t = start(g);
    for (int i = 0; i < 10; i++) {
        snprintf(p, sizeof(p), "n%d", i);
        r = wr(g, t, p, "");
    }
    CHECK(IS_ERR(r, "ENOSPC"));
}

static void test_events_on_commit(void)
{
    struct client *a = client_new(0, true), *w = client_new(0, true);
    uint32_t t;

    wr(a, 0, "/e", "");
    CHECK(IS_LIT(rqv(w, XS_WATCH, 0, 2, "/e", "tok"), "OK"));
    clear_events(w);
    t = start(a);
    wr(a, t, "/e/1", "x");
    CHECK(events_pending(w) == 0);
    CHECK(IS_LIT(end(a, t, "T"), "OK"));
    CHECK(is_event(take(w, true), "/e/1", "tok"));
    t = start(a);
    wr(a, t, "/e/2", "x");
    end(a, t, "F");
    CHECK(events_pending(w) == 0);
    t = start(a);
    RM(a, t, "/e");
    end(a, t, "T");
    CHECK(is_event(take(w, true), "/e", "tok"));
}

int main(void)
{
    RUN(test_isolation_commit);
    RUN(test_abort_and_rm);
    RUN(test_conflicts);
    RUN(test_errors_quota);
    RUN(test_tx_node_quota);
    RUN(test_events_on_commit);
    TEST_MAIN_END("test-transaction");
}
