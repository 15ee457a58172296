/* The PVH builder end to end into an in-memory domain, with Debian's real vmlinux and vmlinuz. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hv/acpi_build.h>
#include <hv/pvh_build.h>
#include <hv/libelf.h>
#include <public/grant_table.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/hvm/save.h>

#include "guest/guest_priv.h"
#include "guest/mem.h"
#include "check.h"

#define MIB       (1024ULL * 1024)
#define PAGE      4096ULL
#define GUEST_MEM (128 * MIB)
#define DOMID     7
#define MAX_HI    16
#define CTX_CPUID 0x000806f1

/* ---- the fake domain ---- */

struct fake {
    uint64_t low_pages; /* RAM frames [0, low_pages) live densely in low[] */
    uint8_t *low, *populated;
    struct {
        uint64_t gfn;
        uint8_t *page;
    } hi[MAX_HI];
    unsigned int nhi;
    uint64_t free_kb;
    long populate_budget; /* extents the "hypervisor" still grants; < 0: unlimited */
    unsigned int big_extents, small_extents, bad_populates;
    struct e820entry e820[16];
    unsigned int ne820;
    uint64_t params[64];
    uint8_t grant[PAGE];
    uint8_t ctx_in[2048];
    size_t ctx_in_len;
    uint8_t ctx_out[2048]; /* the last stream set that carried a CPU record */
    size_t ctx_out_len;
    unsigned int ctx_sets, mtrr_sets, mtrr_bad;
    uint64_t mtrr_def[8];
    int live_maps;
    long write_budget; /* pieces the backend still writes; < 0: unlimited */
    unsigned int write_calls, write_dones;
    uint64_t pieces;
};

static uint8_t *fake_page(struct fake *f, uint64_t gfn)
{
    if (gfn < f->low_pages)
        return f->populated[gfn] ? f->low + gfn * PAGE : NULL;
    for (unsigned int i = 0; i < f->nhi; i++)
        if (f->hi[i].gfn == gfn)
            return f->hi[i].page;
    return NULL;
}

static int populate_one(struct fake *f, uint64_t gfn)
{
    if (fake_page(f, gfn))
        return -1; /* populating twice is a builder bug */
    if (gfn < f->low_pages) {
        f->populated[gfn] = 1;
        return 0;
    }
    if (f->nhi == MAX_HI)
        return -1;
    f->hi[f->nhi].gfn = gfn;
    f->hi[f->nhi].page = calloc(1, PAGE);
    return f->hi[f->nhi++].page ? 0 : -1;
}

static long fb_populate(void *ctx, unsigned int order, size_t nr, const uint64_t *gfns)
{
    struct fake *f = ctx;

    for (size_t i = 0; i < nr; i++) {
        if (f->populate_budget == 0)
            return (long)i; /* a short answer: the hypervisor ran out */
        if (f->populate_budget > 0)
            f->populate_budget--;
        if ((order != 0 && order != 9) || gfns[i] % (1ULL << order)) {
            f->bad_populates++;
            errno = EINVAL;
            return -1;
        }
        for (uint64_t j = 0; j < (1ULL << order); j++)
            if (populate_one(f, gfns[i] + j)) {
                f->bad_populates++;
                errno = EEXIST;
                return -1;
            }
        if (order)
            f->big_extents++;
        else
            f->small_extents++;
    }
    return (long)nr;
}

static int fb_write(void *ctx, const struct xguest_piece *p, size_t n, size_t *bad)
{
    struct fake *f = ctx;

    f->write_calls++;
    for (size_t i = 0; i < n; i++) {
        uint8_t *pg = fake_page(f, p[i].gfn);

        if (!pg || p[i].off + p[i].len > PAGE || !p[i].len || f->write_budget == 0) {
            *bad = i;
            errno = pg ? EIO : EFAULT;
            return -1;
        }
        if (f->write_budget > 0)
            f->write_budget--;
        memcpy(pg + p[i].off, p[i].src, p[i].len);
        f->pieces++;
    }
    return 0;
}

static void fb_write_done(void *ctx)
{
    ((struct fake *)ctx)->write_dones++;
}

static int fb_set_memory_map(void *ctx, const struct e820entry *e, unsigned int nr)
{
    struct fake *f = ctx;

    if (nr > 16) {
        errno = E2BIG;
        return -1;
    }
    memcpy(f->e820, e, nr * sizeof(*e));
    f->ne820 = nr;
    return 0;
}

static int fb_set_param(void *ctx, uint32_t index, uint64_t value)
{
    struct fake *f = ctx;

    if (index >= 64) {
        errno = EINVAL;
        return -1;
    }
    f->params[index] = value;
    return 0;
}

static long fb_ctx_get(void *ctx, void *buf, size_t len)
{
    struct fake *f = ctx;

    if (!buf)
        return (long)f->ctx_in_len;
    if (len < f->ctx_in_len) {
        errno = ENOBUFS;
        return -1;
    }
    memcpy(buf, f->ctx_in, f->ctx_in_len);
    return (long)f->ctx_in_len;
}

static int fb_ctx_set(void *ctx, const void *buf, size_t len)
{
    struct fake *f = ctx;

    const uint8_t *b = buf;
    struct hvm_save_descriptor d;
    struct hvm_hw_mtrr m;

    if (len > sizeof(f->ctx_out) || len < 2 * sizeof(d) + sizeof(struct hvm_save_header)) {
        errno = E2BIG;
        return -1;
    }
    f->ctx_sets++;
    memcpy(&d, b + sizeof(d) + sizeof(struct hvm_save_header), sizeof(d));
    if (d.typecode == HVM_SAVE_CODE_MTRR) {
        /* {HEADER, MTRR i, END}: remember the default type, check the rest was kept. */
        memcpy(&m, b + 2 * sizeof(d) + sizeof(struct hvm_save_header), sizeof(m));
        f->mtrr_sets++;
        if (d.instance < 8 && d.length == sizeof(m))
            f->mtrr_def[d.instance] = m.msr_mtrr_def_type;
        f->mtrr_bad += m.msr_mtrr_cap != 0x508 || m.msr_pat_cr != 0x0007040600070406ULL ||
                       len != 3 * sizeof(d) + sizeof(struct hvm_save_header) + sizeof(m);
        return 0;
    }
    memcpy(f->ctx_out, buf, len);
    f->ctx_out_len = len;
    return 0;
}

static void *fb_map_grant(void *ctx)
{
    struct fake *f = ctx;

    f->live_maps++;
    return f->grant;
}

static int fb_unmap_grant(void *ctx, void *addr)
{
    struct fake *f = ctx;

    f->live_maps -= addr == f->grant;
    return 0;
}

static int fb_free_kb(void *ctx, uint64_t *kb)
{
    *kb = ((struct fake *)ctx)->free_kb;
    return 0;
}

static void put_rec(struct fake *f, uint16_t code, uint16_t inst, const void *d, uint32_t len)
{
    struct hvm_save_descriptor desc = {code, inst, len};

    memcpy(f->ctx_in + f->ctx_in_len, &desc, sizeof(desc));
    memcpy(f->ctx_in + f->ctx_in_len + sizeof(desc), d, len);
    f->ctx_in_len += sizeof(desc) + len;
}

static struct fake *fake_new(uint64_t mem)
{
    struct fake *f = calloc(1, sizeof(*f));
    struct hvm_save_header h = {HVM_FILE_MAGIC, 1, 0, CTX_CPUID, 1000000};
    struct hvm_hw_cpu junk;

    f->low_pages = mem / PAGE;
    f->low = calloc(1, mem);
    f->populated = calloc(1, f->low_pages);
    f->free_kb = 1024 * 1024; /* 1 GiB free */
    f->populate_budget = -1;
    f->write_budget = -1;
    /* What the hypervisor would hand back: header, a stale CPU record, another record, END. */
    memset(&junk, 0xa5, sizeof(junk));
    put_rec(f, HVM_SAVE_CODE_HEADER, 0, &h, sizeof(h));
    put_rec(f, HVM_SAVE_CODE_CPU, 0, &junk, sizeof(junk));
    put_rec(f, HVM_SAVE_CODE_LAPIC, 0, &junk, 16);
    for (uint16_t i = 0; i < 3; i++) { /* MTRRs of vCPUs 0-2, as the hypervisor keeps them */
        struct hvm_hw_mtrr m = {.msr_pat_cr = 0x0007040600070406ULL, .msr_mtrr_cap = 0x508};
        put_rec(f, HVM_SAVE_CODE_MTRR, i, &m, sizeof(m));
    }
    put_rec(f, HVM_SAVE_CODE_END, 0, &junk, 0);
    return f;
}

static void fake_free(struct fake *f)
{
    for (unsigned int i = 0; i < f->nhi; i++)
        free(f->hi[i].page);
    free(f->low);
    free(f->populated);
    free(f);
}

static struct xguest_backend backend_of(struct fake *f)
{
    return (struct xguest_backend){
        .ctx = f,
        .populate = fb_populate,
        .write = fb_write,
        .write_done = fb_write_done,
        .set_memory_map = fb_set_memory_map,
        .set_param = fb_set_param,
        .hvmcontext_get = fb_ctx_get,
        .hvmcontext_set = fb_ctx_set,
        .map_grant_table = fb_map_grant,
        .unmap_grant_table = fb_unmap_grant,
        .free_kb = fb_free_kb,
    };
}

/* Copy len guest bytes at gpa out of the fake (every page must be populated). */
static int guest_read(struct fake *f, uint64_t gpa, void *out, size_t len)
{
    uint8_t *o = out;

    while (len) {
        uint8_t *p = fake_page(f, gpa / PAGE);
        size_t off = gpa % PAGE, n = PAGE - off < len ? PAGE - off : len;
        if (!p)
            return -1;
        memcpy(o, p + off, n);
        o += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

/* ---- helpers ---- */

static char tmpdir[] = "/tmp/xguest-test.XXXXXX";
static const char *vmlinux = "cache/vmlinux", *vmlinuz = "cache/vmlinuz";

static void *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    void *b = NULL;

    if (fd >= 0 && !fstat(fd, &st)) {
        b = malloc((size_t)st.st_size);
        if (b && read(fd, b, (size_t)st.st_size) != st.st_size) {
            free(b);
            b = NULL;
        }
        *len = (size_t)st.st_size;
    }
    if (fd >= 0)
        close(fd);
    return b;
}

static char *tmpfile_with(const char *name, const void *data, size_t len)
{
    static char paths[8][256];
    static int n;
    char *p = paths[n++ % 8];
    int fd;

    snprintf(p, 256, "%s/%s", tmpdir, name);
    fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len)
        abort();
    close(fd);
    return p;
}

static struct xguest_params base_params(const char *kernel)
{
    return (struct xguest_params){
        .kernel = kernel,
        .cmdline = "console=hvc0 root=/dev/xvda1 quiet",
        .mem_kb = GUEST_MEM / 1024,
        .maxmem_kb = GUEST_MEM / 1024,
        .vcpus = 2,
        .max_vcpus = 3,
        .store_port = 5,
        .console_port = 6,
        .store_domid = 0,
        .console_domid = 0,
    };
}

/* Build into a fresh fake; returns the rc, leaves the fake in *out (caller frees). */
static int build(const struct xguest_params *p, struct fake **out, struct xguest_result *r,
                 char *err, size_t errlen)
{
    struct fake *f = fake_new(GUEST_MEM);
    struct xguest_backend b = backend_of(f);
    int rc = xguest_build_backend(&b, DOMID, p, r, err, errlen);

    *out = f;
    return rc;
}

/* ---- checks on a built domain ---- */

static void check_kernel(struct fake *f, const void *elf, size_t len)
{
    struct elf_image img;
    struct elf_segment s;
    struct build_err be;
    int ok = 1;

    CHECK(elf_parse(elf, len, &img, &be) == 0);
    for (unsigned int n = 0; elf_get_load(&img, n, &s) == 0; n++) {
        uint8_t *g = malloc(s.memsz ? s.memsz : 1);
        ok &= guest_read(f, s.paddr, g, s.memsz) == 0;
        ok &= !memcmp(g, (const uint8_t *)elf + s.offset, s.filesz);
        for (uint64_t i = s.filesz; i < s.memsz; i++)
            ok &= g[i] == 0;
        free(g);
    }
    CHECK(ok);
}

static int all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

static int sum8(const void *p, size_t n)
{
    uint8_t s = 0;

    for (size_t i = 0; i < n; i++)
        s += ((const uint8_t *)p)[i];
    return s;
}

static void check_domain(struct fake *f, const struct xguest_params *p,
                         const struct xguest_result *r, const void *elf, size_t elf_len,
                         const void *initrd, size_t initrd_len)
{
    struct hvm_start_info si;
    struct hvm_modlist_entry mod;
    struct hvm_memmap_table_entry mm[16];
    struct acpi_rsdp rsdp;
    struct hvm_save_descriptor d;
    struct hvm_save_header h;
    struct hvm_hw_cpu c;
    struct grant_entry_v1 g[2];
    struct elf_image img;
    struct build_err be;
    char cmd[256] = "";
    uint64_t ram = 0, populated = 0;
    int ok;

    /* Result and params. */
    CHECK(elf_parse(elf, elf_len, &img, &be) == 0);
    CHECK(r->entry == img.xen.phys32_entry && r->entry != 0);
    CHECK(r->store_gfn == XGUEST_STORE_PFN && r->console_gfn == XGUEST_CONSOLE_PFN);
    CHECK(f->params[HVM_PARAM_STORE_PFN] == XGUEST_STORE_PFN);
    CHECK(f->params[HVM_PARAM_CONSOLE_PFN] == XGUEST_CONSOLE_PFN);
    CHECK(f->params[HVM_PARAM_STORE_EVTCHN] == p->store_port);
    CHECK(f->params[HVM_PARAM_CONSOLE_EVTCHN] == p->console_port);

    /* Memory: every RAM frame populated, mostly as 2 MiB extents; no mapping left behind. */
    for (uint64_t i = 0; i < f->low_pages; i++)
        populated += f->populated[i];
    CHECK(populated == GUEST_MEM / PAGE);
    CHECK(f->big_extents == GUEST_MEM / (2 * MIB));
    CHECK(f->bad_populates == 0);
    CHECK(f->live_maps == 0);
    /* Few batches (one per write), zero pages of the kernel image skipped, the writer closed. */
    CHECK(f->write_calls > 0 && f->write_calls < 40 && f->write_dones == 1);
    CHECK(f->pieces > 0 && f->pieces < (img.load_paddr_end - img.load_paddr_min) / PAGE);

    /* vCPU 0: the hypervisor's header kept, a fresh PVH entry CPU record, END. */
    CHECK(f->ctx_out_len == 3 * sizeof(d) + sizeof(h) + sizeof(c));
    memcpy(&d, f->ctx_out, sizeof(d));
    memcpy(&h, f->ctx_out + sizeof(d), sizeof(h));
    CHECK(d.typecode == HVM_SAVE_CODE_HEADER && d.length == sizeof(h));
    CHECK(h.magic == HVM_FILE_MAGIC && h.cpuid == CTX_CPUID);
    memcpy(&d, f->ctx_out + sizeof(d) + sizeof(h), sizeof(d));
    memcpy(&c, f->ctx_out + 2 * sizeof(d) + sizeof(h), sizeof(c));
    CHECK(d.typecode == HVM_SAVE_CODE_CPU && d.instance == 0 && d.length == sizeof(c));
    CHECK(c.rip == r->entry && c.rbx == r->start_info_paddr);
    CHECK(c.cr0 == 0x11 && c.cr4 == 0 && c.cr3 == 0);
    CHECK(c.cs_arbytes == 0xc9b && c.ds_arbytes == 0xc93 && c.ss_arbytes == 0xc93 &&
          c.es_arbytes == 0xc93 && c.tr_arbytes == 0x8b && c.tr_limit == 0x67);
    CHECK(c.cs_base == 0 && c.cs_limit == 0xffffffff && c.ds_limit == 0xffffffff);
    CHECK(c.dr6 == 0xffff0ff0 && c.dr7 == 0x400 && c.msr_efer == 0);
    CHECK(c.rax == 0 && c.fpu_regs[0] == 0); /* nothing from the stale record survives */
    memcpy(&d, f->ctx_out + 2 * sizeof(d) + sizeof(h) + sizeof(c), sizeof(d));
    CHECK(d.typecode == HVM_SAVE_CODE_END && d.length == 0);
    /* Every vCPU's MTRRs: write-back default, enabled; the hypervisor's other values kept. */
    CHECK(f->mtrr_sets == p->max_vcpus && f->ctx_sets == p->max_vcpus + 1 && !f->mtrr_bad);
    for (unsigned int i = 0; i < p->max_vcpus; i++)
        CHECK(f->mtrr_def[i] == 0x806);

    /* start_info v1 at RBX. */
    CHECK(guest_read(f, r->start_info_paddr, &si, sizeof(si)) == 0);
    CHECK(si.magic == XEN_HVM_START_MAGIC_VALUE && si.version == 1 && si.flags == 0);
    CHECK(guest_read(f, si.cmdline_paddr, cmd, sizeof(cmd) - 1) == 0);
    CHECK_STR(cmd, p->cmdline ? p->cmdline : "");
    if (initrd_len) {
        uint8_t *g = malloc(initrd_len);
        CHECK(si.nr_modules == 1);
        CHECK(guest_read(f, si.modlist_paddr, &mod, sizeof(mod)) == 0);
        CHECK(mod.size == initrd_len && mod.paddr % PAGE == 0);
        CHECK(guest_read(f, mod.paddr, g, initrd_len) == 0 && !memcmp(g, initrd, initrd_len));
        CHECK(mod.paddr >= img.load_paddr_end); /* after the kernel, not over it */
        free(g);
    } else {
        CHECK(si.nr_modules == 0);
    }

    /* The memmap in start_info equals the e820 given to XENMEM_set_memory_map. */
    CHECK(si.memmap_entries == f->ne820 && f->ne820 >= 5 && f->ne820 <= 16);
    CHECK(guest_read(f, si.memmap_paddr, mm, si.memmap_entries * sizeof(mm[0])) == 0);
    ok = 1;
    for (unsigned int i = 0; i < f->ne820 && i < 16; i++) {
        ok &= mm[i].addr == f->e820[i].addr && mm[i].size == f->e820[i].size &&
              mm[i].type == f->e820[i].type;
        if (f->e820[i].type == E820_RAM)
            ram += f->e820[i].size;
        if (i)
            ok &= f->e820[i].addr >= f->e820[i - 1].addr + f->e820[i - 1].size;
    }
    CHECK(ok);
    CHECK(ram == GUEST_MEM - 0x61000);
    CHECK(f->e820[0].addr == 0 && f->e820[0].type == E820_RAM);
    ok = 0;
    for (unsigned int i = 0; i < f->ne820; i++)
        ok += (f->e820[i].addr == XGUEST_STORE_PFN * PAGE ||
               f->e820[i].addr == XGUEST_CONSOLE_PFN * PAGE) &&
              f->e820[i].type == E820_RESERVED;
    CHECK(ok == 2);

    /* ACPI: a valid RSDP where start_info says, pointing at a valid XSDT. */
    CHECK(si.rsdp_paddr >= XGUEST_MMIO_HOLE_START && si.rsdp_paddr < 0xFEE00000);
    CHECK(guest_read(f, si.rsdp_paddr, &rsdp, sizeof(rsdp)) == 0);
    CHECK(!memcmp(rsdp.signature, "RSD PTR ", 8));
    CHECK(sum8(&rsdp, 20) == 0 && sum8(&rsdp, sizeof(rsdp)) == 0);
    {
        struct acpi_header x;
        uint8_t buf[512];
        CHECK(guest_read(f, rsdp.xsdt_address, &x, sizeof(x)) == 0);
        CHECK(!memcmp(x.signature, "XSDT", 4) && x.length <= sizeof(buf));
        CHECK(guest_read(f, rsdp.xsdt_address, buf, x.length) == 0 && sum8(buf, x.length) == 0);
    }

    /* Grant entries 0 (console) and 1 (xenstore) for dom0. */
    memcpy(g, f->grant, sizeof(g));
    CHECK(g[0].flags == GTF_permit_access && g[0].domid == p->console_domid &&
          g[0].frame == XGUEST_CONSOLE_PFN);
    CHECK(g[1].flags == GTF_permit_access && g[1].domid == p->store_domid &&
          g[1].frame == XGUEST_STORE_PFN);

    check_kernel(f, elf, elf_len);
}

/* ---- the tests ---- */

static void test_vmlinux(const void *elf, size_t elf_len)
{
    uint8_t initrd[3 * 65536 + 123];
    struct xguest_params p = base_params(vmlinux);
    struct xguest_result r;
    struct fake *f;
    char err[256] = "x";

    for (size_t i = 0; i < sizeof(initrd); i++)
        initrd[i] = (uint8_t)(i * 7 + (i >> 9));
    p.ramdisk = tmpfile_with("initrd", initrd, sizeof(initrd));
    CHECK(build(&p, &f, &r, err, sizeof(err)) == 0);
    CHECK(err[0] == '\0');
    check_domain(f, &p, &r, elf, elf_len, initrd, sizeof(initrd));
    fake_free(f);

    /* No ramdisk, no command line, a backend in the domain itself (entry 1 not seeded). */
    p = base_params(vmlinux);
    p.cmdline = NULL;
    p.store_domid = DOMID;
    CHECK(build(&p, &f, &r, err, sizeof(err)) == 0);
    {
        struct hvm_start_info si;
        struct grant_entry_v1 g[2];
        char c = 'x';
        CHECK(guest_read(f, r.start_info_paddr, &si, sizeof(si)) == 0 && si.nr_modules == 0);
        CHECK(guest_read(f, si.cmdline_paddr, &c, 1) == 0 && c == '\0');
        memcpy(g, f->grant, sizeof(g));
        CHECK(g[0].flags == GTF_permit_access && g[1].flags == 0 && g[1].frame == 0);
    }
    fake_free(f);
}

static void test_vmlinuz(const void *elf, size_t elf_len)
{
    struct xguest_params p = base_params(vmlinuz);
    struct xguest_result r;
    struct xguest_kernel k;
    struct fake *f;
    char err[256], cache[300], kcopy[300];
    size_t zlen;
    void *z;

    snprintf(cache, sizeof(cache), "%s/var/cache/xenolith", tmpdir); /* parents made too */
    setenv("XGUEST_KERNEL_CACHE", cache, 1);

    /* First build decompresses and fills the cache; the guest matches the vmlinux build, and
     * the same pages are written (zeros found through the zero map, not by reading). */
    {
        struct xguest_params pl = base_params(vmlinux);
        uint64_t scanned;

        CHECK(build(&pl, &f, &r, err, sizeof(err)) == 0);
        scanned = f->pieces;
        fake_free(f);
        CHECK(build(&p, &f, &r, err, sizeof(err)) == 0);
        check_domain(f, &p, &r, elf, elf_len, NULL, 0);
        CHECK(f->pieces == scanned);
        fake_free(f);
        CHECK(build(&p, &f, &r, err, sizeof(err)) == 0); /* from the cache */
        check_domain(f, &p, &r, elf, elf_len, NULL, 0);
        CHECK(f->pieces == scanned);
        fake_free(f);
    }

    /* The cache now answers (and verifies its key); the bytes are the real vmlinux, the zero
     * map is exact. */
    CHECK(xguest_kernel_load(vmlinuz, &k, err, sizeof(err)) == 0);
    CHECK(k.from_cache == 1 && k.len == elf_len && !memcmp(k.elf, elf, elf_len));
    {
        uint64_t *zm = xguest_zero_map(elf, elf_len);
        size_t zeros = 0;

        CHECK(zm && k.zero_map && !memcmp(zm, k.zero_map, XGUEST_ZMAP_WORDS(elf_len) * 8));
        for (size_t i = 0; zm && i < (elf_len + 4095) / 4096; i++)
            zeros += (zm[i / 64] >> (i % 64)) & 1;
        CHECK(zeros > 1000 && zeros < elf_len / 4096); /* vmlinux has both kinds */
        free(zm);
    }
    xguest_kernel_free(&k);

    /* A damaged cache file (cut short) is a miss, never a wrong kernel; it is rewritten. */
    {
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "for f in '%s'/*.elf; do truncate -s 1000000 \"$f\"; done",
                 cache);
        CHECK(system(cmd) == 0);
    }
    CHECK(xguest_kernel_load(vmlinuz, &k, err, sizeof(err)) == 0);
    CHECK(k.from_cache == 0 && k.len == elf_len && !memcmp(k.elf, elf, elf_len));
    xguest_kernel_free(&k);
    CHECK(xguest_kernel_load(vmlinuz, &k, err, sizeof(err)) == 0);
    CHECK(k.from_cache == 1 && k.len == elf_len && !memcmp(k.elf, elf, elf_len));
    xguest_kernel_free(&k);

    /* A copy of the same bytes is another file: its own key, so no false hit. */
    z = slurp(vmlinuz, &zlen);
    CHECK(z != NULL);
    snprintf(kcopy, sizeof(kcopy), "%s", tmpfile_with("vmlinuz-copy", z, zlen));
    CHECK(xguest_kernel_load(kcopy, &k, err, sizeof(err)) == 0);
    CHECK(k.from_cache == 0 && k.len == elf_len && !memcmp(k.elf, elf, elf_len));
    xguest_kernel_free(&k);
    /* Rewriting the file in place (same path) changes the key: the stale entry is not used. */
    ((uint8_t *)z)[zlen / 2] ^= 0x40; /* corrupt the xz payload */
    {
        int fd = open(kcopy, O_WRONLY | O_TRUNC);
        CHECK(fd >= 0 && write(fd, z, zlen) == (ssize_t)zlen);
        close(fd);
    }
    CHECK_FAILS(xguest_kernel_load(kcopy, &k, err, sizeof(err)), -1, EINVAL);
    CHECK(strstr(err, "kernel ") && strstr(err, "vmlinuz-copy") && strstr(err, "XZ"));
    free(z);

    /* Caching off: still correct. */
    setenv("XGUEST_KERNEL_CACHE", "", 1);
    CHECK(xguest_kernel_load(vmlinuz, &k, err, sizeof(err)) == 0);
    CHECK(k.from_cache == 0 && k.len == elf_len);
    xguest_kernel_free(&k);
}

/* The writer alone: zeros are skipped only where nothing was written, pieces stay in a frame. */
static void test_writer(void)
{
    static uint8_t ones[3 * PAGE], zeros[2 * PAGE];
    struct fake *f = fake_new(16 * PAGE);
    struct xguest_backend b = backend_of(f);
    struct pvh_layout l = {.nr_regions = 2};
    struct xguest_mem m = {.b = &b, .l = &l};
    uint8_t got[PAGE];

    memset(ones, 0x11, sizeof(ones));
    l.regions[0] = (struct pvh_region){0, 8 * PAGE, PVH_REGION_RAM};
    l.regions[1] = (struct pvh_region){10 * PAGE, 2 * PAGE, PVH_REGION_RAM};
    for (uint64_t g = 0; g < 12; g++)
        CHECK(g == 8 || g == 9 || populate_one(f, g) == 0);

    /* Two frames of data from mid-frame: 3 pieces, one batch, none crossing a frame. */
    CHECK(xguest_mem_write(&m, PAGE + 100, ones, 2 * PAGE + 50) == 0);
    CHECK(f->write_calls == 1 && f->pieces == 3 && m.pages_written == 3);
    CHECK(guest_read(f, PAGE + 99, got, 1) == 0 && got[0] == 0);
    CHECK(guest_read(f, 3 * PAGE + 149, got, 2) == 0 && got[0] == 0x11 && got[1] == 0);
    /* Zeros over untouched frames cost nothing; over a written frame they are written. */
    CHECK(xguest_mem_write(&m, 5 * PAGE, zeros, 2 * PAGE) == 0);
    CHECK(f->write_calls == 1 && m.pages_skipped == 2);
    CHECK(xguest_mem_write(&m, 3 * PAGE, zeros, 200) == 0);
    CHECK(f->write_calls == 2 && f->pieces == 4);
    CHECK(guest_read(f, 3 * PAGE, got, 200) == 0 && all_bytes(got, 200, 0));
    /* The frame before the first data keeps its zero prefix and gets the data. */
    CHECK(guest_read(f, PAGE + 100, got, PAGE - 100) == 0 && all_bytes(got, PAGE - 100, 0x11));

    /* Outside every region: EFAULT naming the frame, nothing sent. */
    CHECK(xguest_mem_write(&m, 8 * PAGE + 8, ones, 16) == -EFAULT);
    CHECK(m.error == EFAULT && m.error_gfn == 8 && f->write_calls == 2);
    CHECK(xguest_mem_write(&m, 7 * PAGE, ones, 2 * PAGE) == -EFAULT && m.error_gfn == 8);
    CHECK(f->write_calls == 2);
    /* The second region is reachable; a backend failure reports the failing piece's frame. */
    CHECK(xguest_mem_write(&m, 10 * PAGE, ones, 2 * PAGE) == 0);
    f->write_budget = 1;
    CHECK(xguest_mem_write(&m, 0, ones, 3 * PAGE) == -EIO);
    CHECK(m.error == EIO && m.error_gfn == 1);
    xguest_mem_close(&m);
    CHECK(f->write_dones == 1 && m.pieces == NULL && m.written == NULL);
    fake_free(f);
}

static void expect_failure(const struct xguest_params *p, int e, const char *needle)
{
    struct xguest_result r;
    struct fake *f;
    char err[256] = "";

    errno = 0;
    CHECK(build(p, &f, &r, err, sizeof(err)) == -1);
    CHECK(errno == e);
    CHECK(strstr(err, needle) != NULL && strchr(err, '\n') == NULL);
    if (!strstr(err, needle))
        fprintf(stderr, "  message [%s] lacks [%s]\n", err, needle);
    CHECK(f->live_maps == 0);
    fake_free(f);
}

static void test_failures(const void *elf)
{
    struct xguest_params p;
    char *trunc, *self;
    size_t slen;
    void *s;

    p = base_params("/nonexistent/kernel");
    expect_failure(&p, ENOENT, "kernel /nonexistent/kernel: No such file");
    p = base_params(NULL);
    expect_failure(&p, EINVAL, "no kernel");

    trunc = tmpfile_with("truncated", elf, 1 << 20);
    p = base_params(trunc);
    expect_failure(&p, EINVAL, "kernel /tmp/");

    s = slurp("/proc/self/exe", &slen); /* an x86-64 ELF without Xen notes */
    self = tmpfile_with("not-pvh", s, slen);
    free(s);
    p = base_params(self);
    expect_failure(&p, ENOEXEC, "PHYS32_ENTRY");

    p = base_params(tmpfile_with("garbage", "hello world, not a kernel", 25));
    expect_failure(&p, ENOEXEC, "not an ELF");

    p = base_params(vmlinux);
    p.ramdisk = "/nonexistent/initrd";
    expect_failure(&p, ENOENT, "ramdisk /nonexistent/initrd");

    p = base_params(vmlinux);
    p.mem_kb = 32 * 1024; /* the kernel alone needs ~74 MiB */
    expect_failure(&p, ENOMEM, "too small");

    p = base_params(vmlinux);
    p.mem_kb = 1001;
    expect_failure(&p, EINVAL, "memory:");
    p.mem_kb = GUEST_MEM / 1024;
    p.maxmem_kb = p.mem_kb - 4;
    expect_failure(&p, EINVAL, "maxmem");
    p = base_params(vmlinux);
    p.vcpus = 4;
    expect_failure(&p, EINVAL, "vcpus");

    /* More than the host has free: refused before anything is populated. */
    {
        struct xguest_result r;
        struct fake *f = fake_new(GUEST_MEM);
        struct xguest_backend b = backend_of(f);
        char err[256];

        p = base_params(vmlinux);
        f->free_kb = 64 * 1024;
        CHECK(xguest_build_backend(&b, DOMID, &p, &r, err, sizeof(err)) == -1 && errno == ENOMEM);
        CHECK(strstr(err, "memory: need 129 MiB, host has 64 MiB free") != NULL);
        CHECK(f->big_extents == 0 && f->small_extents == 0);
        fake_free(f);

        /* The hypervisor stops granting memory halfway: a clear error, nothing left mapped. */
        f = fake_new(GUEST_MEM);
        b = backend_of(f);
        f->populate_budget = 10;
        CHECK(xguest_build_backend(&b, DOMID, &p, &r, err, sizeof(err)) == -1 && errno == ENOMEM);
        CHECK(strstr(err, "memory: populating 129 MiB for domain 7 failed") != NULL);
        CHECK(f->live_maps == 0 && f->ctx_out_len == 0);
        fake_free(f);
    }
}

int main(int argc, char **argv)
{
    size_t elf_len;
    void *elf;

    if (argc == 3) {
        vmlinux = argv[1];
        vmlinuz = argv[2];
    }
    elf = slurp(vmlinux, &elf_len);
    if (!elf || access(vmlinuz, R_OK)) {
        fprintf(stderr, "need %s and %s (make kernel)\n", vmlinux, vmlinuz);
        return 1;
    }
    if (!mkdtemp(tmpdir))
        return 1;
    setenv("XGUEST_KERNEL_CACHE", "", 1);
    test_writer();
    test_vmlinux(elf, elf_len);
    test_failures(elf);
    test_vmlinuz(elf, elf_len);
    free(elf);
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        CHECK(system(cmd) == 0);
    }
    return check_summary("xguest");
}
