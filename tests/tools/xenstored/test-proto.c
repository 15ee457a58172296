/* Unit tests: message framing and hostile inputs (partial headers, long payloads, bad strings). */
#include "xs_test.h"

static void test_byte_at_a_time(void)
{
    struct client *d0 = client_new(0, true);
    struct {
        struct xsd_sockmsg h;
        char p[8];
    } m = {{XS_WRITE, 77, 0, 8}, "/bt\0val"};
    const char *bytes = (const char *)&m;
    struct reply r;

    m.h.len = 7; /* "/bt\0val" without terminator */
    for (size_t i = 0; i < sizeof(m.h) + 7; i++) {
        CHECK(conn_input(d0->c, bytes + i, 1) == 0);
        if (i + 1 < sizeof(m.h) + 7)
            CHECK(conn_out_pending(d0->c) == 0); /* nothing until complete */
    }
    r = take(d0, false);
    CHECK(r.req_id == 77 && r.type == XS_WRITE && IS_LIT(r, "OK"));
    CHECK(IS_STR(RD(d0, 0, "/bt"), "val"));
}

static void test_two_in_one(void)
{
    struct client *d0 = client_new(0, true);
    char buf[64];
    struct xsd_sockmsg h1 = {XS_WRITE, 1, 0, 5}, h2 = {XS_READ, 2, 0, 3};
    struct reply r;

    memcpy(buf, &h1, 16);
    memcpy(buf + 16, "/t\0hi", 5);
    memcpy(buf + 21, &h2, 16);
    memcpy(buf + 37, "/t\0", 3);
    CHECK(conn_input(d0->c, buf, 40) == 0);
    r = take(d0, false);
    CHECK(r.req_id == 1 && IS_LIT(r, "OK"));
    r = take(d0, false);
    CHECK(r.req_id == 2 && IS_STR(r, "hi"));
}

static void test_too_long(void)
{
    struct client *d0 = client_new(0, true);
    struct xsd_sockmsg h = {XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1};
    struct xsd_sockmsg ok = {XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX};
    static char big[XENSTORE_PAYLOAD_MAX];

    CHECK(conn_input(d0->c, &h, 8) == 0); /* truncated header: wait */
    CHECK(conn_input(d0->c, (char *)&h + 8, 8) == -1);
    d0 = client_new(0, true);
    h.len = 0xffffffffu;
    CHECK(conn_input(d0->c, &h, sizeof(h)) == -1);
    d0 = client_new(0, true);
    /* exactly 4096 is allowed (a bogus path here, so EINVAL, but the connection lives) */
    CHECK(conn_input(d0->c, &ok, sizeof(ok)) == 0);
    CHECK(conn_input(d0->c, big, sizeof(big)) == 0);
    CHECK(IS_ERR(take(d0, false), "EINVAL"));
}

static void test_bad_strings(void)
{
    struct client *d0 = client_new(0, true);

    wr(d0, 0, "/s", "v");
    CHECK(IS_ERR(rq(d0, XS_READ, 0, "/s", 2), "EINVAL"));       /* no NUL */
    CHECK(IS_ERR(rq(d0, XS_READ, 0, "", 0), "EINVAL"));         /* empty */
    CHECK(IS_ERR(rq(d0, XS_READ, 0, "/s\0/s\0", 6), "EINVAL")); /* extra argument */
    CHECK(IS_ERR(rq(d0, XS_WRITE, 0, "/s", 2), "EINVAL"));      /* no separator */
    CHECK(IS_ERR(rq(d0, XS_WATCH, 0, "/s\0tok", 6), "EINVAL")); /* token unterminated */
    CHECK(IS_ERR(rq(d0, XS_MKDIR, 0, "/s\0junk", 7), "EINVAL"));
    CHECK(IS_ERR(rq(d0, XS_SET_PERMS, 0, "/s\0r1", 5), "EINVAL"));
    CHECK(IS_ERR(rq(d0, XS_INTRODUCE, 0,
                    "1\0"
                    "2\0",
                    4),
                 "EINVAL"));
    CHECK(IS_ERR(rqv(d0, XS_INTRODUCE, 0, 3, "1", "2", "0"), "EINVAL")); /* port 0 */
    CHECK(IS_ERR(rqv(d0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "-1"), "EINVAL"));
    CHECK(IS_ERR(rqv(d0, XS_GET_DOMAIN_PATH, 0, 1, "99999999999999999999"), "EINVAL"));
    CHECK(IS_STR(RD(d0, 0, "/s"), "v")); /* still served */
}

static void test_unknown_types(void)
{
    struct client *d0 = client_new(0, true);
    uint32_t types[] = {20, XS_TYPE_COUNT, 24, 1000, XS_WATCH_EVENT, XS_ERROR, 0xffffffffu};

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct reply r = rq(d0, types[i], 0, "x", 2);
        CHECK(IS_ERR(r, "EINVAL"));
    }
    CHECK(IS_LIT(DIR(d0, 0, "/tool"), "xenstored"));
}

static void test_control_and_privilege(void)
{
    struct client *d0 = client_new(0, true), *g = client_new(3, false);

    CHECK(IS_LIT(rqv(d0, XS_CONTROL, 0, 1, "check"), "OK"));
    CHECK(IS_LIT(rqv(d0, XS_CONTROL, 0, 2, "log", "off"), "OK"));
    CHECK(IS_ERR(rqv(d0, XS_CONTROL, 0, 2, "log", "maybe"), "EINVAL"));
    CHECK(IS_ERR(rqv(d0, XS_CONTROL, 0, 1, "live-update"), "EINVAL"));
    CHECK(IS_ERR(rq(d0, XS_CONTROL, 0, "check", 5), "EINVAL"));
    CHECK(IS_ERR(rqv(g, XS_CONTROL, 0, 1, "check"), "EACCES"));
    CHECK(IS_ERR(rqv(g, XS_INTRODUCE, 0, 3, "4", "1", "5"), "EACCES"));
    CHECK(IS_ERR(rqv(g, XS_RELEASE, 0, 1, "4"), "EACCES"));
    CHECK(IS_ERR(rqv(g, XS_RESUME, 0, 1, "4"), "EACCES"));
    CHECK(IS_ERR(rqv(g, XS_SET_TARGET, 0, 2, "4", "5"), "EACCES"));
    CHECK(IS_ERR(rqv(d0, XS_RELEASE, 0, 1, "4"), "ENOENT"));
    CHECK(IS_ERR(rqv(d0, XS_RESUME, 0, 1, "4"), "ENOENT"));
    CHECK(IS_LIT(rqv(g, XS_IS_DOMAIN_INTRODUCED, 0, 1, "0"), "T"));
    CHECK(IS_LIT(rqv(g, XS_IS_DOMAIN_INTRODUCED, 0, 1, "4"), "F"));
    CHECK(IS_ERR(rqv(d0, XS_INTRODUCE, 0, 3, "4", "1", "5"), "EINVAL")); /* no ring backend */
}

static void test_errnames(void)
{
    CHECK(!strcmp(xs_errname(ENOENT), "ENOENT"));
    CHECK(!strcmp(xs_errname(EAGAIN), "EAGAIN"));
    CHECK(!strcmp(xs_errname(E2BIG), "E2BIG"));
    CHECK(!strcmp(xs_errname(EISCONN), "EISCONN"));
    CHECK(!strcmp(xs_errname(12345), "EINVAL"));
}

int main(void)
{
    RUN(test_byte_at_a_time);
    RUN(test_two_in_one);
    RUN(test_too_long);
    RUN(test_bad_strings);
    RUN(test_unknown_types);
    RUN(test_control_and_privilege);
    RUN(test_errnames);
    TEST_MAIN_END("test-proto");
}
