/* Smoke test of the guest framework: boot, check the start info, print, succeed. */
#include "xtf.h"

const char test_title[] = "hello: PVH entry, console and verdict";

/* Check the start info handed over at the PVH entry and say hello. */
void test_main(void)
{
    const struct hvm_start_info *si = xtf_start_info;

    if (!xtf_have_xen)
        xtf_failure("no Xen CPUID leaves: not running under the hypervisor");
    if (!si)
        xtf_failure("no hvm_start_info (EBX was 0 at entry)");
    if (si->magic != XEN_HVM_START_MAGIC_VALUE)
        xtf_failure("hvm_start_info magic %#x, expected %#x", si->magic, XEN_HVM_START_MAGIC_VALUE);

    printk("Hello from a PVH guest: start info at %p, version %u, flags %#x, %u module(s)\n",
           (const void *)si, si->version, si->flags, si->nr_modules);
    if (si->cmdline_paddr)
        printk("Command line: '%s'\n", (const char *)(uintptr_t)si->cmdline_paddr);
    if (si->version >= 1 && si->memmap_paddr) {
        const struct hvm_memmap_table_entry *m =
            (const struct hvm_memmap_table_entry *)(uintptr_t)si->memmap_paddr;
        for (uint32_t i = 0; i < si->memmap_entries; i++)
            printk("  memmap %u: [%#llx, %#llx) type %u\n", i, (unsigned long long)m[i].addr,
                   (unsigned long long)(m[i].addr + m[i].size), m[i].type);
    }
    if (!(si->flags & SIF_INITDOMAIN))
        xtf_error("start info flags %#x lack SIF_INITDOMAIN for dom0", si->flags);

    long ver = HYPERVISOR_xen_version(0 /* XENVER_version */, NULL);
    printk("Hypervisor reports Xen %ld.%ld\n", ver >> 16, ver & 0xffff);
}
