/* Domain lifecycle: creation of the domain and vCPU structures, shutdown, crash, lookup, dumps. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/frame.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/sched.h>
#include <hv/keyhandler.h>
#include <hv/hypercall.h>
#include <hv/event.h>
#include <public/xen.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/errno.h>

static struct domain *domains[MAX_DOMAINS];
static spinlock_t domlist_lock = SPINLOCK_INIT;

static const char *const shutdown_names[] = {"poweroff", "reboot",   "suspend",
                                             "crash",    "watchdog", "soft_reset"};

/* Look up a domain by id (DOMID_SELF handled by callers); NULL if none. */
struct domain *domain_by_id(uint16_t domid)
{
    return domid < MAX_DOMAINS ? domains[domid] : NULL;
}

/* Allocate domain domid with max_vcpus vCPU structures (arch state added by the caller); NULL on
 * failure. */
struct domain *domain_alloc(uint16_t domid, unsigned int max_vcpus)
{
    struct domain *d;

    if (domid >= MAX_DOMAINS || max_vcpus == 0 || max_vcpus > MAX_VCPUS)
        return NULL;
    d = xzalloc_obj(struct domain);
    if (!d)
        return NULL;
    d->domain_id = domid;
    d->max_vcpus = max_vcpus;
    d->shared_info_gfn = INVALID_GFN_RAW;
    spin_lock_init(&d->evtchn_lock);
    spin_lock_init(&d->grant_lock);
    d->shared_info = alloc_page_zeroed();
    if (!d->shared_info)
        goto fail;
    for (unsigned int i = 0; i < max_vcpus; i++) {
        struct vcpu *v = xzalloc_obj(struct vcpu);
        if (!v)
            goto fail;
        v->vcpu_id = i;
        v->domain = d;
        v->runstate = RUNSTATE_offline;
        v->processor = 0;
        v->affinity_hard = v->affinity_soft = ~0ULL;
        d->vcpus[i] = v;
    }
    hypercall_domain_init(d);
    for (unsigned int i = 0; i < max_vcpus; i++)
        hypercall_vcpu_init(d->vcpus[i]);
    spin_lock(&domlist_lock);
    if (domains[domid]) {
        spin_unlock(&domlist_lock);
        goto fail;
    }
    domains[domid] = d;
    spin_unlock(&domlist_lock);
    return d;
fail:
    for (unsigned int i = 0; i < max_vcpus; i++)
        xfree(d->vcpus[i]);
    if (d->shared_info)
        free_pages(d->shared_info, 0);
    xfree(d);
    return NULL;
}

/*
 * Undo domain_alloc() for a domain nothing refers to any more: take it out of the domain
 * table, free its vCPU structures, shared_info page and the domain. Hypercall state (ports,
 * grant frames), arch state and RAM must already be gone (see XEN_DOMCTL_destroydomain).
 */
void domain_free(struct domain *d)
{
    spin_lock(&domlist_lock);
    if (d->domain_id < MAX_DOMAINS && domains[d->domain_id] == d)
        domains[d->domain_id] = NULL;
    spin_unlock(&domlist_lock);
    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++)
        xfree(d->vcpus[i]);
    /* Another domain may still map shared_info (a foreign mapping): the last one frees it. */
    if (d->shared_info)
        frame_release((uint64_t)(uintptr_t)d->shared_info >> PAGE_SHIFT);
    xfree(d);
}

/* Stop the domain with a SHUTDOWN_* reason; its vCPUs stop running. */
void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (d->is_shutdown)
        return;
    d->is_shutdown = true;
    d->shutdown_reason = reason;
    pr_info("Domain %u shut down: reason %s\n", d->domain_id,
            reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "unknown");
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i])
            vcpu_kick(d->vcpus[i]);
    /* Tell the toolstack (xenstored's @releaseDomain, xl) that a domain changed state. */
    if (d->domain_id != 0 && domain_by_id(0))
        send_guest_global_virq(domain_by_id(0), VIRQ_DOM_EXC);
    sched_domain_shutdown(d);
}

/* Crash the domain (misbehaving guest): log, dump, then shutdown with SHUTDOWN_crash. */
void domain_crash(struct domain *d, const char *why)
{
    struct vcpu *cur = current_vcpu();

    pr_err("domain %u crashed: %s\n", d->domain_id, why);
    if (cur && cur->domain == d) {
        pr_err("  d%uv%u state at the crash:\n", d->domain_id, cur->vcpu_id);
        arch_vcpu_dump(cur);
    }
    domain_shutdown(d, SHUTDOWN_crash);
}

/* The vCPU running on this pCPU (the caller of a hypercall), or NULL in the idle loop. */
struct vcpu *current_vcpu(void)
{
    return arch_current_vcpu();
}

static void dump_domains(char key)
{
    (void)key;
    printk("'q' pressed -> dumping domain info\n");
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];
        if (!d)
            continue;
        printk("Domain %u: %s%s pages=%llu max_vcpus=%u shared_info gfn=%#llx\n", d->domain_id,
               d->is_privileged ? "privileged " : "", d->is_shutdown ? "shut down" : "running",
               (unsigned long long)d->tot_pages, d->max_vcpus,
               (unsigned long long)d->shared_info_gfn);
        for (unsigned int j = 0; j < d->max_vcpus; j++) {
            struct vcpu *v = d->vcpus[j];
            if (!v)
                continue;
            printk("  VCPU%u: CPU%u %s%s\n", v->vcpu_id, v->processor,
                   v->online ? "online" : "offline", v->blocked ? " blocked" : "");
            arch_vcpu_dump(v);
        }
    }
}

/* Register the domain debug keys. */
void domain_keyhandlers_init(void)
{
    register_keyhandler('q', dump_domains, "dump domain (and guest debug) info");
}
