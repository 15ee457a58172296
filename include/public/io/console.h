/* PV console shared ring page (struct xencons_interface), used with HVM_PARAM_CONSOLE_PFN/EVTCHN.
 */
#ifndef XENOLITH_PUBLIC_IO_CONSOLE_H
#define XENOLITH_PUBLIC_IO_CONSOLE_H

#ifndef __ASSEMBLY__

#include <stdint.h>

/* Free-running ring indices; reduce with MASK_XENCONS_IDX before indexing. */
typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((XENCONS_RING_IDX)(idx) & (XENCONS_RING_IDX)(sizeof(ring) - 1))

/*
 * in[]: backend -> guest (keyboard input); the backend advances in_prod, the guest in_cons.
 * out[]: guest -> backend (console output); the guest advances out_prod, the backend out_cons.
 */
struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons;
    XENCONS_RING_IDX in_prod;
    XENCONS_RING_IDX out_cons;
    XENCONS_RING_IDX out_prod;
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_IO_CONSOLE_H */
