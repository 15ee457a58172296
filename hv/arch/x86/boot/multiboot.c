/* Multiboot 1 and 2 information parsing into struct boot_info. */
#include <hv/lib.h>
#include <public/errno.h>
#include <asm/boot-defs.h>
#include <asm/bootinfo.h>

struct boot_info boot_info;

static void add_mmap(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
    if (bi->nr_mmap < BOOT_MAX_MMAP)
        bi->mmap[bi->nr_mmap++] = (struct boot_mmap_entry){addr, len, type};
}

/* Append a range, or extend the previous one when it ends where this starts with the same type. */
static void add_mmap_merged(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
    struct boot_mmap_entry *last = bi->nr_mmap ? &bi->mmap[bi->nr_mmap - 1] : NULL;

    if (last && last->type == type && last->addr + last->len == addr)
        last->len += len;
    else
        add_mmap(bi, addr, len, type);
}

/* E820 type of a UEFI memory descriptor type (EFI_MEMORY_TYPE); memory after ExitBootServices. */
static uint32_t efi_to_e820_type(uint32_t efi_type)
{
    switch (efi_type) {
    case 1: /* EfiLoaderCode */
    case 2: /* EfiLoaderData */
    case 3: /* EfiBootServicesCode */
    case 4: /* EfiBootServicesData */
    case 7: /* EfiConventionalMemory */
        return 1;
    case 9: /* EfiACPIReclaimMemory */
        return 3;
    case 10: /* EfiACPIMemoryNVS */
        return 4;
    default: /* reserved, runtime services, unusable, MMIO, PAL code, persistent */
        return 2;
    }
}

/*
 * MB2 tag 17: the UEFI memory map GRUB took when it exited boot services. Each descriptor is
 * descr_size bytes: u32 type, u32 pad, u64 physical start, u64 virtual start, u64 pages, u64
 * attributes. Neighbouring descriptors of the same E820 type are merged to fit bi->mmap.
 */
static void parse_efi_mmap(struct boot_info *bi, const uint8_t *tag, uint32_t size)
{
    uint32_t dsz = ((const uint32_t *)tag)[2];

    if (dsz < 40) /* the UEFI 2.x descriptor is 40 bytes; firmware may pad it (OVMF: 48) */
        return;
    for (const uint8_t *d = tag + 16; d + dsz <= tag + size; d += dsz) {
        uint32_t type;
        uint64_t start, pages;
        memcpy(&type, d, 4);
        memcpy(&start, d + 8, 8);
        memcpy(&pages, d + 24, 8);
        if (pages)
            add_mmap_merged(bi, start, pages << 12, efi_to_e820_type(type));
    }
}

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char *str)
{
    if (bi->nr_modules < BOOT_MAX_MODULES && end >= start)
        bi->modules[bi->nr_modules++] = (struct boot_module){start, end - start, str ? str : ""};
}

static int parse_mb1(uint64_t pa, struct boot_info *bi)
{
    const uint32_t *info = (const uint32_t *)(uintptr_t)pa;
    uint32_t flags = info[0];

    bi->loader = "multiboot";
    bi->info_start = pa;
    bi->info_end = pa + 120;
    if (flags & (1u << 2))
        bi->cmdline = (const char *)(uintptr_t)info[4];
    if (flags & (1u << 9))
        bi->loader_name = (const char *)(uintptr_t)info[16];
    if (flags & (1u << 3)) {
        const uint32_t *mod = (const uint32_t *)(uintptr_t)info[6];
        for (uint32_t i = 0; i < info[5]; i++, mod += 4)
            add_module(bi, mod[0], mod[1], (const char *)(uintptr_t)mod[2]);
    }
    if (flags & (1u << 6)) {
        uintptr_t p = info[12], end = p + info[11];
        while (p < end) {
            uint32_t size = *(const uint32_t *)p;
            const uint8_t *e = (const uint8_t *)p + 4;
            uint64_t addr, len;
            uint32_t type;
            memcpy(&addr, e, 8);
            memcpy(&len, e + 8, 8);
            memcpy(&type, e + 16, 4);
            add_mmap(bi, addr, len, type);
            p += size + 4;
        }
    } else if (flags & 1u) {
        add_mmap(bi, 0, (uint64_t)info[1] << 10, 1);
        add_mmap(bi, 0x100000, (uint64_t)info[2] << 10, 1);
    } else {
        return -XEN_EINVAL;
    }
    return 0;
}

static int parse_mb2(uint64_t pa, struct boot_info *bi)
{
    const uint8_t *base = (const uint8_t *)(uintptr_t)pa;
    uint32_t total = *(const uint32_t *)base;
    const uint8_t *p = base + 8, *end = base + total;
    const uint8_t *efi_mmap = NULL;
    uint32_t efi_mmap_size = 0;

    bi->loader = "multiboot2";
    bi->info_start = pa;
    bi->info_end = pa + total;
    while (p + 8 <= end) {
        uint32_t type = ((const uint32_t *)p)[0], size = ((const uint32_t *)p)[1];
        if (type == 0 || size < 8)
            break;
        switch (type) {
        case 1: /* command line */
            bi->cmdline = (const char *)(p + 8);
            break;
        case 2: /* boot loader name */
            bi->loader_name = (const char *)(p + 8);
            break;
        case 3: /* module */
            add_module(bi, ((const uint32_t *)p)[2], ((const uint32_t *)p)[3],
                       (const char *)(p + 16));
            break;
        case 6: { /* memory map */
            uint32_t esz = ((const uint32_t *)p)[2];
            for (const uint8_t *e = p + 16; esz && e + esz <= p + size; e += esz) {
                uint64_t addr, len;
                uint32_t t;
                memcpy(&addr, e, 8);
                memcpy(&len, e + 8, 8);
                memcpy(&t, e + 16, 4);
                add_mmap(bi, addr, len, t);
            }
            break;
        }
        case 14: /* ACPI 1.0 RSDP copy */
            if (!bi->acpi_rsdp)
                bi->acpi_rsdp = (uintptr_t)(p + 8);
            break;
        case 15: /* ACPI 2.0 RSDP copy */
            bi->acpi_rsdp = (uintptr_t)(p + 8);
            break;
        case 17: /* UEFI memory map (GRUB on UEFI, after ExitBootServices) */
            efi_mmap = p;
            efi_mmap_size = MIN(size, (uint32_t)(end - p));
            break;
        default:
            break;
        }
        p += (size + 7) & ~7u;
    }
    /* GRUB on UEFI gives both maps; take the EFI one only when there is no tag 6. */
    if (!bi->nr_mmap && efi_mmap) {
        bi->loader = "multiboot2 EFI memory map";
        parse_efi_mmap(bi, efi_mmap, efi_mmap_size);
    }
    return bi->nr_mmap ? 0 : -XEN_EINVAL;
}

/* Fill bi from the boot loader's registers; 0 on success, -XEN_EINVAL for an unknown loader. */
int parse_boot_info(uint32_t magic, uint64_t info_pa, struct boot_info *bi)
{
    memset(bi, 0, sizeof(*bi));
    bi->cmdline = "";
    bi->loader_name = "";
    if (magic == MB1_BOOTLOADER_MAGIC)
        return parse_mb1(info_pa, bi);
    if (magic == MB2_BOOTLOADER_MAGIC)
        return parse_mb2(info_pa, bi);
    return -XEN_EINVAL;
}

/* GRUB 2 leaves the image path out of module strings; other loaders (QEMU) put it first. */
bool loader_is_grub2(const struct boot_info *bi)
{
    return !strncmp(bi->loader_name, "GRUB 2", 6);
}
