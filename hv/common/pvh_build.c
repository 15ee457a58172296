/* PVH domain builder: lays out guest-physical memory and writes kernel, initrd, start info and
 * ACPI. */
#include <hv/lib.h>
#include <hv/pvh_build.h>
#include <public/errno.h>
#include <public/hvm/start_info.h>

BUILD_BUG_ON(sizeof(struct hvm_start_info) != 56);
BUILD_BUG_ON(sizeof(struct hvm_modlist_entry) != 32);
BUILD_BUG_ON(sizeof(struct hvm_memmap_table_entry) != 24);

/* Offsets inside the boot-info block (start_info first, so EBX = the block's address). */
#define BI_START_INFO 0
#define BI_MODLIST    64
#define BI_MEMMAP     128
#define BI_ALIGN      16

/* Largest ACPI table set pvh_build_load writes from its stack buffer (PVH_MAX_VCPUS vCPUs). */
#define PVH_ACPI_BUF_SIZE 1024

#define MIB(x) ((unsigned long)((x) >> 20))

static const uint8_t zero_page[PAGE_SIZE];

static uint32_t e820_type(enum pvh_region_kind k)
{
    switch (k) {
    case PVH_REGION_RAM:
        return E820_RAM;
    case PVH_REGION_ACPI:
        return E820_ACPI;
    default:
        return E820_RESERVED;
    }
}

static bool kind_counted(enum pvh_region_kind k)
{
    return k == PVH_REGION_RAM || k == PVH_REGION_LOW_RESERVED;
}

static void add_region(struct pvh_layout *l, uint64_t gpa, uint64_t size, enum pvh_region_kind k)
{
    l->regions[l->nr_regions++] = (struct pvh_region){.gpa = gpa, .size = size, .kind = k};
}

/* True when [a, a + as) and [b, b + bs) share a byte. */
static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/* True when [gpa, gpa + size) lies inside one E820 RAM region of l. */
static bool in_ram(const struct pvh_layout *l, uint64_t gpa, uint64_t size)
{
    for (unsigned int i = 0; i < l->nr_regions; i++) {
        const struct pvh_region *r = &l->regions[i];
        if (r->kind == PVH_REGION_RAM && gpa >= r->gpa && gpa - r->gpa <= r->size &&
            size <= r->size - (gpa - r->gpa))
            return true;
    }
    return false;
}

/* Resolve and validate one special page choice; *gfn gets PVH_GFN_NONE or the page's GFN. */
static int place_special(struct pvh_layout *l, uint64_t want, uint64_t dflt, const char *what,
                         enum pvh_region_kind kind, uint64_t *gfn, struct build_err *err)
{
    uint64_t g = want == PVH_GFN_DEFAULT ? dflt : want;

    *gfn = PVH_GFN_NONE;
    if (want == PVH_GFN_NONE)
        return 0;
    if (g >= (PVH_MAX_MEM >> PAGE_SHIFT))
        return build_err_set(err, -XEN_EINVAL,
                             "%s page GFN 0x%lx is beyond the guest address space", what,
                             (unsigned long)g);
    if (g == PVH_LAPIC_GFN)
        return build_err_set(err, -XEN_EINVAL, "%s page GFN 0x%lx is the local APIC page", what,
                             (unsigned long)g);
    for (unsigned int i = 0; i < l->nr_regions; i++)
        if (overlaps(g << PAGE_SHIFT, PAGE_SIZE, l->regions[i].gpa, l->regions[i].size))
            return build_err_set(
                err, -XEN_EINVAL,
                "%s page GFN 0x%lx overlaps guest RAM, ACPI or another special page", what,
                (unsigned long)g);
    add_region(l, g << PAGE_SHIFT, PAGE_SIZE, kind);
    *gfn = g;
    return 0;
}

/* Sort regions by address (insertion sort: at most PVH_MAX_REGIONS entries). */
static void sort_regions(struct pvh_layout *l)
{
    for (unsigned int i = 1; i < l->nr_regions; i++) {
        struct pvh_region r = l->regions[i];
        unsigned int j = i;
        while (j > 0 && l->regions[j - 1].gpa > r.gpa) {
            l->regions[j] = l->regions[j - 1];
            j--;
        }
        l->regions[j] = r;
    }
}

static int check_params(const struct pvh_build_params *p, size_t *cmdline_len,
                        struct build_err *err)
{
    if (p->nr_vcpus == 0)
        return build_err_set(err, -XEN_EINVAL, "zero vCPUs: a domain needs at least one");
    if (p->nr_vcpus > PVH_MAX_VCPUS)
        return build_err_set(err, -XEN_EINVAL, "%u vCPUs requested, at most %u supported",
                             p->nr_vcpus, PVH_MAX_VCPUS);
    if (!IS_ALIGNED(p->mem_bytes, PAGE_SIZE))
        return build_err_set(err, -XEN_EINVAL, "memory size 0x%lx is not a multiple of 4 KiB",
                             (unsigned long)p->mem_bytes);
    if (p->mem_bytes <= PVH_LOW_RESERVED_END)
        return build_err_set(err, -XEN_ENOMEM,
                             "memory size 0x%lx is too small: nothing left above 1 MiB",
                             (unsigned long)p->mem_bytes);
    if (p->mem_bytes > PVH_MAX_MEM)
        return build_err_set(err, -XEN_EINVAL, "memory size %lu MiB exceeds the %lu MiB limit",
                             MIB(p->mem_bytes), MIB(PVH_MAX_MEM));
    if (p->initrd_len && !p->initrd)
        return build_err_set(err, -XEN_EINVAL, "initrd length given without initrd data");
    *cmdline_len = p->cmdline ? strnlen(p->cmdline, PVH_CMDLINE_MAX) : 0;
    if (*cmdline_len >= PVH_CMDLINE_MAX)
        return build_err_set(err, -XEN_E2BIG, "command line too long (max %u bytes)",
                             PVH_CMDLINE_MAX - 1);
    return 0;
}

/* Every kernel segment must sit in guest RAM below 4 GiB and no two may overlap. */
static int check_kernel(const struct pvh_build_params *p, struct pvh_layout *l,
                        struct build_err *err)
{
    struct elf_segment s, t;

    for (unsigned int n = 0; elf_get_load(&l->elf, n, &s) == 0; n++) {
        if (s.memsz == 0)
            continue;
        if (!in_ram(l, s.paddr, s.memsz) || s.paddr + s.memsz > PVH_MMIO_HOLE_START) {
            if (s.paddr >= PVH_LOW_RESERVED_END && s.paddr < PVH_MMIO_HOLE_START &&
                s.paddr + s.memsz <= PVH_MMIO_HOLE_START)
                return build_err_set(err, -XEN_ENOMEM,
                                     "memory size 0x%lx (%lu MiB) too small for the kernel: "
                                     "segment %u needs RAM up to 0x%lx, the image spans "
                                     "[0x%lx, 0x%lx)",
                                     (unsigned long)p->mem_bytes, MIB(p->mem_bytes), s.phdr_index,
                                     (unsigned long)(s.paddr + s.memsz),
                                     (unsigned long)l->elf.load_paddr_min,
                                     (unsigned long)l->elf.load_paddr_end);
            return build_err_set(err, -XEN_EINVAL,
                                 "kernel segment %u [0x%lx, 0x%lx) is not in guest RAM below "
                                 "the MMIO hole",
                                 s.phdr_index, (unsigned long)s.paddr,
                                 (unsigned long)(s.paddr + s.memsz));
        }
        for (unsigned int m = 0; m < n; m++) {
            if (elf_get_load(&l->elf, m, &t) == 0 && t.memsz &&
                overlaps(s.paddr, s.memsz, t.paddr, t.memsz))
                return build_err_set(err, -XEN_EINVAL, "kernel segments %u and %u overlap",
                                     t.phdr_index, s.phdr_index);
        }
    }
    return 0;
}

int pvh_build_layout(const struct pvh_build_params *p, struct pvh_layout *l, struct build_err *err)
{
    size_t cmdline_len = 0;
    uint64_t acpi_pages, rsv = PVH_LOW_RESERVED_END - PVH_LOW_RAM_END;
    int rc;

    memset(l, 0, sizeof(*l));
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
    rc = check_params(p, &cmdline_len, err);
    if (rc)
        return rc;
    rc = elf_parse(p->kernel, p->kernel_len, &l->elf, err);
    if (rc)
        return rc;
    rc = elf_check_pvh(&l->elf, err);
    if (rc)
        return rc;
    l->entry = l->elf.xen.phys32_entry;

    /* RAM: the first MiB (with its reserved tail), then up to the MMIO hole, then above 4 GiB. */
    l->low_end = MIN(p->mem_bytes, PVH_MMIO_HOLE_START);
    l->high_end = p->mem_bytes > l->low_end ? PVH_4G + (p->mem_bytes - l->low_end) : 0;
    add_region(l, 0, PVH_LOW_RAM_END, PVH_REGION_RAM);
    add_region(l, PVH_LOW_RAM_END, rsv, PVH_REGION_LOW_RESERVED);
    add_region(l, PVH_LOW_RESERVED_END, l->low_end - PVH_LOW_RESERVED_END, PVH_REGION_RAM);
    if (l->high_end)
        add_region(l, PVH_4G, l->high_end - PVH_4G, PVH_REGION_RAM);

    /* ACPI tables at a fixed address in the hole. */
    rc = acpi_build_tables(NULL, 0, PVH_ACPI_BASE, &(struct acpi_build_params){p->nr_vcpus},
                           &l->acpi, err);
    if (rc)
        return rc;
    l->acpi_gpa = PVH_ACPI_BASE;
    l->acpi_size = l->acpi.size;
    l->rsdp_gpa = l->acpi.rsdp_gpa;
    acpi_pages = ROUNDUP(l->acpi_size, PAGE_SIZE) >> PAGE_SHIFT;
    add_region(l, PVH_ACPI_BASE, acpi_pages << PAGE_SHIFT, PVH_REGION_ACPI);

    rc = place_special(l, p->xenstore_gfn, PVH_XENSTORE_GFN, "xenstore", PVH_REGION_XENSTORE,
                       &l->xenstore_gfn, err);
    if (!rc)
        rc = place_special(l, p->console_gfn, PVH_CONSOLE_GFN, "console", PVH_REGION_CONSOLE,
                           &l->console_gfn, err);
    if (rc)
        return rc;

    sort_regions(l);
    for (unsigned int i = 0; i < l->nr_regions; i++) {
        const struct pvh_region *r = &l->regions[i];
        l->e820[l->nr_e820++] =
            (struct e820entry){.addr = r->gpa, .size = r->size, .type = e820_type(r->kind)};
        if (kind_counted(r->kind))
            l->ram_pages += r->size >> PAGE_SHIFT;
        else
            l->extra_pages += r->size >> PAGE_SHIFT;
    }

    /* The kernel, exactly at its physical addresses. */
    rc = check_kernel(p, l, err);
    if (rc)
        return rc;
    l->kernel_start = l->elf.load_paddr_min;
    l->kernel_end = l->elf.load_paddr_end;

    /* Boot info right after the kernel: start_info, modlist, memmap, command line. */
    uint64_t cmdline_off =
        ROUNDUP(BI_MEMMAP + l->nr_e820 * sizeof(struct hvm_memmap_table_entry), BI_ALIGN);
    l->bootinfo_gpa = MAX(ROUNDUP(l->kernel_end, PAGE_SIZE), PVH_LOW_RESERVED_END);
    l->bootinfo_size = ROUNDUP(cmdline_off + cmdline_len + 1, PAGE_SIZE);
    l->start_info_gpa = l->bootinfo_gpa + BI_START_INFO;
    l->modlist_gpa = p->initrd_len ? l->bootinfo_gpa + BI_MODLIST : 0;
    l->memmap_gpa = l->bootinfo_gpa + BI_MEMMAP;
    l->cmdline_gpa = l->bootinfo_gpa + cmdline_off;
    if (l->bootinfo_gpa + l->bootinfo_size > PVH_BOOTINFO_LIMIT)
        return build_err_set(err, -XEN_EINVAL,
                             "kernel ends at 0x%lx: start info would not fit below 1 GiB",
                             (unsigned long)l->kernel_end);

    /* The initrd, page aligned, after the boot info; below the hole and so below 4 GiB. */
    uint64_t need = l->bootinfo_gpa + l->bootinfo_size;
    if (p->initrd_len) {
        l->initrd_gpa = need;
        l->initrd_size = p->initrd_len;
        if (p->initrd_len > PVH_MMIO_HOLE_START - need)
            return build_err_set(err, -XEN_E2BIG,
                                 "initrd of %lu MiB does not fit below 0x%lx (PVH needs it "
                                 "below 4 GiB)",
                                 MIB(p->initrd_len), (unsigned long)PVH_MMIO_HOLE_START);
        need = ROUNDUP(need + p->initrd_len, PAGE_SIZE);
    }
    if (need > l->low_end)
        return build_err_set(err, -XEN_ENOMEM,
                             "memory size 0x%lx (%lu MiB) too small for kernel + boot info%s: "
                             "need at least %lu MiB",
                             (unsigned long)p->mem_bytes, MIB(p->mem_bytes),
                             p->initrd_len ? " + initrd" : "", MIB(ROUNDUP(need, 1UL << 20)));

    if (l->ram_pages != p->mem_bytes >> PAGE_SHIFT)
        return build_err_set(err, -XEN_EINVAL, "internal error: RAM accounting mismatch");
    for (unsigned int i = 0; i < l->nr_regions; i++)
        if (overlaps(PVH_LAPIC_GFN << PAGE_SHIFT, PAGE_SIZE, l->regions[i].gpa, l->regions[i].size))
            return build_err_set(err, -XEN_EINVAL, "internal error: region covers the LAPIC");
    return 0;
}

/* Write len zero bytes at gpa. */
static int write_zeros(const struct pvh_build_ops *ops, uint64_t gpa, uint64_t len)
{
    while (len) {
        size_t n = (size_t)MIN(len, (uint64_t)sizeof(zero_page));
        int rc = ops->write(ops->ctx, gpa, zero_page, n);
        if (rc)
            return rc;
        gpa += n;
        len -= n;
    }
    return 0;
}

static int load_kernel(const struct pvh_layout *l, const struct pvh_build_ops *ops,
                       struct build_err *err)
{
    struct elf_segment s;
    int rc;

    for (unsigned int n = 0; elf_get_load(&l->elf, n, &s) == 0; n++) {
        rc = s.filesz ? ops->write(ops->ctx, s.paddr, l->elf.data + s.offset, s.filesz) : 0;
        if (!rc)
            rc = write_zeros(ops, s.paddr + s.filesz, s.memsz - s.filesz);
        if (rc)
            return build_err_set(err, rc, "writing kernel segment %u at 0x%lx failed (%d)",
                                 s.phdr_index, (unsigned long)s.paddr, rc);
    }
    return 0;
}

static int load_bootinfo(const struct pvh_build_params *p, const struct pvh_layout *l,
                         const struct pvh_build_ops *ops, struct build_err *err)
{
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
        .flags = p->start_info_flags,
        .nr_modules = p->initrd_len ? 1 : 0,
        .modlist_paddr = l->modlist_gpa,
        .cmdline_paddr = l->cmdline_gpa,
        .rsdp_paddr = l->rsdp_gpa,
        .memmap_paddr = l->memmap_gpa,
        .memmap_entries = l->nr_e820,
    };
    struct hvm_memmap_table_entry mm[PVH_MAX_E820];
    const char *cmdline = p->cmdline ? p->cmdline : "";
    int rc;

    for (unsigned int i = 0; i < l->nr_e820; i++)
        mm[i] = (struct hvm_memmap_table_entry){
            .addr = l->e820[i].addr, .size = l->e820[i].size, .type = l->e820[i].type};
    rc = ops->write(ops->ctx, l->start_info_gpa, &si, sizeof(si));
    if (!rc && p->initrd_len) {
        struct hvm_modlist_entry mod = {.paddr = l->initrd_gpa, .size = l->initrd_size};
        rc = ops->write(ops->ctx, l->modlist_gpa, &mod, sizeof(mod));
    }
    if (!rc)
        rc = ops->write(ops->ctx, l->memmap_gpa, mm, l->nr_e820 * sizeof(mm[0]));
    if (!rc)
        rc = ops->write(ops->ctx, l->cmdline_gpa, cmdline, strlen(cmdline) + 1);
    if (rc)
        return build_err_set(err, rc, "writing start info at 0x%lx failed (%d)",
                             (unsigned long)l->bootinfo_gpa, rc);
    return 0;
}

int pvh_build_load(const struct pvh_build_params *p, const struct pvh_layout *l,
                   const struct pvh_build_ops *ops, struct build_err *err)
{
    uint8_t acpi[PVH_ACPI_BUF_SIZE];
    struct acpi_build_result res;
    int rc;

    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
    rc = load_kernel(l, ops, err);
    if (rc)
        return rc;
    rc = load_bootinfo(p, l, ops, err);
    if (rc)
        return rc;
    if (p->initrd_len) {
        rc = ops->write(ops->ctx, l->initrd_gpa, p->initrd, p->initrd_len);
        if (rc)
            return build_err_set(err, rc, "writing initrd at 0x%lx failed (%d)",
                                 (unsigned long)l->initrd_gpa, rc);
    }
    rc = acpi_build_tables(acpi, sizeof(acpi), l->acpi_gpa,
                           &(struct acpi_build_params){p->nr_vcpus}, &res, err);
    if (rc)
        return rc;
    if (res.size != l->acpi_size || res.rsdp_gpa != l->rsdp_gpa)
        return build_err_set(err, -XEN_EINVAL, "layout was computed for other parameters");
    rc = ops->write(ops->ctx, l->acpi_gpa, acpi, res.size);
    if (rc)
        return build_err_set(err, rc, "writing ACPI tables at 0x%lx failed (%d)",
                             (unsigned long)l->acpi_gpa, rc);
    return 0;
}
