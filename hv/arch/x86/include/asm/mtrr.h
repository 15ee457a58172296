/* A vCPU's MTRR MSRs (capabilities, default type, variable and fixed ranges) and PAT checks. */
#ifndef ASM_MTRR_H
#define ASM_MTRR_H

#include <hv/types.h>

struct hvm_hw_mtrr;

#define MTRR_NR_VAR   8  /* variable ranges offered (MTRRcap.VCNT) */
#define MTRR_NR_FIXED 11 /* fixed-range MSRs */
/* MTRRcap a guest sees: 8 variable ranges, fixed ranges (bit 8), write-combining (bit 10). */
#define MTRR_CAP_DEFAULT 0x508ULL
/* IA32_PAT at reset: WB, WT, UC-, UC repeated. */
#define PAT_RESET 0x0007040600070406ULL

struct hvm_mtrr {
    uint64_t cap;                  /* IA32_MTRRCAP */
    uint64_t def_type;             /* IA32_MTRR_DEF_TYPE */
    uint64_t var[2 * MTRR_NR_VAR]; /* PHYSBASE0, PHYSMASK0, ... */
    uint64_t fixed[MTRR_NR_FIXED]; /* 0x250, 0x258, 0x259, 0x268..0x26F */
};

/* Power-on MTRR state with the given default-type MSR value (0: MTRRs off, as Xen's domUs). */
void mtrr_init(struct hvm_mtrr *m, uint64_t def_type);
/* Is msr one of the MTRR MSRs (cap, default type, variable or fixed ranges)? */
bool mtrr_is_msr(uint32_t msr);
/* RDMSR of an MTRR MSR: 0 and *val, or -1 for #GP (range not offered). */
int mtrr_msr_read(const struct hvm_mtrr *m, uint32_t msr, uint64_t *val);
/* WRMSR of an MTRR MSR with paddr_bits guest physical address bits: 0, or -1 for #GP
 * (read-only MSR, invalid memory type, reserved bits); m is unchanged on -1. */
int mtrr_msr_write(struct hvm_mtrr *m, unsigned int paddr_bits, uint32_t msr, uint64_t val);
/* Is every entry of a PAT value a valid memory type (UC, WC, WT, WP, WB, UC-)? */
bool pat_valid(uint64_t pat);
/* Check an MTRR save record's MTRR fields (PAT is the caller's): NULL, or what is wrong. */
const char *mtrr_record_error(const struct hvm_hw_mtrr *r, unsigned int paddr_bits);
/* Load a checked MTRR save record's MTRR fields into m. */
void mtrr_record_load(struct hvm_mtrr *m, const struct hvm_hw_mtrr *r);
/* Fill an MTRR save record's MTRR fields from m (msr_pat_cr is left to the caller). */
void mtrr_record_save(const struct hvm_mtrr *m, struct hvm_hw_mtrr *r);

#endif
