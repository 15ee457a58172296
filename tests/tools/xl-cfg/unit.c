/* Unit and hostile-input tests for the xl.cfg lexer, parser, disk and vif parsers (ASan/UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check.h"
#include "disk.h"
#include "domain_config.h"
#include "vif.h"

static FILE *devnull;

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* Parse TEXT; returns the error count, the settings left in CFG. */
static int parse(struct cfg *cfg, const char *text, size_t len)
{
    struct diag d = {devnull, 0, 0};

    return cfg_parse(cfg, text, len, "unit", &d);
}

static void test_grammar(void)
{
    static const char text[] = "a = [ 1, [ 'x', [] ], ]\n"
                               "b = \"q\\\"\\x41\\101\"; b += 'z'\n"
                               "l = [ 'p' ]\nl += [\n 'q',\n]\n";
    struct cfg cfg = {0};
    const struct cfg_setting *s;

    CHECK(parse(&cfg, text, sizeof(text) - 1) == 0);
    s = cfg_find(&cfg, "a");
    CHECK(s && s->value->kind == CFG_LIST && s->value->n_items == 2);
    if (s && s->value->n_items == 2) {
        CHECK(s->value->items[0]->is_number && !strcmp(s->value->items[0]->str, "1"));
        CHECK(s->value->items[1]->kind == CFG_LIST && s->value->items[1]->n_items == 2);
        CHECK(s->value->items[1]->items[1]->n_items == 0);
    }
    s = cfg_find(&cfg, "b");
    CHECK(s && s->value->kind == CFG_STRING && !strcmp(s->value->str, "q\"AAz"));
    s = cfg_find(&cfg, "l");
    CHECK(s && s->value->n_items == 2 && !strcmp(s->value->items[1]->str, "q"));
    CHECK(s && s->line == 4);
    cfg_free(&cfg);
}

static void test_errors(void)
{
    static const char *const bad[] = {
        "a = \"x\n", "a = 08\n", "a 1\n",         "a = \n",        "a = [1 2]\n",
        "a = [\n",   "A = 1\n",  "a = \"\\q\"\n", "a = \"\\0\"\n", "= 1\n",
        "a = 1 2\n", "a = x\n",  "a = [ , ]\n",   "a = 1.5\n",     "a = 'x'\na += [ 1 ]\n",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cfg cfg = {0};

        if (parse(&cfg, bad[i], strlen(bad[i])) == 0) {
            fprintf(stderr, "accepted bad input %zu: %s", i, bad[i]);
            checks_failed++;
        } else {
            checks_passed++;
        }
        cfg_free(&cfg);
    }
}

static void test_depth(void)
{
    size_t n = 200000, i;
    char *buf = malloc(2 * n + 8);
    struct cfg cfg = {0};

    memcpy(buf, "a = ", 4);
    for (i = 0; i < n; i++) {
        buf[4 + i] = '[';
        buf[4 + n + i] = ']';
    }
    CHECK(parse(&cfg, buf, 4 + 2 * n) > 0);
    cfg_free(&cfg);
    free(buf);
}

static void test_rate(void)
{
    uint64_t b = 0;
    uint32_t u = 0;

    CHECK(!vif_parse_rate("10Mb/s@20ms", &b, &u) && b == 25000 && u == 20000);
    CHECK(!vif_parse_rate("1KB/s", &b, &u) && b == 50 && u == 50000);
    CHECK(!vif_parse_rate("4294967295GB/s@1us", &b, &u) && b == 4294967295000ull);
    CHECK(vif_parse_rate("4294967295GB/s@4294s", &b, &u) != NULL);
    CHECK(vif_parse_rate("0B/s", &b, &u) != NULL);
    CHECK(vif_parse_rate("99999999999B/s", &b, &u) != NULL);
    CHECK(vif_parse_rate("1B/s@0ms", &b, &u) != NULL);
    CHECK(vif_parse_rate("@1s", &b, &u) != NULL);
}

static void test_vdev(void)
{
    CHECK(disk_vdev_valid("xvda") && disk_vdev_valid("xvdaa15") && disk_vdev_valid("hdc"));
    CHECK(disk_vdev_valid("sdb2") && disk_vdev_valid("d0p1") && disk_vdev_valid("51712"));
    CHECK(!disk_vdev_valid("") && !disk_vdev_valid("hdaa") && !disk_vdev_valid("xvd"));
    CHECK(!disk_vdev_valid("d0p") && !disk_vdev_valid("vda") && !disk_vdev_valid("xvda-1"));
}

/* Random bytes, and random soups of grammar fragments, through every parser. */
static void test_hostile(void)
{
    static const char *const frags[] = {
        "name",
        " = ",
        "+=",
        "[",
        "]",
        ",",
        ";",
        "\n",
        "#c\n",
        "'s'",
        "\"d\\\"q\"",
        "0x1f",
        "017",
        "12",
        "'",
        "\"",
        "\\",
        "disk",
        "vif",
        "memory",
        "vcpus",
        "type",
        "'pvh'",
        "\r\n",
        "\t",
        "'phy:/dev/x,xvda,w'",
        "'mac=00:16:3e:00:00:01,rate=1Mb/s'",
        "(",
        ".",
        "\x01",
        "\xff",
        "kernel",
        "'/k'",
        "maxmem",
        "on_crash",
        "'preserve'",
        "\0",
    };
    char buf[600];
    int iter;

    for (iter = 0; iter < 20000; iter++) {
        size_t len = 0, want = next_rand() % 512;
        struct cfg cfg = {0};
        struct diag d = {devnull, 0, 0};

        if (iter & 1) {
            while (len < want)
                buf[len++] = (char)next_rand();
        } else {
            while (len < want) {
                size_t k = next_rand() % (sizeof(frags) / sizeof(frags[0]));
                size_t fl = frags[k][0] ? strlen(frags[k]) : 1;

                if (len + fl > sizeof(buf))
                    break;
                memcpy(buf + len, frags[k], fl);
                len += fl;
            }
        }
        cfg_parse(&cfg, buf, len, "fuzz", &d);
        if (!d.errors) {
            struct domain_config dc = {0};

            if (!domain_config_build(&dc, &cfg, "fuzz", &d)) {
                domain_config_print_json(&dc, devnull);
                domain_config_check_support(&dc, "fuzz", &d);
            }
            domain_config_free(&dc);
        }
        cfg_free(&cfg);

        /* The device parsers take any NUL-terminated string. */
        buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
        for (size_t i = 0; i < len; i++)
            if (!buf[i])
                buf[i] = ',';
        struct disk_spec disk = {0};
        struct vif_spec vif = {0};

        disk_spec_parse(&disk, buf, &d, "fuzz", 1);
        disk_spec_free(&disk);
        vif_spec_parse(&vif, buf, 0, &d, "fuzz", 1);
        vif_spec_free(&vif);
    }
}

int main(void)
{
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        return 2;
    test_grammar();
    test_errors();
    test_depth();
    test_rate();
    test_vdev();
    test_hostile();
    fclose(devnull);
    return check_summary("xl-cfg unit tests");
}
