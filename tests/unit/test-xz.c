/* XZ, LZMA2, x86 BCJ and CRC: vectors made by Debian's xz, truncations, bit flips, bad headers. */
// clang-format off
// SOURCES: hv/common/decompress/xz.c hv/common/decompress/lzma2.c hv/common/decompress/bcj_x86.c hv/common/decompress/crc32.c hv/common/libelf.c
// clang-format on
#include "harness.h"
#include "test_blob.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <hv/lib.h>
#include <hv/decompress.h>
#include <public/errno.h>

/* ---- helpers: data, running Debian's xz, reading the container ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static struct blob xz(const char *opts, const struct blob *data)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "xz -c -T1 %s", opts);
    return run_tool(cmd, data);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t vli(const uint8_t *p, size_t *pos)
{
    uint64_t v = 0;
    for (int i = 0; i < 9; i++) {
        uint8_t b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* Where the first block's LZMA2 data is in an XZ file (read independently of xz.c). */
struct xz_layout {
    size_t block, hsize, data, csize, check_size, index, dict_prop;
    uint64_t usize;
};

static struct xz_layout layout(const struct blob *s)
{
    struct xz_layout l = {0};
    static const unsigned int csz[16] = {0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64};
    size_t pos;
    uint64_t unpadded;
    uint8_t flags;

    l.check_size = csz[s->p[7] & 15];
    l.index = s->n - 12 - ((size_t)le32(s->p + s->n - 8) + 1) * 4;
    pos = l.index + 1;
    vli(s->p, &pos); /* record count */
    unpadded = vli(s->p, &pos);
    l.usize = vli(s->p, &pos);
    l.block = 12;
    l.hsize = ((size_t)s->p[12] + 1) * 4;
    l.data = l.block + l.hsize;
    l.csize = (size_t)unpadded - l.hsize - l.check_size;
    /* The block header's filter list, for the LZMA2 dictionary property's offset. */
    flags = s->p[13];
    pos = 14;
    if (flags & 0x40)
        vli(s->p, &pos);
    if (flags & 0x80)
        vli(s->p, &pos);
    for (unsigned int f = 0; f <= (flags & 3u); f++) {
        uint64_t id = vli(s->p, &pos), psize = vli(s->p, &pos);
        if (id == 0x21)
            l.dict_prop = pos;
        pos += psize;
    }
    return l;
}

/* Fix the CRC32 of the block header at l->block after editing it. */
static void fix_block_crc(struct blob *s, const struct xz_layout *l)
{
    put_le32(s->p + l->block + l->hsize - 4, crc32_update(0, s->p + l->block, l->hsize - 4));
}

static void fix_index_crc(struct blob *s, const struct xz_layout *l)
{
    size_t end = s->n - 12 - 4;
    put_le32(s->p + end, crc32_update(0, s->p + l->index, end - l->index));
}

/* Decode s completely; 0 and the output in *out (malloc'ed, exact size), or the error. */
static int decode(const struct blob *s, size_t out_len, uint8_t **out, struct build_err *err)
{
    uint8_t *in = dup_exact(s->p, s->n);
    int rc;

    *out = malloc(out_len ? out_len : 1);
    memset(err, 0, sizeof(*err));
    rc = xz_decode(in, s->n, *out, out_len, err);
    free(in);
    return rc;
}

/* ---- data sets ---- */

enum { DS_RANDOM, DS_TEXT, DS_RUNS, DS_X86, DS_TINY, DS_EMPTY, NR_DS };
static const char *const ds_name[NR_DS] = {"random", "text", "runs", "x86 code", "tiny", "empty"};

static struct blob dataset(int which)
{
    static const char *const words[] = {"the",   "xen",     "domain", "page",  "grant",
                                        "event", "channel", "vcpu",   "linux", "hypervisor",
                                        "\n",    ", ",      "0x1000", "dom0",  "memory"};
    struct blob b = {0};

    switch (which) {
    case DS_RANDOM:
        b.n = 96 << 10;
        b.p = malloc(b.n);
        for (size_t i = 0; i < b.n; i++)
            b.p[i] = (uint8_t)rnd();
        break;
    case DS_TEXT:
        b.p = malloc(256 << 10);
        while (b.n < (200 << 10)) {
            const char *w = words[rnd() % ARRAY_SIZE(words)];
            memcpy(b.p + b.n, w, strlen(w));
            b.n += strlen(w);
            b.p[b.n++] = ' ';
        }
        break;
    case DS_RUNS:
        /* Runs and short periods exercise the distance 1..7 match copies. */
        b.n = 300 << 10;
        b.p = malloc(b.n);
        for (size_t i = 0; i < b.n;) {
            size_t len = 1 + rnd() % 600, period = 1 + rnd() % 9;
            uint8_t pat[9];
            for (size_t k = 0; k < period; k++)
                pat[k] = (uint8_t)rnd();
            for (size_t k = 0; k < len && i < b.n; k++, i++)
                b.p[i] = pat[k % period];
        }
        break;
    case DS_X86:
        /* This test's own machine code: real E8/E9 branches for the BCJ filter. */
        b = read_file("/proc/self/exe", 384 << 10);
        CHECK(b.n > 64 << 10);
        break;
    case DS_TINY:
        b.n = 5;
        b.p = malloc(b.n);
        memcpy(b.p, "\xE8\x00\x00\x00", 5);
        break;
    default:
        b.p = malloc(1);
        break;
    }
    return b;
}

/* ---- tests ---- */

static void crc_vectors(void)
{
    static const char digits[] = "123456789";
    uint8_t buf[1000];

    CHECK_EQ(crc32_update(0, digits, 9), 0xCBF43926u);
    CHECK_EQ(crc64_update(0, digits, 9), 0x995DC9BBDF1939FAull);
    CHECK_EQ(crc32_update(0, "", 0), 0);
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)rnd();
    /* Any split and any alignment give the same CRC as one pass (the slicing has a head). */
    uint32_t whole = crc32_update(0, buf, sizeof(buf));
    uint64_t whole64 = crc64_update(0, buf, sizeof(buf));
    for (size_t cut = 0; cut <= 40; cut++) {
        CHECK_EQ(crc32_update(crc32_update(0, buf, cut), buf + cut, sizeof(buf) - cut), whole);
        CHECK_EQ(crc64_update(crc64_update(0, buf, cut), buf + cut, sizeof(buf) - cut), whole64);
    }
    /* Against gzip's own CRC32 (its trailer) for a larger buffer. */
    struct blob b = {buf, sizeof(buf)};
    struct blob gz = run_tool("gzip -c -n", &b);
    if (gz.n > 8)
        CHECK_EQ(le32(gz.p + gz.n - 8), whole);
    free(gz.p);
}

/* xz options: Debian's kernel settings first, then other checks, properties and block sizes. */
static const char *const variants[] = {
    "--check=crc32 --x86 --lzma2=dict=1MiB",
    "--check=crc64 --lzma2=preset=6,lc=0,lp=4,pb=0",
    "--check=none -0",
    "--check=crc32 --x86=start=4096 --lzma2=dict=64KiB,lc=4,lp=0,pb=4",
    "--check=crc32 --block-size=65536 -6",
    "--check=crc32 -9e --x86 --lzma2=dict=1MiB",
    "--check=crc64 --lzma2=preset=1,lc=1,lp=1,pb=1,nice=273,mf=bt4",
};

static void roundtrip(void)
{
    struct lzma2_dec *dc = malloc(sizeof(*dc));

    for (int ds = 0; ds < NR_DS; ds++) {
        struct blob data = dataset(ds);
        for (unsigned int v = 0; v < ARRAY_SIZE(variants); v++) {
            struct blob s = xz(variants[v], &data);
            struct xz_info info;
            struct build_err err;
            uint8_t *out;
            int before = harness_failures;

            if (!s.n)
                continue;
            CHECK_EQ(xz_probe(s.p, s.n, &info, &err), 0);
            CHECK_EQ(info.uncompressed_size, data.n);
            CHECK_EQ(info.stream_size, s.n);
            CHECK_EQ(decode(&s, data.n, &out, &err), 0);
            CHECK(data.n == 0 || memcmp(out, data.p, data.n) == 0);
            free(out);

            /*
             * The first block's raw LZMA2 data on its own, through one decoder workspace reused
             * for every stream; without a BCJ filter in one block it is the data itself.
             */
            if (info.nr_blocks >= 1) {
                struct xz_layout l = layout(&s);
                uint8_t *o = malloc(l.usize + 1), *in = dup_exact(s.p + l.data, l.csize);
                uint32_t dict = lzma2_dict_size(s.p[l.dict_prop]);
                CHECK_EQ(lzma2_decode(dc, in, l.csize, o, l.usize, dict, l.data, &err), 0);
                if (info.nr_blocks == 1 && !strstr(variants[v], "x86"))
                    CHECK(memcmp(o, data.p, data.n) == 0);
                free(o);
                free(in);
            }
            if (harness_failures != before)
                fprintf(stderr, "  ... data set %s, xz %s: %s\n", ds_name[ds], variants[v],
                        err.msg);
            free(s.p);
        }
        free(data.p);
    }
    free(dc);
}

/* The BCJ decoder is the inverse of xz's encoder over real x86 code, at several start offsets. */
static void bcj_x86(void)
{
    struct blob code = dataset(DS_X86);
    static const uint32_t starts[] = {0, 1, 4096, 0x7FFFFFFF, 0xFFFFFFF0u};
    uint8_t small[4] = {0xE8, 1, 2, 3};

    for (unsigned int i = 0; i < ARRAY_SIZE(starts); i++) {
        char opts[96];
        snprintf(opts, sizeof(opts), "--format=raw --x86=start=%u --lzma2=preset=0", starts[i]);
        struct blob f = xz(opts, &code);
        /* Encoded with x86 + LZMA2; decode the LZMA2 part raw with xz, then BCJ with ours. */
        struct blob lz = run_tool("xz -dc --format=raw --lzma2=preset=0", &f);
        CHECK_EQ(lz.n, code.n);
        if (lz.n == code.n) {
            CHECK(memcmp(lz.p, code.p, code.n) != 0); /* the filter did change something */
            bcj_x86_decode(lz.p, lz.n, starts[i]);
            CHECK(memcmp(lz.p, code.p, code.n) == 0);
        }
        free(f.p);
        free(lz.p);
    }
    bcj_x86_decode(small, sizeof(small), 0); /* shorter than one instruction: untouched */
    CHECK(small[0] == 0xE8 && small[1] == 1 && small[3] == 3);
    bcj_x86_decode(NULL, 0, 0);
    free(code.p);
}

/* A small stream as Debian builds its kernel: every cut of it must fail, cleanly. */
static struct blob small_stream(size_t n, struct blob *data)
{
    struct blob code = dataset(DS_X86), text = dataset(DS_TEXT);
    data->n = n;
    data->p = malloc(n);
    for (size_t i = 0; i < n; i++)
        data->p[i] = (i / 512) % 2 ? code.p[4096 + i] : text.p[i];
    free(code.p);
    free(text.p);
    return xz("--check=crc32 --x86 --lzma2=dict=1MiB", data);
}

static void truncations(void)
{
    struct blob data, s = small_stream(6000, &data);
    struct lzma2_dec *d = malloc(sizeof(*d));
    struct xz_layout l = layout(&s);
    struct build_err err;
    unsigned int bad = 0;

    for (size_t n = 0; n < s.n; n++) {
        uint8_t *in = dup_exact(s.p, n), *out = malloc(data.n);
        int rc = xz_decode(in, n, out, data.n, &err);
        bad += rc >= 0 || !err.msg[0];
        free(in);
        free(out);
    }
    CHECK_EQ(bad, 0);
    /* Raw LZMA2 cut anywhere (no container, so no check to fall back on). */
    for (size_t n = 0; n < l.csize; n++) {
        uint8_t *in = dup_exact(s.p + l.data, n), *out = malloc(l.usize);
        bad += lzma2_decode(d, in, n, out, l.usize, 1 << 20, 0, &err) >= 0;
        free(in);
        free(out);
    }
    CHECK_EQ(bad, 0);
    printf("  %zu + %zu truncations rejected\n", s.n, l.csize);
    free(d);
    free(s.p);
    free(data.p);
}

static void bit_flips(void)
{
    struct blob data, s = small_stream(3000, &data);
    struct lzma2_dec *d = malloc(sizeof(*d));
    struct xz_layout l = layout(&s);
    unsigned int rejected = 0, exact = 0, wrong = 0, raw_rejected = 0;
    uint8_t *o = malloc(l.usize);

    /* Every bit of the stream: an error, or (a don't-care bit) exactly the right output. */
    for (size_t bit = 0; bit < s.n * 8; bit++) {
        struct build_err err;
        uint8_t *out;
        s.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        if (decode(&s, data.n, &out, &err) < 0)
            rejected++;
        else if (memcmp(out, data.p, data.n) == 0)
            exact++;
        else
            wrong++;
        free(out);

        /* The LZMA2 layer alone, without the CRC32 behind it: it must stay in bounds. */
        if (bit / 8 >= l.data && bit / 8 < l.data + l.csize) {
            uint8_t *in = dup_exact(s.p + l.data, l.csize);
            raw_rejected += lzma2_decode(d, in, l.csize, o, l.usize, 1 << 20, 0, &err) < 0;
            free(in);
        }
        s.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    printf("  %zu bit flips: %u rejected, %u harmless, %u wrong output (LZMA2 layer alone: %u of "
           "%zu rejected)\n",
           s.n * 8, rejected, exact, wrong, raw_rejected, l.csize * 8);
    CHECK_EQ(wrong, 0);
    CHECK(rejected > s.n * 8 * 9 / 10);

    /* Random multi-byte damage as well. */
    for (int round = 0; round < 3000; round++) {
        struct blob t = {dup_exact(s.p, s.n), s.n};
        struct build_err err;
        uint8_t *out;
        for (int k = 1 + (int)(rnd() % 4); k > 0; k--)
            t.p[rnd() % t.n] = (uint8_t)rnd();
        if (decode(&t, data.n, &out, &err) == 0)
            CHECK(memcmp(out, data.p, data.n) == 0);
        free(out);
        free(t.p);
    }
    free(o);
    free(d);
    free(s.p);
    free(data.p);
}

/* Expect decoding s (uncompressed size n) to fail with code and a message containing what. */
static void expect_fail(const struct blob *s, size_t n, int code, const char *what)
{
    struct build_err err;
    uint8_t *out;
    int rc = decode(s, n, &out, &err);

    CHECK_EQ(rc, code);
    CHECK(msg_has(&err, what));
    free(out);
}

static void hostile_headers(void)
{
    struct blob data = dataset(DS_TEXT), s = xz("--check=crc32 --x86 --lzma2=dict=1MiB", &data);
    struct xz_layout l = layout(&s);
    struct blob t;
    struct build_err err;
    uint8_t *out;

#define EDIT(stmt)                                                                                 \
    do {                                                                                           \
        t.n = s.n;                                                                                 \
        t.p = dup_exact(s.p, s.n);                                                                 \
        stmt;                                                                                      \
    } while (0)

    EDIT(t.p[1] ^= 1);
    expect_fail(&t, data.n, -XEN_EINVAL, "not an XZ stream");
    free(t.p);
    EDIT(t.p[8] ^= 1);
    expect_fail(&t, data.n, -XEN_EINVAL, "header (CRC32");
    free(t.p);
    EDIT((t.p[6] = 1, put_le32(t.p + 8, crc32_update(0, t.p + 6, 2))));
    expect_fail(&t, data.n, -XEN_EOPNOTSUPP, "stream flags");
    free(t.p);
    /* A reserved check type, header and footer patched consistently. */
    EDIT((t.p[7] = 2, put_le32(t.p + 8, crc32_update(0, t.p + 6, 2)), t.p[t.n - 3] = 2,
          put_le32(t.p + t.n - 12, crc32_update(0, t.p + t.n - 8, 6))));
    expect_fail(&t, data.n, -XEN_EOPNOTSUPP, "check type 2");
    free(t.p);
    EDIT(t.p[t.n - 1] = 'X');
    expect_fail(&t, data.n, -XEN_EINVAL, "footer");
    free(t.p);
    EDIT(t.p[t.n - 4] ^= 1);
    expect_fail(&t, data.n, -XEN_EINVAL, "footer (CRC32");
    free(t.p);
    /* Backward size pointing before the stream. */
    EDIT((put_le32(t.p + t.n - 8, 0x7FFFFFF0),
          put_le32(t.p + t.n - 12, crc32_update(0, t.p + t.n - 8, 6))));
    expect_fail(&t, data.n, -XEN_EINVAL, "index size");
    free(t.p);
    /* The index claims another uncompressed size: the output buffer no longer matches. */
    EDIT((t.p[l.index + 3] ^= 1, fix_index_crc(&t, &l)));
    CHECK(decode(&t, data.n, &out, &err) < 0);
    free(out);
    free(t.p);
    EDIT(t.p[l.index + 3] ^= 1);
    expect_fail(&t, data.n, -XEN_EINVAL, "index (CRC32");
    free(t.p);
    /* Block header: reserved flags, bad CRC, an oversized dictionary property. */
    EDIT((t.p[l.block + 1] |= 0x10, fix_block_crc(&t, &l)));
    expect_fail(&t, data.n, -XEN_EOPNOTSUPP, "header flags");
    free(t.p);
    EDIT(t.p[l.block + 2] ^= 1);
    expect_fail(&t, data.n, -XEN_EINVAL, "CRC32 mismatch");
    free(t.p);
    EDIT((t.p[l.dict_prop] = 41, fix_block_crc(&t, &l)));
    expect_fail(&t, data.n, -XEN_EINVAL, "LZMA2 properties");
    free(t.p);
    /* The largest dictionary (4 GiB - 1) is only a limit: nothing is allocated for it. */
    EDIT((t.p[l.dict_prop] = 40, fix_block_crc(&t, &l)));
    CHECK_EQ(decode(&t, data.n, &out, &err), 0);
    CHECK(memcmp(out, data.p, data.n) == 0);
    free(out);
    free(t.p);
    /* The uncompressed data's CRC32. */
    EDIT(t.p[l.data + l.csize + (4 - (l.hsize + l.csize) % 4) % 4] ^= 0x80);
    expect_fail(&t, data.n, -XEN_EINVAL, "CRC32 of block 1");
    free(t.p);

    /* Wrong output sizes. */
    expect_fail(&s, data.n - 1, -XEN_ENOSPC, "holds");
    expect_fail(&s, data.n + 1, -XEN_EINVAL, "holds");

    /* Stream padding: whole zero words are fine, anything else is not. */
    t.n = s.n + 8;
    t.p = calloc(1, t.n);
    memcpy(t.p, s.p, s.n);
    CHECK_EQ(decode(&t, data.n, &out, &err), 0);
    free(out);
    t.n = s.n + 3;
    expect_fail(&t, data.n, -XEN_EINVAL, "footer");
    t.n = s.n + 4;
    t.p[s.n + 1] = 1;
    expect_fail(&t, data.n, -XEN_EINVAL, "footer");
    free(t.p);
#undef EDIT
    free(s.p);
    free(data.p);
}

static void unsupported(void)
{
    struct blob data = dataset(DS_TEXT);
    static const struct {
        const char *opts, *msg;
        int code;
    } cases[] = {
        {"--check=sha256", "check type 10 (SHA-256)", -XEN_EOPNOTSUPP},
        {"--arm --lzma2", "ARM BCJ", -XEN_EOPNOTSUPP},
        {"--arm64 --lzma2", "ARM64 BCJ", -XEN_EOPNOTSUPP},
        {"--powerpc --lzma2", "PowerPC BCJ", -XEN_EOPNOTSUPP},
        {"--sparc --lzma2", "SPARC BCJ", -XEN_EOPNOTSUPP},
        {"--ia64 --lzma2", "IA-64 BCJ", -XEN_EOPNOTSUPP},
        {"--delta=dist=4 --lzma2", "Delta", -XEN_EOPNOTSUPP},
        {"--format=lzma", "not an XZ stream", -XEN_EINVAL},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct blob s = xz(cases[i].opts, &data);
        struct xz_info info;
        struct build_err err;
        if (!s.n)
            continue;
        if (!strstr(cases[i].opts, "sha256") && !strstr(cases[i].opts, "lzma"))
            CHECK_EQ(xz_probe(s.p, s.n, &info, &err), 0); /* filters show up only in blocks */
        expect_fail(&s, data.n, cases[i].code, cases[i].msg);
        free(s.p);
    }
    free(data.p);
}

/* Hand-made raw LZMA2 streams: the chunk layer's rules. */
static void lzma2_chunks(void)
{
    struct lzma2_dec *d = malloc(sizeof(*d));
    struct build_err err;
    uint8_t out[64];
    static const struct {
        const char *name;
        uint8_t in[16];
        size_t len, out_len;
        const char *msg;
    } cases[] = {
        {"empty", {0}, 0, 0, "without its end marker"},
        {"only an end marker", {0x00}, 1, 0, NULL},
        {"end marker, expecting data", {0x00}, 1, 4, "gives 0 bytes"},
        {"uncompressed with reset", {0x01, 0x00, 0x02, 'a', 'b', 'c', 0x00}, 7, 3, NULL},
        {"no reset first", {0x02, 0x00, 0x00, 'a', 0x00}, 5, 1, "does not reset"},
        {"LZMA without props first", {0x80, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0}, 11, 1, "does not reset"},
        {"invalid control", {0x01, 0, 0, 'a', 0x03, 0, 0}, 7, 2, "invalid control"},
        {"state reset without props", {0x01, 0, 0, 'a', 0xA0, 0, 0, 0, 5}, 9, 2, "properties"},
        {"bad props lc+lp", {0xE0, 0, 0, 0, 5, 45 + 9 * 4 + 1}, 6, 1, "lc/lp/pb"},
        {"bad props > 224", {0xE0, 0, 0, 0, 5, 225}, 6, 1, "lc/lp/pb"},
        {"csize < 5", {0xE0, 0, 0, 0, 3, 0x5D, 0, 0, 0, 0}, 10, 1, "too small"},
        {"rc first byte", {0xE0, 0, 0, 0, 4, 0x5D, 1, 0, 0, 0, 0, 0}, 12, 1, "zero byte"},
        {"too much output", {0x01, 0x00, 0x04, 'a', 'b', 'c', 'd', 'e', 0}, 9, 3, "more output"},
        {"data after end", {0x01, 0x00, 0x00, 'a', 0x00, 0x00}, 6, 1, "end marker before"},
        {"truncated header", {0x01, 0x00}, 2, 1, "truncated chunk header"},
        {"truncated data", {0x01, 0x00, 0x05, 'a'}, 4, 6, "truncated uncompressed"},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        uint8_t *in = dup_exact(cases[i].in, cases[i].len);
        int rc = lzma2_decode(d, in, cases[i].len, out, cases[i].out_len, 1 << 20, 100, &err);
        if (cases[i].msg) {
            CHECK(rc < 0);
            CHECK(msg_has(&err, cases[i].msg));
        } else {
            CHECK_EQ(rc, 0);
        }
        if ((rc < 0) != (cases[i].msg != NULL))
            fprintf(stderr, "  case \"%s\": rc %d, \"%s\"\n", cases[i].name, rc, err.msg);
        free(in);
    }

    /* Matches may not reach further back than the dictionary size the header gave. */
    struct blob data = dataset(DS_TEXT), s = xz("--check=none --lzma2=dict=1MiB", &data);
    struct xz_layout l = layout(&s);
    uint8_t *o = malloc(data.n);
    CHECK(lzma2_decode(d, s.p + l.data, l.csize, o, data.n, 4096, 0, &err) < 0);
    CHECK(msg_has(&err, "outside the dictionary"));
    CHECK_EQ(lzma2_decode(d, s.p + l.data, l.csize, o, data.n, 1 << 20, 0, &err), 0);
    CHECK(lzma2_dict_size(0) == 4096 && lzma2_dict_size(1) == 6144);
    CHECK(lzma2_dict_size(40) == 0xFFFFFFFFu && lzma2_dict_size(41) == 0);
    free(o);
    free(s.p);
    free(data.p);
    free(d);
}

static void cleanup(void)
{
    char cmd[128];
    if (tmpdir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        CHECK_EQ(system(cmd), 0);
    }
}

TEST_MAIN("xz", TEST(crc_vectors), TEST(roundtrip), TEST(bcj_x86), TEST(truncations),
          TEST(bit_flips), TEST(hostile_headers), TEST(unsupported), TEST(lzma2_chunks),
          TEST(cleanup))
