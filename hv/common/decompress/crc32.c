/* CRC-32 (gzip, XZ) by eight-byte table slicing, and CRC-64 (XZ) byte by byte. */
#include <hv/lib.h>
#include <hv/decompress.h>

#define CRC32_POLY 0xEDB88320u           /* IEEE 802.3, bit-reversed */
#define CRC64_POLY 0xC96C5795D7870F42ull /* ECMA-182, bit-reversed */

/*
 * crc32_tab[0] is the classic byte table; crc32_tab[k][b] is the CRC of byte b followed by k
 * zero bytes, so eight table lookups advance the CRC over one 64-bit word. The tables are built
 * on first use; a concurrent first use by two CPUs writes the same values twice.
 */
static uint32_t crc32_tab[8][256];
static uint64_t crc64_tab[256];
static bool crc32_ready, crc64_ready;

static void crc32_init(void)
{
    for (unsigned int b = 0; b < 256; b++) {
        uint32_t c = b;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (CRC32_POLY & (0u - (c & 1)));
        crc32_tab[0][b] = c;
    }
    for (unsigned int b = 0; b < 256; b++)
        for (int k = 1; k < 8; k++) {
            uint32_t prev = crc32_tab[k - 1][b];
            crc32_tab[k][b] = (prev >> 8) ^ crc32_tab[0][prev & 0xff];
        }
    __atomic_store_n(&crc32_ready, true, __ATOMIC_RELEASE);
}

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, sizeof(v)); /* x86 is little-endian; unaligned loads are fine */
    return v;
}

/* CRC-32 of buf continuing crc (0 for a fresh CRC), as gzip and XZ define it. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (!__atomic_load_n(&crc32_ready, __ATOMIC_ACQUIRE))
        crc32_init();
    crc = ~crc;
    for (; len && ((uintptr_t)p & 7); len--)
        crc = crc32_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    for (; len >= 8; len -= 8, p += 8) {
        uint64_t w = load_le64(p) ^ crc;
        crc = crc32_tab[7][w & 0xff] ^ crc32_tab[6][(w >> 8) & 0xff] ^
              crc32_tab[5][(w >> 16) & 0xff] ^ crc32_tab[4][(w >> 24) & 0xff] ^
              crc32_tab[3][(w >> 32) & 0xff] ^ crc32_tab[2][(w >> 40) & 0xff] ^
              crc32_tab[1][(w >> 48) & 0xff] ^ crc32_tab[0][w >> 56];
    }
    while (len--)
        crc = crc32_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* CRC-64 of buf continuing crc (0 for a fresh CRC), as XZ's check type 4 defines it. */
uint64_t crc64_update(uint64_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (!__atomic_load_n(&crc64_ready, __ATOMIC_ACQUIRE)) {
        for (unsigned int b = 0; b < 256; b++) {
            uint64_t c = b;
            for (int k = 0; k < 8; k++)
                c = (c >> 1) ^ (CRC64_POLY & (0ull - (c & 1)));
            crc64_tab[b] = c;
        }
        __atomic_store_n(&crc64_ready, true, __ATOMIC_RELEASE);
    }
    crc = ~crc;
    while (len--)
        crc = crc64_tab[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
