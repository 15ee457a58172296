/* Linux /dev/xen/gntdev ioctl numbers and argument layouts (dom0-toolstack.md §2.4). */
#ifndef XTOOLS_GNTDEV_IOCTL_H
#define XTOOLS_GNTDEV_IOCTL_H

#include <stdint.h>

#include "call/call_priv.h"

struct gntdev_grant_ref {
    uint32_t domid;
    uint32_t ref;
};

/* MAP_GRANT_REF with one reference (the layout ends in a refs[count] array). */
struct gntdev_map_grant_ref {
    uint32_t count;
    uint32_t pad;
    uint64_t index; /* OUT: mmap offset */
    struct gntdev_grant_ref refs[1];
};

struct gntdev_unmap_grant_ref {
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};

struct gntdev_get_offset_for_vaddr {
    uint64_t vaddr;
    uint64_t offset; /* OUT */
    uint32_t count;  /* OUT */
    uint32_t pad;
};

/* One side of a GRANT_COPY segment: a local address or a (ref, offset, domid) triple. */
union gntdev_copy_ptr {
    void *virt;
    struct {
        uint32_t ref;
        uint16_t offset;
        uint16_t domid;
    } foreign;
};

struct gntdev_grant_copy_segment {
    union gntdev_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags; /* GNTCOPY_source_gref / GNTCOPY_dest_gref */
    int16_t status; /* OUT: GNTST_* */
};

struct gntdev_grant_copy {
    uint32_t count;
    struct gntdev_grant_copy_segment *segments;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF   XTOOLS_IOC('G', 0, sizeof(struct gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF XTOOLS_IOC('G', 1, sizeof(struct gntdev_unmap_grant_ref))
#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR                                                          \
    XTOOLS_IOC('G', 2, sizeof(struct gntdev_get_offset_for_vaddr))
#define IOCTL_GNTDEV_GRANT_COPY XTOOLS_IOC('G', 8, sizeof(struct gntdev_grant_copy))

/* errno for a GNTST_* status of a grant operation (0 for GNTST_okay). */
int xgnttab_status_errno(int status);

#endif
