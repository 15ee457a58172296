/* Build dom0 from the boot modules: PVH layout, p2m population, loading, the BSP's start state. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/sched.h>
#include <hv/cmdline.h>
#include <hv/pvh_build.h>
#include <hv/guest_access.h>
#include <hv/bzimage.h>
#include <hv/time.h>
#include <public/errno.h>
#include <public/hvm/params.h>
#include <public/sched.h>
#include <public/hvm/start_info.h>
#include <public/vcpu.h>
#include <asm/bootinfo.h>
#include <asm/hvm.h>
#include <asm/p2m.h>
#include <asm/smp.h>

int arch_vcpu_create(struct vcpu *v);

static int write_guest(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    return copy_to_guest_phys((struct domain *)ctx, gpa, src, len);
}

/*
 * Split a module string into a name for messages and the arguments, as Xen does: QEMU puts the
 * file name first ("vmlinux console=hvc0"); GRUB 2 passes only the arguments.
 */
static const char *module_args(const struct boot_info *bi, const struct boot_module *m,
                               unsigned int idx, char *name, size_t name_len)
{
    const char *s = m->cmdline;
    size_t n = 0;
    while (*s == ' ')
        s++;
    if (loader_is_grub2(bi)) {
        hv_snprintf(name, name_len, "module %u", idx + 1);
        return s;
    }
    while (*s && *s != ' ' && n + 1 < name_len)
        name[n++] = *s++;
    name[n] = '\0';
    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    return s;
}

/*
 * If the kernel module is compressed (a bzImage such as Debian's vmlinuz, or a gzip/XZ file),
 * decompress it into pages from the allocator and point p->kernel at the ELF inside. *buf and
 * *order receive the block to free after loading (NULL if none). 0 or a negative XEN_E* code.
 */
static int dom0_kernel_unpack(const char *kname, struct pvh_build_params *p, void **buf,
                              unsigned int *order, struct build_err *err)
{
    struct kernel_image_info info;
    uint64_t pages, t0, ns;
    int rc;

    *buf = NULL;
    rc = kernel_image_probe(p->kernel, p->kernel_len, &info, err);
    if (rc || info.kind == KERNEL_ELF)
        return rc;
    pages = (info.uncompressed_size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    for (*order = 0; (1ULL << *order) < pages; (*order)++)
        ;
    *buf = alloc_pages(*order);
    if (!*buf)
        return build_err_set(err, -XEN_ENOMEM,
                             "no %lu MiB of contiguous memory to decompress the %s kernel",
                             (unsigned long)((PAGE_SIZE << *order) >> 20), info.format);
    t0 = now_ns();
    rc = kernel_image_decompress(p->kernel, p->kernel_len, *buf, PAGE_SIZE << *order, err);
    ns = now_ns() - t0;
    if (rc) {
        free_pages(*buf, *order);
        *buf = NULL;
        return rc;
    }
    pr_info("dom0 kernel '%s': %s, %llu -> %llu bytes, decompressed in %llu.%03llu s "
            "(%llu.%llu ns/byte)\n",
            kname, info.format, (unsigned long long)info.payload_len,
            (unsigned long long)info.uncompressed_size, (unsigned long long)(ns / 1000000000),
            (unsigned long long)(ns / 1000000 % 1000),
            (unsigned long long)(ns / info.uncompressed_size),
            (unsigned long long)(ns * 10 / info.uncompressed_size % 10));
    p->kernel = *buf;
    p->kernel_len = (size_t)info.uncompressed_size;
    return 0;
}

static unsigned int dom0_vcpus(unsigned int nr_pcpus)
{
    unsigned int n = boot_opts.dom0_max_vcpus_max;
    if (n == UINT32_MAX)
        n = nr_pcpus; /* default: one vCPU per physical CPU, like Xen */
    if (n < boot_opts.dom0_max_vcpus_min)
        n = boot_opts.dom0_max_vcpus_min;
    return MAX(1u, MIN(n, (unsigned int)MAX_VCPUS));
}

/* Construct dom0 from boot modules; 0, or a negative error after printing why. */
int construct_dom0(const struct boot_info *bi)
{
    static struct pvh_layout layout;
    struct pvh_build_params p;
    struct build_err err = {0};
    struct pvh_build_ops ops;
    char kname[64], iname[64];
    const struct boot_module *km, *im = NULL;
    struct domain *d;
    uint64_t mem;
    void *kbuf = NULL;
    unsigned int korder = 0;
    int rc;

    if (bi->nr_modules < 1) {
        pr_err("no dom0 kernel module: pass the dom0 kernel as the first boot module\n");
        return -XEN_EINVAL;
    }
    km = &bi->modules[0];
    memset(&p, 0, sizeof(p));
    p.cmdline = module_args(bi, km, 0, kname, sizeof(kname));
    p.kernel = (const void *)(uintptr_t)km->start;
    p.kernel_len = km->size;
    if (bi->nr_modules > 1) {
        im = &bi->modules[1];
        module_args(bi, im, 1, iname, sizeof(iname));
        p.initrd = (const void *)(uintptr_t)im->start;
        p.initrd_len = im->size;
    }
    pr_info("dom0 kernel image '%s': %llu bytes at %#llx, command line \"%s\"\n", kname,
            (unsigned long long)km->size, (unsigned long long)km->start, p.cmdline);
    if (im)
        pr_info("dom0 initrd module '%s': %llu bytes\n", iname, (unsigned long long)im->size);

    /* A compressed kernel is unpacked first: its buffer lives until the ELF is loaded. */
    rc = dom0_kernel_unpack(kname, &p, &kbuf, &korder, &err);
    if (rc) {
        pr_err("dom0 kernel module '%s': %s\n", kname, err.msg);
        return rc;
    }

    /* Leave room for the hypervisor's own needs (page tables, ACPI pages, heap). */
    mem = page_alloc_free_pages() * PAGE_SIZE;
    mem = dom0_mem_bytes(mem > (32ULL << 20) ? mem - (16ULL << 20) : mem / 2);
    mem = ROUNDDOWN(mem, PAGE_SIZE);
    p.mem_bytes = mem;
    p.nr_vcpus = dom0_vcpus(nr_cpus);
    p.start_info_flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    p.console_gfn = PVH_GFN_NONE;
    p.xenstore_gfn = PVH_GFN_NONE;

    rc = pvh_build_layout(&p, &layout, &err);
    if (rc) {
        pr_err("dom0 kernel module '%s': %s\n", kname, err.msg);
        goto out;
    }
    if ((layout.ram_pages + layout.extra_pages) > page_alloc_free_pages()) {
        pr_err("dom0_mem=%lluM: not enough free memory (%llu MiB free)\n",
               (unsigned long long)(mem >> 20), (unsigned long long)(page_alloc_free_pages() >> 8));
        rc = -XEN_ENOMEM;
        goto out;
    }

    d = domain_alloc(0, p.nr_vcpus);
    if (!d || p2m_init(d)) {
        pr_err("dom0: out of memory creating the domain\n");
        rc = -XEN_ENOMEM;
        goto out;
    }
    d->is_privileged = true;
    /* A triple fault in the hardware domain is reported as a crash (register dump, machine
     * stops) rather than Xen's reboot: there is nothing to reboot it into. */
    d->hvm_param[HVM_PARAM_TRIPLE_FAULT_REASON] = SHUTDOWN_crash;
    d->max_pages = layout.ram_pages;
    for (unsigned int i = 0; i < layout.nr_regions; i++) {
        const struct pvh_region *r = &layout.regions[i];
        /*
         * Zeroing 512 MiB costs about a second under emulation. Boot-time memory has held no
         * other domain's data and dom0 may map any memory anyway, so its RAM above 1 MiB is
         * handed over as is (what the builder loads, and the kernel's bss, are written in
         * full). Low memory (BIOS data area reads), ACPI and special pages are zeroed.
         * domUs always get zeroed pages. bootscrub=on zeroes everything, like Xen.
         */
        bool zero = boot_opts.bootscrub || r->kind != PVH_REGION_RAM || r->gpa < 0x100000;
        pr_debug("dom0: region %#llx+%#llx kind %d%s\n", (unsigned long long)r->gpa,
                 (unsigned long long)r->size, r->kind, zero ? " (zeroed)" : "");
        rc = p2m_populate_ram(d, r->gpa >> PAGE_SHIFT, r->size >> PAGE_SHIFT, zero);
        if (rc) {
            pr_err("dom0: out of memory populating %#llx+%#llx\n", (unsigned long long)r->gpa,
                   (unsigned long long)r->size);
            goto out;
        }
    }
    pr_debug("dom0: %llu pages populated\n", (unsigned long long)d->tot_pages);
    ops.write = write_guest;
    ops.ctx = d;
    rc = pvh_build_load(&p, &layout, &ops, &err);
    if (kbuf) {
        free_pages(kbuf, korder);
        kbuf = NULL;
    }
    if (rc) {
        pr_err("dom0 kernel module '%s': %s\n", kname, err.msg);
        return rc;
    }
    d->nr_e820 = MIN(layout.nr_e820, (unsigned int)ARRAY_SIZE(d->e820));
    memcpy(d->e820, layout.e820, d->nr_e820 * sizeof(d->e820[0]));

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        rc = arch_vcpu_create(d->vcpus[i]);
        if (rc) {
            pr_err("dom0: cannot create vCPU %u\n", i);
            return rc;
        }
        sched_add_vcpu(d->vcpus[i], i % nr_cpus);
    }
    hvm_ops->vcpu_set_pvh_start(d->vcpus[0], (uint32_t)layout.entry,
                                (uint32_t)layout.start_info_gpa);
    d->vcpus[0]->online = true;
    hvm_of(d->vcpus[0])->initialised = true;
    d->vcpus[0]->runstate = RUNSTATE_running;
    pr_info("dom0: PVH, %u vCPU(s), %llu MiB RAM (%llu pages), entry %#llx, start info %#llx\n",
            d->max_vcpus, (unsigned long long)(mem >> 20), (unsigned long long)d->tot_pages,
            (unsigned long long)layout.entry, (unsigned long long)layout.start_info_gpa);
    return 0;

out:
    if (kbuf)
        free_pages(kbuf, korder);
    return rc;
}
