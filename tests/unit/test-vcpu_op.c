/* Unit tests for vcpu_op, set_timer_op, pvclock scale/records and the shared_info wall clock. */
// clang-format off
// SOURCES: hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/grant_table.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c
// clang-format on
#include "fake_hv.h"
#include "harness.h"

#include <public/vcpu.h>

static long vop(struct vcpu *v, unsigned int cmd, unsigned int id, const void *arg, size_t sz)
{
    if (sz)
        memcpy(G(v->domain, GVA_ARG), arg, sz);
    return hcall(v, __HYPERVISOR_vcpu_op, cmd, id, GVA_ARG);
}

static long reg_info(struct vcpu *v, unsigned int id, uint64_t gfn, uint32_t offset)
{
    struct vcpu_register_vcpu_info r = {.mfn = gfn, .offset = offset};

    return vop(v, VCPUOP_register_vcpu_info, id, &r, sizeof(r));
}

static long set_sshot(struct vcpu *v, unsigned int id, uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = {.timeout_abs_ns = deadline, .flags = flags};

    return vop(v, VCPUOP_set_singleshot_timer, id, &s, sizeof(s));
}

static uint32_t bind_timer(struct vcpu *v, unsigned int id)
{
    struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = id};

    CHECK_EQ(evtchn_bind_virq(v->domain, &b), 0);
    return b.port;
}

static bool pending(struct domain *d, uint32_t p)
{
    return (SI(d)->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

/* Linux's pvclock read: guest formula applied to the current TSC. */
static uint64_t guest_read_clock(const struct vcpu_time_info *t)
{
    CHECK((t->version & 1) == 0);
    return t->system_time +
           pvclock_scale_delta(rdtsc_now() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
}

static void test_register_vcpu_info(void)
{
    struct domain *d = fake_domain_create(1, 2, false);
    struct vcpu *v0 = d->vcpus[0];
    struct vcpu_info *slot = &SI(d)->vcpu_info[0], *area;
    struct evtchn_bind_ipi ipi = {.vcpu = 0};

    CHECK(vcpu_info_of(v0) == slot);
    CHECK(v0->vcpu_info == slot); /* arch code may read the pointer directly */
    slot->arch.cr2 = 0x1234;
    slot->evtchn_upcall_mask = 1;
    v0->kicked = false;
    CHECK_EQ(reg_info(v0, 0, 3, 64), 0);
    area = (struct vcpu_info *)G(d, 3 * PAGE_SIZE + 64);
    CHECK(vcpu_info_of(v0) == area);
    CHECK_EQ(area->arch.cr2, 0x1234); /* old contents copied */
    CHECK_EQ(area->evtchn_upcall_mask, 1);
    CHECK_EQ(area->evtchn_pending_sel, ~0ULL); /* everything claimed pending */
    CHECK_EQ(area->evtchn_upcall_pending, 1);
    CHECK(v0->kicked);
    CHECK(area->time.tsc_to_system_mul != 0); /* time valid in the new place */
    CHECK_EQ(area->time.version & 1, 0);
    CHECK(area->time.version != 0);

    /* Only once per vCPU. */
    CHECK_EQ(reg_info(v0, 0, 4, 0), -XEN_EBUSY);

    /* Events now land in the new area, not in the old slot. */
    area->evtchn_pending_sel = 0;
    area->evtchn_upcall_pending = 0;
    slot->evtchn_pending_sel = 0;
    slot->evtchn_upcall_pending = 0;
    CHECK_EQ(evtchn_bind_ipi(d, &ipi), 0);
    CHECK_EQ(evtchn_send(d, ipi.port), 0);
    CHECK_EQ(area->evtchn_pending_sel, 1);
    CHECK_EQ(area->evtchn_upcall_pending, 1);
    CHECK_EQ(slot->evtchn_pending_sel, 0);
    CHECK_EQ(slot->evtchn_upcall_pending, 0);
    fake_domain_destroy(d);
}

static void test_register_vcpu_info_bad(void)
{
    struct domain *d = fake_domain_create(1, 3, false);
    struct vcpu *v0 = d->vcpus[0];

    CHECK_EQ(reg_info(v0, 0, 3, PAGE_SIZE - 32), -XEN_EINVAL); /* crosses the page */
    CHECK_EQ(reg_info(v0, 0, 3, PAGE_SIZE), -XEN_EINVAL);
    CHECK_EQ(reg_info(v0, 0, 3, 0xffffffffu), -XEN_EINVAL);
    CHECK_EQ(reg_info(v0, 0, 3, 4), -XEN_EINVAL);             /* not 8-byte aligned */
    CHECK_EQ(reg_info(v0, 0, FAKE_HOLE_PFN, 0), -XEN_EINVAL); /* not RAM */
    CHECK_EQ(reg_info(v0, 0, 1ULL << 52, 0), -XEN_EINVAL);
    CHECK_EQ(reg_info(v0, 3, 3, 0), -XEN_ENOENT); /* no such vCPU */
    CHECK_EQ(reg_info(v0, 0xffffffffu, 3, 0), -XEN_ENOENT);
    CHECK(!v0->vcpu_info_registered);
    CHECK(vcpu_info_of(v0) == &SI(d)->vcpu_info[0]);
    /* Last legal offset. */
    CHECK_EQ(reg_info(v0, 0, 3, PAGE_SIZE - 64), 0);
    /* Argument in unmapped memory. */
    CHECK_EQ(hcall(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, GVA_HOLE), -XEN_EFAULT);

    /* Another vCPU: fine while it has never run (AP bring-up), refused once it runs. */
    CHECK_EQ(reg_info(v0, 1, 4, 128), 0);
    CHECK(vcpu_info_of(d->vcpus[1]) == (struct vcpu_info *)G(d, 4 * PAGE_SIZE + 128));
    CHECK(((struct vcpu_info *)G(d, 4 * PAGE_SIZE + 128))->time.tsc_to_system_mul != 0);
    d->vcpus[2]->online = true;
    CHECK_EQ(reg_info(v0, 2, 4, 256), -XEN_EINVAL);
    fake_domain_destroy(d);
}

static void test_vcpu_without_legacy_slot(void)
{
    struct domain *d = fake_domain_create(1, 33, false);
    struct vcpu *v32 = d->vcpus[32];
    struct vcpu_info *area = (struct vcpu_info *)G(d, 5 * PAGE_SIZE);
    struct evtchn_bind_ipi ipi = {.vcpu = 32};

    CHECK(vcpu_info_of(v32) == NULL);
    CHECK(v32->vcpu_info == NULL);
    /* Events for it are dropped without crashing until it has an area. */
    CHECK_EQ(evtchn_bind_ipi(d, &ipi), 0);
    CHECK_EQ(evtchn_send(d, ipi.port), 0);
    memset(area, 0x5a, sizeof(*area));
    CHECK_EQ(reg_info(d->vcpus[0], 32, 5, 0), 0);
    CHECK_EQ(area->evtchn_upcall_mask, 1);
    CHECK_EQ(area->arch.cr2, 0);
    CHECK_EQ(area->evtchn_pending_sel, ~0ULL);
    CHECK(area->time.tsc_to_system_mul != 0);
    fake_domain_destroy(d);
}

static void test_runstate(void)
{
    struct domain *d = fake_domain_create(1, 2, false);
    struct vcpu *v = d->vcpus[0];
    struct vcpu_register_runstate_memory_area a = {.addr = GVA_BUF + 8};
    struct vcpu_runstate_info *area = G(d, GVA_BUF + 8), r;

    memset(area, 0xff, sizeof(*area));
    CHECK_EQ(vop(v, VCPUOP_register_runstate_memory_area, 0, &a, sizeof(a)), 0);
    CHECK_EQ(area->state, RUNSTATE_running); /* written at once */
    CHECK_EQ(area->time[RUNSTATE_blocked], 0);

    fake_advance_ns(1000000);
    vcpu_runstate_change(v, RUNSTATE_blocked);
    CHECK_EQ(area->state, RUNSTATE_blocked);
    CHECK(area->time[RUNSTATE_running] >= 999999 && area->time[RUNSTATE_running] <= 1000001);
    CHECK_EQ(area->state_entry_time, v->runstate_entry_ns);

    /* With the update flag assist the area ends consistent (flag clear). */
    CHECK_EQ(do_vm_assist(v, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag), 0);
    fake_advance_ns(2000000);
    vcpu_runstate_change(v, RUNSTATE_running);
    CHECK_EQ(area->state, RUNSTATE_running);
    CHECK_EQ(area->state_entry_time & XEN_RUNSTATE_UPDATE, 0);
    CHECK(area->time[RUNSTATE_blocked] >= 1999999 && area->time[RUNSTATE_blocked] <= 2000001);
    /* Bogus states are ignored. */
    vcpu_runstate_change(v, 7);
    CHECK_EQ(area->state, RUNSTATE_running);

    /* A blocked vCPU that makes a hypercall is running. */
    vcpu_runstate_change(v, RUNSTATE_blocked);
    CHECK_EQ(area->state, RUNSTATE_blocked);
    CHECK_EQ(
        hcall(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0),
        0);
    CHECK_EQ(area->state, RUNSTATE_running);

    /* get_runstate_info for the other, offline vCPU. */
    CHECK_EQ(hcall(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, GVA_ARG), 0);
    memcpy(&r, G(d, GVA_ARG), sizeof(r));
    CHECK_EQ(r.state, RUNSTATE_offline);
    /* Its first hypercall (the run loop never reported it started) makes it running. */
    CHECK_EQ(hcall(d->vcpus[1], __HYPERVISOR_xen_version, 0, 0, 0), 0x00040011);
    CHECK_EQ(d->vcpus[1]->runstate, RUNSTATE_running);
    CHECK(d->vcpus[1]->runstate_time[RUNSTATE_offline] > 0);
    CHECK_EQ(hcall(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, GVA_HOLE), -XEN_EFAULT);

    /* Unregistering stops updates; an unwritable address is accepted but never written. */
    a.addr = 0;
    CHECK_EQ(vop(v, VCPUOP_register_runstate_memory_area, 0, &a, sizeof(a)), 0);
    vcpu_runstate_change(v, RUNSTATE_blocked);
    CHECK_EQ(area->state, RUNSTATE_running);
    a.addr = GVA_HOLE;
    CHECK_EQ(vop(v, VCPUOP_register_runstate_memory_area, 0, &a, sizeof(a)), 0);
    vcpu_runstate_change(v, RUNSTATE_running);
    fake_domain_destroy(d);
}

static void test_singleshot(void)
{
    struct domain *d = fake_domain_create(1, 2, false);
    struct vcpu *v = d->vcpus[0], *v1 = d->vcpus[1];
    uint32_t port = bind_timer(v, 0), port1 = bind_timer(v, 1);
    uint64_t now = guest_system_time();

    /* Future: armed at the matching host time; fires VIRQ_TIMER on this vCPU only. */
    CHECK_EQ(set_sshot(v, 0, now + 5000000, 0), 0);
    CHECK(v->singleshot.active);
    CHECK(v->singleshot.expires >= now_ns() + 4999999 &&
          v->singleshot.expires <= now_ns() + 5000001);
    CHECK(!pending(d, port));
    fake_timer_fire(&v->singleshot);
    CHECK(pending(d, port));
    CHECK(!pending(d, port1));
    CHECK(v->kicked);

    /* Past deadline: raised at once, nothing armed. */
    SI(d)->evtchn_pending[0] = 0;
    fake_advance_ns(1000);
    CHECK_EQ(set_sshot(v, 0, now, 0), 0);
    CHECK(pending(d, port));
    CHECK(!v->singleshot.active);

    /* Past deadline with VCPU_SSHOTTMR_future: -ETIME and nothing raised. */
    SI(d)->evtchn_pending[0] = 0;
    CHECK_EQ(set_sshot(v, 0, now, VCPU_SSHOTTMR_future), -XEN_ETIME);
    CHECK(!pending(d, port));
    /* ...but a future one with the flag is fine. */
    CHECK_EQ(set_sshot(v, 0, guest_system_time() + 1000000, VCPU_SSHOTTMR_future), 0);
    CHECK(v->singleshot.active);

    /* Only the calling vCPU's own timer. */
    CHECK_EQ(set_sshot(v, 1, guest_system_time() + 1000000, 0), -XEN_EINVAL);
    CHECK(!v1->singleshot.active);
    CHECK_EQ(vop(v, VCPUOP_stop_singleshot_timer, 1, NULL, 0), -XEN_EINVAL);
    CHECK_EQ(vop(v, VCPUOP_stop_singleshot_timer, 0, NULL, 0), 0);
    CHECK(!v->singleshot.active);
    CHECK_EQ(hcall(v, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, GVA_END), -XEN_EFAULT);

    /* The vCPU moved to pCPU 3: its timer follows, so that CPU's interrupt fires it. */
    v->processor = 3;
    CHECK_EQ(set_sshot(v, 0, guest_system_time() + 1000000, 0), 0);
    CHECK_EQ(v->singleshot.cpu, 3);
    CHECK(v->singleshot.active);

    /* A huge deadline does not overflow the host expiry. */
    CHECK_EQ(set_sshot(v, 0, ~0ULL, 0), 0);
    CHECK_EQ(v->singleshot.expires, UINT64_MAX);
    fake_domain_destroy(d);
}

static void test_set_timer_op(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct vcpu *v = d->vcpus[0];
    uint32_t port = bind_timer(v, 0);
    uint64_t now = guest_system_time();

    CHECK_EQ(hcall(v, __HYPERVISOR_set_timer_op, now + 3000000, 0, 0), 0);
    CHECK(v->singleshot.active);
    CHECK(v->singleshot.expires >= now_ns() + 2999999 &&
          v->singleshot.expires <= now_ns() + 3000001);
    CHECK_EQ(hcall(v, __HYPERVISOR_set_timer_op, 0, 0, 0), 0);
    CHECK(!v->singleshot.active);
    /* More than 2^50 ns ahead: treated as "in 100 ms". */
    CHECK_EQ(hcall(v, __HYPERVISOR_set_timer_op, now + (1ULL << 51), 0, 0), 0);
    CHECK(v->singleshot.expires >= now_ns() + 99999999 &&
          v->singleshot.expires <= now_ns() + 100000001);
    /* In the past: fires now. */
    CHECK_EQ(hcall(v, __HYPERVISOR_set_timer_op, 1, 0, 0), 0);
    CHECK(pending(d, port));
    fake_domain_destroy(d);
}

static void test_pvclock_scale(void)
{
    static const uint64_t hz[] = {100000000ULL,  800000000ULL,  1000000000ULL,
                                  1000000001ULL, 2000000000ULL, 2500000000ULL,
                                  3000000000ULL, 3600000123ULL, 10000000000ULL};
    uint32_t mul;
    int8_t shift;

    pvclock_compute_scale(3000000000ULL, &mul, &shift);
    CHECK_EQ(shift, -1);
    CHECK_EQ(mul, 2863311530u);
    pvclock_compute_scale(1000000000ULL, &mul, &shift);
    CHECK_EQ(shift, 1);
    CHECK_EQ(mul, 2147483648u);

    for (unsigned int i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
        pvclock_compute_scale(hz[i], &mul, &shift);
        CHECK(mul >= 0x80000000u);
        /*
         * One second of ticks is 1e9 ns to within the rounding of mul (< 2^-31)
         * and of the halving of odd rates; under a microsecond per hour.
         */
        uint64_t ns = pvclock_scale_delta(hz[i], mul, shift);
        CHECK(ns <= 1000000000ULL + 1 && ns >= 1000000000ULL - 2);
        ns = pvclock_scale_delta(hz[i] * 3600, mul, shift);
        CHECK(ns <= 3600000000000ULL + 1000 && ns >= 3600000000000ULL - 1000);
        ns = pvclock_scale_delta(hz[i] / 1000, mul, shift);
        CHECK(ns <= 1000000ULL + 1 && ns >= 1000000ULL - 2);
        /* Linux's TSC-frequency derivation from the pair gets back the frequency in kHz. */
        uint64_t khz = (1000000ULL << 32) / mul;
        khz = shift < 0 ? khz << -shift : khz >> shift;
        CHECK(khz + 2 >= hz[i] / 1000 && khz <= hz[i] / 1000 + 2);
    }
}

static void test_pvclock_record(void)
{
    struct domain *d = fake_domain_create(1, 2, false);
    struct vcpu_time_info *t0 = &SI(d)->vcpu_info[0].time, *t1 = &SI(d)->vcpu_info[1].time;
    uint32_t ver = t0->version;
    uint64_t g;

    /* Valid from creation: before the guest even maps shared_info. */
    CHECK(ver != 0 && (ver & 1) == 0);
    CHECK_EQ(t0->flags, 0); /* TSC not declared stable */
    g = guest_read_clock(t0);
    CHECK(g + 1 >= guest_system_time() && g <= guest_system_time() + 1);
    CHECK(g + 1000 >= now_ns() && g <= now_ns() + 1000);
    /* All vCPUs read the same clock. */
    CHECK_EQ(guest_read_clock(t1), g);

    /* An hour later the guest formula still matches system time without a refresh. */
    fake_advance_ns(3600ULL * 1000000000ULL);
    g = guest_read_clock(t0);
    CHECK_EQ(g, guest_system_time());
    CHECK(g + 2000 >= now_ns() && g <= now_ns() + 2000);

    /* A refresh bumps the version by 2 and never moves the clock. */
    update_vcpu_system_time(d->vcpus[0]);
    CHECK_EQ(t0->version, ver + 2);
    CHECK_EQ(guest_read_clock(t0), g);

    pvclock_set_tsc_stable(true);
    update_vcpu_system_time(d->vcpus[0]);
    CHECK_EQ(t0->flags, XEN_PVCLOCK_TSC_STABLE_BIT);
    pvclock_set_tsc_stable(false);
    update_vcpu_system_time(d->vcpus[0]);
    CHECK_EQ(t0->flags, 0);

    /* Guest deadlines convert to host time one to one. */
    CHECK_EQ(guest_time_to_host_ns(guest_system_time() + 12345), now_ns() + 12345);
    CHECK_EQ(guest_time_to_host_ns(0), now_ns());
    fake_domain_destroy(d);
}

static void test_wallclock(void)
{
    struct domain *d = fake_domain_create(1, 1, false);
    struct shared_info *s = SI(d);
    uint32_t ver = s->wc_version;

    CHECK(ver != 0 && (ver & 1) == 0);
    CHECK_EQ(s->wc_sec, 1700000000u);
    CHECK_EQ(s->wc_nsec, 123456789u);
    CHECK_EQ(s->wc_sec_hi, 0);
    update_domain_wallclock_time(d);
    CHECK_EQ(s->wc_version, ver + 2);
    CHECK_EQ(s->wc_sec, 1700000000u);
    fake_domain_destroy(d);
}

static void test_misc_ops(void)
{
    struct domain *d = fake_domain_create(1, 2, false);
    struct vcpu *v = d->vcpus[0];
    const unsigned int nosys[] = {VCPUOP_send_nmi,
                                  VCPUOP_get_physid,
                                  VCPUOP_register_vcpu_time_memory_area,
                                  VCPUOP_register_runstate_phys_area,
                                  99,
                                  0xffffffffu};

    struct vcpu_set_periodic_timer per = {.period_ns = 999999};

    /* Periodic timer: periods under 1 ms are refused, a valid one arms, stop disarms. */
    CHECK_EQ(vop(v, VCPUOP_set_periodic_timer, 0, &per, sizeof(per)), -XEN_EINVAL);
    per.period_ns = 10000000;
    CHECK_EQ(vop(v, VCPUOP_set_periodic_timer, 0, &per, sizeof(per)), 0);
    CHECK_EQ(v->periodic_ns, 10000000);
    CHECK(v->periodic.active);
    CHECK_EQ(hcall(v, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, GVA_HOLE), -XEN_EFAULT);
    CHECK_EQ(vop(v, VCPUOP_stop_periodic_timer, 0, NULL, 0), 0);
    CHECK(!v->periodic.active);
    CHECK_EQ(v->periodic_ns, 0);
    CHECK_EQ(vop(v, VCPUOP_stop_periodic_timer, 1, NULL, 0), 0);
    CHECK_EQ(vop(v, VCPUOP_is_up, 0, NULL, 0), 1);
    CHECK_EQ(vop(v, VCPUOP_is_up, 1, NULL, 0), 0);
    CHECK_EQ(vop(v, VCPUOP_is_up, 2, NULL, 0), -XEN_ENOENT);
    for (unsigned int i = 0; i < sizeof(nosys) / sizeof(nosys[0]); i++)
        CHECK_EQ(vop(v, nosys[i], 0, NULL, 0), -XEN_ENOSYS);
    /* initialise/up/down reach the arch layer (tests/unit/test-hvm_save.c tests it) for the
     * named vCPU; initialise needs a readable context and a vcpu_info. */
    unsigned int inits = fake_vcpu_inits, ups = fake_vcpu_ups, downs = fake_vcpu_downs;
    struct vcpu_hvm_context ctx = {.mode = VCPU_HVM_MODE_32B};
    CHECK_EQ(vop(v, VCPUOP_initialise, 1, &ctx, sizeof(ctx)), 0);
    CHECK_EQ(hcall(v, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, GVA_HOLE), -XEN_EFAULT);
    CHECK_EQ(vop(v, VCPUOP_up, 1, NULL, 0), 0);
    CHECK_EQ(vop(v, VCPUOP_down, 1, NULL, 0), 0);
    CHECK_EQ(vop(v, VCPUOP_up, 2, NULL, 0), -XEN_ENOENT);
    CHECK_EQ(fake_vcpu_inits - inits, 1);
    CHECK_EQ(fake_vcpu_ups - ups, 1);
    CHECK_EQ(fake_vcpu_downs - downs, 1);
    d->vcpus[1]->vcpu_info = NULL; /* as a vCPU >= 32 before VCPUOP_register_vcpu_info */
    CHECK_EQ(vop(v, VCPUOP_initialise, 1, &ctx, sizeof(ctx)), -XEN_EINVAL);
    CHECK_EQ(fake_vcpu_inits - inits, 1);
    fake_domain_destroy(d);
}

TEST_MAIN("vcpu_op", TEST(test_register_vcpu_info), TEST(test_register_vcpu_info_bad),
          TEST(test_vcpu_without_legacy_slot), TEST(test_runstate), TEST(test_singleshot),
          TEST(test_set_timer_op), TEST(test_pvclock_scale), TEST(test_pvclock_record),
          TEST(test_wallclock), TEST(test_misc_ops))
