/* HVM save streams for test guests acting as the toolstack: records, contexts, a vCPU 0 start. */
#include "toolstack.h"

static uint8_t cur[8192] __attribute__((aligned(8)));
static uint8_t next[8192] __attribute__((aligned(8)));

/* gethvmcontext of dom into buf (NULL, 0: the size query); the size in *size; 0 or -errno. */
long ts_get_context(domid_t dom, void *buf, uint32_t len, uint32_t *size)
{
    struct xen_domctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.hvmcontext.size = len;
    op.u.hvmcontext.buffer = HC_PTR(buf);
    rc = ts_domctl(&op, XEN_DOMCTL_gethvmcontext, dom);
    *size = op.u.hvmcontext.size;
    return rc;
}

/* sethvmcontext of dom from the len-byte stream buf; 0 or -errno. */
long ts_set_context(domid_t dom, const void *buf, uint32_t len)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.hvmcontext.size = len;
    op.u.hvmcontext.buffer = HC_PTR(buf);
    return ts_domctl(&op, XEN_DOMCTL_sethvmcontext, dom);
}

/* Write record (type, inst) with len bytes of p at s + at; the offset after it. */
uint32_t ts_put_record(uint8_t *s, uint32_t at, uint16_t type, uint16_t inst, const void *p,
                       uint32_t len)
{
    struct hvm_save_descriptor d = {.typecode = type, .instance = inst, .length = len};

    memcpy(s + at, &d, sizeof(d));
    if (len)
        memcpy(s + at + sizeof(d), p, len);
    return at + (uint32_t)sizeof(d) + len;
}

/* The payload of record (type, inst) in a stream of len bytes, or NULL. */
const void *ts_find_record(const uint8_t *s, uint32_t len, uint16_t type, uint16_t inst)
{
    uint32_t at = 0;

    while (len - at >= sizeof(struct hvm_save_descriptor)) {
        struct hvm_save_descriptor d;

        memcpy(&d, s + at, sizeof(d));
        if (d.length > len - at - sizeof(d))
            return NULL;
        if (d.typecode == type && d.instance == inst)
            return s + at + sizeof(d);
        if (d.typecode == HVM_SAVE_CODE(END))
            return NULL;
        at += (uint32_t)sizeof(d) + d.length;
    }
    return NULL;
}

/* The PVH entry state libxenguest's vcpu_hvm() loads into vCPU 0, running at entry. */
void ts_pvh_entry(struct hvm_hw_cpu *c, uint64_t entry)
{
    memset(c, 0, sizeof(*c));
    c->cs_limit = c->ds_limit = c->es_limit = c->ss_limit = ~0u;
    c->tr_limit = 0x67;
    c->cs_arbytes = 0xc9b; /* 32-bit code, present, DPL 0 */
    c->ds_arbytes = c->es_arbytes = c->ss_arbytes = 0xc93;
    c->tr_arbytes = 0x8b;
    c->cr0 = 0x11; /* PE | ET */
    c->rip = entry;
    c->dr6 = 0xffff0ff0;
    c->dr7 = 0x400;
}

/* Load {HEADER from dom's own context, CPU 0 = c, END}; sethvmcontext's rc. */
long ts_load_bsp(domid_t dom, const struct hvm_hw_cpu *c)
{
    uint32_t size = 0, at;
    const void *hdr;

    if (ts_get_context(dom, NULL, 0, &size) || size > sizeof(cur) ||
        ts_get_context(dom, cur, sizeof(cur), &size))
        xtf_failure("d%u: gethvmcontext failed", dom);
    hdr = ts_find_record(cur, size, HVM_SAVE_CODE(HEADER), 0);
    if (!hdr)
        xtf_failure("d%u: the context has no HEADER", dom);
    at = ts_put_record(next, 0, HVM_SAVE_CODE(HEADER), 0, hdr, HVM_SAVE_LENGTH(HEADER));
    at = ts_put_record(next, at, HVM_SAVE_CODE(CPU), 0, c, sizeof(*c));
    at = ts_put_record(next, at, HVM_SAVE_CODE(END), 0, NULL, 0);
    return ts_set_context(dom, next, at);
}
