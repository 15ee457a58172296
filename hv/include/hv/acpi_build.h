/* Minimal hardware-reduced ACPI table set for a PVH domain: RSDP, XSDT, FADT, DSDT (_S5) and MADT.
 */
#ifndef HV_ACPI_BUILD_H
#define HV_ACPI_BUILD_H

#include <hv/types.h>
#include <hv/libelf.h>

/*
 * Platform contract with the hypervisor's I/O emulation. The FADT is hardware-reduced, so Linux
 * powers off by evaluating \_S5 and writing one byte to SLEEP_CONTROL_REG:
 *   (SLP_TYP << ACPI_SLEEP_TYPE_SHIFT) | ACPI_SLEEP_ENABLE   ->  0x34 for S5
 * after first writing ACPI_WAKE_STATUS to SLEEP_STATUS_REG (emulate: ignore writes, read 0).
 * A write of ACPI_RESET_VALUE to ACPI_RESET_PORT (FADT RESET_REG) requests a reboot.
 */
#define ACPI_SLEEP_CONTROL_PORT 0x0B00 /* 8-bit I/O register */
#define ACPI_SLEEP_STATUS_PORT  0x0B01 /* 8-bit I/O register */
#define ACPI_RESET_PORT         0x0B02 /* 8-bit I/O register */
#define ACPI_RESET_VALUE        0x01
#define ACPI_SLEEP_TYPE_SHIFT   2
#define ACPI_SLEEP_TYPE_MASK    0x1C
#define ACPI_SLEEP_ENABLE       0x20 /* SLP_EN, bit 5 */
#define ACPI_WAKE_STATUS        0x80 /* WAK_STS, bit 7 of SLEEP_STATUS_REG */
#define ACPI_S5_SLP_TYP         5    /* first element of the DSDT's \_S5 package */

#define ACPI_LAPIC_BASE       0xFEE00000u
#define ACPI_MAX_VCPUS        127 /* MADT type-0 entries: 8-bit APIC id 2i, 0xFF is broadcast */
#define ACPI_TABLE_ALIGN      16  /* every table starts 16-byte aligned (RSDP rule) */
#define ACPI_OEM_ID           "XENOLI"
#define ACPI_OEM_TABLE_ID     "XENOLITH"
#define ACPI_CREATOR_ID       "XNLT"
#define ACPI_CREATOR_REVISION 1

/* ---- table layouts (ACPI 6.x; all little-endian, packed) ---- */

/* Common 36-byte header of every system description table. */
struct acpi_header {
    char signature[4];
    uint32_t length; /* whole table including this header */
    uint8_t revision;
    uint8_t checksum; /* all bytes of the table sum to 0 (mod 256) */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    char creator_id[4];
    uint32_t creator_revision;
} __attribute__((packed));

/* Root System Description Pointer, revision 2 (36 bytes). */
struct acpi_rsdp {
    char signature[8]; /* "RSD PTR " */
    uint8_t checksum;  /* over the first 20 bytes */
    char oem_id[6];
    uint8_t revision; /* 2 */
    uint32_t rsdt_address;
    uint32_t length; /* 36 */
    uint64_t xsdt_address;
    uint8_t extended_checksum; /* over all 36 bytes */
    uint8_t reserved[3];
} __attribute__((packed));

/* Generic Address Structure (12 bytes). */
struct acpi_gas {
    uint8_t space_id; /* ACPI_GAS_SYSTEM_IO, ... */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size; /* ACPI_GAS_ACCESS_BYTE, ... */
    uint64_t address;
} __attribute__((packed));

#define ACPI_GAS_SYSTEM_IO   1
#define ACPI_GAS_ACCESS_BYTE 1

/* Fixed ACPI Description Table, revision 6 (276 bytes). */
struct acpi_fadt {
    struct acpi_header header; /* "FACP" */
    uint32_t firmware_ctrl;    /* FACS: none (optional on hardware-reduced platforms) */
    uint32_t dsdt;
    uint8_t reserved0;
    uint8_t preferred_pm_profile;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
    uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk, pm2_cnt_blk, pm_tmr_blk;
    uint32_t gpe0_blk, gpe1_blk;
    uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len, gpe0_blk_len, gpe1_blk_len;
    uint8_t gpe1_base, cst_cnt;
    uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
    uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
    uint16_t iapc_boot_arch; /* ACPI_IAPC_* */
    uint8_t reserved1;
    uint32_t flags; /* ACPI_FADT_* */
    struct acpi_gas reset_reg;
    uint8_t reset_value;
    uint16_t arm_boot_arch;
    uint8_t minor_revision;
    uint64_t x_firmware_ctrl;
    uint64_t x_dsdt;
    struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
    struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
    struct acpi_gas sleep_control_reg;
    struct acpi_gas sleep_status_reg;
    uint64_t hypervisor_vendor_id;
} __attribute__((packed));

/* FADT flags bits used here. */
#define ACPI_FADT_WBINVD          (1u << 0)
#define ACPI_FADT_PWR_BUTTON      (1u << 4) /* power button is not a fixed feature */
#define ACPI_FADT_SLP_BUTTON      (1u << 5) /* sleep button is not a fixed feature */
#define ACPI_FADT_RESET_REG_SUP   (1u << 10)
#define ACPI_FADT_APIC_PHYSICAL   (1u << 19) /* force physical APIC destination mode */
#define ACPI_FADT_HW_REDUCED_ACPI (1u << 20)

/* FADT IAPC_BOOT_ARCH bits. */
#define ACPI_IAPC_LEGACY_DEVICES (1u << 0)
#define ACPI_IAPC_8042           (1u << 1)
#define ACPI_IAPC_NO_VGA         (1u << 2)
#define ACPI_IAPC_NO_MSI         (1u << 3)
#define ACPI_IAPC_NO_ASPM        (1u << 4)
#define ACPI_IAPC_NO_CMOS_RTC    (1u << 5)

/* Multiple APIC Description Table header (entries follow). */
struct acpi_madt {
    struct acpi_header header; /* "APIC" */
    uint32_t lapic_address;
    uint32_t flags; /* bit 0 PCAT_COMPAT: 0, no 8259 pair */
} __attribute__((packed));

/* MADT entry type 0: Processor Local APIC (8 bytes). */
struct acpi_madt_lapic {
    uint8_t type;   /* 0 */
    uint8_t length; /* 8 */
    uint8_t acpi_processor_uid;
    uint8_t apic_id;
    uint32_t flags; /* bit 0: enabled */
} __attribute__((packed));

#define ACPI_MADT_TYPE_LAPIC    0
#define ACPI_MADT_LAPIC_ENABLED 1

#define ACPI_FADT_REVISION 6
#define ACPI_MADT_REVISION 4
#define ACPI_XSDT_REVISION 1
#define ACPI_DSDT_REVISION 2 /* 64-bit AML integers */

/* ---- building ---- */

struct acpi_build_params {
    unsigned int nr_vcpus; /* 1..ACPI_MAX_VCPUS; vCPU i gets ACPI UID i and APIC id 2i */
};

/* Where each table landed (guest-physical) and how many buffer bytes were used. */
struct acpi_build_result {
    uint64_t rsdp_gpa, xsdt_gpa, fadt_gpa, dsdt_gpa, madt_gpa;
    size_t size;
};

/* Bytes acpi_build_tables needs for nr_vcpus vCPUs (0 if nr_vcpus is out of range). */
size_t acpi_build_size(unsigned int nr_vcpus);

/*
 * Build the tables into buf (len bytes; the guest will see buf[0] at base_gpa, which must be
 * 16-byte aligned and leave every table below 4 GiB). Unused bytes up to the result size are
 * zeroed. The RSDP is at base_gpa. With buf == NULL only *res is computed (len is ignored).
 * Returns 0, or a negative XEN_E* code with err set.
 */
int acpi_build_tables(void *buf, size_t len, uint64_t base_gpa, const struct acpi_build_params *p,
                      struct acpi_build_result *res, struct build_err *err);

/* The value that makes len bytes at p sum to zero when stored in a zero checksum field. */
uint8_t acpi_checksum(const void *p, size_t len);

#endif
