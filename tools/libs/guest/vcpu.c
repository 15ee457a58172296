/* xguest: vCPU 0's boot state as an HVM context stream {HEADER, CPU 0, END} (PVH entry state). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest/guest_priv.h"
#include "guest/hvm_save.h"

#define CR0_PE   0x01
#define CR0_ET   0x10
#define DR6_INIT 0xffff0ff0
#define DR7_INIT 0x400

/* Find the record (code, instance) in the stream [buf, buf + len); its data or NULL. */
static const void *find_record(const uint8_t *buf, size_t len, uint16_t code, uint16_t instance,
                               uint32_t *rlen)
{
    size_t off = 0;

    while (len - off >= sizeof(struct xg_hvm_desc)) {
        struct xg_hvm_desc d;

        memcpy(&d, buf + off, sizeof(d));
        off += sizeof(d);
        if (d.length > len - off)
            return NULL; /* truncated stream */
        if (d.typecode == code && d.instance == instance) {
            *rlen = d.length;
            return buf + off;
        }
        if (d.typecode == XG_HVM_CODE_END)
            return NULL;
        off += d.length;
    }
    return NULL;
}

/* The PVH entry state (dom0-toolstack.md §1.1): flat 32-bit protected mode, paging off. */
static void pvh_entry_state(struct xg_hvm_cpu *c, uint64_t entry, uint64_t start_info)
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

static uint8_t *put_record(uint8_t *p, uint16_t code, const void *data, uint32_t len)
{
    struct xg_hvm_desc d = {.typecode = code, .instance = 0, .length = len};

    memcpy(p, &d, sizeof(d));
    if (len)
        memcpy(p + sizeof(d), data, len);
    return p + sizeof(d) + len;
}

/* Load vCPU 0's entry state; 0 or -1 with errno and err set. */
int xguest_set_boot_vcpu(const struct xguest_backend *b, uint64_t entry, uint64_t start_info,
                         char *err, size_t errlen)
{
    uint8_t out[3 * sizeof(struct xg_hvm_desc) + sizeof(struct xg_hvm_header) +
                sizeof(struct xg_hvm_cpu)];
    struct xg_hvm_header hdr;
    struct xg_hvm_cpu cpu;
    const void *h;
    uint8_t *ctx, *p;
    uint32_t hlen = 0;
    long size, got;

    /* The hypervisor's own header (magic, CPUID, TSC rate) is kept; the CPU record is ours. */
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
    h = find_record(ctx, (size_t)got, XG_HVM_CODE_HEADER, 0, &hlen);
    if (!h || hlen != sizeof(hdr)) {
        free(ctx);
        return xguest_fail(err, errlen, EPROTO, "vcpu: the hypervisor's context has no %s",
                           h ? "valid HEADER record" : "HEADER record");
    }
    memcpy(&hdr, h, sizeof(hdr));
    free(ctx);
    if (hdr.magic != XG_HVM_FILE_MAGIC)
        return xguest_fail(err, errlen, EPROTO, "vcpu: bad context header magic 0x%x", hdr.magic);

    pvh_entry_state(&cpu, entry, start_info);
    p = put_record(out, XG_HVM_CODE_HEADER, &hdr, sizeof(hdr));
    p = put_record(p, XG_HVM_CODE_CPU, &cpu, sizeof(cpu));
    p = put_record(p, XG_HVM_CODE_END, NULL, 0);
    if (b->hvmcontext_set(b->ctx, out, (size_t)(p - out)))
        return xguest_fail(err, errlen, errno, "vcpu: sethvmcontext: %s", strerror(errno));
    return 0;
}
