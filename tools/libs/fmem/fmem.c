/* xfmem: map other domains' frames and resources into this process through privcmd. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <xenolith/call.h>
#include <xenolith/fmem.h>

#include "fmem/privcmd_map.h"

#define PAGE 4096UL

_Static_assert(sizeof(struct privcmd_mmapbatch_v2) == 32, "MMAPBATCH_V2 layout");
_Static_assert(sizeof(struct privcmd_mmap_resource) == 32, "MMAP_RESOURCE layout");

/* A privcmd VMA of n pages (the ioctls then fill it); NULL with errno. */
static void *reserve(struct xcall *xc, size_t n, int prot)
{
    void *p;

    if (!n || n > SIZE_MAX / PAGE) {
        errno = EINVAL;
        return NULL;
    }
    p = mmap(NULL, n * PAGE, prot, MAP_SHARED, xcall_fd(xc), 0);
    return p == MAP_FAILED ? NULL : p;
}

void *xfmem_map(struct xcall *xc, uint32_t domid, int prot, size_t n, const uint64_t *gfns,
                int *errs)
{
    int *e = errs ? errs : calloc(n ? n : 1, sizeof(*e));
    struct privcmd_mmapbatch_v2 m = {.num = (uint32_t)n, .dom = (uint16_t)domid, .arr = gfns};
    void *p;
    int rc, first = 0;

    if (!e)
        return NULL;
    if (n > UINT32_MAX) {
        errno = E2BIG;
        p = NULL;
        goto out;
    }
    p = reserve(xc, n, prot);
    if (!p)
        goto out;
    m.addr = (uint64_t)(uintptr_t)p;
    m.err = e;
    /* -ENOENT means "some frames failed" (reported per frame); other errors are global. */
    rc = ioctl(xcall_fd(xc), IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
    if (rc < 0 && errno != ENOENT) {
        first = errno;
    } else {
        for (size_t i = 0; i < n && !first; i++)
            first = -e[i];
        if (errs)
            first = 0; /* the caller reads the per-frame results */
    }
    if (first) {
        munmap(p, n * PAGE);
        p = NULL;
        errno = first;
    }
out:
    if (!errs) {
        int saved = errno;
        free(e);
        errno = saved;
    }
    return p;
}

int xfmem_unmap(void *addr, size_t n)
{
    return munmap(addr, n * PAGE);
}

void *xfmem_map_resource(struct xcall *xc, uint32_t domid, unsigned int type, unsigned int id,
                         unsigned int frame, unsigned int nr, int prot)
{
    struct privcmd_mmap_resource r = {
        .dom = (uint16_t)domid, .type = type, .id = id, .idx = frame, .num = nr};
    void *p = reserve(xc, nr, prot);

    if (!p)
        return NULL;
    r.addr = (uint64_t)(uintptr_t)p;
    if (ioctl(xcall_fd(xc), IOCTL_PRIVCMD_MMAP_RESOURCE, &r) < 0) {
        int e = errno;
        munmap(p, (size_t)nr * PAGE);
        errno = e;
        return NULL;
    }
    return p;
}
