/* Xen hypervisor CPUID leaves (0x40000000 + i): signature and feature bits. */
#ifndef XENOLITH_PUBLIC_ARCH_X86_CPUID_H
#define XENOLITH_PUBLIC_ARCH_X86_CPUID_H

/* Guests probe 0x40000000 + 0x100 * k; Xen normally sits at the first base. */
#define XEN_CPUID_FIRST_LEAF     0x40000000
#define XEN_CPUID_LEAF(i)        (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_MAX_NUM_LEAVES 5

/* Leaf 0: EAX = last leaf; EBX:ECX:EDX = "XenVMMXenVMM". */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558 /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e /* "nVMM" */

/* Leaf 1: EAX = (major << 16) | minor. Leaf 2: EAX = hypercall pages, EBX = MSR, ECX = below. */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD 0
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  (1u << 0)
/* Xenolith name: MSR reported in leaf 2 EBX; pre-XSA-466 guests write the hypercall page GPA to it.
 */
#define XEN_CPUID_HYPERCALL_MSR 0x40000000

/* Leaf 4 (HVM) EAX feature bits; EBX = vCPU id, ECX = domid when flagged. */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5)
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6)

/* Leaf 5 (PV) EAX: machine address width. */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK (0xffu << 0)

#endif /* XENOLITH_PUBLIC_ARCH_X86_CPUID_H */
