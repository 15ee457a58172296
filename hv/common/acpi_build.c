/* Builds the ACPI tables a PVH domain boots with: RSDP -> XSDT -> {FADT -> DSDT, MADT}. */
#include <hv/lib.h>
#include <hv/acpi_build.h>
#include <public/errno.h>

BUILD_BUG_ON(sizeof(struct acpi_header) != 36);
BUILD_BUG_ON(sizeof(struct acpi_rsdp) != 36);
BUILD_BUG_ON(sizeof(struct acpi_gas) != 12);
BUILD_BUG_ON(sizeof(struct acpi_fadt) != 276);
BUILD_BUG_ON(sizeof(struct acpi_madt) != 44);
BUILD_BUG_ON(sizeof(struct acpi_madt_lapic) != 8);

/*
 * DSDT body, hand-assembled AML: Name (\_S5, Package (2) { 5, 0 }).
 *   0x08             NameOp
 *   '_' 'S' '5' '_'  NameSeg (root scope: the DSDT's default)
 *   0x12             PackageOp
 *   0x05             PkgLength: 5 bytes, counting itself, up to the end of the package
 *   0x02             NumElements
 *   0x0A 0x05        BytePrefix 5  (SLP_TYP for SLEEP_CONTROL_REG)
 *   0x00             ZeroOp        (SLP_TYPb, unused without PM1b)
 */
static const uint8_t dsdt_aml[] = {
    0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0A, ACPI_S5_SLP_TYP, 0x00,
};

#define XSDT_ENTRIES 2 /* FADT, MADT */

uint8_t acpi_checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return (uint8_t)(0 - sum);
}

/* Offsets of each table from the start of the buffer. */
struct acpi_offsets {
    size_t rsdp, xsdt, fadt, dsdt, madt, end;
};

static size_t xsdt_len(void)
{
    return sizeof(struct acpi_header) + XSDT_ENTRIES * sizeof(uint64_t);
}

static size_t madt_len(unsigned int nr_vcpus)
{
    return sizeof(struct acpi_madt) + nr_vcpus * sizeof(struct acpi_madt_lapic);
}

static void layout(unsigned int nr_vcpus, struct acpi_offsets *o)
{
    o->rsdp = 0;
    o->xsdt = ROUNDUP(o->rsdp + sizeof(struct acpi_rsdp), ACPI_TABLE_ALIGN);
    o->fadt = ROUNDUP(o->xsdt + xsdt_len(), ACPI_TABLE_ALIGN);
    o->dsdt = ROUNDUP(o->fadt + sizeof(struct acpi_fadt), ACPI_TABLE_ALIGN);
    o->madt = ROUNDUP(o->dsdt + sizeof(struct acpi_header) + sizeof(dsdt_aml), ACPI_TABLE_ALIGN);
    o->end = o->madt + madt_len(nr_vcpus);
}

size_t acpi_build_size(unsigned int nr_vcpus)
{
    struct acpi_offsets o;

    if (nr_vcpus == 0 || nr_vcpus > ACPI_MAX_VCPUS)
        return 0;
    layout(nr_vcpus, &o);
    return o.end;
}

/* Fill a table header (checksum left 0 until the body is complete). */
static void fill_header(struct acpi_header *h, const char sig[4], size_t len, uint8_t revision)
{
    memcpy(h->signature, sig, 4);
    h->length = (uint32_t)len;
    h->revision = revision;
    h->checksum = 0;
    memcpy(h->oem_id, ACPI_OEM_ID, 6);
    memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
    h->oem_revision = 1;
    memcpy(h->creator_id, ACPI_CREATOR_ID, 4);
    h->creator_revision = ACPI_CREATOR_REVISION;
}

static void seal(struct acpi_header *h)
{
    h->checksum = acpi_checksum(h, h->length);
}

static struct acpi_gas io_reg8(uint16_t port)
{
    return (struct acpi_gas){
        .space_id = ACPI_GAS_SYSTEM_IO,
        .bit_width = 8,
        .bit_offset = 0,
        .access_size = ACPI_GAS_ACCESS_BYTE,
        .address = port,
    };
}

static void build_fadt(struct acpi_fadt *f, uint64_t dsdt_gpa)
{
    fill_header(&f->header, "FACP", sizeof(*f), ACPI_FADT_REVISION);
    f->dsdt = (uint32_t)dsdt_gpa;
    f->x_dsdt = dsdt_gpa;
    /* No VGA, no CMOS RTC, no 8042 and no other legacy ISA devices. */
    f->iapc_boot_arch = ACPI_IAPC_NO_VGA | ACPI_IAPC_NO_CMOS_RTC;
    f->flags = ACPI_FADT_WBINVD | ACPI_FADT_PWR_BUTTON | ACPI_FADT_SLP_BUTTON |
               ACPI_FADT_RESET_REG_SUP | ACPI_FADT_APIC_PHYSICAL | ACPI_FADT_HW_REDUCED_ACPI;
    f->reset_reg = io_reg8(ACPI_RESET_PORT);
    f->reset_value = ACPI_RESET_VALUE;
    f->minor_revision = 0;
    f->sleep_control_reg = io_reg8(ACPI_SLEEP_CONTROL_PORT);
    f->sleep_status_reg = io_reg8(ACPI_SLEEP_STATUS_PORT);
    seal(&f->header);
}

static void build_madt(struct acpi_madt *m, unsigned int nr_vcpus)
{
    struct acpi_madt_lapic *e = (struct acpi_madt_lapic *)(m + 1);

    fill_header(&m->header, "APIC", madt_len(nr_vcpus), ACPI_MADT_REVISION);
    m->lapic_address = ACPI_LAPIC_BASE;
    m->flags = 0;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        e[i].type = ACPI_MADT_TYPE_LAPIC;
        e[i].length = sizeof(e[i]);
        e[i].acpi_processor_uid = (uint8_t)i;
        e[i].apic_id = (uint8_t)(2 * i); /* Xen's vLAPIC ids: 2 x vCPU id (hvm_apic_id) */
        e[i].flags = ACPI_MADT_LAPIC_ENABLED;
    }
    seal(&m->header);
}

int acpi_build_tables(void *buf, size_t len, uint64_t base_gpa, const struct acpi_build_params *p,
                      struct acpi_build_result *res, struct build_err *err)
{
    struct acpi_offsets o;
    uint8_t *b = buf;

    if (p->nr_vcpus == 0)
        return build_err_set(err, -XEN_EINVAL, "ACPI tables need at least one vCPU");
    if (p->nr_vcpus > ACPI_MAX_VCPUS)
        return build_err_set(err, -XEN_EINVAL, "%u vCPUs exceed the MADT limit of %u", p->nr_vcpus,
                             ACPI_MAX_VCPUS);
    if (!IS_ALIGNED(base_gpa, ACPI_TABLE_ALIGN))
        return build_err_set(err, -XEN_EINVAL, "ACPI base 0x%lx is not 16-byte aligned",
                             (unsigned long)base_gpa);
    layout(p->nr_vcpus, &o);
    if (buf && len < o.end)
        return build_err_set(err, -XEN_ENOSPC, "ACPI tables need %lu bytes, buffer has %lu",
                             (unsigned long)o.end, (unsigned long)len);
    if (base_gpa >= (1ULL << 32) || o.end > (1ULL << 32) - base_gpa)
        return build_err_set(err, -XEN_EINVAL, "ACPI tables at 0x%lx would cross 4 GiB",
                             (unsigned long)base_gpa);

    res->rsdp_gpa = base_gpa + o.rsdp;
    res->xsdt_gpa = base_gpa + o.xsdt;
    res->fadt_gpa = base_gpa + o.fadt;
    res->dsdt_gpa = base_gpa + o.dsdt;
    res->madt_gpa = base_gpa + o.madt;
    res->size = o.end;
    if (!buf)
        return 0;

    memset(b, 0, o.end);

    /* DSDT: header + the AML above. */
    struct acpi_header *dsdt = (struct acpi_header *)(b + o.dsdt);
    fill_header(dsdt, "DSDT", sizeof(*dsdt) + sizeof(dsdt_aml), ACPI_DSDT_REVISION);
    memcpy(dsdt + 1, dsdt_aml, sizeof(dsdt_aml));
    seal(dsdt);

    build_fadt((struct acpi_fadt *)(b + o.fadt), res->dsdt_gpa);
    build_madt((struct acpi_madt *)(b + o.madt), p->nr_vcpus);

    /* XSDT: 64-bit pointers, unaligned after the 36-byte header, so copy them in. */
    struct acpi_header *xsdt = (struct acpi_header *)(b + o.xsdt);
    uint64_t entries[XSDT_ENTRIES] = {res->fadt_gpa, res->madt_gpa};
    fill_header(xsdt, "XSDT", xsdt_len(), ACPI_XSDT_REVISION);
    memcpy(xsdt + 1, entries, sizeof(entries));
    seal(xsdt);

    /* RSDP, revision 2: XSDT only (no RSDT). */
    struct acpi_rsdp *rsdp = (struct acpi_rsdp *)(b + o.rsdp);
    memcpy(rsdp->signature, "RSD PTR ", 8);
    memcpy(rsdp->oem_id, ACPI_OEM_ID, 6);
    rsdp->revision = 2;
    rsdp->rsdt_address = 0;
    rsdp->length = sizeof(*rsdp);
    rsdp->xsdt_address = res->xsdt_gpa;
    rsdp->checksum = acpi_checksum(rsdp, 20);
    rsdp->extended_checksum = acpi_checksum(rsdp, sizeof(*rsdp));
    return 0;
}
