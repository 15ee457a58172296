/* xguest: load a kernel file as an ELF image (mapped as is, or decompressed through the cache). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hv/bzimage.h>

#include "guest/guest_priv.h"

void xguest_kernel_free(struct xguest_kernel *k)
{
    int e = errno;

    if (k->map)
        munmap(k->map, k->map_len);
    free(k->heap);
    free(k->zero_heap);
    memset(k, 0, sizeof(*k));
    errno = e;
}

/* Open and map path read-only; 0, or -1 with errno and err set ("<what> <path>: reason"). */
static int map_file(const char *what, const char *path, void **map, size_t *len, struct stat *st,
                    char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int e;

    if (fd < 0)
        return xguest_fail(err, errlen, errno, "%s %s: %s", what, path, strerror(errno));
    if (fstat(fd, st)) {
        e = errno;
        close(fd);
        return xguest_fail(err, errlen, e, "%s %s: %s", what, path, strerror(e));
    }
    if (!S_ISREG(st->st_mode) || st->st_size == 0) {
        close(fd);
        return xguest_fail(err, errlen, EINVAL, "%s %s: %s", what, path,
                           S_ISREG(st->st_mode) ? "empty file" : "not a regular file");
    }
    *len = (size_t)st->st_size;
    *map = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    e = errno;
    close(fd);
    if (*map == MAP_FAILED) {
        *map = NULL;
        return xguest_fail(err, errlen, e, "%s %s: %s", what, path, strerror(e));
    }
    return 0;
}

int xguest_all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t w;

    for (; n && ((uintptr_t)b & 7); n--, b++)
        if (*b)
            return 0;
    for (; n >= 8; n -= 8, b += 8) {
        memcpy(&w, b, 8);
        if (w)
            return 0;
    }
    for (; n; n--, b++)
        if (*b)
            return 0;
    return 1;
}

uint64_t *xguest_zero_map(const void *p, size_t len)
{
    uint64_t *map = calloc(XGUEST_ZMAP_WORDS(len) ? XGUEST_ZMAP_WORDS(len) : 1, sizeof(*map));

    for (size_t off = 0, i = 0; map && off < len; off += 4096, i++)
        if (xguest_all_zero((const uint8_t *)p + off, len - off < 4096 ? len - off : 4096))
            map[i / 64] |= 1ULL << (i % 64);
    return map;
}

/* Map a ramdisk (or any boot module) file read-only: like the kernel, minus the formats. */
int xguest_map_module(const char *what, const char *path, void **map, size_t *len, char *err,
                      size_t errlen)
{
    struct stat st;

    return map_file(what, path, map, len, &st, err, errlen);
}

int xguest_kernel_load(const char *path, struct xguest_kernel *k, char *err, size_t errlen)
{
    struct kernel_image_info info;
    struct build_err be = {0};
    struct stat st;
    void *img, *out;
    size_t len;

    memset(k, 0, sizeof(*k));
    if (map_file("kernel", path, &img, &len, &st, err, errlen))
        return -1;
    if (kernel_image_probe(img, len, &info, &be)) {
        munmap(img, len);
        return xguest_fail(err, errlen, -be.code, "kernel %s: %s", path, be.msg);
    }
    if (info.kind == KERNEL_ELF) {
        k->elf = k->map = img;
        k->len = k->map_len = len;
        return 0;
    }
    if (xguest_kcache_get(path, &st, k) == 0) {
        munmap(img, len);
        xguest_tracef("kernel %s: decompressed copy from the cache", path);
        return 0;
    }
    out = malloc((size_t)info.uncompressed_size);
    if (!out) {
        munmap(img, len);
        return xguest_fail(err, errlen, ENOMEM, "kernel %s: no memory to decompress %llu bytes",
                           path, (unsigned long long)info.uncompressed_size);
    }
    if (kernel_image_decompress(img, len, out, (size_t)info.uncompressed_size, &be)) {
        free(out);
        munmap(img, len);
        return xguest_fail(err, errlen, -be.code, "kernel %s: %s: %s", path, info.format, be.msg);
    }
    munmap(img, len);
    k->elf = k->heap = out;
    k->len = (size_t)info.uncompressed_size;
    k->zero_map = k->zero_heap = xguest_zero_map(out, k->len);
    xguest_trace("decompress");
    if (k->zero_map)
        xguest_kcache_put(path, &st, out, k->len, k->zero_map);
    return 0;
}
