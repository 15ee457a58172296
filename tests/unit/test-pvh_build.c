// SOURCES: hv/common/pvh_build.c hv/common/acpi_build.c hv/common/libelf.c
/* Unit tests for the PVH builder: layout and E820 rules, loaded memory contents, bad inputs. */
#include "harness.h"
#include "pvh-fixture.h"

#include <hv/pvh_build.h>
#include <public/errno.h>
#include <public/hvm/start_info.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static uint8_t kimg[0x10000];
static size_t klen;
static uint8_t initrd[3 * 4096 + 123];

static bool msg_has(const struct build_err *e, const char *s)
{
    if (!strstr(e->msg, s)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", e->msg, s);
        return false;
    }
    return true;
}

static struct pvh_build_params params(void)
{
    struct fx_opts o = fx_default();
    klen = fx_build(kimg, sizeof(kimg), &o);
    for (size_t i = 0; i < sizeof(initrd); i++)
        initrd[i] = (uint8_t)(i * 13 + 5);
    return (struct pvh_build_params){
        .kernel = kimg,
        .kernel_len = klen,
        .cmdline = "console=hvc0 earlyprintk=xen loglevel=8",
        .initrd = initrd,
        .initrd_len = sizeof(initrd),
        .mem_bytes = 512 * MiB,
        .nr_vcpus = 2,
        .start_info_flags = SIF_PRIVILEGED | SIF_INITDOMAIN,
        .console_gfn = PVH_GFN_DEFAULT,
        .xenstore_gfn = PVH_GFN_DEFAULT,
    };
}

static uint64_t e820_total(const struct pvh_layout *l, uint32_t type)
{
    uint64_t t = 0;
    for (unsigned int i = 0; i < l->nr_e820; i++)
        if (l->e820[i].type == type)
            t += l->e820[i].size;
    return t;
}

/* Invariants every successful layout must satisfy. */
static void check_layout_rules(const struct pvh_build_params *p, const struct pvh_layout *l)
{
    uint64_t counted = 0, extra = 0;

    CHECK_EQ(l->ram_pages, p->mem_bytes / 4096);
    CHECK_EQ(l->nr_regions, l->nr_e820);
    for (unsigned int i = 0; i < l->nr_regions; i++) {
        const struct pvh_region *r = &l->regions[i];
        CHECK_EQ(r->gpa % 4096, 0);
        CHECK_EQ(r->size % 4096, 0);
        CHECK(r->size > 0);
        if (i)
            CHECK(l->regions[i - 1].gpa + l->regions[i - 1].size <= r->gpa); /* sorted, disjoint */
        CHECK_EQ(l->e820[i].addr, r->gpa);
        CHECK_EQ(l->e820[i].size, r->size);
        /* LAPIC page never backed. */
        CHECK(!(r->gpa <= 0xFEE00000ULL && 0xFEE00000ULL < r->gpa + r->size));
        if (r->kind == PVH_REGION_RAM) {
            CHECK_EQ(l->e820[i].type, E820_RAM);
            /* No RAM in the MMIO hole. */
            CHECK(r->gpa + r->size <= 0xF0000000ULL || r->gpa >= 4 * GiB);
        }
        if (r->kind == PVH_REGION_RAM || r->kind == PVH_REGION_LOW_RESERVED)
            counted += r->size;
        else
            extra += r->size;
        if (r->kind == PVH_REGION_ACPI)
            CHECK_EQ(l->e820[i].type, E820_ACPI);
        if (r->kind == PVH_REGION_CONSOLE || r->kind == PVH_REGION_XENSTORE ||
            r->kind == PVH_REGION_LOW_RESERVED)
            CHECK_EQ(l->e820[i].type, E820_RESERVED);
    }
    CHECK_EQ(counted, p->mem_bytes);
    CHECK_EQ(extra, l->extra_pages * 4096);
    /* E820 RAM is the memory size minus the reserved-but-charged [0x9F000, 1 MiB). */
    CHECK_EQ(e820_total(l, E820_RAM), p->mem_bytes - 0x61000);
    CHECK_EQ(e820_total(l, E820_RAM) + 0x61000, p->mem_bytes);
    CHECK_EQ(l->regions[0].gpa, 0);
    CHECK_EQ(l->regions[0].size, 0x9F000);
    CHECK_EQ(l->regions[1].kind, PVH_REGION_LOW_RESERVED);
    CHECK_EQ(l->regions[1].gpa, 0x9F000);
    CHECK_EQ(l->regions[1].size, 0x61000);
    /* High RAM only when memory exceeds the space below the hole. */
    CHECK_EQ(l->high_end != 0, p->mem_bytes > 0xF0000000ULL);

    /* Boot info below 1 GiB, initrd page aligned after the kernel and below 4 GiB. */
    CHECK(l->start_info_gpa + 56 <= GiB);
    CHECK(l->memmap_gpa + l->nr_e820 * 24 <= GiB);
    CHECK(l->cmdline_gpa < GiB);
    CHECK(l->bootinfo_gpa >= l->kernel_end);
    CHECK_EQ(l->bootinfo_gpa % 4096, 0);
    CHECK(l->cmdline_gpa + (p->cmdline ? strlen(p->cmdline) : 0) + 1 <=
          l->bootinfo_gpa + l->bootinfo_size);
    if (p->initrd_len) {
        CHECK_EQ(l->initrd_gpa % 4096, 0);
        CHECK(l->initrd_gpa >= l->bootinfo_gpa + l->bootinfo_size);
        CHECK(l->initrd_gpa + l->initrd_size <= l->low_end);
        CHECK(l->initrd_gpa + l->initrd_size <= 4 * GiB);
        CHECK(l->modlist_gpa + 32 <= GiB);
    } else {
        CHECK_EQ(l->initrd_gpa, 0);
        CHECK_EQ(l->modlist_gpa, 0);
    }
    CHECK_EQ(l->rsdp_gpa, 0xFC000000ULL);
    CHECK_EQ(l->acpi_gpa, 0xFC000000ULL);
}

static struct fake_mem *load(const struct pvh_build_params *p, const struct pvh_layout *l)
{
    struct fake_mem *m = fm_new();
    struct pvh_build_ops ops = {.write = fm_write, .ctx = m};
    struct build_err err;

    for (unsigned int i = 0; i < l->nr_regions; i++) {
        m->allowed_gpa[m->nr_allowed] = l->regions[i].gpa;
        m->allowed_len[m->nr_allowed++] = l->regions[i].size;
    }
    CHECK_EQ(pvh_build_load(p, l, &ops, &err), 0);
    if (err.code)
        fprintf(stderr, "  load: %s\n", err.msg);
    CHECK_EQ(m->stray_writes, 0);
    return m;
}

static uint8_t sum8(struct fake_mem *m, uint64_t gpa, size_t n)
{
    uint8_t b[4096], s = 0;
    fm_read(m, gpa, b, n);
    for (size_t i = 0; i < n; i++)
        s += b[i];
    return s;
}

/* Follow RSDP -> XSDT -> FADT -> DSDT and MADT in guest memory. */
static void check_acpi(struct fake_mem *m, uint64_t rsdp, unsigned int nr_vcpus)
{
    uint8_t r[36], h[36];
    uint64_t xsdt, ent[2], dsdt;
    bool have_fadt = false, have_madt = false;

    fm_read(m, rsdp, r, 36);
    CHECK(!memcmp(r, "RSD PTR ", 8));
    CHECK_EQ(sum8(m, rsdp, 20), 0);
    CHECK_EQ(sum8(m, rsdp, 36), 0);
    memcpy(&xsdt, r + 24, 8);
    fm_read(m, xsdt, h, 36);
    CHECK(!memcmp(h, "XSDT", 4));
    CHECK_EQ(sum8(m, xsdt, 52), 0);
    fm_read(m, xsdt + 36, ent, 16);
    for (int i = 0; i < 2; i++) {
        uint32_t len;
        fm_read(m, ent[i], h, 36);
        memcpy(&len, h + 4, 4);
        CHECK(len < 4096);
        CHECK_EQ(sum8(m, ent[i], len), 0);
        if (!memcmp(h, "FACP", 4)) {
            have_fadt = true;
            fm_read(m, ent[i] + 140, &dsdt, 8);
            fm_read(m, dsdt, h, 36);
            CHECK(!memcmp(h, "DSDT", 4));
            memcpy(&len, h + 4, 4);
            CHECK_EQ(sum8(m, dsdt, len), 0);
        } else if (!memcmp(h, "APIC", 4)) {
            have_madt = true;
            CHECK_EQ(len, 44 + 8 * nr_vcpus);
            for (unsigned int v = 0; v < nr_vcpus; v++) {
                uint8_t e[8];
                fm_read(m, ent[i] + 44 + 8 * v, e, 8);
                CHECK_EQ(e[0], 0);
                CHECK_EQ(e[2], v);     /* ACPI UID = vCPU id */
                CHECK_EQ(e[3], 2 * v); /* APIC id as Xen's vLAPIC: 2 x vCPU id */
                CHECK_EQ(e[4], 1);
            }
        }
    }
    CHECK(have_fadt);
    CHECK(have_madt);
}

static void check_loaded(const struct pvh_build_params *p, const struct pvh_layout *l,
                         struct fake_mem *m)
{
    struct hvm_start_info si;
    struct fx_opts o = fx_default();

    /* Kernel segments: file bytes, then explicitly zeroed bss (fresh pages are poisoned). */
    for (unsigned int s = 0; s < o.nsegs; s++) {
        static uint8_t b[0x6000];
        fm_read(m, o.paddr[s], b, o.memsz[s]);
        unsigned int bad = 0;
        for (uint64_t i = 0; i < o.filesz[s]; i++)
            bad += b[i] != fx_seg_byte(s, i);
        for (uint64_t i = o.filesz[s]; i < o.memsz[s]; i++)
            bad += b[i] != 0;
        CHECK_EQ(bad, 0);
        CHECK(fm_all_written(m, o.paddr[s], o.memsz[s]));
    }

    fm_read(m, l->start_info_gpa, &si, sizeof(si));
    CHECK_EQ(si.magic, 0x336ec578);
    CHECK_EQ(si.version, 1);
    CHECK_EQ(si.flags, p->start_info_flags);
    CHECK_EQ(si.rsdp_paddr, l->rsdp_gpa);
    CHECK_EQ(si.reserved, 0);
    CHECK_EQ(si.memmap_entries, l->nr_e820);
    CHECK_EQ(si.memmap_paddr, l->memmap_gpa);
    CHECK(si.memmap_paddr + si.memmap_entries * 24 <= GiB);
    CHECK(si.cmdline_paddr && si.cmdline_paddr < GiB);

    char cmd[PVH_CMDLINE_MAX + 1];
    fm_read(m, si.cmdline_paddr, cmd, sizeof(cmd));
    CHECK(!strcmp(cmd, p->cmdline ? p->cmdline : ""));

    for (unsigned int i = 0; i < si.memmap_entries; i++) {
        struct hvm_memmap_table_entry e;
        fm_read(m, si.memmap_paddr + 24 * i, &e, sizeof(e));
        CHECK_EQ(e.addr, l->e820[i].addr);
        CHECK_EQ(e.size, l->e820[i].size);
        CHECK_EQ(e.type, l->e820[i].type);
        CHECK_EQ(e.reserved, 0);
    }

    if (p->initrd_len) {
        struct hvm_modlist_entry mod;
        CHECK_EQ(si.nr_modules, 1);
        CHECK(si.modlist_paddr && si.modlist_paddr < GiB);
        fm_read(m, si.modlist_paddr, &mod, sizeof(mod));
        CHECK_EQ(mod.paddr, l->initrd_gpa);
        CHECK_EQ(mod.size, p->initrd_len);
        CHECK_EQ(mod.cmdline_paddr, 0);
        CHECK_EQ(mod.reserved, 0);
        uint8_t *copy = malloc(p->initrd_len);
        fm_read(m, mod.paddr, copy, p->initrd_len);
        CHECK(!memcmp(copy, p->initrd, p->initrd_len));
        free(copy);
        /* Not overlapping the kernel or the boot info. */
        CHECK(mod.paddr >= l->kernel_end);
        CHECK(mod.paddr >= l->bootinfo_gpa + l->bootinfo_size);
    } else {
        CHECK_EQ(si.nr_modules, 0);
        CHECK_EQ(si.modlist_paddr, 0);
    }
    check_acpi(m, si.rsdp_paddr, p->nr_vcpus);
}

static void dom0_512m(void)
{
    struct pvh_build_params p = params();
    struct pvh_layout l;
    struct build_err err;

    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    if (err.code)
        fprintf(stderr, "  layout: %s\n", err.msg);
    check_layout_rules(&p, &l);
    CHECK_EQ(l.entry, 0x1000850);
    CHECK_EQ(l.kernel_start, 0x1000000);
    CHECK_EQ(l.kernel_end, 0x1405400);
    CHECK_EQ(l.bootinfo_gpa, 0x1406000);
    CHECK_EQ(l.start_info_gpa, 0x1406000);
    CHECK_EQ(l.initrd_gpa, 0x1407000);
    CHECK_EQ(l.low_end, 512 * MiB);
    CHECK_EQ(l.high_end, 0);
    CHECK_EQ(l.console_gfn, 0xFEFFF);
    CHECK_EQ(l.xenstore_gfn, 0xFEFFC);
    CHECK_EQ(l.nr_e820, 6);
    CHECK_EQ(l.extra_pages, 3); /* one ACPI page, two special pages */

    /* The exact guest view. */
    static const struct e820entry want[] = {
        {0, 0x9F000, E820_RAM},
        {0x9F000, 0x61000, E820_RESERVED},
        {0x100000, 512 * MiB - 0x100000, E820_RAM},
        {0xFC000000, 0x1000, E820_ACPI},
        {0xFEFFC000, 0x1000, E820_RESERVED},
        {0xFEFFF000, 0x1000, E820_RESERVED},
    };
    for (unsigned int i = 0; i < 6; i++) {
        CHECK_EQ(l.e820[i].addr, want[i].addr);
        CHECK_EQ(l.e820[i].size, want[i].size);
        CHECK_EQ(l.e820[i].type, want[i].type);
    }

    struct fake_mem *m = load(&p, &l);
    check_loaded(&p, &l, m);
    fm_free(m);
}

static void domu_no_initrd_no_cmdline(void)
{
    struct pvh_build_params p = params();
    struct pvh_layout l;
    struct build_err err;

    p.initrd = NULL;
    p.initrd_len = 0;
    p.cmdline = NULL;
    p.start_info_flags = 0;
    p.nr_vcpus = 1;
    p.mem_bytes = 64 * MiB;
    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    check_layout_rules(&p, &l);
    struct fake_mem *m = load(&p, &l);
    check_loaded(&p, &l, m);
    fm_free(m);
}

static void max_vcpus_and_long_cmdline(void)
{
    static char cmd[PVH_CMDLINE_MAX];
    struct pvh_build_params p = params();
    struct pvh_layout l;
    struct build_err err;

    memset(cmd, 'a', sizeof(cmd) - 1); /* 2047 characters: the longest accepted */
    p.cmdline = cmd;
    p.nr_vcpus = PVH_MAX_VCPUS;
    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    check_layout_rules(&p, &l);
    struct fake_mem *m = load(&p, &l);
    check_loaded(&p, &l, m);
    fm_free(m);
}

static void high_memory(void)
{
    static const uint64_t sizes[] = {0xF0000000ULL, 0xF0001000ULL, 6 * GiB, 64 * GiB, PVH_MAX_MEM};
    for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct pvh_build_params p = params();
        struct pvh_layout l;
        struct build_err err;
        p.mem_bytes = sizes[i];
        CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
        check_layout_rules(&p, &l);
        CHECK_EQ(l.low_end, 0xF0000000ULL);
        if (sizes[i] > 0xF0000000ULL) {
            const struct pvh_region *last = &l.regions[l.nr_regions - 1];
            CHECK_EQ(last->gpa, 4 * GiB);
            CHECK_EQ(last->size, sizes[i] - 0xF0000000ULL);
            CHECK_EQ(last->kind, PVH_REGION_RAM);
            CHECK_EQ(l.high_end, 4 * GiB + sizes[i] - 0xF0000000ULL);
        }
    }
}

static void special_pages(void)
{
    struct pvh_build_params p = params();
    struct pvh_layout l;
    struct build_err err;

    p.console_gfn = PVH_GFN_NONE;
    p.xenstore_gfn = PVH_GFN_NONE;
    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    check_layout_rules(&p, &l);
    CHECK_EQ(l.console_gfn, PVH_GFN_NONE);
    CHECK_EQ(l.xenstore_gfn, PVH_GFN_NONE);
    CHECK_EQ(l.extra_pages, 1);

    p.console_gfn = 0xFD000;
    p.xenstore_gfn = 0xFD001;
    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    check_layout_rules(&p, &l);
    CHECK_EQ(l.console_gfn, 0xFD000);
    CHECK_EQ(l.xenstore_gfn, 0xFD001);

    p.console_gfn = 0x1234; /* inside RAM */
    CHECK_EQ(pvh_build_layout(&p, &l, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "console page GFN 0x1234 overlaps"));
    p.console_gfn = 0xFEE00;
    CHECK_EQ(pvh_build_layout(&p, &l, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "local APIC"));
    p.console_gfn = 0xFD001; /* same as xenstore */
    CHECK_EQ(pvh_build_layout(&p, &l, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "console page GFN 0xfd001 overlaps"));
    p.console_gfn = 0xFC000; /* the ACPI page */
    CHECK_EQ(pvh_build_layout(&p, &l, &err), -XEN_EINVAL);
    p.console_gfn = 0xA0; /* the reserved low area */
    CHECK_EQ(pvh_build_layout(&p, &l, &err), -XEN_EINVAL);
    p.console_gfn = 1ULL << 40;
    CHECK_EQ(pvh_build_layout(&p, &l, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "beyond the guest address space"));
    p.console_gfn = PVH_GFN_DEFAULT;
    p.xenstore_gfn = 0x110000; /* above 4 GiB, inside high RAM of a 6 GiB guest */
    p.mem_bytes = 6 * GiB;
    CHECK_EQ(pvh_build_layout(&p, &l, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "xenstore page"));
}

static void expect_fail(const struct pvh_build_params *p, int rc, const char *reason)
{
    struct pvh_layout l;
    struct build_err err;

    CHECK_EQ(pvh_build_layout(p, &l, &err), rc);
    CHECK_EQ(err.code, rc);
    CHECK(msg_has(&err, reason));
}

static void bad_inputs(void)
{
    struct pvh_build_params p;
    static char longcmd[PVH_CMDLINE_MAX + 10];

    p = params();
    p.nr_vcpus = 0;
    expect_fail(&p, -XEN_EINVAL, "zero vCPUs");
    p = params();
    p.nr_vcpus = PVH_MAX_VCPUS + 1;
    expect_fail(&p, -XEN_EINVAL, "65 vCPUs requested, at most 64");

    p = params();
    memset(longcmd, 'x', sizeof(longcmd) - 1);
    p.cmdline = longcmd;
    expect_fail(&p, -XEN_E2BIG, "command line too long (max 2047 bytes)");
    longcmd[PVH_CMDLINE_MAX - 1] = 0; /* 2047 chars + NUL is fine */
    struct pvh_layout l;
    CHECK_EQ(pvh_build_layout(&p, &l, NULL), 0);
    longcmd[PVH_CMDLINE_MAX - 1] = 'x';

    p = params();
    p.mem_bytes = 512 * MiB + 100;
    expect_fail(&p, -XEN_EINVAL, "not a multiple of 4 KiB");
    p.mem_bytes = MiB;
    expect_fail(&p, -XEN_ENOMEM, "too small");
    p.mem_bytes = 0;
    expect_fail(&p, -XEN_ENOMEM, "too small");
    p.mem_bytes = PVH_MAX_MEM + 4096;
    expect_fail(&p, -XEN_EINVAL, "exceeds");

    /* Memory too small for the kernel (it sits at 16 MiB .. 20 MiB). */
    p = params();
    p.mem_bytes = 16 * MiB;
    expect_fail(&p, -XEN_ENOMEM,
                "memory size 0x1000000 (16 MiB) too small for the kernel: segment 0 needs RAM up "
                "to 0x1003000, the image spans [0x1000000, 0x1405400)");
    p.mem_bytes = 0x1402000;
    expect_fail(&p, -XEN_ENOMEM, "too small for the kernel: segment 2 needs RAM up to 0x1405400");

    /* Kernel fits, boot info or initrd does not. */
    p = params();
    p.mem_bytes = 0x1406000;
    expect_fail(&p, -XEN_ENOMEM,
                "memory size 0x1406000 (20 MiB) too small for kernel + boot info + initrd");
    p.initrd_len = 0;
    expect_fail(&p, -XEN_ENOMEM, "too small for kernel + boot info: need at least 21 MiB");
    p = params();
    p.mem_bytes = 0x1407000 + 0x3000; /* one page short for the initrd */
    expect_fail(&p, -XEN_ENOMEM, "need at least 21 MiB");
    p.mem_bytes = 0x1407000 + 0x4000; /* exactly enough */
    CHECK_EQ(pvh_build_layout(&p, &l, NULL), 0);
    check_layout_rules(&p, &l);

    /* An initrd that can never fit below 4 GiB. */
    p = params();
    p.initrd_len = (size_t)0xF0000000ULL;
    p.mem_bytes = 8 * GiB;
    expect_fail(&p, -XEN_E2BIG, "does not fit below 0xf0000000");

    p = params();
    p.initrd = NULL;
    expect_fail(&p, -XEN_EINVAL, "initrd length given without initrd data");

    /* Kernel problems are reported with libelf's reasons. */
    p = params();
    p.kernel_len = 10;
    expect_fail(&p, -XEN_EINVAL, "truncated ELF header");
    p.kernel = "MZ not an elf image at all, definitely";
    p.kernel_len = 40;
    expect_fail(&p, -XEN_ENOEXEC, "not an ELF image");
    p.kernel = NULL;
    expect_fail(&p, -XEN_EINVAL, "no kernel image");
}

/* Build a kernel from custom options and expect a layout error. */
static void kernel_fail(struct fx_opts *o, uint64_t mem, int rc, const char *reason)
{
    struct pvh_build_params p = params();
    p.kernel_len = fx_build(kimg, sizeof(kimg), o);
    p.mem_bytes = mem;
    expect_fail(&p, rc, reason);
}

static void bad_kernels(void)
{
    struct fx_opts o;

    o = fx_default();
    o.entry_size = 0;
    kernel_fail(&o, 512 * MiB, -XEN_ENOEXEC,
                "no XEN_ELFNOTE_PHYS32_ENTRY note: kernel does not support PVH");

    o = fx_default();
    o.paddr[1] = 0x1002000; /* overlaps segment 0 */
    kernel_fail(&o, 512 * MiB, -XEN_EINVAL, "kernel segments 0 and 1 overlap");

    o = fx_default();
    o.paddr[0] = 0xA0000; /* legacy hole: reserved, not RAM */
    o.entry = 0xA0000;
    kernel_fail(&o, 512 * MiB, -XEN_EINVAL,
                "kernel segment 0 [0xa0000, 0xa3000) is not in guest RAM");

    o = fx_default();
    o.paddr[2] = 0xFC000000; /* in the hole */
    kernel_fail(&o, 8 * GiB, -XEN_EINVAL, "kernel segment 2 [0xfc000000, 0xfc005400)");

    /* A kernel high enough that start info would land above 1 GiB. */
    o = fx_default();
    o.nsegs = 1;
    o.paddr[0] = GiB - 0x3000;
    o.entry = GiB - 0x2000;
    kernel_fail(&o, 2 * GiB, -XEN_EINVAL, "start info would not fit below 1 GiB");
}

static void low_kernel(void)
{
    /* A kernel in the first 640 KiB is allowed; boot info then starts at 1 MiB. */
    struct fx_opts o = fx_default();
    struct pvh_build_params p = params();
    struct pvh_layout l;
    struct build_err err;

    o.nsegs = 1;
    o.paddr[0] = 0x10000;
    o.entry = 0x10010;
    p.kernel_len = fx_build(kimg, sizeof(kimg), &o);
    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    check_layout_rules(&p, &l);
    CHECK_EQ(l.bootinfo_gpa, 0x100000);
}

static void write_failures(void)
{
    struct pvh_build_params p = params();
    struct pvh_layout l;
    struct build_err err;

    CHECK_EQ(pvh_build_layout(&p, &l, &err), 0);
    /* Fail each write in turn: the code comes back, with a message, and nothing crashes. */
    for (int n = 1; n < 40; n++) {
        struct fake_mem *m = fm_new();
        struct pvh_build_ops ops = {.write = fm_write, .ctx = m};
        m->fail_at = n;
        m->fail_code = -XEN_EFAULT;
        int rc = pvh_build_load(&p, &l, &ops, &err);
        if (m->writes < (uint64_t)n) {
            CHECK_EQ(rc, 0); /* fewer writes than n: nothing failed */
            fm_free(m);
            break;
        }
        CHECK_EQ(rc, -XEN_EFAULT);
        CHECK_EQ(err.code, -XEN_EFAULT);
        CHECK(strstr(err.msg, "failed (-14)") != NULL);
        fm_free(m);
    }
}

TEST_MAIN("pvh_build", TEST(dom0_512m), TEST(domu_no_initrd_no_cmdline),
          TEST(max_vcpus_and_long_cmdline), TEST(high_memory), TEST(special_pages),
          TEST(bad_inputs), TEST(bad_kernels), TEST(low_kernel), TEST(write_failures))
