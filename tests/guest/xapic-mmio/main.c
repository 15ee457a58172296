/* xAPIC MMIO through many instruction encodings: the hypervisor's decoder and next-RIP logic. */
#include "xtf.h"

const char test_title[] = "xapic-mmio: LAPIC registers at 0xFEE00000 via varied encodings";

#define APIC_PA  0xFEE00000ULL
#define APIC_ID  0x020
#define APIC_VER 0x030
#define APIC_TPR 0x080

/*
 * The page is reached at three virtual addresses, each 2 MiB mapped onto
 * APIC_PA: its own address (plain and 0x67-prefixed accesses), the top of
 * the address space (a 64-bit [disp32] is sign-extended to 0xFFFFFFFFFEE00030),
 * and 1 GiB, close enough to the code for RIP-relative addressing.
 */
#define APIC_VA_SIGNEXT 0xFFFFFFFFFEE00000ULL
#define APIC_VA_NEAR    0x40000000ULL

static uint32_t apic_id;    /* expected APIC ID (0 for vCPU 0, or what x2APIC reported) */
static uint32_t x2apic_ver; /* version read through MSR 0x803, 0 when not in x2APIC mode */

static void check(const char *what, uint64_t got, uint64_t want, uint64_t marker)
{
    if (marker != 1)
        xtf_error("%s: the instruction after it did not run (next RIP wrong?)", what);
    if (got != want)
        xtf_error("%s: got %#llx, expected %#llx", what, (unsigned long long)got,
                  (unsigned long long)want);
    else if (marker == 1)
        printk("  ok:   %s = %#llx\n", what, (unsigned long long)got);
}

/* The version register: low byte 0x14 (integrated APIC), same value as x2APIC showed. */
static void check_version(const char *what, uint64_t got, uint64_t marker)
{
    uint64_t want = x2apic_ver ? x2apic_ver : ((got & ~0xffULL) | 0x14);
    if (got >> 32)
        xtf_error("%s: upper half of the 64-bit register not cleared: %#llx", what,
                  (unsigned long long)got);
    check(what, got & 0xffffffff, want & 0xffffffff, marker);
}

static void switch_to_xapic(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

    printk("IA32_APIC_BASE = %#llx\n", (unsigned long long)base);
    if ((base & ~0xfffULL) != APIC_PA)
        xtf_failure("APIC base %#llx, expected %#llx", (unsigned long long)(base & ~0xfffULL),
                    APIC_PA);
    if (!(base & APIC_BASE_EN))
        xtf_failure("the local APIC is disabled (IA32_APIC_BASE %#llx)", (unsigned long long)base);
    if (!(base & APIC_BASE_EXTD)) {
        printk("Already in xAPIC mode\n");
        return;
    }

    apic_id = (uint32_t)rdmsr(MSR_X2APIC_ID);
    x2apic_ver = (uint32_t)rdmsr(MSR_X2APIC_VERSION);
    printk("x2APIC mode: id %u, version %#x; switching to xAPIC through 'disabled'\n", apic_id,
           x2apic_ver);
    /* x2APIC -> xAPIC directly is invalid (SDM 10.12.5); go through EN=0, EXTD=0 first. */
    wrmsr(MSR_IA32_APIC_BASE, base & ~(APIC_BASE_EN | APIC_BASE_EXTD));
    wrmsr(MSR_IA32_APIC_BASE, (base & ~APIC_BASE_EXTD) | APIC_BASE_EN);
    base = rdmsr(MSR_IA32_APIC_BASE);
    if ((base & (APIC_BASE_EN | APIC_BASE_EXTD)) != APIC_BASE_EN)
        xtf_failure("IA32_APIC_BASE %#llx after switching to xAPIC", (unsigned long long)base);
}

static void reads(void)
{
    uint64_t a, b, c, m;

    printk("Reads:\n");
    /* 8B 00: mov (%rax),%eax. A 32-bit load zero-extends into RAX. */
    a = APIC_PA + APIC_ID, m = 0;
    __asm__ volatile("mov (%%rax), %%eax\n\tmov $1, %1" : "+a"(a), "+r"(m) : : "memory");
    check("ID via mov (%rax),%eax", a, (uint64_t)apic_id << 24, m);

    /* 44 8B 48 30: mov 0x30(%rax),%r9d. REX.R names r9; RAX must stay the base. */
    {
        register uint64_t r9 __asm__("r9") = 0xdeadbeefdeadbeefULL;
        a = APIC_PA, m = 0;
        __asm__ volatile("mov 0x30(%%rax), %%r9d\n\tmov $1, %1"
                         : "+r"(r9), "+r"(m), "+a"(a)
                         :
                         : "memory");
        check_version("version via mov 0x30(%rax),%r9d", r9, m);
        check("  ...base register %rax unchanged", a, APIC_PA, 1);
    }

    /* A1 <moffs64>: movabs 0xfee00030,%eax. */
    a = 0xdeadbeefdeadbeefULL, m = 0;
    __asm__ volatile("movabs 0xfee00030, %%eax\n\tmov $1, %1" : "+a"(a), "+r"(m) : : "memory");
    check_version("version via movabs moffs64,%eax", a, m);

    /* 8B 14 25 <disp32>: mov 0xfffffffffee00030,%edx; the disp32 is sign-extended. */
    b = 0xdeadbeefdeadbeefULL, m = 0;
    __asm__ volatile("mov 0xfffffffffee00030, %%edx\n\tmov $1, %1" : "+d"(b), "+r"(m) : : "memory");
    check_version("version via mov [sign-extended disp32],%edx", b, m);

    /* 67 8B 0C 25 <disp32>: addr32 mov 0xfee00030,%ecx; 32-bit address size, no sign extension. */
    c = 0xdeadbeefdeadbeefULL, m = 0;
    __asm__ volatile("addr32 mov 0xfee00030, %%ecx\n\tmov $1, %1" : "+c"(c), "+r"(m) : : "memory");
    check_version("version via addr32 mov [disp32],%ecx", c, m);

    /*
     * 8B 35 <rel32>: mov 0x40000030(%rip-relative),%esi. Spelled in bytes
     * because the assembler would take an absolute target as the displacement;
     * rel32 is the target minus the address of the next instruction.
     */
    {
        uint64_t s = 0xdeadbeefdeadbeefULL;
        m = 0;
        __asm__ volatile(".byte 0x8b, 0x35\n\t.long 0x40000030 - 1f\n1:\n\tmov $1, %1"
                         : "+S"(s), "+r"(m)
                         :
                         : "memory");
        check_version("version via mov rel32(%rip),%esi", s, m);
    }

    /* 44 8B 14 B3: mov (%rbx,%rsi,4),%r10d; SIB with base, index and scale. */
    {
        register uint64_t r10 __asm__("r10") = 0xdeadbeefdeadbeefULL;
        uint64_t base = APIC_PA, idx = APIC_VER / 4;
        m = 0;
        __asm__ volatile("mov (%%rbx,%%rsi,4), %%r10d\n\tmov $1, %1"
                         : "+r"(r10), "+r"(m)
                         : "b"(base), "S"(idx)
                         : "memory");
        check_version("version via mov (%rbx,%rsi,4),%r10d", r10, m);
    }
}

static void tpr_round_trips(void)
{
    uint64_t a, c, m;

    printk("TPR writes and reads:\n");
    /* 87 08: xchg %ecx,(%rax), the way Linux writes APIC registers; ECX gets the old TPR. */
    a = APIC_PA + APIC_TPR, c = 0x20, m = 0;
    __asm__ volatile("xchg %%ecx, (%%rax)\n\tmov $1, %1" : "+c"(c), "+r"(m) : "a"(a) : "memory");
    check("old TPR returned by xchg %ecx,(%rax)", c, 0, m);

    /* 44 8B 18: mov (%rax),%r11d. */
    {
        register uint64_t r11 __asm__("r11") = ~0ULL;
        m = 0;
        __asm__ volatile("mov (%%rax), %%r11d\n\tmov $1, %1"
                         : "+r"(r11), "+r"(m)
                         : "a"(a)
                         : "memory");
        check("TPR read back via mov (%rax),%r11d", r11, 0x20, m);
    }

    /* C7 80 80 00 00 00 30 00 00 00: movl $0x30,0x80(%rax); immediate store, disp32. */
    a = APIC_PA, m = 0;
    __asm__ volatile("movl $0x30, 0x80(%%rax)\n\tmov $1, %0" : "+r"(m) : "a"(a) : "memory");
    {
        register uint64_t r13 __asm__("r13") = ~0ULL;
        register uint64_t r14 __asm__("r14") = APIC_PA;
        uint64_t m2 = 0;
        /* 45 8B AE 80 00 00 00: mov 0x80(%r14),%r13d; REX.R and REX.B. */
        __asm__ volatile("mov 0x80(%%r14), %%r13d\n\tmov $1, %1"
                         : "+r"(r13), "+r"(m2)
                         : "r"(r14)
                         : "memory");
        check("TPR after movl $0x30,0x80(%rax)", r13, 0x30, m == 1 ? m2 : m);
    }

    /* 45 89 AE 80 00 00 00: mov %r13d,0x80(%r14). */
    {
        register uint64_t r13 __asm__("r13") = 0x40;
        register uint64_t r14 __asm__("r14") = APIC_PA;
        m = 0;
        __asm__ volatile("mov %%r13d, 0x80(%%r14)\n\tmov $1, %0"
                         : "+r"(m)
                         : "r"(r13), "r"(r14)
                         : "memory");
        a = APIC_PA + APIC_TPR;
        uint64_t m2 = 0;
        __asm__ volatile("mov (%%rax), %%eax\n\tmov $1, %1" : "+a"(a), "+r"(m2) : : "memory");
        check("TPR after mov %r13d,0x80(%r14)", a, 0x40, m == 1 ? m2 : m);
    }
}

/* Map the APIC page, switch to xAPIC mode, exercise reads and TPR writes, switch back. */
void test_main(void)
{
    if (xtf_map_2m(APIC_PA, APIC_PA, PTE_PCD | PTE_PWT) ||
        xtf_map_2m(APIC_VA_SIGNEXT, APIC_PA, PTE_PCD | PTE_PWT) ||
        xtf_map_2m(APIC_VA_NEAR, APIC_PA, PTE_PCD | PTE_PWT))
        xtf_failure("cannot map the APIC page");

    uint64_t start_mode = rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD;
    switch_to_xapic();
    reads();
    tpr_round_trips();

    if (start_mode) {
        /* xAPIC -> x2APIC is a legal transition: the TPR written through MMIO must show. */
        wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EXTD);
        uint64_t tpr = rdmsr(MSR_X2APIC_TPR);
        check("TPR via MSR 0x808 after returning to x2APIC", tpr, 0x40, 1);
        wrmsr(MSR_X2APIC_TPR, 0);
    } else {
        uint64_t a = APIC_PA + APIC_TPR, c = 0;
        __asm__ volatile("xchg %%ecx, (%%rax)" : "+c"(c) : "a"(a) : "memory");
    }
}
