/* Ending the machine: ACPI S5 power-off, reboot, halt; the test exit port; panic and fatal halts.
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/cmdline.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <public/sched.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/bootinfo.h>
#include <asm/acpi.h>
#include <asm/regs.h>

/* Exit codes written to the debug_exit port (QEMU's isa-debug-exit: status = code * 2 + 1). */
#define EXIT_POWEROFF 0
#define EXIT_REBOOT   1
#define EXIT_FATAL    2

static void debug_exit(uint8_t code)
{
    if (boot_opts.debug_exit_port)
        outb(boot_opts.debug_exit_port, code);
}

/* Stop this CPU forever with interrupts off. */
void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

static int aml_small_int(const uint8_t *p, uint32_t *val)
{
    switch (p[0]) {
    case 0x00:
        *val = 0;
        return 1;
    case 0x01:
        *val = 1;
        return 1;
    case 0x0A:
        *val = p[1];
        return 2;
    default:
        return 0;
    }
}

/* Power the machine off through the firmware's ACPI PM1a control register and \_S5. */
static void acpi_poweroff(void)
{
    const uint8_t *fadt = acpi_find_table("FACP"), *dsdt;
    uint32_t pm1a, dsdt_pa, dlen, slp_typ = 0;

    if (!fadt)
        return;
    memcpy(&pm1a, fadt + 64, 4);
    memcpy(&dsdt_pa, fadt + 40, 4);
    dsdt = (const uint8_t *)(uintptr_t)dsdt_pa;
    if (dsdt_pa && !memcmp(dsdt, "DSDT", 4)) {
        memcpy(&dlen, dsdt + 4, 4);
        for (uint32_t i = 36; i + 8 < dlen; i++) {
            if (memcmp(dsdt + i, "_S5_", 4) || dsdt[i + 4] != 0x12)
                continue;
            const uint8_t *pkg = dsdt + i + 5;
            unsigned int lead = pkg[0] >> 6; /* extra PkgLength bytes */
            aml_small_int(pkg + 1 + lead + 1, &slp_typ);
            break;
        }
    }
    if (pm1a)
        outw((uint16_t)pm1a, (uint16_t)((slp_typ << 10) | (1u << 13)));
}

static void machine_reboot(void)
{
    for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
        cpu_relax();
    outb(0x64, 0xFE); /* keyboard controller reset */
    /* Fall back to a triple fault. */
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = {0, 0};
    __asm__ volatile("lidt %0; int3" : : "m"(idtr));
}

/* Stay alive without guests: interrupts on, so timers run and the debug keys keep answering. */
static void __attribute__((noreturn)) idle_forever(void)
{
    printk("Xenolith is idle: type CTRL-a three times for the debug keys\n");
    console_switch_input_to_xen();
    for (;;)
        __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* What to do when dom0 stops: power off, reboot or halt the machine per reason. */
void machine_shutdown_for_dom0(unsigned int reason)
{
    local_irq_disable();
    switch (reason) {
    case SHUTDOWN_poweroff:
        printk("Hardware Dom0 halted: halting machine\n");
        debug_exit(EXIT_POWEROFF);
        acpi_poweroff();
        /* The platform may take a moment to act on SLP_EN (QEMU handles it asynchronously). */
        for (uint64_t end = now_ns() + 2000000000ULL; now_ns() < end;)
            cpu_relax();
        printk("ACPI power-off did not take effect\n");
        break;
    case SHUTDOWN_reboot:
        if (boot_opts.noreboot) {
            printk("Hardware Dom0 requested a reboot: 'noreboot' set - not rebooting\n");
            debug_exit(EXIT_REBOOT);
        } else {
            printk("Hardware Dom0 requested a reboot: rebooting machine\n");
            debug_exit(EXIT_REBOOT);
            machine_reboot();
        }
        break;
    default:
        if (boot_opts.noreboot) {
            printk("Hardware Dom0 crashed: 'noreboot' set - not rebooting\n");
            debug_exit(EXIT_FATAL);
        } else {
            printk("Hardware Dom0 crashed: rebooting machine\n");
            debug_exit(EXIT_FATAL);
            machine_reboot();
        }
        break;
    }
    idle_forever();
}

/* Stop after a fatal boot error: report through the exit port, then halt cleanly. */
void __attribute__((noreturn)) fatal_halt(void)
{
    printk("Xenolith halted.\n");
    debug_exit(EXIT_FATAL);
    cpu_halt_forever();
}

/* Called by panic() after its message: backtrace, exit code, halt. */
void __attribute__((noreturn)) arch_panic_halt(void)
{
    uint64_t rbp;
    __asm__ volatile("movq %%rbp, %0" : "=r"(rbp));
    show_backtrace(rbp);
    fatal_halt();
}
