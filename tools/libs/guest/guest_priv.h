/* xguest internals: the backend the builder drives, kernel loading, tracing and error text. */
#ifndef XTOOLS_GUEST_PRIV_H
#define XTOOLS_GUEST_PRIV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <xenolith/guest.h>
#include <public/hvm/e820.h>

/* A piece of a guest write: len bytes from src into frame gfn at offset off (off + len <= 4 KiB).
 */
struct xguest_piece {
    const void *src;
    uint64_t gfn;
    uint16_t off, len;
};

/*
 * What the builder needs from the hypervisor for one domain. The real backend (backend_xen.c)
 * issues hypercalls and privcmd mappings; host tests plug in an in-memory domain. Every call
 * returns as documented, or -1 / NULL with errno set.
 */
struct xguest_backend {
    void *ctx;
    /* XENMEM_populate_physmap of nr extents of 2^order frames at gfns[]: extents done. */
    long (*populate)(void *ctx, unsigned int order, size_t nr, const uint64_t *gfns);
    /*
     * Copy the n pieces into the domain's populated frames, in order; 0, or -1 with errno and
     * *bad = the index of a piece that failed. The sources are valid only during the call.
     */
    int (*write)(void *ctx, const struct xguest_piece *p, size_t n, size_t *bad);
    /* Release whatever write set up (after the last write of a build; may be NULL). */
    void (*write_done)(void *ctx);
    /* XENMEM_set_memory_map. */
    int (*set_memory_map)(void *ctx, const struct e820entry *e820, unsigned int nr);
    /* HVMOP_set_param. */
    int (*set_param)(void *ctx, uint32_t index, uint64_t value);
    /* XEN_DOMCTL_gethvmcontext (buf NULL: the size) and sethvmcontext. */
    long (*hvmcontext_get)(void *ctx, void *buf, size_t len);
    int (*hvmcontext_set)(void *ctx, const void *buf, size_t len);
    /* Frame 0 of the domain's grant table, mapped read/write; and its unmap. */
    void *(*map_grant_table)(void *ctx);
    int (*unmap_grant_table)(void *ctx, void *addr);
    /* Host memory not yet given to any domain, in KiB (for "memory: need ..." messages). */
    int (*free_kb)(void *ctx, uint64_t *kb);
};

/* xguest_build_pvh over any backend (domid only names the domain in messages). */
int xguest_build_backend(const struct xguest_backend *b, uint32_t domid,
                         const struct xguest_params *p, struct xguest_result *r, char *err,
                         size_t errlen);

/* An ELF kernel image in memory: the file itself, a cached or a freshly decompressed copy. */
struct xguest_kernel {
    const void *elf;
    size_t len;
    void *map; /* munmap(map, map_len) when done (file or cache mapping), or NULL */
    size_t map_len;
    void *heap;     /* free(heap) when done (decompressed here), or NULL */
    int from_cache; /* 1 when the image came from the decompressed-kernel cache */
    /* Bit i set: bytes [4 KiB * i, 4 KiB * (i + 1)) of elf are all zero; or NULL (unknown). */
    const uint64_t *zero_map;
    uint64_t *zero_heap; /* free(zero_heap) when done, or NULL */
};

/* Words of a zero map for len bytes. */
#define XGUEST_ZMAP_WORDS(len) (((len) + 4096 * 64 - 1) / (4096 * 64))
/* The zero map of p[0..len) (XGUEST_ZMAP_WORDS(len) words, malloc'd), or NULL. */
uint64_t *xguest_zero_map(const void *p, size_t len);
/* 1 if p[0..n) is all zero bytes. */
int xguest_all_zero(const void *p, size_t n);

/*
 * Load path as an ELF kernel: an ELF file is mapped as it is; a bzImage / gzip / XZ image is
 * decompressed, through the cache of decompressed kernels (kcache.c). 0, or -1 with errno and a
 * one-line reason in err.
 */
int xguest_kernel_load(const char *path, struct xguest_kernel *k, char *err, size_t errlen);
/* Map a module file (ramdisk) read-only: 0, or -1 with errno and "<what> <path>: why" in err. */
int xguest_map_module(const char *what, const char *path, void **map, size_t *len, char *err,
                      size_t errlen);
/* Release what xguest_kernel_load holds (k may be zeroed). */
void xguest_kernel_free(struct xguest_kernel *k);

/*
 * Decompressed-kernel cache in $XGUEST_KERNEL_CACHE (unset: /var/cache/xenolith; empty: off),
 * one file per kernel, keyed by path, device, inode, size, mtime and ctime of the original,
 * all verified on every hit. Best effort: failures only mean a miss.
 */
/* Map the cached ELF for the kernel open on fd (stat st); 0 and *k filled, or -1 on a miss. */
struct stat;
int xguest_kcache_get(const char *path, const struct stat *st, struct xguest_kernel *k);
/* Store elf[0..len) and its zero map as the decompressed form of path (stat st); failures are
 * ignored. */
void xguest_kcache_put(const char *path, const struct stat *st, const void *elf, size_t len,
                       const uint64_t *zero_map);

/*
 * Set the MTRR default type of vCPUs 0..nr_vcpus-1 to write-back (where the hypervisor has MTRR
 * records), then load vCPU 0's PVH entry state (RIP entry, RBX start_info); 0, or -1 with errno
 * and err.
 */
int xguest_set_boot_vcpu(const struct xguest_backend *b, unsigned int nr_vcpus, uint64_t entry,
                         uint64_t start_info, char *err, size_t errlen);

/* Phase timing on stderr when XGUEST_TRACE is set: start a clock, then report phases. */
void xguest_trace_start(void);
/* Report the time since the last report (or start) under name. */
void xguest_trace(const char *name);
/* printf-style trace line (only when XGUEST_TRACE is set). */
void xguest_tracef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Format a one-line reason into err (errlen bytes), set errno = e, return -1. */
int xguest_fail(char *err, size_t errlen, int e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
