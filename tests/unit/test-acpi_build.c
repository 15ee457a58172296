// SOURCES: hv/common/acpi_build.c hv/common/libelf.c
/* Unit tests for the ACPI table builder: layout, checksums, reachability, and iasl round trips. */
#include "harness.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <hv/acpi_build.h>
#include <public/errno.h>

#define BASE 0xFC000000ULL

static uint8_t buf[8192];

static uint8_t sum8(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint8_t s = 0;
    while (n--)
        s += *b++;
    return s;
}

static const uint8_t *at(uint64_t gpa)
{
    if (gpa < BASE || gpa - BASE >= sizeof(buf))
        return NULL;
    return buf + (gpa - BASE);
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Check a standard header: signature, length, revision, checksum, OEM ids. */
static void check_table(const uint8_t *t, const char *sig, uint8_t rev)
{
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK(!memcmp(t, sig, 4));
    CHECK_EQ(t[8], rev);
    CHECK_EQ(sum8(t, rd32(t + 4)), 0);
    CHECK(!memcmp(t + 10, "XENOLI", 6));
    CHECK(!memcmp(t + 16, "XENOLITH", 8));
}

static void walk(unsigned int nr, const struct acpi_build_result *r)
{
    /* RSDP */
    const uint8_t *rsdp = at(r->rsdp_gpa);
    CHECK_EQ(r->rsdp_gpa, BASE);
    CHECK(!memcmp(rsdp, "RSD PTR ", 8));
    CHECK_EQ(sum8(rsdp, 20), 0);
    CHECK_EQ(sum8(rsdp, 36), 0);
    CHECK_EQ(rsdp[15], 2);
    CHECK(!memcmp(rsdp + 9, "XENOLI", 6));
    CHECK_EQ(rd32(rsdp + 20), 36);
    CHECK_EQ(rd64(rsdp + 24), r->xsdt_gpa);

    /* XSDT -> FADT, MADT */
    const uint8_t *xsdt = at(rd64(rsdp + 24));
    check_table(xsdt, "XSDT", 1);
    CHECK_EQ(rd32(xsdt + 4), 36 + 2 * 8);
    const uint8_t *fadt = NULL, *madt = NULL;
    for (unsigned int i = 0; i < 2; i++) {
        const uint8_t *t = at(rd64(xsdt + 36 + 8 * i));
        CHECK(t != NULL);
        if (t && !memcmp(t, "FACP", 4))
            fadt = t;
        if (t && !memcmp(t, "APIC", 4))
            madt = t;
    }

    /* FADT */
    check_table(fadt, "FACP", 6);
    CHECK_EQ(rd32(fadt + 4), 276);
    uint32_t flags = rd32(fadt + 112);
    CHECK(flags & (1u << 20)); /* HW_REDUCED_ACPI */
    CHECK(flags & (1u << 19)); /* APIC physical destination mode */
    CHECK(flags & (1u << 10)); /* reset register supported */
    uint16_t boot = (uint16_t)(fadt[109] | fadt[110] << 8);
    CHECK_EQ(boot & 1, 0);        /* no legacy devices */
    CHECK_EQ(boot & 2, 0);        /* no 8042 */
    CHECK(boot & 4);              /* no VGA */
    CHECK(boot & 0x20);           /* no CMOS RTC */
    CHECK_EQ(rd32(fadt + 36), 0); /* no FACS */
    CHECK_EQ(rd32(fadt + 40), r->dsdt_gpa);
    CHECK_EQ(rd64(fadt + 140), r->dsdt_gpa);
    /* RESET_REG at 116, value at 128; SLEEP_CONTROL at 244, SLEEP_STATUS at 256. */
    static const struct {
        unsigned int off;
        uint16_t port;
    } gas[] = {
        {116, ACPI_RESET_PORT}, {244, ACPI_SLEEP_CONTROL_PORT}, {256, ACPI_SLEEP_STATUS_PORT}};
    for (unsigned int i = 0; i < 3; i++) {
        const uint8_t *g = fadt + gas[i].off;
        CHECK_EQ(g[0], 1); /* system I/O */
        CHECK_EQ(g[1], 8);
        CHECK_EQ(g[2], 0);
        CHECK_EQ(g[3], 1);
        CHECK_EQ(rd64(g + 4), gas[i].port);
    }
    CHECK_EQ(fadt[128], ACPI_RESET_VALUE);
    /* The PM1/GPE blocks are all absent. */
    for (unsigned int off = 56; off < 88; off++)
        CHECK_EQ(fadt[off], 0);
    for (unsigned int off = 148; off < 244; off++)
        CHECK_EQ(fadt[off], 0);

    /* DSDT: exactly Name(_S5_, Package(2){5, 0}). */
    const uint8_t *dsdt = at(rd64(fadt + 140));
    static const uint8_t s5[] = {0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0A, 0x05, 0x00};
    check_table(dsdt, "DSDT", 2);
    CHECK_EQ(rd32(dsdt + 4), 36 + sizeof(s5));
    CHECK(!memcmp(dsdt + 36, s5, sizeof(s5)));

    /* MADT: LAPIC at 0xFEE00000, no PCAT_COMPAT, one enabled type-0 entry per vCPU, nothing else.
     */
    check_table(madt, "APIC", 4);
    CHECK_EQ(rd32(madt + 4), 44 + 8 * nr);
    CHECK_EQ(rd32(madt + 36), 0xFEE00000u);
    CHECK_EQ(rd32(madt + 40), 0);
    unsigned int count = 0;
    for (uint32_t off = 44; off < rd32(madt + 4); off += madt[off + 1]) {
        CHECK_EQ(madt[off], 0);
        CHECK_EQ(madt[off + 1], 8);
        CHECK_EQ(madt[off + 2], count);     /* ACPI processor UID = vCPU id */
        CHECK_EQ(madt[off + 3], 2 * count); /* APIC id = 2 x vCPU id, as Xen */
        CHECK_EQ(rd32(madt + off + 4), 1);
        count++;
        if (madt[off + 1] == 0)
            break;
    }
    CHECK_EQ(count, nr);

    /* Tables are 16-byte aligned, disjoint, in order, and inside the reported size. */
    uint64_t g[] = {r->rsdp_gpa, r->xsdt_gpa, r->fadt_gpa, r->dsdt_gpa, r->madt_gpa};
    uint32_t len[] = {36, rd32(xsdt + 4), rd32(fadt + 4), rd32(dsdt + 4), rd32(madt + 4)};
    for (unsigned int i = 0; i < 5; i++) {
        CHECK_EQ(g[i] % 16, 0);
        if (i)
            CHECK(g[i - 1] + len[i - 1] <= g[i]);
    }
    CHECK_EQ(r->madt_gpa + len[4] - BASE, r->size);
}

static void build_and_walk(void)
{
    static const unsigned int counts[] = {1, 2, 3, 8, 64, 100, ACPI_MAX_VCPUS};
    for (unsigned int i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        struct acpi_build_result r, r2;
        struct build_err err;
        memset(buf, 0xEE, sizeof(buf));
        CHECK_EQ(acpi_build_tables(buf, sizeof(buf), BASE, &(struct acpi_build_params){counts[i]},
                                   &r, &err),
                 0);
        CHECK_EQ(r.size, acpi_build_size(counts[i]));
        walk(counts[i], &r);
        /* Dry run (no buffer) reports the same placement. */
        CHECK_EQ(
            acpi_build_tables(NULL, 0, BASE, &(struct acpi_build_params){counts[i]}, &r2, &err), 0);
        CHECK(!memcmp(&r, &r2, sizeof(r)));
    }
    /* The builder's own buffer in pvh_build holds 64 vCPUs' worth. */
    CHECK(acpi_build_size(64) <= 1024);
}

static void bad_inputs(void)
{
    struct acpi_build_result r;
    struct build_err err;

    CHECK_EQ(acpi_build_tables(buf, sizeof(buf), BASE, &(struct acpi_build_params){0}, &r, &err),
             -XEN_EINVAL);
    CHECK(strstr(err.msg, "at least one vCPU") != NULL);
    CHECK_EQ(acpi_build_tables(buf, sizeof(buf), BASE, &(struct acpi_build_params){128}, &r, &err),
             -XEN_EINVAL);
    CHECK(strstr(err.msg, "128 vCPUs exceed the MADT limit of 127") != NULL);
    CHECK_EQ(acpi_build_tables(buf, acpi_build_size(4) - 1, BASE, &(struct acpi_build_params){4},
                               &r, &err),
             -XEN_ENOSPC);
    CHECK(strstr(err.msg, "buffer has") != NULL);
    CHECK_EQ(
        acpi_build_tables(buf, sizeof(buf), BASE + 8, &(struct acpi_build_params){1}, &r, &err),
        -XEN_EINVAL);
    CHECK_EQ(acpi_build_tables(buf, sizeof(buf), 0xFFFFFF00ULL, &(struct acpi_build_params){1}, &r,
                               &err),
             -XEN_EINVAL);
    CHECK(strstr(err.msg, "cross 4 GiB") != NULL);
    CHECK_EQ(acpi_build_size(0), 0);
    CHECK_EQ(acpi_build_size(128), 0);
    CHECK_EQ(
        acpi_build_tables(buf, acpi_build_size(4), BASE, &(struct acpi_build_params){4}, &r, &err),
        0);
}

static void checksum_helper(void)
{
    uint8_t t[5] = {1, 2, 3, 4, 0};
    t[4] = acpi_checksum(t, 4);
    CHECK_EQ(sum8(t, 5), 0);
    CHECK_EQ(acpi_checksum(t, 0), 0);
}

/* ---- iasl: disassemble every table, recompile it, compare with ours ---- */

static int run(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    char line[512];
    bool found = false;

    if (!f)
        return false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static void iasl_roundtrip(void)
{
    struct acpi_build_result r;
    struct build_err err;
    char dir[] = "/tmp/xenolith-acpi-XXXXXX";
    char cmd[1024], path[512];

    if (run("command -v iasl >/dev/null 2>&1") != 0) {
        fprintf(stderr, "  iasl not found: install Debian's acpica-tools (apt-get install "
                        "acpica-tools) to validate the tables\n");
        CHECK(!"iasl available");
        return;
    }
    CHECK(mkdtemp(dir) != NULL);
    CHECK_EQ(acpi_build_tables(buf, sizeof(buf), BASE, &(struct acpi_build_params){4}, &r, &err),
             0);
    static const char *names[] = {"xsdt", "facp", "dsdt", "apic"};
    uint64_t gpas[] = {r.xsdt_gpa, r.fadt_gpa, r.dsdt_gpa, r.madt_gpa};
    for (unsigned int i = 0; i < 4; i++) {
        const uint8_t *t = at(gpas[i]);
        uint32_t len = rd32(t + 4);
        snprintf(path, sizeof(path), "%s/%s.dat", dir, names[i]);
        FILE *f = fopen(path, "wb");
        CHECK(f && fwrite(t, 1, len, f) == len);
        fclose(f);

        /* Disassemble: must succeed with no checksum complaint or unknown subtables. */
        snprintf(cmd, sizeof(cmd), "cd %s && iasl -d %s.dat >%s.dlog 2>&1", dir, names[i],
                 names[i]);
        CHECK_EQ(run(cmd), 0);
        snprintf(path, sizeof(path), "%s/%s.dsl", dir, names[i]);
        CHECK(access(path, R_OK) == 0);
        CHECK(!file_has(path, "Incorrect checksum"));
        CHECK(!file_has(path, "Unknown"));
        CHECK(!file_has(path, "Invalid"));
        CHECK(!file_has(path, "**"));

        /* Recompile: no errors or warnings, identical bytes except checksum and creator. */
        snprintf(cmd, sizeof(cmd), "cd %s && iasl -p rt_%s %s.dsl >%s.clog 2>&1", dir, names[i],
                 names[i], names[i]);
        CHECK_EQ(run(cmd), 0);
        snprintf(path, sizeof(path), "%s/%s.clog", dir, names[i]);
        CHECK(file_has(path, "0 Errors, 0 Warnings"));
        snprintf(path, sizeof(path), "%s/rt_%s.aml", dir, names[i]);
        f = fopen(path, "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        uint8_t back[4096];
        size_t n = fread(back, 1, sizeof(back), f);
        fclose(f);
        CHECK_EQ(n, len);
        for (size_t j = 0; j < n && j < len; j++) {
            if (j == 9 || (j >= 28 && j < 36))
                continue; /* checksum, creator id and revision are the compiler's */
            if (back[j] != t[j]) {
                fprintf(stderr, "  %s: byte %zu is 0x%02x after iasl, 0x%02x from us\n", names[i],
                        j, back[j], t[j]);
                CHECK(!"iasl round trip identical");
                break;
            }
        }
    }
    snprintf(path, sizeof(path), "%s/dsdt.dsl", dir);
    CHECK(file_has(path, "Name (_S5, Package (0x02)"));
    snprintf(path, sizeof(path), "%s/facp.dsl", dir);
    CHECK(file_has(path, "Hardware Reduced (V5) : 1"));
    CHECK(file_has(path, "Use APIC Physical Destination Mode (V4) : 1"));
    CHECK(file_has(path, "8042 Present on ports 60/64 (V2) : 0"));
    CHECK(file_has(path, "Address : 0000000000000B00"));
    CHECK(file_has(path, "Address : 0000000000000B01"));
    snprintf(path, sizeof(path), "%s/apic.dsl", dir);
    CHECK(file_has(path, "Local Apic Address : FEE00000"));
    CHECK(!file_has(path, "I/O APIC"));

    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    run(cmd);
}

TEST_MAIN("acpi_build", TEST(build_and_walk), TEST(bad_inputs), TEST(checksum_helper),
          TEST(iasl_roundtrip))
