/* A write to guest-physical memory nothing backs must crash this domain, not the host. */
#include "xtf.h"

const char test_title[] = "bad-mmio: write to unbacked GPA 0x7F0000000 (expect 'domain 0 crashed')";

/* Far above the 64 MiB of RAM and every special page or MMIO range the hypervisor maps. */
#define UNBACKED_GPA 0x7F0000000ULL

/* Write to unbacked guest-physical memory; returning from here is the failure. */
void test_main(void)
{
    /*
     * Xen would route this to the null MMIO handler (write dropped, reads
     * all ones); Xenolith's policy is to crash a domain that touches an
     * unmapped guest-physical address, and that is what is checked here.
     */
    if (xtf_map_2m(UNBACKED_GPA, UNBACKED_GPA, PTE_PCD | PTE_PWT))
        xtf_failure("cannot map %#llx", UNBACKED_GPA);

    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)(UNBACKED_GPA + 0x10);
    printk("Writing to guest-physical %#llx\n", UNBACKED_GPA + 0x10);
    *p = 0xdeadbeef;

    uint32_t back = *p;
    xtf_failure("still running after writing to unbacked GPA %#llx (read back %#x)",
                UNBACKED_GPA + 0x10, back);
}
