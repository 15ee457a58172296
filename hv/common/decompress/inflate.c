/* gzip members (RFC 1952) and a DEFLATE decoder (RFC 1951): stored, fixed and dynamic blocks. */
#include <hv/lib.h>
#include <hv/decompress.h>
#include <public/errno.h>

#define MAX_CODE_BITS 15
#define FAST_BITS     10 /* codes up to this long decode with one table lookup */
#define NR_LITLEN     288
#define NR_DIST       32
#define NR_CLEN       19

#define GZ_FHCRC    0x02
#define GZ_FEXTRA   0x04
#define GZ_FNAME    0x08
#define GZ_FCOMMENT 0x10
#define GZ_RESERVED 0xE0

/*
 * A canonical Huffman code. fast[] is indexed by the next FAST_BITS input bits (DEFLATE sends a
 * code's first bit first, so the index holds the code bit-reversed) and holds
 * (symbol << 4) | length, or 0 for a longer code or an unused one; those take the slow path,
 * which walks the code lengths with count[] and sorted[].
 */
struct huff {
    uint16_t fast[1 << FAST_BITS];
    uint16_t count[MAX_CODE_BITS + 1];
    uint16_t sorted[NR_LITLEN];
};

/* Static workspace (about 7 KiB; the hypervisor stacks are small); one decode at a time. */
static struct {
    struct huff lit, dist, clen;
    uint8_t lens[NR_LITLEN + NR_DIST];
} ws;
static bool inflate_busy;

/* Base values and extra bits of the length symbols 257..285 and the distance symbols 0..29. */
static const uint16_t len_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                      15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* Order in which a dynamic block sends the code-length code's lengths. */
static const uint8_t clen_order[NR_CLEN] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                            11, 4,  12, 3, 13, 2, 14, 1, 15};

/*
 * LSB-first bit reader. Past the end of the input it supplies zero bytes, and counts them in
 * pos: consumed() then exceeds len, which the decoder reports as truncation.
 */
struct bitin {
    const uint8_t *in;
    size_t len, pos;
    uint64_t buf;
    unsigned int cnt;
};

/* Top the bit buffer up to at least 56 bits. */
static inline void refill(struct bitin *b)
{
    if (likely(b->len >= 8 && b->pos <= b->len - 8)) {
        /* Whole word: bits past the new count repeat the next bytes, so later ORs agree. */
        uint64_t w;
        __builtin_memcpy(&w, b->in + b->pos, 8);
        b->buf |= w << b->cnt;
        b->pos += (63 - b->cnt) >> 3;
        b->cnt |= 56;
        return;
    }
    while (b->cnt <= 56) {
        uint64_t byte = b->pos < b->len ? b->in[b->pos] : 0;
        b->pos++;
        b->buf |= byte << b->cnt;
        b->cnt += 8;
    }
}

/* Take n <= 32 bits (the buffer must hold them). */
static inline uint32_t take(struct bitin *b, unsigned int n)
{
    uint32_t v = (uint32_t)(b->buf & ((1ull << n) - 1));
    b->buf >>= n;
    b->cnt -= n;
    return v;
}

/* Input bytes touched so far (a partly used byte counts). */
static inline uint64_t consumed(const struct bitin *b)
{
    return ((uint64_t)b->pos * 8 - b->cnt + 7) / 8;
}

/*
 * Build a code from n code lengths (each <= 15). Returns 0, or -1 if the lengths over-subscribe
 * the code, or leave it incomplete other than in the one case DEFLATE streams use: a single code
 * of length 1 (or, when allow_empty, no code at all).
 */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned int n, bool allow_empty)
{
    uint16_t offs[MAX_CODE_BITS + 2], next[MAX_CODE_BITS + 1];
    int left = 1;
    unsigned int codes = 0;

    memset(h->count, 0, sizeof(h->count));
    for (unsigned int s = 0; s < n; s++)
        h->count[lens[s]]++;
    h->count[0] = 0;
    for (unsigned int l = 1; l <= MAX_CODE_BITS; l++) {
        left = left * 2 - h->count[l];
        codes += h->count[l];
        if (left < 0)
            return -1;
    }
    if (left > 0 && !(codes == 1 && h->count[1] == 1) && !(codes == 0 && allow_empty))
        return -1;

    offs[1] = 0;
    for (unsigned int l = 1; l <= MAX_CODE_BITS; l++)
        offs[l + 1] = offs[l] + h->count[l];
    next[0] = 0;
    for (unsigned int l = 1, code = 0; l <= MAX_CODE_BITS; l++) {
        code = (code + h->count[l - 1]) << 1;
        next[l] = (uint16_t)code;
    }
    memset(h->fast, 0, sizeof(h->fast));
    for (unsigned int s = 0; s < n; s++) {
        unsigned int l = lens[s], code, rev = 0;
        if (!l)
            continue;
        h->sorted[offs[l]++] = (uint16_t)s;
        code = next[l]++;
        if (l > FAST_BITS)
            continue;
        for (unsigned int k = 0; k < l; k++)
            rev |= ((code >> k) & 1) << (l - 1 - k);
        for (unsigned int j = rev; j < (1u << FAST_BITS); j += 1u << l)
            h->fast[j] = (uint16_t)((s << 4) | l);
    }
    return 0;
}

/* Decode one symbol (the buffer must hold 15 bits); -1 for a code that is not in the table. */
static inline int decode_sym(struct bitin *b, const struct huff *h)
{
    uint32_t e = h->fast[b->buf & ((1u << FAST_BITS) - 1)];
    uint32_t code = 0, first = 0, index = 0;
    uint64_t bits = b->buf;

    if (likely(e)) {
        take(b, e & 15);
        return (int)(e >> 4);
    }
    /* Canonical walk: codes of each length are consecutive, starting at first. */
    for (unsigned int l = 1; l <= MAX_CODE_BITS; l++) {
        uint32_t n = h->count[l];
        code |= bits & 1;
        bits >>= 1;
        if (code - first < n) {
            take(b, l);
            return h->sorted[index + code - first];
        }
        index += n;
        first = (first + n) << 1;
        code <<= 1;
    }
    return -1;
}

static int build_fixed(void)
{
    unsigned int s = 0;

    for (; s < 144; s++)
        ws.lens[s] = 8;
    for (; s < 256; s++)
        ws.lens[s] = 9;
    for (; s < 280; s++)
        ws.lens[s] = 7;
    for (; s < NR_LITLEN; s++)
        ws.lens[s] = 8;
    for (s = 0; s < NR_DIST; s++)
        ws.lens[NR_LITLEN + s] = 5;
    if (huff_build(&ws.lit, ws.lens, NR_LITLEN, false) ||
        huff_build(&ws.dist, ws.lens + NR_LITLEN, NR_DIST, false))
        return -1;
    return 0;
}

/* Read a dynamic block's code definitions; NULL or what is wrong. */
static const char *build_dynamic(struct bitin *b)
{
    unsigned int hlit, hdist, hclen, n = 0;

    refill(b);
    hlit = take(b, 5) + 257;
    hdist = take(b, 5) + 1;
    hclen = take(b, 4) + 4;
    if (hlit > 286 || hdist > 30)
        return "too many length or distance codes";
    memset(ws.lens, 0, sizeof(ws.lens));
    for (unsigned int i = 0; i < hclen; i++) {
        refill(b);
        ws.lens[clen_order[i]] = (uint8_t)take(b, 3);
    }
    if (huff_build(&ws.clen, ws.lens, NR_CLEN, false))
        return "bad code length code";
    memset(ws.lens, 0, sizeof(ws.lens));
    while (n < hlit + hdist) {
        int sym;
        unsigned int rep, val = 0;
        refill(b);
        sym = decode_sym(b, &ws.clen);
        if (sym < 0)
            return "bad code length code";
        if (sym < 16) {
            ws.lens[n++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16) {
            if (n == 0)
                return "repeat with no previous length";
            val = ws.lens[n - 1];
            rep = 3 + take(b, 2);
        } else if (sym == 17) {
            rep = 3 + take(b, 3);
        } else {
            rep = 11 + take(b, 7);
        }
        if (rep > hlit + hdist - n)
            return "code lengths repeat past the end";
        while (rep--)
            ws.lens[n++] = (uint8_t)val;
    }
    if (ws.lens[256] == 0)
        return "no end-of-block code";
    /* Distances: lengths for codes hlit.. moved to their own table. */
    uint8_t dlens[NR_DIST] = {0};
    memcpy(dlens, ws.lens + hlit, hdist);
    if (huff_build(&ws.lit, ws.lens, hlit, false))
        return "bad literal/length code";
    if (huff_build(&ws.dist, dlens, hdist, true))
        return "bad distance code";
    return NULL;
}

/* Decode one Huffman-coded block's symbols into out; NULL or what is wrong. */
static const char *inflate_codes(struct bitin *b, uint8_t *out, size_t out_len, size_t *op_io)
{
    size_t op = *op_io;

    /* Each symbol reads at most 15 + 5 + 15 + 13 = 48 bits, so one refill covers it. */
    for (;;) {
        int sym;
        uint32_t len, dist;

        refill(b);
        if (unlikely(b->pos > b->len + 16))
            return "truncated data";
        sym = decode_sym(b, &ws.lit);
        if (sym < 256) {
            if (sym < 0)
                return "invalid literal/length code";
            if (unlikely(op >= out_len))
                return "more output than expected";
            out[op++] = (uint8_t)sym;
            continue;
        }
        if (sym == 256)
            break;
        sym -= 257;
        if (sym >= 29)
            return "invalid length symbol";
        len = len_base[sym] + take(b, len_extra[sym]);
        sym = decode_sym(b, &ws.dist);
        if (sym < 0 || sym >= 30)
            return "invalid distance code";
        dist = dist_base[sym] + take(b, dist_extra[sym]);
        if (dist > op)
            return "distance reaches before the start of the output";
        if (len > out_len - op)
            return "more output than expected";
        {
            uint8_t *dst = out + op;
            const uint8_t *src = dst - dist;
            op += len;
            if (dist >= 8 && out_len - op >= 8) {
                uint8_t *stop = dst + len;
                do {
                    uint64_t w;
                    __builtin_memcpy(&w, src, 8);
                    __builtin_memcpy(dst, &w, 8);
                    dst += 8;
                    src += 8;
                } while (dst < stop);
            } else {
                for (uint32_t k = 0; k < len; k++)
                    dst[k] = src[k];
            }
        }
    }
    *op_io = op;
    return NULL;
}

static int inflate_locked(const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out,
                          size_t out_len, size_t *out_done, struct build_err *err)
{
    struct bitin b = {.in = in, .len = in_len};
    size_t op = 0;
    bool final = false;

#define DEFLATE_ERR(why)                                                                           \
    build_err_set(err, -XEN_EINVAL, "corrupt DEFLATE data at input byte %lu (%s)",                 \
                  (unsigned long)consumed(&b), why)

    /* Every block consumes input (at least 3 bits) and zero padding past the end is caught. */
    while (!final) {
        uint32_t type;
        const char *why = NULL;

        refill(&b);
        if (consumed(&b) > in_len)
            return build_err_set(err, -XEN_EINVAL, "truncated DEFLATE data");
        final = take(&b, 1);
        type = take(&b, 2);
        if (type == 0) {
            /* Stored: skip to a byte boundary, LEN and its complement, LEN raw bytes. */
            size_t at, n;
            take(&b, b.cnt & 7); /* the rest of the current byte */
            at = b.pos - b.cnt / 8;
            if (at > in_len || in_len - at < 4)
                return build_err_set(err, -XEN_EINVAL, "truncated DEFLATE data");
            n = (size_t)in[at] | ((size_t)in[at + 1] << 8);
            if ((n ^ 0xFFFF) != ((size_t)in[at + 2] | ((size_t)in[at + 3] << 8)))
                return DEFLATE_ERR("stored block length check");
            at += 4;
            if (in_len - at < n)
                return build_err_set(err, -XEN_EINVAL, "truncated DEFLATE data");
            if (out_len - op < n)
                return DEFLATE_ERR("more output than expected");
            memcpy(out + op, in + at, n);
            op += n;
            b.pos = at + n;
            b.buf = 0;
            b.cnt = 0;
            continue;
        }
        if (type == 1) {
            if (build_fixed())
                return DEFLATE_ERR("internal: fixed code");
        } else if (type == 2) {
            why = build_dynamic(&b);
        } else {
            why = "invalid block type 3";
        }
        if (!why)
            why = inflate_codes(&b, out, out_len, &op);
        if (why)
            return consumed(&b) > in_len ? build_err_set(err, -XEN_EINVAL, "truncated DEFLATE data")
                                         : DEFLATE_ERR(why);
    }
    if (consumed(&b) > in_len)
        return build_err_set(err, -XEN_EINVAL, "truncated DEFLATE data");
#undef DEFLATE_ERR
    *in_used = (size_t)consumed(&b);
    *out_done = op;
    return 0;
}

/* Inflate a raw DEFLATE stream into out; see decompress.h. */
int inflate_raw(const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out, size_t out_len,
                size_t *out_done, struct build_err *err)
{
    int rc;

    if (__atomic_test_and_set(&inflate_busy, __ATOMIC_ACQUIRE))
        return build_err_set(err, -XEN_EBUSY, "DEFLATE decoder busy");
    rc = inflate_locked(in, in_len, in_used, out, out_len, out_done, err);
    __atomic_clear(&inflate_busy, __ATOMIC_RELEASE);
    return rc;
}

static inline uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Parse a gzip header; *hdr_len receives its length. 0 or a negative XEN_E* code. */
static int gzip_header(const uint8_t *in, size_t len, size_t *hdr_len, struct build_err *err)
{
    size_t pos = 10;
    uint8_t flags;

    if (len < 2 || in[0] != 0x1F || in[1] != 0x8B)
        return build_err_set(err, -XEN_EINVAL, "not a gzip stream (bad magic)");
    if (len < 18)
        return build_err_set(err, -XEN_EINVAL, "truncated gzip stream (%lu bytes)",
                             (unsigned long)len);
    if (in[2] != 8)
        return build_err_set(err, -XEN_EOPNOTSUPP, "unsupported gzip compression method %u", in[2]);
    flags = in[3];
    if (flags & GZ_RESERVED)
        return build_err_set(err, -XEN_EOPNOTSUPP, "unsupported gzip header flags 0x%x", flags);
    if (flags & GZ_FEXTRA) {
        size_t xlen;
        if (len - pos < 2)
            return build_err_set(err, -XEN_EINVAL, "truncated gzip header");
        xlen = (size_t)in[pos] | ((size_t)in[pos + 1] << 8);
        pos += 2;
        if (len - pos < xlen)
            return build_err_set(err, -XEN_EINVAL, "truncated gzip header");
        pos += xlen;
    }
    for (unsigned int f = GZ_FNAME; f <= GZ_FCOMMENT; f <<= 1) {
        if (!(flags & f))
            continue;
        while (pos < len && in[pos])
            pos++;
        if (pos >= len)
            return build_err_set(err, -XEN_EINVAL, "truncated gzip header");
        pos++;
    }
    if (flags & GZ_FHCRC) {
        if (len - pos < 2)
            return build_err_set(err, -XEN_EINVAL, "truncated gzip header");
        if ((crc32_update(0, in, pos) & 0xFFFF) !=
            ((uint32_t)in[pos] | ((uint32_t)in[pos + 1] << 8)))
            return build_err_set(err, -XEN_EINVAL, "corrupt gzip header (CRC16 mismatch)");
        pos += 2;
    }
    if (len - pos < 8)
        return build_err_set(err, -XEN_EINVAL, "truncated gzip stream");
    *hdr_len = pos;
    return 0;
}

/* Check a gzip header and read ISIZE from the trailer; see decompress.h. */
int gzip_probe(const void *in, size_t in_len, uint32_t *isize, struct build_err *err)
{
    size_t hdr;
    int rc = gzip_header(in, in_len, &hdr, err);

    if (rc)
        return rc;
    *isize = le32((const uint8_t *)in + in_len - 4);
    return 0;
}

/* Decompress one gzip member into exactly out_len bytes, checking CRC32 and ISIZE. */
int gzip_decode(const void *in, size_t in_len, void *out, size_t out_len, struct build_err *err)
{
    const uint8_t *p = in;
    size_t hdr, used, done;
    int rc = gzip_header(p, in_len, &hdr, err);

    if (rc)
        return rc;
    rc = inflate_raw(p + hdr, in_len - hdr - 8, &used, out, out_len, &done, err);
    if (rc)
        return rc;
    if (hdr + used + 8 != in_len)
        return build_err_set(err, -XEN_EINVAL,
                             "corrupt gzip stream (%lu bytes between its end and the trailer)",
                             (unsigned long)(in_len - hdr - used - 8));
    if (done != out_len)
        return build_err_set(err, -XEN_EINVAL, "gzip data gives %lu bytes, expected %lu",
                             (unsigned long)done, (unsigned long)out_len);
    if (crc32_update(0, out, out_len) != le32(p + in_len - 8))
        return build_err_set(err, -XEN_EINVAL, "corrupt gzip data (CRC32 mismatch)");
    if (le32(p + in_len - 4) != (uint32_t)out_len)
        return build_err_set(err, -XEN_EINVAL, "corrupt gzip trailer (ISIZE mismatch)");
    return 0;
}
