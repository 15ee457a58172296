/* Unit tests: Xen permission rules (owner/default, per-domain entries, creation, SET_PERMS). */
#include "xs_test.h"

static void test_perm_for(void)
{
    struct conn dom0 = {.domid = 0, .privileged = true};
    struct conn g5 = {.domid = 5}, g6 = {.domid = 6}, g7 = {.domid = 7};
    struct xs_perm p[] = {
        {5, XS_PERM_NONE}, {6, XS_PERM_READ}, {7, XS_PERM_WRITE}, {6, XS_PERM_BOTH}};
    struct xs_perm def_read[] = {{0, XS_PERM_READ}};

    CHECK(perm_for(&dom0, p, 4) == XS_PERM_BOTH);
    CHECK(perm_for(&g5, p, 4) == XS_PERM_BOTH); /* owner */
    CHECK(perm_for(&g6, p, 4) == XS_PERM_READ); /* first matching entry wins */
    CHECK(perm_for(&g7, p, 4) == XS_PERM_WRITE);
    CHECK(perm_for(&g7, p, 1) == XS_PERM_NONE); /* default = owner's perm */
    CHECK(perm_for(&g7, def_read, 1) == XS_PERM_READ);
}

static void test_parse_format(void)
{
    struct xs_perm *p;
    unsigned int n;
    char buf[64];
    size_t l;

    CHECK(perms_parse("n0\0r5\0b65535", 13, &p, &n) == 0);
    CHECK(n == 3 && p[0].id == 0 && p[0].perm == XS_PERM_NONE && p[1].id == 5 &&
          p[1].perm == XS_PERM_READ && p[2].id == 65535 && p[2].perm == XS_PERM_BOTH);
    l = perms_format(p, n, buf, sizeof(buf));
    CHECK(l == 13 && !memcmp(buf, "n0\0r5\0b65535", 13));
    free(p);
    CHECK(perms_parse("x0", 3, &p, &n) == EINVAL);
    CHECK(perms_parse("r", 2, &p, &n) == EINVAL);
    CHECK(perms_parse("r5x", 4, &p, &n) == EINVAL);
    CHECK(perms_parse("r65536", 7, &p, &n) == EINVAL);
    CHECK(perms_parse("r-1", 4, &p, &n) == EINVAL);
    CHECK(perms_parse("r5", 2, &p, &n) == EINVAL); /* missing NUL */
    CHECK(perms_format(p, 0, buf, 0) == 0);
}

/* libxl-style home: /local/domain/5 owned by dom0, readable by 5. */
static void home(struct client *d0, unsigned int domid)
{
    char path[64], r[16];

    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    snprintf(r, sizeof(r), "r%u", domid);
    wr(d0, 0, path, "");
    CHECK(IS_LIT(rqv(d0, XS_SET_PERMS, 0, 3, path, "n0", r), "OK"));
}

static void test_access(void)
{
    struct client *d0 = client_new(0, true);
    struct client *g5 = client_new(5, false), *g6 = client_new(6, false);
    struct reply r;

    home(d0, 5);
    wr(d0, 0, "/local/domain/5/name", "guest");
    CHECK(IS_STR(RD(g5, 0, "name"), "guest")); /* inherited n0 r5 */
    CHECK(IS_ERR(RD(g6, 0, "/local/domain/5/name"), "EACCES"));
    CHECK(IS_ERR(wr(g5, 0, "name", "x"), "EACCES")); /* read only */
    CHECK(IS_ERR(RD(g5, 0, "/tool/xenstored"), "EACCES"));
    /* missing node: EACCES if the nearest ancestor is unreadable, else ENOENT */
    CHECK(IS_ERR(RD(g6, 0, "/local/domain/5/nope"), "EACCES"));
    CHECK(IS_ERR(RD(g5, 0, "nope"), "ENOENT"));
    /* writable subdirectory: guest creates nodes it then owns */
    wr(d0, 0, "/local/domain/5/device", "");
    rqv(d0, XS_SET_PERMS, 0, 2, "/local/domain/5/device", "b5");
    CHECK(IS_LIT(wr(g5, 0, "device/vif/0/state", "1"), "OK"));
    r = GETP(g5, 0, "device/vif/0/state");
    CHECK(IS_LIT(r, "b5"));
    /* dom0 writes inside keep dom0's inherited owner */
    wr(d0, 0, "/local/domain/5/data/x", "");
    CHECK(IS_LIT(GETP(d0, 0, "/local/domain/5/data/x"), "n0\0r5"));
    /* rm needs write on the node */
    CHECK(IS_ERR(RM(g5, 0, "name"), "EACCES"));
    CHECK(IS_ERR(MKD(g5, 0, "name"), "EACCES"));
    CHECK(IS_LIT(RM(g5, 0, "device/vif"), "OK"));
    CHECK(IS_ERR(rqv(g6, XS_DIRECTORY, 0, 1, "/local/domain/5"), "EACCES"));
    CHECK(IS_ERR(GETP(g6, 0, "/local/domain/5"), "EACCES"));
}

static void test_set_perms(void)
{
    struct client *d0 = client_new(0, true);
    struct client *g5 = client_new(5, false);

    home(d0, 5);
    wr(d0, 0, "/local/domain/5/fe", "");
    rqv(d0, XS_SET_PERMS, 0, 2, "/local/domain/5/fe", "b5");
    wr(g5, 0, "fe/mine", "");
    CHECK(IS_LIT(GETP(g5, 0, "fe/mine"), "b5"));
    CHECK(IS_LIT(rqv(g5, XS_SET_PERMS, 0, 3, "fe/mine", "n5", "r0"), "OK"));
    CHECK(IS_LIT(GETP(g5, 0, "fe/mine"), "n5\0r0"));
    /* only a privileged caller may change the owner */
    CHECK(IS_ERR(rqv(g5, XS_SET_PERMS, 0, 2, "fe/mine", "n6"), "EPERM"));
    CHECK(IS_LIT(rqv(d0, XS_SET_PERMS, 0, 2, "/local/domain/5/fe/mine", "n6"), "OK"));
    CHECK(IS_ERR(RD(g5, 0, "fe/mine"), "EACCES"));
    /* syntax and quota */
    CHECK(IS_ERR(rqv(d0, XS_SET_PERMS, 0, 2, "/local/domain/5/fe", "q1"), "EINVAL"));
    CHECK(IS_ERR(rqv(d0, XS_SET_PERMS, 0, 1, "/local/domain/5/fe"), "EINVAL"));
    CHECK(IS_ERR(rqv(g5, XS_SET_PERMS, 0, 7, "fe", "b5", "r1", "r2", "r3", "r4", "r6"), "ENOSPC"));
    CHECK(IS_LIT(rqv(g5, XS_SET_PERMS, 0, 6, "fe", "b5", "r1", "r2", "r3", "r4"), "OK"));
    CHECK(IS_ERR(rqv(d0, XS_SET_PERMS, 0, 2, "/nope", "n0"), "ENOENT"));
    /* specials */
    CHECK(IS_LIT(GETP(d0, 0, "@releaseDomain"), "n0"));
    CHECK(IS_ERR(GETP(g5, 0, "@releaseDomain"), "EACCES"));
    CHECK(IS_LIT(rqv(d0, XS_SET_PERMS, 0, 3, "@releaseDomain", "n0", "r5"), "OK"));
    CHECK(IS_LIT(GETP(g5, 0, "@releaseDomain"), "n0\0r5"));
    CHECK(IS_ERR(GETP(d0, 0, "@other"), "ENOENT"));
}

static void test_target(void)
{
    static char page[2][4096] __attribute__((aligned(4096)));
    struct client *d0 = client_new(0, true);
    struct conn *dm;

    home(d0, 5);
    wr(d0, 0, "/local/domain/5/fe", "");
    rqv(d0, XS_SET_PERMS, 0, 2, "/local/domain/5/fe", "n5");
    CHECK(domain_attach(9, page[0], -1) == 0); /* a device-model stub domain */
    dm = domain_find(9)->conn;
    CHECK(perm_for(dm, db_get("/local/domain/5/fe")->perms, 1) == XS_PERM_NONE);
    CHECK(IS_LIT(rqv(d0, XS_SET_TARGET, 0, 2, "9", "5"), "OK"));
    CHECK(perm_for(dm, db_get("/local/domain/5/fe")->perms, 1) == XS_PERM_BOTH);
    CHECK(IS_ERR(rqv(d0, XS_SET_TARGET, 0, 2, "8", "5"), "ENOENT"));
}

static void test_quota_nodes(void)
{
    struct client *d0 = client_new(0, true);
    struct client *g5 = client_new(5, false);
    char big[3000];

    xs_quota.nodes_per_domain = 3;
    home(d0, 5);
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/5", "n0", "b5");
    CHECK(IS_LIT(wr(g5, 0, "a", ""), "OK"));
    CHECK(IS_LIT(wr(g5, 0, "b", ""), "OK"));
    CHECK(IS_ERR(wr(g5, 0, "c/d", ""), "ENOSPC")); /* would make 4 */
    CHECK(IS_LIT(wr(g5, 0, "c", ""), "OK"));
    CHECK(IS_ERR(wr(g5, 0, "e", ""), "ENOSPC"));
    CHECK(db_owned(5) == 3);
    CHECK(IS_LIT(RM(g5, 0, "a"), "OK"));
    CHECK(db_owned(5) == 2);
    CHECK(IS_LIT(wr(g5, 0, "e", ""), "OK"));
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK(IS_ERR(wr(g5, 0, "e", big), "ENOSPC")); /* value over 2048 bytes */
    big[2048] = '\0';
    CHECK(IS_LIT(wr(g5, 0, "e", big), "OK"));
    CHECK(IS_LIT(wr(d0, 0, "/local/domain/5/f", big), "OK")); /* dom0 exempt */
}

int main(void)
{
    RUN(test_perm_for);
    RUN(test_parse_format);
    RUN(test_access);
    RUN(test_set_perms);
    RUN(test_target);
    RUN(test_quota_nodes);
    TEST_MAIN_END("test-perms");
}
