/* Unit tests: watches (immediate event, subtree match, relative paths, rm, specials, quotas). */
#include "xs_test.h"

static void test_basic(void)
{
    struct client *d0 = client_new(0, true), *w = client_new(0, true);
    struct reply r;

    r = rqv(w, XS_WATCH, 0, 2, "/w", "t1");
    CHECK(IS_LIT(r, "OK"));
    r = take(w, true); /* fires once immediately, even for a missing node */
    CHECK(is_event(r, "/w", "t1") && r.req_id == 0 && r.tx_id == 0);
    CHECK(events_pending(w) == 0);
    wr(d0, 0, "/w/a/b", "1");
    CHECK(is_event(take(w, true), "/w/a/b", "t1"));
    wr(d0, 0, "/wx", "1"); /* not a child of /w */
    wr(d0, 0, "/", "");
    CHECK(events_pending(w) == 0);
    MKD(d0, 0, "/w/a"); /* existing: no change, no event */
    CHECK(events_pending(w) == 0);
    CHECK(IS_ERR(rqv(w, XS_WATCH, 0, 2, "/w", "t1"), "EEXIST"));
    CHECK(IS_LIT(rqv(w, XS_WATCH, 0, 2, "/w", "t2"), "OK"));
    clear_events(w);
    wr(d0, 0, "/w", "v");
    CHECK(events_pending(w) == 2);
    clear_events(w);
    CHECK(IS_LIT(rqv(w, XS_UNWATCH, 0, 2, "/w", "t1"), "OK"));
    CHECK(IS_ERR(rqv(w, XS_UNWATCH, 0, 2, "/w", "t1"), "ENOENT"));
    wr(d0, 0, "/w", "v2");
    CHECK(is_event(take(w, true), "/w", "t2"));
    CHECK(events_pending(w) == 0);
    CHECK(IS_ERR(rqv(w, XS_WATCH, 0, 1, "/w"), "EINVAL"));
    CHECK(IS_ERR(rqv(w, XS_WATCH, 0, 2, "/w//", "t"), "EINVAL"));
    /* the root watch sees everything */
    rqv(w, XS_WATCH, 0, 2, "/", "all");
    clear_events(w);
    wr(d0, 0, "/q", "");
    CHECK(is_event(take(w, true), "/q", "all"));
}

static void test_rm_recursive(void)
{
    struct client *d0 = client_new(0, true), *w = client_new(0, true);

    wr(d0, 0, "/r/a/b", "");
    rqv(w, XS_WATCH, 0, 2, "/r/a/b", "deep");
    rqv(w, XS_WATCH, 0, 2, "/r/a/missing/x", "deeper");
    rqv(w, XS_WATCH, 0, 2, "/r", "top");
    clear_events(w);
    RM(d0, 0, "/r/a");
    CHECK(events_pending(w) == 3);
    CHECK(is_event(take(w, true), "/r/a/b", "deep"));
    CHECK(is_event(take(w, true), "/r/a/missing/x", "deeper"));
    CHECK(is_event(take(w, true), "/r/a", "top"));
}

static void test_relative(void)
{
    struct client *d0 = client_new(0, true), *g = client_new(5, false);

    wr(d0, 0, "/local/domain/5/control", "");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/5", "n0", "r5");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/5/control", "n0", "b5");
    CHECK(IS_LIT(rqv(g, XS_WATCH, 0, 2, "control/shutdown", "sd"), "OK"));
    CHECK(is_event(take(g, true), "control/shutdown", "sd"));
    wr(d0, 0, "/local/domain/5/control/shutdown", "poweroff");
    CHECK(is_event(take(g, true), "control/shutdown", "sd"));
    /* the same watch by absolute path reports absolute paths */
    rqv(g, XS_WATCH, 0, 2, "/local/domain/5/control", "abs");
    clear_events(g);
    wr(g, 0, "control/shutdown", "");
    CHECK(events_pending(g) == 2);
    CHECK(is_event(take(g, true), "control/shutdown", "sd"));
    CHECK(is_event(take(g, true), "/local/domain/5/control/shutdown", "abs"));
    CHECK(IS_LIT(rqv(g, XS_UNWATCH, 0, 2, "control/shutdown", "sd"), "OK"));
}

static void test_perm_filter(void)
{
    struct client *d0 = client_new(0, true), *g = client_new(5, false);

    wr(d0, 0, "/secret", "");
    rqv(g, XS_WATCH, 0, 2, "/secret", "s");
    clear_events(g);
    wr(d0, 0, "/secret/x", "1"); /* n0: guest may not read it, gets no event */
    CHECK(events_pending(g) == 0);
    rqv(d0, XS_SET_PERMS, 0, 3, "/secret/x", "n0", "r5");
    CHECK(events_pending(g) == 0); /* fired with the old perms */
    wr(d0, 0, "/secret/x", "2");
    CHECK(is_event(take(g, true), "/secret/x", "s"));
}

static void test_specials_and_quota(void)
{
    struct client *d0 = client_new(0, true), *g = client_new(5, false);
    char tok[16];
    int i;

    CHECK(IS_LIT(rqv(d0, XS_WATCH, 0, 2, "@releaseDomain", "rel"), "OK"));
    CHECK(is_event(take(d0, true), "@releaseDomain", "rel"));
    CHECK(IS_LIT(rqv(g, XS_WATCH, 0, 2, "@releaseDomain", "grel"), "OK"));
    clear_events(g);
    watch_fire_special("@releaseDomain");
    CHECK(is_event(take(d0, true), "@releaseDomain", "rel"));
    CHECK(events_pending(g) == 0); /* unprivileged without read perm */
    watch_fire_special("@introduceDomain");
    CHECK(events_pending(d0) == 0);
    for (i = 1; i < 200; i++) {
        struct reply r;
        snprintf(tok, sizeof(tok), "t%d", i);
        r = rqv(g, XS_WATCH, 0, 2, "/x", tok);
        if (r.type == XS_ERROR) {
            CHECK(IS_ERR(r, "E2BIG"));
            break;
        }
    }
    CHECK(i == 128); /* 127 more after the first: 128 in all */
    CHECK(IS_LIT(rq(g, XS_RESET_WATCHES, 0, "", 1), "OK"));
    CHECK(g->c->nwatches == 0);
    clear_events(g);
    wr(d0, 0, "/x", "");
    CHECK(events_pending(g) == 0);
}

int main(void)
{
    RUN(test_basic);
    RUN(test_rm_recursive);
    RUN(test_relative);
    RUN(test_perm_filter);
    RUN(test_specials_and_quota);
    TEST_MAIN_END("test-watch");
}
