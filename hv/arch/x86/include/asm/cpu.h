/* x86 CPU primitives: CPUID, MSRs, control registers, interrupt flag, halting. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <hv/types.h>
#include <asm/boot-defs.h>

#define MSR_IA32_APIC_BASE       0x0000001B
#define MSR_IA32_FEATURE_CONTROL 0x0000003A
#define MSR_IA32_TSC             0x00000010
#define MSR_IA32_PAT             0x00000277
#define MSR_STAR                 0xC0000081
#define MSR_LSTAR                0xC0000082
#define MSR_CSTAR                0xC0000083
#define MSR_SFMASK               0xC0000084
#define MSR_FS_BASE              0xC0000100
#define MSR_GS_BASE              0xC0000101
#define MSR_KERNEL_GS_BASE       0xC0000102
#define MSR_TSC_AUX              0xC0000103
#define MSR_VM_CR                0xC0010114
#define MSR_VM_HSAVE_PA          0xC0010117
#define VM_CR_SVMDIS             (1u << 4)

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline void cpuid_count(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    __asm__ volatile("cpuid"
                     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
                     : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#define DEFINE_CR(n)                                                                               \
    static inline uint64_t read_cr##n(void)                                                        \
    {                                                                                              \
        uint64_t v;                                                                                \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                          \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_cr##n(uint64_t v)                                                     \
    {                                                                                              \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                                 \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void local_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}
static inline void local_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}
static inline uint64_t local_save_flags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}
static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}
/* Enable interrupts and halt atomically (an interrupt arriving in between wakes us). */
static inline void safe_halt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}
static inline void invlpg(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Stop this CPU forever with interrupts off. */
void __attribute__((noreturn)) cpu_halt_forever(void);

#endif
