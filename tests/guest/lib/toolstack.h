/* Toolstack calls for test guests that run as dom0: domctl/sysctl wrappers and building domUs. */
#ifndef XTF_TOOLSTACK_H
#define XTF_TOOLSTACK_H

#include "xtf.h"

#include <public/domctl.h>
#include <public/sysctl.h>

/* Issue domctl cmd on domain dom with op's payload (op is filled in and copied back). */
long ts_domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom);
/* Issue sysctl cmd with op's payload. */
long ts_sysctl(struct xen_sysctl *op, uint32_t cmd);
/* Hypervisor system time in ns (HVMOP_get_time). */
uint64_t ts_now_ns(void);
/* Block this vCPU until system time deadline (SCHEDOP_poll on no port); returns when woken. */
void ts_sleep_until(uint64_t deadline);
/* A paused PVH domU with vcpus vCPUs whose vCPU 0 runs code (at most 4 KiB) at guest-physical
 * 1 MiB in 32-bit flat protected mode, interrupts off; scratch_gfn is a free frame of ours the
 * code is copied through. Returns its id; fails the test if any step fails. */
domid_t ts_build_domu(unsigned int vcpus, const void *code, size_t len, uint64_t scratch_gfn);
/* Destroy dom (every restart is taken care of by the hypervisor); 0 or -errno. */
long ts_destroy(domid_t dom);
/* vCPU vcpu of dom: where it runs and its running time so far; 0 or -errno. */
long ts_vcpu_info(domid_t dom, unsigned int vcpu, struct xen_domctl_getvcpuinfo *info);
/* Set the hard affinity of dom's vCPU vcpu to the pCPUs in mask (bit i = pCPU i); 0 or -errno. */
long ts_pin(domid_t dom, unsigned int vcpu, uint64_t mask);
/* Credit parameters of dom (weight 0 and cap 0xffff keep the current value); 0 or -errno. */
long ts_sched_credit(domid_t dom, uint16_t weight, uint16_t cap);
/* Free pages of the host (sysctl physinfo). */
uint64_t ts_free_pages(void);

#endif
