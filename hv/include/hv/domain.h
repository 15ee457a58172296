/* Domains and vCPUs: the vendor-neutral state every hypercall family works on. */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/types.h>
#include <hv/spinlock.h>
#include <hv/time.h>
#include <hv/sched_vcpu.h>

#include <public/xen.h>
#include <public/hvm/e820.h>

#define MAX_VCPUS        64
#define NR_EVTCHN_2L     4096 /* 2-level ABI on a 64-bit guest: 64 * 64 ports */
#define NR_HVM_PARAMS    64
#define GRANT_MAX_FRAMES 64
#define DOMAIN_E820_MAX  128 /* entries in a domain's XENMEM_memory_map answer */

/*
 * One event-channel port (2-level ABI). Every field is protected by the owning
 * domain's evtchn_lock. State values are ECS_* from hv/event.h.
 */
struct evtchn {
    uint8_t state;         /* ECS_* */
    uint8_t xen_consumer;  /* 0: a guest port; else 1 + index of a hypervisor-side consumer */
    uint16_t virq;         /* ECS_VIRQ: which VIRQ */
    uint32_t notify_vcpu;  /* vCPU that gets the upcall when the port is raised */
    uint16_t remote_domid; /* ECS_UNBOUND: who may bind; ECS_INTERDOMAIN: peer domain */
    uint32_t remote_port;  /* ECS_INTERDOMAIN: peer port */
};

struct domain;
struct grant_state;

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;

    /*
     * Event and time state, owned by the hypercall code (hv/common). Call
     * hypercall_vcpu_init() once after allocating the vCPU.
     *
     * vcpu_info: host pointer to this vCPU's struct vcpu_info: the shared_info
     * slot (vcpu_id < 32) until VCPUOP_register_vcpu_info moves it into guest
     * RAM; NULL if there is none. Switched under domain->evtchn_lock; readers
     * without the lock see either the old or the new area (both stay valid).
     */
    void *vcpu_info;
    bool vcpu_info_registered; /* set once by VCPUOP_register_vcpu_info (under evtchn_lock) */
    spinlock_t time_lock;      /* serialises writers of vcpu_info->time */

    /* Runstate: written only on the pCPU that runs or schedules this vCPU. */
    uint64_t runstate_gva;      /* guest-virtual address of vcpu_runstate_info, 0 = none */
    int runstate;               /* RUNSTATE_* (public/vcpu.h) */
    uint64_t runstate_entry_ns; /* guest system time of the last change */
    uint64_t runstate_time[4];  /* ns spent in each RUNSTATE_* */

    uint32_t virq_to_port[NR_VIRQS]; /* per-vCPU VIRQs (TIMER, DEBUG...); under evtchn_lock */
    struct timer singleshot; /* VCPUOP_set_singleshot_timer / set_timer_op: raises VIRQ_TIMER */
    struct timer poll_timer; /* SCHEDOP_poll timeout: wakes the poller */
    struct timer periodic;   /* VCPUOP_set_periodic_timer: raises VIRQ_TIMER every period */
    uint64_t periodic_ns;    /* 0 = no periodic timer */
    uint64_t poll_deadline;  /* SCHEDOP_poll timeout (guest system time), 0 = none */
    int32_t poll_port;       /* SCHEDOP_poll: the only port polled, or -1 for several */
    bool polling;            /* in SCHEDOP_poll; mirrors bit vcpu_id of domain->poll_mask */

    bool online;          /* started (BSP at build, APs after SIPI) */
    bool blocked;         /* halted, waiting for an event */
    volatile bool kicked; /* something to deliver: leave HLT, re-check injection */
    bool yielded;         /* SCHEDOP_yield: give way at the next exit */

    unsigned int processor; /* pCPU it runs on */
    void *hvm;              /* vendor state (struct hvm_vcpu *), never touched by common code */

    /* pCPU masks set by XEN_DOMCTL_setvcpuaffinity (bit i = pCPU i; default all); domctl lock. */
    uint64_t affinity_hard, affinity_soft;
    struct sched_vcpu sched; /* credit scheduler state (hv/common/sched_credit.c) */

    /*
     * Hypercall continuation (hypercall_continue() in hv/hypercall.h): when a hypercall returns
     * -XEN_ERESTART, argument i is replaced by hcall_cont_arg[i] for each bit i of
     * hcall_cont_mask before the guest re-issues it. Written and read only by this vCPU.
     */
    uint8_t hcall_cont_mask;
    uint64_t hcall_cont_arg[5];
};

/*
 * What the toolstack chose for a domain (XEN_DOMCTL_createdomain and later domctls).
 * Written by hv/common/domctl.c under its lock; read anywhere. Zero for a builder-made
 * domain (dom0) except where the builder fills it in.
 */
struct domain_ctl {
    uint32_t cdf_flags;        /* XEN_DOMCTL_CDF_* */
    uint32_t ssidref;          /* security label (no XSM: stored and echoed) */
    uint32_t emulation_flags;  /* XEN_X86_EMU_* */
    uint32_t misc_flags;       /* XEN_X86_MSR_RELAXED */
    uint32_t max_evtchn_port;  /* highest port the guest may use */
    uint32_t max_grant_frames; /* resolved (-1 replaced by the default) */
    uint32_t max_maptrack_frames;
    uint32_t max_grant_version;
    uint16_t sched_weight, sched_cap; /* credit scheduler parameters (stored, not enforced) */
    uint32_t tsc_mode, gtsc_khz, tsc_incarnation; /* XEN_DOMCTL_settscinfo */
    uint64_t paging_mempool_bytes;                /* XEN_DOMCTL_set_paging_mempool_size */
    bool creation_finished; /* the toolstack's pause count first dropped to 0 */
};

struct domain {
    uint16_t domain_id;
    bool is_privileged; /* dom0: domctl/sysctl/console_io allowed */
    bool is_dying;      /* XEN_DOMCTL_destroydomain started: going away, never runs again */
    bool is_shutdown;
    unsigned int shutdown_reason; /* SHUTDOWN_* */
    int shutdown_code;            /* SCHEDOP_shutdown_code: reason to use instead, -1 = none */
    unsigned int max_vcpus;
    struct vcpu *vcpus[MAX_VCPUS];
    uint8_t handle[16]; /* toolstack UUID (XENVER_guest_handle); zero until set */

    uint64_t tot_pages; /* RAM pages owned */
    uint64_t max_pages;

    /* Memory map answered by XENMEM_memory_map; filled by the builder or XENMEM_set_memory_map. */
    spinlock_t e820_lock; /* protects e820[] and nr_e820 */
    struct e820entry e820[DOMAIN_E820_MAX];
    unsigned int nr_e820;

    void *shared_info; /* struct shared_info *, a hypervisor-owned page (builder allocates) */
    uint64_t shared_info_gfn; /* where the guest mapped it; INVALID_GFN_RAW if not (grant_lock) */

    /*
     * Event channels (2-level). evtchn_lock protects evtchn[], every vCPU's
     * virq_to_port[] and vcpu_info pointer switch, and virq_global_port[]. It
     * is held while raising a port of this domain. Lock order: two domains'
     * evtchn_locks are taken lower domain_id first. Never taken from a hard
     * interrupt that may have interrupted a holder on the same pCPU.
     */
    spinlock_t evtchn_lock;
    struct evtchn evtchn[NR_EVTCHN_2L];
    uint32_t
        virq_global_port[NR_VIRQS]; /* global VIRQs (CONSOLE, DOM_EXC...); notify vCPU per port */
    uint64_t poll_mask;             /* bit i: vCPU i is in SCHEDOP_poll (atomic ops only) */

    /*
     * Grant table v1: hypervisor-owned frames the guest maps with
     * add_to_physmap. grant_lock protects grant_frames[], nr_grant_frames,
     * grant_frame_gfn[] and shared_info_gfn (the physmap placement of every
     * hypervisor page); arch_p2m_* may be called with it held.
     */
    spinlock_t grant_lock;
    void *grant_frames[GRANT_MAX_FRAMES];
    unsigned int nr_grant_frames;
    uint64_t grant_frame_gfn[GRANT_MAX_FRAMES]; /* INVALID_GFN_RAW = not mapped */
    /* Active grants and maptrack (hv/grant.h); created on first use under grant_lock. */
    struct grant_state *grant;

    uint64_t hvm_param[NR_HVM_PARAMS]; /* HVM_PARAM_*: written by the builder and HVMOP_set_param */
    uint32_t vm_assist;                /* bit VMASST_TYPE_*: enabled assists (atomic ops) */

    void *arch; /* p2m and other arch state (struct arch_domain *) */

    /*
     * Pausing (domain_pause()/domain_unpause() in hv/domctl.h). While pause_count > 0
     * the scheduler must not run any vCPU of the domain. controller_pause_count is the
     * toolstack's share (XEN_DOMCTL_pausedomain/unpausedomain; a created domain starts
     * with 1), reported as XEN_DOMINF_paused.
     */
    int pause_count;            /* atomic ops only */
    int controller_pause_count; /* under the domctl lock */
    struct domain_ctl ctl;

    /* Lifetime (hv/common/domain.c, rcu.c): 1 for the domain table + one per domain_get(). */
    int refcnt;              /* atomic ops only */
    uint64_t rcu_epoch;      /* unlinked: grace period it waits for */
    struct domain *rcu_next; /* unlinked: next on the reclaim list */
};

/* Look up a domain by id (DOMID_SELF handled by callers); NULL if none. The pointer stays valid
 * until the calling hypercall returns (hv/rcu.h); keep it longer only with domain_get(). */
struct domain *domain_by_id(uint16_t domid);
/* Take a reference on d so it outlives the current hypercall; false if d is being freed. */
bool domain_get(struct domain *d);
/* Drop a reference; the last one frees d (arch state, vCPUs, shared_info, the structure). */
void domain_put(struct domain *d);
/* Domain ids are 0 .. MAX_DOMAINS - 1 (domain_alloc refuses others). */
#define MAX_DOMAINS 64
/* Unregister and free a domain from domain_alloc() whose ports, grant frames, RAM and arch state
 * are already gone (hv/common/domain.c). */
void domain_free(struct domain *d);
/* Stop the domain with a SHUTDOWN_* reason; its vCPUs stop running. */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Crash the domain (misbehaving guest): log, dump, then shutdown with SHUTDOWN_crash. */
void domain_crash(struct domain *d, const char *why);
/* Make vCPU v re-check for pending work (event upcall, timer): wakes it from HLT (one pCPU today:
 * no IPI). */
void vcpu_kick(struct vcpu *v);
/* Mark an event upcall pending in v's vcpu_info and kick v if it was not already pending. */
void vcpu_mark_events_pending(struct vcpu *v);
/* The vCPU running on this pCPU (the caller of a hypercall), or NULL in the idle loop. */
struct vcpu *current_vcpu(void);
/* Record a runstate change (RUNSTATE_*) of v: account time, update the guest's runstate area. */
void vcpu_runstate_change(struct vcpu *v, int new_state);

/* Arch hooks the common code calls (implemented in hv/arch/x86; the physmap in hv/physmap.h). */
/* SCHEDOP_yield: let other vCPUs on this pCPU run for a while, then return to the caller. */
void vcpu_yield(void);
/* Set v->blocked; the run loop then halts v (not the hypercall) until vcpu_kick(v) after return. */
void vcpu_block(struct vcpu *v);
/* Flush every vCPU's guest TLB before it next runs (HVMOP_flush_tlbs). */
void arch_domain_flush_tlbs(struct domain *d);
/* Unix time in ns that corresponds to now_ns() == 0 (e.g. RTC at boot minus now_ns then); 0 if
 * unknown. */
uint64_t arch_wallclock_boot_ns(void);
/* Set the Unix time in ns that corresponds to now_ns() == 0 (XENPF_settime). */
void arch_set_wallclock_boot_ns(uint64_t ns);
/* The hypervisor's boot command line, NUL-terminated (never NULL). */
const char *arch_hypervisor_cmdline(void);
struct vcpu_hvm_context;
/* VCPUOP_initialise: check ctx and load it into v, which stays down; 0, -XEN_EEXIST (already
 * has a state) or -XEN_EINVAL (hv/arch/x86/hvm/vcpu_init.c). */
int arch_vcpu_initialise(struct vcpu *v, const struct vcpu_hvm_context *ctx);
/* VCPUOP_up: bring an initialised v online; 0 or -XEN_EINVAL. */
int arch_vcpu_up(struct vcpu *v);
/* VCPUOP_down: take v offline (the last one online powers the domain off); 0. */
int arch_vcpu_down(struct vcpu *v);

#endif
