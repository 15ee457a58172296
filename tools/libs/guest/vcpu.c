/* xguest: boot vCPU state as HVM context streams: {HEADER, CPU 0, END} with the PVH entry state,
 * and, like libxl, {HEADER, MTRR i, END} with write-back as the default type for each vCPU. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <public/hvm/save.h>

#include "guest/guest_priv.h"

#define CR0_PE          0x01
#define CR0_ET          0x10
#define DR6_INIT        0xffff0ff0
#define DR7_INIT        0x400
#define MTRR_TYPE_WB    6
#define MTRR_DEF_ENABLE (1u << 11)

_Static_assert(sizeof(struct hvm_save_descriptor) == HVM_SAVE_DESCRIPTOR_SIZE, "descriptor");
_Static_assert(sizeof(struct hvm_hw_cpu) == HVM_SAVE_LENGTH_CPU, "CPU record");
_Static_assert(sizeof(struct hvm_hw_mtrr) == HVM_SAVE_LENGTH_MTRR, "MTRR record");

/* The record (code, instance) in the stream [buf, buf + len) if its length is want; or NULL. */
static const void *find_record(const uint8_t *buf, size_t len, uint16_t code, uint16_t instance,
                               uint32_t want)
{
    size_t off = 0;

    while (len - off >= sizeof(struct hvm_save_descriptor)) {
        struct hvm_save_descriptor d;

        memcpy(&d, buf + off, sizeof(d));
        off += sizeof(d);
        if (d.length > len - off)
            return NULL; /* truncated stream */
        if (d.typecode == code && d.instance == instance)
            return d.length == want ? buf + off : NULL;
        if (d.typecode == HVM_SAVE_CODE_END)
            return NULL;
        off += d.length;
    }
    return NULL;
}

/* The PVH entry state (dom0-toolstack.md §1.1): flat 32-bit protected mode, paging off. */
static void pvh_entry_state(struct hvm_hw_cpu *c, uint64_t entry, uint64_t start_info)
{
    memset(c, 0, sizeof(*c));
    c->rip = entry;
    c->rbx = start_info;
    c->rflags = 0x2; /* the always-one bit */
    c->cr0 = CR0_PE | CR0_ET;
    c->dr6 = DR6_INIT;
    c->dr7 = DR7_INIT;
    c->cs_limit = c->ds_limit = c->es_limit = c->ss_limit = 0xffffffff;
    c->cs_arbytes = 0xc9b;
    c->ds_arbytes = c->es_arbytes = c->ss_arbytes = 0xc93;
    c->tr_arbytes = 0x8b;
    c->tr_limit = 0x67;
}

/* {HEADER, (code, instance) with len bytes of data, END} through sethvmcontext. */
static int set_one(const struct xguest_backend *b, const struct hvm_save_header *hdr, uint16_t code,
                   uint16_t instance, const void *data, uint32_t len)
{
    struct hvm_save_descriptor d[3] = {
        {HVM_SAVE_CODE_HEADER, 0, sizeof(*hdr)}, {code, instance, len}, {HVM_SAVE_CODE_END, 0, 0}};
    uint8_t out[3 * sizeof(d[0]) + sizeof(*hdr) + sizeof(struct hvm_hw_cpu)];
    uint8_t *p = out;

    memcpy(p, &d[0], sizeof(d[0]));
    memcpy(p += sizeof(d[0]), hdr, sizeof(*hdr));
    memcpy(p += sizeof(*hdr), &d[1], sizeof(d[1]));
    memcpy(p += sizeof(d[1]), data, len);
    memcpy(p += len, &d[2], sizeof(d[2]));
    p += sizeof(d[2]);
    return b->hvmcontext_set(b->ctx, out, (size_t)(p - out));
}

int xguest_set_boot_vcpu(const struct xguest_backend *b, unsigned int nr_vcpus, uint64_t entry,
                         uint64_t start_info, char *err, size_t errlen)
{
    struct hvm_save_header hdr;
    struct hvm_hw_cpu cpu;
    const void *h;
    uint8_t *ctx;
    long size, got;
    int rc = 0;

    /* The hypervisor's own header (magic, CPUID, TSC rate) and MTRR records are the base. */
    size = b->hvmcontext_get(b->ctx, NULL, 0);
    if (size < 0)
        return xguest_fail(err, errlen, errno, "vcpu: gethvmcontext (size): %s", strerror(errno));
    ctx = malloc(size ? (size_t)size : 1);
    if (!ctx)
        return xguest_fail(err, errlen, ENOMEM, "vcpu: no memory for %ld context bytes", size);
    got = b->hvmcontext_get(b->ctx, ctx, (size_t)size);
    if (got < 0) {
        int e = errno;
        free(ctx);
        return xguest_fail(err, errlen, e, "vcpu: gethvmcontext: %s", strerror(e));
    }
    h = find_record(ctx, (size_t)got, HVM_SAVE_CODE_HEADER, 0, sizeof(hdr));
    if (!h) {
        free(ctx);
        return xguest_fail(err, errlen, EPROTO, "vcpu: the hypervisor's context has no HEADER");
    }
    memcpy(&hdr, h, sizeof(hdr));
    if (hdr.magic != HVM_FILE_MAGIC) {
        free(ctx);
        return xguest_fail(err, errlen, EPROTO, "vcpu: bad context header magic 0x%x", hdr.magic);
    }

    /* MTRRs first (libxl's order): default type write-back, enabled, on every vCPU. */
    for (unsigned int i = 0; i < nr_vcpus && !rc; i++) {
        const void *m = find_record(ctx, (size_t)got, HVM_SAVE_CODE_MTRR, (uint16_t)i,
                                    sizeof(struct hvm_hw_mtrr));
        struct hvm_hw_mtrr mtrr;

        if (!m)
            continue; /* a hypervisor without MTRR state: nothing to adjust */
        memcpy(&mtrr, m, sizeof(mtrr));
        mtrr.msr_mtrr_def_type = MTRR_TYPE_WB | MTRR_DEF_ENABLE;
        if (set_one(b, &hdr, HVM_SAVE_CODE_MTRR, (uint16_t)i, &mtrr, sizeof(mtrr)))
            rc = xguest_fail(err, errlen, errno, "vcpu: sethvmcontext (MTRR %u): %s", i,
                             strerror(errno));
    }
    free(ctx);
    if (rc)
        return rc;
    pvh_entry_state(&cpu, entry, start_info);
    if (set_one(b, &hdr, HVM_SAVE_CODE_CPU, 0, &cpu, sizeof(cpu)))
        return xguest_fail(err, errlen, errno, "vcpu: sethvmcontext (CPU 0): %s", strerror(errno));
    return 0;
}
