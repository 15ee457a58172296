/* Unit tests for sysctl (hypercall 35): physinfo, domain list, console ring, pools, features. */
// clang-format off
// SOURCES: hv/common/sysctl.c hv/common/domctl.c hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/grant_table.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c
// clang-format on
#include "fake_hv.h"
#include "harness.h"

static struct xen_sysctl mkop(uint32_t cmd)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return op;
}

/* Issue sysctl op from v through the dispatch table; op gets whatever was copied back. */
static long sysctl(struct vcpu *v, struct xen_sysctl *op)
{
    long rc;

    memcpy(G(v->domain, GVA_ARG), op, sizeof(*op));
    rc = hcall(v, __HYPERVISOR_sysctl, GVA_ARG, 0, 0);
    memcpy(op, G(v->domain, GVA_ARG), sizeof(*op));
    return rc;
}

static void test_entry_checks(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct xen_sysctl op = mkop(XEN_SYSCTL_physinfo);

    CHECK_EQ(sysctl(d1->vcpus[0], &op), -XEN_EPERM);
    CHECK_EQ(op.u.physinfo.nr_cpus, 0);
    const uint32_t bad[] = {0, 0x14, 0x16, ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        op = mkop(XEN_SYSCTL_physinfo);
        op.interface_version = bad[i];
        CHECK_EQ(sysctl(d0->vcpus[0], &op), -XEN_EACCES);
        CHECK_EQ(op.u.physinfo.nr_cpus, 0);
    }
    CHECK_EQ(hcall(d0->vcpus[0], __HYPERVISOR_sysctl, GVA_HOLE, 0, 0), -XEN_EFAULT);
    const uint32_t nosys[] = {0,
                              XEN_SYSCTL_tbuf_op,
                              XEN_SYSCTL_debug_keys,
                              XEN_SYSCTL_numainfo,
                              XEN_SYSCTL_livepatch_op,
                              28,
                              30,
                              ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(nosys); i++) {
        op = mkop(nosys[i]);
        CHECK_EQ(sysctl(d0->vcpus[0], &op), -XEN_ENOSYS);
    }
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_physinfo_sched_id(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct xen_sysctl op = mkop(XEN_SYSCTL_physinfo);
    const struct xen_sysctl_physinfo *pi = &op.u.physinfo;

    memset(&op.u, 0xff, sizeof(op.u)); /* every output field is written */
    CHECK_EQ(sysctl(d0->vcpus[0], &op), 0);
    CHECK_EQ(pi->nr_cpus, 2);
    CHECK_EQ(pi->max_cpu_id, 1);
    CHECK_EQ(pi->threads_per_core, 1);
    CHECK_EQ(pi->cores_per_socket, 2);
    CHECK_EQ(pi->nr_nodes, 1);
    CHECK_EQ(pi->max_node_id, 0);
    CHECK_EQ(pi->cpu_khz, 2000000);
    CHECK_EQ(pi->capabilities,
             XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1);
    CHECK_EQ(pi->arch_capabilities, 0);
    CHECK_EQ(pi->total_pages, 262144);
    CHECK_EQ(pi->free_pages, 100000);
    CHECK_EQ(pi->scrub_pages, 0);
    CHECK_EQ(pi->outstanding_pages, 0);
    CHECK_EQ(pi->max_mfn, 0x123456);
    CHECK_EQ(pi->hw_cap[0], (XEN_SYSCTL_cpu_featureset_host << 16) | 0);
    CHECK_EQ(pi->hw_cap[7], (XEN_SYSCTL_cpu_featureset_host << 16) | 7);

    op = mkop(XEN_SYSCTL_sched_id);
    CHECK_EQ(sysctl(d0->vcpus[0], &op), 0);
    CHECK_EQ(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT);
    fake_domain_destroy(d0);
}

static void test_getdomaininfolist(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d2 = fake_domain_create(2, 3, false);
    struct domain *d5 = fake_domain_create(5, 1, false);
    struct vcpu *v0 = d0->vcpus[0];
    const struct xen_domctl_getdomaininfo *info = G(d0, GVA_BUF);
    struct xen_sysctl op;

    op = mkop(XEN_SYSCTL_getdomaininfolist);
    op.u.getdomaininfolist.max_domains = 10;
    op.u.getdomaininfolist.buffer = GVA_BUF;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 3);
    CHECK_EQ(info[0].domain, 0);
    CHECK_EQ(info[1].domain, 2);
    CHECK_EQ(info[1].max_vcpu_id, 2);
    CHECK_EQ(info[2].domain, 5);
    CHECK_EQ(info[2].tot_pages, 1000);

    /* From an id up, and at most max_domains. */
    op = mkop(XEN_SYSCTL_getdomaininfolist);
    op.u.getdomaininfolist.first_domain = 1;
    op.u.getdomaininfolist.max_domains = 1;
    op.u.getdomaininfolist.buffer = GVA_BUF;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 1);
    CHECK_EQ(info[0].domain, 2);
    op.u.getdomaininfolist.max_domains = 0;
    op.u.getdomaininfolist.buffer = GVA_HOLE;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 0);
    op.u.getdomaininfolist.first_domain = 6;
    op.u.getdomaininfolist.max_domains = ~0U;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 0);
    op.u.getdomaininfolist.first_domain = 0xffff;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 0);

    /* A buffer that faults after the first record: -EFAULT, nothing copied back. */
    op = mkop(XEN_SYSCTL_getdomaininfolist);
    op.u.getdomaininfolist.max_domains = 10;
    op.u.getdomaininfolist.buffer = GVA_HOLE - sizeof(*info);
    op.u.getdomaininfolist.num_domains = 77;
    CHECK_EQ(sysctl(v0, &op), -XEN_EFAULT);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 77);
    fake_domain_destroy(d5);
    fake_domain_destroy(d2);
    fake_domain_destroy(d0);
}

/* readconsole into GVA_BUF; returns the text read (NUL-terminated copy). */
static long readcon(struct vcpu *v, uint8_t clear, uint8_t incremental, uint32_t *index,
                    uint32_t count, char *out)
{
    struct xen_sysctl op = mkop(XEN_SYSCTL_readconsole);
    long rc;

    memset(G(v->domain, GVA_BUF), 0, 512);
    op.u.readconsole.clear = clear;
    op.u.readconsole.incremental = incremental;
    op.u.readconsole.index = *index;
    op.u.readconsole.buffer = GVA_BUF;
    op.u.readconsole.count = count;
    rc = sysctl(v, &op);
    if (rc == 0) {
        *index = op.u.readconsole.index;
        memcpy(out, G(v->domain, GVA_BUF), op.u.readconsole.count);
        out[op.u.readconsole.count] = '\0';
    }
    return rc;
}

static void test_readconsole(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    char out[600];
    uint32_t idx = 0;

    fake_conring_prod = fake_conring_first = 0;
    /* Empty ring. */
    CHECK_EQ(readcon(v0, 0, 1, &idx, 100, out), 0);
    CHECK_EQ(strlen(out), 0);
    CHECK_EQ(idx, 0);

    fake_conring_put("hello\n");
    CHECK_EQ(readcon(v0, 0, 0, &idx, 100, out), 0);
    CHECK(strcmp(out, "hello\n") == 0);
    CHECK_EQ(idx, 6);
    /* Incremental: nothing new, then only what is new. */
    CHECK_EQ(readcon(v0, 0, 1, &idx, 100, out), 0);
    CHECK_EQ(strlen(out), 0);
    CHECK_EQ(idx, 6);
    fake_conring_put("abcdef");
    CHECK_EQ(readcon(v0, 0, 1, &idx, 4, out), 0); /* a small buffer: the rest comes next */
    CHECK(strcmp(out, "abcd") == 0);
    CHECK_EQ(idx, 10);
    CHECK_EQ(readcon(v0, 0, 1, &idx, 100, out), 0);
    CHECK(strcmp(out, "ef") == 0);
    CHECK_EQ(idx, 12);
    /* Not incremental: everything kept, whatever the index says. */
    idx = 3;
    CHECK_EQ(readcon(v0, 0, 0, &idx, 100, out), 0);
    CHECK(strcmp(out, "hello\nabcdef") == 0);
    /* Hostile indexes (beyond the end, wrapped) restart at the oldest byte, as in Xen. */
    const uint32_t wild[] = {13, 1000, 0x80000000U, ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(wild); i++) {
        idx = wild[i];
        CHECK_EQ(readcon(v0, 0, 1, &idx, 100, out), 0);
        CHECK(strcmp(out, "hello\nabcdef") == 0);
        CHECK_EQ(idx, 12);
    }
    /* Index 0 and count 0. */
    idx = 0;
    CHECK_EQ(readcon(v0, 0, 1, &idx, 0, out), 0);
    CHECK_EQ(strlen(out), 0);

    /* The ring (64 bytes in the fake) overwrote old text: a stale index starts at the oldest. */
    for (int i = 0; i < 10; i++)
        fake_conring_put("0123456789");
    idx = 12;
    CHECK_EQ(readcon(v0, 0, 1, &idx, 512, out), 0);
    CHECK_EQ(strlen(out), FAKE_CONRING_SIZE);
    CHECK_EQ(idx, 112);
    CHECK_EQ(out[0], '6'); /* position 48: (48 - 12) % 10 */

    /* Clear: a partial read does not lose the rest; a full read forgets everything read. */
    idx = 0;
    CHECK_EQ(readcon(v0, 1, 0, &idx, 10, out), 0);
    CHECK_EQ(strlen(out), 10);
    CHECK_EQ(fake_conring_first, 0);
    idx = 0;
    CHECK_EQ(readcon(v0, 1, 0, &idx, 512, out), 0);
    CHECK_EQ(strlen(out), FAKE_CONRING_SIZE);
    CHECK_EQ(fake_conring_first, 112);
    CHECK_EQ(readcon(v0, 0, 0, &idx, 512, out), 0);
    CHECK_EQ(strlen(out), 0);
    fake_conring_put("new");
    idx = 0;
    CHECK_EQ(readcon(v0, 0, 0, &idx, 512, out), 0);
    CHECK(strcmp(out, "new") == 0);
    CHECK_EQ(idx, 115);
    /* An index in the cleared part is not honoured either. */
    idx = 100;
    CHECK_EQ(readcon(v0, 0, 1, &idx, 512, out), 0);
    CHECK(strcmp(out, "new") == 0);

    /* A buffer in unmapped memory. */
    struct xen_sysctl op = mkop(XEN_SYSCTL_readconsole);
    op.u.readconsole.buffer = GVA_HOLE;
    op.u.readconsole.count = 10;
    CHECK_EQ(sysctl(v0, &op), -XEN_EFAULT);
    fake_domain_destroy(d0);
}

static void test_cpupool_op(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d3 = fake_domain_create(3, 1, false);
    struct vcpu *v0 = d0->vcpus[0];
    uint8_t *map = G(d0, GVA_BUF);
    struct xen_sysctl op;

    memset(map, 0xee, 8);
    op = mkop(XEN_SYSCTL_cpupool_op);
    op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    op.u.cpupool_op.cpumap = (struct xenctl_bitmap){GVA_BUF, 16, 0};
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.cpupool_op.cpupool_id, 0);
    CHECK_EQ(op.u.cpupool_op.sched_id, XEN_SCHEDULER_CREDIT);
    CHECK_EQ(op.u.cpupool_op.n_dom, 2);
    CHECK_EQ(map[0], 0x03);
    CHECK_EQ(map[1], 0);
    CHECK_EQ(map[2], 0xee);
    /* The next pool after 0: none. */
    op.u.cpupool_op.cpupool_id = 1;
    CHECK_EQ(sysctl(v0, &op), -XEN_ENOENT);
    op.u.cpupool_op.cpupool_id = XEN_SYSCTL_CPUPOOL_PAR_ANY;
    CHECK_EQ(sysctl(v0, &op), -XEN_ENOENT);
    /* No free pCPUs. */
    op = mkop(XEN_SYSCTL_cpupool_op);
    op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO;
    op.u.cpupool_op.cpumap = (struct xenctl_bitmap){GVA_BUF, 8, 0};
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(map[0], 0);
    op.u.cpupool_op.cpumap.bitmap = GVA_HOLE;
    CHECK_EQ(sysctl(v0, &op), -XEN_EFAULT);
    /* Moving a domain to pool 0 (where it is) is fine; anything else is not offered. */
    op = mkop(XEN_SYSCTL_cpupool_op);
    op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN;
    op.u.cpupool_op.domid = 3;
    CHECK_EQ(sysctl(v0, &op), 0);
    op.u.cpupool_op.domid = 4;
    CHECK_EQ(sysctl(v0, &op), -XEN_ESRCH);
    op.u.cpupool_op.domid = ~0U;
    CHECK_EQ(sysctl(v0, &op), -XEN_ESRCH);
    op.u.cpupool_op.domid = 3;
    op.u.cpupool_op.cpupool_id = 2;
    CHECK_EQ(sysctl(v0, &op), -XEN_ENOENT);
    const uint32_t unsupported[] = {XEN_SYSCTL_CPUPOOL_OP_CREATE, XEN_SYSCTL_CPUPOOL_OP_DESTROY,
                                    XEN_SYSCTL_CPUPOOL_OP_ADDCPU, XEN_SYSCTL_CPUPOOL_OP_RMCPU};
    for (unsigned int i = 0; i < ARRAY_SIZE(unsupported); i++) {
        op = mkop(XEN_SYSCTL_cpupool_op);
        op.u.cpupool_op.op = unsupported[i];
        CHECK_EQ(sysctl(v0, &op), -XEN_EOPNOTSUPP);
    }
    op = mkop(XEN_SYSCTL_cpupool_op);
    op.u.cpupool_op.op = 99;
    CHECK_EQ(sysctl(v0, &op), -XEN_ENOSYS);
    fake_domain_destroy(d3);
    fake_domain_destroy(d0);
}

static void test_cpu_features(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    uint32_t *fs = G(d0, GVA_BUF);
    struct xen_sysctl op;

    /* No buffer: the number of words. */
    op = mkop(XEN_SYSCTL_get_cpu_featureset);
    op.u.cpu_featureset.index = 99; /* not looked at, as in Xen */
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.cpu_featureset.nr_features, SYSCTL_FEATURESET_WORDS);
    /* Some words of the HVM max set. */
    memset(fs, 0xee, 128);
    op = mkop(XEN_SYSCTL_get_cpu_featureset);
    op.u.cpu_featureset.index = XEN_SYSCTL_cpu_featureset_hvm_max;
    op.u.cpu_featureset.nr_features = 4;
    op.u.cpu_featureset.features = GVA_BUF;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.cpu_featureset.nr_features, 4);
    CHECK_EQ(fs[0], (5U << 16) | 0);
    CHECK_EQ(fs[3], (5U << 16) | 3);
    CHECK_EQ(fs[4], 0xeeeeeeeeU);
    /* More than there are: clipped. */
    op.u.cpu_featureset.nr_features = 1000;
    op.u.cpu_featureset.index = XEN_SYSCTL_cpu_featureset_host;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.cpu_featureset.nr_features, SYSCTL_FEATURESET_WORDS);
    CHECK_EQ(fs[SYSCTL_FEATURESET_WORDS - 1], (1U << 16) | (SYSCTL_FEATURESET_WORDS - 1));
    /* Bad index, PV sets, faulting buffer. */
    op.u.cpu_featureset.index = 6;
    CHECK_EQ(sysctl(v0, &op), -XEN_EINVAL);
    op.u.cpu_featureset.index = XEN_SYSCTL_cpu_featureset_pv;
    CHECK_EQ(sysctl(v0, &op), -XEN_EOPNOTSUPP);
    op.u.cpu_featureset.index = XEN_SYSCTL_cpu_featureset_pv_max;
    CHECK_EQ(sysctl(v0, &op), -XEN_EOPNOTSUPP);
    op.u.cpu_featureset.index = XEN_SYSCTL_cpu_featureset_raw;
    op.u.cpu_featureset.features = GVA_HOLE - 8;
    CHECK_EQ(sysctl(v0, &op), -XEN_EFAULT);

    /* get_cpu_policy: an empty policy; reserved field and index checked. */
    op = mkop(XEN_SYSCTL_get_cpu_policy);
    op.u.cpu_policy.index = XEN_SYSCTL_cpu_policy_hvm_default;
    op.u.cpu_policy.nr_leaves = 50;
    CHECK_EQ(sysctl(v0, &op), 0);
    CHECK_EQ(op.u.cpu_policy.nr_leaves, 0);
    CHECK_EQ(op.u.cpu_policy.nr_msrs, 0);
    op.u.cpu_policy._rsvd = 1;
    CHECK_EQ(sysctl(v0, &op), -XEN_EINVAL);
    op.u.cpu_policy._rsvd = 0;
    op.u.cpu_policy.index = 6;
    CHECK_EQ(sysctl(v0, &op), -XEN_EINVAL);
    op.u.cpu_policy.index = XEN_SYSCTL_cpu_policy_pv_default;
    CHECK_EQ(sysctl(v0, &op), -XEN_EOPNOTSUPP);
    fake_domain_destroy(d0);
}

TEST_MAIN("sysctl", TEST(test_entry_checks), TEST(test_physinfo_sched_id),
          TEST(test_getdomaininfolist), TEST(test_readconsole), TEST(test_cpupool_op),
          TEST(test_cpu_features))
