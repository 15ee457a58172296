/* Guest FPU/SSE/AVX state: host CR4 set-up, and switching the state when a pCPU changes vCPU. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/percpu.h>
#include <asm/smp.h>

#define X86_CR4_OSXSAVE (1ULL << 18)

static bool have_xsave;
static uint32_t xsave_size = 512 + 64; /* legacy area + header, enough for FXSAVE */

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
}

/* Page order of a vCPU's FPU save area. */
unsigned int fpu_area_order(void)
{
    unsigned int order = 0;
    while ((PAGE_SIZE << order) < xsave_size)
        order++;
    return order;
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
    /* FCW 0x37F and MXCSR 0x1F80 are the reset values. */
    *(uint16_t *)h->fpu_area = 0x37F;
    *(uint32_t *)((uint8_t *)h->fpu_area + 24) = 0x1F80;
    h->xcr0 = 1;
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

    if (owner == v)
        return;
    if (owner && owner->hvm)
        save(hvm_of(owner));
    restore(hvm_of(v));
    pc->fpu_owner = v;
}

/* v leaves this pCPU: if the registers hold its FPU state, save it to v's area and forget it. */
void fpu_release(struct vcpu *v)
{
    struct percpu *pc = this_cpu();

    if (pc->fpu_owner != v)
        return;
    save(hvm_of(v));
    pc->fpu_owner = NULL;
}
