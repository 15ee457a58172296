/* Access to the host's firmware ACPI tables. */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <hv/types.h>

/* The host ACPI table with signature sig (e.g. "FACP", "APIC"), or NULL. */
const uint8_t *acpi_find_table(const char *sig);

#endif
