/* The host's firmware ACPI tables: finding the RSDP and a table by signature. */
#include <hv/lib.h>
#include <asm/bootinfo.h>
#include <asm/acpi.h>

static const uint8_t *find_rsdp(void)
{
    if (boot_info.acpi_rsdp)
        return (const uint8_t *)(uintptr_t)boot_info.acpi_rsdp;
    for (uintptr_t p = 0xE0000; p < 0x100000; p += 16)
        if (!memcmp((const void *)p, "RSD PTR ", 8))
            return (const uint8_t *)p;
    return NULL;
}

static const uint8_t *find_table(const uint8_t *rsdp, const char *sig)
{
    uint32_t rsdt;
    memcpy(&rsdt, rsdp + 16, 4);
    if (rsdp[15] >= 2) {
        uint64_t xsdt;
        memcpy(&xsdt, rsdp + 24, 8);
        if (xsdt) {
            const uint8_t *x = (const uint8_t *)(uintptr_t)xsdt;
            uint32_t len;
            memcpy(&len, x + 4, 4);
            for (uint32_t off = 36; off + 8 <= len; off += 8) {
                uint64_t t;
                memcpy(&t, x + off, 8);
                if (!memcmp((const void *)(uintptr_t)t, sig, 4))
                    return (const uint8_t *)(uintptr_t)t;
            }
        }
    }
    if (rsdt) {
        const uint8_t *r = (const uint8_t *)(uintptr_t)rsdt;
        uint32_t len;
        memcpy(&len, r + 4, 4);
        for (uint32_t off = 36; off + 4 <= len; off += 4) {
            uint32_t t;
            memcpy(&t, r + off, 4);
            if (!memcmp((const void *)(uintptr_t)t, sig, 4))
                return (const uint8_t *)(uintptr_t)t;
        }
    }
    return NULL;
}

/* The host ACPI table with signature sig (e.g. "FACP", "APIC"), or NULL. */
const uint8_t *acpi_find_table(const char *sig)
{
    const uint8_t *rsdp = find_rsdp();
    return rsdp ? find_table(rsdp, sig) : NULL;
}
