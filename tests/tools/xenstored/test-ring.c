/* Unit tests: shared-ring connections with an in-memory backend, incl. hostile rings. */
#include "xs_test.h"

struct fake {
    struct ring_backend b;
    struct xenstore_domain_interface *pages[16];
    int notified[256];
    int maps, unmaps, binds, unbinds;
    int state[16]; /* enum dom_state per domid, for domain_check_all */
    int state_calls;
};

static struct fake fk;

static void *f_map(struct ring_backend *b, unsigned int domid, unsigned long gfn)
{
    (void)b;
    (void)gfn;
    if (domid >= 16 || !fk.pages[domid])
        return NULL;
    fk.maps++;
    return fk.pages[domid];
}

static void f_unmap(struct ring_backend *b, void *page)
{
    (void)b;
    (void)page;
    fk.unmaps++;
}

static int f_bind(struct ring_backend *b, unsigned int domid, unsigned int port)
{
    (void)b;
    (void)port;
    fk.binds++;
    return (int)(100 + domid);
}

static void f_unbind(struct ring_backend *b, int port)
{
    (void)b;
    (void)port;
    fk.unbinds++;
}

static void f_notify(struct ring_backend *b, int port)
{
    (void)b;
    if (port >= 0 && port < 256)
        fk.notified[port]++;
}

static int f_wait(struct ring_backend *b, int *ports, int max)
{
    (void)b;
    (void)ports;
    (void)max;
    return 0;
}

static int f_state(struct ring_backend *b, unsigned int domid)
{
    (void)b;
    fk.state_calls++;
    return domid < 16 ? fk.state[domid] : DOM_GONE;
}

static struct xenstore_domain_interface *new_page(unsigned int domid)
{
    struct xenstore_domain_interface *p = aligned_alloc(4096, 4096);

    memset(p, 0, 4096);
    fk.pages[domid] = p;
    return p;
}

static void fake_setup(void)
{
    memset(&fk, 0, sizeof(fk));
    fk.b =
        (struct ring_backend){f_map, f_unmap, f_bind, f_unbind, f_notify, f_wait, -1, f_state, 99};
    domain_set_backend(&fk.b);
}

static void fake_teardown(void)
{
    domain_set_backend(NULL);
    for (int i = 0; i < 16; i++)
        free(fk.pages[i]);
}

/* Guest side: append bytes to the request ring (caller keeps them within its space). */
static void guest_put(struct xenstore_domain_interface *i, const void *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        i->req[MASK_XENSTORE_IDX(i->req_prod + k)] = ((const char *)p)[k];
    i->req_prod += (XENSTORE_RING_IDX)n;
}

static void guest_msg(struct xenstore_domain_interface *i, uint32_t type, uint32_t id,
                      const void *p, size_t n)
{
    struct xsd_sockmsg h = {type, id, 0, (uint32_t)n};

    guest_put(i, &h, sizeof(h));
    guest_put(i, p, n);
}

/* Guest side: take up to n bytes of replies. */
static size_t guest_get(struct xenstore_domain_interface *i, char *buf, size_t n)
{
    size_t k = 0;

    while (k < n && i->rsp_cons != i->rsp_prod)
        buf[k++] = i->rsp[MASK_XENSTORE_IDX(i->rsp_cons++)];
    return k;
}

static bool guest_reply(struct xenstore_domain_interface *i, uint32_t type, uint32_t id,
                        const void *p, size_t n)
{
    struct xsd_sockmsg h;
    char buf[4096];

    if (guest_get(i, (char *)&h, sizeof(h)) != sizeof(h) || h.type != type || h.req_id != id ||
        h.len != n)
        return false;
    return guest_get(i, buf, n) == n && !memcmp(buf, p, n);
}

static void test_introduce_and_talk(void)
{
    struct client *d0 = client_new(0, true);
    struct xenstore_domain_interface *i;
    struct domain *d;

    fake_setup();
    i = new_page(5);
    i->connection = XENSTORE_RECONNECT;
    /* free-running indices close to the 32-bit wrap */
    i->req_cons = i->req_prod = i->rsp_cons = i->rsp_prod = 0xfffffff0u;
    wr(d0, 0, "/local/domain/5/data", "");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/5", "n0", "r5");
    rqv(d0, XS_SET_PERMS, 0, 2, "/local/domain/5/data", "b5");
    rqv(d0, XS_WATCH, 0, 2, "@introduceDomain", "intro");
    clear_events(d0);
    CHECK(IS_LIT(rqv(d0, XS_INTRODUCE, 0, 3, "5", "1234", "7"), "OK"));
    CHECK(is_event(take(d0, true), "@introduceDomain", "intro"));
    CHECK(IS_LIT(rqv(d0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "5"), "T"));
    d = domain_find(5);
    CHECK(d && d->conn && d->port == 105 && fk.maps == 1 && fk.binds == 1);
    CHECK(i->connection == XENSTORE_CONNECTED);
    CHECK(fk.notified[105] >= 1);

    guest_msg(i, XS_WRITE, 1, "data/x\0hello", 12);
    guest_msg(i, XS_READ, 2, "data/x", 7);
    guest_msg(i, XS_READ, 3, "/local/domain/0", 16);
    CHECK(ring_conn_service(d->conn) == 0);
    CHECK(i->req_cons == i->req_prod);
    CHECK(guest_reply(i, XS_WRITE, 1, "OK", 3));
    CHECK(guest_reply(i, XS_READ, 2, "hello", 5));
    CHECK(guest_reply(i, XS_ERROR, 3, "EACCES", 7)); /* /local/domain is n0 */
    CHECK(i->rsp_prod < 0x100u);                     /* wrapped past 2^32 */
    CHECK(IS_STR(RD(d0, 0, "/local/domain/5/data/x"), "hello"));
    CHECK(IS_LIT(GETP(d0, 0, "/local/domain/5/data/x"), "b5"));

    /* a reply bigger than the ring goes out in pieces as the guest consumes */
    {
        char big[2000], got[2100];
        struct xsd_sockmsg h;
        size_t n;
        memset(big, 'z', sizeof(big));
        CHECK(IS_LIT(rq(d0, XS_WRITE, 0, "/local/domain/5/data/big\0", 25), "OK"));
        memcpy(got, "/local/domain/5/data/big", 25);
        memcpy(got + 25, big, sizeof(big));
        rq(d0, XS_WRITE, 0, got, 25 + sizeof(big));
        guest_msg(i, XS_READ, 9, "data/big", 9);
        CHECK(ring_conn_service(d->conn) == 0);
        CHECK(i->rsp_prod - i->rsp_cons == XENSTORE_RING_SIZE);
        n = guest_get(i, got, sizeof(got));
        CHECK(ring_flush_all() == 0);
        n += guest_get(i, got + n, sizeof(got) - n);
        CHECK(n == sizeof(h) + sizeof(big));
        memcpy(&h, got, sizeof(h));
        CHECK(h.req_id == 9 && h.len == sizeof(big) && !memcmp(got + sizeof(h), big, sizeof(big)));
    }
    /* re-introduction only rebinds */
    CHECK(IS_LIT(rqv(d0, XS_INTRODUCE, 0, 3, "5", "1234", "8"), "OK"));
    CHECK(fk.maps == 1 && fk.binds == 2 && fk.unbinds == 1);
    CHECK(events_pending(d0) == 0);
    fake_teardown();
}

static struct domain *intro(struct client *d0, unsigned int domid)
{
    char id[8];

    new_page(domid);
    snprintf(id, sizeof(id), "%u", domid);
    CHECK(IS_LIT(rqv(d0, XS_INTRODUCE, 0, 3, id, "1", "3"), "OK"));
    return domain_find(domid);
}

static void test_hostile_rings(void)
{
    struct client *d0 = client_new(0, true);
    struct domain *good, *bad;
    struct xenstore_domain_interface *gi, *bi;
    struct xsd_sockmsg h = {XS_READ, 1, 0, 5000};

    fake_setup();
    good = intro(d0, 5);
    gi = good->page;
    /* bogus request index */
    bad = intro(d0, 6);
    bi = bad->page;
    bi->req_prod = bi->req_cons + 5000;
    CHECK(ring_conn_service(bad->conn) == -1);
    CHECK(bad->conn == NULL && bi->error == XENSTORE_ERROR_RINGIDX);
    CHECK(IS_LIT(rqv(d0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "6"), "F"));
    CHECK(ring_flush_all() == 0); /* the dropped domain is skipped */
    /* over-long payload */
    bad = intro(d0, 7);
    bi = bad->page;
    guest_put(bi, &h, sizeof(h));
    CHECK(ring_conn_service(bad->conn) == -1);
    CHECK(bad->conn == NULL && bi->error == XENSTORE_ERROR_PROTO);
    /* bogus response consumer, seen when a reply is due */
    bad = intro(d0, 8);
    bi = bad->page;
    bi->rsp_cons = bi->rsp_prod + 3000;
    guest_msg(bi, XS_DIRECTORY, 1, "/", 2);
    CHECK(ring_conn_service(bad->conn) == -1);
    CHECK(bad->conn == NULL && bi->error == XENSTORE_ERROR_RINGIDX);
    /* a garbage header stream of unknown types only yields errors */
    bad = intro(d0, 9);
    bi = bad->page;
    for (int k = 0; k < 3; k++)
        guest_msg(bi, 0x7777, (uint32_t)k, "zz", 2);
    CHECK(ring_conn_service(bad->conn) == 0);
    CHECK(guest_reply(bi, XS_ERROR, 0, "EINVAL", 7));
    /* the good domain is still served */
    guest_msg(gi, XS_GET_DOMAIN_PATH, 4, "5", 2);
    CHECK(ring_conn_service(good->conn) == 0);
    CHECK(guest_reply(gi, XS_GET_DOMAIN_PATH, 4, "/local/domain/5", 16));
    CHECK(IS_LIT(DIR(d0, 0, "/tool"), "xenstored"));
    fake_teardown();
}

static void test_flood_budget(void)
{
    struct client *d0 = client_new(0, true);
    struct domain *d;
    struct xenstore_domain_interface *i;
    int rounds = 0;

    fake_setup();
    d = intro(d0, 5);
    i = d->page;
    /* keep the request ring full of small requests across many services */
    for (int k = 0; k < 2000 && rounds < 1000; k++) {
        while (i->req_prod - i->req_cons <= XENSTORE_RING_SIZE - 18)
            guest_msg(i, XS_GET_DOMAIN_PATH, 1, "5", 2);
        CHECK(d->conn && ring_conn_service(d->conn) >= 0);
        i->rsp_cons = i->rsp_prod; /* guest drops replies */
        rounds++;
    }
    CHECK(d->conn != NULL && i->error == XENSTORE_ERROR_NONE);
    fake_teardown();
}

static void test_release(void)
{
    struct client *d0 = client_new(0, true);
    struct domain *d;

    fake_setup();
    wr(d0, 0, "/local/domain/5/fe", "");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/5", "n0", "r5");
    rqv(d0, XS_SET_PERMS, 0, 2, "/local/domain/5/fe", "b5");
    wr(d0, 0, "/local/domain/0/be", "");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/0/be", "n0", "r5");
    d = intro(d0, 5);
    guest_msg(d->page, XS_WRITE, 1,
              "fe/state\0"
              "4",
              10);
    CHECK(ring_conn_service(d->conn) == 0);
    CHECK(db_owned(5) == 2);
    rqv(d0, XS_WATCH, 0, 2, "@releaseDomain", "rel");
    rqv(d0, XS_WATCH, 0, 2, "/local/domain/5/fe/state", "st");
    clear_events(d0);
    CHECK(IS_LIT(rqv(d0, XS_RELEASE, 0, 1, "5"), "OK"));
    CHECK(domain_find(5) == NULL && fk.unmaps == 1 && fk.unbinds == 1);
    CHECK(db_get("/local/domain/5/fe") == NULL && db_owned(5) == 0);
    CHECK(db_get("/local/domain/5") != NULL); /* owned by dom0: the toolstack removes it */
    CHECK(IS_LIT(GETP(d0, 0, "/local/domain/0/be"), "n0"));
    CHECK(is_event(take(d0, true), "/local/domain/5/fe/state", "st"));
    CHECK(is_event(take(d0, true), "@releaseDomain", "rel"));
    CHECK(IS_ERR(rqv(d0, XS_RELEASE, 0, 1, "5"), "ENOENT"));
    CHECK(IS_LIT(rqv(d0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "5"), "F"));
    CHECK(IS_ERR(rqv(d0, XS_RELEASE, 0, 1, "0"), "EINVAL"));
    fake_teardown();
}

/* VIRQ_DOM_EXC: shut-down domains are marked once, dying/vanished ones released. */
static void test_domain_death(void)
{
    struct client *d0 = client_new(0, true);
    struct domain *d5, *d6;
    int fired;

    fake_setup();
    wr(d0, 0, "/local/domain/6", "");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/6", "n0", "b6");
    d5 = intro(d0, 5);
    d6 = intro(d0, 6);
    intro(d0, 7);
    guest_msg(d6->page, XS_WRITE, 1, "x\0v", 3); /* /local/domain/6/x, owned by 6 */
    CHECK(ring_conn_service(d6->conn) == 0);
    CHECK(db_owned(6) >= 1);
    rqv(d0, XS_WATCH, 0, 2, "@releaseDomain", "rel");
    clear_events(d0);

    /* nothing happened: no event, nobody released */
    domain_port_fired(99);
    CHECK(fk.state_calls == 3); /* 5, 6, 7: never dom0 */
    CHECK(events_pending(d0) == 0);

    /* 5 shuts down: one event, connection kept; a second VIRQ does not fire again */
    fk.state[5] = DOM_SHUTDOWN;
    domain_port_fired(99);
    CHECK(is_event(take(d0, true), "@releaseDomain", "rel"));
    CHECK(domain_find(5) == d5 && d5->conn && d5->shutdown);
    domain_check_all();
    CHECK(events_pending(d0) == 0);
    /* RESUME re-arms it */
    CHECK(IS_LIT(rqv(d0, XS_RESUME, 0, 1, "5"), "OK"));
    CHECK(!d5->shutdown);
    domain_check_all();
    CHECK(is_event(take(d0, true), "@releaseDomain", "rel"));

    /* 6 dies and 7 vanishes: both released (ring, port, nodes), one event */
    fk.state[6] = DOM_DYING;
    fk.state[7] = DOM_GONE;
    domain_port_fired(99);
    CHECK(domain_find(6) == NULL && domain_find(7) == NULL && domain_find(5) == d5);
    CHECK(fk.unmaps == 2 && fk.unbinds == 2);
    CHECK(db_owned(6) == 0);
    fired = 0;
    while (take(d0, true).type != 0xffff)
        fired++;
    CHECK(fired == 1);
    CHECK(IS_LIT(rqv(d0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "6"), "F"));

    /* an unanswered query leaves the domain alone */
    fk.state[5] = DOM_UNKNOWN;
    domain_check_all();
    CHECK(domain_find(5) == d5 && events_pending(d0) == 0);

    /* a ring port services that ring only */
    guest_msg(d5->page, XS_GET_DOMAIN_PATH, 3, "5", 2);
    domain_port_fired(105);
    CHECK(guest_reply(d5->page, XS_GET_DOMAIN_PATH, 3, "/local/domain/5", 16));
    domain_port_fired(12345); /* unknown port: ignored */
    fake_teardown();
}

int main(void)
{
    RUN(test_introduce_and_talk);
    RUN(test_hostile_rings);
    RUN(test_flood_budget);
    RUN(test_release);
    RUN(test_domain_death);
    TEST_MAIN_END("test-ring");
}
