/* Unit tests: node tree operations over the wire (write/read/mkdir/rm/directory, paths). */
#include "xs_test.h"

static void test_write_read(void)
{
    struct client *d0 = client_new(0, true);
    struct reply r;

    r = wr(d0, 0, "/a/b/c", "hello");
    CHECK(IS_LIT(r, "OK"));
    CHECK(r.type == XS_WRITE);
    r = RD(d0, 0, "/a/b/c");
    CHECK(r.type == XS_READ && IS_STR(r, "hello"));
    r = RD(d0, 0, "/a/b"); /* created parents have empty values */
    CHECK(IS_STR(r, ""));
    r = DIR(d0, 0, "/a");
    CHECK(IS_LIT(r, "b"));
    wr(d0, 0, "/a/x", "1");
    r = DIR(d0, 0, "/a");
    CHECK(IS_LIT(r, "b\0x"));
    r = wr(d0, 0, "/a/b/c", "");
    r = RD(d0, 0, "/a/b/c");
    CHECK(r.len == 0 && r.type == XS_READ);
    r = DIR(d0, 0, "/a/b/c"); /* leaf: empty list */
    CHECK(r.type == XS_DIRECTORY && r.len == 0);
    r = DIR(d0, 0, "/");
    CHECK(IS_LIT(r, "tool\0a"));
}

static void test_missing(void)
{
    struct client *d0 = client_new(0, true);
    struct reply r;

    r = RD(d0, 0, "/nope");
    CHECK(IS_ERR(r, "ENOENT"));
    r = DIR(d0, 0, "/nope/deeper");
    CHECK(IS_ERR(r, "ENOENT"));
    r = GETP(d0, 0, "/nope");
    CHECK(IS_ERR(r, "ENOENT"));
}

static void test_mkdir_rm(void)
{
    struct client *d0 = client_new(0, true);
    struct reply r;

    r = MKD(d0, 0, "/m/n");
    CHECK(IS_LIT(r, "OK"));
    wr(d0, 0, "/m/n", "v");
    r = MKD(d0, 0, "/m/n"); /* existing: value kept */
    CHECK(IS_LIT(r, "OK"));
    CHECK(IS_STR(RD(d0, 0, "/m/n"), "v"));
    wr(d0, 0, "/m/n/o/p", "deep");
    r = RM(d0, 0, "/m/n");
    CHECK(IS_LIT(r, "OK"));
    CHECK(IS_ERR(RD(d0, 0, "/m/n/o/p"), "ENOENT"));
    CHECK(IS_ERR(RD(d0, 0, "/m/n/o"), "ENOENT"));
    CHECK(IS_ERR(RD(d0, 0, "/m/n"), "ENOENT"));
    CHECK(is_data(DIR(d0, 0, "/m"), "", 0));
    r = RM(d0, 0, "/m/n"); /* gone, parent exists: fine */
    CHECK(IS_LIT(r, "OK"));
    r = RM(d0, 0, "/m/zz/yy"); /* parent missing */
    CHECK(IS_ERR(r, "ENOENT"));
    r = RM(d0, 0, "/");
    CHECK(IS_ERR(r, "EINVAL"));
    CHECK(db_get("/m/n/o/p") == NULL && db_get("/m") != NULL);
}

static void test_bad_paths(void)
{
    struct client *d0 = client_new(0, true);
    static const char *const bad[] = {"", "/a//b", "/a/", "/a b", "/a\x01", "/a*", "@x/y"};
    char longp[XENSTORE_ABS_PATH_MAX + 10];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct reply r = wr(d0, 0, bad[i], "v");
        CHECK(IS_ERR(r, "EINVAL"));
    }
    CHECK(IS_ERR(RD(d0, 0, "@introduceDomain"), "EINVAL"));
    memset(longp, 'a', sizeof(longp) - 1);
    longp[0] = '/';
    longp[XENSTORE_ABS_PATH_MAX + 1] = '\0'; /* one byte over */
    CHECK(IS_ERR(wr(d0, 0, longp, ""), "EINVAL"));
    longp[XENSTORE_ABS_PATH_MAX] = '\0'; /* exactly the limit */
    CHECK(IS_LIT(wr(d0, 0, longp, ""), "OK"));
    CHECK(IS_LIT(wr(d0, 0, "/ok-_@/A9", "v"), "OK"));
}

static void test_relative(void)
{
    struct client *d0 = client_new(0, true);
    struct client *g = client_new(7, false);

    wr(d0, 0, "/local/domain/7", "");
    rqv(d0, XS_SET_PERMS, 0, 3, "/local/domain/7", "n0", "b7");
    CHECK(IS_LIT(wr(g, 0, "device/vif", "x"), "OK"));
    CHECK(IS_STR(RD(d0, 0, "/local/domain/7/device/vif"), "x"));
    CHECK(IS_STR(RD(g, 0, "device/vif"), "x"));
    CHECK(IS_LIT(wr(d0, 0, "name", "Domain-0"), "OK")); /* dom0 relative: /local/domain/0 */
    CHECK(IS_STR(RD(d0, 0, "/local/domain/0/name"), "Domain-0"));
    CHECK(IS_LIT(rqv(g, XS_GET_DOMAIN_PATH, 0, 1, "7"), "/local/domain/7"));
    CHECK(IS_ERR(rqv(g, XS_GET_DOMAIN_PATH, 0, 1, "x7"), "EINVAL"));
}

static void test_directory_part(void)
{
    struct client *d0 = client_new(0, true);
    char name[64], all[16384];
    size_t alllen = 0, got = 0;
    unsigned long gen = 0;
    struct reply r;

    for (int i = 0; i < 400; i++) {
        char path[96];
        snprintf(name, sizeof(name), "child-with-a-long-name-%03d", i);
        snprintf(path, sizeof(path), "/big/%s", name);
        wr(d0, 0, path, "");
        memcpy(all + alllen, name, strlen(name) + 1);
        alllen += strlen(name) + 1;
    }
    CHECK(alllen > XENSTORE_PAYLOAD_MAX);
    r = DIR(d0, 0, "/big");
    CHECK(IS_ERR(r, "E2BIG"));
    for (int round = 0; round < 10; round++) {
        char off[16];
        size_t gl, chunk;
        snprintf(off, sizeof(off), "%zu", got);
        r = rqv(d0, XS_DIRECTORY_PART, 0, 2, "/big", off);
        CHECK(r.type == XS_DIRECTORY_PART && r.len <= XENSTORE_PAYLOAD_MAX);
        gl = strlen(r.data) + 1;
        if (round == 0)
            gen = strtoul(r.data, NULL, 10);
        CHECK(strtoul(r.data, NULL, 10) == gen);
        chunk = r.len - gl;
        if (chunk && r.data[r.len - 1] == '\0' && r.data[r.len - 2] == '\0') {
            CHECK(got + chunk - 1 == alllen);
            CHECK(!memcmp(all + got, r.data + gl, chunk - 1));
            got += chunk - 1;
            break;
        }
        CHECK(!memcmp(all + got, r.data + gl, chunk));
        got += chunk;
    }
    CHECK(got == alllen);
    CHECK(IS_ERR(rqv(d0, XS_DIRECTORY_PART, 0, 2, "/big", "999999"), "EINVAL"));
    CHECK(IS_ERR(rqv(d0, XS_DIRECTORY_PART, 0, 1, "/big"), "EINVAL"));
}

static void test_generation(void)
{
    struct client *d0 = client_new(0, true);
    uint64_t g1, g2;

    wr(d0, 0, "/g", "1");
    g1 = db_get("/g")->gen;
    wr(d0, 0, "/g", "2");
    g2 = db_get("/g")->gen;
    CHECK(g2 > g1);
    wr(d0, 0, "/g/child", "");
    CHECK(db_get("/g")->gen > g2); /* the parent's child list changed */
}

int main(void)
{
    RUN(test_write_read);
    RUN(test_missing);
    RUN(test_mkdir_rm);
    RUN(test_bad_paths);
    RUN(test_relative);
    RUN(test_directory_part);
    RUN(test_generation);
    TEST_MAIN_END("test-tree");
}
