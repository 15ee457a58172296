/* xguest: the PVH domain builder (dom0-toolstack.md §3.2 step 6) over a memory backend. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <hv/pvh_build.h>
#include <public/grant_table.h>
#include <public/hvm/params.h>

#include "guest/guest_priv.h"
#include "guest/mem.h"

static const uint8_t zero_page[PAGE_SIZE];

struct build {
    const struct xguest_backend *b;
    uint32_t domid;
    const struct xguest_params *p;
    char *err;
    size_t errlen;
    struct xguest_kernel k;
    void *rd;
    size_t rd_len;
    struct pvh_build_params bp;
    struct pvh_layout l;
};

static int check_params(const struct xguest_params *p, char *err, size_t errlen)
{
    if (!p->kernel || !*p->kernel)
        return xguest_fail(err, errlen, EINVAL, "no kernel given");
    if (!p->mem_kb || p->mem_kb % 4 || p->mem_kb > PVH_MAX_MEM / 1024)
        return xguest_fail(err, errlen, EINVAL,
                           "memory: %llu KiB is not a page multiple between 4 KiB and %llu GiB",
                           (unsigned long long)p->mem_kb, (unsigned long long)(PVH_MAX_MEM >> 30));
    if (p->maxmem_kb < p->mem_kb)
        return xguest_fail(err, errlen, EINVAL, "memory: maxmem %llu KiB below memory %llu KiB",
                           (unsigned long long)p->maxmem_kb, (unsigned long long)p->mem_kb);
    if (!p->vcpus || p->vcpus > p->max_vcpus || p->max_vcpus > PVH_MAX_VCPUS)
        return xguest_fail(err, errlen, EINVAL, "vcpus: %u online of %u is not within 1..%u",
                           p->vcpus, p->max_vcpus, PVH_MAX_VCPUS);
    return 0;
}

/* Kernel, ramdisk and the layout: everything before the domain is touched. */
static int prepare(struct build *s)
{
    const struct xguest_params *p = s->p;
    struct build_err be = {0};
    struct elf_image elf;

    if (xguest_kernel_load(p->kernel, &s->k, s->err, s->errlen))
        return -1;
    if (elf_parse(s->k.elf, s->k.len, &elf, &be) || elf_check_pvh(&elf, &be))
        return xguest_fail(s->err, s->errlen, -be.code, "kernel %s: %s", p->kernel, be.msg);
    xguest_trace("kernel");
    if (p->ramdisk &&
        xguest_map_module("ramdisk", p->ramdisk, &s->rd, &s->rd_len, s->err, s->errlen))
        return -1;
    s->bp = (struct pvh_build_params){
        .kernel = s->k.elf,
        .kernel_len = s->k.len,
        .cmdline = p->cmdline,
        .initrd = s->rd,
        .initrd_len = s->rd_len,
        .mem_bytes = p->mem_kb * 1024,
        .nr_vcpus = p->max_vcpus, /* every possible vCPU in the MADT; the rest start offline */
        .start_info_flags = 0,
        .console_gfn = PVH_GFN_DEFAULT,
        .xenstore_gfn = PVH_GFN_DEFAULT,
    };
    if (pvh_build_layout(&s->bp, &s->l, &be))
        return xguest_fail(s->err, s->errlen, -be.code, "layout: %s", be.msg);
    xguest_trace("layout");
    return 0;
}

/* Kernel, start info, initrd and ACPI into guest memory; the special pages cleared. */
static int load(struct build *s)
{
    struct xguest_mem m = {
        .b = s->b, .l = &s->l, .img = s->k.elf, .img_len = s->k.len, .img_zero = s->k.zero_map};
    struct pvh_build_ops ops = {.write = xguest_mem_write, .ctx = &m};
    struct build_err be = {0};
    int rc = pvh_build_load(&s->bp, &s->l, &ops, &be);

    if (!rc)
        rc = xguest_mem_write(&m, s->l.xenstore_gfn << PAGE_SHIFT, zero_page, PAGE_SIZE);
    if (!rc)
        rc = xguest_mem_write(&m, s->l.console_gfn << PAGE_SHIFT, zero_page, PAGE_SIZE);
    xguest_mem_close(&m);
    xguest_tracef("load: %llu pages written in %llu batches, %llu zero pages skipped",
                  (unsigned long long)m.pages_written, (unsigned long long)m.batches,
                  (unsigned long long)m.pages_skipped);
    if (rc && m.error)
        return xguest_fail(s->err, s->errlen, m.error, "memory: writing guest frame 0x%llx: %s",
                           (unsigned long long)m.error_gfn, strerror(m.error));
    if (rc)
        return xguest_fail(s->err, s->errlen, -rc, "load: %s", be.msg);
    return 0;
}

static int set_params(struct build *s)
{
    const struct {
        uint32_t index;
        uint64_t value;
        const char *name;
    } v[] = {
        {HVM_PARAM_STORE_PFN, s->l.xenstore_gfn, "STORE_PFN"},
        {HVM_PARAM_CONSOLE_PFN, s->l.console_gfn, "CONSOLE_PFN"},
        {HVM_PARAM_STORE_EVTCHN, s->p->store_port, "STORE_EVTCHN"},
        {HVM_PARAM_CONSOLE_EVTCHN, s->p->console_port, "CONSOLE_EVTCHN"},
    };

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        if (s->b->set_param(s->b->ctx, v[i].index, v[i].value))
            return xguest_fail(s->err, s->errlen, errno, "hvm param %s: %s", v[i].name,
                               strerror(errno));
    return 0;
}

static void grant(struct grant_entry_v1 *g, uint32_t domid, uint64_t gfn)
{
    g->domid = (domid_t)domid;
    g->frame = (uint32_t)gfn;
    /* The entry becomes valid only once domid and frame are in place. */
    atomic_thread_fence(memory_order_release);
    g->flags = GTF_permit_access;
}

/* Grant entries 0 (console ring) and 1 (xenstore ring) for the backends, as libxl seeds them. */
static int seed_grants(struct build *s)
{
    struct grant_entry_v1 *g = s->b->map_grant_table(s->b->ctx);

    if (!g)
        return xguest_fail(s->err, s->errlen, errno, "grant table: mapping frame 0: %s",
                           strerror(errno));
    if (s->p->console_domid != s->domid)
        grant(&g[GNTTAB_RESERVED_CONSOLE], s->p->console_domid, s->l.console_gfn);
    if (s->p->store_domid != s->domid)
        grant(&g[GNTTAB_RESERVED_XENSTORE], s->p->store_domid, s->l.xenstore_gfn);
    s->b->unmap_grant_table(s->b->ctx, g);
    return 0;
}

static void release(struct build *s)
{
    xguest_kernel_free(&s->k);
    if (s->rd)
        munmap(s->rd, s->rd_len);
}

int xguest_build_backend(const struct xguest_backend *b, uint32_t domid,
                         const struct xguest_params *p, struct xguest_result *r, char *err,
                         size_t errlen)
{
    struct build *s;
    int rc, e;

    if (err && errlen)
        err[0] = '\0';
    xguest_trace_start();
    if (check_params(p, err, errlen))
        return -1;
    s = calloc(1, sizeof(*s));
    if (!s)
        return xguest_fail(err, errlen, ENOMEM, "out of memory");
    *s = (struct build){.b = b, .domid = domid, .p = p, .err = err, .errlen = errlen};
    rc = prepare(s);
    if (!rc) {
        rc = xguest_populate(b, domid, &s->l, err, errlen);
        xguest_trace("populate");
    }
    if (!rc) {
        rc = load(s);
        xguest_trace("load");
    }
    if (!rc && b->set_memory_map(b->ctx, s->l.e820, s->l.nr_e820))
        rc = xguest_fail(err, errlen, errno, "memory map: %s", strerror(errno));
    if (!rc)
        rc = set_params(s);
    if (!rc)
        rc = seed_grants(s);
    if (!rc)
        rc = xguest_set_boot_vcpu(b, p->max_vcpus, s->l.entry, s->l.start_info_gpa, err, errlen);
    if (!rc) {
        *r = (struct xguest_result){
            .store_gfn = s->l.xenstore_gfn,
            .console_gfn = s->l.console_gfn,
            .entry = s->l.entry,
            .start_info_paddr = s->l.start_info_gpa,
        };
        xguest_trace("finish");
    }
    e = errno;
    release(s);
    free(s);
    errno = e;
    return rc;
}
