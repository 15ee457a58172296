/* Unit tests for HVM vCPU state: get/sethvmcontext streams (libxenguest, hostile),
 * VCPUOP_initialise. */
// clang-format off
// SOURCES: hv/common/domctl.c hv/common/domctl_hvm.c hv/common/hvm_save.c hv/arch/x86/hvm/save.c hv/arch/x86/hvm/mtrr.c hv/arch/x86/hvm/vcpu_init.c hv/common/sysctl.c hv/common/hypercall.c hv/common/platform.c hv/common/event_channel.c hv/common/event_2l.c hv/common/vcpu.c hv/common/pvclock.c hv/common/sched.c hv/common/memory.c hv/common/grant_table.c hv/common/hvm.c hv/common/version.c hv/common/console_io.c
// clang-format on
#include "fake_hv.h"
#include "harness.h"
#include "domctl_call.h"

#include <asm/hvm.h>
#include <public/hvm/save.h>
#include <public/vcpu.h>
#include <public/sched.h>

/* The hypervisor heap, on malloc (fake_alloc_fails makes it run dry). */
void *xmalloc(size_t size)
{
    return fake_alloc_fails ? NULL : malloc(size);
}

void xfree(void *p)
{
    free(p);
}

/* ---- a fake vendor layer: the "VMCB" is a CPU record plus PAT ---- */

struct fake_vmcb {
    struct hvm_hw_cpu c; /* what load_cpu was given (save_cpu returns it) */
    uint64_t pat;
    unsigned int loads;
};

static void fake_save_cpu(struct vcpu *v, struct hvm_hw_cpu *c)
{
    const struct hvm_hw_cpu *s = &((struct fake_vmcb *)hvm_of(v)->vmcb)->c;

    /* Only the vendor-held fields, as svm_save_cpu fills them. */
    memcpy(&c->rip, &s->rip, offsetof(struct hvm_hw_cpu, dr0) - offsetof(struct hvm_hw_cpu, rip));
    memcpy(&c->dr6, &s->dr6,
           offsetof(struct hvm_hw_cpu, msr_tsc_aux) - offsetof(struct hvm_hw_cpu, dr6));
    c->rsp = s->rsp;
    c->pending_event = s->pending_event;
    c->error_code = s->error_code;
}

static void fake_load_cpu(struct vcpu *v, const struct hvm_hw_cpu *c)
{
    struct fake_vmcb *f = hvm_of(v)->vmcb;

    f->c = *c;
    f->loads++;
}

static uint64_t fake_get_pat(struct vcpu *v)
{
    return ((struct fake_vmcb *)hvm_of(v)->vmcb)->pat;
}

static void fake_set_pat(struct vcpu *v, uint64_t pat)
{
    ((struct fake_vmcb *)hvm_of(v)->vmcb)->pat = pat;
}

static const struct hvm_ops fake_ops = {
    .name = "fake",
    .save_cpu = fake_save_cpu,
    .load_cpu = fake_load_cpu,
    .get_pat = fake_get_pat,
    .set_pat = fake_set_pat,
};
const struct hvm_ops *hvm_ops = &fake_ops;

/* A CPU like QEMU's "max" as our CPUID shows it: PAE, PGE, FXSR/SSE, XSAVE, NX, LM, SYSCALL,
 * FSGSBASE, SMEP, SMAP; no MCE/MCA, no VMX, no PKU/CET/UMIP. 48 physical address bits. */
void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    (void)v;
    (void)sub;
    memset(r, 0, sizeof(*r));
    switch (leaf) {
    case 1:
        r->edx = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 6) | (1u << 13) |
                 (1u << 24) | (1u << 25);
        r->ecx = (1u << 26) | (1u << 17);
        break;
    case 7:
        r->ebx = (1u << 0) | (1u << 7) | (1u << 20);
        break;
    case 0x80000000:
        r->eax = 0x80000008;
        break;
    case 0x80000001:
        r->edx = (1u << 11) | (1u << 20) | (1u << 29);
        break;
    case 0x80000008:
        r->eax = 48;
        break;
    }
}

unsigned int hvm_paddr_bits(struct vcpu *v)
{
    struct cpuid_regs r;

    hvm_cpuid(v, 0x80000008, 0, &r);
    return r.eax & 0xFF;
}

/* FPU: the area is 512 bytes; "used" says whether it holds a guest image. */
static unsigned int fake_fpu_resets;

bool fpu_get_legacy(struct vcpu *v, uint8_t out[512])
{
    memcpy(out, hvm_of(v)->fpu_area, 512);
    return hvm_of(v)->fpu_used;
}

bool fpu_legacy_valid(const uint8_t *in)
{
    uint32_t mxcsr;

    memcpy(&mxcsr, in + 24, 4);
    return !(mxcsr & ~0xFFBFu);
}

void fpu_set_legacy(struct vcpu *v, const uint8_t *in)
{
    struct hvm_vcpu *h = hvm_of(v);

    memset(h->fpu_area, 0, 512);
    if (in)
        memcpy(h->fpu_area, in, 512);
    else
        fake_fpu_resets++;
    h->fpu_used = in != NULL;
}

/* The arch/x86/domain.c versions, on the fields the tests look at. */
void arch_hvm_vcpu_down(struct vcpu *v)
{
    v->online = false;
    hvm_of(v)->down = true;
}

void arch_hvm_vcpu_up(struct vcpu *v)
{
    v->online = true;
    hvm_of(v)->down = false;
    vcpu_kick(v);
}

/* Give every vCPU of d an hvm_vcpu with a fake VMCB and FPU area (what arch_vcpu_create does). */
static void attach_hvm(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        struct hvm_vcpu *h = calloc(1, sizeof(*h));

        h->vmcb = calloc(1, sizeof(struct fake_vmcb));
        h->fpu_area = calloc(1, 512);
        ((struct fake_vmcb *)h->vmcb)->pat = PAT_RESET;
        mtrr_init(&h->mtrr, 0);
        v->hvm = h;
    }
}

static void detach_hvm(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct hvm_vcpu *h = d->vcpus[i]->hvm;

        free(h->vmcb);
        free(h->fpu_area);
        free(h);
        d->vcpus[i]->hvm = NULL;
    }
}

/* A fresh PVH domU with nvcpus vCPUs made by createdomain, HVM state attached. */
static struct domain *new_domu(struct vcpu *v0, unsigned int nvcpus)
{
    long id = create(v0, 0, nvcpus);
    struct domain *d = id > 0 ? domain_by_id((uint16_t)id) : NULL;

    if (d)
        attach_hvm(d);
    return d;
}

static void drop_domu(struct domain *d)
{
    detach_hvm(d);
    fake_domain_destroy(d);
}

/* gethvmcontext into dom0's buffer page; returns rc, *size = what came back in the struct. */
static long get_ctx(struct vcpu *v0, struct domain *d, uint64_t buf, uint32_t *size)
{
    struct xen_domctl op = mkop(XEN_DOMCTL_gethvmcontext, d->domain_id);
    long rc;

    op.u.hvmcontext.size = *size;
    op.u.hvmcontext.buffer = buf;
    rc = domctl(v0, &op);
    *size = op.u.hvmcontext.size;
    return rc;
}

/* sethvmcontext with the len bytes at s (copied into dom0's buffer page). */
static long set_ctx(struct vcpu *v0, struct domain *d, const void *s, uint32_t len)
{
    struct xen_domctl op = mkop(XEN_DOMCTL_sethvmcontext, d->domain_id);

    memcpy(G(v0->domain, GVA_BUF), s, len);
    op.u.hvmcontext.size = len;
    op.u.hvmcontext.buffer = GVA_BUF;
    return domctl(v0, &op);
}

/* ---- building streams ---- */

struct stream {
    uint8_t b[8192];
    uint32_t len;
};

static void rec(struct stream *s, uint16_t type, uint16_t inst, const void *p, uint32_t len)
{
    struct hvm_save_descriptor d = {type, inst, len};

    memcpy(s->b + s->len, &d, sizeof(d));
    if (len)
        memcpy(s->b + s->len + sizeof(d), p, len);
    s->len += sizeof(d) + len;
}

static void header(struct stream *s)
{
    struct hvm_save_header h = {HVM_FILE_MAGIC, HVM_FILE_VERSION, ~0ULL, 0x800f12, 0};

    s->len = 0;
    rec(s, HVM_SAVE_CODE(HEADER), 0, &h, sizeof(h));
}

static void end(struct stream *s)
{
    rec(s, HVM_SAVE_CODE(END), 0, NULL, 0);
}

/* The BSP record libxenguest's vcpu_hvm() writes: zeroes plus the PVH entry state. */
static struct hvm_hw_cpu pvh_bsp(uint32_t entry, uint32_t start_info)
{
    struct hvm_hw_cpu c;

    memset(&c, 0, sizeof(c));
    c.cs_limit = c.ds_limit = c.es_limit = c.ss_limit = ~0u;
    c.tr_limit = 0x67;
    c.cs_arbytes = 0xc9b;
    c.ds_arbytes = c.es_arbytes = c.ss_arbytes = 0xc93;
    c.tr_arbytes = 0x8b;
    c.cr0 = X86_CR0_PE | X86_CR0_ET;
    c.rip = entry;
    c.dr6 = 0xffff0ff0;
    c.dr7 = 0x400;
    c.rbx = start_info;
    return c;
}

/* A 64-bit kernel state: paging, PAE, long mode, flat 64-bit code. */
static struct hvm_hw_cpu long_mode_cpu(void)
{
    struct hvm_hw_cpu c = pvh_bsp(0, 0);

    c.cs_arbytes = 0xa9b;
    c.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_PG | X86_CR0_WP;
    c.cr4 = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSFXSR;
    c.cr3 = 0x1000;
    c.msr_efer = EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE;
    c.rip = 0xffffffff81000000ULL;
    c.rsp = 0xffffffff82000000ULL;
    c.fs_base = 0x00007f0000000000ULL;
    c.gs_base = 0xffff888000000000ULL;
    c.rflags = 0x246;
    return c;
}

static struct hvm_hw_mtrr wb_mtrr(void)
{
    struct hvm_hw_mtrr m;

    memset(&m, 0, sizeof(m));
    m.msr_pat_cr = PAT_RESET;
    m.msr_mtrr_cap = MTRR_CAP_DEFAULT;
    m.msr_mtrr_def_type = 0x806; /* WB, enabled: what libxenguest sets */
    return m;
}

/* Everything a load can change in d, to check that a refused stream changed nothing. */
struct snap {
    struct fake_vmcb vmcb[4];
    struct guest_regs regs[4];
    struct hvm_mtrr mtrr[4];
    uint8_t fpu[4][512];
    bool online[4], down[4];
    uint32_t gtsc_khz;
};

static void take(struct domain *d, struct snap *s)
{
    memset(s, 0, sizeof(*s));
    for (unsigned int i = 0; i < d->max_vcpus && i < 4; i++) {
        struct hvm_vcpu *h = hvm_of(d->vcpus[i]);

        s->vmcb[i] = *(struct fake_vmcb *)h->vmcb;
        s->regs[i] = h->regs;
        s->mtrr[i] = h->mtrr;
        memcpy(s->fpu[i], h->fpu_area, 512);
        s->online[i] = d->vcpus[i]->online;
        s->down[i] = h->down;
    }
    s->gtsc_khz = d->ctl.gtsc_khz;
}

static bool unchanged(struct domain *d, const struct snap *before)
{
    struct snap now;

    take(d, &now);
    return !memcmp(&now, before, sizeof(now));
}

/* ---- tests ---- */

/* The libxenguest sequence: size query, full context, MTRR per vCPU, then the BSP. */
static void test_libxenguest_flow(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct domain *d = new_domu(v0, 2);
    uint32_t size = 0, want = 8 + 24 + 2 * (8 + 1032 + 8 + 240) + 8;
    struct stream s;
    const uint8_t *b = G(d0, GVA_BUF);
    struct hvm_save_descriptor dsc;
    struct hvm_hw_mtrr m;
    struct hvm_hw_cpu c;

    /* Size query: NULL buffer; the answer counts a CPU record for every vCPU. */
    CHECK_EQ(get_ctx(v0, d, 0, &size), 0);
    CHECK_EQ(size, want);
    /* Too small: -ENOSPC, and the struct still comes back. */
    size = want - 1;
    CHECK_EQ(get_ctx(v0, d, GVA_BUF, &size), -XEN_ENOSPC);
    CHECK_EQ(size, want - 1);
    /* A new domain has every vCPU down: HEADER, MTRR x2, END. */
    size = want;
    CHECK_EQ(get_ctx(v0, d, GVA_BUF, &size), 0);
    CHECK_EQ(size, 8 + 24 + 2 * (8 + 240) + 8);
    memcpy(&dsc, b, 8);
    CHECK_EQ(dsc.typecode, HVM_SAVE_CODE(HEADER));
    CHECK_EQ(dsc.length, 24);
    CHECK_EQ(*(const uint32_t *)(b + 8), HVM_FILE_MAGIC);
    CHECK_EQ(*(const uint32_t *)(b + 12), HVM_FILE_VERSION);
    for (unsigned int i = 0; i < 2; i++) {
        memcpy(&dsc, b + 32 + i * 248, 8);
        CHECK_EQ(dsc.typecode, HVM_SAVE_CODE(MTRR));
        CHECK_EQ(dsc.instance, i);
        CHECK_EQ(dsc.length, 240);
        memcpy(&m, b + 40 + i * 248, sizeof(m));
        CHECK_EQ(m.msr_mtrr_cap, 0x508);
        CHECK_EQ(m.msr_mtrr_def_type, 0); /* MTRRs off until the toolstack says otherwise */
        CHECK_EQ(m.msr_pat_cr, PAT_RESET);
    }
    memcpy(&dsc, b + 32 + 2 * 248, 8);
    CHECK_EQ(dsc.typecode, HVM_SAVE_CODE(END));
    CHECK_EQ(dsc.length, 0);

    /* MTRR streams: HEADER copied from the context, MTRR(i) with default type WB. */
    for (unsigned int i = 0; i < 2; i++) {
        s.len = 0;
        memcpy(s.b, b, 32);
        s.len = 32;
        memcpy(&m, b + 40 + i * 248, sizeof(m));
        m.msr_mtrr_def_type = 0x806;
        rec(&s, HVM_SAVE_CODE(MTRR), (uint16_t)i, &m, sizeof(m));
        end(&s);
        CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
        CHECK_EQ(hvm_of(d->vcpus[i])->mtrr.def_type, 0x806);
    }
    CHECK(!d->vcpus[0]->online && !d->vcpus[1]->online);

    /* The BSP: vCPU 0 comes up with exactly that state; vCPU 1 stays down for INIT/SIPI. */
    unsigned int resets = fake_fpu_resets;
    c = pvh_bsp(0x1000850, 0x2000000);
    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 0, &c, sizeof(c));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    CHECK(d->vcpus[0]->online && !d->vcpus[1]->online);
    CHECK(!hvm_of(d->vcpus[0])->down && hvm_of(d->vcpus[1])->down);
    const struct hvm_hw_cpu *got = &((struct fake_vmcb *)hvm_of(d->vcpus[0])->vmcb)->c;
    CHECK_EQ(got->rip, 0x1000850);
    CHECK_EQ(got->cs_arbytes, 0xc9b);
    CHECK_EQ(got->tr_arbytes, 0x8b);
    CHECK_EQ(got->cr0, X86_CR0_PE | X86_CR0_ET);
    CHECK_EQ(hvm_of(d->vcpus[0])->regs.rbx, 0x2000000);
    CHECK_EQ(fake_fpu_resets - resets, 1); /* no FPU image: reset state */
    /* MTRRs survive the BSP stream (it has none). */
    CHECK_EQ(hvm_of(d->vcpus[0])->mtrr.def_type, 0x806);

    /* Read back: now a CPU record for vCPU 0 only, with the same state. */
    size = want;
    CHECK_EQ(get_ctx(v0, d, GVA_BUF, &size), 0);
    CHECK_EQ(size, 8 + 24 + 8 + 1032 + 2 * (8 + 240) + 8);
    memcpy(&dsc, b + 32, 8);
    CHECK_EQ(dsc.typecode, HVM_SAVE_CODE(CPU));
    CHECK_EQ(dsc.instance, 0);
    memcpy(&c, b + 40, sizeof(c));
    CHECK_EQ(c.rip, 0x1000850);
    CHECK_EQ(c.rbx, 0x2000000);
    CHECK_EQ(c.cs_limit, 0xffffffff);
    CHECK_EQ(c.dr6, 0xffff0ff0);
    CHECK_EQ(c.flags, 0);
    CHECK(c.tsc != 0);

    /* The whole context loads back as it is (round trip). */
    CHECK_EQ(set_ctx(v0, d, b, size), 0);
    CHECK(d->vcpus[0]->online && !d->vcpus[1]->online);
    CHECK_EQ(got->rip, 0x1000850);

    /* gethvmcontext_partial. */
    struct xen_domctl op = mkop(XEN_DOMCTL_gethvmcontext_partial, d->domain_id);
    op.u.hvmcontext_partial.type = HVM_SAVE_CODE(CPU);
    CHECK_EQ(domctl(v0, &op), 0); /* NULL buffer: size */
    CHECK_EQ(op.u.hvmcontext_partial.bufsz, 1032);
    op.u.hvmcontext_partial.buffer = GVA_BUF;
    op.u.hvmcontext_partial.bufsz = 1031;
    CHECK_EQ(domctl(v0, &op), -XEN_ENOBUFS);
    op.u.hvmcontext_partial.bufsz = 4096;
    memset(G(d0, GVA_BUF), 0, 1032);
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.hvmcontext_partial.bufsz, 1032);
    CHECK_EQ(((const struct hvm_hw_cpu *)G(d0, GVA_BUF))->rip, 0x1000850);
    op.u.hvmcontext_partial.instance = 1;
    CHECK_EQ(domctl(v0, &op), -XEN_ENODATA); /* down: no CPU record */
    op.u.hvmcontext_partial.instance = 2;
    CHECK_EQ(domctl(v0, &op), -XEN_ENOENT);
    op.u.hvmcontext_partial.type = HVM_SAVE_CODE(MTRR);
    op.u.hvmcontext_partial.instance = 1;
    CHECK_EQ(domctl(v0, &op), 0);
    CHECK_EQ(op.u.hvmcontext_partial.bufsz, 240);
    CHECK_EQ(((const struct hvm_hw_mtrr *)G(d0, GVA_BUF))->msr_mtrr_def_type, 0x806);
    const uint32_t bad_types[] = {HVM_SAVE_CODE(END), HVM_SAVE_CODE(HEADER), HVM_SAVE_CODE(PIC), 21,
                                  ~0u};
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_types); i++) {
        op.u.hvmcontext_partial.type = bad_types[i];
        op.u.hvmcontext_partial.instance = 0;
        CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    }
    drop_domu(d);
    fake_domain_destroy(d0);
}

/* Who may ask, and for what. */
static void test_callers(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct domain *d = new_domu(v0, 1);
    struct xen_domctl op;
    struct stream s;
    uint32_t size = 0;

    attach_hvm(d0);
    /* Not on the caller's own domain (it cannot be paused under itself). */
    CHECK_EQ(get_ctx(v0, d0, 0, &size), -XEN_EINVAL);
    header(&s);
    end(&s);
    CHECK_EQ(set_ctx(v0, d0, s.b, s.len), -XEN_EINVAL);
    op = mkop(XEN_DOMCTL_gethvmcontext_partial, 0);
    op.u.hvmcontext_partial.type = HVM_SAVE_CODE(MTRR);
    CHECK_EQ(domctl(v0, &op), -XEN_EINVAL);
    /* Unreadable / unwritable buffers. */
    op = mkop(XEN_DOMCTL_sethvmcontext, d->domain_id);
    op.u.hvmcontext.size = 64;
    op.u.hvmcontext.buffer = GVA_HOLE;
    CHECK_EQ(domctl(v0, &op), -XEN_EFAULT);
    size = 4096;
    CHECK_EQ(get_ctx(v0, d, GVA_HOLE, &size), -XEN_EFAULT);
    /* Oversized streams are refused before anything is copied. */
    op.u.hvmcontext.size = HVM_LOAD_MAX_BYTES + 1;
    op.u.hvmcontext.buffer = GVA_BUF;
    CHECK_EQ(domctl(v0, &op), -XEN_ENOMEM);
    op.u.hvmcontext.size = ~0u;
    CHECK_EQ(domctl(v0, &op), -XEN_ENOMEM);
    /* The heap is exhausted. */
    fake_alloc_fails = true;
    op.u.hvmcontext.size = 64;
    CHECK_EQ(domctl(v0, &op), -XEN_ENOMEM);
    size = 4096;
    CHECK_EQ(get_ctx(v0, d, GVA_BUF, &size), -XEN_ENOMEM);
    fake_alloc_fails = false;
    /* An empty stream has no header. */
    op.u.hvmcontext.size = 0;
    CHECK_EQ(domctl(v0, &op), -XEN_ENODATA);
    /* A dying domain. */
    d->is_dying = true;
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_EINVAL);
    size = 4096;
    CHECK_EQ(get_ctx(v0, d, GVA_BUF, &size), -XEN_EINVAL);
    d->is_dying = false;
    /* No such domain. */
    op = mkop(XEN_DOMCTL_sethvmcontext, 33);
    CHECK_EQ(domctl(v0, &op), -XEN_ESRCH);
    /* The domain is paused around the load and unpaused after. */
    unsigned int syncs = fake_vcpu_syncs;
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    CHECK(fake_vcpu_syncs > syncs);
    CHECK_EQ(d->pause_count, 1); /* back to the toolstack's own pause */
    detach_hvm(d0);
    drop_domu(d);
    fake_domain_destroy(d0);
}

/* Every truncation of a valid stream is refused and changes nothing. */
static void test_truncated(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct domain *d = new_domu(v0, 2);
    struct hvm_hw_cpu c = long_mode_cpu();
    struct hvm_hw_mtrr m = wb_mtrr();
    struct stream s;
    struct snap before;

    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 1, &c, sizeof(c));
    rec(&s, HVM_SAVE_CODE(MTRR), 1, &m, sizeof(m));
    end(&s);
    take(d, &before);
    for (uint32_t len = 0; len < s.len; len++) {
        long rc = set_ctx(v0, d, s.b, len);

        CHECK(rc == -XEN_ENODATA || rc == -XEN_EINVAL);
        if (!unchanged(d, &before)) {
            CHECK(!"truncated stream changed state");
            break;
        }
    }
    /* Missing END specifically: -ENODATA. */
    CHECK_EQ(set_ctx(v0, d, s.b, s.len - 8), -XEN_ENODATA);
    /* The whole stream works, and bytes after END are ignored. */
    memset(s.b + s.len, 0xAB, 64);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len + 64), 0);
    CHECK(!d->vcpus[0]->online && d->vcpus[1]->online);
    CHECK_EQ(((struct fake_vmcb *)hvm_of(d->vcpus[1])->vmcb)->c.rip, 0xffffffff81000000ULL);
    drop_domu(d);
    fake_domain_destroy(d0);
}

/* Broken framing: header, typecodes, lengths, instances. */
static void test_framing(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct domain *d = new_domu(v0, 2);
    struct hvm_hw_cpu c = pvh_bsp(0x100000, 0);
    struct hvm_hw_mtrr m = wb_mtrr();
    struct hvm_save_header h = {HVM_FILE_MAGIC, HVM_FILE_VERSION, 0, 0, 0};
    uint8_t junk[64];
    struct stream s;
    struct snap before;

    memset(junk, 0, sizeof(junk));
    take(d, &before);
    /* Header problems. */
    s.len = 0;
    rec(&s, HVM_SAVE_CODE(CPU), 0, &c, sizeof(c)); /* no header first */
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_ENODATA);
    s.len = 0;
    rec(&s, HVM_SAVE_CODE(HEADER), 0, &h, 23);
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_ENODATA);
    s.len = 0;
    rec(&s, HVM_SAVE_CODE(HEADER), 0, junk, 25);
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_ENODATA);
    h.magic = 0x12345678;
    s.len = 0;
    rec(&s, HVM_SAVE_CODE(HEADER), 0, &h, sizeof(h));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_EINVAL);
    h.magic = HVM_FILE_MAGIC;
    h.version = 2;
    s.len = 0;
    rec(&s, HVM_SAVE_CODE(HEADER), 0, &h, sizeof(h));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_EINVAL);
    CHECK(unchanged(d, &before));

    /* Record problems, each after a valid CPU record that must not be applied either. */
    static const struct {
        uint16_t type, inst;
        uint32_t len;
        long rc;
    } cases[] = {
        {HVM_SAVE_CODE(CPU), 2, 1032, -XEN_EINVAL},         /* no such vCPU */
        {HVM_SAVE_CODE(CPU), 0xffff, 1032, -XEN_EINVAL},    /* far beyond max_vcpus */
        {HVM_SAVE_CODE(CPU), 0, 1033, -XEN_EINVAL},         /* longer than a CPU record */
        {HVM_SAVE_CODE(MTRR), 0, 239, -XEN_EINVAL},         /* strict length */
        {HVM_SAVE_CODE(MTRR), 0, 241, -XEN_EINVAL},         /* strict length */
        {HVM_SAVE_CODE(MTRR), 2, 240, -XEN_EINVAL},         /* no such vCPU */
        {HVM_SAVE_CODE(HEADER), 0, 24, -XEN_EINVAL},        /* a second header */
        {HVM_SAVE_CODE(PIC), 0, 8, -XEN_ENODEV},            /* devices PVH lacks */
        {HVM_SAVE_CODE(IOAPIC), 0, 8, -XEN_ENODEV},         /* */
        {HVM_SAVE_CODE(PIT), 0, 8, -XEN_ENODEV},            /* */
        {HVM_SAVE_CODE(RTC), 0, 8, -XEN_ENODEV},            /* */
        {HVM_SAVE_CODE(HPET), 0, 8, -XEN_ENODEV},           /* */
        {HVM_SAVE_CODE(PMTIMER), 0, 8, -XEN_ENODEV},        /* */
        {HVM_SAVE_CODE(LAPIC), 0, 16, -XEN_EOPNOTSUPP},     /* not loaded here */
        {HVM_SAVE_CODE(CPU_XSAVE), 0, 16, -XEN_EOPNOTSUPP}, /* */
        {HVM_SAVE_CODE(TSC_ADJUST), 0, 8, -XEN_EOPNOTSUPP}, /* */
        {HVM_SAVE_CODE(CPU_MSR), 0, 8, -XEN_EOPNOTSUPP},    /* */
        {HVM_SAVE_CODE(PCI_IRQ), 0, 15, -XEN_EINVAL},       /* wire records: strict length */
        {HVM_SAVE_CODE(PCI_LINK), 0, 16, -XEN_EINVAL},      /* */
        {21, 0, 8, -XEN_EINVAL},                            /* unknown typecodes */
        {0xffff, 0, 8, -XEN_EINVAL},                        /* */
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        uint8_t payload[1040];

        memset(payload, 0, sizeof(payload));
        if (cases[i].type == HVM_SAVE_CODE(CPU))
            memcpy(payload, &c, sizeof(c));
        if (cases[i].type == HVM_SAVE_CODE(MTRR))
            memcpy(payload, &m, sizeof(m));
        header(&s);
        rec(&s, HVM_SAVE_CODE(CPU), 0, &c, sizeof(c));
        rec(&s, cases[i].type, cases[i].inst, payload, cases[i].len);
        end(&s);
        CHECK_EQ(set_ctx(v0, d, s.b, s.len), cases[i].rc);
        if (!unchanged(d, &before)) {
            fprintf(stderr, "  framing case %u changed state\n", i);
            CHECK(!"refused stream changed state");
        }
    }
    /* A record length that runs past the end of the buffer. */
    header(&s);
    rec(&s, HVM_SAVE_CODE(MTRR), 0, &m, sizeof(m));
    ((struct hvm_save_descriptor *)(s.b + 32))->length = 0x7fffffff;
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_EINVAL);
    ((struct hvm_save_descriptor *)(s.b + 32))->length = ~0u;
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_EINVAL);
    CHECK(unchanged(d, &before));

    /* Wire records of the right size are accepted (Xen loads them; PVH has no wires). */
    header(&s);
    rec(&s, HVM_SAVE_CODE(PCI_IRQ), 0, junk, 16);
    rec(&s, HVM_SAVE_CODE(ISA_IRQ), 0, junk, 8);
    rec(&s, HVM_SAVE_CODE(PCI_LINK), 0, junk, 8);
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);

    /* A pre-3.4 CPU record (1016 bytes): tsc/pending/error move up, FPU image taken. */
    struct hvm_hw_cpu old = c;
    uint8_t v1[HVM_SAVE_LENGTH_CPU_V1];
    size_t at = offsetof(struct hvm_hw_cpu, msr_tsc_aux);
    old.fpu_regs[0] = 0x7f; /* FCW */
    old.fpu_regs[1] = 0x03;
    memcpy(v1, &old, at);
    uint64_t tsc = 1234;
    memcpy(v1 + at, &tsc, 8);
    memset(v1 + at + 8, 0, 8);
    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 1, v1, sizeof(v1));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    CHECK(d->vcpus[1]->online && !d->vcpus[0]->online);
    CHECK(hvm_of(d->vcpus[1])->fpu_used);
    CHECK_EQ(((uint8_t *)hvm_of(d->vcpus[1])->fpu_area)[0], 0x7f);
    /* Shorter still: zero-extended. */
    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 0, &c, offsetof(struct hvm_hw_cpu, msr_efer));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    CHECK(d->vcpus[0]->online);
    drop_domu(d);
    fake_domain_destroy(d0);
}

/* One way to break a CPU record, and the error it must give. */
struct bad_cpu {
    const char *what;
    void (*edit)(struct hvm_hw_cpu *c);
    long rc;
};

#define EDIT(name, body)                                                                           \
    static void name(struct hvm_hw_cpu *c)                                                         \
    {                                                                                              \
        body;                                                                                      \
    }
EDIT(pg_without_pe, c->cr0 = X86_CR0_PG | X86_CR0_ET)
EDIT(no_et, c->cr0 = X86_CR0_PE)
EDIT(cr0_reserved, c->cr0 |= 1ULL << 32)
EDIT(nw_without_cd, c->cr0 |= X86_CR0_NW)
EDIT(cr4_vmxe, c->cr4 |= 1ULL << 13)
EDIT(cr4_la57, c->cr4 |= 1ULL << 12)
EDIT(cr4_mce_hidden, c->cr4 |= 1ULL << 6)
EDIT(lma_without_lme, c->msr_efer = EFER_LMA)
EDIT(lma_without_pg, c->msr_efer = EFER_LME | EFER_LMA)
EDIT(efer_svme, c->msr_efer = EFER_SVME)
EDIT(efer_unknown, c->msr_efer = 1ULL << 20)
EDIT(rip_above_4g, c->rip = 0x100000000ULL)
EDIT(cr3_too_wide, c->cr3 = 1ULL << 48)
EDIT(rflags_reserved, c->rflags = 1ULL << 22)
EDIT(dr7_high, c->dr7 = 1ULL << 32)
EDIT(tsc_aux_high, c->msr_tsc_aux = 1ULL << 32)
EDIT(flags_unknown, c->flags = 2)
EDIT(pad_nonzero, c->pad0 = 1)
EDIT(cs_absent, c->cs_arbytes = 0xc1b)
EDIT(cs_data, c->cs_arbytes = 0xc93)
EDIT(cs_system, c->cs_arbytes = 0xc8b)
EDIT(cs_base_high, c->cs_base = 1ULL << 32)
EDIT(ss_readonly, c->ss_arbytes = 0xc91)
EDIT(ds_exec_only, c->ds_arbytes = 0xc99)
EDIT(attr_13bits, c->ds_arbytes = 0x1c93)
EDIT(tr_absent, c->tr_arbytes = 0)
EDIT(tr_available, c->tr_arbytes = 0x89)
EDIT(tr_ti, c->tr_sel = 4)
EDIT(ldt_wrong_type, c->ldtr_arbytes = 0x83)
EDIT(gdtr_limit, c->gdtr_limit = 0x10000)
EDIT(idtr_noncanonical, c->idtr_base = 1ULL << 47)
EDIT(pending_type1, c->pending_event = HVM_PENDING_VALID | (1u << 8) | 32)
EDIT(pending_type6, c->pending_event = HVM_PENDING_VALID | (6u << 8) | 3)
EDIT(pending_reserved, c->pending_event = HVM_PENDING_VALID | (1u << 20) | 32)
EDIT(pending_errcode,
     c->pending_event = HVM_PENDING_VALID | HVM_PENDING_ERROR_VALID | (3u << 8) | 13;
     c->error_code = 0x10000)
EDIT(mxcsr_reserved, c->flags = XEN_X86_FPU_INITIALISED; c->fpu_regs[26] = 0x01)
EDIT(dr0_set, c->dr0 = 0x1000)
EDIT(dr3_set, c->dr3 = 0x1000)

EDIT(lm_no_pae, c->cr4 &= ~(uint64_t)X86_CR4_PAE)
EDIT(lm_cs_l_and_d, c->cs_arbytes = 0xe9b)
EDIT(lm_rip_noncanonical, c->rip = 0x0000800000000000ULL)
EDIT(lm_fs_noncanonical, c->fs_base = 0x0001000000000000ULL)
EDIT(lm_lme_without_lm_cpu, c->msr_efer |= 1ULL << 13)

static const struct bad_cpu bad_32[] = {
    {"CR0.PG without PE", pg_without_pe, -XEN_EINVAL},
    {"CR0.ET clear", no_et, -XEN_EINVAL},
    {"CR0 reserved", cr0_reserved, -XEN_EINVAL},
    {"CR0.NW without CD", nw_without_cd, -XEN_EINVAL},
    {"CR4.VMXE", cr4_vmxe, -XEN_EINVAL},
    {"CR4.LA57", cr4_la57, -XEN_EINVAL},
    {"CR4.MCE hidden by CPUID", cr4_mce_hidden, -XEN_EINVAL},
    {"EFER.LMA without LME", lma_without_lme, -XEN_EINVAL},
    {"EFER.LMA without PG", lma_without_pg, -XEN_EINVAL},
    {"EFER.SVME", efer_svme, -XEN_EINVAL},
    {"EFER unknown", efer_unknown, -XEN_EINVAL},
    {"RIP above 4 GiB in 32-bit code", rip_above_4g, -XEN_EINVAL},
    {"CR3 too wide", cr3_too_wide, -XEN_EINVAL},
    {"RFLAGS reserved", rflags_reserved, -XEN_EINVAL},
    {"DR7 upper bits", dr7_high, -XEN_EINVAL},
    {"TSC_AUX upper bits", tsc_aux_high, -XEN_EINVAL},
    {"unknown flags", flags_unknown, -XEN_EINVAL},
    {"padding", pad_nonzero, -XEN_EINVAL},
    {"CS not present", cs_absent, -XEN_EINVAL},
    {"CS data", cs_data, -XEN_EINVAL},
    {"CS system", cs_system, -XEN_EINVAL},
    {"CS base above 4 GiB", cs_base_high, -XEN_EINVAL},
    {"SS read-only", ss_readonly, -XEN_EINVAL},
    {"DS execute-only", ds_exec_only, -XEN_EINVAL},
    {"attributes beyond 12 bits", attr_13bits, -XEN_EINVAL},
    {"TR absent", tr_absent, -XEN_EINVAL},
    {"TR available TSS", tr_available, -XEN_EINVAL},
    {"TR selector in the LDT", tr_ti, -XEN_EINVAL},
    {"LDTR not an LDT", ldt_wrong_type, -XEN_EINVAL},
    {"GDTR limit", gdtr_limit, -XEN_EINVAL},
    {"IDTR non-canonical", idtr_noncanonical, -XEN_EINVAL},
    {"pending type 1", pending_type1, -XEN_EINVAL},
    {"pending type 6", pending_type6, -XEN_EINVAL},
    {"pending reserved bits", pending_reserved, -XEN_EINVAL},
    {"pending error code", pending_errcode, -XEN_EINVAL},
    {"MXCSR reserved", mxcsr_reserved, -XEN_EINVAL},
    {"DR0", dr0_set, -XEN_EOPNOTSUPP},
    {"DR3", dr3_set, -XEN_EOPNOTSUPP},
};

static const struct bad_cpu bad_64[] = {
    {"long mode without PAE", lm_no_pae, -XEN_EINVAL},
    {"64-bit CS with D set", lm_cs_l_and_d, -XEN_EINVAL},
    {"non-canonical RIP", lm_rip_noncanonical, -XEN_EINVAL},
    {"non-canonical FS base", lm_fs_noncanonical, -XEN_EINVAL},
    {"EFER.LMSLE", lm_lme_without_lm_cpu, -XEN_EINVAL},
};

static void try_bad(struct vcpu *v0, struct domain *d, struct hvm_hw_cpu base,
                    const struct bad_cpu *b, unsigned int n)
{
    struct snap before;
    struct stream s;

    take(d, &before);
    for (unsigned int i = 0; i < n; i++) {
        struct hvm_hw_cpu c = base;

        b[i].edit(&c);
        header(&s);
        rec(&s, HVM_SAVE_CODE(CPU), 1, &base, sizeof(base)); /* valid, must not stick */
        rec(&s, HVM_SAVE_CODE(CPU), 0, &c, sizeof(c));
        end(&s);
        if (set_ctx(v0, d, s.b, s.len) != b[i].rc)
            fprintf(stderr, "  bad CPU state '%s' not refused as expected\n", b[i].what);
        CHECK_EQ(set_ctx(v0, d, s.b, s.len), b[i].rc);
        CHECK(unchanged(d, &before));
    }
}

/* Invalid CPU states are refused with nothing changed; valid ones are loaded normalised. */
static void test_cpu_states(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct domain *d = new_domu(v0, 2);
    struct stream s;
    struct hvm_hw_cpu c;

    try_bad(v0, d, pvh_bsp(0x100000, 0), bad_32, ARRAY_SIZE(bad_32));
    try_bad(v0, d, long_mode_cpu(), bad_64, ARRAY_SIZE(bad_64));

    /* Valid long-mode state with a pending NMI and an FPU image. */
    c = long_mode_cpu();
    c.pending_event = HVM_PENDING_VALID | (2u << 8) | 2;
    c.flags = XEN_X86_FPU_INITIALISED;
    c.fpu_regs[0] = 0x7f;
    c.fpu_regs[24] = 0x80; /* MXCSR 0x1f80 */
    c.fpu_regs[25] = 0x1f;
    c.r15 = 0x1515;
    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 0, &c, sizeof(c));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    const struct hvm_hw_cpu *got = &((struct fake_vmcb *)hvm_of(d->vcpus[0])->vmcb)->c;
    CHECK_EQ(got->msr_efer, c.msr_efer);
    CHECK_EQ(got->pending_event, c.pending_event);
    CHECK_EQ(hvm_of(d->vcpus[0])->regs.r15, 0x1515);
    CHECK(hvm_of(d->vcpus[0])->fpu_used);
    CHECK_EQ(((uint8_t *)hvm_of(d->vcpus[0])->fpu_area)[25], 0x1f);

    /* Attribute forms: G follows the limit; old VMCS-style attributes are folded. */
    c = pvh_bsp(0x100000, 0);
    c.cs_arbytes = 0x49b;  /* 4 GiB limit but G clear */
    c.ds_arbytes = 0xc093; /* VMCS form of 0xc93 */
    c.es_limit = 0xffff;   /* small limit: G must go */
    c.gs_arbytes = 0;      /* unusable: left alone */
    c.ldtr_arbytes = 0x82; /* present LDT */
    c.ldtr_limit = 0xffff;
    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 1, &c, sizeof(c));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    got = &((struct fake_vmcb *)hvm_of(d->vcpus[1])->vmcb)->c;
    CHECK_EQ(got->cs_arbytes, 0xc9b);
    CHECK_EQ(got->ds_arbytes, 0xc93);
    CHECK_EQ(got->es_arbytes, 0x493);
    CHECK_EQ(got->gs_arbytes, 0);
    CHECK_EQ(got->ldtr_arbytes, 0x82);
    /* This stream had no record for vCPU 0: it went down. */
    CHECK(!d->vcpus[0]->online && d->vcpus[1]->online);
    /* Real mode (as after INIT/SIPI) is a valid state too. */
    memset(&c, 0, sizeof(c));
    c.cs_arbytes = 0x9b;
    c.cs_limit = 0xffff;
    c.cs_base = 0x9f000;
    c.cs_sel = 0x9f00;
    c.ds_arbytes = c.es_arbytes = c.ss_arbytes = 0x93;
    c.ds_limit = c.es_limit = c.ss_limit = 0xffff;
    c.tr_arbytes = 0x8b;
    c.tr_limit = 0xffff;
    c.cr0 = X86_CR0_ET | X86_CR0_NE;
    c.idtr_limit = c.gdtr_limit = 0xffff;
    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 1, &c, sizeof(c));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    drop_domu(d);
    fake_domain_destroy(d0);
}

/* MTRR records: Xen's limits; bad ones refused with nothing changed. */
static void test_mtrr_records(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct domain *d = new_domu(v0, 2);
    struct hvm_hw_mtrr m;
    struct stream s;
    struct snap before;

    take(d, &before);
    for (unsigned int i = 0; i < 8; i++) {
        m = wb_mtrr();
        switch (i) {
        case 0:
            m.msr_mtrr_cap = 9; /* more variable ranges than the record holds */
            break;
        case 1:
            m.msr_mtrr_def_type = 0x802; /* type 2 is reserved */
            break;
        case 2:
            m.msr_mtrr_def_type = 0x1806; /* reserved bit 12 */
            break;
        case 3:
            m.msr_mtrr_fixed[5] = 0x0606060606060607ULL; /* type 7 in a fixed range */
            break;
        case 4:
            m.msr_mtrr_var[0] = 0x106; /* PHYSBASE reserved bits 11:8 */
            break;
        case 5:
            m.msr_mtrr_var[1] = (1ULL << 48) | 0x800; /* mask beyond 48 address bits */
            break;
        case 6:
            m.msr_pat_cr = 0x0007040600070402ULL; /* PAT type 2 */
            break;
        case 7:
            m.msr_pat_cr = 0x0807040600070406ULL; /* PAT type 8 */
            break;
        }
        header(&s);
        rec(&s, HVM_SAVE_CODE(MTRR), 1, &m, sizeof(m));
        end(&s);
        CHECK_EQ(set_ctx(v0, d, s.b, s.len), -XEN_EINVAL);
        CHECK(unchanged(d, &before));
    }
    /* A full valid set: WB below 4 GiB, UC hole, fixed ranges WB, PAT changed. */
    m = wb_mtrr();
    m.msr_mtrr_var[0] = 0xC0000000ULL | 0; /* base 3 GiB, UC */
    m.msr_mtrr_var[1] = 0xFFFFC0000000ULL | 0x800;
    for (unsigned int i = 0; i < 11; i++)
        m.msr_mtrr_fixed[i] = 0x0606060606060606ULL;
    m.msr_mtrr_def_type = 0xC06;
    m.msr_pat_cr = 0x0007010600070106ULL;
    header(&s);
    rec(&s, HVM_SAVE_CODE(MTRR), 1, &m, sizeof(m));
    end(&s);
    CHECK_EQ(set_ctx(v0, d, s.b, s.len), 0);
    struct hvm_mtrr *mm = &hvm_of(d->vcpus[1])->mtrr;
    CHECK_EQ(mm->def_type, 0xC06);
    CHECK_EQ(mm->var[1], 0xFFFFC0000800ULL);
    CHECK_EQ(mm->fixed[10], 0x0606060606060606ULL);
    CHECK_EQ(((struct fake_vmcb *)hvm_of(d->vcpus[1])->vmcb)->pat, 0x0007010600070106ULL);
    /* vCPU 0's MTRRs are untouched. */
    CHECK_EQ(hvm_of(d->vcpus[0])->mtrr.def_type, 0);
    drop_domu(d);
    fake_domain_destroy(d0);
}

/* The guest's view of the MTRR MSRs (hvm/mtrr.c through hvm_msr_*'s MTRR branch). */
static void test_mtrr_msrs(void)
{
    struct hvm_mtrr m;
    uint64_t v;

    mtrr_init(&m, 0);
    CHECK(mtrr_is_msr(0xFE) && mtrr_is_msr(0x2FF) && mtrr_is_msr(0x200) && mtrr_is_msr(0x20F));
    CHECK(mtrr_is_msr(0x250) && mtrr_is_msr(0x258) && mtrr_is_msr(0x259) && mtrr_is_msr(0x26F));
    CHECK(!mtrr_is_msr(0x210) && !mtrr_is_msr(0x251) && !mtrr_is_msr(0x25A) &&
          !mtrr_is_msr(0x267) && !mtrr_is_msr(0x277) && !mtrr_is_msr(0x270));
    CHECK_EQ(mtrr_msr_read(&m, 0xFE, &v), 0);
    CHECK_EQ(v, 0x508);
    CHECK_EQ(mtrr_msr_write(&m, 48, 0xFE, 0), -1); /* read-only */
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x2FF, 0xC06), 0);
    CHECK_EQ(mtrr_msr_read(&m, 0x2FF, &v), 0);
    CHECK_EQ(v, 0xC06);
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x2FF, 0xC02), -1);
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x2FF, 0x1C06), -1);
    CHECK_EQ(mtrr_msr_read(&m, 0x2FF, &v), 0);
    CHECK_EQ(v, 0xC06); /* unchanged by the refused writes */
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x20F, 0xFFFF00000800ULL), 0);
    CHECK_EQ(mtrr_msr_read(&m, 0x20F, &v), 0);
    CHECK_EQ(v, 0xFFFF00000800ULL);
    CHECK_EQ(mtrr_msr_write(&m, 40, 0x20F, 0xFFFF00000800ULL), -1); /* beyond 40 bits */
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x20E, 0x1000 | 3), -1);        /* type 3 */
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x268, 0x0505050505050505ULL), 0);
    CHECK_EQ(mtrr_msr_read(&m, 0x268, &v), 0);
    CHECK_EQ(v, 0x0505050505050505ULL);
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x26F, 0x0205050505050505ULL), -1);
    /* Fewer ranges offered: the others #GP. */
    m.cap = 0x502;
    CHECK_EQ(mtrr_msr_read(&m, 0x204, &v), -1);
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x204, 0), -1);
    CHECK_EQ(mtrr_msr_read(&m, 0x203, &v), 0);
    m.cap = 0x408; /* no fixed ranges */
    CHECK_EQ(mtrr_msr_read(&m, 0x250, &v), -1);
    CHECK_EQ(mtrr_msr_write(&m, 48, 0x250, 0), -1);
    CHECK(pat_valid(PAT_RESET) && pat_valid(0x0707070707070707ULL) && pat_valid(0));
    CHECK(!pat_valid(0x02) && !pat_valid(0x03ULL << 56) && !pat_valid(0x08ULL << 8));
}

/* Garbage after a valid header never crashes and, when refused, changes nothing. */
static void test_garbage(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct vcpu *v0 = d0->vcpus[0];
    struct domain *d = new_domu(v0, 2);
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    unsigned int refused = 0;
    struct stream s;

    for (unsigned int iter = 0; iter < 3000; iter++) {
        struct snap before;
        long rc;

        header(&s);
        /* Records with small random typecodes/instances/lengths, sometimes an END. */
        for (unsigned int r = 0; r < 4; r++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            uint16_t type = (uint16_t)(1 + (seed >> 33) % 23); /* END only where wanted */
            uint16_t inst = (uint16_t)((seed >> 40) % 3);
            uint32_t len = (uint32_t)((seed >> 45) % 1100);
            uint8_t payload[1100];

            for (uint32_t k = 0; k < len; k++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                payload[k] = (uint8_t)(seed >> 56);
            }
            rec(&s, type, inst, payload, len);
        }
        if (iter & 1)
            end(&s);
        take(d, &before);
        rc = set_ctx(v0, d, s.b, s.len);
        if (rc) {
            refused++;
            CHECK(rc == -XEN_EINVAL || rc == -XEN_ENODATA || rc == -XEN_ENODEV ||
                  rc == -XEN_EOPNOTSUPP);
            if (!unchanged(d, &before)) {
                CHECK(!"refused garbage changed state");
                break;
            }
        }
    }
    CHECK(refused > 2900); /* random CPU/MTRR payloads are practically never valid */
    drop_domu(d);
    fake_domain_destroy(d0);
}

/* VCPUOP_initialise/up/down from the domU's own vCPU 0 on vcpuid. */
static long vcpu_op(struct domain *d, unsigned int cmd, unsigned int vcpuid,
                    const struct vcpu_hvm_context *ctx)
{
    if (ctx)
        memcpy(G(d, GVA_ARG), ctx, sizeof(*ctx));
    return hcall(d->vcpus[0], __HYPERVISOR_vcpu_op, cmd, vcpuid, GVA_ARG);
}

/* A 32-bit protected-mode start state in vcpu_hvm_context form. */
static struct vcpu_hvm_context ctx32(uint32_t eip)
{
    struct vcpu_hvm_context c;

    memset(&c, 0, sizeof(c));
    c.mode = VCPU_HVM_MODE_32B;
    c.cpu_regs.x86_32.eip = eip;
    c.cpu_regs.x86_32.ebx = 0xb0b;
    c.cpu_regs.x86_32.eflags = 0x2;
    c.cpu_regs.x86_32.cr0 = X86_CR0_PE;
    c.cpu_regs.x86_32.cs_limit = c.cpu_regs.x86_32.ds_limit = ~0u;
    c.cpu_regs.x86_32.ss_limit = c.cpu_regs.x86_32.es_limit = ~0u;
    c.cpu_regs.x86_32.tr_limit = 0x67;
    c.cpu_regs.x86_32.cs_ar = 0xc9a; /* not yet accessed: Xen sets the bit */
    c.cpu_regs.x86_32.ds_ar = c.cpu_regs.x86_32.ss_ar = c.cpu_regs.x86_32.es_ar = 0xc93;
    c.cpu_regs.x86_32.tr_ar = 0x89; /* available TSS: Xen makes it busy */
    return c;
}

/* VCPUOP_initialise takes Xen's vcpu_hvm_context, refuses what Xen refuses, changes nothing
 * then; up needs an initialised vCPU; down of the last one powers the domain off. */
static void test_vcpuop_initialise(void)
{
    struct domain *d0 = fake_domain_create(0, 1, true);
    struct domain *d = new_domu(d0->vcpus[0], 3);
    struct vcpu *v1 = d->vcpus[1], *v2 = d->vcpus[2];
    const struct hvm_hw_cpu *got = &((struct fake_vmcb *)hvm_of(v1)->vmcb)->c;
    struct vcpu_hvm_context c;
    struct snap before;

    /* The caller: vCPU 0 of the domU, brought up by a CPU record. */
    struct hvm_hw_cpu bsp = pvh_bsp(0x100000, 0);
    struct stream s;
    header(&s);
    rec(&s, HVM_SAVE_CODE(CPU), 0, &bsp, sizeof(bsp));
    end(&s);
    CHECK_EQ(set_ctx(d0->vcpus[0], d, s.b, s.len), 0);

    CHECK_EQ(vcpu_op(d, VCPUOP_up, 1, NULL), -XEN_EINVAL); /* nothing to run yet */
    take(d, &before);
    static const struct {
        const char *what;   /* the reason that must be logged */
        unsigned int field; /* which edit */
    } bad[] = {{"unknown mode", 0},
               {"non-zero padding", 1},
               {"non-zero padding", 2},
               {"null CS, SS or TR", 3},
               {"null CS, SS or TR", 4},
               {"system segment in a code or data register", 5},
               {"TR is not a 32-bit TSS", 6},
               {"CS is not a code segment", 7},
               {"SS is not writable data", 8},
               {"DS or ES is execute-only code", 9},
               {"segment not present", 10},
               {"EIP outside the CS limit", 11},
               {"SS.DPL differs from CS.DPL", 12},
               {"DS or ES DPL above CS.DPL", 13},
               {"EFER.LMA without EFER.LME", 14},
               {"segment attribute bits 12-15 set", 15},
               {"CR0.PG without CR0.PE", 16},
               {"CR4 bits this vCPU does not have", 17},
               {"RIP not canonical", 18},
               {"64-bit state without paging, PAE and EFER.LME", 19},
               {"64-bit state without paging, PAE and EFER.LME", 20}};
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        struct vcpu_hvm_x86_32 *r = &c.cpu_regs.x86_32;
        struct vcpu_hvm_x86_64 *q = &c.cpu_regs.x86_64;

        c = ctx32(0x100000);
        switch (bad[i].field) {
        case 0:
            c.mode = 2;
            break;
        case 1:
            c.pad = 1;
            break;
        case 2:
            r->pad1 = 1;
            break;
        case 3:
            r->cs_ar = 0;
            break;
        case 4:
            r->ss_ar = 0;
            break;
        case 5:
            r->cs_ar = 0xc8b;
            break;
        case 6:
            r->tr_ar = 0x93;
            break;
        case 7:
            r->cs_ar = 0xc93;
            break;
        case 8:
            r->ss_ar = 0xc91;
            break;
        case 9:
            r->ds_ar = 0xc99;
            break;
        case 10:
            r->ds_ar = 0xc13;
            break;
        case 11:
            r->cs_limit = 0xffff;
            r->cs_ar = 0x49b;
            r->eip = 0x10000;
            break;
        case 12:
            r->ss_ar = 0xcf3;
            break;
        case 13:
            r->ds_ar = 0xcf3;
            r->ss_ar = 0xc93;
            break;
        case 14:
            r->efer = EFER_LMA;
            break;
        case 15:
            r->es_ar = 0x1c93;
            break;
        case 16:
            r->cr0 = X86_CR0_PG;
            break;
        case 17:
            r->cr4 = 1u << 13;
            break;
        case 18:
            c.mode = VCPU_HVM_MODE_64B;
            memset(q, 0, sizeof(*q));
            q->rip = 1ULL << 47;
            q->cr0 = X86_CR0_PE | X86_CR0_PG;
            q->cr4 = X86_CR4_PAE;
            q->efer = EFER_LME;
            break;
        case 19:
            c.mode = VCPU_HVM_MODE_64B;
            memset(q, 0, sizeof(*q));
            q->cr0 = X86_CR0_PE;
            q->cr4 = X86_CR4_PAE;
            q->efer = EFER_LME;
            break;
        case 20:
            c.mode = VCPU_HVM_MODE_64B;
            memset(q, 0, sizeof(*q));
            q->cr0 = X86_CR0_PE | X86_CR0_PG;
            q->cr4 = X86_CR4_PAE;
            break;
        }
        fake_log_len = 0;
        fake_log[0] = '\0';
        CHECK_EQ(vcpu_op(d, VCPUOP_initialise, 1, &c), -XEN_EINVAL);
        if (!strstr(fake_log, bad[i].what)) {
            fprintf(stderr, "  case %u: log lacks '%s': %s\n", i, bad[i].what, fake_log);
            CHECK(!"refused for the expected reason");
        }
    }
    CHECK(unchanged(d, &before));

    /* A valid 32-bit state: loaded with accessed/busy bits and ET, vCPU 1 stays down. */
    c = ctx32(0x200000);
    CHECK_EQ(vcpu_op(d, VCPUOP_initialise, 1, &c), 0);
    CHECK(!v1->online);
    CHECK_EQ(got->rip, 0x200000);
    CHECK_EQ(got->cs_arbytes, 0xc9b);
    CHECK_EQ(got->tr_arbytes, 0x8b);
    CHECK_EQ(got->cr0, X86_CR0_PE | X86_CR0_ET);
    CHECK_EQ(hvm_of(v1)->regs.rbx, 0xb0b);
    CHECK_EQ(vcpu_op(d, VCPUOP_initialise, 1, &c), -XEN_EEXIST);
    CHECK_EQ(vcpu_op(d, VCPUOP_up, 1, NULL), 0);
    CHECK(v1->online);
    CHECK_EQ(vcpu_op(d, VCPUOP_up, 1, NULL), 0); /* already up: nothing to do */

    /* A valid 64-bit state: flat 64-bit segments, LMA follows LME. */
    memset(&c, 0, sizeof(c));
    c.mode = VCPU_HVM_MODE_64B;
    c.cpu_regs.x86_64.rip = 0xffffffff81000000ULL;
    c.cpu_regs.x86_64.cr0 = X86_CR0_PE | X86_CR0_PG;
    c.cpu_regs.x86_64.cr4 = X86_CR4_PAE;
    c.cpu_regs.x86_64.cr3 = 0x5000;
    c.cpu_regs.x86_64.efer = EFER_LME | EFER_NXE;
    CHECK_EQ(vcpu_op(d, VCPUOP_initialise, 2, &c), 0);
    got = &((struct fake_vmcb *)hvm_of(v2)->vmcb)->c;
    CHECK_EQ(got->cs_arbytes, 0xa9b);
    CHECK_EQ(got->msr_efer, EFER_LME | EFER_LMA | EFER_NXE);
    CHECK_EQ(got->cr3, 0x5000);
    CHECK(!v2->online);

    /* down: vCPU 1 goes offline; the last one online going down powers the domain off. */
    CHECK_EQ(vcpu_op(d, VCPUOP_down, 1, NULL), 0);
    CHECK(!v1->online && !d->is_shutdown);
    CHECK_EQ(vcpu_op(d, VCPUOP_down, 0, NULL), 0);
    CHECK(d->is_shutdown && d->shutdown_reason == SHUTDOWN_poweroff);
    drop_domu(d);
    fake_domain_destroy(d0);
}

TEST_MAIN("hvm_save", TEST(test_libxenguest_flow), TEST(test_callers), TEST(test_truncated),
          TEST(test_framing), TEST(test_cpu_states), TEST(test_mtrr_records), TEST(test_mtrr_msrs),
          TEST(test_garbage), TEST(test_vcpuop_initialise))
