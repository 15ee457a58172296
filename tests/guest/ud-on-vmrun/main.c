/* SVM instructions in a guest (EFER.SVME clear as far as it knows) must raise #UD, not run. */
#include "xtf.h"

const char test_title[] = "ud-on-vmrun: VMRUN and the other SVM instructions raise #UD";

/*
 * Xen without nested virtualisation intercepts these and injects #UD
 * (arch/x86/hvm/svm/svm.c: svm_vmexit_do_vmrun(), svm_vmexit_do_vmload(),
 * svm_vmexit_do_vmsave(), svm_vmexit_do_stgi()/clgi(), VMEXIT_SKINIT, and
 * svm_invlpga_intercept() under nsvm_efer_svm_enabled()); bare hardware
 * does the same because the guest's EFER.SVME is 0. Left unintercepted,
 * VMLOAD/VMSAVE would use RAX as a host-physical address and CLGI would
 * block the host's interrupts, so they are tried last, after the harmless ones.
 */

/* Page-aligned scratch for the RAX operand of VMRUN/VMLOAD/VMSAVE (a guest-physical address). */
static uint8_t scratch[4096] __attribute__((aligned(4096)));

static volatile uint64_t expected_rip;
static volatile unsigned int ud_count;

static bool hook(struct xtf_regs *regs)
{
    if (regs->vector != X86_EXC_UD || regs->rip != expected_rip) {
        xtf_failure("%s (error code %#lx) at %#lx; expected #UD at %#lx",
                    xtf_exception_name((unsigned int)regs->vector), (unsigned long)regs->error_code,
                    (unsigned long)regs->rip, (unsigned long)expected_rip);
    }
    ud_count++;
    regs->rip += 3; /* every instruction tried here is 0F 01 xx */
    return true;
}

/*
 * Execute the 3-byte instruction 0F 01 <modrm> with RAX = scratch and
 * ECX = 0 (INVLPGA's ASID); returns true when exactly one #UD was raised at it.
 */
#define TRY_SVM_INSN(name, modrm)                                                                  \
    static bool try_##name(void)                                                                   \
    {                                                                                              \
        unsigned int before = ud_count;                                                            \
        uint64_t start;                                                                            \
        __asm__ volatile("lea 1f(%%rip), %0\n\t"                                                   \
                         "mov %0, %1\n\t"                                                          \
                         "1: .byte 0x0f, 0x01, " #modrm "\n\t"                                     \
                         : "=&r"(start), "=m"(expected_rip)                                        \
                         : "a"(scratch), "c"(0)                                                    \
                         : "memory");                                                              \
        return ud_count == before + 1;                                                             \
    }

TRY_SVM_INSN(vmrun, 0xd8)
TRY_SVM_INSN(invlpga, 0xdf)
TRY_SVM_INSN(stgi, 0xdc)
TRY_SVM_INSN(skinit, 0xde)
TRY_SVM_INSN(clgi, 0xdd)
TRY_SVM_INSN(vmload, 0xda)
TRY_SVM_INSN(vmsave, 0xdb)

/* Try each SVM instruction in turn; each must raise exactly one #UD. */
void test_main(void)
{
    static const struct {
        const char *name;
        bool (*fn)(void);
    } insns[] = {
        {"VMRUN", try_vmrun},   {"INVLPGA", try_invlpga}, {"STGI", try_stgi},
        {"SKINIT", try_skinit}, {"CLGI", try_clgi},       {"VMLOAD", try_vmload},
        {"VMSAVE", try_vmsave},
    };

    xtf_set_exception_hook(hook);
    memset(scratch, 0xa5, sizeof(scratch));

    for (unsigned int i = 0; i < ARRAY_SIZE(insns); i++) {
        printk("  %s ... ", insns[i].name);
        if (insns[i].fn())
            printk("#UD, ok\n");
        else
            xtf_error("%s did not raise #UD (it executed)", insns[i].name);
    }
    xtf_set_exception_hook(NULL);

    /* VMLOAD/VMSAVE, had they run, would have read or written the scratch page. */
    for (unsigned int i = 0; i < sizeof(scratch); i++)
        if (scratch[i] != 0xa5) {
            xtf_error("scratch page changed at offset %#x: an SVM instruction touched it", i);
            break;
        }
}
