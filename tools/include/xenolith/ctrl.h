/* xctrl: the control interface (domctl, sysctl, memory_op, hvm_op, xen_version) for dom0 tools. */
#ifndef XENOLITH_CTRL_H
#define XENOLITH_CTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/version.h>

struct xcall;

/* Everything `xl list` / `xl info` and the toolstack need about one domain. */
struct xctrl_dominfo {
    uint32_t domid;
    uint32_t flags; /* XEN_DOMINF_* */
    bool dying, shutdown, paused, blocked, running, hvm;
    unsigned int shutdown_reason; /* SHUTDOWN_*, valid when shutdown */
    uint64_t tot_pages, max_pages, outstanding_pages;
    uint64_t cpu_time_ns;
    unsigned int nr_online_vcpus, max_vcpu_id;
    uint8_t handle[16];
    uint32_t cpupool;
};

/* One vCPU's state (XEN_DOMCTL_getvcpuinfo). */
struct xctrl_vcpuinfo {
    bool online, blocked, running;
    uint64_t cpu_time_ns;
    uint32_t cpu; /* current pCPU */
};

/*
 * Every call below returns 0 (or a documented non-negative value) on success and -1 with errno
 * set on failure. xc is an open xcall handle (struct xcall from call.h).
 */

/* Issue a domctl (interface_version is filled in); op is updated from the hypervisor's answer. */
int xctrl_domctl(struct xcall *xc, struct xen_domctl *op);
/* Issue a sysctl (interface_version is filled in); op is updated from the hypervisor's answer. */
int xctrl_sysctl(struct xcall *xc, struct xen_sysctl *op);

/* Create a domain from c; *domid in: wanted id (0 = any), out: the new id (it starts paused). */
int xctrl_domain_create(struct xcall *xc, uint32_t *domid, struct xen_domctl_createdomain *c);
/* Destroy domid completely (repeats the preemptible destroy until done). */
int xctrl_domain_destroy(struct xcall *xc, uint32_t domid);
/* Pause domid (toolstack pause count). */
int xctrl_domain_pause(struct xcall *xc, uint32_t domid);
/* Unpause domid. */
int xctrl_domain_unpause(struct xcall *xc, uint32_t domid);
/* Info for exactly domid (ENOENT/ESRCH if it does not exist). */
int xctrl_domain_getinfo(struct xcall *xc, uint32_t domid, struct xctrl_dominfo *info);
/* Up to max domains with id >= first, in id order; returns the count filled in. */
int xctrl_domain_list(struct xcall *xc, uint32_t first, struct xctrl_dominfo *info,
                      unsigned int max);
/* XEN_DOMCTL_max_vcpus. */
int xctrl_domain_max_vcpus(struct xcall *xc, uint32_t domid, unsigned int max);
/* XEN_DOMCTL_max_mem (KiB). */
int xctrl_domain_setmaxmem(struct xcall *xc, uint32_t domid, uint64_t max_kb);
/* XEN_DOMCTL_setdomainhandle. */
int xctrl_domain_sethandle(struct xcall *xc, uint32_t domid, const uint8_t handle[16]);
/* XEN_DOMCTL_getvcpuinfo. */
int xctrl_vcpu_getinfo(struct xcall *xc, uint32_t domid, unsigned int vcpu,
                       struct xctrl_vcpuinfo *info);
/* XEN_DOMCTL_{set,get}vcpuaffinity for the hard (and soft) masks, bit i = pCPU i (<= 64 pCPUs). */
int xctrl_vcpu_setaffinity(struct xcall *xc, uint32_t domid, unsigned int vcpu, uint64_t *hard,
                           uint64_t *soft);
/* Read back both affinity masks. */
int xctrl_vcpu_getaffinity(struct xcall *xc, uint32_t domid, unsigned int vcpu, uint64_t *hard,
                           uint64_t *soft);
/* Credit scheduler parameters of domid (XEN_DOMCTL_scheduler_op). */
int xctrl_sched_credit_get(struct xcall *xc, uint32_t domid, uint16_t *weight, uint16_t *cap);
/* Set weight (1..65535) and cap (percent, 0 = none) of domid. */
int xctrl_sched_credit_set(struct xcall *xc, uint32_t domid, uint16_t weight, uint16_t cap);
/* XEN_DOMCTL_sethvmcontext with a save stream of len bytes. */
int xctrl_hvmcontext_set(struct xcall *xc, uint32_t domid, const void *buf, size_t len);
/* XEN_DOMCTL_gethvmcontext: with buf == NULL returns the size; else fills up to len bytes. */
long xctrl_hvmcontext_get(struct xcall *xc, uint32_t domid, void *buf, size_t len);
/* XEN_DOMCTL_settscinfo / set_paging_mempool_size, as libxl does for a PVH guest. */
int xctrl_domain_set_tsc(struct xcall *xc, uint32_t domid, uint32_t tsc_mode);
/* XEN_DOMCTL_set_paging_mempool_size. */
int xctrl_domain_set_paging_mempool(struct xcall *xc, uint32_t domid, uint64_t bytes);

/* XENMEM_populate_physmap of nr extents of 2^order frames at gfns[] in domid; extents done. */
long xctrl_populate_physmap(struct xcall *xc, uint32_t domid, unsigned int order, size_t nr,
                            const uint64_t *gfns);
/* XENMEM_decrease_reservation of nr frames at gfns[] in domid; extents done. */
long xctrl_decrease_reservation(struct xcall *xc, uint32_t domid, size_t nr, const uint64_t *gfns);
/* XENMEM_set_memory_map for domid (struct e820entry as public/hvm/e820.h). */
int xctrl_set_memory_map(struct xcall *xc, uint32_t domid, const void *e820, unsigned int nr);
/* XENMEM_claim_pages. */
int xctrl_claim_pages(struct xcall *xc, uint32_t domid, uint64_t nr_pages);

/* HVMOP_set_param / get_param on domid. */
int xctrl_hvm_param_set(struct xcall *xc, uint32_t domid, uint32_t index, uint64_t value);
/* HVMOP_get_param on domid. */
int xctrl_hvm_param_get(struct xcall *xc, uint32_t domid, uint32_t index, uint64_t *value);
/* EVTCHNOP_alloc_unbound in domid for remote; the new port in domid. */
int xctrl_evtchn_alloc_unbound(struct xcall *xc, uint32_t domid, uint32_t remote);

/* XEN_SYSCTL_physinfo. */
int xctrl_physinfo(struct xcall *xc, struct xen_sysctl_physinfo *pi);
/* XEN_SYSCTL_sched_id. */
int xctrl_sched_id(struct xcall *xc, uint32_t *id);
/* XEN_SYSCTL_readconsole: up to len bytes into buf (clear: also empty the ring); bytes read. */
long xctrl_readconsole(struct xcall *xc, char *buf, size_t len, int clear, uint32_t *index);

/* xen_version: major/minor, extraversion, capabilities, changeset, commandline, compile info. */
int xctrl_version(struct xcall *xc, int *major, int *minor);
/* XENVER_* string queries (extraversion 1, capabilities 3, changeset 4, commandline 9). */
int xctrl_version_string(struct xcall *xc, int cmd, char *buf, size_t len);
/* XENVER_compile_info. */
int xctrl_version_compile(struct xcall *xc, struct xen_compile_info *ci);

#endif
