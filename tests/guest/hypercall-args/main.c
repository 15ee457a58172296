/* Hostile hypercall arguments must get Xen's exact -errno and leave the host (and guest) working.
 */
#include "xtf.h"

#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

const char test_title[] = "hypercall-args: hostile arguments get the right -errno";

/*
 * Every expected value below is what Xen 4.17 (xen-project/xen, stable-4.17)
 * answers a 64-bit HVM/PVH caller at CPL 0; the file and function named in
 * each comment are where that answer comes from.
 */

/* Not canonical: bits 63:47 are not all equal. */
#define BAD_NONCANONICAL 0x000dead000000000ULL
/* Canonical, but not mapped by this guest's page tables (they cover the first 1 GiB only). */
#define BAD_UNMAPPED 0x00007f0000000000ULL

static const uint64_t bad_pointers[] = {BAD_NONCANONICAL, BAD_UNMAPPED};

#define EXPECT(what, call, want) xtf_check_rc(what, (call), (want))

static void *bad(unsigned int i)
{
    return (void *)(uintptr_t)bad_pointers[i];
}

/*
 * xen/include/hypercall-defs.c: hvm64 has no handler for the PV-only
 * hypercalls and nothing above hypfs_op; the generated dispatcher answers
 * -ENOSYS. hvm_hypercall() (arch/x86/hvm/hypercall.c) takes the number from
 * all 64 bits of RAX in 64-bit mode, so 2^32 + 17 is not xen_version.
 */
static void test_unknown_numbers(void)
{
    printk("Unknown and PV-only hypercall numbers:\n");
    EXPECT("hypercall 60", hypercall5(60, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    EXPECT("hypercall 0xffffffff", hypercall5(0xffffffffULL, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    EXPECT("hypercall 2^64-1", hypercall5(~0ULL, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    EXPECT("hypercall 2^32+17 (xen_version in the low half)",
           hypercall5((1ULL << 32) | __HYPERVISOR_xen_version, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    EXPECT("set_trap_table (PV only)", hypercall5(__HYPERVISOR_set_trap_table, 0, 0, 0, 0, 0),
           -XEN_ENOSYS);
    EXPECT("mmu_update (PV only)", hypercall5(__HYPERVISOR_mmu_update, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    EXPECT("iret (PV only)", hypercall5(__HYPERVISOR_iret, 0, 0, 0, 0, 0), -XEN_ENOSYS);
}

/* common/kernel.c, do_xen_version(). */
static void test_xen_version(void)
{
    printk("xen_version:\n");
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);
    printk("  XENVER_version = %#lx (%ld.%ld)\n", v, v >> 16, v & 0xffff);
    if (v < (4 << 16))
        xtf_error("XENVER_version = %#lx, expected major >= 4", v);
    /* XENVER_pagesize with a NULL argument returns PAGE_SIZE. */
    EXPECT("XENVER_pagesize", HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
    EXPECT("xen_version cmd 99", HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
        EXPECT("XENVER_extraversion to a bad pointer",
               HYPERVISOR_xen_version(XENVER_extraversion, bad(i)), -XEN_EFAULT);
        EXPECT("XENVER_get_features from a bad pointer",
               HYPERVISOR_xen_version(XENVER_get_features, bad(i)), -XEN_EFAULT);
    }
    /* Only submap 0 exists. */
    struct xen_feature_info fi = {.submap_idx = 99};
    EXPECT("XENVER_get_features submap 99", HYPERVISOR_xen_version(XENVER_get_features, &fi),
           -XEN_EINVAL);
}

/* common/memory.c do_memory_op(); arch/x86/mm.c arch_memory_op(); arch/x86/mm/p2m.c. */
static void test_memory_op(void)
{
    printk("memory_op:\n");
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
        EXPECT("XENMEM_add_to_physmap from a bad pointer",
               HYPERVISOR_memory_op(XENMEM_add_to_physmap, bad(i)), -XEN_EFAULT);
        EXPECT("XENMEM_memory_map from a bad pointer",
               HYPERVISOR_memory_op(XENMEM_memory_map, bad(i)), -XEN_EFAULT);
        /* The struct is fine but the entries are copied out to a bad buffer. */
        struct xen_memory_map map = {.nr_entries = 8, .buffer = bad_pointers[i]};
        EXPECT("XENMEM_memory_map into a bad buffer", HYPERVISOR_memory_op(XENMEM_memory_map, &map),
               -XEN_EFAULT);
    }

    /* xenmem_add_to_physmap_one(): an unknown space leaves mfn invalid -> -EINVAL. */
    struct xen_add_to_physmap xatp = {.domid = DOMID_SELF, .space = 99, .idx = 0, .gpfn = 0x3000};
    EXPECT("XENMEM_add_to_physmap space 99", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp),
           -XEN_EINVAL);
    /* do_memory_op(): foreign frames only through add_to_physmap_batch. */
    xatp.space = XENMAPSPACE_gmfn_foreign;
    EXPECT("XENMEM_add_to_physmap space gmfn_foreign",
           HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), -XEN_ENOSYS);

    /*
     * The sub-op is cmd & 0x3f (the rest is a continuation index): 63 is
     * unknown, and so is 99 (= sub-op 35, start extent 1); both fall through
     * arch_memory_op() to subarch_memory_op()'s -ENOSYS.
     */
    EXPECT("memory_op cmd 63", HYPERVISOR_memory_op(63, NULL), -XEN_ENOSYS);
    EXPECT("memory_op cmd 99", HYPERVISOR_memory_op(99, NULL), -XEN_ENOSYS);
}

/* common/event_channel.c: do_event_channel_op(), evtchn_send/close/bind_virq/alloc_unbound(). */
static void test_event_channel_op(void)
{
    printk("event_channel_op:\n");
    EXPECT("event_channel_op cmd 99", HYPERVISOR_event_channel_op(99, NULL), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
        EXPECT("EVTCHNOP_send from a bad pointer",
               HYPERVISOR_event_channel_op(EVTCHNOP_send, bad(i)), -XEN_EFAULT);
        EXPECT("EVTCHNOP_alloc_unbound from a bad pointer",
               HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, bad(i)), -XEN_EFAULT);
    }

    /* Port 0 is reserved (ECS_RESERVED); ports beyond the allocated buckets are invalid. */
    static const uint32_t bad_ports[] = {0, 5000, 0xffffffff};
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_ports); i++) {
        char what[64];
        struct evtchn_send send = {.port = bad_ports[i]};
        snprintf(what, sizeof(what), "EVTCHNOP_send port %u", bad_ports[i]);
        EXPECT(what, HYPERVISOR_event_channel_op(EVTCHNOP_send, &send), -XEN_EINVAL);
        struct evtchn_close close = {.port = bad_ports[i]};
        snprintf(what, sizeof(what), "EVTCHNOP_close port %u", bad_ports[i]);
        EXPECT(what, HYPERVISOR_event_channel_op(EVTCHNOP_close, &close), -XEN_EINVAL);
    }

    /* evtchn_bind_virq(): range check, then "global VIRQs only on vCPU 0", then the vCPU. */
    struct evtchn_bind_virq bv = {.virq = 999, .vcpu = 0};
    EXPECT("EVTCHNOP_bind_virq virq 999", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv),
           -XEN_EINVAL);
    bv = (struct evtchn_bind_virq){.virq = VIRQ_DOM_EXC, .vcpu = 1};
    EXPECT("EVTCHNOP_bind_virq global VIRQ_DOM_EXC on vcpu 1",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
    bv = (struct evtchn_bind_virq){.virq = VIRQ_TIMER, .vcpu = 57};
    EXPECT("EVTCHNOP_bind_virq VIRQ_TIMER on vcpu 57",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_ENOENT);

    /* evtchn_alloc_unbound(): rcu_lock_domain_by_any_id() fails -> -ESRCH. */
    struct evtchn_alloc_unbound au = {.dom = 1234, .remote_dom = DOMID_SELF};
    EXPECT("EVTCHNOP_alloc_unbound in domain 1234",
           HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), -XEN_ESRCH);
}

/* Good calls after all the bad ones: the state machine still works. */
static void test_event_channel_lifecycle(void)
{
    printk("event channel life cycle:\n");
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
    if (!EXPECT("EVTCHNOP_alloc_unbound DOMID_SELF",
                HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0))
        return;
    printk("  allocated port %u\n", au.port);
    if (au.port == 0 || au.port >= EVTCHN_2L_NR_CHANNELS)
        xtf_error("EVTCHNOP_alloc_unbound returned port %u", au.port);

    struct evtchn_status st = {.dom = DOMID_SELF, .port = au.port};
    if (EXPECT("EVTCHNOP_status", HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0) &&
        st.status != EVTCHNSTAT_unbound)
        xtf_error("EVTCHNOP_status of port %u: status %u, expected unbound (%u)", au.port,
                  st.status, EVTCHNSTAT_unbound);

    /* evtchn_send(): sending on an unbound port is silently dropped. */
    struct evtchn_send send = {.port = au.port};
    EXPECT("EVTCHNOP_send on the unbound port", HYPERVISOR_event_channel_op(EVTCHNOP_send, &send),
           0);

    struct evtchn_close close = {.port = au.port};
    EXPECT("EVTCHNOP_close", HYPERVISOR_event_channel_op(EVTCHNOP_close, &close), 0);
    /* evtchn_close(): the port is now ECS_FREE -> -EINVAL. */
    EXPECT("EVTCHNOP_close again", HYPERVISOR_event_channel_op(EVTCHNOP_close, &close),
           -XEN_EINVAL);
}

/* arch/x86/domain.c do_vcpu_op(), common/domain.c common_vcpu_op(). */
static void test_vcpu_op(void)
{
    printk("vcpu_op:\n");
    struct vcpu_register_vcpu_info info = {.mfn = 0x3000 >> 12, .offset = 0};
    /* domain_vcpu() finds no vCPU 57 (or 2^32-1): -ENOENT before the sub-op is looked at. */
    EXPECT("VCPUOP_register_vcpu_info vcpu 57",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 57, &info), -XEN_ENOENT);
    EXPECT("VCPUOP_is_up vcpu 0xffffffff", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0xffffffff, NULL),
           -XEN_ENOENT);
    EXPECT("vcpu_op cmd 99", HYPERVISOR_vcpu_op(99, 0, NULL), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
        EXPECT("VCPUOP_register_vcpu_info from a bad pointer",
               HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, bad(i)), -XEN_EFAULT);
        EXPECT("VCPUOP_set_periodic_timer from a bad pointer",
               HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, bad(i)), -XEN_EFAULT);
    }
    /* Periods under 1 ms are refused. */
    struct vcpu_set_periodic_timer pt = {.period_ns = 1};
    EXPECT("VCPUOP_set_periodic_timer 1 ns", HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt),
           -XEN_EINVAL);
    /* A good call: vCPU 0 is running. */
    EXPECT("VCPUOP_is_up vcpu 0", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
}

/* common/sched/core.c do_sched_op(). */
static void test_sched_op(void)
{
    printk("sched_op:\n");
    EXPECT("sched_op cmd 99", HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++)
        EXPECT("SCHEDOP_shutdown from a bad pointer", HYPERVISOR_sched_op(SCHEDOP_shutdown, bad(i)),
               -XEN_EFAULT);
    EXPECT("SCHEDOP_yield", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
}

/* arch/x86/hvm/hvm.c do_hvm_op(), hvmop_get_param(). */
static void test_hvm_op(void)
{
    printk("hvm_op:\n");
    EXPECT("hvm_op op 999", HYPERVISOR_hvm_op(999, NULL), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++)
        EXPECT("HVMOP_get_param from a bad pointer", HYPERVISOR_hvm_op(HVMOP_get_param, bad(i)),
               -XEN_EFAULT);
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = 999};
    EXPECT("HVMOP_get_param index 999", HYPERVISOR_hvm_op(HVMOP_get_param, &p), -XEN_EINVAL);
    p.index = HVM_NR_PARAMS;
    EXPECT("HVMOP_get_param index HVM_NR_PARAMS", HYPERVISOR_hvm_op(HVMOP_get_param, &p),
           -XEN_EINVAL);
    /* HVMOP_flush_tlbs takes no argument: a non-NULL one is -EINVAL. */
    EXPECT("HVMOP_flush_tlbs with an argument", HYPERVISOR_hvm_op(HVMOP_flush_tlbs, &p),
           -XEN_EINVAL);
}

/* arch/x86/hvm/hypercall.c hvm_grant_table_op(), common/grant_table.c gnttab_query_size(). */
static void test_grant_table_op(void)
{
    printk("grant_table_op:\n");
    /* HVM callers only reach an audited list of sub-ops; the rest is -ENOSYS. */
    EXPECT("grant_table_op cmd 99", HYPERVISOR_grant_table_op(99, NULL, 1), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++)
        EXPECT("GNTTABOP_query_size from a bad pointer",
               HYPERVISOR_grant_table_op(GNTTABOP_query_size, bad(i), 1), -XEN_EFAULT);
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    EXPECT("GNTTABOP_query_size count 2", HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 2),
           -XEN_EINVAL);
    if (EXPECT("GNTTABOP_query_size", HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0)) {
        printk("  grant table: %u of at most %u frames, status %d\n", q.nr_frames, q.max_nr_frames,
               q.status);
        if (q.status != GNTST_okay)
            xtf_error("GNTTABOP_query_size status %d, expected GNTST_okay", q.status);
    }
}

/* drivers/char/console.c do_console_io(), guest_console_write(). */
static void test_console_io(void)
{
    printk("console_io:\n");
    EXPECT("console_io cmd 7", HYPERVISOR_console_io(7, 0, NULL), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_pointers); i++)
        EXPECT("CONSOLEIO_write from a bad pointer",
               HYPERVISOR_console_io(CONSOLEIO_write, 8, bad(i)), -XEN_EFAULT);
    EXPECT("CONSOLEIO_write of 0 bytes", HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL), 0);
}

/*
 * Only the five argument registers may change across a hypercall; the
 * others, including RBX, RCX, RBP, R9 and R11-R15, must come back intact.
 * Layout of regs[]: rbx rcx rbp r9 r11 r12 r13 r14 r15, then number, arg1, arg2 (in),
 * then the return value (out).
 */
static long call_preserving(uint64_t regs[13])
{
    uint64_t *p = regs;

    __asm__ volatile("push %%rbp\n\t"
                     "push %%rdi\n\t"
                     "mov 0x00(%%rdi), %%rbx\n\t"
                     "mov 0x08(%%rdi), %%rcx\n\t"
                     "mov 0x10(%%rdi), %%rbp\n\t"
                     "mov 0x18(%%rdi), %%r9\n\t"
                     "mov 0x20(%%rdi), %%r11\n\t"
                     "mov 0x28(%%rdi), %%r12\n\t"
                     "mov 0x30(%%rdi), %%r13\n\t"
                     "mov 0x38(%%rdi), %%r14\n\t"
                     "mov 0x40(%%rdi), %%r15\n\t"
                     "mov 0x48(%%rdi), %%rax\n\t"
                     "mov 0x58(%%rdi), %%rsi\n\t"
                     "mov 0x50(%%rdi), %%rdi\n\t"
                     "vmmcall\n\t"
                     "mov (%%rsp), %%rdi\n\t"
                     "mov %%rbx, 0x00(%%rdi)\n\t"
                     "mov %%rcx, 0x08(%%rdi)\n\t"
                     "mov %%rbp, 0x10(%%rdi)\n\t"
                     "mov %%r9,  0x18(%%rdi)\n\t"
                     "mov %%r11, 0x20(%%rdi)\n\t"
                     "mov %%r12, 0x28(%%rdi)\n\t"
                     "mov %%r13, 0x30(%%rdi)\n\t"
                     "mov %%r14, 0x38(%%rdi)\n\t"
                     "mov %%r15, 0x40(%%rdi)\n\t"
                     "mov %%rax, 0x60(%%rdi)\n\t"
                     "pop %%rdi\n\t"
                     "pop %%rbp"
                     : "+D"(p)
                     :
                     : "rax", "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13",
                       "r14", "r15", "memory", "cc");
    return (long)regs[12];
}

static void test_register_preservation(void)
{
    static const char *const names[9] = {"rbx", "rcx", "rbp", "r9", "r11",
                                         "r12", "r13", "r14", "r15"};
    static const struct {
        const char *what;
        uint64_t nr, arg1, arg2;
        long want;
    } calls[] = {
        {"xen_version(XENVER_pagesize)", __HYPERVISOR_xen_version, XENVER_pagesize, 0, 4096},
        {"hypercall 60", 60, 0, 0, -XEN_ENOSYS},
        {"event_channel_op cmd 99", __HYPERVISOR_event_channel_op, 99, 0, -XEN_ENOSYS},
    };

    printk("register preservation:\n");
    for (unsigned int c = 0; c < ARRAY_SIZE(calls); c++) {
        uint64_t regs[13];
        for (unsigned int i = 0; i < 9; i++)
            regs[i] = 0x5a5a000000000000ULL | ((uint64_t)(i + 1) << 40) | (0x1111ULL * (i + 1));
        regs[9] = calls[c].nr;
        regs[10] = calls[c].arg1;
        regs[11] = calls[c].arg2;
        long rc = call_preserving(regs);
        xtf_check_rc(calls[c].what, rc, calls[c].want);
        for (unsigned int i = 0; i < 9; i++) {
            uint64_t want =
                0x5a5a000000000000ULL | ((uint64_t)(i + 1) << 40) | (0x1111ULL * (i + 1));
            if (regs[i] != want)
                xtf_error("%s changed %s: %#llx -> %#llx", calls[c].what, names[i],
                          (unsigned long long)want, (unsigned long long)regs[i]);
        }
    }
}

/* Run every hostile-argument group, then make sure ordinary calls still work. */
void test_main(void)
{
    if (!xtf_have_xen)
        xtf_failure("no Xen CPUID leaves: cannot make hypercalls");

    test_unknown_numbers();
    test_xen_version();
    test_memory_op();
    test_event_channel_op();
    test_vcpu_op();
    test_sched_op();
    test_hvm_op();
    test_grant_table_op();
    test_console_io();
    test_register_preservation();

    /* After all of that, ordinary calls must still work. */
    test_event_channel_lifecycle();
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);
    if (v < (4 << 16))
        xtf_error("XENVER_version after the hostile calls = %#lx", v);
}
