/* Guest FPU/SSE/AVX state: host CR4 set-up, lazy switching between vCPUs, loading a saved image. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/percpu.h>
#include <asm/smp.h>

#define X86_CR4_OSXSAVE (1ULL << 18)

#define FXSAVE_SIZE       512
#define FXSAVE_FCW        0
#define FXSAVE_MXCSR      24
#define FXSAVE_MXCSR_MASK 28
#define XSAVE_HDR_BV      512 /* XSTATE_BV in the XSAVE header */
#define FCW_RESET         0x37F
#define MXCSR_RESET       0x1F80
#define XSTATE_X87_SSE    3ULL

static bool have_xsave;
static uint32_t xsave_size = 512 + 64; /* legacy area + header, enough for FXSAVE */
static uint32_t mxcsr_mask = 0xFFBF;   /* MXCSR bits FXRSTOR accepts (CPU's value at boot) */

static inline uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static inline void xsetbv0(uint64_t v)
{
    __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Read the MXCSR mask FXSAVE reports (0 means the architectural default 0xFFBF). */
static void probe_mxcsr_mask(void)
{
    static uint8_t img[FXSAVE_SIZE] __attribute__((aligned(16)));
    uint32_t mask;

    memset(img, 0, sizeof(img));
    __asm__ volatile("fxsave64 %0" : "=m"(img));
    memcpy(&mask, img + FXSAVE_MXCSR_MASK, sizeof(mask));
    if (mask)
        mxcsr_mask = mask;
}

/* Per-CPU control-register set-up (FXSR/XSAVE for guest FPU switching). */
void cpu_features_init(void)
{
    struct cpuid_regs r;
    uint64_t cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    cpuid_count(1, 0, &r);
    have_xsave = (r.ecx >> 26) & 1;
    if (have_xsave) {
        cr4 |= X86_CR4_OSXSAVE;
        write_cr4(cr4);
        cpuid_count(0xD, 0, &r);
        xsave_size = MAX(r.ecx, xsave_size); /* all supported components */
    } else {
        write_cr4(cr4);
    }
    probe_mxcsr_mask();
}

/* Page order of a vCPU's FPU save area. */
unsigned int fpu_area_order(void)
{
    unsigned int order = 0;
    while ((PAGE_SIZE << order) < xsave_size)
        order++;
    return order;
}

/* Reset values in a zeroed save area: FCW and MXCSR (XSTATE_BV 0 = every component at init). */
static void reset_image(uint8_t *area)
{
    uint16_t fcw = FCW_RESET;
    uint32_t mxcsr = MXCSR_RESET;

    memcpy(area + FXSAVE_FCW, &fcw, sizeof(fcw));
    memcpy(area + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}

/* Give v a zeroed save area (the architectural initial state once restored); 0 or -1. */
int fpu_vcpu_init(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_of(v);
    unsigned int order = fpu_area_order();

    h->fpu_area = alloc_page_zeroed();
    if (order) {
        free_pages(h->fpu_area, 0);
        h->fpu_area = alloc_pages(order);
        if (h->fpu_area)
            memset(h->fpu_area, 0, PAGE_SIZE << order);
    }
    if (!h->fpu_area)
        return -1;
    reset_image(h->fpu_area);
    h->xcr0 = 1;
    spin_lock_init(&h->fpu_lock);
    h->fpu_reload = false;
    h->fpu_used = false;
    return 0;
}

static void save(struct hvm_vcpu *h)
{
    if (have_xsave) {
        h->xcr0 = xgetbv0();
        __asm__ volatile("xsave64 (%0)" : : "r"(h->fpu_area), "a"(~0u), "d"(~0u) : "memory");
    } else {
        __asm__ volatile("fxsave64 (%0)" : : "r"(h->fpu_area) : "memory");
    }
}

static void restore(struct hvm_vcpu *h)
{
    if (have_xsave) {
        xsetbv0(h->xcr0);
        __asm__ volatile("xrstor64 (%0)" : : "r"(h->fpu_area), "a"(~0u), "d"(~0u) : "memory");
    } else {
        __asm__ volatile("fxrstor64 (%0)" : : "r"(h->fpu_area) : "memory");
    }
}

/* Make this pCPU's FPU/SSE/AVX registers (and XCR0) hold v's state before v runs. */
void fpu_switch_to(struct vcpu *v)
{
    struct percpu *pc = this_cpu();
    struct vcpu *owner = pc->fpu_owner;
    struct hvm_vcpu *h = hvm_of(v);

    if (owner == v && !__atomic_load_n(&h->fpu_reload, __ATOMIC_ACQUIRE))
        return;
    if (owner && owner != v && owner->hvm) {
        struct hvm_vcpu *oh = hvm_of(owner);

        /* A loaded image is newer than what the registers hold: keep it. */
        spin_lock(&oh->fpu_lock);
        if (!oh->fpu_reload)
            save(oh);
        spin_unlock(&oh->fpu_lock);
    }
    spin_lock(&h->fpu_lock);
    restore(h);
    h->fpu_reload = false;
    h->fpu_used = true;
    spin_unlock(&h->fpu_lock);
    pc->fpu_owner = v;
}

/* Copy v's saved x87/SSE state (FXSAVE layout) to out; false if v never ran with one. */
bool fpu_get_legacy(struct vcpu *v, uint8_t out[512])
{
    struct hvm_vcpu *h = hvm_of(v);
    bool used;

    spin_lock(&h->fpu_lock);
    memcpy(out, h->fpu_area, FXSAVE_SIZE);
    used = h->fpu_used;
    spin_unlock(&h->fpu_lock);
    return used;
}

/* Can an FXSAVE image be restored without faulting (MXCSR reserved bits clear)? */
bool fpu_legacy_valid(const uint8_t *in)
{
    uint32_t mxcsr;

    memcpy(&mxcsr, in + FXSAVE_MXCSR, sizeof(mxcsr));
    return !(mxcsr & ~mxcsr_mask);
}

/* Replace v's FPU state by the FXSAVE image in (checked by fpu_legacy_valid; the other XSAVE
 * components reset), or by the reset state if in is NULL. */
void fpu_set_legacy(struct vcpu *v, const uint8_t *in)
{
    struct hvm_vcpu *h = hvm_of(v);
    uint8_t *area = h->fpu_area;

    spin_lock(&h->fpu_lock);
    memset(area, 0, have_xsave ? xsave_size : FXSAVE_SIZE);
    if (in) {
        uint64_t bv = XSTATE_X87_SSE;

        memcpy(area, in, FXSAVE_SIZE);
        if (have_xsave)
            memcpy(area + XSAVE_HDR_BV, &bv, sizeof(bv));
    } else {
        reset_image(area);
    }
    h->fpu_used = in != NULL;
    /* Whichever pCPU still holds v's old registers must neither save nor keep them. */
    __atomic_store_n(&h->fpu_reload, true, __ATOMIC_RELEASE);
    spin_unlock(&h->fpu_lock);
}

/* v leaves this pCPU: if the registers hold its FPU state, save it to v's area and forget it. */
void fpu_release(struct vcpu *v)
{
    struct percpu *pc = this_cpu();
    struct hvm_vcpu *h = hvm_of(v);

    if (pc->fpu_owner != v)
        return;
    /* A loaded image (fpu_reload) is newer than what the registers hold: keep it. */
    spin_lock(&h->fpu_lock);
    if (!h->fpu_reload)
        save(h);
    spin_unlock(&h->fpu_lock);
    pc->fpu_owner = NULL;
}
