/* Unit tests for domctl (hypercall 36): every offered sub-op with good and hostile input. */
// clang-format off
// SOURCES: hv/common/domctl.c hv/common/sysctl.c hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/grant_table.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c
// clang-format on
#include "fake_hv.h"
#include "harness.h"
#include "domctl_call.h"

#include <public/sched.h>

/* Remove every domain but the ones given (test clean-up). */
static void drop_all_but(struct domain *keep)
{
    for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++)
        if (fake_doms[i] && &fake_doms[i]->d != keep)
            fake_domain_destroy(&fake_doms[i]->d);
}

static void test_entry_checks(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_domctl op = mkop(XEN_DOMCTL_getdomaininfo, 0);

    /* Unprivileged callers are refused by the table, whatever the argument. */
    CHECK_EQ(domctl(d1->vcpus[0], &op), -XEN_EPERM);
    CHECK_EQ(hcall(d1->vcpus[0], __HYPERVISOR_domctl, GVA_HOLE, 0, 0), -XEN_EPERM);
    /* Wrong interface versions: 4.16's, 4.18's, garbage. */
    const uint32_t bad[] = {0, 0x14, 0x16, 0x17, 0x15000000, ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        op = mkop(XEN_DOMCTL_getdomaininfo, 0);
        op.interface_version = bad[i];
        CHECK_EQ(domctl(v0, &op), -XEN_EACCES);
        CHECK_EQ(op.u.getdomaininfo.domain, 0); /* nothing copied back */
    }
    /* Unreadable argument. */
    CHECK_EQ(hcall(v0, __HYPERVISOR_domctl, GVA_HOLE, 0, 0), -XEN_EFAULT);
    CHECK_EQ(hcall(v0, __HYPERVISOR_domctl, GVA_END - 8, 0, 0), -XEN_EFAULT);
    CHECK_EQ(hcall(v0, __HYPERVISOR_domctl, ~0ULL, 0, 0), -XEN_EFAULT);
    /* Unknown and unoffered sub-ops (the HVM-context ones: tests/unit/test-hvm_save.c). */
    const uint32_t nosys[] = {0, 6, XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_shadow_op, 87, 1000, ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(nosys); i++) {
        op = mkop(nosys[i], 1);
        CHECK_EQ(domctl(v0, &op), -XEN_ENOSYS);
    }
    /* Target ids that are not domains: DOMID_SELF is not resolved, as in Xen. */
    const uint16_t ids[] = {DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_INVALID, DOMID_IDLE,
                            5,          63,       64,        0xffff};
    for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
        op = mkop(XEN_DOMCTL_pausedomain, ids[i]);
        CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);
        op = mkop(XEN_DOMCTL_gethvmcontext, ids[i]);
        CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);
    }
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_createdomain(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    unsigned int added = fake_vcpus_added;
    struct domain *d;

    /* Next free id after the last one handed out. */
    CHECK_EQ(create(v0, 0, 2), 1);
    CHECK_EQ(create(v0, DOMID_FIRST_RESERVED, 1), 2);
    CHECK_EQ(create(v0, DOMID_SELF, 1), 3);
    /* A requested id, then the rover carries on from its own position. */
    CHECK_EQ(create(v0, 40, 1), 40);
    CHECK_EQ(create(v0, 0, 1), 4);
    CHECK_EQ(create(v0, 40, 1), -XEN_EEXIST);
    CHECK_EQ(create(v0, 1, 1), -XEN_EEXIST);
    CHECK_EQ(create(v0, 64, 1), -XEN_EINVAL);
    CHECK_EQ(create(v0, 0x7fef, 1), -XEN_EINVAL);

    d = domain_by_id(1);
    CHECK(d != NULL);
    if (d) {
        CHECK_EQ(d->max_vcpus, 2);
        CHECK_EQ(d->controller_pause_count, 1); /* starts paused */
        CHECK_EQ(d->pause_count, 1);
        CHECK(!d->is_privileged);
        CHECK_EQ(d->handle[0], 0xa0);
        CHECK_EQ(d->handle[15], 0xaf);
        CHECK_EQ(d->ctl.cdf_flags, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap);
        CHECK_EQ(d->ctl.max_grant_frames, DOMCTL_DEFAULT_MAX_GRANT_FRAMES);
        CHECK_EQ(d->ctl.max_maptrack_frames, DOMCTL_DEFAULT_MAX_MAPTRACK_FRAMES);
        CHECK_EQ(d->ctl.max_evtchn_port, 1023);
        CHECK(!d->vcpus[0]->online && !d->vcpus[1]->online); /* the builder starts vCPU 0 */
        CHECK_EQ(d->vcpus[1]->processor, 1);                 /* spread over the pCPUs */
    }
    CHECK_EQ(fake_vcpus_added - added, 6);

    /* The table is full (8 fake slots): -ENOMEM, nothing half-made left. */
    CHECK_EQ(create(v0, 0, 1), 5);
    CHECK_EQ(create(v0, 0, 1), 6);
    CHECK_EQ(create(v0, 0, 1), -XEN_ENOMEM);
    CHECK(domain_by_id(7) == NULL);
    drop_all_but(d0);

    /* The arch layer refuses: the error comes back and the domain is gone again. */
    unsigned int frees = fake_arch_frees;
    fake_arch_create_rc = -XEN_ENOMEM;
    CHECK_EQ(create(v0, 20, 1), -XEN_ENOMEM);
    fake_arch_create_rc = 0;
    CHECK(domain_by_id(20) == NULL);
    CHECK_EQ(fake_arch_frees - frees, 1);
    fake_vcpu_create_fail_id = 2;
    CHECK_EQ(create(v0, 20, 4), -XEN_ENOMEM);
    fake_vcpu_create_fail_id = -1;
    CHECK(domain_by_id(20) == NULL);
    CHECK_EQ(create(v0, 20, 4), 20);
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

/* One hostile createdomain: case n of the table in test_createdomain_hostile. */
static void hostile_edit(unsigned int n, struct xen_domctl *op)
{
    struct xen_domctl_createdomain *c = &op->u.createdomain;

    switch (n) {
    case 0:
        c->flags |= 1U << 8;
        break; /* unknown flag */
    case 1:
        c->flags = 0;
        break; /* PV */
    case 2:
        c->flags = XEN_DOMCTL_CDF_hvm;
        break; /* shadow paging */
    case 3:
        c->flags = XEN_DOMCTL_CDF_hap;
        break; /* HAP without HVM */
    case 4:
        c->flags |= XEN_DOMCTL_CDF_iommu;
        break; /* no IOMMU */
    case 5:
        c->iommu_opts = XEN_DOMCTL_IOMMU_no_sharept;
        break; /* options without it */
    case 6:
        c->flags |= XEN_DOMCTL_CDF_nested_virt;
        break;
    case 7:
        c->flags |= XEN_DOMCTL_CDF_vpmu;
        break;
    case 8:
        c->flags |= XEN_DOMCTL_CDF_s3_integrity;
        break;
    case 9:
        c->max_vcpus = 0;
        break;
    case 10:
        c->max_vcpus = MAX_VCPUS + 1;
        break;
    case 11:
        c->max_vcpus = ~0U;
        break;
    case 12:
        c->grant_opts = 0;
        break; /* version 0 */
    case 13:
        c->grant_opts = 2;
        break; /* v2 not offered */
    case 14:
        c->grant_opts = 0x11;
        break; /* unknown option bits */
    case 15:
        c->max_grant_frames = 0;
        break;
    case 16:
        c->max_grant_frames = GRANT_MAX_FRAMES + 1;
        break;
    case 17:
        c->max_maptrack_frames = 1025;
        break;
    case 18:
        c->vmtrace_size = 4096;
        break;
    case 19:
        c->arch.misc_flags = 2;
        break;
    case 20:
        c->arch.emulation_flags = 1U << 11;
        break; /* unknown emulator */
    case 21:
        c->arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
        break; /* HVM */
    case 22:
        c->arch.emulation_flags = 0;
        break;
    case 23:
        c->arch.emulation_flags |= XEN_X86_EMU_IOAPIC;
        break;
    case 24:
        c->cpupool_id = 1;
        break;
    }
}

static void test_createdomain_hostile(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    const long want[] = {
        -XEN_EINVAL, -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,
        -XEN_EINVAL, -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,
        -XEN_EINVAL, -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,
        -XEN_EINVAL, -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,     -XEN_EINVAL,
        -XEN_EINVAL, -XEN_EOPNOTSUPP, -XEN_EOPNOTSUPP, -XEN_EOPNOTSUPP, -XEN_ENOENT,
    };
    unsigned int creates = fake_arch_creates;

    for (unsigned int n = 0; n < ARRAY_SIZE(want); n++) {
        struct xen_domctl op = pvh_create(9, 1);

        hostile_edit(n, &op);
        long rc = domctl(v0, &op);
        if (rc != want[n])
            fprintf(stderr, "hostile createdomain case %u\n", n);
        CHECK_EQ(rc, want[n]);
        CHECK_EQ(op.domain, 9); /* not copied back */
        CHECK(domain_by_id(9) == NULL);
    }
    CHECK_EQ(fake_arch_creates, creates);
    /* Explicit limits within range, a big event-channel limit (clipped), the xenstore flag. */
    struct xen_domctl op = pvh_create(9, 1);
    op.u.createdomain.max_grant_frames = 4;
    op.u.createdomain.max_maptrack_frames = 0;
    op.u.createdomain.max_evtchn_port = ~0U;
    op.u.createdomain.flags |= XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_oos_off;
    op.u.createdomain.arch.misc_flags = XEN_X86_MSR_RELAXED;
    CHECK_EQ(domctl(v0, &op), 0);
    struct domain *d = domain_by_id(9);
    CHECK(d != NULL);
    if (d) {
        CHECK_EQ(d->ctl.max_grant_frames, 4);
        CHECK_EQ(d->ctl.max_maptrack_frames, 0);
        CHECK_EQ(d->ctl.max_evtchn_port, NR_EVTCHN_2L - 1);
        CHECK_EQ(d->ctl.misc_flags, XEN_X86_MSR_RELAXED);
    }
    op = mkop(XEN_DOMCTL_getdomaininfo, 9);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_xs_domain);
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

static void test_getdomaininfo(void)
{
    struct domain *d0 = fake_domain_create(0, 2, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_domctl op;
    const struct xen_domctl_getdomaininfo *info = &op.u.getdomaininfo;

    CHECK_EQ(create(v0, 3, 3), 3);
    CHECK_EQ(create(v0, 7, 1), 7);
    struct domain *d3 = domain_by_id(3);
    d3->tot_pages = 1234;
    d3->max_pages = 5678;
    d3->vcpus[0]->runstate_time[RUNSTATE_running] = 1000;
    d3->vcpus[2]->runstate_time[RUNSTATE_running] = 500;

    /* An existing id. */
    op = mkop(XEN_DOMCTL_getdomaininfo, 3);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.domain, 3);
    CHECK_EQ(info->domain, 3);
    CHECK_EQ(info->flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_paused | 0xffff0000U);
    CHECK_EQ(info->tot_pages, 1234);
    CHECK_EQ(info->max_pages, 5678);
    CHECK_EQ(info->cpu_time, 1500);
    CHECK_EQ(info->nr_online_vcpus, 0);
    CHECK_EQ(info->max_vcpu_id, 2);
    CHECK_EQ(info->handle[3], 0xa3);
    CHECK_EQ(info->cpupool, 0);
    CHECK_EQ(info->gpaddr_bits, DOMCTL_GPADDR_BITS);
    CHECK_EQ(info->arch_config.emulation_flags, XEN_X86_EMU_LAPIC);
    CHECK_EQ(info->shared_info_frame, INVALID_GFN_RAW);

    /* The 4.17 quirk: a missing id gives the next domain above it. */
    const uint16_t ask[] = {1, 2, 4, 6, 7};
    const uint16_t got[] = {3, 3, 7, 7, 7};
    for (unsigned int i = 0; i < ARRAY_SIZE(ask); i++) {
        op = mkop(XEN_DOMCTL_getdomaininfo, ask[i]);
        CHECK_EQ(domctl(v0, &op), 0);
        CHECK_EQ(op.domain, got[i]);
        CHECK_EQ(info->domain, got[i]);
    }
    const uint16_t none[] = {8, 63, 64, 1000, DOMID_FIRST_RESERVED - 1};
    for (unsigned int i = 0; i < ARRAY_SIZE(none); i++) {
        op = mkop(XEN_DOMCTL_getdomaininfo, none[i]);
        CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);
        CHECK_EQ(op.domain, none[i]);
    }
    const uint16_t reserved[] = {DOMID_SELF, DOMID_IO, DOMID_INVALID, 0xffff};
    for (unsigned int i = 0; i < ARRAY_SIZE(reserved); i++) {
        op = mkop(XEN_DOMCTL_getdomaininfo, reserved[i]);
        CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    }

    /* dom0 itself: running (the caller), one of two vCPUs online, not paused. */
    d0->vcpus[0]->runstate = RUNSTATE_running;
    op = mkop(XEN_DOMCTL_getdomaininfo, 0);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(info->nr_online_vcpus, 1);
    CHECK_EQ(info->flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_running | 0xffff0000U);
    CHECK_EQ(info->tot_pages, 1000);

    /* Online vCPUs that are all blocked; a shutdown with its code. */
    struct domain *d7 = domain_by_id(7);
    d7->vcpus[0]->online = true;
    d7->vcpus[0]->blocked = true;
    op = mkop(XEN_DOMCTL_getdomaininfo, 7);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(info->flags & 0xffff,
             XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_paused | XEN_DOMINF_blocked);
    d7->shutdown_code = SHUTDOWN_suspend;
    op = mkop(XEN_DOMCTL_getdomaininfo, 7);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(info->flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_suspend);
    CHECK(!(info->flags & XEN_DOMINF_shutdown));
    domain_shutdown(d7, SHUTDOWN_reboot);
    op = mkop(XEN_DOMCTL_getdomaininfo, 7);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK(info->flags & XEN_DOMINF_shutdown);
    CHECK_EQ((info->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask, SHUTDOWN_reboot);

    /* An argument that runs into unmapped memory is -EFAULT. */
    op = mkop(XEN_DOMCTL_getdomaininfo, 3);
    memcpy(G(d0, GVA_HOLE - sizeof(op) + 8), &op, sizeof(op) - 8);
    CHECK_EQ(hcall(v0, __HYPERVISOR_domctl, GVA_HOLE - sizeof(op) + 8, 0, 0), -XEN_EFAULT);
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

static void test_pause_unpause(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_domctl op;
    struct domain *d;
    unsigned int syncs = fake_vcpu_syncs;

    CHECK_EQ(create(v0, 5, 2), 5);
    d = domain_by_id(5);
    /* dom0 may not pause itself; unpausing it has nothing to undo. */
    op = mkop(XEN_DOMCTL_pausedomain, 0);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    op = mkop(XEN_DOMCTL_unpausedomain, 0);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    CHECK_EQ(d0->pause_count, 0);

    op = mkop(XEN_DOMCTL_pausedomain, 5);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(d->controller_pause_count, 2);
    CHECK_EQ(d->pause_count, 2);
    CHECK_EQ(fake_vcpu_syncs - syncs, 2); /* waited for both vCPUs */
    for (int i = 0; i < 2; i++) {
        op = mkop(XEN_DOMCTL_unpausedomain, 5);
        CHECK_EQ(domctl(v0, &op), 0);
    }
    CHECK_EQ(d->controller_pause_count, 0);
    CHECK_EQ(d->pause_count, 0);
    CHECK(d->ctl.creation_finished);
    op = mkop(XEN_DOMCTL_unpausedomain, 5);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    CHECK_EQ(d->pause_count, 0);
    op = mkop(XEN_DOMCTL_getdomaininfo, 5);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK(!(op.u.getdomaininfo.flags & XEN_DOMINF_paused));

    /* The toolstack's count stops at 255. */
    for (int i = 0; i < 255; i++) {
        op = mkop(XEN_DOMCTL_pausedomain, 5);
        CHECK_EQ(domctl(v0, &op), 0);
    }
    op = mkop(XEN_DOMCTL_pausedomain, 5);
    CHECK_EQ(domctl(v0, &op), -XEN_EOVERFLOW);
    CHECK_EQ(d->controller_pause_count, 255);
    CHECK_EQ(d->pause_count, 255);
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

static void test_destroydomain(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *other0 = fake_domain_create(2, 1, true); /* a second privileged domain */
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_domctl op;
    struct domain *d;
    unsigned int removes = fake_vcpu_removes, frees = fake_arch_frees;

    /* Refused: the caller itself, any privileged domain, ids that are not domains. */
    op = mkop(XEN_DOMCTL_destroydomain, 0);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    op = mkop(XEN_DOMCTL_destroydomain, 2);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    CHECK_EQ(domctl(other0->vcpus[0],
                    &(struct xen_domctl){.cmd = XEN_DOMCTL_destroydomain,
                                         .interface_version = XEN_DOMCTL_INTERFACE_VERSION}),
             -XEN_EINVAL);
    op = mkop(XEN_DOMCTL_destroydomain, DOMID_SELF);
    CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);
    op = mkop(XEN_DOMCTL_destroydomain, 9);
    CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);
    CHECK(!d0->is_dying && !other0->is_dying);

    /* dom0 listens for VIRQ_DOM_EXC and has a channel to the new domain. */
    struct evtchn_bind_virq bv = {.virq = VIRQ_DOM_EXC, .vcpu = 0};
    CHECK_EQ(evtchn_bind_virq(d0, &bv), 0);
    CHECK_EQ(create(v0, 6, 2), 6);
    d = domain_by_id(6);
    int uport = evtchn_alloc_unbound_port(d, 0);
    CHECK(uport > 0);
    struct evtchn_bind_interdomain bi = {.remote_dom = 6, .remote_port = (uint32_t)uport};
    CHECK_EQ(evtchn_bind_interdomain(d0, &bi), 0);
    CHECK_EQ(d0->evtchn[bi.local_port].state, ECS_INTERDOMAIN);

    /* 5000 pages of RAM at 2048 per call: two restarts, then done. */
    d->tot_pages = 5000;
    op = mkop(XEN_DOMCTL_destroydomain, 6);
    CHECK_EQ(domctl(v0, &op), -XEN_ERESTART);
    CHECK(d->is_dying);
    CHECK_EQ(d->tot_pages, 5000 - DOMCTL_DESTROY_BUDGET);
    CHECK_EQ(fake_vcpu_removes - removes, 2);
    CHECK_EQ(d0->evtchn[bi.local_port].state, ECS_UNBOUND); /* the peer is gone */
    CHECK(!evtchn_2l_is_pending(d0, bv.port));
    /* While dying it is still listed, and flagged. */
    op = mkop(XEN_DOMCTL_getdomaininfo, 6);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_dying);
    /* Other sub-ops on a dying domain stay harmless; pausing it is allowed as in Xen. */
    op = mkop(XEN_DOMCTL_pausedomain, 6);
    CHECK_EQ(domctl(v0, &op), 0);
    op = mkop(XEN_DOMCTL_destroydomain, 6);
    CHECK_EQ(domctl(v0, &op), -XEN_ERESTART);
    CHECK_EQ(fake_vcpu_removes - removes, 2); /* the first step is not repeated */
    op = mkop(XEN_DOMCTL_destroydomain, 6);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK(domain_by_id(6) == NULL);
    CHECK_EQ(fake_arch_frees - frees, 1);
    CHECK(evtchn_2l_is_pending(d0, bv.port));
    /* Gone: a retry says so. */
    op = mkop(XEN_DOMCTL_destroydomain, 6);
    CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);
    op = mkop(XEN_DOMCTL_getdomaininfo, 6);
    CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);

    /* A domain without RAM goes in one call; its id can be reused. */
    CHECK_EQ(create(v0, 6, 1), 6);
    op = mkop(XEN_DOMCTL_destroydomain, 6);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(create(v0, 6, 1), 6);
    drop_all_but(NULL);
}

static void test_vcpus_and_memory(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_domctl op;
    struct domain *d;

    CHECK_EQ(create(v0, 4, 3), 4);
    d = domain_by_id(4);
    /* max_vcpus only repeats createdomain's count. */
    op = mkop(XEN_DOMCTL_max_vcpus, 4);
    op.u.max_vcpus.max = 3;
    CHECK_EQ(domctl(v0, &op), 0);
    const uint32_t badmax[] = {0, 2, 4, MAX_VCPUS, ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(badmax); i++) {
        op = mkop(XEN_DOMCTL_max_vcpus, 4);
        op.u.max_vcpus.max = badmax[i];
        CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    }
    op = mkop(XEN_DOMCTL_max_vcpus, 0);
    op.u.max_vcpus.max = 1;
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL); /* not on itself */

    /* max_mem in KiB. */
    op = mkop(XEN_DOMCTL_max_mem, 4);
    op.u.max_mem.max_memkb = 512 * 1024 + 1024;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(d->max_pages, (512 + 1) * 256);
    op.u.max_mem.max_memkb = ~0ULL;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(d->max_pages, ~0ULL >> 2);

    /* getvcpuinfo */
    d->vcpus[1]->online = true;
    d->vcpus[1]->runstate = RUNSTATE_running;
    d->vcpus[1]->runstate_time[RUNSTATE_running] = 777;
    op = mkop(XEN_DOMCTL_getvcpuinfo, 4);
    op.u.getvcpuinfo.vcpu = 1;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.getvcpuinfo.online, 1);
    CHECK_EQ(op.u.getvcpuinfo.blocked, 0);
    CHECK_EQ(op.u.getvcpuinfo.running, 1);
    CHECK_EQ(op.u.getvcpuinfo.cpu_time, 777);
    CHECK_EQ(op.u.getvcpuinfo.cpu, 1);
    op = mkop(XEN_DOMCTL_getvcpuinfo, 4);
    op.u.getvcpuinfo.vcpu = 0;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.getvcpuinfo.online, 0);
    const uint32_t badv[] = {3, MAX_VCPUS, ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(badv); i++) {
        op = mkop(XEN_DOMCTL_getvcpuinfo, 4);
        op.u.getvcpuinfo.vcpu = badv[i];
        CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    }

    /* setdomainhandle */
    op = mkop(XEN_DOMCTL_setdomainhandle, 4);
    memset(op.u.setdomainhandle.handle, 0x5a, 16);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(d->handle[0], 0x5a);
    CHECK_EQ(d->handle[15], 0x5a);

    /* paging mempool */
    op = mkop(XEN_DOMCTL_set_paging_mempool_size, 4);
    op.u.paging_mempool.size = 8 << 20;
    CHECK_EQ(domctl(v0, &op), 0);
    op = mkop(XEN_DOMCTL_get_paging_mempool_size, 4);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.paging_mempool.size, 8 << 20);
    op = mkop(XEN_DOMCTL_set_paging_mempool_size, 4);
    op.u.paging_mempool.size = 4097;
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    CHECK_EQ(d->ctl.paging_mempool_bytes, 8 << 20);
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

/* The bitmap bytes dom0 passes for affinity live at GVA_BUF (hard) and GVA_BUF + 64 (soft). */
static struct xen_domctl affinity_op(uint32_t cmd, uint32_t flags, uint32_t bits)
{
    struct xen_domctl op = mkop(cmd, 4);

    op.u.vcpuaffinity.vcpu = 1;
    op.u.vcpuaffinity.flags = flags;
    op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){GVA_BUF, bits, 0};
    op.u.vcpuaffinity.cpumap_soft = (struct xenctl_bitmap){GVA_BUF + 64, bits, 0};
    return op;
}

static void test_vcpuaffinity(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    uint8_t *hard = G(d0, GVA_BUF), *soft = G(d0, GVA_BUF + 64);
    struct xen_domctl op;
    struct domain *d;

    fake_nr_cpus = 4;
    CHECK_EQ(create(v0, 4, 2), 4);
    d = domain_by_id(4);
    /* Default: every pCPU; get zero-fills the rest of a larger map. */
    memset(hard, 0xee, 64);
    op = affinity_op(XEN_DOMCTL_getvcpuaffinity, XEN_VCPUAFFINITY_HARD, 100);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(hard[0], 0x0f);
    for (unsigned int i = 1; i < 13; i++)
        CHECK_EQ(hard[i], 0);
    CHECK_EQ(hard[13], 0xee);

    /* Set hard = {1, 5 (offline), 9 (no such pCPU)}: pCPU 1 stays in effect. */
    memset(hard, 0, 64);
    hard[0] = 0x22;
    hard[1] = 0x02;
    unsigned int moves = fake_affinity_changes;
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, XEN_VCPUAFFINITY_HARD, 16);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(fake_affinity_changes, moves + 1); /* the scheduler moves it if it must */
    CHECK_EQ(hard[0], 0x02);
    CHECK_EQ(hard[1], 0);
    CHECK_EQ(d->vcpus[1]->affinity_hard, 0x2);
    /* Soft {0,1,2}, reported cut down to hard. */
    soft[0] = 0x07;
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, XEN_VCPUAFFINITY_SOFT, 8);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(soft[0], 0x02);
    CHECK_EQ(d->vcpus[1]->affinity_soft, 0x07);
    /* get returns the masks as set. */
    op = affinity_op(XEN_DOMCTL_getvcpuaffinity, XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, 8);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(hard[0], 0x02);
    CHECK_EQ(soft[0], 0x07);
    /* nr_bits cuts the guest's last byte: bit 3 of a 3-bit map is not read. */
    hard[0] = 0x08;
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, XEN_VCPUAFFINITY_HARD, 3);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL); /* no pCPU left: it could never run */
    CHECK_EQ(d->vcpus[1]->affinity_hard, 0x2);
    /* An empty map is refused the same way, and nothing moves. */
    hard[0] = 0;
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, XEN_VCPUAFFINITY_HARD, 8);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    CHECK_EQ(fake_affinity_changes, moves + 2);

    /* Hostile: no flags, a missing map, a bad vCPU, unreadable or unwritable maps. */
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, 0, 8);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    op = affinity_op(XEN_DOMCTL_getvcpuaffinity, XEN_VCPUAFFINITY_SOFT, 8);
    op.u.vcpuaffinity.cpumap_soft.bitmap = 0;
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, XEN_VCPUAFFINITY_HARD, 8);
    op.u.vcpuaffinity.vcpu = 2;
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, XEN_VCPUAFFINITY_HARD, 8);
    op.u.vcpuaffinity.cpumap_hard.bitmap = GVA_HOLE;
    CHECK_EQ(domctl(v0, &op), -XEN_EFAULT);
    op = affinity_op(XEN_DOMCTL_getvcpuaffinity, XEN_VCPUAFFINITY_HARD, ~0U);
    op.u.vcpuaffinity.cpumap_hard.bitmap = GVA_HOLE - 16; /* zero-fill runs into the hole */
    CHECK_EQ(domctl(v0, &op), -XEN_EFAULT);
    /* A failed soft set leaves hard as it was. */
    hard[0] = 0x01;
    op = affinity_op(XEN_DOMCTL_setvcpuaffinity, XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, 8);
    op.u.vcpuaffinity.cpumap_soft.bitmap = ~0ULL;
    CHECK_EQ(domctl(v0, &op), -XEN_EFAULT);
    CHECK_EQ(d->vcpus[1]->affinity_hard, 0x2);
    fake_nr_cpus = 2;
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

static void test_scheduler_op(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_domctl op;

    CHECK_EQ(create(v0, 4, 1), 4);
    op = mkop(XEN_DOMCTL_scheduler_op, 4);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit.weight, 256);
    CHECK_EQ(op.u.scheduler_op.u.credit.cap, 0);
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.scheduler_op.u.credit.weight = 512;
    op.u.scheduler_op.u.credit.cap = 50;
    CHECK_EQ(domctl(v0, &op), 0);
    op.u.scheduler_op.u.credit.weight = 0;   /* keep */
    op.u.scheduler_op.u.credit.cap = 0xffff; /* keep */
    CHECK_EQ(domctl(v0, &op), 0);
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit.weight, 512);
    CHECK_EQ(op.u.scheduler_op.u.credit.cap, 50);
    /* dom0 (built, not created) reports the default weight. */
    op = mkop(XEN_DOMCTL_scheduler_op, 0);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit.weight, 256);
    /* Another scheduler's id, per-vCPU commands, unknown commands. */
    const uint32_t ids[] = {0, XEN_SCHEDULER_CREDIT2, XEN_SCHEDULER_RTDS, ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
        op = mkop(XEN_DOMCTL_scheduler_op, 4);
        op.u.scheduler_op.sched_id = ids[i];
        op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
        CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    }
    const uint32_t cmds[] = {XEN_DOMCTL_SCHEDOP_putvcpuinfo, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 4,
                             ~0U};
    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
        op = mkop(XEN_DOMCTL_scheduler_op, 4);
        op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
        op.u.scheduler_op.cmd = cmds[i];
        op.u.scheduler_op.u.v.vcpus = GVA_HOLE;
        op.u.scheduler_op.u.v.nr_vcpus = ~0U;
        CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    }
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

static void test_tsc_and_cpu_policy(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct xen_domctl op;

    CHECK_EQ(create(v0, 4, 1), 4);
    /* settscinfo: modes 0..2, not on itself. */
    for (uint32_t mode = 0; mode <= 3; mode++) {
        op = mkop(XEN_DOMCTL_settscinfo, 4);
        op.u.tsc_info.tsc_mode = mode;
        op.u.tsc_info.incarnation = 7;
        CHECK_EQ(domctl(v0, &op), mode <= TSC_MODE_NEVER_EMULATE ? 0 : -XEN_EINVAL);
    }
    op = mkop(XEN_DOMCTL_settscinfo, 0);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    op = mkop(XEN_DOMCTL_gettscinfo, 4);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.tsc_info.tsc_mode, TSC_MODE_NEVER_EMULATE);
    CHECK_EQ(op.u.tsc_info.gtsc_khz, 2000000);
    CHECK_EQ(op.u.tsc_info.incarnation, 7);

    /* CPU policy: an empty one; set is accepted until the domain first runs. */
    op = mkop(XEN_DOMCTL_get_cpu_policy, 4);
    op.u.cpu_policy.nr_leaves = 100;
    op.u.cpu_policy.nr_msrs = 100;
    op.u.cpu_policy.leaves = GVA_HOLE;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.cpu_policy.nr_leaves, 0);
    CHECK_EQ(op.u.cpu_policy.nr_msrs, 0);
    op = mkop(XEN_DOMCTL_set_cpu_policy, 4);
    CHECK_EQ(domctl(v0, &op), 0);
    op = mkop(XEN_DOMCTL_set_cpu_policy, 0);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    op = mkop(XEN_DOMCTL_unpausedomain, 4);
    CHECK_EQ(domctl(v0, &op), 0);
    op = mkop(XEN_DOMCTL_set_cpu_policy, 4);
    CHECK_EQ(domctl(v0, &op), -XEN_EEXIST);
    drop_all_but(d0);
    fake_domain_destroy(d0);
}

TEST_MAIN("domctl", TEST(test_entry_checks), TEST(test_createdomain),
          TEST(test_createdomain_hostile), TEST(test_getdomaininfo), TEST(test_pause_unpause),
          TEST(test_destroydomain), TEST(test_vcpus_and_memory), TEST(test_vcpuaffinity),
          TEST(test_scheduler_op), TEST(test_tsc_and_cpu_policy))
