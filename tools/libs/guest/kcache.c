/* xguest: the cache of decompressed kernels (one verified file per kernel, best effort): header,
 * the ELF, then its zero map (which 4 KiB pages are all zero, so loads skip them unread). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest/guest_priv.h"

#define DEFAULT_DIR "/var/cache/xenolith"
#define MAGIC       "XNLTKC02"
#define DATA_OFF    4096 /* the ELF starts page aligned, so it is mapped in place */

/* Where the zero map of an ELF of len bytes starts, and the file's whole size. */
#define ZMAP_OFF(len)  (DATA_OFF + (((len) + 7) & ~(uint64_t)7))
#define FILE_SIZE(len) (ZMAP_OFF(len) + XGUEST_ZMAP_WORDS(len) * 8)

/* File header: the key of the original kernel, then its path, then zeros up to DATA_OFF. */
struct kc_hdr {
    char magic[8];
    uint64_t dev, ino, size;
    int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
    uint64_t elf_len;
    uint32_t path_len;
    uint32_t pad;
};

static const char *cache_dir(void)
{
    const char *d = getenv("XGUEST_KERNEL_CACHE");

    if (!d)
        return DEFAULT_DIR;
    return *d ? d : NULL;
}

static void make_hdr(struct kc_hdr *h, const char *path, const struct stat *st, uint64_t elf_len)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, MAGIC, sizeof(h->magic));
    h->dev = st->st_dev;
    h->ino = st->st_ino;
    h->size = (uint64_t)st->st_size;
    h->mtime_s = st->st_mtim.tv_sec;
    h->mtime_ns = st->st_mtim.tv_nsec;
    h->ctime_s = st->st_ctim.tv_sec;
    h->ctime_ns = st->st_ctim.tv_nsec;
    h->elf_len = elf_len;
    h->path_len = (uint32_t)strlen(path);
}

/* dir/<FNV-1a of the key>.elf; 0 or -1 (path too long, caching off). */
static int cache_name(char *buf, size_t len, const char *path, const struct stat *st)
{
    const char *dir = cache_dir();
    struct kc_hdr h;
    uint64_t x = 0xcbf29ce484222325ULL;

    if (!dir || strlen(path) > DATA_OFF - sizeof(h))
        return -1;
    make_hdr(&h, path, st, 0);
    for (size_t i = 0; i < sizeof(h); i++)
        x = (x ^ ((const uint8_t *)&h)[i]) * 0x100000001b3ULL;
    for (const char *p = path; *p; p++)
        x = (x ^ (uint8_t)*p) * 0x100000001b3ULL;
    return (size_t)snprintf(buf, len, "%s/%016llx.elf", dir, (unsigned long long)x) < len ? 0 : -1;
}

int xguest_kcache_get(const char *path, const struct stat *st, struct xguest_kernel *k)
{
    char name[4096], want_path[DATA_OFF];
    struct kc_hdr want, got;
    struct stat cst;
    void *m;
    int fd;

    if (cache_name(name, sizeof(name), path, st))
        return -1;
    fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    make_hdr(&want, path, st, 0);
    /* Every part of the key must match, and the file must be exactly header + ELF. */
    if (fstat(fd, &cst) || pread(fd, &got, sizeof(got), 0) != (ssize_t)sizeof(got) ||
        (want.elf_len = got.elf_len, memcmp(&want, &got, sizeof(got))) ||
        got.elf_len >= (uint64_t)cst.st_size || got.elf_len < 4 ||
        (uint64_t)cst.st_size != FILE_SIZE(got.elf_len) ||
        pread(fd, want_path, got.path_len, sizeof(got)) != (ssize_t)got.path_len ||
        memcmp(want_path, path, got.path_len)) {
        close(fd);
        return -1;
    }
    m = mmap(NULL, (size_t)cst.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return -1;
    if (memcmp((char *)m + DATA_OFF, "\177ELF", 4)) {
        munmap(m, (size_t)cst.st_size);
        return -1;
    }
    k->map = m;
    k->map_len = (size_t)cst.st_size;
    k->elf = (char *)m + DATA_OFF;
    k->len = (size_t)got.elf_len;
    k->zero_map = (const uint64_t *)((char *)m + ZMAP_OFF(got.elf_len));
    k->from_cache = 1;
    return 0;
}

/* mkdir -p dir (best effort: failures surface when the file is created). */
static void make_dirs(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);

    if (n >= sizeof(buf))
        return;
    memcpy(buf, dir, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void xguest_kcache_put(const char *path, const struct stat *st, const void *elf, size_t len,
                       const uint64_t *zero_map)
{
    char name[4096], tmp[4200], head[DATA_OFF] = {0}, pad[8] = {0};
    struct kc_hdr h;
    int fd, e = errno;

    if (cache_name(name, sizeof(name), path, st))
        return;
    make_dirs(cache_dir());
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", name, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        xguest_tracef("kernel cache: cannot write %s: %s", tmp, strerror(errno));
        errno = e;
        return;
    }
    make_hdr(&h, path, st, len);
    memcpy(head, &h, sizeof(h));
    memcpy(head + sizeof(h), path, h.path_len);
    /* Written in full and synced before the rename makes it visible: never a partial hit. */
    if (write_all(fd, head, sizeof(head)) || write_all(fd, elf, len) ||
        write_all(fd, pad, (size_t)(ZMAP_OFF(len) - DATA_OFF - len)) ||
        write_all(fd, zero_map, (size_t)XGUEST_ZMAP_WORDS(len) * 8) || fdatasync(fd) || close(fd) ||
        rename(tmp, name)) {
        xguest_tracef("kernel cache: cannot write %s: %s", name, strerror(errno));
        if (fcntl(fd, F_GETFD) >= 0)
            close(fd);
        unlink(tmp);
    } else {
        xguest_tracef("kernel cache: stored %s", name);
    }
    errno = e;
}
