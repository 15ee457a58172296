/* IDT for vectors 0-31 and the C side of exception handling: a test hook or a FAILURE verdict. */
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

extern const uint64_t xtf_exception_stubs[32];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static xtf_exception_fn exception_hook;

static const char *const names[32] = {
    [0] = "#DE",  [1] = "#DB",  [2] = "NMI",  [3] = "#BP",  [4] = "#OF",  [5] = "#BR",
    [6] = "#UD",  [7] = "#NM",  [8] = "#DF",  [10] = "#TS", [11] = "#NP", [12] = "#SS",
    [13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC", [18] = "#MC", [19] = "#XM",
    [20] = "#VE", [21] = "#CP", [29] = "#VC", [30] = "#SX",
};

const char *xtf_exception_name(unsigned int vector)
{
    return vector < 32 && names[vector] ? names[vector] : "#??";
}

/* Fill the IDT with the exception stubs and load it. */
void xtf_traps_init(void)
{
    for (unsigned int v = 0; v < 32; v++) {
        uint64_t a = xtf_exception_stubs[v];
        idt[v] = (struct idt_gate){
            .offset_lo = (uint16_t)a,
            .selector = XTF_CS64,
            .type_attr = 0x8E,
            .offset_mid = (uint16_t)(a >> 16),
            .offset_hi = (uint32_t)(a >> 32),
        };
    }
    struct desc_ptr p = {.limit = sizeof(idt) - 1, .base = (uint64_t)(uintptr_t)idt};
    lidt(&p);
}

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
