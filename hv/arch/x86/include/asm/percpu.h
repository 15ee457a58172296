/* Per-physical-CPU data, reached through the GS base. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <hv/types.h>
#include <hv/spinlock.h>

#define NR_CPUS        64
#define STACK_SIZE     16384
#define IST_STACK_SIZE 8192

struct vcpu;
struct timer;

struct tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3;
    uint16_t iomap_base;
} __attribute__((packed));

struct percpu {
    struct percpu *self; /* %gs:0 */
    unsigned int cpu_id;
    uint32_t apic_id;
    struct vcpu *current;          /* vCPU loaded on this pCPU, or NULL when idle */
    struct vcpu *fpu_owner;        /* vCPU whose FPU/SSE/AVX state is in the registers */
    volatile bool in_guest;        /* between the p2m generation check and the VM exit */
    volatile uint64_t guest_exits; /* VM exits so far (remote TLB flushes wait on it) */
    uint64_t gdt[8];               /* null, cs64, ds, (unused), tss (2 slots) */
    struct tss64 tss;
    void *hsave;                          /* SVM host save area */
    spinlock_t timer_lock;                /* protects timers list */
    struct timer *timers;                 /* sorted by expiry */
    struct timer *volatile running_timer; /* whose callback runs now (set under timer_lock) */
    bool in_vm_softirq;
    uint8_t *ist_stacks[3];
} __attribute__((aligned(64)));

extern struct percpu percpu_data[NR_CPUS];

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(p));
    return p;
}

static inline unsigned int smp_processor_id(void)
{
    return this_cpu()->cpu_id;
}

/* Load this CPU's GDT, TSS and IDT and point GS at its per-CPU data. */
void percpu_init(unsigned int cpu);

#endif
