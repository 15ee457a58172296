/* xgnttab: map, unmap and copy other domains' grants through /dev/xen/gntdev. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenolith/gnttab.h>
#include <public/grant_table.h>

#include "gnttab/gntdev_ioctl.h"

#define GNTDEV "/dev/xen/gntdev"
#define PAGE   4096UL

_Static_assert(sizeof(struct gntdev_map_grant_ref) == 24, "MAP_GRANT_REF layout");
_Static_assert(sizeof(struct gntdev_grant_copy_segment) == 24, "GRANT_COPY segment layout");
_Static_assert(sizeof(struct gntdev_grant_copy) == 16, "GRANT_COPY layout");

struct xgnttab {
    int fd; /* first: see xtools_handle_open */
};

struct xgnttab *xgnttab_open(void)
{
    return xtools_handle_open(GNTDEV, sizeof(struct xgnttab));
}

void xgnttab_close(struct xgnttab *xg)
{
    xtools_handle_close(xg);
}

void *xgnttab_map(struct xgnttab *xg, uint32_t domid, uint32_t ref, int prot)
{
    struct gntdev_map_grant_ref m = {.count = 1, .refs = {{domid, ref}}};
    void *p;

    if (ioctl(xg->fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0)
        return NULL;
    /* The hypervisor mapping happens here: mmap at the offset the driver handed out. */
    p = mmap(NULL, PAGE, prot, MAP_SHARED, xg->fd, (off_t)m.index);
    if (p == MAP_FAILED) {
        int e = errno;
        struct gntdev_unmap_grant_ref u = {.index = m.index, .count = 1};
        ioctl(xg->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
        errno = e;
        return NULL;
    }
    return p;
}

int xgnttab_unmap(struct xgnttab *xg, void *addr, unsigned int count)
{
    struct gntdev_get_offset_for_vaddr g = {.vaddr = (uint64_t)(uintptr_t)addr};
    struct gntdev_unmap_grant_ref u;

    if (!addr || !count) {
        errno = EINVAL;
        return -1;
    }
    if (ioctl(xg->fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &g) < 0)
        return -1;
    if (g.count != count) {
        errno = EINVAL;
        return -1;
    }
    if (munmap(addr, (size_t)count * PAGE))
        return -1;
    u = (struct gntdev_unmap_grant_ref){.index = g.offset, .count = count};
    return ioctl(xg->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) < 0 ? -1 : 0;
}

int xgnttab_status_errno(int status)
{
    switch (status) {
    case GNTST_okay:
        return 0;
    case GNTST_bad_domain:
        return ESRCH;
    case GNTST_bad_gntref:
    case GNTST_bad_handle:
    case GNTST_bad_copy_arg:
        return EINVAL;
    case GNTST_bad_virt_addr:
    case GNTST_bad_dev_addr:
    case GNTST_address_too_big:
        return EFAULT;
    case GNTST_permission_denied:
        return EPERM;
    case GNTST_eagain:
        return EAGAIN;
    case GNTST_no_device_space:
    case GNTST_no_space:
        return ENOSPC;
    default:
        return EIO;
    }
}

static int copy(struct xgnttab *xg, struct gntdev_grant_copy_segment *seg)
{
    struct gntdev_grant_copy c = {.count = 1, .segments = seg};
    int e;

    if (seg->len == 0)
        return 0;
    if ((size_t)seg->len + (seg->flags & GNTCOPY_source_gref ? seg->source.foreign.offset
                                                             : seg->dest.foreign.offset) >
        PAGE) {
        errno = EINVAL; /* a grant copy never crosses the granted page */
        return -1;
    }
    if (ioctl(xg->fd, IOCTL_GNTDEV_GRANT_COPY, &c) < 0)
        return -1;
    e = xgnttab_status_errno(seg->status);
    if (e) {
        errno = e;
        return -1;
    }
    return 0;
}

int xgnttab_copy_from(struct xgnttab *xg, uint32_t domid, uint32_t ref, uint16_t offset, void *buf,
                      uint16_t len)
{
    struct gntdev_grant_copy_segment s = {.len = len, .flags = GNTCOPY_source_gref};

    s.source.foreign.ref = ref;
    s.source.foreign.offset = offset;
    s.source.foreign.domid = (uint16_t)domid;
    s.dest.virt = buf;
    return copy(xg, &s);
}

int xgnttab_copy_to(struct xgnttab *xg, uint32_t domid, uint32_t ref, uint16_t offset,
                    const void *buf, uint16_t len)
{
    struct gntdev_grant_copy_segment s = {.len = len, .flags = GNTCOPY_dest_gref};

    s.source.virt = (void *)(uintptr_t)buf;
    s.dest.foreign.ref = ref;
    s.dest.foreign.offset = offset;
    s.dest.foreign.domid = (uint16_t)domid;
    return copy(xg, &s);
}

/* Segments per GRANT_COPY ioctl in a batch (Linux issues the hypercalls 16 at a time). */
#define BATCH_SEGS 512

int xgnttab_copy_to_batch(struct xgnttab *xg, uint32_t domid, const struct xgnttab_write *w,
                          size_t n, size_t *bad)
{
    struct gntdev_grant_copy_segment *seg =
        calloc(n < BATCH_SEGS ? (n ? n : 1) : BATCH_SEGS, sizeof(*seg));
    int rc = 0;

    if (!seg)
        return -1;
    for (size_t done = 0; done < n && !rc;) {
        size_t k = n - done < BATCH_SEGS ? n - done : BATCH_SEGS;
        struct gntdev_grant_copy c = {.count = (uint32_t)k, .segments = seg};

        for (size_t i = 0; i < k; i++) {
            const struct xgnttab_write *x = &w[done + i];

            if ((size_t)x->offset + x->len > PAGE) {
                errno = EINVAL; /* a grant copy never crosses the granted page */
                rc = -1;
                if (bad)
                    *bad = done + i;
                break;
            }
            seg[i] = (struct gntdev_grant_copy_segment){.len = x->len, .flags = GNTCOPY_dest_gref};
            seg[i].source.virt = (void *)(uintptr_t)x->buf;
            seg[i].dest.foreign.ref = x->ref;
            seg[i].dest.foreign.offset = x->offset;
            seg[i].dest.foreign.domid = (uint16_t)domid;
        }
        if (!rc && ioctl(xg->fd, IOCTL_GNTDEV_GRANT_COPY, &c) < 0) {
            rc = -1;
            if (bad)
                *bad = done;
        }
        for (size_t i = 0; i < k && !rc; i++) {
            int e = xgnttab_status_errno(seg[i].status);

            if (e) {
                errno = e;
                rc = -1;
                if (bad)
                    *bad = done + i;
            }
        }
        done += k;
    }
    int e = errno;

    free(seg);
    errno = e;
    return rc;
}
