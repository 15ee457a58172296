/* Guest MTRR MSRs per vCPU: reads, checked writes, and the MTRR save record (Xen's rules). */
#include <hv/lib.h>
#include <public/hvm/save.h>
#include <asm/mtrr.h>

#define MSR_MTRR_CAP       0xFE
#define MSR_MTRR_VAR_FIRST 0x200
#define MSR_MTRR_VAR_LAST  (MSR_MTRR_VAR_FIRST + 2 * MTRR_NR_VAR - 1)
#define MSR_MTRR_DEF_TYPE  0x2FF
#define MTRR_CAP_VCNT_MASK 0xFFULL
#define MTRR_CAP_FIX       (1ULL << 8)
#define DEF_TYPE_VALID     0xCFFULL /* type 7:0, fixed-range enable 10, enable 11 */
#define VAR_BASE_RESERVED  0xF00ULL /* bits 11:8 of PHYSBASE */
#define VAR_MASK_RESERVED  0x7FFULL /* bits 10:0 of PHYSMASK (bit 11 = valid) */

_Static_assert(MTRR_NR_VAR == MTRR_VCNT && MTRR_NR_FIXED == NUM_FIXED_MSR, "record layout");

void mtrr_init(struct hvm_mtrr *m, uint64_t def_type)
{
    memset(m, 0, sizeof(*m));
    m->cap = MTRR_CAP_DEFAULT;
    m->def_type = def_type;
}

/* Index into hvm_mtrr.fixed for a fixed-range MSR, or -1. */
static int fixed_index(uint32_t msr)
{
    if (msr == 0x250)
        return 0;
    if (msr == 0x258 || msr == 0x259)
        return (int)(msr - 0x258) + 1;
    if (msr >= 0x268 && msr <= 0x26F)
        return (int)(msr - 0x268) + 3;
    return -1;
}

bool mtrr_is_msr(uint32_t msr)
{
    return msr == MSR_MTRR_CAP || msr == MSR_MTRR_DEF_TYPE ||
           (msr >= MSR_MTRR_VAR_FIRST && msr <= MSR_MTRR_VAR_LAST) || fixed_index(msr) >= 0;
}

/* Memory types an MTRR may hold: UC 0, WC 1, WT 4, WP 5, WB 6. */
static bool mtrr_type_valid(uint8_t t)
{
    return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

bool pat_valid(uint64_t pat)
{
    for (unsigned int i = 0; i < 8; i++) {
        uint8_t t = (uint8_t)(pat >> (8 * i));
        if (t > 7 || t == 2 || t == 3)
            return false;
    }
    return true;
}

static bool def_type_valid(uint64_t v)
{
    return !(v & ~DEF_TYPE_VALID) && mtrr_type_valid((uint8_t)v);
}

static bool fixed_valid(uint64_t v)
{
    for (unsigned int i = 0; i < 8; i++)
        if (!mtrr_type_valid((uint8_t)(v >> (8 * i))))
            return false;
    return true;
}

/* PHYSBASE (even index) or PHYSMASK (odd index) value check for paddr_bits address bits. */
static bool var_valid(unsigned int index, uint64_t v, unsigned int paddr_bits)
{
    uint64_t reserved = paddr_bits >= 64 ? 0 : ~((1ULL << paddr_bits) - 1);

    reserved |= (index & 1) ? VAR_MASK_RESERVED : VAR_BASE_RESERVED;
    return !(v & reserved) && mtrr_type_valid((uint8_t)v);
}

static unsigned int nr_var(const struct hvm_mtrr *m)
{
    return (unsigned int)MIN(m->cap & MTRR_CAP_VCNT_MASK, (uint64_t)MTRR_NR_VAR);
}

int mtrr_msr_read(const struct hvm_mtrr *m, uint32_t msr, uint64_t *val)
{
    int fix = fixed_index(msr);

    if (msr == MSR_MTRR_CAP) {
        *val = m->cap;
    } else if (msr == MSR_MTRR_DEF_TYPE) {
        *val = m->def_type;
    } else if (fix >= 0) {
        if (!(m->cap & MTRR_CAP_FIX))
            return -1;
        *val = m->fixed[fix];
    } else if (msr >= MSR_MTRR_VAR_FIRST && msr <= MSR_MTRR_VAR_LAST) {
        if ((msr - MSR_MTRR_VAR_FIRST) / 2 >= nr_var(m))
            return -1;
        *val = m->var[msr - MSR_MTRR_VAR_FIRST];
    } else {
        return -1;
    }
    return 0;
}

int mtrr_msr_write(struct hvm_mtrr *m, unsigned int paddr_bits, uint32_t msr, uint64_t val)
{
    int fix = fixed_index(msr);

    if (msr == MSR_MTRR_DEF_TYPE) {
        if (!def_type_valid(val))
            return -1;
        m->def_type = val;
    } else if (fix >= 0) {
        if (!(m->cap & MTRR_CAP_FIX) || !fixed_valid(val))
            return -1;
        m->fixed[fix] = val;
    } else if (msr >= MSR_MTRR_VAR_FIRST && msr <= MSR_MTRR_VAR_LAST) {
        unsigned int index = msr - MSR_MTRR_VAR_FIRST;
        if (index / 2 >= nr_var(m) || !var_valid(index, val, paddr_bits))
            return -1;
        m->var[index] = val;
    } else {
        return -1; /* MTRRcap is read-only */
    }
    return 0;
}

const char *mtrr_record_error(const struct hvm_hw_mtrr *r, unsigned int paddr_bits)
{
    unsigned int vcnt = (unsigned int)(r->msr_mtrr_cap & MTRR_CAP_VCNT_MASK);

    if (vcnt > MTRR_NR_VAR)
        return "more variable ranges than MTRR_VCNT";
    if (!def_type_valid(r->msr_mtrr_def_type))
        return "invalid MTRR default type";
    for (unsigned int i = 0; i < MTRR_NR_FIXED; i++)
        if (!fixed_valid(r->msr_mtrr_fixed[i]))
            return "invalid fixed-range MTRR type";
    for (unsigned int i = 0; i < 2 * vcnt; i++)
        if (!var_valid(i, r->msr_mtrr_var[i], paddr_bits))
            return "invalid variable-range MTRR";
    return NULL;
}

void mtrr_record_load(struct hvm_mtrr *m, const struct hvm_hw_mtrr *r)
{
    unsigned int vcnt = (unsigned int)(r->msr_mtrr_cap & MTRR_CAP_VCNT_MASK);

    m->cap = r->msr_mtrr_cap;
    memcpy(m->fixed, r->msr_mtrr_fixed, sizeof(m->fixed));
    /* Ranges beyond the record's VCNT are not part of it (Xen leaves them as they were). */
    for (unsigned int i = 0; i < 2 * vcnt && i < 2 * MTRR_NR_VAR; i++)
        m->var[i] = r->msr_mtrr_var[i];
    m->def_type = r->msr_mtrr_def_type;
}

void mtrr_record_save(const struct hvm_mtrr *m, struct hvm_hw_mtrr *r)
{
    r->msr_mtrr_cap = m->cap;
    r->msr_mtrr_def_type = m->def_type;
    memcpy(r->msr_mtrr_fixed, m->fixed, sizeof(r->msr_mtrr_fixed));
    memcpy(r->msr_mtrr_var, m->var, sizeof(r->msr_mtrr_var));
}
