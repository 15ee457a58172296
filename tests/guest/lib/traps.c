/* IDT, TSS and the C side of exception handling: a test's hook or a FAILURE verdict. */
#include "xtf.h"

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr; /* P, DPL, type 0xE = 64-bit interrupt gate */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};

/* 64-bit TSS: only RSP0 matters here, the stack for interrupts taken at CPL 3. */
struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb_offset;
};

#define USER_RETURN_VECTOR 0x82 /* must match user.S */

extern const uint64_t xtf_exception_stubs[32];
extern uint64_t xtf_gdt[];
extern const char xtf_user_return[];

static struct tss64 tss __attribute__((aligned(16)));
static uint8_t ring0_stack[8192] __attribute__((aligned(16)));

static struct idt_gate idt[256] __attribute__((aligned(16)));
static xtf_exception_fn exception_hook;

static const char *const names[32] = {
    [0] = "#DE",  [1] = "#DB",  [2] = "NMI",  [3] = "#BP",  [4] = "#OF",  [5] = "#BR",
    [6] = "#UD",  [7] = "#NM",  [8] = "#DF",  [10] = "#TS", [11] = "#NP", [12] = "#SS",
    [13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC", [18] = "#MC", [19] = "#XM",
    [20] = "#VE", [21] = "#CP", [29] = "#VC", [30] = "#SX",
};

/* Name of an exception vector ("#UD"), or "#??". */
const char *xtf_exception_name(unsigned int vector)
{
    return vector < 32 && names[vector] ? names[vector] : "#??";
}

static struct idt_gate gate(uint64_t handler, unsigned int dpl)
{
    return (struct idt_gate){
        .offset_lo = (uint16_t)handler,
        .selector = XTF_CS64,
        .type_attr = (uint8_t)(0x8E | dpl << 5), /* present, 64-bit interrupt gate */
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_hi = (uint32_t)(handler >> 32),
    };
}

/* Load a TSS whose RSP0 is a private stack, so CPL 3 code can trap back to CPL 0. */
static void tss_init(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof(tss) - 1;

    tss.rsp[0] = (uint64_t)(uintptr_t)(ring0_stack + sizeof(ring0_stack));
    tss.iopb_offset = sizeof(tss); /* no I/O bitmap: every port faults at CPL 3 */
    /* System descriptor, type 9 (available 64-bit TSS), present, 16 bytes. */
    xtf_gdt[XTF_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
                           ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    xtf_gdt[XTF_TSS / 8 + 1] = base >> 32;
    __asm__ volatile("ltr %w0" : : "r"(XTF_TSS));
}

/* Fill the IDT (exception stubs, the CPL 3 return gate), load it and a TSS. */
void xtf_traps_init(void)
{
    for (unsigned int v = 0; v < 32; v++)
        idt[v] = gate(xtf_exception_stubs[v], 0);
    idt[USER_RETURN_VECTOR] = gate((uint64_t)(uintptr_t)xtf_user_return, 3);
    struct desc_ptr p = {.limit = sizeof(idt) - 1, .base = (uint64_t)(uintptr_t)idt};
    lidt(&p);
    tss_init();
}

/* Install the test's exception hook (NULL: every exception fails the test). */
void xtf_set_exception_hook(xtf_exception_fn hook)
{
    exception_hook = hook;
}

/* Called by the stubs in traps.S with the saved state; returning resumes at regs->rip. */
void xtf_do_exception(struct xtf_regs *regs);
void xtf_do_exception(struct xtf_regs *regs)
{
    if (exception_hook && exception_hook(regs))
        return;
    xtf_failure("unexpected %s (vector %lu) error code %#lx at %04lx:%#lx, rsp %#lx",
                xtf_exception_name((unsigned int)regs->vector), (unsigned long)regs->vector,
                (unsigned long)regs->error_code, (unsigned long)regs->cs, (unsigned long)regs->rip,
                (unsigned long)regs->rsp);
}
