/* In-memory decompressors for boot modules: CRC-32/64, XZ (LZMA2 + x86 BCJ) and gzip (DEFLATE). */
#ifndef HV_DECOMPRESS_H
#define HV_DECOMPRESS_H

#include <hv/types.h>
#include <hv/libelf.h> /* struct build_err */

/*
 * All decoders work on whole buffers: the complete input is in memory and the output buffer
 * has room for the complete output, whose exact size the caller learns first (XZ index, gzip
 * ISIZE, bzImage size trailer). They never write outside [out, out + out_len), never read
 * outside [in, in + in_len), and finish in time linear in in_len + out_len whatever the input.
 * Errors are negative XEN_E* codes with one sentence in err:
 *   -XEN_EINVAL      corrupt or truncated data, or a size that does not match
 *   -XEN_EOPNOTSUPP  a valid but unsupported feature (filter, check type, compression method)
 *   -XEN_ENOSPC      the output buffer is too small
 *   -XEN_EBUSY       the decoder's static workspace is in use (the decoders are not reentrant)
 */

/* CRC-32 as used by gzip and XZ (reflected polynomial 0xEDB88320); start with crc = 0. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);
/* CRC-64 as used by XZ (ECMA-182, reflected polynomial 0xC96C5795D7870F42); start with 0. */
uint64_t crc64_update(uint64_t crc, const void *buf, size_t len);

/* ---- XZ container (xz.c) ---- */

/* XZ check types (Stream Flags, low nibble). */
#define XZ_CHECK_NONE   0x00
#define XZ_CHECK_CRC32  0x01
#define XZ_CHECK_CRC64  0x04
#define XZ_CHECK_SHA256 0x0A

/* What xz_probe learns from the stream header, footer and index without decompressing. */
struct xz_info {
    uint64_t uncompressed_size; /* sum over the index records */
    uint64_t stream_size;       /* bytes of the stream proper (header to footer) */
    unsigned int check;         /* XZ_CHECK_* */
    unsigned int nr_blocks;
};

/*
 * Parse the XZ stream [in, in + in_len) (optionally followed by stream padding: zero bytes in
 * multiples of 4): header, footer and index, with their CRC32s. Returns 0 and fills *info, or a
 * negative XEN_E* code with err set. Does not look at the compressed data.
 */
int xz_probe(const void *in, size_t in_len, struct xz_info *info, struct build_err *err);

/*
 * Decompress the single-stream XZ file [in, in + in_len) into out, which must hold exactly
 * out_len bytes, the stream's uncompressed size (xz_probe). Supports the filter chains LZMA2 and
 * x86 BCJ + LZMA2, and the checks none, CRC32 and CRC64. Every check is verified. Returns 0, or a
 * negative XEN_E* code with err set; the output is then unspecified.
 */
int xz_decode(const void *in, size_t in_len, void *out, size_t out_len, struct build_err *err);

/* ---- LZMA2 (lzma2.c) ---- */

/* LZMA probabilities (11-bit, in 16-bit slots); the index limits hold for lc + lp <= 4, pb <= 4. */
#define LZMA_STATES     12
#define LZMA_POS_STATES 16 /* 1 << pb, pb <= 4 */
#define LZMA_LEN_STATES 4  /* distance slot trees, by match length 2, 3, 4, 5+ */
#define LZMA_DIST_SLOTS 64
#define LZMA_DIST_FULL  128 /* distances below this use dist_special, above dist_align */
#define LZMA_LIT_CODERS 16  /* 1 << (lc + lp) */
#define LZMA_LIT_SIZE   0x300
struct lzma_len_probs {
    uint16_t choice, choice2;
    uint16_t low[LZMA_POS_STATES][8];
    uint16_t mid[LZMA_POS_STATES][8];
    uint16_t high[256];
};
struct lzma_probs {
    uint16_t is_match[LZMA_STATES][LZMA_POS_STATES];
    uint16_t is_rep[LZMA_STATES], is_rep0[LZMA_STATES], is_rep1[LZMA_STATES], is_rep2[LZMA_STATES];
    uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES];
    uint16_t dist_slot[LZMA_LEN_STATES][LZMA_DIST_SLOTS];
    uint16_t dist_special[LZMA_DIST_FULL - 14]; /* reverse trees of slots 4..13 */
    uint16_t dist_align[16];
    struct lzma_len_probs match_len, rep_len;
    uint16_t literal[LZMA_LIT_CODERS][LZMA_LIT_SIZE];
};

/* Decoder workspace for lzma2_decode (about 28 KiB: keep it off the 16 KiB hypervisor stacks). */
struct lzma2_dec {
    struct lzma_probs p;
    uint32_t state, rep0, rep1, rep2, rep3;
    uint32_t lc, lp_mask, pb_mask;
};

/*
 * Decode the raw LZMA2 stream [in, in + in_len) into out: the stream must end with its end
 * marker exactly at in + in_len and produce exactly out_len bytes. Matches may reach back at
 * most dict_size bytes and never before out. err_base is the offset of in within the caller's
 * file, used in messages ("LZMA2 chunk at offset N"). Returns 0 or a negative XEN_E* code.
 */
int lzma2_decode(struct lzma2_dec *d, const uint8_t *in, size_t in_len, uint8_t *out,
                 size_t out_len, uint32_t dict_size, uint64_t err_base, struct build_err *err);

/* LZMA2 dictionary size from its one-byte property (0..40); 0 if the byte is invalid. */
uint32_t lzma2_dict_size(uint8_t prop);

/* ---- x86 BCJ filter (bcj_x86.c) ---- */

/*
 * Undo the x86 branch converter in place over a whole filtered buffer: relative CALL/JMP targets
 * (E8/E9 rel32) that the encoder made absolute become relative again. start is the filter's
 * start offset (0 unless the XZ filter properties say otherwise).
 */
void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start);

/* ---- gzip / DEFLATE (inflate.c) ---- */

/*
 * Parse a gzip member's header at [in, in + in_len) and return in *isize its trailer's ISIZE
 * (the uncompressed size modulo 2^32, from the last 4 bytes). 0 or a negative XEN_E* code.
 */
int gzip_probe(const void *in, size_t in_len, uint32_t *isize, struct build_err *err);

/*
 * Decompress the single gzip member [in, in + in_len) (nothing may follow it) into out, which
 * must hold exactly out_len bytes. Header flags, CRC32 and ISIZE are checked. 0 or -XEN_E*.
 */
int gzip_decode(const void *in, size_t in_len, void *out, size_t out_len, struct build_err *err);

/*
 * Inflate the raw DEFLATE stream [in, in + in_len) into out (at most out_len bytes): *in_used and
 * *out_done receive how much was consumed and produced up to the end of the final block.
 */
int inflate_raw(const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out, size_t out_len,
                size_t *out_done, struct build_err *err);

#endif
