/* Host local APIC driver: software enable, EOI, one-shot timer for hypervisor timers, IPIs. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/time.h>
#include <asm/cpu.h>
#include <asm/apic.h>
#include <asm/desc.h>

#define APIC_ID        0x020
#define APIC_EOI       0x0B0
#define APIC_SVR       0x0F0
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERR   0x370
#define APIC_TMR_INIT  0x380
#define APIC_TMR_CUR   0x390
#define APIC_TMR_DIV   0x3E0
#define LVT_MASKED     (1u << 16)

static volatile uint32_t *apic_base = (volatile uint32_t *)APIC_DEFAULT_BASE;
static uint64_t apic_ticks_per_ms;

static bool x2apic_mode; /* the firmware left the APIC in x2APIC mode: use MSRs */
static void send_icr(uint32_t dest, uint32_t low);

static inline uint32_t apic_read(uint32_t reg)
{
    if (x2apic_mode)
        return (uint32_t)rdmsr(0x800 + reg / 16);
    return apic_base[reg / 4];
}

static inline void apic_write(uint32_t reg, uint32_t v)
{
    if (x2apic_mode)
        wrmsr(0x800 + reg / 16, v);
    else
        apic_base[reg / 4] = v;
}

/* Enable this CPU's local APIC (software-enable, spurious vector, mask LVTs). */
void apic_init(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    wrmsr(MSR_IA32_APIC_BASE, base | (1u << 11));
    x2apic_mode = (base & (1u << 10)) != 0;
    apic_base = (volatile uint32_t *)(uintptr_t)(base & 0xFFFFF000UL);
    apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    apic_write(APIC_LVT_LINT1, LVT_MASKED);
    apic_write(APIC_LVT_ERR, LVT_MASKED);
    apic_write(APIC_TMR_DIV, 0xB); /* divide by 1 */
    apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
}

/* Signal end of interrupt to the local APIC. */
void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

/* This CPU's APIC ID. */
uint32_t apic_id(void)
{
    return x2apic_mode ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

/* Measure the APIC timer rate against the TSC (after TSC calibration). */
void apic_timer_calibrate(void)
{
    uint64_t t0, t1;
    uint32_t left;

    apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
    apic_write(APIC_TMR_INIT, 0xFFFFFFFF);
    t0 = now_ns();
    do {
        t1 = now_ns();
    } while (t1 - t0 < 10000000ULL); /* 10 ms */
    left = apic_read(APIC_TMR_CUR);
    apic_write(APIC_TMR_INIT, 0);
    apic_ticks_per_ms = (uint64_t)(0xFFFFFFFFu - left) * 1000000ULL / (t1 - t0);
    if (!apic_ticks_per_ms)
        apic_ticks_per_ms = 1000;
    pr_info("APIC timer: %llu kHz\n", (unsigned long long)apic_ticks_per_ms);
}

/* Arm the one-shot timer to fire VEC_TIMER after ns nanoseconds (0 = stop). */
void apic_timer_oneshot_ns(uint64_t ns)
{
    uint64_t ticks;

    if (!ns) {
        apic_write(APIC_TMR_INIT, 0);
        return;
    }
    ticks = ns * apic_ticks_per_ms / 1000000ULL;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xFFFFFFFFULL)
        ticks = 0xFFFFFFFFULL;
    apic_write(APIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
    apic_write(APIC_TMR_INIT, (uint32_t)ticks);
}

/* Send a fixed IPI with vector vec to the CPU with APIC ID dest. */
void apic_send_ipi(uint32_t dest, uint8_t vec)
{
    send_icr(dest, vec);
}

static void send_icr(uint32_t dest, uint32_t low)
{
    if (x2apic_mode) {
        wrmsr(0x830, ((uint64_t)dest << 32) | low);
        return;
    }
    while (apic_read(APIC_ICR_LO) & (1u << 12))
        cpu_relax();
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, low);
}

/* Send INIT (level assert, then de-assert) to the CPU with APIC ID dest. */
void apic_send_init(uint32_t dest)
{
    send_icr(dest, 0x4500); /* INIT, level, assert */
    send_icr(dest, 0x8500); /* INIT, level, de-assert (trigger mode level) */
}

/* Send a STARTUP IPI: the CPU starts in real mode at vector << 12. */
void apic_send_sipi(uint32_t dest, uint8_t vector)
{
    send_icr(dest, 0x4600 | vector);
}
