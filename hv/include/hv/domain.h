/* Domains and vCPUs: the vendor-neutral state every hypercall family works on. */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/types.h>
#include <hv/spinlock.h>
#include <hv/time.h>

#define MAX_VCPUS 64
#define NR_EVTCHN_2L 4096 /* 2-level ABI on a 64-bit guest: 64 * 64 ports */
#define NR_VIRQS 24
#define NR_HVM_PARAMS 64
#define GRANT_MAX_FRAMES 64

enum vcpu_runstate { RUNSTATE_running = 0, RUNSTATE_runnable = 1, RUNSTATE_blocked = 2, RUNSTATE_offline = 3 };

/* One event-channel port (2-level ABI). Protected by domain->evtchn_lock. */
struct evtchn {
    uint8_t state;      /* ECS_* from event.h */
    uint8_t pending_ipi_unused;
    uint16_t virq;      /* for ECS_VIRQ */
    uint32_t notify_vcpu;
    uint16_t remote_domid; /* ECS_UNBOUND: who may bind; ECS_INTERDOMAIN: peer */
    uint32_t remote_port;  /* ECS_INTERDOMAIN: peer port */
};

struct domain;

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;

    /* Where this vCPU's vcpu_info lives (host pointer into guest RAM or the shared_info page). */
    void *vcpu_info;        /* struct vcpu_info * */
    bool vcpu_info_registered;
    uint64_t runstate_gva;  /* 0 = none registered */
    enum vcpu_runstate runstate;
    uint64_t runstate_entry_ns;
    uint64_t runstate_time[4];

    uint32_t virq_to_port[NR_VIRQS]; /* per-vCPU VIRQs (TIMER, DEBUG...) */
    struct timer singleshot;        /* VCPUOP_set_singleshot_timer */
    uint64_t poll_deadline;         /* SCHEDOP_poll: 0 = not polling */
    bool polling;

    bool online;                    /* started (BSP at build, APs after SIPI) */
    bool blocked;                   /* halted, waiting for an event */
    volatile bool kicked;           /* something to deliver: leave HLT, re-check injection */

    unsigned int processor;         /* pCPU it runs on */
    void *hvm;                      /* vendor state (struct svm_vcpu *), never touched by common code */
};

struct domain {
    uint16_t domain_id;
    bool is_privileged;             /* dom0: domctl/sysctl/console_io allowed */
    bool is_dying;
    bool is_shutdown;
    unsigned int shutdown_reason;   /* SHUTDOWN_* */
    unsigned int max_vcpus;
    struct vcpu *vcpus[MAX_VCPUS];

    uint64_t tot_pages;             /* RAM pages owned */
    uint64_t max_pages;

    void *shared_info;              /* struct shared_info *, a hypervisor-owned page */
    uint64_t shared_info_gfn;       /* where the guest mapped it; INVALID_GFN_RAW if not */

    /* Event channels (2-level). */
    spinlock_t evtchn_lock;
    struct evtchn evtchn[NR_EVTCHN_2L];
    uint32_t virq_global_port[NR_VIRQS]; /* global VIRQs (CONSOLE, DOM_EXC) bound on vCPU 0 */

    /* Grant table v1: hypervisor-owned frames the guest maps with add_to_physmap. */
    spinlock_t grant_lock;
    void *grant_frames[GRANT_MAX_FRAMES];
    unsigned int nr_grant_frames;
    uint64_t grant_frame_gfn[GRANT_MAX_FRAMES];

    uint64_t hvm_param[NR_HVM_PARAMS];
    uint32_t vm_assist;

    void *arch;                     /* p2m and other arch state (struct arch_domain *) */
};

/* Look up a domain by id (DOMID_SELF handled by callers); NULL if none. */
struct domain *domain_by_id(uint16_t domid);
/* Stop the domain with a SHUTDOWN_* reason; its vCPUs stop running. */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Crash the domain (misbehaving guest): log, dump, then shutdown with SHUTDOWN_crash. */
void domain_crash(struct domain *d, const char *why);
/* Make vCPU v re-check for pending work (event upcall, timer): wakes HLT, IPIs its pCPU. */
void vcpu_kick(struct vcpu *v);
/* Mark an event upcall pending in v's vcpu_info and kick v if it was not already pending. */
void vcpu_mark_events_pending(struct vcpu *v);
/* The vCPU running on this pCPU (the caller of a hypercall), or NULL in the idle loop. */
struct vcpu *current_vcpu(void);

/* Arch hooks the common code calls (implemented in hv/arch/x86). */
/* Map the hypervisor page at host-physical mfn into d's physmap at gfn (replacing whatever was there). */
int arch_p2m_map_page(struct domain *d, uint64_t gfn, uint64_t mfn);
/* Remove d's physmap entry at gfn; frees it when it was domain RAM. */
int arch_p2m_unmap_page(struct domain *d, uint64_t gfn);

#endif
