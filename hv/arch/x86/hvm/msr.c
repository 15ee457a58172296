/* Guest MSR emulation: APIC base and x2APIC range, MTRRs (hvm/mtrr.c), TSC, the hypercall-page MSR.
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/frame.h>
#include <hv/physmap.h>
#include <public/arch-x86/cpuid.h>
#include <public/xen.h>
#include <asm/hvm.h>
#include <asm/time.h>

#define APIC_BASE_BSP  (1ULL << 8)
#define APIC_BASE_EXTD (1ULL << 10)
#define APIC_BASE_EN   (1ULL << 11)

static bool x2apic_on(struct vcpu *v)
{
    return (hvm_of(v)->apic_base_msr & (APIC_BASE_EN | APIC_BASE_EXTD)) ==
           (APIC_BASE_EN | APIC_BASE_EXTD);
}

/* Fill the guest page at gfn with 32-byte VMMCALL stubs, one per hypercall number. */
static int write_hypercall_page(struct vcpu *v, uint64_t gfn)
{
    uint64_t mfn;
    uint8_t *pg;

    /* Writable frames only (not a read-only grant), held while we write. */
    if (physmap_get_page(v->domain, gfn, PHYSMAP_PRESENT, true, &mfn) < 0)
        return -1;
    pg = (uint8_t *)(uintptr_t)(mfn << PAGE_SHIFT);
    memset(pg, 0xCC, PAGE_SIZE);
    for (unsigned int i = 0; i < PAGE_SIZE / 32; i++) {
        uint8_t *p = pg + i * 32;
        if (i == __HYPERVISOR_iret) {
            p[0] = 0x0F; /* ud2: iret is PV-only */
            p[1] = 0x0B;
            continue;
        }
        p[0] = 0xB8; /* mov $i, %eax */
        memcpy(p + 1, &i, 4);
        p[5] = 0x0F; /* vmmcall */
        p[6] = 0x01;
        p[7] = 0xD9;
        p[8] = 0xC3; /* ret */
    }
    frame_put(mfn);
    hvm_of(v)->hypercall_page_gfn = gfn;
    return 0;
}

/*
 * MSRs a Linux guest touches at boot that we do not model: reads give 0, writes are dropped.
 * Everything else not handled below raises #GP(0), as in Xen.
 */
static bool msr_read_as_zero(uint32_t msr)
{
    switch (msr) {
    case 0x48:       /* SPEC_CTRL */
    case 0x8B:       /* microcode patch level */
    case 0x10A:      /* ARCH_CAPABILITIES */
    case 0x179:      /* MCG_CAP */
    case 0x17A:      /* MCG_STATUS */
    case 0x1A0:      /* MISC_ENABLE */
    case 0xC0010010: /* SYSCFG */
    case 0xC0010015: /* HWCR */
    case 0xC001001F: /* NB_CFG: Linux sets the extended CF8 config-access bit */
    case 0xC0010055: /* interrupt-pending message (C1E) */
    case 0xC0010140: /* OSVW length */
    case 0xC0010141: /* OSVW status */
    case 0xC0011020: /* LS_CFG */
    case 0xC0011029: /* DE_CFG */
    case 0xC001102A: /* BU_CFG2 */
        return true;
    default:
        return false;
    }
}

/* Guest RDMSR; returns 0 and *val, or -1 to inject #GP. */
int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct hvm_vcpu *h = hvm_of(v);

    if (msr >= 0x800 && msr <= 0x8FF) {
        if (!x2apic_on(v))
            return -1;
        return vlapic_read(v, (msr - 0x800) << 4, val, true) ? 0 : -1;
    }
    if (mtrr_is_msr(msr))
        return mtrr_msr_read(&h->mtrr, msr, val);
    switch (msr) {
    case MSR_IA32_APIC_BASE:
        *val = h->apic_base_msr;
        return 0;
    case MSR_IA32_TSC:
        *val = rdtsc_now();
        return 0;
    case 0x3B: /* TSC_ADJUST: hidden */
        return -1;
    case MSR_TSC_AUX:
        *val = h->msr_tsc_aux;
        return 0;
    case MSR_VM_CR:
        *val = VM_CR_SVMDIS;
        return 0;
    case XEN_CPUID_HYPERCALL_MSR:
        *val = h->hypercall_page_gfn << PAGE_SHIFT;
        return 0;
    default:
        *val = 0;
        if (msr_read_as_zero(msr))
            return 0;
        pr_debug("d%u v%u: RDMSR %#x: #GP\n", v->domain->domain_id, v->vcpu_id, msr);
        return -1;
    }
}

/* Guest WRMSR; returns 0, or -1 to inject #GP. */
int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct hvm_vcpu *h = hvm_of(v);

    if (msr >= 0x800 && msr <= 0x8FF) {
        if (!x2apic_on(v))
            return -1;
        return vlapic_write(v, (msr - 0x800) << 4, val, true) ? 0 : -1;
    }
    if (mtrr_is_msr(msr))
        return mtrr_msr_write(&h->mtrr, hvm_paddr_bits(v), msr, val);
    switch (msr) {
    case MSR_IA32_APIC_BASE:
        /* The base address is fixed; the guest may only toggle x2APIC mode. */
        if ((val & ~(APIC_BASE_EXTD | APIC_BASE_EN | APIC_BASE_BSP)) != 0xFEE00000ULL)
            return -1;
        h->apic_base_msr = (h->apic_base_msr & ~APIC_BASE_EXTD) | (val & APIC_BASE_EXTD);
        return 0;
    case 0x3B:
        return -1;
    case MSR_TSC_AUX:
        h->msr_tsc_aux = (uint32_t)val;
        return 0;
    case XEN_CPUID_HYPERCALL_MSR:
        if (val & 0xFFF)
            return -1; /* only page index 0 exists */
        if (write_hypercall_page(v, val >> PAGE_SHIFT)) {
            pr_warn("d%u: hypercall page at unmapped gfn %#llx\n", v->domain->domain_id,
                    (unsigned long long)(val >> PAGE_SHIFT));
            return -1;
        }
        return 0;
    case 0x49: /* PRED_CMD */
        return 0;
    default:
        if (msr_read_as_zero(msr))
            return 0;
        pr_debug("d%u v%u: WRMSR %#x <- %#llx: #GP\n", v->domain->domain_id, v->vcpu_id, msr,
                 (unsigned long long)val);
        return -1;
    }
}
