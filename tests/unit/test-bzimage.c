/* Kernel image formats: bzImages of every payload kind, hostile headers, Debian's vmlinuz. */
// clang-format off
// SOURCES: hv/common/bzimage.c hv/common/decompress/xz.c hv/common/decompress/lzma2.c hv/common/decompress/bcj_x86.c hv/common/decompress/crc32.c hv/common/decompress/inflate.c hv/common/libelf.c
// clang-format on
#include "harness.h"
#include "test_blob.h"
#include "pvh-fixture.h"

#include <time.h>
#include <unistd.h>

#include <hv/lib.h>
#include <hv/bzimage.h>
#include <hv/decompress.h>
#include <hv/libelf.h>
#include <public/errno.h>

static uint64_t rng = 0x13198A2E03707344ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A bzImage around payload, laid out like Debian's (payload_offset 0x2CC). */
#define BZ_PAYLOAD_OFF 0x2CC
static struct blob bzimage(const struct blob *payload, uint8_t setup_sects, uint16_t version)
{
    size_t pm = (size_t)((setup_sects ? setup_sects : 4) + 1) * 512;
    struct blob b;

    b.n = pm + BZ_PAYLOAD_OFF + payload->n + 0x100; /* trailing bytes, as the real image has */
    b.p = calloc(1, b.n);
    b.p[0x1F1] = setup_sects;
    put_le16(b.p + 0x1FE, 0xAA55);
    memcpy(b.p + 0x202, "HdrS", 4);
    put_le16(b.p + 0x206, version);
    put_le32(b.p + 0x248, BZ_PAYLOAD_OFF);
    put_le32(b.p + 0x24C, (uint32_t)payload->n);
    memcpy(b.p + pm + BZ_PAYLOAD_OFF, payload->p, payload->n);
    return b;
}

/* The kernel build's XZ payload: the stream, then the uncompressed size (size_append). */
static struct blob xz_payload(const struct blob *data)
{
    struct blob s = run_tool("xz -c -T1 --check=crc32 --x86 --lzma2=dict=1MiB", data);
    s.p = realloc(s.p, s.n + 4);
    put_le32(s.p + s.n, (uint32_t)data->n);
    s.n += 4;
    return s;
}

/* A valid PVH ELF from the fixture, padded with x86 code so the BCJ filter has work to do. */
static struct blob elf_kernel(void)
{
    struct fx_opts o = fx_default();
    struct blob b, code = read_file("/proc/self/exe", 256 << 10);

    b.p = calloc(1, 0x20000 + code.n);
    b.n = fx_build(b.p, 0x20000, &o);
    CHECK(b.n > 0);
    memcpy(b.p + b.n, code.p, code.n);
    b.n += code.n;
    free(code.p);
    return b;
}

static int probe(const struct blob *img, struct kernel_image_info *info, struct build_err *err)
{
    uint8_t *p = dup_exact(img->p, img->n);
    int rc;
    memset(err, 0, sizeof(*err));
    rc = kernel_image_probe(p, img->n, info, err);
    free(p);
    return rc;
}

/* Decompress img into an exact buffer of out_len bytes and compare with want (if given). */
static int unpack(const struct blob *img, size_t out_len, const struct blob *want,
                  struct build_err *err)
{
    uint8_t *p = dup_exact(img->p, img->n), *out = malloc(out_len ? out_len : 1);
    int rc;
    memset(err, 0, sizeof(*err));
    rc = kernel_image_decompress(p, img->n, out, out_len, err);
    if (rc == 0 && want)
        CHECK(want->n <= out_len && memcmp(out, want->p, want->n) == 0);
    free(p);
    free(out);
    return rc;
}

static void expect_probe_fail(const struct blob *img, int code, const char *what)
{
    struct kernel_image_info info;
    struct build_err err;

    CHECK_EQ(probe(img, &info, &err), code);
    CHECK(msg_has(&err, what));
}

static void formats(void)
{
    struct blob elf = elf_kernel(), xzp = xz_payload(&elf);
    struct blob gz = run_tool("gzip -c -n -9", &elf), rawxz = run_tool("xz -c -T1", &elf);
    struct kernel_image_info info;
    struct build_err err;
    struct elf_image e;

    /* ELF: recognised and passed through. */
    CHECK_EQ(probe(&elf, &info, &err), 0);
    CHECK_EQ(info.kind, KERNEL_ELF);
    CHECK_EQ(info.uncompressed_size, elf.n);
    CHECK(unpack(&elf, elf.n, NULL, &err) < 0 && msg_has(&err, "not compressed"));
    CHECK_EQ(elf_parse(elf.p, elf.n, &e, &err), 0);

    /* bzImage with XZ (setup_sects 0 means 4), with gzip, and raw gzip and XZ files. */
    static const uint8_t sects[] = {0, 4, 39, 63};
    for (unsigned int i = 0; i < ARRAY_SIZE(sects); i++) {
        struct blob bz = bzimage(&xzp, sects[i], 0x020F);
        CHECK_EQ(probe(&bz, &info, &err), 0);
        CHECK_EQ(info.kind, KERNEL_BZIMAGE_XZ);
        CHECK_EQ(info.boot_version, 0x020F);
        CHECK_EQ(info.uncompressed_size, elf.n);
        CHECK_EQ(info.payload_len, xzp.n);
        CHECK_EQ(info.payload_off, ((sects[i] ? sects[i] : 4) + 1) * 512 + BZ_PAYLOAD_OFF);
        CHECK_EQ(unpack(&bz, elf.n, &elf, &err), 0);
        CHECK_EQ(unpack(&bz, elf.n + 4096, &elf, &err), 0); /* room to spare is fine */
        CHECK(unpack(&bz, elf.n - 1, NULL, &err) == -XEN_ENOSPC);
        free(bz.p);
    }
    struct blob bzg = bzimage(&gz, 39, 0x0208);
    CHECK_EQ(probe(&bzg, &info, &err), 0);
    CHECK_EQ(info.kind, KERNEL_BZIMAGE_GZIP);
    CHECK_EQ(info.uncompressed_size, elf.n);
    CHECK_EQ(unpack(&bzg, elf.n, &elf, &err), 0);
    CHECK_EQ(probe(&gz, &info, &err), 0);
    CHECK_EQ(info.kind, KERNEL_GZIP);
    CHECK_EQ(unpack(&gz, elf.n, &elf, &err), 0);
    CHECK_EQ(probe(&rawxz, &info, &err), 0);
    CHECK_EQ(info.kind, KERNEL_XZ);
    CHECK_EQ(unpack(&rawxz, elf.n, &elf, &err), 0);
    if (err.code)
        fprintf(stderr, "  %s\n", err.msg);

    /* Old boot protocol, payload beyond the file, a size trailer that disagrees. */
    struct blob bz = bzimage(&xzp, 39, 0x0207);
    expect_probe_fail(&bz, -XEN_EOPNOTSUPP, "2.7 is too old");
    put_le16(bz.p + 0x206, 0x020F);
    struct blob cut = {bz.p, (39 + 1) * 512 + BZ_PAYLOAD_OFF + xzp.n - 1};
    expect_probe_fail(&cut, -XEN_EINVAL, "truncated bzImage payload");
    put_le32(bz.p + 0x24C, 0xFFFFFFF0u);
    expect_probe_fail(&bz, -XEN_EINVAL, "truncated bzImage payload");
    put_le32(bz.p + 0x248, 0xFFFFFFF0u);
    expect_probe_fail(&bz, -XEN_EINVAL, "truncated bzImage payload");
    put_le32(bz.p + 0x248, BZ_PAYLOAD_OFF);
    put_le32(bz.p + 0x24C, 8);
    expect_probe_fail(&bz, -XEN_EINVAL, "too short");
    put_le32(bz.p + 0x24C, (uint32_t)xzp.n);
    size_t trailer = (39 + 1) * 512 + BZ_PAYLOAD_OFF + xzp.n - 4;
    put_le32(bz.p + trailer, (uint32_t)elf.n + 1);
    expect_probe_fail(&bz, -XEN_EINVAL, "size trailer");
    put_le32(bz.p + trailer, (uint32_t)elf.n);
    /* A bit flipped in the middle of the payload. */
    bz.p[(39 + 1) * 512 + BZ_PAYLOAD_OFF + xzp.n / 2] ^= 0x10;
    CHECK_EQ(probe(&bz, &info, &err), 0);
    CHECK(unpack(&bz, elf.n, NULL, &err) < 0 && msg_has(&err, "corrupt XZ data"));
    free(bz.p);

    /* Claimed sizes: nothing, or more than any kernel. */
    struct blob g2 = {dup_exact(gz.p, gz.n), gz.n};
    put_le32(g2.p + g2.n - 4, 0);
    expect_probe_fail(&g2, -XEN_EINVAL, "claims 0 bytes");
    put_le32(g2.p + g2.n - 4, 0xFFFFFFFFu);
    expect_probe_fail(&g2, -XEN_EINVAL, "limit");
    free(g2.p);

    free(elf.p);
    free(xzp.p);
    free(gz.p);
    free(bzg.p);
    free(rawxz.p);
}

static void unsupported(void)
{
    struct blob data = {malloc(64 << 10), 64 << 10};
    static const struct {
        const char *cmd, *name;
    } tools[] = {
        {"bzip2 -c -9", "bzip2"},
        {"xz -c --format=lzma", "lzma"},
        {"zstd -q -c -19", "zstd"},
        {"lz4 -q -c -l -9", "lz4"},
    };
    char want[64];

    for (size_t i = 0; i < data.n; i++)
        data.p[i] = (uint8_t)("kernel"[i % 6] + (i % 61 == 0));
    for (unsigned int i = 0; i < ARRAY_SIZE(tools); i++) {
        struct blob c = run_tool(tools[i].cmd, &data), bz;
        if (!c.n)
            continue;
        bz = bzimage(&c, 39, 0x020F);
        snprintf(want, sizeof(want), "unsupported compression: %s", tools[i].name);
        expect_probe_fail(&bz, -XEN_EOPNOTSUPP, want);
        if (!strcmp(tools[i].name, "zstd") || !strcmp(tools[i].name, "lz4"))
            expect_probe_fail(&c, -XEN_EOPNOTSUPP, want); /* distinctive enough raw, too */
        free(bz.p);
        free(c.p);
    }
    /* LZO (no lzop here: its magic is enough), and an unknown payload. */
    struct blob lzo = {(uint8_t *)"\x89LZO\0\r\n\x1a\n\x10\x30\x20\xa0\0\0\0\0\0\0\0", 20};
    struct blob bz = bzimage(&lzo, 39, 0x020F);
    expect_probe_fail(&bz, -XEN_EOPNOTSUPP, "unsupported compression: lzo");
    memset(bz.p + 40 * 512 + BZ_PAYLOAD_OFF, 0x42, 4);
    expect_probe_fail(&bz, -XEN_EOPNOTSUPP, "unknown bzImage payload format");
    free(bz.p);

    /* Random data is "not an ELF", as the tests of bad dom0 modules expect. */
    for (size_t i = 0; i < data.n; i++)
        data.p[i] = (uint8_t)rnd();
    data.p[0] = 0x5D; /* the LZMA magic is too weak to trust outside a bzImage */
    data.p[1] = data.p[2] = 0;
    expect_probe_fail(&data, -XEN_ENOEXEC, "not an ELF");
    struct blob tiny = {data.p, 3};
    expect_probe_fail(&tiny, -XEN_ENOEXEC, "not an ELF");
    free(data.p);
}

/* ---- Debian's kernel (cache/vmlinuz, or $XENOLITH_VMLINUZ) ---- */

static struct blob vmlinuz, vmlinux;
static const char *vmlinuz_path;
static bool skipped;

static void find_kernel(void)
{
    const char *env = getenv("XENOLITH_VMLINUZ"), *envx = getenv("XENOLITH_VMLINUX");

    vmlinuz_path = env && *env ? env : "cache/vmlinuz";
    vmlinuz = read_file(vmlinuz_path, 0);
    if (vmlinuz.n) {
        printf("  using %s (%zu bytes)\n", vmlinuz_path, vmlinuz.n);
        vmlinux = read_file(envx && *envx ? envx : "cache/vmlinux", 0);
        return;
    }
    if (env && *env) {
        fprintf(stderr, "  XENOLITH_VMLINUZ=%s cannot be read\n", env);
        CHECK(!"vmlinuz named by XENOLITH_VMLINUZ is readable");
        return;
    }
    printf("  SKIPPED: %s not found (run `make kernel`, or set XENOLITH_VMLINUZ=/path/to/vmlinuz"
           " to make its absence a failure)\n",
           vmlinuz_path);
    skipped = true;
}

static void real_kernel(void)
{
    struct kernel_image_info info;
    struct build_err err;
    struct elf_image e;
    struct timespec t0, t1;
    uint8_t *out;
    int rc;

    if (!vmlinuz.n)
        return;
    CHECK_EQ(kernel_image_probe(vmlinuz.p, vmlinuz.n, &info, &err), 0);
    CHECK_EQ(info.kind, KERNEL_BZIMAGE_XZ);
    CHECK(info.boot_version >= 0x0208);
    printf("  %s, boot protocol %u.%02u, payload %zu bytes at %#zx, %llu bytes uncompressed\n",
           info.format, info.boot_version >> 8, info.boot_version & 0xff, info.payload_len,
           info.payload_off, (unsigned long long)info.uncompressed_size);
    out = malloc(info.uncompressed_size);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = kernel_image_decompress(vmlinuz.p, vmlinuz.n, out, info.uncompressed_size, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_EQ(rc, 0);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
#ifdef __SANITIZE_ADDRESS__
    const char *build = "with sanitizers";
#else
    const char *build = "no sanitizers";
#endif
    printf("  decompressed in %.3f s: %.2f ns per output byte (this build: %s)\n", ns / 1e9,
           ns / (double)info.uncompressed_size, build);
    if (vmlinux.n) {
        CHECK_EQ(vmlinux.n, info.uncompressed_size);
        CHECK(vmlinux.n == info.uncompressed_size && memcmp(out, vmlinux.p, vmlinux.n) == 0);
        printf("  identical to the extracted vmlinux, byte for byte\n");
    }
    CHECK_EQ(elf_parse(out, info.uncompressed_size, &e, &err), 0);
    CHECK(e.xen.has_phys32_entry);
    CHECK_EQ(elf_check_pvh(&e, &err), 0);

    /* The same image with one bit flipped in the middle of its payload. */
    uint8_t *bad = dup_exact(vmlinuz.p, vmlinuz.n);
    bad[info.payload_off + info.payload_len / 2] ^= 0x04;
    rc = kernel_image_decompress(bad, vmlinuz.n, out, info.uncompressed_size, &err);
    CHECK(rc < 0);
    CHECK(msg_has(&err, "corrupt XZ data"));
    printf("  mid-payload bit flip: %s\n", err.msg);
    /* And cut short. */
    CHECK(kernel_image_probe(bad, info.payload_off + info.payload_len - 1, &info, &err) < 0);
    CHECK(msg_has(&err, "truncated bzImage payload"));
    free(bad);
    free(out);
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static size_t put_vli(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    do {
        p[n] = (uint8_t)(v & 0x7F) | (v >= 0x80 ? 0x80 : 0);
        v >>= 7;
        n++;
    } while (v);
    return n;
}

/*
 * Bit flips in the real compressed kernel: its first LZMA2 chunks (about prefix_in bytes of
 * them: the first megabytes of the kernel's code), ended with an end marker and wrapped in a
 * complete XZ stream with its own check and index, so that every flip goes through the whole
 * decoder.
 */
static void real_kernel_flips(void)
{
    const size_t prefix_in = 160 << 10;
    struct kernel_image_info info;
    struct build_err err;

    if (!vmlinuz.n || kernel_image_probe(vmlinuz.p, vmlinuz.n, &info, &err))
        return;
    const uint8_t *x = vmlinuz.p + info.payload_off;
    size_t hsize = ((size_t)x[12] + 1) * 4, data = 12 + hsize, pos = data, usize = 0;
    while (pos - data < prefix_in && x[pos] != 0) {
        uint8_t c = x[pos];
        if (c >= 0x80) {
            usize += ((size_t)(c & 0x1F) << 16) + be16(x + pos + 1) + 1;
            pos += (c >= 0xC0 ? 6 : 5) + (size_t)be16(x + pos + 3) + 1;
        } else {
            usize += (size_t)be16(x + pos + 1) + 1;
            pos += 3 + (size_t)be16(x + pos + 1) + 1;
        }
    }
    size_t lz = pos - data + 1, n = 0;
    struct blob s = {calloc(1, data + lz + 64), 0};
    memcpy(s.p, x, data); /* stream header and the real block header */
    memcpy(s.p + data, x + data, lz - 1);
    n = data + lz; /* + end marker (already zero) */
    while ((n - 12) % 4)
        n++;
    /* Reference output: the same data through the raw layers, checked against vmlinux. */
    struct lzma2_dec *d = malloc(sizeof(*d));
    uint8_t *ref = malloc(usize), *out = malloc(usize);
    CHECK_EQ(lzma2_decode(d, s.p + data, lz, ref, usize, 32u << 20, 0, &err), 0);
    bcj_x86_decode(ref, usize, 0);
    if (vmlinux.n)
        CHECK(memcmp(ref, vmlinux.p, usize - 4) == 0);
    put_le32(s.p + n, crc32_update(0, ref, usize));
    n += 4;
    size_t index = n;
    s.p[n++] = 0;
    s.p[n++] = 1;
    n += put_vli(s.p + n, hsize + lz + 4);
    n += put_vli(s.p + n, usize);
    while (n % 4)
        n++;
    put_le32(s.p + n, crc32_update(0, s.p + index, n - index));
    n += 4;
    put_le32(s.p + n + 4, (uint32_t)((n - index) / 4 - 1));
    s.p[n + 8] = x[6];
    s.p[n + 9] = x[7];
    put_le32(s.p + n, crc32_update(0, s.p + n + 4, 6));
    s.p[n + 10] = 'Y';
    s.p[n + 11] = 'Z';
    s.n = n + 12;
    CHECK_EQ(xz_decode(s.p, s.n, out, usize, &err), 0);
    CHECK(memcmp(out, ref, usize) == 0);

    unsigned int rejected = 0, exact = 0, wrong = 0, flips = 300;
    for (unsigned int i = 0; i < flips; i++) {
        size_t bit = rnd() % (s.n * 8);
        uint8_t *in;
        s.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        in = dup_exact(s.p, s.n);
        if (xz_decode(in, s.n, out, usize, &err) < 0)
            rejected++;
        else if (memcmp(out, ref, usize) == 0)
            exact++;
        else
            wrong++;
        free(in);
        s.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    printf("  first %zu bytes of the kernel (%zu compressed): %u bit flips, %u rejected, "
           "%u harmless, %u wrong output\n",
           usize, lz, flips, rejected, exact, wrong);
    CHECK_EQ(wrong, 0);
    free(d);
    free(ref);
    free(out);
    free(s.p);
}

static void cleanup(void)
{
    char cmd[128];
    if (tmpdir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        CHECK_EQ(system(cmd), 0);
    }
    free(vmlinuz.p);
    free(vmlinux.p);
    if (skipped)
        printf("  (real-kernel checks skipped: no vmlinuz)\n");
}

TEST_MAIN("bzimage", TEST(formats), TEST(unsupported), TEST(find_kernel), TEST(real_kernel),
          TEST(real_kernel_flips), TEST(cleanup))
