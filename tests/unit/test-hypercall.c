/* Unit tests for hypercall dispatch, xen_version, vm_assist, hvm_op, console_io and sched_op. */
// clang-format off
// SOURCES: hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/grant_table.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c
// clang-format on
#include "fake_hv.h"
#include "harness.h"
#include <public/platform.h>

#include <public/version.h>
#include <public/features.h>
#include <public/hvm/params.h>
#include <public/sched.h>

static void test_dispatch_numbers(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    const uint64_t bad[] = {NR_HYPERCALLS,
                            64,
                            1000,
                            0x80000011ULL,
                            1ULL << 32,
                            ~0ULL,
                            __HYPERVISOR_set_trap_table,
                            __HYPERVISOR_mmu_update,
                            __HYPERVISOR_multicall,
                            __HYPERVISOR_iret,
                            __HYPERVISOR_mca,
                            63};

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_EQ(hcall(v, bad[i], ~0ULL, ~0ULL, ~0ULL), -XEN_ENOSYS);
    /* The number is not truncated: 2^32 + 17 is not xen_version. */
    CHECK_EQ(hcall(v, (1ULL << 32) + __HYPERVISOR_xen_version, XENVER_version, 0, 0), -XEN_ENOSYS);
    CHECK_EQ(hcall(v, __HYPERVISOR_xen_version, XENVER_version, 0, 0), 0x00040011);
    fake_domain_destroy(d);
}

static void test_privileged_filter(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    const uint64_t priv[] = {__HYPERVISOR_platform_op, __HYPERVISOR_sysctl, __HYPERVISOR_domctl};

    for (unsigned int i = 0; i < sizeof(priv) / sizeof(priv[0]); i++) {
        CHECK_EQ(hcall(d1->vcpus[0], priv[i], 0, GVA_ARG, 0), -XEN_EPERM);
        if (priv[i] != __HYPERVISOR_platform_op)
            CHECK_EQ(hcall(d0->vcpus[0], priv[i], 0, GVA_ARG, 0), -XEN_ENOSYS);
    }
    /* physdev_op is open to all, and not implemented. */
    CHECK_EQ(hcall(d1->vcpus[0], __HYPERVISOR_physdev_op, 0, GVA_ARG, 0), -XEN_ENOSYS);
    /* remote_shutdown is a privileged sub-op. */
    struct sched_remote_shutdown rs = {.domain_id = 1, .reason = SHUTDOWN_reboot};
    CHECK_EQ(HC_ARG(d1->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, rs), -XEN_EPERM);
    CHECK(!d1->is_shutdown);
    CHECK_EQ(HC_ARG(d0->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, rs), 0);
    CHECK(d1->is_shutdown);
    CHECK_EQ(d1->shutdown_reason, SHUTDOWN_reboot);
    rs.domain_id = 5;
    CHECK_EQ(HC_ARG(d0->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, rs), -XEN_ESRCH);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_platform_op(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v = d0->vcpus[0];
    const struct shared_info *si = d0->shared_info;
    struct {
        uint32_t cmd, version;
        uint64_t secs;
        uint32_t nsecs, mbz;
        uint64_t system_time;
        uint8_t pad[128 - 32];
    } op = {.cmd = XENPF_settime64,
            .version = XENPF_INTERFACE_VERSION,
            .secs = 2000000000ULL,
            .nsecs = 5,
            .system_time = 1000};

    memcpy(G(d0, GVA_ARG), &op, sizeof(op));
    CHECK_EQ(hcall(v, __HYPERVISOR_platform_op, GVA_ARG, 0, 0), 0);
    CHECK_EQ(arch_wallclock_boot_ns(), 2000000000ULL * 1000000000ULL + 5 - 1000);
    /* shared_info holds the wall clock at system time 0: 1000 ns before the time set. */
    CHECK_EQ(si->wc_sec, 1999999999);
    CHECK_EQ(si->wc_nsec, 1000000000 - 995);
    op.version = 0x03000000;
    memcpy(G(d0, GVA_ARG), &op, sizeof(op));
    CHECK_EQ(hcall(v, __HYPERVISOR_platform_op, GVA_ARG, 0, 0), -XEN_EACCES);
    op.version = XENPF_INTERFACE_VERSION;
    op.nsecs = 1000000000U;
    memcpy(G(d0, GVA_ARG), &op, sizeof(op));
    CHECK_EQ(hcall(v, __HYPERVISOR_platform_op, GVA_ARG, 0, 0), -XEN_EINVAL);
    op.cmd = 9999;
    memcpy(G(d0, GVA_ARG), &op, sizeof(op));
    CHECK_EQ(hcall(v, __HYPERVISOR_platform_op, GVA_ARG, 0, 0), -XEN_ENOSYS);
    CHECK_EQ(hcall(v, __HYPERVISOR_platform_op, GVA_HOLE, 0, 0), -XEN_EFAULT);
    fake_domain_destroy(d0);
}

static long xv(struct vcpu *v, unsigned int cmd, uint64_t arg)
{
    return hcall(v, __HYPERVISOR_xen_version, cmd, arg, 0);
}

static void test_xen_version(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct vcpu *v0 = d0->vcpus[0], *v1 = d1->vcpus[0];
    struct xen_feature_info fi = {.submap_idx = 0, .submap = 0xdeadbeef};
    char *buf = G(d1, GVA_BUF);
    const uint32_t pvh = (1U << 0) | (1U << 2) | (1U << 8) | (1U << 9) | (1U << 13) | (1U << 16);

    CHECK_EQ(xv(v1, XENVER_version, 0), (4 << 16) | 17);
    memset(buf, 'x', 32);
    CHECK_EQ(xv(v1, XENVER_extraversion, GVA_BUF), 0);
    CHECK(strcmp(buf, ".0-xenolith") == 0);
    CHECK_EQ(buf[15], 0);
    CHECK_EQ(xv(v1, XENVER_extraversion, GVA_HOLE), -XEN_EFAULT);
    CHECK_EQ(xv(v1, XENVER_capabilities, GVA_BUF), 0);
    CHECK(strcmp(buf, "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ") == 0);
    CHECK_EQ(xv(v1, XENVER_capabilities, GVA_END - 512), -XEN_EFAULT);
    CHECK_EQ(xv(v1, XENVER_changeset, GVA_BUF), 0);
    CHECK_EQ(xv(v1, XENVER_compile_info, GVA_BUF), 0);
    CHECK(strcmp(buf, "gcc") == 0);
    CHECK_EQ(xv(v1, XENVER_platform_parameters, GVA_BUF), 0);
    CHECK_EQ(*(uint64_t *)buf, 0xFFFF800000000000ULL);
    CHECK_EQ(xv(v1, XENVER_pagesize, 0), 4096);
    CHECK_EQ(xv(v1, XENVER_pagesize, GVA_BUF), -XEN_EINVAL);
    d1->handle[0] = 0xab;
    d1->handle[15] = 0xcd;
    CHECK_EQ(xv(v1, XENVER_guest_handle, GVA_BUF), 0);
    CHECK_EQ((uint8_t)buf[0], 0xab);
    CHECK_EQ((uint8_t)buf[15], 0xcd);

    /* Features: PVH set for a domU, plus XENFEAT_dom0 for the hardware domain; other submaps
     * -EINVAL. */
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_xen_version, XENVER_get_features, fi), 0);
    ARG_BACK(d1, fi);
    CHECK_EQ(fi.submap, pvh);
    CHECK_EQ(HC_ARG(v0, __HYPERVISOR_xen_version, XENVER_get_features, fi), 0);
    ARG_BACK(d0, fi);
    CHECK_EQ(fi.submap, pvh | (1U << XENFEAT_dom0));
    CHECK(!(fi.submap & (1U << XENFEAT_hvm_pirqs)));
    fi.submap_idx = 1;
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_xen_version, XENVER_get_features, fi), -XEN_EINVAL);
    CHECK_EQ(xv(v1, XENVER_get_features, GVA_HOLE), -XEN_EFAULT);

    /* Command line and build id: dom0 only. */
    CHECK_EQ(xv(v1, XENVER_commandline, GVA_BUF), -XEN_EPERM);
    CHECK_EQ(xv(v0, XENVER_commandline, GVA_BUF), 0);
    CHECK(strcmp(G(d0, GVA_BUF), "console=com1 loglvl=all") == 0);
    CHECK_EQ(xv(v1, XENVER_build_id, GVA_BUF), -XEN_EPERM);
    CHECK_EQ(xv(v0, XENVER_build_id, GVA_BUF), -XEN_ENODATA);
    CHECK_EQ(xv(v1, 11, GVA_BUF), -XEN_ENOSYS);
    CHECK_EQ(xv(v1, 0xffffffffu, GVA_BUF), -XEN_ENOSYS);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_vm_assist(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];

    CHECK_EQ(
        hcall(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0),
        0);
    CHECK_EQ(d->vm_assist, 1U << VMASST_TYPE_runstate_update_flag);
    CHECK_EQ(
        hcall(v, __HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag, 0),
        0);
    CHECK_EQ(d->vm_assist, 0);
    CHECK_EQ(
        hcall(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables, 0),
        -XEN_EINVAL);
    CHECK_EQ(hcall(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable, 64, 0), -XEN_EINVAL);
    CHECK_EQ(hcall(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable, ~0ULL, 0), -XEN_EINVAL);
    CHECK_EQ(hcall(v, __HYPERVISOR_vm_assist, 7, VMASST_TYPE_runstate_update_flag, 0), -XEN_ENOSYS);
    CHECK_EQ(d->vm_assist, 0);
    fake_domain_destroy(d);
}

static long param(struct vcpu *v, unsigned int op, uint16_t dom, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = dom, .index = index, .value = *value};
    long rc = HC_ARG(v, __HYPERVISOR_hvm_op, op, p);

    ARG_BACK(v->domain, p);
    *value = p.value;
    return rc;
}

static void test_hvm_op(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 2, false);
    struct vcpu *v1 = d1->vcpus[0];
    uint64_t val;

    d1->hvm_param[HVM_PARAM_CONSOLE_PFN] = 0xfeff8;
    d1->hvm_param[HVM_PARAM_CONSOLE_EVTCHN] = 3;
    d1->hvm_param[HVM_PARAM_STORE_PFN] = 0xfeff9;
    d1->hvm_param[HVM_PARAM_STORE_EVTCHN] = 4;
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &val), 0);
    CHECK_EQ(val, 0xfeff8);
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &val), 0);
    CHECK_EQ(val, 3);
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &val), 0);
    CHECK_EQ(val, 0xfeff9);
    /* dom0 has no xenstore page or port yet: local xenbus mode. */
    CHECK_EQ(param(d0->vcpus[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_EVTCHN, &val), 0);
    CHECK_EQ(val, 0);

    /* Callback: stored, and already-pending upcalls on online vCPUs are kicked right away. */
    vcpu_info_of(v1)->evtchn_upcall_pending = 1;
    vcpu_info_of(d1->vcpus[1])->evtchn_upcall_pending = 1; /* offline: left alone */
    v1->kicked = false;
    val = 0x02000000000000F3ULL;
    CHECK_EQ(param(v1, HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    CHECK_EQ(d1->hvm_param[HVM_PARAM_CALLBACK_IRQ], 0x02000000000000F3ULL);
    CHECK(v1->kicked);
    CHECK(!d1->vcpus[1]->kicked);
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    CHECK_EQ(val, 0x02000000000000F3ULL);

    /* The guest may not rewrite toolstack parameters or read private ones. */
    val = 0x1234;
    CHECK_EQ(param(v1, HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &val), -XEN_EPERM);
    CHECK_EQ(param(v1, HVMOP_set_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &val), -XEN_EPERM);
    CHECK_EQ(d1->hvm_param[HVM_PARAM_STORE_PFN], 0xfeff9);
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, HVM_PARAM_IOREQ_PFN, &val), -XEN_EPERM);
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, HVM_PARAM_PAE_ENABLED, &val), -XEN_EINVAL);
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &val), -XEN_EINVAL);
    CHECK_EQ(param(v1, HVMOP_get_param, DOMID_SELF, 0xffffffffu, &val), -XEN_EINVAL);
    val = 5;
    CHECK_EQ(param(v1, HVMOP_set_param, DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &val), -XEN_EINVAL);
    val = 8;
    CHECK_EQ(param(v1, HVMOP_set_param, DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &val), 0);
    /* Other domains: only the privileged toolstack. */
    CHECK_EQ(param(v1, HVMOP_get_param, 0, HVM_PARAM_CALLBACK_IRQ, &val), -XEN_EPERM);
    val = 0xabc;
    CHECK_EQ(param(d0->vcpus[0], HVMOP_set_param, 1, HVM_PARAM_STORE_PFN, &val), 0);
    CHECK_EQ(d1->hvm_param[HVM_PARAM_STORE_PFN], 0xabc);
    CHECK_EQ(param(d0->vcpus[0], HVMOP_get_param, 1, HVM_PARAM_IOREQ_PFN, &val), 0);
    CHECK_EQ(param(d0->vcpus[0], HVMOP_get_param, 7, HVM_PARAM_STORE_PFN, &val), -XEN_ESRCH);
    CHECK_EQ(hcall(v1, __HYPERVISOR_hvm_op, HVMOP_get_param, GVA_HOLE, 0), -XEN_EFAULT);

    /* Small ops. */
    struct xen_hvm_pagetable_dying pd = {.domid = DOMID_SELF, .gpa = 0};
    CHECK_EQ(HC_ARG(v1, __HYPERVISOR_hvm_op, HVMOP_pagetable_dying, pd), -XEN_EINVAL);
    CHECK_EQ(hcall(v1, __HYPERVISOR_hvm_op, HVMOP_get_time, GVA_ARG, 0), 0);
    CHECK_EQ(*(uint64_t *)G(d1, GVA_ARG), guest_system_time());
    CHECK_EQ(hcall(v1, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, GVA_ARG, 0),
             -XEN_ENOSYS);
    CHECK_EQ(hcall(v1, __HYPERVISOR_hvm_op, 999, GVA_ARG, 0), -XEN_ENOSYS);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static void test_console_io(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d1 = fake_domain_create(1, 1, false);
    struct vcpu *v0 = d0->vcpus[0], *v1 = d1->vcpus[0];
    char big[300];

    fake_con_out_len = 0;
    memcpy(G(d0, GVA_BUF), "hello dom0\n", 11);
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_write, 11, GVA_BUF), 0);
    CHECK(strcmp(fake_con_out, "hello dom0\n") == 0);
    /* Longer than one chunk, in order. */
    for (unsigned int i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    memcpy(G(d0, GVA_BUF), big, sizeof(big));
    fake_con_out_len = 0;
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_write, sizeof(big), GVA_BUF), 0);
    CHECK_EQ(fake_con_out_len, sizeof(big));
    CHECK(memcmp(fake_con_out, big, sizeof(big)) == 0);
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_write, 10, GVA_HOLE - 5), -XEN_EFAULT);
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_write, 0, GVA_HOLE), 0);

    /* A domU may not use console_io at all (Xen, default XSM): -EPERM whatever the command. */
    fake_log_len = 0;
    fake_con_out_len = 0;
    memcpy(G(d1, GVA_BUF), "early \033[2Jpanic\nsecond", 22);
    CHECK_EQ(hcall(v1, __HYPERVISOR_console_io, CONSOLEIO_write, 22, GVA_BUF), -XEN_EPERM);
    CHECK_EQ(hcall(v1, __HYPERVISOR_console_io, 2, 16, GVA_BUF), -XEN_EPERM);
    CHECK_EQ(hcall(v1, __HYPERVISOR_console_io, CONSOLEIO_write, 10, GVA_HOLE), -XEN_EPERM);
    CHECK_EQ(fake_log_len, 0);
    CHECK_EQ(fake_con_out_len, 0);
    /* Its debug-port text goes to the log, one prefixed line at a time, sanitised. */
    console_domu_write(d1, "early \033[2Jpanic\nsecond", 22);
    CHECK(strstr(fake_log, "(d1) early ?[2Jpanic\n") != NULL);
    CHECK(strstr(fake_log, "second") == NULL); /* no newline yet */
    console_domu_write(d1, " half\n", 6);
    CHECK(strstr(fake_log, "(d1) second half\n") != NULL);
    CHECK_EQ(fake_con_out_len, 0);

    /* Reading: dom0 only; returns the bytes taken. */
    fake_con_in = "ls -l\r";
    CHECK_EQ(hcall(v1, __HYPERVISOR_console_io, CONSOLEIO_read, 16, GVA_BUF), -XEN_EPERM);
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_read, 3, GVA_BUF), 3);
    CHECK(memcmp(G(d0, GVA_BUF), "ls ", 3) == 0);
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_read, 16, GVA_BUF), 3);
    CHECK(memcmp(G(d0, GVA_BUF), "-l\r", 3) == 0);
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_read, 16, GVA_BUF), 0);
    fake_con_in = "x";
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, CONSOLEIO_read, 16, GVA_HOLE), -XEN_EFAULT);
    CHECK_EQ(hcall(v0, __HYPERVISOR_console_io, 2, 16, GVA_BUF), -XEN_ENOSYS);
    fake_domain_destroy(d1);
    fake_domain_destroy(d0);
}

static long sched(struct vcpu *v, unsigned int cmd, const void *arg, size_t sz)
{
    memcpy(G(v->domain, GVA_ARG), arg, sz);
    return hcall(v, __HYPERVISOR_sched_op, cmd, GVA_ARG, 0);
}

static void test_sched_shutdown_yield_block(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    struct sched_shutdown s = {.reason = 6};
    unsigned int y = fake_yields, b = fake_blocks;

    CHECK_EQ(hcall(v, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
    CHECK_EQ(fake_yields, y + 1);

    /* block: blocks, but an upcall already pending undoes it with a kick. */
    v->kicked = false;
    vcpu_info_of(v)->evtchn_upcall_pending = 0;
    CHECK_EQ(hcall(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
    CHECK_EQ(fake_blocks, b + 1);
    CHECK(v->blocked);
    CHECK(!v->kicked);
    vcpu_info_of(v)->evtchn_upcall_pending = 1;
    CHECK_EQ(hcall(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
    CHECK(v->kicked);

    CHECK_EQ(sched(v, SCHEDOP_shutdown, &s, sizeof(s)), -XEN_EINVAL);
    CHECK(!d->is_shutdown);
    CHECK_EQ(hcall(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown, GVA_HOLE, 0), -XEN_EFAULT);
    /* shutdown_code overrides the reason of a later shutdown. */
    s.reason = SHUTDOWN_crash;
    CHECK_EQ(sched(v, SCHEDOP_shutdown_code, &s, sizeof(s)), 0);
    s.reason = SHUTDOWN_poweroff;
    CHECK_EQ(sched(v, SCHEDOP_shutdown, &s, sizeof(s)), 0);
    CHECK(d->is_shutdown);
    CHECK_EQ(d->shutdown_reason, SHUTDOWN_crash);
    CHECK_EQ(hcall(v, __HYPERVISOR_sched_op, SCHEDOP_watchdog, GVA_ARG, 0), -XEN_ENOSYS);
    CHECK_EQ(hcall(v, __HYPERVISOR_sched_op, 99, GVA_ARG, 0), -XEN_ENOSYS);
    fake_domain_destroy(d);
}

static long poll(struct vcpu *v, const uint32_t *ports, uint32_t nr, uint64_t timeout)
{
    struct sched_poll p = {.ports = GVA_BUF, .nr_ports = nr, .timeout = timeout};

    memcpy(G(v->domain, GVA_BUF), ports, nr * sizeof(uint32_t));
    return sched(v, SCHEDOP_poll, &p, sizeof(p));
}

static void test_sched_poll(void)
{
    struct domain *d = fake_domain_create(1, 2, false);
    struct vcpu *v = d->vcpus[0];
    struct evtchn_bind_ipi a = {.vcpu = 1}, b = {.vcpu = 1};
    uint32_t ports[2];
    uint64_t deadline;

    CHECK_EQ(evtchn_bind_ipi(d, &a), 0);
    CHECK_EQ(evtchn_bind_ipi(d, &b), 0);
    ports[0] = a.port;
    ports[1] = b.port;
    vcpu_info_of(v)->evtchn_upcall_pending = 0;

    /* Already pending: returns at once without blocking. */
    CHECK_EQ(evtchn_send(d, b.port), 0);
    v->blocked = false;
    CHECK_EQ(poll(v, ports, 2, 0), 0);
    CHECK(!v->blocked);
    CHECK_EQ(d->poll_mask, 0);

    /* Nothing pending: blocks; a send on the polled port wakes it even while masked. */
    SI(d)->evtchn_pending[0] = 0;
    SI(d)->evtchn_mask[0] = ~0ULL;
    v->kicked = false;
    d->vcpus[1]->kicked = false;
    CHECK_EQ(poll(v, &ports[0], 1, 0), 0);
    CHECK(v->blocked);
    CHECK_EQ(d->poll_mask, 1);
    CHECK(!v->kicked);
    CHECK_EQ(evtchn_send(d, b.port), 0); /* another port: still asleep */
    CHECK(!v->kicked);
    CHECK_EQ(evtchn_send(d, a.port), 0);
    CHECK(v->kicked);
    CHECK_EQ(d->poll_mask, 0);
    CHECK(!d->vcpus[1]->kicked); /* masked: no upcall for the port's own vCPU */

    /* Timeout: the poll timer wakes it. */
    SI(d)->evtchn_pending[0] = 0;
    v->blocked = false;
    v->kicked = false;
    deadline = guest_system_time() + 1000000;
    CHECK_EQ(poll(v, ports, 2, deadline), 0);
    CHECK(v->blocked);
    CHECK(v->poll_timer.active);
    fake_timer_fire(&v->poll_timer);
    CHECK(v->kicked);
    CHECK_EQ(d->poll_mask, 0);
    /* A timeout already passed returns at once. */
    v->blocked = false;
    CHECK_EQ(poll(v, ports, 2, 1), 0);
    CHECK(!v->blocked);

    /* A pending upcall returns at once (it would not be kicked again). */
    vcpu_info_of(v)->evtchn_upcall_pending = 1;
    CHECK_EQ(poll(v, ports, 2, 0), 0);
    CHECK(!v->blocked);
    vcpu_info_of(v)->evtchn_upcall_pending = 0;

    /* Woken by something else: the next hypercall drops the stale poll registration. */
    CHECK_EQ(poll(v, ports, 1, deadline), 0);
    CHECK_EQ(d->poll_mask, 1);
    CHECK_EQ(hcall(v, __HYPERVISOR_xen_version, XENVER_version, 0, 0), 0x00040011);
    CHECK_EQ(d->poll_mask, 0);
    CHECK(!v->poll_timer.active);

    /* Hostile arguments. */
    v->blocked = false;
    ports[0] = 0;
    CHECK_EQ(poll(v, ports, 1, 0), -XEN_EINVAL);
    ports[0] = 4096;
    CHECK_EQ(poll(v, ports, 1, 0), -XEN_EINVAL);
    static const uint32_t many[129];
    CHECK_EQ(poll(v, many, 129, 0), -XEN_EINVAL);
    struct sched_poll p = {.ports = GVA_HOLE, .nr_ports = 2};
    CHECK_EQ(sched(v, SCHEDOP_poll, &p, sizeof(p)), -XEN_EFAULT);
    CHECK(!v->blocked);
    CHECK_EQ(d->poll_mask, 0);
    fake_domain_destroy(d);
}

TEST_MAIN("hypercall", TEST(test_dispatch_numbers), TEST(test_privileged_filter),
          TEST(test_platform_op), TEST(test_xen_version), TEST(test_vm_assist), TEST(test_hvm_op),
          TEST(test_console_io), TEST(test_sched_shutdown_yield_block), TEST(test_sched_poll))
