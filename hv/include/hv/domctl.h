/*
 * domctl and sysctl (the toolstack's hypercalls 36 and 35): entry points, the common-code
 * domain pause and lifecycle helpers they rely on, and the arch/scheduler hooks they call.
 */
#ifndef HV_DOMCTL_H
#define HV_DOMCTL_H

#include <hv/domain.h>
#include <public/domctl.h>
#include <public/sysctl.h>

/* ---- entry points (hypercall table, privileged) ---- */
/* __HYPERVISOR_domctl: arg = guest pointer to struct xen_domctl. */
long do_domctl(struct vcpu *v, uint64_t arg);
/* __HYPERVISOR_sysctl: arg = guest pointer to struct xen_sysctl. */
long do_sysctl(struct vcpu *v, uint64_t arg);

/* ---- common helpers (hv/common/domctl.c) ---- */
/* Add one pause reference to d; on return no vCPU of d runs on any pCPU (d must not be the
 * caller's own domain). */
void domain_pause(struct domain *d);
/* Drop a pause reference; the last one lets d's vCPUs run again (kicks them). */
void domain_unpause(struct domain *d);
/* Fill a XEN_DOMCTL_getdomaininfo record for d (also used by XEN_SYSCTL_getdomaininfolist). */
void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);
/*
 * The toolstack lock: serialises every domctl and sysctl. Domains are created and freed only
 * under it, so a domain looked up while holding it stays valid until the unlock.
 */
void domctl_lock(void);
void domctl_unlock(void);
/* Take the toolstack lock if it is free (hypercalls of guests that must not wait for it). */
bool domctl_trylock(void);
/* Read the guest bitmap b into a pCPU mask (bits >= nbits dropped); 0 or -XEN_EFAULT. */
int domctl_bitmap_read(struct vcpu *v, const struct xenctl_bitmap *b, unsigned int nbits,
                       uint64_t *mask);
/* Write mask's low nbits bits to the guest bitmap b, zero-filling the rest of its bytes; 0 or
 * -XEN_EFAULT. */
int domctl_bitmap_write(struct vcpu *v, const struct xenctl_bitmap *b, unsigned int nbits,
                        uint64_t mask);

/* Values the hypervisor picks when the toolstack says "default". */
#define DOMCTL_DEFAULT_MAX_GRANT_FRAMES    GRANT_MAX_FRAMES
#define DOMCTL_DEFAULT_MAX_MAPTRACK_FRAMES 1024
#define DOMCTL_DEFAULT_SCHED_WEIGHT        256 /* credit scheduler default */
#define DOMCTL_GPADDR_BITS                 48  /* 4-level nested paging */
#define DOMCTL_SCHEDULER_ID                XEN_SCHEDULER_CREDIT
/* Pages XEN_DOMCTL_destroydomain frees per call before it asks to be restarted. */
#define DOMCTL_DESTROY_BUDGET 2048
/* Words of the x86 CPU featureset (XEN_SYSCTL_get_cpu_featureset), as in Xen 4.17.x tools. */
#define SYSCTL_FEATURESET_WORDS 19
/* XEN_DOMCTL_settscinfo modes (hypervisor-private numbers in Xen). */
#define TSC_MODE_DEFAULT        0
#define TSC_MODE_ALWAYS_EMULATE 1
#define TSC_MODE_NEVER_EMULATE  2

/*
 * ---- hooks implemented outside hv/common/domctl.c and sysctl.c ----
 * Until hv/arch/x86 and the scheduler provide them, domctl.c and sysctl.c carry weak
 * fallbacks (createdomain then fails with -ENOSYS); a strong definition replaces them.
 */
/* Arch: give a new domain (from domain_alloc, d->ctl filled in) its arch state (p2m...) for the
 * XEN_DOMCTL_CDF_* flags (always hvm|hap); 0 or -XEN_E*. Whatever it allocated before failing
 * is freed by arch_domain_free(), which the caller then runs. */
int arch_domain_create(struct domain *d, uint32_t cdf_flags);
/* Arch: give v its vendor state (exists in hv/arch/x86/domain.c); 0 or -XEN_ENOMEM. */
int arch_vcpu_create(struct vcpu *v);
/* Arch: free up to budget RAM pages of dying d (lowering d->tot_pages); returns how many pages
 * are still to free, 0 once every RAM page is gone. d is paused and off the run queues. */
long arch_domain_relinquish(struct domain *d, unsigned long budget);
/* Arch: free what is left of d's arch state (p2m tables, d->arch, every v->hvm; tolerates vCPUs
 * whose arch_vcpu_create() never ran or failed). */
void arch_domain_free(struct domain *d);
/* Scheduler: return once v is not running on any pCPU; v's domain has pause_count > 0 (or v is
 * being removed), so it is not picked again. */
void sched_vcpu_sync(struct vcpu *v);
/* Scheduler: take v off its run queue for good (domain destruction); returns once no pCPU runs
 * it. */
void sched_remove_vcpu(struct vcpu *v);
/* Arch: write up to nr words of the featureset index (XEN_SYSCTL_cpu_featureset_*) to fs; words
 * are CPUID registers in Xen's featureset order (word 0 = leaf 1 EDX...). Unknown words 0. */
void arch_cpu_featureset(unsigned int index, uint32_t *fs, unsigned int nr);
/* Arch: the largest host RAM frame number (XEN_SYSCTL_physinfo.max_mfn). */
uint64_t arch_max_mfn(void);

/* Existing hooks used here: arch_nr_cpus() (hv/sched.h), sched_add_vcpu() (hv/sched.h),
 * domain_alloc() (hv/sched.h), tsc_khz() (hv/time.h), page_alloc_*_pages() (hv/mm.h). */

#endif
