/*
 * Dom0 builds domUs the way the toolstack does (createdomain, max_vcpus, max_mem, HVM context),
 * starts them, and sees their shutdowns through VIRQ_DOM_EXC and getdomaininfo while it keeps
 * running itself.
 */
#include "toolstack.h"

#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/features.h>
#include <public/version.h>
#include <public/vcpu.h>

const char test_title[] = "dom0-domu: domUs from an HVM context: running, crashing, shutting down";

#define DOMU_ENTRY 0x100000 /* a PVH entry point: nothing backs it in these domUs */
#define WAIT_NS    5000000000ULL

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static uint8_t ctx[8192] __attribute__((aligned(8)));
static uint8_t ctx2[8192] __attribute__((aligned(8)));
static char conbuf[32768];
static evtchn_port_t exc_port;

/*
 * The code a running domU executes, copied into its memory by dom0. vCPU 0 enters at
 * DOMU_CODE in 32-bit flat protected mode (the PVH entry state) and reports into the page at
 * DOMU_DATA what it sees: its CPUID identity, XENVER_get_features, console_io's answer; it
 * prints a line on port 0xE9, starts vCPU 1 with INIT/SIPI (x2APIC ICR), waits for its marker,
 * starts vCPU 2 with VCPUOP_initialise (a vcpu_hvm_context dom0 left at DOMU_DATA + 0x400)
 * and VCPUOP_up, waits for both markers, and shuts the domain down with
 * SCHEDOP_shutdown(watchdog). vCPU 1 starts in real mode at DOMU_AP, writes its marker and
 * halts with interrupts off; vCPU 2 starts in 32-bit mode at DOMU_AP2, writes its marker and
 * takes itself down with VCPUOP_down. Both end down.
 */
#define DOMU_CODE  0x1000
#define DOMU_DATA  0x2000
#define DOMU_AP    0x3000
#define DOMU_AP2   0x4000
#define DOMU_PAGES 8
#define BSP_MARK   0x600DC0DE
#define AP_MARK    0xA9A9A9A9
#define AP2_MARK   0x5EC0DE02

/* Offsets in the data page (see the assembly). */
struct domu_report {
    uint32_t bsp_mark, ap_mark, vcpu_id, domid;
    int32_t features_rc, console_rc;
    uint32_t ap2_mark, after_down; /* 0x18 */
    int32_t init_rc, up_rc;        /* 0x20 */
    uint32_t pad[54];
    struct xen_feature_info fi; /* at 0x100 */
};

extern const uint8_t domu_bsp_start[], domu_bsp_ud2[], domu_bsp_end[];
extern const uint8_t domu_ap_start[], domu_ap_end[], domu_ap2_start[], domu_ap2_end[];

__asm__(".pushsection .rodata.domu, \"a\"\n"
        ".code32\n"
        "domu_bsp_start:\n"
        "    movl $0x600DC0DE, 0x2000\n"
        "    movl $0x40000004, %eax\n" /* Xen leaf 4: EBX vCPU id, ECX domain id */
        "    xorl %ecx, %ecx\n"
        "    cpuid\n"
        "    movl %ebx, 0x2008\n"
        "    movl %ecx, 0x200c\n"
        "    movl $0, 0x2100\n" /* submap 0 */
        "    movl $17, %eax\n"  /* xen_version */
        "    movl $6, %ebx\n"   /* XENVER_get_features */
        "    movl $0x2100, %ecx\n"
        "    vmmcall\n"
        "    movl %eax, 0x2010\n"
        "    movl $18, %eax\n"  /* console_io */
        "    xorl %ebx, %ebx\n" /* CONSOLEIO_write */
        "    movl $2, %ecx\n"
        "    movl $0x2000, %edx\n"
        "    vmmcall\n"
        "    movl %eax, 0x2014\n"
        "    movl $0xe9, %edx\n" /* debug port: the string at 0x2200 */
        "    movl $0x2200, %esi\n"
        "1:  movb (%esi), %al\n"
        "    testb %al, %al\n"
        "    jz 2f\n"
        "    outb %al, %dx\n"
        "    incl %esi\n"
        "    jmp 1b\n"
        "2:  movl $0x830, %ecx\n"  /* x2APIC ICR */
        "    movl $2, %edx\n"      /* APIC id of vCPU 1 */
        "    movl $0x4500, %eax\n" /* INIT, assert */
        "    wrmsr\n"
        "    movl $0x4603, %eax\n" /* STARTUP, vector 3 */
        "    wrmsr\n"
        "    movl $24, %eax\n"  /* vcpu_op */
        "    xorl %ebx, %ebx\n" /* VCPUOP_initialise */
        "    movl $2, %ecx\n"   /* vCPU 2 */
        "    movl $0x2400, %edx\n"
        "    vmmcall\n"
        "    movl %eax, 0x2020\n"
        "    movl $24, %eax\n"
        "    movl $1, %ebx\n" /* VCPUOP_up */
        "    movl $2, %ecx\n"
        "    xorl %edx, %edx\n"
        "    vmmcall\n"
        "    movl %eax, 0x2024\n"
        "    movl $200000000, %esi\n"
        "3:  cmpl $0xA9A9A9A9, 0x2004\n"
        "    jne 6f\n"
        "    cmpl $0x5EC0DE02, 0x2018\n"
        "    je 4f\n"
        "6:  pause\n"
        "    decl %esi\n"
        "    jnz 3b\n"
        "4:  movl $4, 0x2300\n" /* sched_shutdown.reason = SHUTDOWN_watchdog */
        "    movl $29, %eax\n"  /* sched_op */
        "    movl $2, %ebx\n"   /* SCHEDOP_shutdown */
        "    movl $0x2300, %ecx\n"
        "    vmmcall\n"
        "domu_bsp_ud2:\n"
        "    ud2\n"
        "domu_bsp_end:\n"
        ".code16\n"
        "domu_ap_start:\n"
        "    xorw %ax, %ax\n"
        "    movw %ax, %ds\n"
        "    movl $0xA9A9A9A9, 0x2004\n"
        "    cli\n"
        "5:  hlt\n"
        "    jmp 5b\n"
        "domu_ap_end:\n"
        ".code32\n"
        "domu_ap2_start:\n"
        "    movl $0x5EC0DE02, 0x2018\n"
        "    movl $24, %eax\n" /* vcpu_op */
        "    movl $2, %ebx\n"  /* VCPUOP_down */
        "    movl $2, %ecx\n"  /* itself */
        "    xorl %edx, %edx\n"
        "    vmmcall\n"
        "    movl $1, 0x201c\n" /* never runs: the vCPU is down */
        "    ud2\n"
        "domu_ap2_end:\n"
        ".code64\n"
        ".popsection\n");

/* ---- hypercall helpers ---- */

static long hvm_param(unsigned int op, uint16_t domid, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = domid, .index = index, .value = *value};
    long rc = HYPERVISOR_hvm_op(op, &p);

    *value = p.value;
    return rc;
}

/* A PVH domU as xl makes it: createdomain, max_mem, max_vcpus. Returns its id (fails the test
 * if it cannot be made). */
static uint16_t create_domu(unsigned int vcpus)
{
    domid_t domid = ts_create_domu(vcpus, 4096);
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.max_vcpus.max = vcpus;
    xtf_check_rc("max_vcpus", ts_domctl(&op, XEN_DOMCTL_max_vcpus, domid), 0);
    return domid;
}

/* getdomaininfo for domid (the record must be that domain's). */
static long domain_info(uint16_t domid, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    rc = ts_domctl(&op, XEN_DOMCTL_getdomaininfo, domid);
    *info = op.u.getdomaininfo;
    if (!rc && info->domain != domid)
        return -XEN_ESRCH; /* Xen <= 4.17 answers with the next domain: not ours */
    return rc;
}

/* ---- domU memory (populated from gfn 0, foreign-mapped into a hole of ours) ---- */

#define SCRATCH_GFN 0x30000ULL /* where dom0 maps domU pages: a hole in its own physmap */

/* Map domid's gfn at dom0's SCRATCH_GFN + slot; returns its address. */
static void *map_domu(uint16_t domid, uint64_t gfn, unsigned int slot)
{
    if (ts_map_foreign(domid, gfn, SCRATCH_GFN + slot))
        xtf_failure("d%u: cannot map gfn %#llx", domid, (unsigned long long)gfn);
    return (void *)(uintptr_t)((SCRATCH_GFN + slot) << 12);
}

/* ---- VIRQ_DOM_EXC ---- */

static struct shared_info *shinfo(void)
{
    return (struct shared_info *)shinfo_page;
}

/* Map shared_info and bind VIRQ_DOM_EXC; events are polled, never delivered. */
static void setup_events(void)
{
    struct xen_add_to_physmap xatp = {.domid = DOMID_SELF,
                                      .space = XENMAPSPACE_shared_info,
                                      .idx = 0,
                                      .gpfn = HC_PTR(shinfo_page) >> 12};
    struct evtchn_bind_virq bind = {.virq = VIRQ_DOM_EXC, .vcpu = 0};

    if (HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp))
        xtf_failure("cannot map shared_info");
    if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind))
        xtf_failure("cannot bind VIRQ_DOM_EXC");
    exc_port = bind.port;
}

/* Take a pending VIRQ_DOM_EXC, if any (clears it). */
static bool take_dom_exc(void)
{
    struct shared_info *s = shinfo();
    uint64_t bit = 1ULL << (exc_port % 64);

    /* No upcall vector is set up: drop the upcall flags so SCHEDOP_poll really sleeps. */
    s->vcpu_info[0].evtchn_upcall_pending = 0;
    s->vcpu_info[0].evtchn_pending_sel = 0;
    if (!(__atomic_load_n(&s->evtchn_pending[exc_port / 64], __ATOMIC_SEQ_CST) & bit))
        return false;
    __atomic_fetch_and(&s->evtchn_pending[exc_port / 64], ~bit, __ATOMIC_SEQ_CST);
    return true;
}

/* Wait up to WAIT_NS for VIRQ_DOM_EXC; false on timeout. */
static bool wait_dom_exc(void)
{
    uint64_t deadline = ts_now_ns() + WAIT_NS;

    while (!take_dom_exc()) {
        struct sched_poll poll = {
            .ports = HC_PTR(&exc_port), .nr_ports = 1, .timeout = ts_now_ns() + 100000000ULL};

        if (ts_now_ns() > deadline)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    }
    return true;
}

/* ---- the hypervisor console, read back with sysctl readconsole ---- */

static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return true;
    return false;
}

/* Does the hypervisor's console ring hold text? */
static bool console_has(const char *text)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    op.u.readconsole.buffer = HC_PTR(conbuf);
    op.u.readconsole.count = sizeof(conbuf);
    if (ts_sysctl(&op, XEN_SYSCTL_readconsole))
        return false;
    return contains(conbuf, op.u.readconsole.count, text);
}

static void expect_console(const char *text)
{
    if (!console_has(text))
        xtf_error("the hypervisor console lacks \"%s\"", text);
}

/* ---- checks ---- */

/* The domU stopped with SHUTDOWN_<code>, reported through VIRQ_DOM_EXC. */
static void expect_shutdown(uint16_t domid, unsigned int code)
{
    struct xen_domctl_getdomaininfo info;
    unsigned int got;

    if (!wait_dom_exc())
        xtf_error("d%u: no VIRQ_DOM_EXC within 5 s", domid);
    if (domain_info(domid, &info)) {
        xtf_error("d%u: getdomaininfo failed after the shutdown", domid);
        return;
    }
    got = (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    if (!(info.flags & XEN_DOMINF_shutdown) || got != code)
        xtf_error("d%u: flags %#x (shutdown code %u), expected shut down with code %u", domid,
                  info.flags, got, code);
    else
        printk("  d%u shut down with code %u, as expected\n", domid, code);
}

/* Destroy domid; VIRQ_DOM_EXC follows and the id is gone. */
static void destroy_domu(uint16_t domid)
{
    struct xen_domctl_getdomaininfo info;

    take_dom_exc();
    xtf_check_rc("destroydomain", ts_destroy(domid), 0);
    if (!wait_dom_exc())
        xtf_error("d%u: no VIRQ_DOM_EXC for the destruction", domid);
    if (domain_info(domid, &info) != -XEN_ESRCH)
        xtf_error("d%u: still there after destroydomain", domid);
}

static void unpause(uint16_t domid)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    xtf_check_rc("unpausedomain", ts_domctl(&op, XEN_DOMCTL_unpausedomain, domid), 0);
}

/* ---- the tests ---- */

/* The context a new domU reports, and what sethvmcontext accepts and refuses. */
static void test_context(void)
{
    uint16_t d = create_domu(2);
    struct xen_domctl_getdomaininfo info;
    const uint32_t want = 8 + 24 + 2 * (8 + 1032 + 8 + 240) + 8;
    const struct hvm_save_header *hdr;
    const struct hvm_hw_mtrr *m;
    struct hvm_hw_mtrr mtrr;
    struct hvm_hw_cpu cpu;
    uint32_t size = 0, size2, at;

    printk("d%u: HVM context of a new domU\n", d);
    if (domain_info(d, &info) || !(info.flags & XEN_DOMINF_paused) || info.nr_online_vcpus ||
        info.max_vcpu_id != 1 || (info.flags & XEN_DOMINF_shutdown))
        xtf_error("d%u: new domain info flags %#x, %u online, max vCPU %u", d, info.flags,
                  info.nr_online_vcpus, info.max_vcpu_id);
    xtf_check_rc("gethvmcontext size query", ts_get_context(d, NULL, 0, &size), 0);
    if (size != want)
        xtf_error("context size %u, expected %u", size, want);
    xtf_check_rc("gethvmcontext, buffer too small", ts_get_context(d, ctx, 100, &size2),
                 -XEN_ENOSPC);
    xtf_check_rc("gethvmcontext", ts_get_context(d, ctx, sizeof(ctx), &size), 0);
    /* Every vCPU is down: HEADER, one MTRR record per vCPU, END. */
    if (size != 8 + 24 + 2 * 248 + 8)
        xtf_error("context of a new domU: %u bytes, expected %u", size, 8 + 24 + 2 * 248 + 8);
    hdr = ts_find_record(ctx, size, HVM_SAVE_CODE(HEADER), 0);
    if (!hdr || hdr->magic != HVM_FILE_MAGIC || hdr->version != HVM_FILE_VERSION)
        xtf_error("no valid HEADER record");
    if (ts_find_record(ctx, size, HVM_SAVE_CODE(CPU), 0))
        xtf_error("a CPU record for a vCPU that is down");
    for (uint16_t i = 0; i < 2; i++) {
        m = ts_find_record(ctx, size, HVM_SAVE_CODE(MTRR), i);
        if (!m || m->msr_mtrr_cap != 0x508 || m->msr_mtrr_def_type != 0)
            xtf_error("MTRR record %u missing or not Xen's domU default", i);
    }

    /* libxenguest: MTRR per vCPU with default type WB, then the BSP. */
    for (uint16_t i = 0; i < 2; i++) {
        memcpy(&mtrr, ts_find_record(ctx, size, HVM_SAVE_CODE(MTRR), i), sizeof(mtrr));
        mtrr.msr_mtrr_def_type = 0x806;
        at = ts_put_record(ctx2, 0, HVM_SAVE_CODE(HEADER), 0, hdr, HVM_SAVE_LENGTH(HEADER));
        at = ts_put_record(ctx2, at, HVM_SAVE_CODE(MTRR), i, &mtrr, sizeof(mtrr));
        at = ts_put_record(ctx2, at, HVM_SAVE_CODE(END), 0, NULL, 0);
        xtf_check_rc("sethvmcontext MTRR", ts_set_context(d, ctx2, at), 0);
    }

    /* Refused streams leave the domain as it was. */
    uint32_t before = 0;
    ts_get_context(d, ctx, sizeof(ctx), &before);
    ts_pvh_entry(&cpu, DOMU_ENTRY);
    cpu.cr0 = 0x80000010; /* paging without protection */
    xtf_check_rc("sethvmcontext CR0.PG without PE", ts_load_bsp(d, &cpu), -XEN_EINVAL);
    ts_pvh_entry(&cpu, 0x100000000ULL);
    xtf_check_rc("sethvmcontext RIP beyond 4 GiB in 32-bit code", ts_load_bsp(d, &cpu),
                 -XEN_EINVAL);
    at = ts_put_record(ctx2, 0, HVM_SAVE_CODE(HEADER), 0, hdr, HVM_SAVE_LENGTH(HEADER));
    xtf_check_rc("sethvmcontext without END", ts_set_context(d, ctx2, at), -XEN_ENODATA);
    at = ts_put_record(ctx2, at, HVM_SAVE_CODE(PIC), 0, &mtrr, 8);
    at = ts_put_record(ctx2, at, HVM_SAVE_CODE(END), 0, NULL, 0);
    xtf_check_rc("sethvmcontext with a PIC record", ts_set_context(d, ctx2, at), -XEN_ENODEV);
    ts_get_context(d, ctx2, sizeof(ctx2), &size2);
    if (size2 != before || memcmp(ctx, ctx2, before))
        xtf_error("a refused stream changed the domain's context");
    m = ts_find_record(ctx2, size2, HVM_SAVE_CODE(MTRR), 1);
    if (!m || m->msr_mtrr_def_type != 0x806)
        xtf_error("the MTRR record did not stick");
    /* Not on dom0 itself. */
    xtf_check_rc("gethvmcontext on dom0 itself", ts_get_context(0, NULL, 0, &size2), -XEN_EINVAL);

    /* The BSP comes up; vCPU 1 stays down for INIT/SIPI. */
    ts_pvh_entry(&cpu, DOMU_ENTRY);
    cpu.rbx = 0x12345;
    xtf_check_rc("sethvmcontext BSP", ts_load_bsp(d, &cpu), 0);
    if (domain_info(d, &info) || info.nr_online_vcpus != 1)
        xtf_error("%u vCPUs online after the BSP record, expected 1", info.nr_online_vcpus);
    xtf_check_rc("gethvmcontext", ts_get_context(d, ctx, sizeof(ctx), &size), 0);
    const struct hvm_hw_cpu *c = ts_find_record(ctx, size, HVM_SAVE_CODE(CPU), 0);
    if (!c || c->rip != DOMU_ENTRY || c->rbx != 0x12345 || c->cs_arbytes != 0xc9b ||
        c->cr0 != 0x11 || c->rflags != 2)
        xtf_error("the BSP's CPU record does not read back");
    if (ts_find_record(ctx, size, HVM_SAVE_CODE(CPU), 1))
        xtf_error("vCPU 1 has a CPU record but should be down");
    destroy_domu(d);
}

/* A domU running into guest-physical memory nothing backs is crashed, alone. */
static void test_unbacked(void)
{
    uint16_t d = create_domu(1);
    struct hvm_hw_cpu cpu;
    char line[64];
    uint32_t size;

    printk("d%u: started at %#x with no memory behind it\n", d, DOMU_ENTRY);
    ts_pvh_entry(&cpu, DOMU_ENTRY);
    xtf_check_rc("sethvmcontext", ts_load_bsp(d, &cpu), 0);
    take_dom_exc();
    unpause(d);
    expect_shutdown(d, SHUTDOWN_crash);
    snprintf(line, sizeof(line), "domain %u crashed: ", d);
    expect_console(line);
    snprintf(line, sizeof(line), "d%uv0 state at the crash", d);
    expect_console(line);
    /* The crashed domain's state can still be read: it stopped at the entry point. */
    xtf_check_rc("gethvmcontext after the crash", ts_get_context(d, ctx, sizeof(ctx), &size), 0);
    const struct hvm_hw_cpu *c = ts_find_record(ctx, size, HVM_SAVE_CODE(CPU), 0);
    if (!c || c->rip != DOMU_ENTRY)
        xtf_error("the crashed vCPU's RIP did not read back as the entry point");
    destroy_domu(d);
}

/* The 32-bit flat start state vCPU 2 gets through VCPUOP_initialise. */
static void ap2_context(struct vcpu_hvm_context *c)
{
    struct vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32;

    memset(c, 0, sizeof(*c));
    c->mode = VCPU_HVM_MODE_32B;
    r->eip = DOMU_AP2;
    r->eflags = 2;
    r->cr0 = 1; /* PE */
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = ~0u;
    r->cs_ar = 0xc9b;
    r->ds_ar = r->ss_ar = r->es_ar = 0xc93;
    r->tr_limit = 0x67;
    r->tr_ar = 0x8b;
}

/* A domU with memory runs dom0's code on three vCPUs and shuts itself down. */
static void test_running(void)
{
    uint16_t d = create_domu(3);
    const struct domu_report *rep;
    struct hvm_hw_cpu cpu;
    uint8_t *code, *data, *ap, *ap2;
    uint32_t size;
    char line[64];

    printk("d%u: three vCPUs running dom0's code\n", d);
    if (ts_populate(d, 0, DOMU_PAGES) != DOMU_PAGES)
        xtf_failure("d%u: populate_physmap of %u pages failed", d, DOMU_PAGES);
    code = map_domu(d, DOMU_CODE >> 12, 0);
    data = map_domu(d, DOMU_DATA >> 12, 1);
    ap = map_domu(d, DOMU_AP >> 12, 2);
    ap2 = map_domu(d, DOMU_AP2 >> 12, 3);
    for (unsigned int i = 0; i < 4096; i++)
        if (code[i] || data[i] || ap[i] || ap2[i]) {
            xtf_error("d%u: populated memory is not zeroed", d);
            break;
        }
    memcpy(code, domu_bsp_start, (size_t)(domu_bsp_end - domu_bsp_start));
    memcpy(ap, domu_ap_start, (size_t)(domu_ap_end - domu_ap_start));
    memcpy(ap2, domu_ap2_start, (size_t)(domu_ap2_end - domu_ap2_start));
    memcpy(data + 0x200, "domU up\n", 9);
    ap2_context((struct vcpu_hvm_context *)(data + 0x400));
    rep = (const struct domu_report *)data;

    ts_pvh_entry(&cpu, DOMU_CODE);
    xtf_check_rc("sethvmcontext BSP", ts_load_bsp(d, &cpu), 0);
    take_dom_exc();
    unpause(d);
    expect_shutdown(d, SHUTDOWN_watchdog);

    if (rep->bsp_mark != BSP_MARK)
        xtf_error("d%u: vCPU 0 did not run (marker %#x)", d, rep->bsp_mark);
    if (rep->ap_mark != AP_MARK)
        xtf_error("d%u: vCPU 1 was not started by INIT/SIPI (marker %#x)", d, rep->ap_mark);
    if (rep->vcpu_id != 0 || rep->domid != d)
        xtf_error("d%u: CPUID leaf 0x40000004 said vCPU %u of d%u", d, rep->vcpu_id, rep->domid);
    if (rep->features_rc != 0 || (rep->fi.submap & (1u << XENFEAT_dom0)) ||
        !(rep->fi.submap & (1u << XENFEAT_hvm_callback_vector)))
        xtf_error("d%u: XENVER_get_features rc %d submap %#x (dom0 bit must be clear)", d,
                  rep->features_rc, rep->fi.submap);
    if (rep->console_rc != -XEN_EPERM)
        xtf_error("d%u: console_io write gave %d, Xen gives a domU -EPERM", d, rep->console_rc);
    if (rep->init_rc != 0 || rep->up_rc != 0 || rep->ap2_mark != AP2_MARK)
        xtf_error("d%u: VCPUOP_initialise %d, VCPUOP_up %d, vCPU 2 marker %#x", d, rep->init_rc,
                  rep->up_rc, rep->ap2_mark);
    if (rep->after_down)
        xtf_error("d%u: vCPU 2 kept running after VCPUOP_down", d);
    snprintf(line, sizeof(line), "(d%u) domU up", d);
    expect_console(line);

    /* vCPU 0 stopped right after its VMMCALL; vCPU 1 halted with IF=0 and is down. */
    xtf_check_rc("gethvmcontext", ts_get_context(d, ctx, sizeof(ctx), &size), 0);
    const struct hvm_hw_cpu *c = ts_find_record(ctx, size, HVM_SAVE_CODE(CPU), 0);
    uint64_t want_rip = DOMU_CODE + (uint64_t)(domu_bsp_ud2 - domu_bsp_start);
    if (!c || c->rip != want_rip || c->rax != 0 || c->rcx != 0x2300)
        xtf_error("d%u: vCPU 0's record: rip %#llx (expected %#llx)", d,
                  c ? (unsigned long long)c->rip : 0ULL, (unsigned long long)want_rip);
    if (ts_find_record(ctx, size, HVM_SAVE_CODE(CPU), 1))
        xtf_error("d%u: vCPU 1 is still up after HLT with interrupts off", d);
    if (ts_find_record(ctx, size, HVM_SAVE_CODE(CPU), 2))
        xtf_error("d%u: vCPU 2 is still up after VCPUOP_down", d);
    for (unsigned int i = 0; i < 4; i++)
        xtf_check_rc("remove_from_physmap", ts_unmap_gpfn(SCRATCH_GFN + i), 0);
    destroy_domu(d);
}

/* A triple fault: Xen's HVM_PARAM_TRIPLE_FAULT_REASON (reboot unless set) decides. */
static void test_triple_fault(int reason)
{
    uint16_t d = create_domu(1);
    struct hvm_hw_cpu cpu;
    uint64_t v = 0;
    char line[80];

    xtf_check_rc("get TRIPLE_FAULT_REASON",
                 hvm_param(HVMOP_get_param, d, HVM_PARAM_TRIPLE_FAULT_REASON, &v), 0);
    if (v != SHUTDOWN_reboot)
        xtf_error("d%u: TRIPLE_FAULT_REASON defaults to %llu, Xen's is reboot", d,
                  (unsigned long long)v);
    if (reason >= 0) {
        v = (uint64_t)reason;
        xtf_check_rc("set TRIPLE_FAULT_REASON",
                     hvm_param(HVMOP_set_param, d, HVM_PARAM_TRIPLE_FAULT_REASON, &v), 0);
    }
    printk("d%u: triple fault (reason %s)\n", d, reason < 0 ? "default" : "crash");
    /* A #GP delivered through an empty IDT: #GP, #DF, then shutdown - no memory touched. */
    ts_pvh_entry(&cpu, DOMU_ENTRY);
    cpu.pending_event = HVM_PENDING_VALID | HVM_PENDING_ERROR_VALID | (3u << 8) | 13;
    xtf_check_rc("sethvmcontext with a pending #GP", ts_load_bsp(d, &cpu), 0);
    take_dom_exc();
    unpause(d);
    expect_shutdown(d, reason < 0 ? SHUTDOWN_reboot : (unsigned int)reason);
    if (reason == SHUTDOWN_crash)
        snprintf(line, sizeof(line), "domain %u crashed: triple fault", d);
    else
        snprintf(line, sizeof(line), "d%uv0 state at the triple fault", d);
    expect_console(line);
    destroy_domu(d);
}

void test_main(void)
{
    struct xen_domctl_getdomaininfo info;

    if (!xtf_start_info || !(xtf_start_info->flags & SIF_INITDOMAIN))
        xtf_failure("this test must run as dom0");
    setup_events();
    test_context();
    test_unbacked();
    test_running();
    test_triple_fault(-1);
    test_triple_fault(SHUTDOWN_crash);
    /* Dom0 itself is untouched by all of it. */
    if (domain_info(0, &info) || (info.flags & XEN_DOMINF_shutdown))
        xtf_error("dom0 reports itself shut down");
}
