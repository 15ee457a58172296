/* Kernel image formats for dom0: ELF, x86 bzImage (XZ or gzip payload), raw gzip and XZ. */
#include <hv/lib.h>
#include <hv/bzimage.h>
#include <hv/decompress.h>
#include <public/errno.h>

/* x86 boot protocol header fields (Linux Documentation/x86/boot.rst), as file offsets. */
#define BZ_SETUP_SECTS    0x1F1 /* u8: setup sectors after the boot sector; 0 means 4 */
#define BZ_BOOT_FLAG      0x1FE /* u16: 0xAA55 */
#define BZ_HEADER         0x202 /* "HdrS" */
#define BZ_VERSION        0x206 /* u16: boot protocol version */
#define BZ_PAYLOAD_OFFSET 0x248 /* u32, 2.08+: payload offset from the protected-mode code */
#define BZ_PAYLOAD_LENGTH 0x24C /* u32, 2.08+ */
#define BZ_HEADER_END     0x250
#define BZ_MIN_VERSION    0x0208
#define BZ_SECTOR         512

static inline uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/*
 * Compression formats Linux can put in a bzImage, by their leading bytes. Outside a bzImage only
 * the distinctive magics are trusted (raw), so that random data is "not an ELF" rather than
 * "lzma".
 */
static const struct {
    const char *name;
    uint8_t len;
    bool raw;
    uint8_t magic[6];
} formats[] = {
    {"xz", 6, true, {0xFD, '7', 'z', 'X', 'Z', 0x00}},
    {"gzip", 2, true, {0x1F, 0x8B}},
    {"bzip2", 3, false, {'B', 'Z', 'h'}},
    {"zstd", 4, true, {0x28, 0xB5, 0x2F, 0xFD}},
    {"lzo", 4, true, {0x89, 'L', 'Z', 'O'}},
    {"lz4", 4, true, {0x02, 0x21, 0x4C, 0x18}},
    {"lzma", 3, false, {0x5D, 0x00, 0x00}},
};

/* Name of the format the data starts with, or NULL. */
static const char *sniff(const uint8_t *p, size_t len, bool raw)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(formats); i++)
        if ((formats[i].raw || !raw) && len >= formats[i].len &&
            !memcmp(p, formats[i].magic, formats[i].len))
            return formats[i].name;
    return NULL;
}

static int check_size(uint64_t size, struct build_err *err)
{
    if (size == 0)
        return build_err_set(err, -XEN_EINVAL, "compressed kernel claims 0 bytes uncompressed");
    if (size > KERNEL_MAX_UNCOMPRESSED)
        return build_err_set(
            err, -XEN_EINVAL, "compressed kernel claims %lu MiB uncompressed (limit %lu MiB)",
            (unsigned long)(size >> 20), (unsigned long)(KERNEL_MAX_UNCOMPRESSED >> 20));
    return 0;
}

/* Probe the compressed data [p, p + len) of the given format into info. */
static int probe_payload(const uint8_t *p, size_t len, bool bz, struct kernel_image_info *info,
                         struct build_err *err)
{
    const char *fmt = sniff(p, len, !bz);
    int rc;

    if (fmt && !strcmp(fmt, "xz")) {
        struct xz_info xi;
        /* A bzImage appends the size to the XZ stream: a strict decoder must not see it. */
        rc = xz_probe(p, bz ? len - 4 : len, &xi, err);
        if (rc)
            return rc;
        if (bz && xi.uncompressed_size != le32(p + len - 4))
            return build_err_set(
                err, -XEN_EINVAL, "bzImage size trailer says %lu bytes, the XZ index %lu",
                (unsigned long)le32(p + len - 4), (unsigned long)xi.uncompressed_size);
        info->kind = bz ? KERNEL_BZIMAGE_XZ : KERNEL_XZ;
        info->format = bz ? "bzImage (XZ)" : "XZ";
        info->uncompressed_size = xi.uncompressed_size;
    } else if (fmt && !strcmp(fmt, "gzip")) {
        uint32_t isize;
        rc = gzip_probe(p, len, &isize, err);
        if (rc)
            return rc;
        info->kind = bz ? KERNEL_BZIMAGE_GZIP : KERNEL_GZIP;
        info->format = bz ? "bzImage (gzip)" : "gzip";
        info->uncompressed_size = isize;
    } else if (fmt) {
        return build_err_set(err, -XEN_EOPNOTSUPP,
                             "unsupported compression: %s (xz and gzip are supported)", fmt);
    } else if (bz) {
        return build_err_set(err, -XEN_EOPNOTSUPP,
                             "unknown bzImage payload format (starts %x %x %x %x)", p[0], p[1],
                             p[2], p[3]);
    } else {
        return build_err_set(err, -XEN_ENOEXEC, "not an ELF, bzImage, gzip or XZ kernel image");
    }
    return check_size(info->uncompressed_size, err);
}

/* Identify a kernel image and find its uncompressed size; see bzimage.h. */
int kernel_image_probe(const void *img, size_t len, struct kernel_image_info *out,
                       struct build_err *err)
{
    const uint8_t *p = img;

    memset(out, 0, sizeof(*out));
    if (len >= 4 && p[0] == 0x7F && p[1] == 'E' && p[2] == 'L' && p[3] == 'F') {
        out->kind = KERNEL_ELF;
        out->format = "ELF";
        out->payload_len = len;
        out->uncompressed_size = len;
        return 0;
    }
    if (len >= BZ_HEADER_END && le16(p + BZ_BOOT_FLAG) == 0xAA55 &&
        !memcmp(p + BZ_HEADER, "HdrS", 4)) {
        uint16_t version = le16(p + BZ_VERSION);
        uint64_t setup = (uint64_t)((p[BZ_SETUP_SECTS] ? p[BZ_SETUP_SECTS] : 4) + 1) * BZ_SECTOR;
        uint64_t start = setup + le32(p + BZ_PAYLOAD_OFFSET);
        uint64_t plen = le32(p + BZ_PAYLOAD_LENGTH);

        out->boot_version = version;
        if (version < BZ_MIN_VERSION)
            return build_err_set(err, -XEN_EOPNOTSUPP,
                                 "bzImage boot protocol %u.%u is too old (the payload fields "
                                 "need 2.08)",
                                 version >> 8, version & 0xff);
        if (start > len || plen > len - start)
            return build_err_set(err, -XEN_EINVAL,
                                 "truncated bzImage payload (it ends at byte %lu, the image has "
                                 "%lu)",
                                 (unsigned long)(start + plen), (unsigned long)len);
        if (plen < 16)
            return build_err_set(err, -XEN_EINVAL, "bzImage payload too short (%lu bytes)",
                                 (unsigned long)plen);
        out->payload_off = (size_t)start;
        out->payload_len = (size_t)plen;
        return probe_payload(p + start, (size_t)plen, true, out, err);
    }
    out->payload_len = len;
    return probe_payload(p, len, false, out, err);
}

/* Decompress a compressed kernel image into out; see bzimage.h. */
int kernel_image_decompress(const void *img, size_t len, void *out, size_t out_len,
                            struct build_err *err)
{
    const uint8_t *p = img;
    struct kernel_image_info info;
    int rc = kernel_image_probe(img, len, &info, err);

    if (rc)
        return rc;
    if (info.kind == KERNEL_ELF)
        return build_err_set(err, -XEN_EINVAL, "ELF kernel image is not compressed");
    if (out_len < info.uncompressed_size)
        return build_err_set(err, -XEN_ENOSPC,
                             "kernel needs %lu bytes uncompressed, the buffer has %lu",
                             (unsigned long)info.uncompressed_size, (unsigned long)out_len);
    switch (info.kind) {
    case KERNEL_BZIMAGE_XZ:
        return xz_decode(p + info.payload_off, info.payload_len - 4, out,
                         (size_t)info.uncompressed_size, err);
    case KERNEL_XZ:
        return xz_decode(p, len, out, (size_t)info.uncompressed_size, err);
    default:
        return gzip_decode(p + info.payload_off, info.payload_len, out,
                           (size_t)info.uncompressed_size, err);
    }
}
