/* C entry of a test guest: find Xen, install the IDT, run test_main(), give the verdict. */
#include "xtf.h"

const struct hvm_start_info *xtf_start_info;
bool xtf_have_xen;

void xtf_traps_init(void);

/* Xen's CPUID leaves live at 0x40000000 or, next to another hypervisor's, 0x100 further up. */
static bool find_xen(void)
{
    for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
        uint32_t a, b, c, d;
        cpuid(base, &a, &b, &c, &d);
        if (b == 0x566e6558 /* "XenV" */ && c == 0x65584d4d /* "MMXe" */ &&
            d == 0x4d4d566e /* "nVMM" */ && a - base >= 2)
            return true;
    }
    return false;
}

/* Called from head.S in long mode with the start-info address the loader put in EBX. */
void __noreturn xtf_setup(uint32_t start_info_pa);
void xtf_setup(uint32_t start_info_pa)
{
    xtf_start_info = (const struct hvm_start_info *)(uintptr_t)start_info_pa;
    xtf_have_xen = find_xen();
    xtf_traps_init();

    printk("--- Xenolith guest test: %s ---\n", test_title);
    if (!xtf_have_xen)
        printk("No Xen CPUID leaves: console on port 0xE9, no hypercalls\n");

    test_main();
    xtf_success();
}
