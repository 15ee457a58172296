/* gzip and DEFLATE: Debian's gzip as the oracle, hand-made blocks, truncations, bit flips. */
// clang-format off
// SOURCES: hv/common/decompress/inflate.c hv/common/decompress/crc32.c hv/common/libelf.c
// clang-format on
#include "harness.h"
#include "test_blob.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <hv/lib.h>
#include <hv/decompress.h>
#include <public/errno.h>

static uint64_t rng = 0x243F6A8885A308D3ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* gzip_decode on an exact copy of s into exactly out_len bytes. */
static int decode(const struct blob *s, size_t out_len, uint8_t **out, struct build_err *err)
{
    uint8_t *in = dup_exact(s->p, s->n);
    int rc;

    *out = malloc(out_len ? out_len : 1);
    memset(err, 0, sizeof(*err));
    rc = gzip_decode(in, s->n, *out, out_len, err);
    free(in);
    return rc;
}

static void expect_fail(const struct blob *s, size_t n, const char *what)
{
    struct build_err err;
    uint8_t *out;

    CHECK(decode(s, n, &out, &err) < 0);
    CHECK(msg_has(&err, what));
    free(out);
}

static struct blob dataset(int which)
{
    struct blob b = {0};

    switch (which) {
    case 0: /* incompressible: stored blocks */
        b.n = 200 << 10;
        b.p = malloc(b.n);
        for (size_t i = 0; i < b.n; i++)
            b.p[i] = (uint8_t)rnd();
        break;
    case 1: /* text-like: dynamic blocks with long codes */
        b.n = 300 << 10;
        b.p = malloc(b.n);
        for (size_t i = 0; i < b.n; i++)
            b.p[i] = (uint8_t)("etaoin shrdlu\n"[rnd() % 14] + (rnd() % 64 == 0 ? rnd() % 100 : 0));
        break;
    case 2: /* runs and short periods: overlapping matches */
        b.n = 256 << 10;
        b.p = malloc(b.n);
        for (size_t i = 0; i < b.n;) {
            size_t len = 1 + rnd() % 700, period = 1 + rnd() % 9;
            uint8_t pat[9];
            for (size_t k = 0; k < period; k++)
                pat[k] = (uint8_t)rnd();
            for (size_t k = 0; k < len && i < b.n; k++, i++)
                b.p[i] = pat[k % period];
        }
        break;
    case 3: /* machine code */
        b = read_file("/proc/self/exe", 512 << 10);
        break;
    case 4:
        b.n = 1;
        b.p = malloc(1);
        b.p[0] = 'x';
        break;
    default:
        b.p = malloc(1);
        break;
    }
    return b;
}

static void roundtrip(void)
{
    static const char *const levels[] = {"gzip -c -n -1", "gzip -c -n -6", "gzip -c -n -9"};

    for (int ds = 0; ds < 6; ds++) {
        struct blob data = dataset(ds);
        for (unsigned int l = 0; l < ARRAY_SIZE(levels); l++) {
            struct blob s = run_tool(levels[l], &data);
            struct build_err err;
            uint32_t isize;
            uint8_t *out;
            if (!s.n)
                continue;
            CHECK_EQ(gzip_probe(s.p, s.n, &isize, &err), 0);
            CHECK_EQ(isize, data.n);
            CHECK_EQ(decode(&s, data.n, &out, &err), 0);
            if (err.code)
                fprintf(stderr, "  data set %d, %s: %s\n", ds, levels[l], err.msg);
            CHECK(data.n == 0 || memcmp(out, data.p, data.n) == 0);
            free(out);
            free(s.p);
        }
        free(data.p);
    }
}

/* Optional header fields (FEXTRA, FNAME, FCOMMENT, FHCRC) spliced into a gzip -n member. */
static void header_fields(void)
{
    struct blob data = dataset(1), s = run_tool("gzip -c -n -6", &data);
    uint8_t hdr[64];
    size_t h = 10;
    struct blob t;
    struct build_err err;
    uint8_t *out;
    uint32_t c;

    memcpy(hdr, s.p, 10);
    hdr[3] = 0x04 | 0x08 | 0x10 | 0x02;
    hdr[h++] = 3;
    hdr[h++] = 0;
    memcpy(hdr + h, "XYZ", 3);
    h += 3;
    memcpy(hdr + h, "vmlinux", 8);
    h += 8;
    memcpy(hdr + h, "a comment", 10);
    h += 10;
    c = crc32_update(0, hdr, h);
    hdr[h++] = (uint8_t)c;
    hdr[h++] = (uint8_t)(c >> 8);
    t.n = s.n - 10 + h;
    t.p = malloc(t.n);
    memcpy(t.p, hdr, h);
    memcpy(t.p + h, s.p + 10, s.n - 10);
    CHECK_EQ(decode(&t, data.n, &out, &err), 0);
    CHECK(memcmp(out, data.p, data.n) == 0);
    free(out);
    t.p[h - 1] ^= 1; /* header CRC16 */
    expect_fail(&t, data.n, "CRC16");
    t.p[h - 1] ^= 1;
    t.p[3] |= 0x20; /* reserved flag */
    expect_fail(&t, data.n, "flags");
    t.p[3] &= ~0x20;
    t.p[2] = 7; /* not deflate */
    expect_fail(&t, data.n, "method");
    t.p[2] = 8;
    /* Unterminated name: the header runs off the end. */
    t.n = 10 + 2 + 3 + 4;
    expect_fail(&t, data.n, "truncated");
    free(t.p);

    /* Trailer and size mismatches. */
    t.n = s.n;
    t.p = dup_exact(s.p, s.n);
    t.p[t.n - 8] ^= 1;
    expect_fail(&t, data.n, "CRC32");
    t.p[t.n - 8] ^= 1;
    t.p[t.n - 1] ^= 1;
    expect_fail(&t, data.n, "ISIZE");
    t.p[t.n - 1] ^= 1;
    expect_fail(&t, data.n - 1, "more output");
    expect_fail(&t, data.n + 1, "gives");
    free(t.p);
    /* Two members, or garbage after one: only a single member is accepted. */
    t.n = 2 * s.n;
    t.p = malloc(t.n);
    memcpy(t.p, s.p, s.n);
    memcpy(t.p + s.n, s.p, s.n);
    CHECK(decode(&t, 2 * data.n, &out, &err) < 0);
    free(out);
    free(t.p);
    free(s.p);
    free(data.p);
}

/* ---- hand-made DEFLATE streams ---- */

struct bw {
    uint8_t b[512];
    size_t bits;
};

static void put(struct bw *w, uint32_t v, int n)
{
    for (int i = 0; i < n; i++, w->bits++)
        w->b[w->bits / 8] |= (uint8_t)(((v >> i) & 1) << (w->bits % 8));
}

/* A Huffman code goes out most significant bit first. */
static void put_code(struct bw *w, uint32_t code, int len)
{
    for (int i = len - 1; i >= 0; i--)
        put(w, (code >> i) & 1, 1);
}

static void put_fixed_lit(struct bw *w, unsigned int s)
{
    if (s < 144)
        put_code(w, 0x30 + s, 8);
    else if (s < 256)
        put_code(w, 0x190 + s - 144, 9);
    else if (s < 280)
        put_code(w, s - 256, 7);
    else
        put_code(w, 0xC0 + s - 280, 8);
}

/* Dynamic header whose code-length code has symbols 0 and 1, both one bit long. */
static void put_dyn_header(struct bw *w, unsigned int hlit, unsigned int hdist)
{
    static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    put(w, hlit - 257, 5);
    put(w, hdist - 1, 5);
    put(w, 18 - 4, 4);
    for (int i = 0; i < 18; i++)
        put(w, order[i] == 0 || order[i] == 1 ? 1 : 0, 3);
}

static void raw_cases(void)
{
    struct build_err err;
    uint8_t out[64];
    size_t used, done;
    struct bw w;
    int rc;

#define START() memset(&w, 0, sizeof(w))
#define RUN(out_len)                                                                               \
    ({                                                                                             \
        uint8_t *in_ = dup_exact(w.b, (w.bits + 7) / 8);                                           \
        int rc_ = inflate_raw(in_, (w.bits + 7) / 8, &used, out, (out_len), &done, &err);          \
        free(in_);                                                                                 \
        rc_;                                                                                       \
    })

    /* Fixed block: "abc" then a match of 3 at distance 3. */
    START();
    put(&w, 1, 1);
    put(&w, 1, 2);
    put_fixed_lit(&w, 'a');
    put_fixed_lit(&w, 'b');
    put_fixed_lit(&w, 'c');
    put_fixed_lit(&w, 257);
    put_code(&w, 2, 5);
    put_fixed_lit(&w, 256);
    rc = RUN(sizeof(out));
    CHECK_EQ(rc, 0);
    CHECK_EQ(done, 6);
    CHECK(memcmp(out, "abcabc", 6) == 0);
    CHECK_EQ(used, (w.bits + 7) / 8);
    CHECK(RUN(5) < 0 && msg_has(&err, "more output"));

    /* Distance 4 after three bytes. */
    START();
    put(&w, 1, 1);
    put(&w, 1, 2);
    put_fixed_lit(&w, 'a');
    put_fixed_lit(&w, 'b');
    put_fixed_lit(&w, 'c');
    put_fixed_lit(&w, 257);
    put_code(&w, 3, 5);
    put_fixed_lit(&w, 256);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "before the start"));

    /* Length symbol 286 and distance code 30 exist in the fixed code but are invalid. */
    START();
    put(&w, 1, 1);
    put(&w, 1, 2);
    put_fixed_lit(&w, 'a');
    put_fixed_lit(&w, 286);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "length symbol"));
    START();
    put(&w, 1, 1);
    put(&w, 1, 2);
    put_fixed_lit(&w, 'a');
    put_fixed_lit(&w, 257);
    put_code(&w, 30, 5);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "distance code"));

    /* Block type 3. */
    START();
    put(&w, 1, 1);
    put(&w, 3, 2);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "block type"));

    /* Stored: LEN/NLEN, then a second, final fixed block. */
    START();
    put(&w, 0, 1);
    put(&w, 0, 2);
    w.bits = 8;
    put(&w, 3, 16);
    put(&w, 0xFFFF ^ 3, 16);
    put(&w, 'x', 8);
    put(&w, 'y', 8);
    put(&w, 'z', 8);
    put(&w, 1, 1);
    put(&w, 1, 2);
    put_fixed_lit(&w, '!');
    put_fixed_lit(&w, 256);
    CHECK_EQ(RUN(sizeof(out)), 0);
    CHECK(done == 4 && memcmp(out, "xyz!", 4) == 0);
    w.b[3] ^= 1;
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "stored block length"));

    /* Dynamic: too many length codes. */
    START();
    put(&w, 1, 1);
    put(&w, 2, 2);
    put(&w, 30, 5);
    put(&w, 0, 5);
    put(&w, 0, 4);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "too many"));

    /* Dynamic, only literal 'a' and end-of-block, no distance code at all: valid. */
    START();
    put(&w, 1, 1);
    put(&w, 2, 2);
    put_dyn_header(&w, 257, 1);
    for (unsigned int s = 0; s < 257; s++) /* clen symbol 0 has code 0, symbol 1 code 1 */
        put_code(&w, s == 'a' || s == 256, 1);
    put_code(&w, 0, 1);
    put_code(&w, 0, 1); /* 'a' */
    put_code(&w, 1, 1); /* end of block */
    CHECK_EQ(RUN(sizeof(out)), 0);
    CHECK(done == 1 && out[0] == 'a');

    /* ... without the end-of-block code. */
    START();
    put(&w, 1, 1);
    put(&w, 2, 2);
    put_dyn_header(&w, 257, 1);
    for (unsigned int s = 0; s < 258; s++)
        put_code(&w, s == 'a' || s == 'b', 1);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "end-of-block"));

    /* ... with end-of-block alone: a single 1-bit code is the one incomplete code allowed. */
    START();
    put(&w, 1, 1);
    put(&w, 2, 2);
    put_dyn_header(&w, 257, 1);
    for (unsigned int s = 0; s < 258; s++)
        put_code(&w, s == 256, 1);
    put_code(&w, 0, 1);
    CHECK_EQ(RUN(sizeof(out)), 0);
    CHECK_EQ(done, 0);

    /* ... with 'a' of length 1 and end-of-block of length 2: incomplete, refused. */
    START();
    put(&w, 1, 1);
    put(&w, 2, 2);
    put(&w, 0, 5);
    put(&w, 0, 5);
    put(&w, 18 - 4, 4);
    for (int i = 0; i < 18; i++) /* code-length code: symbol 0 one bit, symbols 1 and 2 two */
        put(&w, i == 3 ? 1 : (i == 15 || i == 17) ? 2 : 0, 3);
    for (unsigned int s = 0; s < 258; s++) /* codes: 0 -> 0, 1 -> 10, 2 -> 11 */
        s == 'a' ? put_code(&w, 2, 2) : s == 256 ? put_code(&w, 3, 2) : put_code(&w, 0, 1);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "literal/length code"));

    /* Code-length code: a repeat (16) before any length, and an over-subscribed code. */
    START();
    put(&w, 1, 1);
    put(&w, 2, 2);
    put(&w, 0, 5);
    put(&w, 0, 5);
    put(&w, 0, 4);
    put(&w, 1, 3); /* symbol 16: length 1 */
    put(&w, 0, 3);
    put(&w, 0, 3);
    put(&w, 1, 3); /* symbol 0: length 1 */
    put_code(&w, 1, 1);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "no previous"));
    START();
    put(&w, 1, 1);
    put(&w, 2, 2);
    put(&w, 0, 5);
    put(&w, 0, 5);
    put(&w, 0, 4);
    put(&w, 1, 3);
    put(&w, 1, 3);
    put(&w, 1, 3);
    put(&w, 0, 3);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "code length code"));

    /* No final block: the input ends. */
    START();
    put(&w, 0, 1);
    put(&w, 1, 2);
    put_fixed_lit(&w, 256);
    CHECK(RUN(sizeof(out)) < 0 && msg_has(&err, "truncated"));
#undef START
#undef RUN
}

static void truncations_and_flips(void)
{
    struct blob data = dataset(1), s;
    unsigned int bad = 0, rejected = 0, exact = 0, wrong = 0;

    data.n = 2500;
    s = run_tool("gzip -c -n -9", &data);
    for (size_t n = 0; n < s.n; n++) {
        struct blob t = {s.p, n};
        struct build_err err;
        uint8_t *out;
        bad += decode(&t, data.n, &out, &err) >= 0 || !err.msg[0];
        free(out);
    }
    CHECK_EQ(bad, 0);
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
        s.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    printf("  %zu truncations rejected; %zu bit flips: %u rejected, %u harmless, %u wrong\n", s.n,
           s.n * 8, rejected, exact, wrong);
    CHECK_EQ(wrong, 0);
    /* Don't-care bits: MTIME, XFL, OS, FTEXT and the padding after the last block. */
    CHECK(exact <= 8 * 8);
    for (int round = 0; round < 3000; round++) {
        struct blob t = {dup_exact(s.p, s.n), s.n};
        struct build_err err;
        uint8_t *out;
        for (int k = 1 + (int)(rnd() % 4); k > 0; k--)
            t.p[10 + rnd() % (t.n - 18)] = (uint8_t)rnd();
        if (decode(&t, data.n, &out, &err) == 0)
            CHECK(memcmp(out, data.p, data.n) == 0);
        free(out);
        free(t.p);
    }
    free(s.p);
    free(data.p);
}

static void cleanup(void)
{
    char cmd[128];
    if (tmpdir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        CHECK_EQ(system(cmd), 0);
    }
}

TEST_MAIN("inflate", TEST(roundtrip), TEST(header_fields), TEST(raw_cases),
          TEST(truncations_and_flips), TEST(cleanup))
