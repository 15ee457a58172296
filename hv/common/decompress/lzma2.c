/* LZMA2 chunk layer and LZMA range decoder, single pass straight into the whole output buffer. */
#include <hv/lib.h>
#include <hv/decompress.h>
#include <public/errno.h>

/*
 * Design. The whole output is in memory, so the LZMA "dictionary" is the output itself: a match
 * copies from earlier output bytes, and nothing is ever copied twice. The hot loop (lzma_run)
 * keeps the range coder, the position and the four distances in locals, decodes every bit tree
 * without branches on the decoded bit, and reads input without bounds checks: it only starts a
 * symbol while at least IN_MARGIN input bytes remain, which is more than one symbol can use.
 * The last bytes of each chunk are decoded from a zero-padded copy, and the chunk then has to
 * have ended exactly at its stated compressed size.
 */

#define PROB_BITS  11
#define PROB_ONE   (1u << PROB_BITS)
#define PROB_INIT  (PROB_ONE / 2)
#define MOVE_BITS  5
#define RANGE_TOP  (1u << 24)
#define MATCH_MIN  2
#define ALIGN_BITS 4
#define END_SLOT   14 /* first distance slot coded with direct bits + dist_align */

/*
 * Most input one symbol can consume: a range narrows by at most ~6.1 bits per probability-coded
 * bit (probabilities stay within [31, 2017] of 2048) and by exactly 1 per direct bit. The worst
 * symbol (a match of the longest length class and distance slot 63) has 22 coded and 26 direct
 * bits, under 161 bits: 21 bytes including the normalisation left from the previous symbol.
 */
#define IN_MARGIN 24

/* Chunk-level outcome of lzma_run. */
enum run_status {
    RUN_OK = 0,
    RUN_BAD_DIST,   /* match distance reaches before the dictionary or beyond its size */
    RUN_BAD_LEN,    /* match runs past the end of the chunk */
    RUN_END_MARKER, /* LZMA end-of-payload marker: not allowed inside LZMA2 */
};

/* Range decoder and position for one chunk; dict is the last dictionary reset point. */
struct run {
    const uint8_t *in, *in_stop; /* next input byte; symbols start only while in <= in_stop */
    uint32_t range, code;
    uint8_t *dict;
    size_t pos, end; /* output position and chunk end, relative to dict */
    size_t word_end; /* a match ending here or before may be copied in 8-byte words */
    uint32_t dict_size;
};

static void lzma_reset_state(struct lzma2_dec *d)
{
    uint16_t *p = (uint16_t *)&d->p;
    size_t n = offsetof(struct lzma_probs, literal) / sizeof(uint16_t) +
               ((size_t)LZMA_LIT_SIZE << d->lc) * (d->lp_mask + 1);

    BUILD_BUG_ON(sizeof(struct lzma_probs) % sizeof(uint16_t));
    for (size_t i = 0; i < n; i++)
        p[i] = PROB_INIT;
    d->state = 0;
    d->rep0 = d->rep1 = d->rep2 = d->rep3 = 0;
}

/* lc/lp/pb from the properties byte ((pb * 5 + lp) * 9 + lc); false if invalid for LZMA2. */
static bool lzma_set_props(struct lzma2_dec *d, uint8_t props)
{
    unsigned int lc = props % 9, lp = (props / 9) % 5, pb = props / 45;

    if (pb > 4 || lc + lp > 4)
        return false;
    d->lc = lc;
    d->lp_mask = (1u << lp) - 1;
    d->pb_mask = (1u << pb) - 1;
    return true;
}

/*
 * Normalise the range: once its top byte has emptied, shift in one more input byte. (A branchless
 * form measured no faster, natively or under QEMU TCG: the branch is rarely taken.)
 */
#define RC_NORM()                                                                                  \
    do {                                                                                           \
        if (range < RANGE_TOP) {                                                                   \
            range <<= 8;                                                                           \
            code = (code << 8) | *in++;                                                            \
        }                                                                                          \
    } while (0)

/* Decode one bit with probability *prob_ and branch on it: for control decisions. */
#define RC_BIT(prob_)                                                                              \
    ({                                                                                             \
        uint16_t *bp_ = (prob_);                                                                   \
        uint32_t pv_ = *bp_, bound_, bit_;                                                         \
        RC_NORM();                                                                                 \
        bound_ = (range >> PROB_BITS) * pv_;                                                       \
        if (code < bound_) {                                                                       \
            range = bound_;                                                                        \
            *bp_ = (uint16_t)(pv_ + ((PROB_ONE - pv_) >> MOVE_BITS));                              \
            bit_ = 0;                                                                              \
        } else {                                                                                   \
            range -= bound_;                                                                       \
            code -= bound_;                                                                        \
            *bp_ = (uint16_t)(pv_ - (pv_ >> MOVE_BITS));                                           \
            bit_ = 1;                                                                              \
        }                                                                                          \
        bit_;                                                                                      \
    })

/*
 * Decode one bit without a branch on its value; evaluates to 0 or 1. With m = all ones for a 1
 * bit: the range becomes bound or range - bound, code loses bound for a 1, and the probability
 * moves 1/32 of the way to 0 or to PROB_ONE: p -= (p - t) >> 5 (arithmetic shift) with t = 0 for
 * a 1 and PROB_ONE - 31 for a 0 gives exactly p - p/32 and p + (PROB_ONE - p)/32 rounded down.
 *
 * Bit trees decode bits that are close to random: branching on them costs mispredictions natively
 * and ends a translated block under QEMU TCG (a branchy version measured 1.5x slower there). An
 * x86-64 inline-assembly version with conditional moves ran 10% faster natively but 15% slower
 * under TCG, the case that counts for boot time, so the decoder stays in C.
 */
#define RC_BIT_NB_AT(probs_, idx_)                                                                 \
    ({                                                                                             \
        uint16_t *bp_ = &(probs_)[idx_];                                                           \
        uint32_t pv_ = *bp_, bound_, m_;                                                           \
        RC_NORM();                                                                                 \
        bound_ = (range >> PROB_BITS) * pv_;                                                       \
        m_ = 0u - (uint32_t)(code >= bound_);                                                      \
        range = bound_ + ((range - bound_ - bound_) & m_);                                         \
        code -= bound_ & m_;                                                                       \
        *bp_ =                                                                                     \
            (uint16_t)(pv_ - (uint32_t)((int32_t)(pv_ - ((PROB_ONE - 31) & ~m_)) >> MOVE_BITS));   \
        m_ & 1;                                                                                    \
    })

/* One step down a bit tree: sym gains the decoded bit as its new lowest bit. */
#define TREE_STEP(probs_, sym_) ((sym_) = ((sym_) << 1) + RC_BIT_NB_AT(probs_, sym_))

/* Decode a match length into len (0 = the minimum of 2) with the length coder lp_. */
#define DECODE_LEN(lp_, len)                                                                       \
    do {                                                                                           \
        struct lzma_len_probs *l_ = (lp_);                                                         \
        size_t s_ = 1;                                                                             \
        if (!RC_BIT(&l_->choice)) {                                                                \
            TREE_STEP(l_->low[ps], s_);                                                            \
            TREE_STEP(l_->low[ps], s_);                                                            \
            TREE_STEP(l_->low[ps], s_);                                                            \
            len = s_ - 8;                                                                          \
        } else if (!RC_BIT(&l_->choice2)) {                                                        \
            TREE_STEP(l_->mid[ps], s_);                                                            \
            TREE_STEP(l_->mid[ps], s_);                                                            \
            TREE_STEP(l_->mid[ps], s_);                                                            \
            len = s_ - 8 + 8;                                                                      \
        } else {                                                                                   \
            for (int k_ = 0; k_ < 8; k_++)                                                         \
                TREE_STEP(l_->high, s_);                                                           \
            len = s_ - 256 + 16;                                                                   \
        }                                                                                          \
    } while (0)

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    return v;
}

static inline void store64(uint8_t *p, uint64_t v)
{
    __builtin_memcpy(p, &v, 8);
}

/*
 * Copy a match of len bytes from distance dist (1..7) to dst: the first eight bytes one by one,
 * which makes them one period-aligned word of the repeating pattern, then that word every step
 * bytes (a multiple of dist). Writes up to 7 bytes past dst + len.
 */
static inline void copy_short_dist(uint8_t *dst, uint32_t dist, uint32_t len)
{
    static const uint8_t step[8] = {0, 8, 8, 6, 8, 5, 6, 7};
    const uint8_t *src = dst - dist;
    uint64_t w;

    if (dist == 1) {
        w = src[0] * 0x0101010101010101ull;
        store64(dst, w);
    } else {
        for (int k = 0; k < 8; k++)
            dst[k] = src[k];
        w = load64(dst);
    }
    for (uint32_t k = step[dist]; k < len; k += step[dist])
        store64(dst + k, w);
}

/*
 * Decode symbols until the chunk's output is complete or in passes in_stop. The caller guarantees
 * IN_MARGIN readable bytes from any in <= in_stop, and 8 writable bytes past r->word_end. Only
 * what every symbol needs lives in locals (the rest is in *d and *r): spilled registers become
 * memory accesses, the most expensive operation under emulation.
 */
static inline __attribute__((always_inline)) enum run_status
lzma_run_body(struct lzma2_dec *d, struct run *r, const uint32_t lc_mul, const uint32_t lp_mask,
              const uint32_t pb_mask)
{
    struct lzma_probs *const p = &d->p;
    const uint8_t *in = r->in;
    uint32_t range = r->range, code = r->code;
    uint8_t *const dict = r->dict;
    size_t pos = r->pos;
    uint32_t state = d->state, rep0 = d->rep0;
    enum run_status st = RUN_OK;

    /*
     * Every symbol yields at least one byte and reads at most IN_MARGIN input bytes, so the
     * inner loop can run up to stop with a single bound check per symbol.
     */
    while (pos < r->end && in <= r->in_stop) {
        size_t stop = (size_t)(r->in_stop - in) / IN_MARGIN + 1;
        stop = pos + (stop < r->end - pos ? stop : r->end - pos);
        do {
            const uint32_t ps = (uint32_t)pos & pb_mask;
            uint32_t len;

            if (!RC_BIT(&p->is_match[state][ps])) {
                /*
                 * Literal, coded in the context of the previous byte (0 at the start of the
                 * dictionary, read without a branch) and the position.
                 */
                const uint32_t nz = pos != 0;
                uint32_t prev = dict[pos - nz] & (0u - nz);
                /*
                 * Context (pos & lp_mask) << lc | prev >> (8 - lc), as one product: shifts by a
                 * variable count are slow to emulate (x86 leaves the flags alone for a zero count).
                 */
                uint16_t *lit = p->literal[((((uint32_t)pos & lp_mask) << 8 | prev) * lc_mul) >> 8];
                size_t sym = 1;

                if (state < 7) {
                    TREE_STEP(lit, sym);
                    TREE_STEP(lit, sym);
                    TREE_STEP(lit, sym);
                    TREE_STEP(lit, sym);
                    TREE_STEP(lit, sym);
                    TREE_STEP(lit, sym);
                    TREE_STEP(lit, sym);
                    TREE_STEP(lit, sym);
                } else {
                    /*
                     * After a match the literal is coded against the byte at rep0: while its bits
                     * agree with the decoded ones, a separate set of probabilities is used.
                     */
                    uint32_t mbyte, offs = 0x100;
                    if (unlikely(rep0 >= pos)) {
                        st = RUN_BAD_DIST;
                        break;
                    }
                    mbyte = dict[pos - rep0 - 1];
#pragma GCC unroll 8
                    for (int k = 0; k < 8; k++) {
                        uint32_t mbit, bit;
                        mbyte <<= 1;
                        mbit = mbyte & offs;
                        bit = RC_BIT_NB_AT(lit, offs + mbit + sym);
                        sym = (sym << 1) + bit;
                        offs &= ~(mbit ^ (0u - bit));
                    }
                }
                dict[pos++] = (uint8_t)sym;
                state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
                continue;
            }

            if (!RC_BIT(&p->is_rep[state])) {
                /* A new match: its distance follows the length. */
                size_t slot = 1, lst;

                DECODE_LEN(&p->match_len, len);
                d->rep3 = d->rep2;
                d->rep2 = d->rep1;
                d->rep1 = rep0;
                state = state < 7 ? 7 : 10;
                lst = len < LZMA_LEN_STATES - 1 ? len : LZMA_LEN_STATES - 1;
#pragma GCC unroll 6
                for (int k = 0; k < 6; k++)
                    TREE_STEP(p->dist_slot[lst], slot);
                slot -= LZMA_DIST_SLOTS;
                if (slot < 4) {
                    rep0 = slot;
                } else {
                    uint32_t nbits = (slot >> 1) - 1;
                    rep0 = (2 | (slot & 1)) << nbits;
                    if (slot < END_SLOT) {
                        /* Reverse bit tree of nbits bits; its probabilities start at base + 1. */
                        uint32_t base = rep0 - slot - 1, s = 1;
                        for (uint32_t k = 0, w = 1; k < nbits; k++, w <<= 1) {
                            uint32_t bit = RC_BIT_NB_AT(p->dist_special, base + s);
                            s = (s << 1) + bit;
                            rep0 += bit * w;
                        }
                    } else {
                        uint32_t direct = 0, s = 1;
                        for (uint32_t k = nbits - ALIGN_BITS; k; k--) {
                            uint32_t m;
                            RC_NORM();
                            range >>= 1;
                            code -= range;
                            m = 0u - (code >> 31); /* all ones if code went negative: a 0 bit */
                            code += range & m;
                            direct = (direct << 1) + (m + 1);
                        }
                        rep0 += direct << ALIGN_BITS;
#pragma GCC unroll 4
                        for (uint32_t k = 0; k < ALIGN_BITS; k++) {
                            uint32_t bit = RC_BIT_NB_AT(p->dist_align, s);
                            s = (s << 1) + bit;
                            rep0 += bit << k;
                        }
                        if (unlikely(rep0 == 0xFFFFFFFFu)) {
                            st = RUN_END_MARKER;
                            break;
                        }
                    }
                }
            } else {
                /* A repeated match: one of the last four distances. */
                if (!RC_BIT(&p->is_rep0[state])) {
                    if (!RC_BIT(&p->is_rep0_long[state][ps])) {
                        /* "Short rep": one byte from distance rep0. */
                        if (unlikely(rep0 >= pos)) {
                            st = RUN_BAD_DIST;
                            break;
                        }
                        state = state < 7 ? 9 : 11;
                        dict[pos] = dict[pos - rep0 - 1];
                        pos++;
                        continue;
                    }
                } else {
                    uint32_t dist;
                    if (!RC_BIT(&p->is_rep1[state])) {
                        dist = d->rep1;
                    } else {
                        if (!RC_BIT(&p->is_rep2[state])) {
                            dist = d->rep2;
                        } else {
                            dist = d->rep3;
                            d->rep3 = d->rep2;
                        }
                        d->rep2 = d->rep1;
                    }
                    d->rep1 = rep0;
                    rep0 = dist;
                }
                DECODE_LEN(&p->rep_len, len);
                state = state < 7 ? 8 : 11;
            }

            /* Copy len + 2 bytes from distance rep0 + 1, inside the data decoded so far. */
            if (unlikely(rep0 >= pos || rep0 >= r->dict_size)) {
                st = RUN_BAD_DIST;
                break;
            }
            len += MATCH_MIN;
            if (unlikely(len > r->end - pos)) {
                st = RUN_BAD_LEN;
                break;
            }
            {
                uint8_t *dst = dict + pos;
                const uint8_t *src = dst - rep0 - 1;
                pos += len;
                if (likely(pos <= r->word_end)) {
                    if (rep0 >= 7) {
                        /* Source at least 8 bytes behind: a word never reads unwritten bytes. */
                        uint8_t *stop = dst + len;
                        do {
                            store64(dst, load64(src));
                            dst += 8;
                            src += 8;
                        } while (dst < stop);
                    } else {
                        copy_short_dist(dst, rep0 + 1, len);
                    }
                } else {
                    for (uint32_t k = 0; k < len; k++)
                        dst[k] = src[k];
                }
            }
        } while (pos < stop);
        if (st != RUN_OK)
            break;
    }

    r->in = in;
    r->range = range;
    r->code = code;
    r->pos = pos;
    d->state = state;
    d->rep0 = rep0;
    return st;
}

/* The decoder for xz's default properties lc=3 lp=0 pb=2 (constants free registers)... */
static enum run_status lzma_run_302(struct lzma2_dec *d, struct run *r)
{
    return lzma_run_body(d, r, 1u << 3, 0, 3);
}

/* ... and for any other properties. */
static enum run_status lzma_run_any(struct lzma2_dec *d, struct run *r)
{
    return lzma_run_body(d, r, 1u << d->lc, d->lp_mask, d->pb_mask);
}

static enum run_status lzma_run(struct lzma2_dec *d, struct run *r)
{
    if (d->lc == 3 && d->lp_mask == 0 && d->pb_mask == 3)
        return lzma_run_302(d, r);
    return lzma_run_any(d, r);
}

/* LZMA2 dictionary size for its property byte; 0 when the byte is invalid (> 40). */
uint32_t lzma2_dict_size(uint8_t prop)
{
    if (prop > 40)
        return 0;
    if (prop == 40)
        return 0xFFFFFFFFu;
    return (2u | (prop & 1u)) << (prop / 2 + 11);
}

static inline uint32_t be16(const uint8_t *p)
{
    return ((uint32_t)p[0] << 8) | p[1];
}

/* Decode one LZMA chunk of csize input bytes into dict[pos, pos + usize); 0 or a reason. */
static const char *lzma_chunk(struct lzma2_dec *d, const uint8_t *in, size_t csize, uint8_t *dict,
                              size_t pos, size_t usize, size_t out_room, uint32_t dict_size)
{
    static const char *const why[] = {
        [RUN_BAD_DIST] = "match distance outside the dictionary",
        [RUN_BAD_LEN] = "match runs past the end of the chunk",
        [RUN_END_MARKER] = "unexpected LZMA end marker",
    };
    uint8_t tail[IN_MARGIN + 32 + 8];
    const uint8_t *cend = in + csize;
    struct run r;
    enum run_status st;
    size_t rem;

    if (in[0] != 0)
        return "range coder does not start with a zero byte";
    r.range = 0xFFFFFFFFu;
    r.code = ((uint32_t)in[1] << 24) | ((uint32_t)in[2] << 16) | ((uint32_t)in[3] << 8) | in[4];
    r.in = in + 5;
    r.dict = dict;
    r.pos = pos;
    r.end = pos + usize;
    r.dict_size = dict_size;
    /*
     * Word copies may write up to 7 bytes past a match, even past the chunk (later output
     * overwrites them), but never past the output buffer.
     */
    r.word_end = out_room >= 8 ? pos + out_room - 8 : 0;
    if ((size_t)(cend - r.in) > IN_MARGIN) {
        r.in_stop = cend - IN_MARGIN;
        st = lzma_run(d, &r);
        if (st != RUN_OK)
            return why[st];
    }
    rem = (size_t)(cend - r.in);
    if (rem > IN_MARGIN) /* the output is complete, yet more than a byte is left */
        return "compressed data left over at the end of the chunk";
    /* The last symbols read from a zero-padded copy; running off its end is caught below. */
    memset(tail, 0, sizeof(tail));
    memcpy(tail, r.in, rem);
    r.in = tail;
    r.in_stop = tail + rem;
    cend = tail + rem;
    if (r.pos < r.end) {
        st = lzma_run(d, &r);
        if (st != RUN_OK)
            return why[st];
        if (r.pos < r.end)
            return "compressed data ends before the chunk's output";
    }
    if (r.range < RANGE_TOP) {
        r.range <<= 8;
        r.code = (r.code << 8) | *r.in++;
    }
    if (r.in != cend)
        return r.in < cend ? "compressed data left over at the end of the chunk"
                           : "compressed data ends before the chunk's output";
    if (r.code != 0)
        return "range coder did not end cleanly";
    return NULL;
}

/* Decode a raw LZMA2 stream that fills out exactly and ends exactly at in + in_len. */
int lzma2_decode(struct lzma2_dec *d, const uint8_t *in, size_t in_len, uint8_t *out,
                 size_t out_len, uint32_t dict_size, uint64_t err_base, struct build_err *err)
{
    size_t ip = 0, op = 0, dict_off = 0;
    bool need_dict_reset = true, need_props = true;

    /* Every chunk consumes at least one input byte, so this loop ends. */
    for (;;) {
        const size_t chunk = ip;
        const char *why;
        uint8_t ctl;

#define CHUNK_ERR(...)                                                                             \
    build_err_set(err, -XEN_EINVAL, "corrupt XZ data (LZMA2 chunk at offset %lu: %s)",             \
                  (unsigned long)(err_base + chunk), __VA_ARGS__)

        if (ip >= in_len)
            return build_err_set(err, -XEN_EINVAL,
                                 "truncated XZ data (LZMA2 stream ends without its end marker)");
        ctl = in[ip++];
        if (ctl == 0x00) {
            if (ip != in_len)
                return CHUNK_ERR("end marker before the end of the block");
            if (op != out_len)
                return build_err_set(err, -XEN_EINVAL,
                                     "corrupt XZ data (LZMA2 stream gives %lu bytes, expected %lu)",
                                     (unsigned long)op, (unsigned long)out_len);
            return 0;
        }
        if (ctl == 0x01 || ctl >= 0xE0) {
            dict_off = op;
            need_dict_reset = false;
            need_props = true; /* a dictionary reset also needs a state reset before LZMA */
        } else if (need_dict_reset) {
            return CHUNK_ERR("first chunk does not reset the dictionary");
        }

        if (ctl < 0x80) {
            size_t size;
            if (ctl > 0x02)
                return CHUNK_ERR("invalid control byte");
            if (in_len - ip < 2)
                return CHUNK_ERR("truncated chunk header");
            size = be16(in + ip) + 1;
            ip += 2;
            if (in_len - ip < size)
                return CHUNK_ERR("truncated uncompressed chunk");
            if (out_len - op < size)
                return CHUNK_ERR("more output than the block's size");
            memcpy(out + op, in + ip, size);
            ip += size;
            op += size;
            continue;
        }

        if (in_len - ip < 4)
            return CHUNK_ERR("truncated chunk header");
        size_t usize = ((size_t)(ctl & 0x1F) << 16) + be16(in + ip) + 1;
        size_t csize = be16(in + ip + 2) + 1;
        ip += 4;
        if (ctl >= 0xC0) {
            if (ip >= in_len)
                return CHUNK_ERR("truncated chunk header");
            if (!lzma_set_props(d, in[ip++]))
                return CHUNK_ERR("invalid lc/lp/pb properties");
            need_props = false;
            lzma_reset_state(d);
        } else if (need_props) {
            return CHUNK_ERR("LZMA chunk without a state reset and properties");
        } else if (ctl >= 0xA0) {
            lzma_reset_state(d);
        }
        if (csize < 5)
            return CHUNK_ERR("compressed size too small");
        if (in_len - ip < csize)
            return build_err_set(err, -XEN_EINVAL,
                                 "truncated XZ data (LZMA2 chunk at offset %lu needs %lu bytes, "
                                 "%lu left)",
                                 (unsigned long)(err_base + chunk), (unsigned long)csize,
                                 (unsigned long)(in_len - ip));
        if (out_len - op < usize)
            return CHUNK_ERR("more output than the block's size");
        why = lzma_chunk(d, in + ip, csize, out + dict_off, op - dict_off, usize, out_len - op,
                         dict_size);
        if (why)
            return CHUNK_ERR(why);
        ip += csize;
        op += usize;
#undef CHUNK_ERR
    }
}
