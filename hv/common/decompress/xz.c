/* XZ container: stream header and footer, index, block headers, filter chains and checks. */
#include <hv/lib.h>
#include <hv/decompress.h>
#include <public/errno.h>

/* Layout facts from the .xz file format specification (version 1.x). */
#define XZ_HEADER_SIZE   12
#define XZ_FOOTER_SIZE   12
#define XZ_FILTER_DELTA  0x03
#define XZ_FILTER_X86    0x04
#define XZ_FILTER_LZMA2  0x21
#define XZ_MAX_FILTERS   4
#define XZ_BLOCK_HDR_MIN 8
#define XZ_VLI_BYTES_MAX 9
#define XZ_UNPADDED_MIN  5

static const uint8_t xz_magic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};

/* The LZMA2 workspace is static (too big for a hypervisor stack); one decode at a time. */
static struct lzma2_dec xz_ws;
static bool xz_busy;

static inline uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/*
 * Read a variable-length integer (7 bits per byte, little-endian, high bit = more) from
 * in[*pos, end). False when it runs past end, is longer than 9 bytes, or is not minimally encoded.
 */
static bool read_vli(const uint8_t *in, size_t end, size_t *pos, uint64_t *val)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < XZ_VLI_BYTES_MAX; i++) {
        uint8_t b;
        if (*pos >= end)
            return false;
        b = in[(*pos)++];
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0)
                return false;
            *val = v;
            return true;
        }
    }
    return false;
}

/* Size in bytes of a check field of the given type (the spec fixes it even for unknown types). */
static unsigned int check_size(unsigned int check)
{
    return check == 0 ? 0 : 4u << ((check - 1) / 3);
}

static const char *check_name(unsigned int check)
{
    switch (check) {
    case XZ_CHECK_NONE:
        return "none";
    case XZ_CHECK_CRC32:
        return "CRC32";
    case XZ_CHECK_CRC64:
        return "CRC64";
    case XZ_CHECK_SHA256:
        return "SHA-256";
    default:
        return "reserved";
    }
}

/* Where the pieces of a stream are, once header, footer and index have been checked. */
struct xz_stream {
    struct xz_info info;
    size_t len;         /* stream length without trailing stream padding */
    size_t index_off;   /* offset of the index indicator byte */
    size_t records_off; /* offset of the first index record */
};

static int parse_stream(const uint8_t *in, size_t in_len, struct xz_stream *s,
                        struct build_err *err)
{
    size_t len = in_len, pos, index_end;
    uint64_t count, blocks = 0, total = 0;
    uint32_t backward;
    unsigned int check;

    memset(s, 0, sizeof(*s));
    if (in_len < sizeof(xz_magic) || memcmp(in, xz_magic, sizeof(xz_magic)))
        return build_err_set(err, -XEN_EINVAL, "not an XZ stream (bad magic)");
    if (in_len < XZ_HEADER_SIZE + XZ_FOOTER_SIZE)
        return build_err_set(err, -XEN_EINVAL, "truncated XZ stream (%lu bytes)",
                             (unsigned long)in_len);
    if (crc32_update(0, in + 6, 2) != le32(in + 8))
        return build_err_set(err, -XEN_EINVAL, "corrupt XZ stream header (CRC32 mismatch)");
    if (in[6] != 0 || (in[7] & 0xF0))
        return build_err_set(err, -XEN_EOPNOTSUPP, "unsupported XZ stream flags 0x%x%x", in[6],
                             in[7]);
    check = in[7] & 0x0F;
    if (check != XZ_CHECK_NONE && check != XZ_CHECK_CRC32 && check != XZ_CHECK_CRC64)
        return build_err_set(err, -XEN_EOPNOTSUPP, "unsupported XZ check type %u (%s)", check,
                             check_name(check));

    /* Stream padding: whole 32-bit words of zeros after the footer. */
    while (len >= XZ_HEADER_SIZE + XZ_FOOTER_SIZE + 4 && le32(in + len - 4) == 0)
        len -= 4;
    if (len % 4 || in[len - 2] != 'Y' || in[len - 1] != 'Z')
        return build_err_set(err, -XEN_EINVAL,
                             "truncated or corrupt XZ stream (no stream footer at its end)");
    if (crc32_update(0, in + len - 8, 6) != le32(in + len - 12))
        return build_err_set(err, -XEN_EINVAL, "corrupt XZ stream footer (CRC32 mismatch)");
    if (in[len - 4] != in[6] || in[len - 3] != in[7])
        return build_err_set(err, -XEN_EINVAL,
                             "corrupt XZ stream (footer flags differ from "
                             "the header's)");
    backward = le32(in + len - 8);
    if (((uint64_t)backward + 1) * 4 > len - XZ_HEADER_SIZE - XZ_FOOTER_SIZE)
        return build_err_set(err, -XEN_EINVAL,
                             "corrupt XZ stream footer (index size %lu is too big)",
                             (unsigned long)(((uint64_t)backward + 1) * 4));
    index_end = len - XZ_FOOTER_SIZE;
    s->index_off = index_end - ((size_t)backward + 1) * 4;

    /* Index: indicator 0, record count, records, zero padding to 4 bytes, CRC32. */
    if (crc32_update(0, in + s->index_off, index_end - 4 - s->index_off) !=
        le32(in + index_end - 4))
        return build_err_set(err, -XEN_EINVAL, "corrupt XZ index (CRC32 mismatch)");
    pos = s->index_off;
    if (in[pos++] != 0 || !read_vli(in, index_end - 4, &pos, &count))
        return build_err_set(err, -XEN_EINVAL, "corrupt XZ index at offset %lu",
                             (unsigned long)s->index_off);
    s->records_off = pos;
    /* Each record takes at least two bytes, so the index size bounds this loop. */
    for (uint64_t n = 0; n < count; n++) {
        uint64_t unpadded, usize;
        if (!read_vli(in, index_end - 4, &pos, &unpadded) ||
            !read_vli(in, index_end - 4, &pos, &usize) || unpadded < XZ_UNPADDED_MIN ||
            unpadded > (1ull << 62))
            return build_err_set(err, -XEN_EINVAL, "corrupt XZ index (record %lu)",
                                 (unsigned long)n);
        blocks += ROUNDUP(unpadded, 4);
        total += usize;
        if (blocks > len || total < usize || total > (1ull << 62))
            return build_err_set(err, -XEN_EINVAL, "corrupt XZ index (record %lu: sizes overflow)",
                                 (unsigned long)n);
    }
    while (pos % 4)
        if (pos >= index_end - 4 || in[pos++] != 0)
            return build_err_set(err, -XEN_EINVAL, "corrupt XZ index (bad padding)");
    if (pos != index_end - 4)
        return build_err_set(err, -XEN_EINVAL, "corrupt XZ index (size disagrees with footer)");
    if (XZ_HEADER_SIZE + blocks != s->index_off)
        return build_err_set(err, -XEN_EINVAL,
                             "corrupt XZ stream (blocks take %lu bytes but the index starts at "
                             "offset %lu)",
                             (unsigned long)blocks, (unsigned long)s->index_off);
    s->len = len;
    s->info.uncompressed_size = total;
    s->info.stream_size = len;
    s->info.check = check;
    s->info.nr_blocks = (unsigned int)count;
    return 0;
}

/* Parse and check the header, footer and index of an XZ stream; see decompress.h. */
int xz_probe(const void *in, size_t in_len, struct xz_info *info, struct build_err *err)
{
    struct xz_stream s;
    int rc = parse_stream(in, in_len, &s, err);

    if (rc)
        return rc;
    *info = s.info;
    return 0;
}

static const char *filter_name(uint64_t id)
{
    switch (id) {
    case XZ_FILTER_DELTA:
        return "Delta";
    case XZ_FILTER_X86:
        return "x86 BCJ";
    case 0x05:
        return "PowerPC BCJ";
    case 0x06:
        return "IA-64 BCJ";
    case 0x07:
        return "ARM BCJ";
    case 0x08:
        return "ARM-Thumb BCJ";
    case 0x09:
        return "SPARC BCJ";
    case 0x0A:
        return "ARM64 BCJ";
    case 0x0B:
        return "RISC-V BCJ";
    case XZ_FILTER_LZMA2:
        return "LZMA2";
    default:
        return "unknown";
    }
}

/* A block header, decoded: the filter chain is zero or more x86 BCJ filters, then LZMA2. */
struct xz_block {
    size_t header_size;
    bool has_csize;
    uint64_t csize; /* from the header, if it has one */
    unsigned int nr_bcj;
    uint32_t bcj_start[XZ_MAX_FILTERS - 1];
    uint32_t dict_size;
};

static int parse_block_header(const uint8_t *in, size_t pos, size_t area_end, unsigned int nr,
                              uint64_t usize_index, struct xz_block *b, struct build_err *err)
{
    size_t hsize, end, p;
    unsigned int nfilters;
    uint8_t flags;

#define BLOCK_ERR(code, ...)                                                                       \
    build_err_set(err, code, "corrupt XZ block %u header at offset %lu (%s)", nr,                  \
                  (unsigned long)pos, __VA_ARGS__)

    if (in[pos] == 0)
        return BLOCK_ERR(-XEN_EINVAL, "index where a block was expected");
    hsize = ((size_t)in[pos] + 1) * 4;
    if (hsize > area_end - pos)
        return BLOCK_ERR(-XEN_EINVAL, "header runs past the blocks");
    end = pos + hsize - 4;
    if (crc32_update(0, in + pos, hsize - 4) != le32(in + end))
        return BLOCK_ERR(-XEN_EINVAL, "CRC32 mismatch");
    flags = in[pos + 1];
    if (flags & 0x3C)
        return build_err_set(err, -XEN_EOPNOTSUPP, "unsupported XZ block %u header flags 0x%x", nr,
                             flags);
    nfilters = (flags & 3) + 1;
    p = pos + 2;
    memset(b, 0, sizeof(*b));
    if (flags & 0x40) {
        uint64_t v;
        if (!read_vli(in, end, &p, &v) || v == 0)
            return BLOCK_ERR(-XEN_EINVAL, "bad compressed size");
        b->has_csize = true;
        b->csize = v;
    }
    if (flags & 0x80) {
        uint64_t v;
        if (!read_vli(in, end, &p, &v))
            return BLOCK_ERR(-XEN_EINVAL, "bad uncompressed size");
        if (v != usize_index)
            return BLOCK_ERR(-XEN_EINVAL, "uncompressed size disagrees with the index");
    }
    b->header_size = hsize;
    for (unsigned int f = 0; f < nfilters; f++) {
        uint64_t id, psize;
        bool last = f + 1 == nfilters;
        if (!read_vli(in, end, &p, &id) || !read_vli(in, end, &p, &psize) || psize > end - p)
            return BLOCK_ERR(-XEN_EINVAL, "bad filter flags");
        if (id == XZ_FILTER_LZMA2) {
            if (!last)
                return BLOCK_ERR(-XEN_EINVAL, "LZMA2 is not the last filter");
            if (psize != 1 || !lzma2_dict_size(in[p]))
                return BLOCK_ERR(-XEN_EINVAL, "bad LZMA2 properties");
            b->dict_size = lzma2_dict_size(in[p]);
        } else if (id == XZ_FILTER_X86) {
            if (last)
                return BLOCK_ERR(-XEN_EINVAL, "x86 BCJ cannot be the last filter");
            if (psize != 0 && psize != 4)
                return BLOCK_ERR(-XEN_EINVAL, "bad x86 BCJ properties");
            b->bcj_start[b->nr_bcj++] = psize ? le32(in + p) : 0;
        } else {
            return build_err_set(err, -XEN_EOPNOTSUPP,
                                 "unsupported XZ filter %s (ID 0x%lx) in block %u: only x86 BCJ "
                                 "and LZMA2 are supported",
                                 filter_name(id), (unsigned long)id, nr);
        }
        p += psize;
    }
    while (p < end)
        if (in[p++] != 0)
            return BLOCK_ERR(-XEN_EINVAL, "non-zero header padding");
#undef BLOCK_ERR
    return 0;
}

static int decode_blocks(const uint8_t *in, const struct xz_stream *s, uint8_t *out, size_t out_len,
                         struct build_err *err)
{
    const unsigned int csz = check_size(s->info.check);
    size_t pos = XZ_HEADER_SIZE, rpos = s->records_off, opos = 0;
    const size_t rec_end = s->len - XZ_FOOTER_SIZE - 4;

    for (unsigned int nr = 1; nr <= s->info.nr_blocks; nr++) {
        uint64_t unpadded, usize, csize;
        struct xz_block b;
        size_t data, padded;
        uint8_t *bout;
        int rc;

        /* The index was checked by parse_stream; these reads cannot fail. */
        if (!read_vli(in, rec_end, &rpos, &unpadded) || !read_vli(in, rec_end, &rpos, &usize))
            return build_err_set(err, -XEN_EINVAL, "corrupt XZ index");
        padded = ROUNDUP((size_t)unpadded, 4);
        if (usize > out_len - opos)
            return build_err_set(err, -XEN_ENOSPC, "XZ block %u does not fit the output", nr);
        /* parse_stream made the blocks tile [12, index_off) exactly. */
        if (unpadded < XZ_BLOCK_HDR_MIN + csz + 1)
            return build_err_set(err, -XEN_EINVAL, "corrupt XZ index (block %u too small)", nr);
        rc = parse_block_header(in, pos, pos + (size_t)unpadded - csz, nr, usize, &b, err);
        if (rc)
            return rc;
        if (unpadded <= b.header_size + csz)
            return build_err_set(err, -XEN_EINVAL, "corrupt XZ block %u (no compressed data)", nr);
        csize = unpadded - csz - b.header_size;
        if (b.has_csize && b.csize != csize)
            return build_err_set(err, -XEN_EINVAL,
                                 "corrupt XZ block %u (compressed size %lu, the index says %lu)",
                                 nr, (unsigned long)b.csize, (unsigned long)csize);
        data = pos + b.header_size;
        bout = out + opos;
        rc = lzma2_decode(&xz_ws, in + data, (size_t)csize, bout, (size_t)usize, b.dict_size, data,
                          err);
        if (rc)
            return rc;
        for (unsigned int f = b.nr_bcj; f-- > 0;)
            bcj_x86_decode(bout, (size_t)usize, b.bcj_start[f]);
        /* Block padding, then the check of the uncompressed data. */
        for (size_t p = data + (size_t)csize; p < pos + padded - csz; p++)
            if (in[p] != 0)
                return build_err_set(err, -XEN_EINVAL, "corrupt XZ block %u (non-zero padding)",
                                     nr);
        const uint8_t *chk = in + pos + padded - csz;
        if (s->info.check == XZ_CHECK_CRC32) {
            if (crc32_update(0, bout, (size_t)usize) != le32(chk))
                return build_err_set(err, -XEN_EINVAL,
                                     "corrupt XZ data (CRC32 of block %u does not match)", nr);
        } else if (s->info.check == XZ_CHECK_CRC64) {
            uint64_t c = crc64_update(0, bout, (size_t)usize);
            if ((uint32_t)c != le32(chk) || (uint32_t)(c >> 32) != le32(chk + 4))
                return build_err_set(err, -XEN_EINVAL,
                                     "corrupt XZ data (CRC64 of block %u does not match)", nr);
        }
        pos += padded;
        opos += (size_t)usize;
    }
    if (opos != out_len)
        return build_err_set(err, -XEN_EINVAL, "corrupt XZ stream (blocks give %lu bytes)",
                             (unsigned long)opos);
    return 0;
}

/* Decompress a whole single-stream XZ file into exactly out_len bytes; see decompress.h. */
int xz_decode(const void *in, size_t in_len, void *out, size_t out_len, struct build_err *err)
{
    struct xz_stream s;
    int rc = parse_stream(in, in_len, &s, err);

    if (rc)
        return rc;
    if (s.info.uncompressed_size != out_len)
        return build_err_set(err, out_len < s.info.uncompressed_size ? -XEN_ENOSPC : -XEN_EINVAL,
                             "XZ stream holds %lu bytes, the output buffer %lu",
                             (unsigned long)s.info.uncompressed_size, (unsigned long)out_len);
    if (__atomic_test_and_set(&xz_busy, __ATOMIC_ACQUIRE))
        return build_err_set(err, -XEN_EBUSY, "XZ decoder busy");
    rc = decode_blocks(in, &s, out, out_len, err);
    __atomic_clear(&xz_busy, __ATOMIC_RELEASE);
    return rc;
}
