/* Small x86 helpers for test guests: port I/O, MSRs, control registers, CPUID, descriptor tables.
 */
#ifndef XTF_X86_H
#define XTF_X86_H

/* Selectors of the GDT built by head.S. */
#define XTF_CS64  0x08
#define XTF_DS    0x10
#define XTF_CS32  0x18
#define XTF_UDS   0x23 /* user data, RPL 3 */
#define XTF_UCS64 0x2B /* user 64-bit code, RPL 3 */
#define XTF_TSS   0x30

/* Exception vectors. */
#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_BP 3
#define X86_EXC_UD 6
#define X86_EXC_DF 8
#define X86_EXC_GP 13
#define X86_EXC_PF 14

/* MSRs. */
#define MSR_IA32_APIC_BASE 0x0000001B
#define MSR_EFER           0xC0000080
#define MSR_X2APIC_ID      0x00000802
#define MSR_X2APIC_VERSION 0x00000803
#define MSR_X2APIC_TPR     0x00000808

#define APIC_BASE_BSP  (1 << 8)
#define APIC_BASE_EXTD (1 << 10)
#define APIC_BASE_EN   (1 << 11)

/* Page-table entry bits. */
#define PTE_P   (1 << 0)
#define PTE_RW  (1 << 1)
#define PTE_US  (1 << 2)
#define PTE_PWT (1 << 3)
#define PTE_PCD (1 << 4)
#define PTE_PS  (1 << 7)

#ifndef __ASSEMBLY__

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t val)
{
    __asm__ volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t val;
    __asm__ volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
    return val;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ volatile("wrmsr"
                     :
                     : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                     : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Operand of lgdt/lidt. */
struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

static inline void lidt(const struct desc_ptr *p)
{
    __asm__ volatile("lidt %0" : : "m"(*p));
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

#endif /* !__ASSEMBLY__ */

#endif /* XTF_X86_H */
