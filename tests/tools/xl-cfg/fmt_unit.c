/* Unit tests for xl's pure formatting and parsing (tools/xl/fmt.c), under ASan/UBSan. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fmt.h"

/* Run a row printer into a string (the caller frees it). */
#define CAPTURE(buf, call)                                                                         \
    do {                                                                                           \
        size_t len_;                                                                               \
        FILE *f_ = open_memstream(&(buf), &len_);                                                  \
        call;                                                                                      \
        fclose(f_);                                                                                \
    } while (0)

static void test_memsize(void)
{
    uint64_t kb = 0;

    CHECK(xl_parse_memsize("512", &kb) == 0 && kb == 512 * 1024);
    CHECK(xl_parse_memsize("512m", &kb) == 0 && kb == 512 * 1024);
    CHECK(xl_parse_memsize("2G", &kb) == 0 && kb == 2 * 1024 * 1024);
    CHECK(xl_parse_memsize("1t", &kb) == 0 && kb == 1024ULL * 1024 * 1024);
    CHECK(xl_parse_memsize("300k", &kb) == 0 && kb == 300);
    CHECK(xl_parse_memsize("4096b", &kb) == 0 && kb == 4);
    CHECK(xl_parse_memsize("", &kb) == -1);
    CHECK(xl_parse_memsize("m", &kb) == -1);
    CHECK(xl_parse_memsize("-5", &kb) == -1);
    CHECK(xl_parse_memsize("12mb", &kb) == -1);
    CHECK(xl_parse_memsize("12x", &kb) == -1);
    CHECK(xl_parse_memsize("99999999999999999999", &kb) == -1);
    CHECK(xl_parse_memsize("17179869184t", &kb) == -1); /* 2^34 TiB overflows KiB in 64 bits */
}

static void test_cpumap(void)
{
    uint64_t m = 0;
    char buf[64];

    CHECK(xl_parse_cpumap("all", 4, &m) == 0 && m == 0xf);
    CHECK(xl_parse_cpumap("0-2,5", 8, &m) == 0 && m == 0x27);
    CHECK(xl_parse_cpumap("all,^1", 4, &m) == 0 && m == 0xd);
    CHECK(xl_parse_cpumap("0-3,^1-2", 4, &m) == 0 && m == 0x9);
    CHECK(xl_parse_cpumap("63", 64, &m) == 0 && m == 1ULL << 63);
    CHECK(xl_parse_cpumap("4", 4, &m) == -1);   /* no CPU 4 on a 4-CPU host */
    CHECK(xl_parse_cpumap("2-1", 4, &m) == -1); /* backwards range */
    CHECK(xl_parse_cpumap("1,", 4, &m) == -1);
    CHECK(xl_parse_cpumap("a", 4, &m) == -1);
    CHECK(xl_parse_cpumap("", 4, &m) == -1);
    CHECK(xl_parse_cpumap("1-", 4, &m) == -1);

    xl_format_cpumap(0xf, 4, buf, sizeof(buf));
    CHECK(!strcmp(buf, "all"));
    xl_format_cpumap(~0ULL, 2, buf, sizeof(buf));
    CHECK(!strcmp(buf, "all"));
    xl_format_cpumap(0x27, 8, buf, sizeof(buf));
    CHECK(!strcmp(buf, "0-2,5"));
    xl_format_cpumap(0x5, 8, buf, sizeof(buf));
    CHECK(!strcmp(buf, "0,2"));
    xl_format_cpumap(0, 8, buf, sizeof(buf));
    CHECK(!strcmp(buf, "none"));
    xl_format_cpumap(0xc0, 8, buf, sizeof(buf));
    CHECK(!strcmp(buf, "6-7"));
    xl_format_cpumap(0x5, 8, buf, 3); /* cut short, still terminated */
    CHECK(strlen(buf) <= 2);
}

static void test_uptime(void)
{
    char buf[64];

    xl_format_uptime(0, false, buf, sizeof(buf));
    CHECK(!strcmp(buf, " 0:00:00"));
    xl_format_uptime(3725, false, buf, sizeof(buf));
    CHECK(!strcmp(buf, " 1:02:05"));
    xl_format_uptime(86400 + 36000, false, buf, sizeof(buf));
    CHECK(!strcmp(buf, "1 day, 10:00:00"));
    xl_format_uptime(3 * 86400 + 61, true, buf, sizeof(buf));
    CHECK(!strcmp(buf, "3 days,  0:01"));
}

static void test_resolve(void)
{
    const struct xl_dom_name doms[] = {{0, "Domain-0"}, {3, "guest"}, {7, NULL}, {12, "web-1"}};
    uint32_t id = 99;

    CHECK(xl_resolve_domain("0", doms, 4, &id) == 0 && id == 0);
    CHECK(xl_resolve_domain("Domain-0", doms, 4, &id) == 0 && id == 0);
    CHECK(xl_resolve_domain("guest", doms, 4, &id) == 0 && id == 3);
    CHECK(xl_resolve_domain("7", doms, 4, &id) == 0 && id == 7);
    CHECK(xl_resolve_domain("web-1", doms, 4, &id) == 0 && id == 12);
    CHECK(xl_resolve_domain("5", doms, 4, &id) == -1);
    CHECK(xl_resolve_domain("gues", doms, 4, &id) == -1);
    CHECK(xl_resolve_domain("", doms, 4, &id) == -1);
    CHECK(xl_resolve_domain("0000000000003", doms, 4, &id) == -1); /* too long to be an id */
}

static void test_list_rows(void)
{
    struct xctrl_dominfo di;
    char *out = NULL;

    memset(&di, 0, sizeof(di));
    di.domid = 0;
    di.tot_pages = 131072; /* 512 MiB */
    di.nr_online_vcpus = 1;
    di.running = true;
    di.cpu_time_ns = 12345000000ULL;
    CAPTURE(out, xl_list_header(f_, false));
    CHECK(!strcmp(out,
                  "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"));
    free(out);
    CAPTURE(out, xl_list_row(f_, "Domain-0", &di, false));
    CHECK(!strcmp(out, "Domain-0                                     0   512     1     r-----      "
                       "12.3\n"));
    free(out);

    di.domid = 5;
    di.running = false;
    di.shutdown = true;
    di.shutdown_reason = 3; /* crash */
    di.dying = true;
    di.tot_pages = 65536;
    di.outstanding_pages = 256;
    di.cpu_time_ns = 0;
    di.handle[0] = 0xab;
    di.handle[15] = 0x01;
    CAPTURE(out, xl_list_row(f_, "guest", &di, false));
    CHECK(!strcmp(out,
                  "guest                                        5   257     1     ---scd       "
                  "0.0\n"));
    free(out);
    CAPTURE(out, xl_list_row(f_, NULL, &di, true));
    CHECK(out && strstr(out, "(null)") == out);
    CHECK(out && strstr(out, " ab000000-0000-0000-0000-000000000001        3                -\n"));
    free(out);
    di.shutdown = false;
    di.dying = false;
    di.paused = true;
    di.blocked = true;
    CAPTURE(out, xl_list_row(f_, "g", &di, true));
    CHECK(out && strstr(out, "     -bp---  "));
    CHECK(out && strstr(out, "0001        -                -\n"));
    free(out);
}

static void test_vcpu_rows(void)
{
    struct xctrl_vcpuinfo vi = {true, false, true, 1500000000ULL, 2};
    char *out = NULL;

    CAPTURE(out, xl_vcpu_header(f_));
    CHECK(!strcmp(out,
                  "Name                                ID  VCPU   CPU State   Time(s) Affinity "
                  "(Hard / Soft)\n"));
    free(out);
    CAPTURE(out, xl_vcpu_row(f_, "Domain-0", 0, 1, &vi, ~0ULL, 0x5, 4));
    CHECK(!strcmp(out, "Domain-0                             0     1    2   r--       1.5  all / "
                       "0,2\n"));
    free(out);
    vi.online = false;
    CAPTURE(out, xl_vcpu_row(f_, "g", 3, 0, &vi, 0x1, 0xf, 4));
    CHECK(!strcmp(out,
                  "g                                    3     0    -   --p       1.5  0 / all\n"));
    free(out);
}

static void test_info(void)
{
    char *out = NULL, caps[128];

    CAPTURE(out, xl_info_line(f_, "free_memory", "%d", 1234));
    CHECK(!strcmp(out, "free_memory            : 1234\n"));
    free(out);
    xl_virt_caps(XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1,
                 caps, sizeof(caps));
    CHECK(!strcmp(caps, " hvm hap gnttab-v1"));
    xl_virt_caps(XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_directio, caps,
                 sizeof(caps));
    CHECK(!strcmp(caps, " pv hvm hvm_directio pv_directio"));
    xl_virt_caps(0, caps, sizeof(caps));
    CHECK(!strcmp(caps, ""));
    CHECK(!strcmp(xl_sched_name(XEN_SCHEDULER_CREDIT), "credit"));
    CHECK(!strcmp(xl_sched_name(XEN_SCHEDULER_CREDIT2), "credit2"));
    CHECK(!strcmp(xl_sched_name(1234), "unknown"));
}

static void test_uuid(void)
{
    uint8_t h[16], g[16];
    char s[37];
    unsigned int i;

    for (i = 0; i < 16; i++)
        h[i] = (uint8_t)(i * 17);
    xl_format_uuid(h, s);
    CHECK(!strcmp(s, "00112233-4455-6677-8899-aabbccddeeff"));
    CHECK(xl_parse_uuid(s, g) == 0 && !memcmp(h, g, 16));
    CHECK(xl_parse_uuid("00112233-4455-6677-8899-AABBCCDDEEFF", g) == 0 && !memcmp(h, g, 16));
    CHECK(xl_parse_uuid("00112233-4455-6677-8899-aabbccddeef", g) == -1);
    CHECK(xl_parse_uuid("00112233x4455-6677-8899-aabbccddeeff", g) == -1);
    CHECK(xl_parse_uuid("0011223g-4455-6677-8899-aabbccddeeff", g) == -1);
}

int main(void)
{
    test_memsize();
    test_cpumap();
    test_uptime();
    test_resolve();
    test_list_rows();
    test_vcpu_rows();
    test_info();
    test_uuid();
    return check_summary("xl-fmt-unit");
}
