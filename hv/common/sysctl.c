/*
 * sysctl (hypercall 35, privileged): host-wide information for the toolstack (physinfo, the
 * domain list, the hypervisor console ring, scheduler and CPU pool, CPU features), with Xen
 * 4.17's numbers and layouts. Like Xen, the whole struct is copied back when a sub-op succeeds.
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <public/errno.h>

#define READCONSOLE_CHUNK 256 /* bytes moved from the ring per step */

/* Whether the console ring still holds the byte at absolute position pos. */
static bool ring_has_byte_at(uint64_t pos)
{
    char c;
    uint64_t p = pos;

    return console_ring_read(&c, 1, &p) == 1 && p == pos + 1;
}

/*
 * XEN_SYSCTL_readconsole. The ring counts bytes since boot in 64 bits; the ABI's index is the
 * low 32 bits. An incremental index is honoured if it names a byte still held (or the end of
 * the ring); otherwise, like Xen, reading starts at the oldest byte not cleared.
 */
static long readconsole(struct vcpu *v, struct xen_sysctl_readconsole *rc)
{
    char buf[READCONSOLE_CHUNK];
    uint64_t oldest = 0, pos;
    uint32_t sofar = 0;

    /* The oldest byte not cleared (the end of the ring if it holds nothing). */
    if (console_ring_read(buf, 1, &oldest))
        oldest--;
    pos = oldest;
    if (rc->incremental) {
        /* Widen index to the 64-bit position at or above the oldest byte with those low bits. */
        uint64_t want = (oldest & ~0xffffffffULL) | rc->index;
        if (want < oldest)
            want += 1ULL << 32;
        /* Valid if the byte before it is still held: oldest < want <= end, as in Xen. */
        if (want > oldest && ring_has_byte_at(want - 1))
            pos = want;
    }
    while (sofar < rc->count) {
        size_t n = console_ring_read(buf, MIN((size_t)(rc->count - sofar), sizeof(buf)), &pos);
        if (!n)
            break;
        if (copy_to_guest(v, rc->buffer + sofar, buf, n))
            return -XEN_EFAULT;
        sofar += (uint32_t)n;
    }
    /* Clear only once everything has been read, so that nothing unread is lost. */
    if (rc->clear && !ring_has_byte_at(pos))
        console_ring_clear();
    rc->count = sofar;
    rc->index = (uint32_t)pos;
    return 0;
}

static void physinfo(struct xen_sysctl_physinfo *pi)
{
    unsigned int nr = arch_nr_cpus();

    memset(pi, 0, sizeof(*pi));
    pi->threads_per_core = 1;
    pi->cores_per_socket = nr;
    pi->nr_cpus = nr;
    pi->max_cpu_id = nr - 1;
    pi->nr_nodes = 1;
    pi->max_node_id = 0;
    pi->cpu_khz = (uint32_t)tsc_khz();
    pi->capabilities =
        XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = page_alloc_total_pages();
    pi->free_pages = page_alloc_free_pages();
    pi->max_mfn = arch_max_mfn();
    arch_cpu_featureset(XEN_SYSCTL_cpu_featureset_host, pi->hw_cap, ARRAY_SIZE(pi->hw_cap));
}

static long getdomaininfolist(struct vcpu *v, struct xen_sysctl_getdomaininfolist *l)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t num = 0;

    for (unsigned int id = l->first_domain; id < MAX_DOMAINS && num < l->max_domains; id++) {
        struct domain *d = domain_by_id((uint16_t)id);
        if (!d)
            continue;
        domctl_getdomaininfo(d, &info);
        if (copy_to_guest(v, l->buffer + (uint64_t)num * sizeof(info), &info, sizeof(info)))
            return -XEN_EFAULT;
        num++;
    }
    l->num_domains = num;
    return 0;
}

/* One CPU pool, id 0, holding every pCPU and every domain. */
static long cpupool_op(struct vcpu *v, struct xen_sysctl_cpupool_op *c)
{
    unsigned int nbits = MIN(arch_nr_cpus(), 64U);
    uint64_t all = nbits >= 64 ? ~0ULL : (1ULL << nbits) - 1;

    switch (c->op) {
    case XEN_SYSCTL_CPUPOOL_OP_INFO: /* the first pool with an id >= cpupool_id */
        if (c->cpupool_id != 0)
            return -XEN_ENOENT;
        c->sched_id = DOMCTL_SCHEDULER_ID;
        c->n_dom = 0;
        for (unsigned int id = 0; id < MAX_DOMAINS; id++)
            if (domain_by_id((uint16_t)id))
                c->n_dom++;
        return domctl_bitmap_write(v, &c->cpumap, nbits, all);
    case XEN_SYSCTL_CPUPOOL_OP_FREEINFO: /* no pCPU is outside pool 0 */
        return domctl_bitmap_write(v, &c->cpumap, nbits, 0);
    case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN: /* only to where it already is */
        if (c->cpupool_id != 0)
            return -XEN_ENOENT;
        return c->domid < DOMID_FIRST_RESERVED && domain_by_id((uint16_t)c->domid) ? 0 : -XEN_ESRCH;
    case XEN_SYSCTL_CPUPOOL_OP_CREATE:
    case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
    case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
    case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_ENOSYS;
    }
}

static long cpu_featureset(struct vcpu *v, struct xen_sysctl_cpu_featureset *f)
{
    uint32_t fs[SYSCTL_FEATURESET_WORDS];
    unsigned int nr;

    if (!f->features) { /* how many words there are */
        f->nr_features = SYSCTL_FEATURESET_WORDS;
        return 0;
    }
    nr = MIN(f->nr_features, (uint32_t)SYSCTL_FEATURESET_WORDS);
    if (f->index > XEN_SYSCTL_cpu_featureset_hvm_max)
        return -XEN_EINVAL;
    if (f->index == XEN_SYSCTL_cpu_featureset_pv || f->index == XEN_SYSCTL_cpu_featureset_pv_max)
        return -XEN_EOPNOTSUPP; /* no PV guests */
    memset(fs, 0, sizeof(fs));
    arch_cpu_featureset(f->index, fs, SYSCTL_FEATURESET_WORDS);
    if (nr && copy_to_guest(v, f->features, fs, nr * sizeof(fs[0])))
        return -XEN_EFAULT;
    f->nr_features = nr;
    return 0;
}

static long cpu_policy(struct xen_sysctl_cpu_policy *p)
{
    if (p->_rsvd || p->index > XEN_SYSCTL_cpu_policy_hvm_default)
        return -XEN_EINVAL;
    if (p->index == XEN_SYSCTL_cpu_policy_pv_max || p->index == XEN_SYSCTL_cpu_policy_pv_default)
        return -XEN_EOPNOTSUPP;
    /* Minimal: an empty serialised policy. */
    p->nr_leaves = 0;
    p->nr_msrs = 0;
    return 0;
}

static long sysctl_op(struct vcpu *v, struct xen_sysctl *op)
{
    switch (op->cmd) {
    case XEN_SYSCTL_readconsole:
        return readconsole(v, &op->u.readconsole);
    case XEN_SYSCTL_physinfo:
        physinfo(&op->u.physinfo);
        return 0;
    case XEN_SYSCTL_sched_id:
        op->u.sched_id.sched_id = DOMCTL_SCHEDULER_ID;
        return 0;
    case XEN_SYSCTL_getdomaininfolist:
        return getdomaininfolist(v, &op->u.getdomaininfolist);
    case XEN_SYSCTL_cpupool_op:
        return cpupool_op(v, &op->u.cpupool_op);
    case XEN_SYSCTL_get_cpu_featureset:
        return cpu_featureset(v, &op->u.cpu_featureset);
    case XEN_SYSCTL_get_cpu_policy:
        return cpu_policy(&op->u.cpu_policy);
    default:
        return -XEN_ENOSYS;
    }
}

long do_sysctl(struct vcpu *v, uint64_t arg)
{
    struct xen_sysctl op;
    long ret;

    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -XEN_EACCES;
    domctl_lock();
    ret = sysctl_op(v, &op);
    domctl_unlock();
    if (!ret && copy_to_guest(v, arg, &op, sizeof(op)))
        ret = -XEN_EFAULT;
    return ret;
}
