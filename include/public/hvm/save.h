/* HVM save streams (XEN_DOMCTL_{get,set}hvmcontext): record descriptors, typecodes, END. */
#ifndef XENOLITH_PUBLIC_HVM_SAVE_H
#define XENOLITH_PUBLIC_HVM_SAVE_H

/*
 * A stream is a sequence of records, each a descriptor followed by `length` bytes of payload.
 * The first record is HEADER; the stream ends with a descriptor of typecode END (0) and length
 * 0. Payload layouts and typecodes are per architecture (arch-x86/hvm/save.h).
 *
 * Xen's header binds each record type to its typecode and length with a type-system trick
 * (HVM_SAVE_CODE(CPU), HVM_SAVE_LENGTH(CPU)); here the same names expand to plain constants,
 * HVM_SAVE_CODE_<X> and HVM_SAVE_LENGTH_<X>, so they also work from assembler.
 */
#define HVM_SAVE_CODE(x)   HVM_SAVE_CODE_##x
#define HVM_SAVE_LENGTH(x) HVM_SAVE_LENGTH_##x

/* END: typecode 0, empty payload. */
#define HVM_SAVE_CODE_END   0
#define HVM_SAVE_LENGTH_END 0

/* Size of struct hvm_save_descriptor. */
#define HVM_SAVE_DESCRIPTOR_SIZE 8

#ifndef __ASSEMBLY__

#include <stdint.h>

/* The 8-byte record descriptor. */
struct hvm_save_descriptor {
    uint16_t typecode; /* HVM_SAVE_CODE_* */
    uint16_t instance; /* vCPU id for per-vCPU records, 0 otherwise */
    uint32_t length;   /* payload bytes after this descriptor */
};

#endif /* !__ASSEMBLY__ */

#include "../arch-x86/hvm/save.h"

#endif
