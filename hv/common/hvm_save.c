/*
 * HVM save streams (XEN_DOMCTL_{get,set}hvmcontext{,_partial}): writing HEADER, CPU, MTRR and END
 * records, and loading a stream in two passes (check everything, then apply) so that a bad
 * stream changes nothing. Record payloads are the arch's (hv/arch/x86/hvm/save.c).
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/hvm_save.h>
#include <public/errno.h>

#define DESC HVM_SAVE_DESCRIPTOR_SIZE

_Static_assert(sizeof(struct hvm_save_descriptor) == DESC, "descriptor");
_Static_assert(sizeof(struct hvm_save_header) == HVM_SAVE_LENGTH(HEADER), "HEADER");
_Static_assert(sizeof(struct hvm_hw_cpu) == HVM_SAVE_LENGTH(CPU), "CPU");
_Static_assert(sizeof(struct hvm_hw_mtrr) == HVM_SAVE_LENGTH(MTRR), "MTRR");

/* ---- writing ---- */

struct writer {
    uint8_t *buf;
    size_t size, cur;
};

static int put(struct writer *w, uint16_t type, uint16_t instance, const void *p, uint32_t len)
{
    struct hvm_save_descriptor dsc = {.typecode = type, .instance = instance, .length = len};

    if (w->size - w->cur < DESC + (size_t)len)
        return -XEN_ENOSPC;
    memcpy(w->buf + w->cur, &dsc, DESC);
    if (len)
        memcpy(w->buf + w->cur + DESC, p, len);
    w->cur += DESC + len;
    return 0;
}

size_t hvm_save_size(const struct domain *d)
{
    /* Every vCPU counted as online: the answer stays big enough if one comes up meanwhile. */
    size_t per_vcpu = 2 * DESC + HVM_SAVE_LENGTH(CPU) + HVM_SAVE_LENGTH(MTRR);

    return DESC + HVM_SAVE_LENGTH(HEADER) + d->max_vcpus * per_vcpu + DESC;
}

int hvm_save(struct domain *d, uint8_t *buf, size_t size, size_t *used)
{
    struct writer w = {.buf = buf, .size = size, .cur = 0};
    struct hvm_save_header hdr = {
        .magic = HVM_FILE_MAGIC,
        .version = HVM_FILE_VERSION,
        .changeset = ~0ULL, /* unknown, as Xen writes for a build without a changeset */
    };
    struct hvm_hw_cpu cpu;
    struct hvm_hw_mtrr mtrr;
    int rc;

    *used = 0;
    if (d->is_dying)
        return -XEN_EINVAL;
    arch_hvm_save_header(d, &hdr);
    rc = put(&w, HVM_SAVE_CODE(HEADER), 0, &hdr, sizeof(hdr));
    /* Xen's order: by typecode, then by vCPU. A vCPU that is down has no CPU record. */
    for (unsigned int i = 0; !rc && i < d->max_vcpus; i++) {
        if (!d->vcpus[i] || !d->vcpus[i]->online)
            continue;
        arch_hvm_save_cpu(d->vcpus[i], &cpu);
        rc = put(&w, HVM_SAVE_CODE(CPU), (uint16_t)i, &cpu, sizeof(cpu));
    }
    for (unsigned int i = 0; !rc && i < d->max_vcpus; i++) {
        if (!d->vcpus[i])
            continue;
        arch_hvm_save_mtrr(d->vcpus[i], &mtrr);
        rc = put(&w, HVM_SAVE_CODE(MTRR), (uint16_t)i, &mtrr, sizeof(mtrr));
    }
    if (!rc)
        rc = put(&w, HVM_SAVE_CODE(END), 0, NULL, 0);
    if (rc)
        return rc;
    *used = w.cur;
    return 0;
}

int hvm_save_one(struct domain *d, unsigned int typecode, unsigned int instance, uint8_t *buf,
                 uint64_t *len)
{
    union {
        struct hvm_hw_cpu cpu;
        struct hvm_hw_mtrr mtrr;
    } rec;
    struct vcpu *v;
    uint32_t n;

    if (d->is_dying || (typecode != HVM_SAVE_CODE(CPU) && typecode != HVM_SAVE_CODE(MTRR)))
        return -XEN_EINVAL;
    if (instance >= d->max_vcpus || !(v = d->vcpus[instance]))
        return -XEN_ENOENT;
    if (typecode == HVM_SAVE_CODE(CPU)) {
        if (!v->online)
            return -XEN_ENODATA;
        arch_hvm_save_cpu(v, &rec.cpu);
        n = sizeof(rec.cpu);
    } else {
        arch_hvm_save_mtrr(v, &rec.mtrr);
        n = sizeof(rec.mtrr);
    }
    if (buf && *len < n)
        return -XEN_ENOBUFS;
    if (buf)
        memcpy(buf, &rec, n);
    *len = n;
    return 0;
}

/* ---- loading ---- */

struct reader {
    struct domain *d;
    const uint8_t *buf;
    size_t size, cur;
    bool apply; /* false: check only */
};

static int load_failed(struct reader *r, const struct hvm_save_descriptor *dsc, int rc,
                       const char *why)
{
    pr_warn("d%u: HVM restore: record %u/%u at offset %zu: %s\n", r->d->domain_id, dsc->typecode,
            dsc->instance, r->cur, why);
    return rc;
}

/* The vCPU a per-vCPU record names, or NULL (Xen: -EINVAL). */
static struct vcpu *record_vcpu(struct reader *r, const struct hvm_save_descriptor *dsc)
{
    return dsc->instance < r->d->max_vcpus ? r->d->vcpus[dsc->instance] : NULL;
}

/* CPU: the payload may be shorter than the current layout (zero-extended, as Xen). p is NULL
 * when the payload runs past the end of the stream. */
static int load_cpu(struct reader *r, const struct hvm_save_descriptor *dsc, const uint8_t *p)
{
    struct vcpu *v = record_vcpu(r, dsc);
    struct hvm_hw_cpu c;
    int rc;

    if (!v)
        return load_failed(r, dsc, -XEN_EINVAL, "no such vCPU");
    if (!p)
        return load_failed(r, dsc, -XEN_EINVAL, "record runs past the end of the stream");
    if (dsc->length > sizeof(c))
        return load_failed(r, dsc, -XEN_EINVAL, "longer than a CPU record");
    memset(&c, 0, sizeof(c));
    memcpy(&c, p, dsc->length);
    if (dsc->length != sizeof(c)) {
        /* Pre-3.4 layout: no msr_tsc_aux, so tsc, pending_event and error_code sit 8 bytes
         * earlier. Any short record counts as carrying FPU state (Xen's compat rule). */
        if (dsc->length == HVM_SAVE_LENGTH_CPU_V1) {
            size_t at = offsetof(struct hvm_hw_cpu, msr_tsc_aux);

            memmove((uint8_t *)&c + at + 8, (uint8_t *)&c + at, 16);
            c.msr_tsc_aux = 0;
        }
        c.flags = XEN_X86_FPU_INITIALISED;
    }
    if (c.pad0)
        return load_failed(r, dsc, -XEN_EINVAL, "non-zero padding");
    rc = arch_hvm_check_cpu(v, &c);
    if (rc)
        return load_failed(r, dsc, rc, "CPU state refused");
    if (r->apply) {
        arch_hvm_load_cpu(v, &c);
        arch_hvm_vcpu_up(v);
    }
    return 0;
}

static int load_mtrr(struct reader *r, const struct hvm_save_descriptor *dsc, const uint8_t *p)
{
    struct vcpu *v = record_vcpu(r, dsc);
    struct hvm_hw_mtrr m;
    int rc;

    if (!v)
        return load_failed(r, dsc, -XEN_EINVAL, "no such vCPU");
    if (!p)
        return load_failed(r, dsc, -XEN_EINVAL, "record runs past the end of the stream");
    if (dsc->length != sizeof(m))
        return load_failed(r, dsc, -XEN_EINVAL, "wrong MTRR record length");
    memcpy(&m, p, sizeof(m));
    rc = arch_hvm_check_mtrr(v, &m);
    if (rc)
        return load_failed(r, dsc, rc, "MTRR state refused");
    if (r->apply)
        arch_hvm_load_mtrr(v, &m);
    return 0;
}

/* One record after the header: check it and, when applying, load it. p is the payload, or NULL
 * if it runs past the end of the stream. */
static int load_record(struct reader *r, const struct hvm_save_descriptor *dsc, const uint8_t *p)
{
    switch (dsc->typecode) {
    case HVM_SAVE_CODE(CPU):
        return load_cpu(r, dsc, p);
    case HVM_SAVE_CODE(MTRR):
        return load_mtrr(r, dsc, p);
    case HVM_SAVE_CODE(PCI_IRQ):
    case HVM_SAVE_CODE(ISA_IRQ):
    case HVM_SAVE_CODE(PCI_LINK): {
        /* Xen loads these wire states for every HVM guest; a PVH domain has no wires. */
        uint32_t want = dsc->typecode == HVM_SAVE_CODE(PCI_IRQ)   ? HVM_SAVE_LENGTH(PCI_IRQ)
                        : dsc->typecode == HVM_SAVE_CODE(ISA_IRQ) ? HVM_SAVE_LENGTH(ISA_IRQ)
                                                                  : HVM_SAVE_LENGTH(PCI_LINK);
        if (!p || dsc->length != want)
            return load_failed(r, dsc, -XEN_EINVAL, "wrong record length");
        return 0;
    }
    case HVM_SAVE_CODE(PIC):
    case HVM_SAVE_CODE(IOAPIC):
    case HVM_SAVE_CODE(PIT):
    case HVM_SAVE_CODE(RTC):
    case HVM_SAVE_CODE(HPET):
    case HVM_SAVE_CODE(PMTIMER):
        /* Emulated devices a PVH domain does not have: Xen refuses them the same way. */
        return load_failed(r, dsc, -XEN_ENODEV, "device not emulated for this domain");
    case HVM_SAVE_CODE(HEADER):
        return load_failed(r, dsc, -XEN_EINVAL, "second HEADER");
    default:
        if (dsc->typecode <= HVM_SAVE_CODE_MAX) /* LAPIC, XSAVE, VIRIDIAN, VMCE, TSC_ADJUST, MSR */
            return load_failed(r, dsc, -XEN_EOPNOTSUPP, "record type not supported");
        return load_failed(r, dsc, -XEN_EINVAL, "unknown typecode");
    }
}

/* HEADER: must come first with exactly its size (else -ENODATA, as Xen). */
static int load_header(struct reader *r)
{
    struct hvm_save_descriptor dsc;
    struct hvm_save_header hdr;

    if (r->size < DESC)
        return -XEN_ENODATA;
    memcpy(&dsc, r->buf, DESC);
    if (dsc.typecode != HVM_SAVE_CODE(HEADER) || dsc.length != sizeof(hdr) ||
        r->size - DESC < sizeof(hdr))
        return load_failed(r, &dsc, -XEN_ENODATA, "stream does not start with a HEADER");
    memcpy(&hdr, r->buf + DESC, sizeof(hdr));
    if (hdr.magic != HVM_FILE_MAGIC)
        return load_failed(r, &dsc, -XEN_EINVAL, "bad magic");
    if (hdr.version != HVM_FILE_VERSION)
        return load_failed(r, &dsc, -XEN_EINVAL, "unsupported version");
    if (r->apply && hdr.gtsc_khz)
        r->d->ctl.gtsc_khz = hdr.gtsc_khz; /* remembered, as XEN_DOMCTL_settscinfo */
    r->cur = DESC + sizeof(hdr);
    return 0;
}

/* One pass over the stream; with r->apply false nothing is changed. */
static int load_pass(struct reader *r)
{
    int rc = load_header(r);

    if (rc)
        return rc;
    /* Like Xen: every vCPU goes down, and only those with a CPU record come back up. */
    for (unsigned int i = 0; r->apply && i < r->d->max_vcpus; i++)
        if (r->d->vcpus[i])
            arch_hvm_vcpu_down(r->d->vcpus[i]);
    for (;;) {
        struct hvm_save_descriptor dsc;

        if (r->size - r->cur < DESC) {
            pr_warn("d%u: HVM restore: stream does not end with an END record\n", r->d->domain_id);
            return -XEN_ENODATA;
        }
        memcpy(&dsc, r->buf + r->cur, DESC);
        if (dsc.typecode == HVM_SAVE_CODE(END))
            return 0; /* anything after END is ignored */
        rc = load_record(r, &dsc,
                         dsc.length <= r->size - r->cur - DESC ? r->buf + r->cur + DESC : NULL);
        if (rc)
            return rc;
        r->cur += DESC + dsc.length;
    }
}

int hvm_load(struct domain *d, const uint8_t *buf, size_t size)
{
    struct reader r = {.d = d, .buf = buf, .size = size, .cur = 0, .apply = false};
    int rc;

    if (d->is_dying)
        return -XEN_EINVAL;
    rc = load_pass(&r);
    if (rc)
        return rc;
    r.cur = 0;
    r.apply = true;
    return load_pass(&r);
}
