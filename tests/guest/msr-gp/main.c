/* Bad MSR accesses must raise #GP(0) in the guest at the faulting RDMSR/WRMSR, not crash anything.
 */
#include "xtf.h"

const char test_title[] = "msr-gp: an unknown MSR and bad EFER values raise #GP(0)";

/*
 * Xen 4.17 injects #GP(0) for an MSR it does not implement
 * (arch/x86/hvm/svm/svm.c: the default case of svm_msr_read_intercept() and
 * svm_msr_write_intercept() goes to gpf unless the domain has msr_relaxed and
 * the host has the MSR, which 0x12345678 is not), and for EFER values it
 * refuses (arch/x86/hvm/hvm.c hvm_efer_valid(): reserved bits, or SVME without
 * nested virtualisation). FS/GS base MSRs are not tried: they are passed
 * through to the CPU, and QEMU's TCG does not check them for canonical form.
 */

#define EFER_SVME   (1ULL << 12)
#define UNKNOWN_MSR 0x12345678

static volatile uint64_t fault_rip;
static volatile int fault_vector = -1;
static volatile uint64_t fault_error;

/* RDMSR and WRMSR are both 2 bytes (0F 32, 0F 30): record the fault and skip the instruction. */
static bool hook(struct xtf_regs *regs)
{
    fault_vector = (int)regs->vector;
    fault_error = regs->error_code;
    fault_rip = regs->rip;
    regs->rip += 2;
    return true;
}

static void expect_gp(const char *what, uint64_t insn_rip)
{
    if (fault_vector < 0)
        xtf_error("%s: no exception", what);
    else if (fault_vector != X86_EXC_GP || fault_error != 0 || fault_rip != insn_rip)
        xtf_error("%s: %s error code %#llx at %#llx, expected #GP(0) at %#llx", what,
                  xtf_exception_name((unsigned int)fault_vector), (unsigned long long)fault_error,
                  (unsigned long long)fault_rip, (unsigned long long)insn_rip);
    else
        printk("  ok:   %s: #GP(0)\n", what);
}

static void try_rdmsr(const char *what, uint32_t msr)
{
    uint64_t rip;
    uint32_t lo = 0, hi = 0;

    fault_vector = -1;
    __asm__ volatile("lea 1f(%%rip), %0\n\t"
                     "1: rdmsr"
                     : "=&r"(rip), "+a"(lo), "=d"(hi)
                     : "c"(msr)
                     : "memory");
    expect_gp(what, rip);
}

static void try_wrmsr(const char *what, uint32_t msr, uint64_t val)
{
    uint64_t rip;

    fault_vector = -1;
    __asm__ volatile("lea 1f(%%rip), %0\n\t"
                     "1: wrmsr"
                     : "=&r"(rip)
                     : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                     : "memory");
    expect_gp(what, rip);
}

/* Try each bad MSR access under the exception hook; each must raise #GP(0). */
void test_main(void)
{
    uint32_t a, b, c, d;

    uint64_t efer = rdmsr(MSR_EFER);
    printk("EFER %#llx\n", (unsigned long long)efer);

    xtf_set_exception_hook(hook);
    try_rdmsr("rdmsr of unknown MSR 0x12345678", UNKNOWN_MSR);
    try_wrmsr("wrmsr of unknown MSR 0x12345678", UNKNOWN_MSR, 0);
    try_wrmsr("wrmsr EFER with reserved bit 63", MSR_EFER, efer | (1ULL << 63));
    cpuid(0x80000001, &a, &b, &c, &d);
    if (c & (1u << 2))
        printk("  (CPUID advertises SVM to the guest: EFER.SVME not tried)\n");
    else
        try_wrmsr("wrmsr EFER.SVME without SVM in CPUID", MSR_EFER, efer | EFER_SVME);
    xtf_set_exception_hook(NULL);

    /* The refused writes changed nothing. */
    if (rdmsr(MSR_EFER) != efer)
        xtf_error("EFER changed to %#llx", (unsigned long long)rdmsr(MSR_EFER));
}
