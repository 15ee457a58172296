/* x86 BCJ decoder: turn the absolute CALL/JMP targets written by XZ's x86 filter back into rel32.
 */
#include <hv/lib.h>
#include <hv/decompress.h>

/*
 * The encoder looked at every E8 (CALL rel32) and E9 (JMP rel32) byte. When the operand's top
 * byte was 00 or FF (a plausible near displacement) it replaced the displacement by an absolute
 * address (displacement + position after the instruction), keeping 25 significant bits. Opcode
 * bytes seen within the three bytes before, and not converted, make the decision more careful:
 * the filter remembers them in a three-bit history, bit k standing for an unconverted candidate
 * k + 1 bytes back. The decoder replays the same decisions over the converted data.
 */

/* True for the bytes a converted displacement may have in its top byte. */
static inline bool is_top_byte(uint32_t b)
{
    b &= 0xff;
    return b == 0x00 || b == 0xff;
}

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

/*
 * Index of the first byte at or after i and before limit that is E8 or E9, else limit. Eight
 * bytes at a time: a byte is a candidate when (b & FE) ^ E8 is zero, and the classic zero-byte
 * test marks it; its lowest marked byte is always exact.
 */
static inline size_t next_candidate(const uint8_t *buf, size_t i, size_t limit)
{
    const uint64_t ones = 0x0101010101010101ull;

    for (; i + 8 <= limit; i += 8) {
        uint64_t x = (load_le64(buf + i) & (ones * 0xFE)) ^ (ones * 0xE8);
        uint64_t z = (x - ones) & ~x & (ones * 0x80);
        if (z)
            return i + ((unsigned int)__builtin_ctzll(z) >> 3);
    }
    while (i < limit && (buf[i] & 0xFE) != 0xE8)
        i++;
    return i;
}

/* Undo the x86 BCJ filter over the whole buffer in place; start is the filter's start offset. */
void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start)
{
    size_t limit, i, last = 0;
    uint32_t hist = 0; /* bit k: unconverted candidate k + 1 bytes before the current one */
    bool seen = false;

    if (len < 5)
        return;
    limit = len - 4; /* an opcode needs its four operand bytes */
    for (i = next_candidate(buf, 0, limit); i < limit; i = next_candidate(buf, i, limit)) {
        size_t gap = i - last;
        uint32_t far = 0; /* distance to the oldest remembered candidate, 1..3 */

        hist = (seen && gap <= 3) ? (hist << (gap - 1)) & 7 : 0;
        last = i;
        seen = true;
        if (hist) {
            far = 32 - (uint32_t)__builtin_clz(hist);
            /* Two or more recent candidates, or an operand byte that looks like a top byte. */
            if ((hist & (hist - 1)) || is_top_byte(buf[i + 4 - far])) {
                hist = (hist << 1) | 1;
                i++;
                continue;
            }
        }
        if (!is_top_byte(buf[i + 4])) {
            hist = (hist << 1) | 1;
            i++;
            continue;
        }

        uint32_t v = (uint32_t)buf[i + 1] | ((uint32_t)buf[i + 2] << 8) |
                     ((uint32_t)buf[i + 3] << 16) | ((uint32_t)buf[i + 4] << 24);
        uint32_t here = start + (uint32_t)i + 5, rel = v - here;
        /*
         * With a remembered candidate, the encoder re-converted while the byte that candidate's
         * operand would overlap looked like a top byte; undo those rounds. The low bits only
         * alternate between two values, and the check before conversion rules out a pair that
         * would cycle: at most one extra round is ever taken (checked exhaustively for far = 2
         * and 3, by sampling for far = 1). The bound of four makes termination evident.
         */
        for (int round = 0; hist && round < 4; round++) {
            uint32_t sh = 24 - 8 * far;
            if (!is_top_byte(rel >> sh))
                break;
            v = rel ^ ((1u << (sh + 8)) - 1);
            rel = v - here;
        }
        /* Sign-extend from bit 24: the filter kept 25 bits of the target. */
        rel = ((rel & 0x1FFFFFFu) ^ 0x1000000u) - 0x1000000u;
        buf[i + 1] = (uint8_t)rel;
        buf[i + 2] = (uint8_t)(rel >> 8);
        buf[i + 3] = (uint8_t)(rel >> 16);
        buf[i + 4] = (uint8_t)(rel >> 24);
        i += 5;
    }
}
