/* Physical CPUs: enumeration, bring-up and cross-CPU signalling. */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <hv/types.h>
#include <asm/percpu.h>

struct boot_info;

extern unsigned int nr_cpus;
extern uint32_t cpu_apic_id[NR_CPUS];

/* Start every other CPU the MADT lists; returns the number of CPUs online. */
unsigned int smp_boot_cpus(const struct boot_info *bi);
/* True once CPU cpu finished its bring-up (or is the BSP). */
bool cpu_is_online(unsigned int cpu);
/* Interrupt pCPU cpu so it leaves the guest or idle and re-checks its work (no-op for self). */
void smp_kick_cpu(unsigned int cpu);
/* Switch an AP to the BSP's final page tables. */
void paging_ap_init(void);
/* Per-CPU control-register set-up (FXSR/XSAVE for guest FPU switching). */
void cpu_features_init(void);

#endif
