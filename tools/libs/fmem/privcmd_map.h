/* Linux privcmd foreign-mapping ioctls: MMAPBATCH_V2 and MMAP_RESOURCE (dom0-toolstack.md §2.2). */
#ifndef XTOOLS_PRIVCMD_MAP_H
#define XTOOLS_PRIVCMD_MAP_H

#include <stdint.h>

#include "call/call_priv.h"

struct privcmd_mmapbatch_v2 {
    uint32_t num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};

struct privcmd_mmap_resource {
    uint16_t dom;
    uint32_t type;
    uint32_t id;
    uint32_t idx;
    uint64_t num;
    uint64_t addr;
};

#define IOCTL_PRIVCMD_MMAPBATCH_V2  XTOOLS_IOC('P', 4, sizeof(struct privcmd_mmapbatch_v2))
#define IOCTL_PRIVCMD_MMAP_RESOURCE XTOOLS_IOC('P', 7, sizeof(struct privcmd_mmap_resource))

#endif
