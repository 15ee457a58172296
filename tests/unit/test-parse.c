// Unit test: hv_strtoull and hv_parse_size (Xen's parse_size_and_unit rules).
// SOURCES: hv/common/lib/strtoul.c
#include "harness.h"
#include <hv/lib.h>

static void test_strtoull_bases(void)
{
    const char *end;

    CHECK_EQ(hv_strtoull("12345", &end, 0), 12345);
    CHECK_EQ(*end, '\0');
    CHECK_EQ(hv_strtoull("0x1f", &end, 0), 0x1f);
    CHECK_EQ(*end, '\0');
    CHECK_EQ(hv_strtoull("0XAbC,", &end, 0), 0xabc);
    CHECK_EQ(*end, ',');
    CHECK_EQ(hv_strtoull("0755", &end, 0), 755); /* a leading 0 is NOT octal */
    CHECK_EQ(hv_strtoull("ff", &end, 16), 0xff);
    CHECK_EQ(hv_strtoull("0x10", &end, 16), 0x10);
    CHECK_EQ(hv_strtoull("777", &end, 8), 0777);
    CHECK_EQ(hv_strtoull("1019", &end, 2), 5); /* stops at the first non-binary digit */
    CHECK_EQ(*end, '9');
    CHECK_EQ(hv_strtoull("zz", &end, 36), 35 * 36 + 35);
}

static void test_strtoull_edges(void)
{
    const char *s = "abc", *end = NULL;

    CHECK_EQ(hv_strtoull(s, &end, 0), 0);
    CHECK(end == s); /* no digits: nothing consumed */
    s = "0x";
    CHECK_EQ(hv_strtoull(s, &end, 0), 0);
    CHECK(end == s + 1); /* "0" parsed, "x" left */
    s = "0xg";
    CHECK_EQ(hv_strtoull(s, &end, 16), 0);
    CHECK(end == s + 1);
    CHECK(hv_strtoull("18446744073709551615", &end, 10) == UINT64_MAX);
    CHECK_EQ(*end, '\0');
    CHECK(hv_strtoull("18446744073709551616", &end, 10) == UINT64_MAX); /* saturates */
    CHECK(hv_strtoull("0xffffffffffffffffff", &end, 0) == UINT64_MAX);
    CHECK_EQ(*end, '\0');
    CHECK_EQ(hv_strtoull("12", NULL, 0), 12);
    s = "5";
    CHECK_EQ(hv_strtoull(s, &end, 1), 0); /* invalid base */
    CHECK(end == s);
    CHECK_EQ(hv_strtoull("-5", &end, 0), 0); /* unsigned: no sign accepted */
}

static void test_parse_size_units(void)
{
    const char *end;

    CHECK_EQ(hv_parse_size("512M", &end), 512ULL << 20);
    CHECK_EQ(*end, '\0');
    CHECK_EQ(hv_parse_size("2g", &end), 2ULL << 30);
    CHECK_EQ(hv_parse_size("1T", &end), 1ULL << 40);
    CHECK_EQ(hv_parse_size("64k", &end), 64ULL << 10);
    CHECK_EQ(hv_parse_size("4096B", &end), 4096);
    CHECK_EQ(hv_parse_size("100b,x", &end), 100);
    CHECK_EQ(*end, ',');
    /* No suffix: KiB, as Xen. */
    CHECK_EQ(hv_parse_size("524288", &end), 512ULL << 20);
    CHECK_EQ(*end, '\0');
    CHECK_EQ(hv_parse_size("0x100", &end), 0x100ULL << 10);
    CHECK_EQ(hv_parse_size("1M+25%", &end), 1ULL << 20);
    CHECK_EQ(*end, '+');
}

static void test_parse_size_percent_and_errors(void)
{
    const char *s, *end;

    CHECK_EQ(hv_parse_size("25%", &end), 25); /* unscaled, '%' left for the caller */
    CHECK_EQ(*end, '%');
    CHECK_EQ(hv_parse_size("25%", NULL), 25ULL << 10); /* no end pointer: default unit */
    s = "M";
    CHECK_EQ(hv_parse_size(s, &end), 0);
    CHECK(end == s); /* no digits: suffix not consumed */
    s = "b";
    CHECK_EQ(hv_parse_size(s, &end), 0);
    CHECK(end == s);
    CHECK(hv_parse_size("20000000T", &end) == UINT64_MAX); /* overflow saturates */
    CHECK(hv_parse_size("16777215T", &end) == (16777215ULL << 40));
}

TEST_MAIN("parse", TEST(test_strtoull_bases), TEST(test_strtoull_edges),
          TEST(test_parse_size_units), TEST(test_parse_size_percent_and_errors))
