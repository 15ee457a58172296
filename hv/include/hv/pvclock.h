/* Guest time: pvclock records in vcpu_info, the shared_info wall clock, and guest system time. */
#ifndef HV_PVCLOCK_H
#define HV_PVCLOCK_H

#include <hv/domain.h>

/*
 * Guest system time is one linear function of the TSC shared by every guest:
 * ns = ref_ns + scale(tsc - ref_tsc) with the (mul, shift) pair published in
 * every vcpu_time_info. ref_ns is now_ns() at the moment the reference was
 * taken, so guest system time tracks now_ns() (to the rounding of mul, well
 * under a microsecond per hour).
 */

/* Xen's scale for a counter of ticks_per_sec Hz: ns = ((delta << shift) * mul) >> 32 (shift < 0:
 * >>). */
void pvclock_compute_scale(uint64_t ticks_per_sec, uint32_t *mul, int8_t *shift);
/* Apply a (mul, shift) pair to a tick delta exactly as the guest does (96-bit product). */
uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);
/* Arch, once at boot after TSC checks: the TSC is invariant and synchronised on all pCPUs. */
void pvclock_set_tsc_stable(bool stable);
/* Current guest system time in ns (what the guest's pvclock reads now). */
uint64_t guest_system_time(void);
/* Host now_ns() value at which guest system time reaches guest_ns (saturating). */
uint64_t guest_time_to_host_ns(uint64_t guest_ns);
/* (Re)write v's vcpu_info->time (version odd/even protocol); no-op if v has no vcpu_info. */
void update_vcpu_system_time(struct vcpu *v);
/* (Re)write d's shared_info wall clock (Unix time at guest system time 0, wc_version protocol). */
void update_domain_wallclock_time(struct domain *d);

#endif
