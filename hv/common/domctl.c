/*
 * domctl (hypercall 36, privileged): creating, pausing, inspecting and destroying domains for
 * the toolstack, with Xen 4.17's numbers, layouts and error codes. The entry point copies
 * struct xen_domctl in, checks the interface version, resolves the target domain under the
 * toolstack lock, runs one typed worker and copies the struct back when the sub-op has output.
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domctl.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/hvm_save.h>
#include <hv/sched.h>
#include <public/errno.h>
#include <public/vcpu.h>

static spinlock_t toolstack_lock = SPINLOCK_INIT;
static unsigned int domid_rover; /* the id createdomain handed out last (0: none yet) */

void domctl_lock(void)
{
    spin_lock(&toolstack_lock);
}

void domctl_unlock(void)
{
    spin_unlock(&toolstack_lock);
}

bool domctl_trylock(void)
{
    return spin_trylock(&toolstack_lock);
}

/* ---- pausing ---- */

void domain_pause(struct domain *d)
{
    __atomic_add_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++)
        if (d->vcpus[i])
            sched_vcpu_sync(d->vcpus[i]);
}

void domain_unpause(struct domain *d)
{
    if (__atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST) > 0)
        return;
    /* Let each home pCPU look at its run queue again (no wake-up of blocked vCPUs). */
    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
        struct vcpu *v = d->vcpus[i];
        if (v && v->processor != arch_cpu_id())
            arch_kick_cpu(v->processor);
    }
}

/* ---- guest bitmaps (struct xenctl_bitmap) <-> 64-bit pCPU masks ---- */

#define BITMAP_BYTES(bits) (((uint64_t)(bits) + 7) / 8)

static uint64_t low_bits(unsigned int nbits)
{
    return nbits >= 64 ? ~0ULL : (1ULL << nbits) - 1;
}

int domctl_bitmap_read(struct vcpu *v, const struct xenctl_bitmap *b, unsigned int nbits,
                       uint64_t *mask)
{
    uint8_t bytes[8] = {0};
    uint64_t guest_bytes = BITMAP_BYTES(b->nr_bits);
    uint64_t n = MIN(guest_bytes, BITMAP_BYTES(MIN(nbits, 64U)));
    uint64_t m = 0;

    if (n && copy_from_guest(v, bytes, b->bitmap, n))
        return -XEN_EFAULT;
    /* Bits past nr_bits in the guest's last byte are not part of the map. */
    if ((b->nr_bits & 7) && n == guest_bytes)
        bytes[n - 1] &= (uint8_t)((1U << (b->nr_bits & 7)) - 1);
    for (uint64_t i = 0; i < n; i++)
        m |= (uint64_t)bytes[i] << (8 * i);
    *mask = m & low_bits(nbits);
    return 0;
}

int domctl_bitmap_write(struct vcpu *v, const struct xenctl_bitmap *b, unsigned int nbits,
                        uint64_t mask)
{
    static const uint8_t zeros[64];
    uint8_t bytes[8];
    uint64_t guest_bytes = BITMAP_BYTES(b->nr_bits);
    uint64_t n = MIN(guest_bytes, BITMAP_BYTES(MIN(nbits, 64U)));

    mask &= low_bits(nbits);
    for (unsigned int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(mask >> (8 * i));
    if (n && copy_to_guest(v, b->bitmap, bytes, n))
        return -XEN_EFAULT;
    for (uint64_t off = n; off < guest_bytes;) {
        uint64_t chunk = MIN(guest_bytes - off, (uint64_t)sizeof(zeros));
        if (copy_to_guest(v, b->bitmap + off, zeros, chunk))
            return -XEN_EFAULT;
        off += chunk;
    }
    return 0;
}

/* ---- XEN_DOMCTL_getdomaininfo ---- */

void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;
    uint32_t code;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
        const struct vcpu *v = d->vcpus[i];

        if (!v)
            continue;
        info->cpu_time += v->runstate_time[RUNSTATE_running];
        info->max_vcpu_id = i;
        if (!v->online)
            continue;
        if (!v->blocked)
            flags &= ~XEN_DOMINF_blocked;
        if (v->runstate == RUNSTATE_running)
            flags |= XEN_DOMINF_running;
        info->nr_online_vcpus++;
    }
    if (!info->nr_online_vcpus)
        flags = 0;
    /* Every domain here is PVH: an HVM container on nested paging. */
    flags |= XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;
    if (d->is_dying)
        flags |= XEN_DOMINF_dying;
    if (d->is_shutdown)
        flags |= XEN_DOMINF_shutdown;
    if (d->controller_pause_count > 0)
        flags |= XEN_DOMINF_paused;
    if (d->ctl.cdf_flags & XEN_DOMCTL_CDF_xs_domain)
        flags |= XEN_DOMINF_xs_domain;
    /* The shutdown code field is all ones while no code is known, as in Xen. */
    if (d->is_shutdown)
        code = d->shutdown_reason;
    else if (d->shutdown_code >= 0)
        code = (uint32_t)d->shutdown_code;
    else
        code = ~0U;
    info->flags = flags | (code << XEN_DOMINF_shutdownshift);

    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_frame = d->shared_info_gfn;
    info->ssidref = d->ctl.ssidref;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->cpupool = 0;
    info->gpaddr_bits = DOMCTL_GPADDR_BITS;
    info->arch_config.emulation_flags =
        d->ctl.emulation_flags ? d->ctl.emulation_flags : XEN_X86_EMU_LAPIC;
    info->arch_config.misc_flags = d->ctl.misc_flags;
}

static long getdomaininfo(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    if (!d) {
        /* Up to Xen 4.17: a missing id gives the next existing domain above it. */
        if (op->domain >= DOMID_FIRST_RESERVED)
            return -XEN_EINVAL;
        for (unsigned int id = op->domain; id < MAX_DOMAINS && !d; id++)
            d = domain_by_id((uint16_t)id);
        if (!d)
            return -XEN_ESRCH;
    }
    domctl_getdomaininfo(d, &op->u.getdomaininfo);
    op->domain = d->domain_id;
    *copyback = true;
    return 0;
}

/* ---- XEN_DOMCTL_createdomain ---- */

/* Check a createdomain request against what we offer: PVH (HVM + HAP, LAPIC only). */
static long createdomain_check(const struct xen_domctl_createdomain *c)
{
    const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |
                           XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain |
                           XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
    bool hvm = c->flags & XEN_DOMCTL_CDF_hvm, hap = c->flags & XEN_DOMCTL_CDF_hap;
    unsigned int version = XEN_DOMCTL_GRANT_version(c->grant_opts);

    /* Same order of checks as Xen, so the same request fails with the same error. */
    if (c->flags & ~known)
        return -XEN_EINVAL;
    if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
        return -XEN_EINVAL;
    if (c->max_vcpus < 1)
        return -XEN_EINVAL;
    if (hap && !hvm)
        return -XEN_EINVAL;
    if ((c->flags & XEN_DOMCTL_CDF_iommu) || c->iommu_opts) /* no IOMMU */
        return -XEN_EINVAL;
    if (c->vmtrace_size || (c->flags & XEN_DOMCTL_CDF_vpmu))
        return -XEN_EINVAL;
    if (!hvm || c->max_vcpus > MAX_VCPUS) /* no PV guests */
        return -XEN_EINVAL;
    if (c->flags & XEN_DOMCTL_CDF_s3_integrity) /* no tboot */
        return -XEN_EINVAL;
    if (!hap || (c->flags & XEN_DOMCTL_CDF_nested_virt)) /* no shadow paging, no nesting */
        return -XEN_EINVAL;
    if (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
        return -XEN_EINVAL;
    if (c->arch.emulation_flags & ~XEN_X86_EMU_ALL)
        return -XEN_EINVAL;
    if (c->arch.emulation_flags != XEN_X86_EMU_LAPIC) /* PVH only: no device emulation */
        return -XEN_EOPNOTSUPP;
    if (version < 1 || version > 1) /* grant table v1 only */
        return -XEN_EINVAL;
    if ((c->max_grant_frames >= 0 &&
         (c->max_grant_frames < 1 || c->max_grant_frames > DOMCTL_DEFAULT_MAX_GRANT_FRAMES)) ||
        c->max_maptrack_frames > DOMCTL_DEFAULT_MAX_MAPTRACK_FRAMES)
        return -XEN_EINVAL;
    if (c->cpupool_id != 0) /* only pool 0 exists */
        return -XEN_ENOENT;
    return 0;
}

/* The domain id to create: the requested one, or the next free one after the last handed out. */
static long createdomain_pick_id(domid_t want, uint16_t *id)
{
    if (want > 0 && want < DOMID_FIRST_RESERVED) {
        if (want >= MAX_DOMAINS)
            return -XEN_EINVAL;
        if (domain_by_id(want))
            return -XEN_EEXIST;
        *id = want;
        return 0;
    }
    for (unsigned int i = 0; i < MAX_DOMAINS - 1; i++) {
        unsigned int cand = (domid_rover + i) % (MAX_DOMAINS - 1) + 1; /* 1 .. MAX_DOMAINS-1 */
        if (!domain_by_id((uint16_t)cand)) {
            domid_rover = cand;
            *id = (uint16_t)cand;
            return 0;
        }
    }
    return -XEN_ENOMEM;
}

/* Undo a half-made domain (nothing else can see it yet except through domain_by_id). */
static void createdomain_unwind(struct domain *d)
{
    arch_domain_free(d);
    hypercall_domain_teardown(d);
    domain_free(d);
}

static long createdomain(struct domain *cur, struct xen_domctl *op, bool *copyback)
{
    const struct xen_domctl_createdomain *c = &op->u.createdomain;
    struct domain *d;
    uint16_t id;
    long rc = createdomain_check(c);

    if (rc)
        return rc;
    rc = createdomain_pick_id(op->domain, &id);
    if (rc)
        return rc;
    d = domain_alloc(id, c->max_vcpus);
    if (!d)
        return -XEN_ENOMEM;

    d->ctl.cdf_flags = c->flags;
    d->ctl.ssidref = c->ssidref;
    d->ctl.emulation_flags = c->arch.emulation_flags;
    d->ctl.misc_flags = c->arch.misc_flags;
    d->ctl.max_evtchn_port = MIN(c->max_evtchn_port, (uint32_t)NR_EVTCHN_2L - 1);
    d->ctl.max_grant_frames =
        c->max_grant_frames < 0 ? DOMCTL_DEFAULT_MAX_GRANT_FRAMES : (uint32_t)c->max_grant_frames;
    d->ctl.max_maptrack_frames = c->max_maptrack_frames < 0 ? DOMCTL_DEFAULT_MAX_MAPTRACK_FRAMES
                                                            : (uint32_t)c->max_maptrack_frames;
    d->ctl.max_grant_version = XEN_DOMCTL_GRANT_version(c->grant_opts);
    d->ctl.sched_weight = DOMCTL_DEFAULT_SCHED_WEIGHT;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    /* A new domain is paused once on the toolstack's behalf; unpausedomain starts it. */
    d->controller_pause_count = 1;
    d->pause_count = 1;

    rc = arch_domain_create(d, c->flags);
    for (unsigned int i = 0; !rc && i < d->max_vcpus; i++)
        rc = arch_vcpu_create(d->vcpus[i]);
    if (rc) {
        createdomain_unwind(d);
        return rc;
    }
    /* Every vCPU starts down; the builder brings vCPU 0 up. */
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        sched_add_vcpu(d->vcpus[i], i % arch_nr_cpus());
    pr_info("d%u: created by d%u: PVH, %u vCPU(s)\n", id, cur->domain_id, d->max_vcpus);
    op->domain = id;
    *copyback = true;
    return 0;
}

/* ---- XEN_DOMCTL_destroydomain ---- */

/*
 * Tear d down in steps: the first call stops it and drops its ports and grant frames; each
 * call then frees up to DOMCTL_DESTROY_BUDGET pages of RAM and returns -XEN_ERESTART while
 * some are left (the hypercall is re-issued), and the last one frees the domain and raises
 * VIRQ_DOM_EXC in dom0.
 */
static long destroydomain(struct domain *cur, struct domain *d)
{
    struct domain *dom0;
    long left;

    if (d == cur || d->is_privileged)
        return -XEN_EINVAL;
    if (!d->is_dying) {
        d->is_dying = true;
        domain_pause(d);
        for (unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
            struct vcpu *v = d->vcpus[i];
            if (!v)
                continue;
            sched_remove_vcpu(v);
            timer_stop(&v->periodic); /* hypercall_domain_teardown() stops the other two */
        }
        hypercall_domain_teardown(d);
        pr_info("d%u: destroyed by d%u\n", d->domain_id, cur->domain_id);
    }
    left = arch_domain_relinquish(d, DOMCTL_DESTROY_BUDGET);
    if (left > 0)
        return -XEN_ERESTART;
    if (left < 0)
        return left;
    arch_domain_free(d);
    domain_free(d);
    dom0 = domain_by_id(0);
    if (dom0)
        send_guest_global_virq(dom0, VIRQ_DOM_EXC);
    return 0;
}

/* ---- the smaller sub-ops ---- */

static long pausedomain(struct domain *cur, struct domain *d)
{
    if (d == cur)
        return -XEN_EINVAL;
    if (d->controller_pause_count >= 255)
        return -XEN_EOVERFLOW;
    d->controller_pause_count++;
    domain_pause(d);
    return 0;
}

static long unpausedomain(struct domain *d)
{
    if (d->controller_pause_count <= 0)
        return -XEN_EINVAL;
    if (--d->controller_pause_count == 0)
        d->ctl.creation_finished = true;
    domain_unpause(d);
    return 0;
}

static long getvcpuinfo(struct domain *d, struct xen_domctl_getvcpuinfo *info, bool *copyback)
{
    const struct vcpu *v;

    if (info->vcpu >= d->max_vcpus)
        return -XEN_EINVAL;
    v = d->vcpus[info->vcpu];
    if (!v)
        return -XEN_ESRCH;
    info->online = v->online;
    info->blocked = v->blocked;
    info->running = v->runstate == RUNSTATE_running;
    info->cpu_time = v->runstate_time[RUNSTATE_running];
    info->cpu = v->processor;
    *copyback = true;
    return 0;
}

static long vcpuaffinity(struct vcpu *cv, struct domain *d, uint32_t cmd,
                         struct xen_domctl_vcpuaffinity *a)
{
    unsigned int nbits = MIN(arch_nr_cpus(), 64U);
    uint64_t online = low_bits(nbits), hard, soft, old_hard;
    struct vcpu *v;
    int rc;

    if (a->vcpu >= d->max_vcpus)
        return -XEN_EINVAL;
    v = d->vcpus[a->vcpu];
    if (!v)
        return -XEN_ESRCH;
    if (!a->flags || ((a->flags & XEN_VCPUAFFINITY_HARD) && !a->cpumap_hard.bitmap) ||
        ((a->flags & XEN_VCPUAFFINITY_SOFT) && !a->cpumap_soft.bitmap))
        return -XEN_EINVAL;

    if (cmd == XEN_DOMCTL_getvcpuaffinity) {
        rc = 0;
        if (a->flags & XEN_VCPUAFFINITY_HARD)
            rc = domctl_bitmap_write(cv, &a->cpumap_hard, nbits, v->affinity_hard);
        if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
            rc = domctl_bitmap_write(cv, &a->cpumap_soft, nbits, v->affinity_soft);
        return rc;
    }

    /* Set, then report what is in effect: the masks cut down to the online pCPUs. */
    old_hard = v->affinity_hard;
    if (a->flags & XEN_VCPUAFFINITY_HARD) {
        rc = domctl_bitmap_read(cv, &a->cpumap_hard, nbits, &hard);
        if (rc)
            return rc;
        if (!(hard & online))
            return -XEN_EINVAL; /* it could never run */
        v->affinity_hard = hard;
        rc = domctl_bitmap_write(cv, &a->cpumap_hard, nbits, hard & online);
        if (rc)
            return rc;
    }
    if (a->flags & XEN_VCPUAFFINITY_SOFT) {
        rc = domctl_bitmap_read(cv, &a->cpumap_soft, nbits, &soft);
        if (rc) {
            v->affinity_hard = old_hard; /* the caller sees a failure: change nothing */
            return rc;
        }
        v->affinity_soft = soft;
        rc = domctl_bitmap_write(cv, &a->cpumap_soft, nbits, soft & online & v->affinity_hard);
        if (rc)
            return rc;
    }
    return 0;
}

static long scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *s, bool *copyback)
{
    if (s->sched_id != DOMCTL_SCHEDULER_ID)
        return -XEN_EINVAL;
    *copyback = true;
    switch (s->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        s->u.credit.weight =
            d->ctl.sched_weight ? d->ctl.sched_weight : DOMCTL_DEFAULT_SCHED_WEIGHT;
        s->u.credit.cap = d->ctl.sched_cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        if (s->u.credit.weight != 0) /* 0 keeps the weight */
            d->ctl.sched_weight = s->u.credit.weight;
        if (s->u.credit.cap != 0xffff) /* ~0 keeps the cap */
            d->ctl.sched_cap = s->u.credit.cap;
        return 0;
    default: /* credit has no per-vCPU parameters */
        return -XEN_EINVAL;
    }
}

static long tscinfo(struct domain *cur, struct domain *d, struct xen_domctl *op, bool *copyback)
{
    struct xen_domctl_tsc_info *t = &op->u.tsc_info;

    if (d == cur)
        return -XEN_EINVAL;
    if (op->cmd == XEN_DOMCTL_gettscinfo) {
        t->tsc_mode = d->ctl.tsc_mode;
        t->gtsc_khz = d->ctl.gtsc_khz ? d->ctl.gtsc_khz : (uint32_t)tsc_khz();
        t->incarnation = d->ctl.tsc_incarnation;
        t->pad = 0;
        t->elapsed_nsec = 0;
        *copyback = true;
        return 0;
    }
    if (t->tsc_mode > TSC_MODE_NEVER_EMULATE)
        return -XEN_EINVAL;
    /* Accepted and remembered; guests always see the host TSC (no emulation yet). */
    d->ctl.tsc_mode = t->tsc_mode;
    d->ctl.gtsc_khz = t->gtsc_khz;
    d->ctl.tsc_incarnation = t->incarnation;
    return 0;
}

static long cpu_policy(struct domain *cur, struct domain *d, struct xen_domctl *op, bool *copyback)
{
    struct xen_domctl_cpu_policy *p = &op->u.cpu_policy;

    if (op->cmd == XEN_DOMCTL_get_cpu_policy) {
        /* Minimal: an empty serialised policy (the guest's CPUID is fixed by the arch code). */
        p->nr_leaves = 0;
        p->nr_msrs = 0;
        *copyback = true;
        return 0;
    }
    if (d == cur)
        return -XEN_EINVAL;
    if (d->ctl.creation_finished)
        return -XEN_EEXIST; /* no changes once the domain has run */
    return 0;               /* accepted, not applied */
}

/* Run one sub-op with the toolstack lock held; d is NULL only for createdomain and for a
 * getdomaininfo whose id does not exist. */
static long domctl_op(struct vcpu *v, struct domain *d, struct xen_domctl *op, bool *copyback)
{
    struct domain *cur = v->domain;

    switch (op->cmd) {
    case XEN_DOMCTL_createdomain:
        return createdomain(cur, op, copyback);
    case XEN_DOMCTL_getdomaininfo:
        return getdomaininfo(d, op, copyback);
    case XEN_DOMCTL_destroydomain:
        return destroydomain(cur, d);
    case XEN_DOMCTL_pausedomain:
        return pausedomain(cur, d);
    case XEN_DOMCTL_unpausedomain:
        return unpausedomain(d);
    case XEN_DOMCTL_max_vcpus:
        /* vCPUs were made by createdomain: only the same count is accepted. */
        return d == cur || op->u.max_vcpus.max != d->max_vcpus ? -XEN_EINVAL : 0;
    case XEN_DOMCTL_max_mem:
        d->max_pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
        return 0;
    case XEN_DOMCTL_getvcpuinfo:
        return getvcpuinfo(d, &op->u.getvcpuinfo, copyback);
    case XEN_DOMCTL_setvcpuaffinity:
    case XEN_DOMCTL_getvcpuaffinity:
        return vcpuaffinity(v, d, op->cmd, &op->u.vcpuaffinity);
    case XEN_DOMCTL_scheduler_op:
        return scheduler_op(d, &op->u.scheduler_op, copyback);
    case XEN_DOMCTL_setdomainhandle:
        memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
        return 0;
    case XEN_DOMCTL_settscinfo:
    case XEN_DOMCTL_gettscinfo:
        return tscinfo(cur, d, op, copyback);
    case XEN_DOMCTL_set_paging_mempool_size:
        if (op->u.paging_mempool.size & (PAGE_SIZE - 1))
            return -XEN_EINVAL;
        d->ctl.paging_mempool_bytes = op->u.paging_mempool.size; /* nested paging needs none */
        return 0;
    case XEN_DOMCTL_get_paging_mempool_size:
        op->u.paging_mempool.size = d->ctl.paging_mempool_bytes;
        *copyback = true;
        return 0;
    case XEN_DOMCTL_get_cpu_policy:
    case XEN_DOMCTL_set_cpu_policy:
        return cpu_policy(cur, d, op, copyback);
    case XEN_DOMCTL_gethvmcontext:
    case XEN_DOMCTL_sethvmcontext:
    case XEN_DOMCTL_gethvmcontext_partial:
        return domctl_hvmcontext(v, d, op, copyback);
    default: /* everything else: not offered */
        return -XEN_ENOSYS;
    }
}

long do_domctl(struct vcpu *v, uint64_t arg)
{
    struct xen_domctl op;
    struct domain *d = NULL;
    bool copyback = false;
    long ret;

    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -XEN_EACCES;

    domctl_lock();
    /* DOMID_SELF is not resolved: the toolstack names domains by id. */
    if (op.cmd != XEN_DOMCTL_createdomain && op.domain < DOMID_FIRST_RESERVED)
        d = domain_by_id(op.domain);
    if (!d && op.cmd != XEN_DOMCTL_createdomain && op.cmd != XEN_DOMCTL_getdomaininfo)
        ret = -XEN_ESRCH;
    else
        ret = domctl_op(v, d, &op, &copyback);
    domctl_unlock();

    if (copyback && copy_to_guest(v, arg, &op, sizeof(op)))
        ret = -XEN_EFAULT;
    return ret;
}
