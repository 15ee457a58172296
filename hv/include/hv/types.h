/* Basic fixed-width types for hypervisor code (freestanding; also builds on the host). */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;

/* Typed frame numbers: machine frames (host physical) and guest frames. */
typedef struct {
    uint64_t m;
} mfn_t;
typedef struct {
    uint64_t g;
} gfn_t;

#define _mfn(x)         ((mfn_t){(x)})
#define _gfn(x)         ((gfn_t){(x)})
#define mfn_x(f)        ((f).m)
#define gfn_x(f)        ((f).g)
#define INVALID_MFN_RAW (~0ULL)
#define INVALID_GFN_RAW (~0ULL)

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#endif
