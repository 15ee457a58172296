// SOURCES: hv/common/pvh_build.c hv/common/acpi_build.c hv/common/libelf.c
/* The dom0 builder against Debian's real 6.1 vmlinux (cache/vmlinux, or $XENOLITH_VMLINUX). */
#include "harness.h"
#include "pvh-fixture.h"

#include <hv/pvh_build.h>
#include <public/errno.h>
#include <public/hvm/start_info.h>

static const char *path;
static uint8_t *kernel;
static size_t kernel_len;
static bool skipped;

/* Read the whole file; false if it cannot be read. */
static bool slurp(const char *p)
{
    FILE *f = fopen(p, "rb");
    long n;

    if (!f)
        return false;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return false;
    }
    kernel = malloc((size_t)n);
    kernel_len = kernel ? fread(kernel, 1, (size_t)n, f) : 0;
    fclose(f);
    return kernel && kernel_len == (size_t)n;
}

static void find_kernel(void)
{
    const char *env = getenv("XENOLITH_VMLINUX");

    path = env && *env ? env : "cache/vmlinux";
    if (slurp(path)) {
        printf("  using %s (%zu bytes)\n", path, kernel_len);
        return;
    }
    if (env && *env) {
        fprintf(stderr, "  XENOLITH_VMLINUX=%s cannot be read\n", env);
        CHECK(!"vmlinux named by XENOLITH_VMLINUX is readable");
        return;
    }
    /* Not expected: say so loudly, once, instead of passing silently. */
    printf("  SKIPPED: %s not found (run `make kernel`, or set XENOLITH_VMLINUX=/path/to/vmlinux"
           " to make its absence a failure)\n",
           path);
    skipped = true;
}

static void parse_real_kernel(void)
{
    struct elf_image e;
    struct elf_segment s;
    struct build_err err;

    if (!kernel)
        return;
    CHECK_EQ(elf_parse(kernel, kernel_len, &e, &err), 0);
    if (err.code)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_EQ(e.elf_class, ELF_CLASS64);
    CHECK_EQ(e.machine, ELF_EM_X86_64);
    CHECK_EQ(e.nr_loads, 4);
    CHECK_EQ(elf_get_load(&e, 0, &s), 0);
    CHECK_EQ(s.paddr, 0x1000000); /* CONFIG_PHYSICAL_START: 16 MiB */
    CHECK_EQ(e.load_paddr_min, 0x1000000);
    CHECK(e.load_paddr_end > 0x3000000 && e.load_paddr_end < 0x8000000);
    CHECK(!e.xen.from_sections);
    CHECK(e.xen.has_phys32_entry);
    CHECK_EQ(e.xen.phys32_entry_size, 8);
    printf("  PHYS32_ENTRY 0x%llx, image [0x%llx, 0x%llx), GUEST_OS \"%s\", features 0x%x\n",
           (unsigned long long)e.xen.phys32_entry, (unsigned long long)e.load_paddr_min,
           (unsigned long long)e.load_paddr_end, e.xen.guest_os, e.xen.supported_features);
    CHECK(e.xen.phys32_entry >= 0x1000000 && e.xen.phys32_entry < 0x1001000); /* 0x1000850 */
    CHECK(!strcmp(e.xen.guest_os, "linux"));
    CHECK(e.xen.has_supported_features);
    CHECK(e.xen.supported_features & (1u << 15)); /* XENFEAT_linux_rsdp_unrestricted */
    CHECK(e.xen.has_virt_base);
    CHECK_EQ(elf_check_pvh(&e, &err), 0);

    /*
     * Truncations must fail cleanly. (Debian's payload carries the relocation table after the
     * ELF, so only cuts into the section headers or segment data are invalid, not the last byte.)
     */
    uint64_t sh_end = e.shoff + (uint64_t)e.shnum * e.shentsize;
    CHECK(sh_end <= kernel_len);
    size_t cuts[] = {sh_end - 1, kernel_len / 2, 0x200000, 64 + 56 * 5 - 1, 100, 5};
    for (unsigned int i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        CHECK(elf_parse(kernel, cuts[i], &e, &err) < 0);
        CHECK(err.msg[0] != 0);
    }
}

static void build_dom0_from_real_kernel(void)
{
    static uint8_t initrd[1 << 20];
    struct pvh_layout l;
    struct build_err err;
    struct elf_image e;
    struct elf_segment s;

    if (!kernel)
        return;
    for (size_t i = 0; i < sizeof(initrd); i++)
        initrd[i] = (uint8_t)(i ^ (i >> 9));
    struct pvh_build_params p = {
        .kernel = kernel,
        .kernel_len = kernel_len,
        .cmdline = "console=hvc0 loglevel=8",
        .initrd = initrd,
        .initrd_len = sizeof(initrd),
        .mem_bytes = 512ULL << 20,
        .nr_vcpus = 2,
        .start_info_flags = SIF_PRIVILEGED | SIF_INITDOMAIN,
    };
    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    if (err.code) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK_EQ(l.kernel_start, 0x1000000);
    CHECK(l.bootinfo_gpa >= l.kernel_end);
    CHECK(l.initrd_gpa > l.bootinfo_gpa);
    CHECK(l.start_info_gpa < (1ULL << 30));
    printf("  layout: kernel [0x%llx, 0x%llx), start_info 0x%llx, initrd 0x%llx, rsdp 0x%llx\n",
           (unsigned long long)l.kernel_start, (unsigned long long)l.kernel_end,
           (unsigned long long)l.start_info_gpa, (unsigned long long)l.initrd_gpa,
           (unsigned long long)l.rsdp_gpa);

    struct fake_mem *m = fm_new();
    struct pvh_build_ops ops = {.write = fm_write, .ctx = m};
    for (unsigned int i = 0; i < l.nr_regions; i++) {
        m->allowed_gpa[m->nr_allowed] = l.regions[i].gpa;
        m->allowed_len[m->nr_allowed++] = l.regions[i].size;
    }
    CHECK_EQ(pvh_build_load(&p, &l, &ops, &err), 0);
    CHECK_EQ(m->stray_writes, 0);

    /* Every segment landed at p_paddr, byte for byte. */
    CHECK_EQ(elf_parse(kernel, kernel_len, &e, &err), 0);
    uint8_t *buf = malloc(1 << 20);
    for (unsigned int n = 0; elf_get_load(&e, n, &s) == 0; n++) {
        unsigned int bad = 0;
        for (uint64_t off = 0; off < s.memsz; off += 1 << 20) {
            size_t chunk = (size_t)(s.memsz - off < (1 << 20) ? s.memsz - off : (1 << 20));
            fm_read(m, s.paddr + off, buf, chunk);
            for (size_t i = 0; i < chunk; i++) {
                uint8_t want = off + i < s.filesz ? kernel[s.offset + off + i] : 0;
                bad += buf[i] != want;
            }
        }
        CHECK_EQ(bad, 0);
    }
    free(buf);

    struct hvm_start_info si;
    fm_read(m, l.start_info_gpa, &si, sizeof(si));
    CHECK_EQ(si.magic, XEN_HVM_START_MAGIC_VALUE);
    CHECK_EQ(si.version, 1);
    CHECK_EQ(si.flags, SIF_PRIVILEGED | SIF_INITDOMAIN);
    CHECK_EQ(si.nr_modules, 1);
    CHECK_EQ(si.rsdp_paddr, l.rsdp_gpa);
    CHECK_EQ(si.memmap_entries, l.nr_e820);
    fm_free(m);
}

static void report_skip(void)
{
    /* Keeps the skip visible in the summary list as well. */
    if (skipped)
        printf("  (real-kernel checks skipped: no vmlinux)\n");
}

TEST_MAIN("vmlinux", TEST(find_kernel), TEST(parse_real_kernel), TEST(build_dom0_from_real_kernel),
          TEST(report_skip))
