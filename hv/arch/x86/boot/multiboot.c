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
        default:
            break;
        }
        p += (size + 7) & ~7u;
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
