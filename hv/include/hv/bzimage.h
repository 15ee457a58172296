/* dom0 kernel images: tell ELF, bzImage (XZ or gzip payload), gzip and XZ apart; unpack them. */
#ifndef HV_BZIMAGE_H
#define HV_BZIMAGE_H

#include <hv/types.h>
#include <hv/libelf.h> /* struct build_err */

enum kernel_kind {
    KERNEL_ELF,          /* an ELF file: used as it is */
    KERNEL_BZIMAGE_XZ,   /* x86 bzImage whose payload is XZ (Debian's vmlinuz) */
    KERNEL_BZIMAGE_GZIP, /* x86 bzImage whose payload is gzip */
    KERNEL_GZIP,         /* a gzip file, e.g. vmlinux.gz */
    KERNEL_XZ,           /* an XZ file, e.g. vmlinux.xz */
};

/* Largest uncompressed kernel accepted (a claim above it is treated as corrupt). */
#define KERNEL_MAX_UNCOMPRESSED (1ULL << 30)

struct kernel_image_info {
    enum kernel_kind kind;
    const char *format;         /* for messages: "ELF", "bzImage (XZ)", "gzip", ... */
    uint16_t boot_version;      /* bzImage boot protocol, e.g. 0x020F for 2.15; else 0 */
    size_t payload_off;         /* compressed data: offset in the image ... */
    size_t payload_len;         /* ... and length (the whole image for ELF and raw formats) */
    uint64_t uncompressed_size; /* what decompression yields (ELF: the image length) */
};

/*
 * Identify the kernel image [img, img + len): ELF (magic 7F 'E' 'L' 'F'), bzImage (boot flag
 * 0xAA55 at 0x1FE, "HdrS" at 0x202, boot protocol 2.08 or later for the payload fields) with an
 * XZ or gzip payload, or a raw gzip or XZ file. For compressed images it finds the payload, checks
 * its container headers (XZ: header, footer and index) and learns the uncompressed size (bzImage:
 * its 4-byte size trailer, cross-checked with the XZ index; gzip: ISIZE). Returns 0 and fills
 * *out, or a negative XEN_E* code with err set: "truncated bzImage payload ...", "unsupported
 * compression: zstd", "not an ELF, bzImage, gzip or XZ kernel image", ...
 */
int kernel_image_probe(const void *img, size_t len, struct kernel_image_info *out,
                       struct build_err *err);

/*
 * Decompress the compressed kernel image [img, img + len) into out, which has out_len bytes of
 * room and must hold the uncompressed size kernel_image_probe reported; exactly that many bytes
 * are written. Every check of the format is verified. Returns 0, or a negative XEN_E* code with
 * err set (out is then unspecified). An ELF image is refused: it needs no decompression.
 */
int kernel_image_decompress(const void *img, size_t len, void *out, size_t out_len,
                            struct build_err *err);

#endif
