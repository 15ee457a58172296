/* The CPUID view a PVH guest gets: host features minus what we do not virtualize, plus Xen leaves.
 */
#include <hv/lib.h>
#include <hv/domain.h>
#include <public/arch-x86/cpuid.h>
#include <asm/hvm.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17

static void xen_leaves(struct vcpu *v, uint32_t idx, struct cpuid_regs *r)
{
    memset(r, 0, sizeof(*r));
    switch (idx) {
    case 0:
        r->eax = XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES);
        r->ebx = XEN_CPUID_SIGNATURE_EBX;
        r->ecx = XEN_CPUID_SIGNATURE_ECX;
        r->edx = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        r->eax = (XEN_MAJOR << 16) | XEN_MINOR;
        break;
    case 2:
        r->eax = 1; /* one hypercall page */
        r->ebx = XEN_CPUID_HYPERCALL_MSR;
        break;
    case 4:
        r->eax = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT;
        r->ebx = v->vcpu_id;
        r->ecx = v->domain->domain_id;
        break;
    default:
        break;
    }
}

static bool amd_host(void)
{
    struct cpuid_regs r;
    cpuid_count(0, 0, &r);
    return r.ebx == 0x68747541 && r.edx == 0x69746e65 && r.ecx == 0x444d4163; /* AuthenticAMD */
}

/* Handle CPUID for a guest: fill *r for leaf/subleaf as the guest must see it. */
void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    if (leaf >= 0x40000000 && leaf < 0x40010000) {
        if (leaf < 0x40000100)
            xen_leaves(v, leaf - 0x40000000, r);
        else
            memset(r, 0, sizeof(*r));
        return;
    }
    cpuid_count(leaf, sub, r);
    switch (leaf) {
    case 1:
        /*
         * AMD family 0xF (K8) with SVM and nested paging exists only in emulators (QEMU TCG's
         * "max" CPU). Linux treats family 0xF as GART-capable and then scans all 256 PCI buses
         * through port I/O for an AGP bridge (~33k exits); dom0 has no PCI here, so present a
         * GART-less AMD family (0x16) instead. Real NPT-capable CPUs pass through unchanged.
         */
        if (((r->eax >> 8) & 0xF) == 0xF && ((r->eax >> 20) & 0xFF) == 0 && amd_host())
            r->eax = (r->eax & ~0x0FF00000u) | (0x7u << 20); /* family 0xF + 0x7 = 0x16 */
        r->ebx = (r->ebx & 0x0000FFFF) | (1u << 16) | (hvm_apic_id(v) << 24);
        r->ecx |= (1u << 31) | (1u << 21); /* hypervisor, x2APIC */
        r->ecx &= ~((1u << 3) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) | (1u << 15) |
                    (1u << 18) | (1u << 24));
        r->edx &= ~((1u << 7) | (1u << 14) | (1u << 22) | (1u << 28) | (1u << 29));
        r->edx |= 1u << 9; /* APIC */
        break;
    case 5:
    case 0xA:
        memset(r, 0, sizeof(*r));
        break;
    case 6:
        r->eax = 1u << 2; /* ARAT: our APIC timer never stops */
        r->ebx = r->ecx = r->edx = 0;
        break;
    case 7:
        if (sub == 0) {
            r->ebx &= ~((1u << 1) | (1u << 2)); /* TSC_ADJUST, SGX */
            r->ecx &= ~(1u << 5);               /* WAITPKG */
        }
        break;
    case 0xB:
        r->eax = 0;
        r->ebx = sub == 0 ? 1 : 0;
        r->ecx = sub == 0 ? 0x100 | sub : sub;
        r->edx = hvm_apic_id(v);
        break;
    case 0x80000001:
        r->ecx &= ~((1u << 2) | (1u << 23)); /* SVM, core performance counters */
        break;
    case 0x8000000A:
        memset(r, 0, sizeof(*r));
        break;
    default:
        break;
    }
}

/* Guest-physical address width the vCPU's CPUID reports (leaf 0x80000008 EAX 7:0). */
unsigned int hvm_paddr_bits(struct vcpu *v)
{
    struct cpuid_regs r;

    hvm_cpuid(v, 0x80000000, 0, &r);
    if (r.eax < 0x80000008)
        return 36;
    hvm_cpuid(v, 0x80000008, 0, &r);
    return r.eax & 0xFF;
}

/* The APIC ID of vCPU v: twice its id, as Xen gives every HVM vCPU (vLAPIC, CPUID, MADT). */
uint32_t hvm_apic_id(const struct vcpu *v)
{
    return 2 * v->vcpu_id;
}
