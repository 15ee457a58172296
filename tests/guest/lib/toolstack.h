/* Toolstack calls for test guests that run as dom0: domctl/sysctl wrappers and building domUs. */
#ifndef XTF_TOOLSTACK_H
#define XTF_TOOLSTACK_H

#include "xtf.h"

#include <public/domctl.h>
#include <public/hvm/save.h>
#include <public/sysctl.h>

/* Issue domctl cmd on domain dom with op's payload (op is filled in and copied back). */
long ts_domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom);
/* Issue sysctl cmd with op's payload. */
long ts_sysctl(struct xen_sysctl *op, uint32_t cmd);
/* Hypervisor system time in ns (HVMOP_get_time). */
uint64_t ts_now_ns(void);
/* Block this vCPU until system time deadline (SCHEDOP_poll on no port); returns when woken. */
void ts_sleep_until(uint64_t deadline);
/* A paused PVH domU (createdomain as libxl asks, max_mem max_kb); its id; fails the test if any
 * step fails. */
domid_t ts_create_domu(unsigned int vcpus, uint64_t max_kb);
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

/* populate_physmap of dom: count single pages at gfns base, base + 1, ...; extents done. */
long ts_populate(domid_t dom, uint64_t base, unsigned int count);
/* Foreign-map dom's gfn at our gpfn; the per-entry error (or the call's, if it failed). */
long ts_map_foreign(domid_t dom, uint64_t gfn, uint64_t gpfn);
/* Remove what our gpfn maps (remove_from_physmap); 0 or -errno. */
long ts_unmap_gpfn(uint64_t gpfn);

/* gethvmcontext of dom into buf (NULL, 0: the size query); the size in *size; 0 or -errno. */
long ts_get_context(domid_t dom, void *buf, uint32_t len, uint32_t *size);
/* sethvmcontext of dom from the len-byte stream buf; 0 or -errno. */
long ts_set_context(domid_t dom, const void *buf, uint32_t len);
/* Write record (type, inst) with len bytes of p at s + at; the offset after it. */
uint32_t ts_put_record(uint8_t *s, uint32_t at, uint16_t type, uint16_t inst, const void *p,
                       uint32_t len);
/* The payload of record (type, inst) in a stream of len bytes, or NULL. */
const void *ts_find_record(const uint8_t *s, uint32_t len, uint16_t type, uint16_t inst);
/* The PVH entry state libxenguest's vcpu_hvm() loads into vCPU 0, running at entry. */
void ts_pvh_entry(struct hvm_hw_cpu *c, uint64_t entry);
/* Load {HEADER from dom's own context, CPU 0 = c, END}; sethvmcontext's rc (a failing
 * gethvmcontext or a context without HEADER fails the test). */
long ts_load_bsp(domid_t dom, const struct hvm_hw_cpu *c);

#endif
