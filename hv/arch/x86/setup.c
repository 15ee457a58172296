/* start_hypervisor: the boot sequence from the first C instruction to running dom0. */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/console.h>
#include <hv/cmdline.h>
#include <hv/keyhandler.h>
#include <hv/frame.h>
#include <hv/domctl.h>
#include <hv/sched.h>
#include <asm/cpu.h>
#include <asm/apic.h>
#include <asm/bootinfo.h>
#include <asm/hvm.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/serial.h>
#include <asm/smp.h>
#include <asm/time.h>

#define XENOLITH_VERSION "0.1"

extern char _start[], _end[];
int construct_dom0(const struct boot_info *bi);
void fatal_halt(void) __attribute__((noreturn));

struct range {
    uint64_t s, e;
};

/* Hand RAM in [s, e) to the allocator minus the reserved ranges; only below 'limit' now. */
static void add_ram(uint64_t s, uint64_t e, const struct range *rsv, unsigned int nr_rsv,
                    uint64_t lo_limit, uint64_t hi_limit)
{
    s = MAX(ROUNDUP(s, PAGE_SIZE), lo_limit);
    e = MIN(ROUNDDOWN(e, PAGE_SIZE), hi_limit);
    if (s >= e)
        return;
    for (unsigned int i = 0; i < nr_rsv; i++) {
        uint64_t rs = ROUNDDOWN(rsv[i].s, PAGE_SIZE), re = ROUNDUP(rsv[i].e, PAGE_SIZE);
        if (re <= s || rs >= e)
            continue;
        add_ram(s, rs, rsv, nr_rsv, lo_limit, hi_limit);
        add_ram(re, e, rsv, nr_rsv, lo_limit, hi_limit);
        return;
    }
    page_alloc_add_range((uintptr_t)s, (uintptr_t)e);
}

static unsigned int collect_reserved(const struct boot_info *bi, struct range *rsv)
{
    unsigned int n = 0;
    rsv[n++] = (struct range){(uint64_t)_start, (uint64_t)_end};
    rsv[n++] = (struct range){bi->info_start, bi->info_end};
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const char *c = bi->modules[i].cmdline;
        rsv[n++] = (struct range){bi->modules[i].start, bi->modules[i].start + bi->modules[i].size};
        rsv[n++] = (struct range){(uint64_t)c, (uint64_t)c + strlen(c) + 1};
    }
    rsv[n++] =
        (struct range){(uint64_t)bi->cmdline, (uint64_t)bi->cmdline + strlen(bi->cmdline) + 1};
    return n;
}

static void print_memory_map(const struct boot_info *bi)
{
    static const char *const types[] = {"?",         "usable",   "reserved",
                                        "ACPI data", "ACPI NVS", "unusable"};
    printk("Xenolith-provided physical RAM map (from %s):\n", bi->loader);
    for (unsigned int i = 0; i < bi->nr_mmap; i++) {
        const struct boot_mmap_entry *m = &bi->mmap[i];
        printk(" [%016llx, %016llx] %s\n", (unsigned long long)m->addr,
               (unsigned long long)(m->addr + m->len - 1),
               m->type < ARRAY_SIZE(types) ? types[m->type] : "other");
    }
}

/* First C code: bring up the console, memory, CPU tables, time, SVM, then dom0 and the scheduler.
 */
void start_hypervisor(uint32_t magic, uint32_t info_pa)
{
    static struct range rsv[2 * BOOT_MAX_MODULES + 4];
    struct boot_info *bi = &boot_info;
    uint64_t ram_top = 0;
    unsigned int nr_rsv;
    int bad_boot = parse_boot_info(magic, info_pa, bi);

    boot_opts_set_defaults();
    if (!bad_boot)
        cmdline_parse(bi->cmdline);
    console_init();

    printk(" __  __                _ _ _   _\n");
    printk(" \\ \\/ /___ _ __   ___ | (_) |_| |__\n");
    printk("  \\  // _ \\ '_ \\ / _ \\| | | __| '_ \\\n");
    printk("  /  \\  __/ | | | (_) | | | |_| | | |\n");
    printk(" /_/\\_\\___|_| |_|\\___/|_|_|\\__|_| |_|\n");
    printk("Xenolith hypervisor %s (Xen 4.17 guest ABI), built with gcc %s\n", XENOLITH_VERSION,
           __VERSION__);
    if (bad_boot) {
        pr_err("Not started by a multiboot loader (magic %#x): cannot find memory or modules\n",
               magic);
        fatal_halt();
    }
    if (bi->loader_name && bi->loader_name[0])
        printk("Bootloader: %s\n", bi->loader_name);
    printk("Command line: %s\n", bi->cmdline);
    print_memory_map(bi);

    nr_rsv = collect_reserved(bi, rsv);
    for (unsigned int i = 0; i < bi->nr_mmap; i++) {
        const struct boot_mmap_entry *m = &bi->mmap[i];
        if (m->type != 1)
            continue;
        ram_top = MAX(ram_top, m->addr + m->len);
        add_ram(m->addr, m->addr + m->len, rsv, nr_rsv, 0x100000, 4ULL << 30);
    }
    percpu_init(0);
    paging_init(ram_top);
    arch_set_max_mfn(ram_top);
    cpu_features_init();
    for (unsigned int i = 0; i < bi->nr_mmap; i++)
        if (bi->mmap[i].type == 1)
            add_ram(bi->mmap[i].addr, bi->mmap[i].addr + bi->mmap[i].len, rsv, nr_rsv, 4ULL << 30,
                    ~0ULL);
    if (frame_table_init(0, arch_max_mfn() + 1))
        panic("No memory for the frame table (%llu frames)",
              (unsigned long long)arch_max_mfn() + 1);
    printk("Memory: %llu MiB available to the page allocator\n",
           (unsigned long long)(page_alloc_free_pages() >> 8));

    /* Mask the legacy 8259 PICs: we only take LAPIC interrupts. */
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
    tsc_calibrate();
    printk("Detected %llu.%03llu MHz processor (TSC)\n", (unsigned long long)(tsc_khz() / 1000),
           (unsigned long long)(tsc_khz() % 1000));
    apic_init();
    this_cpu()->apic_id = apic_id();
    apic_timer_calibrate();
    apic_timer_oneshot_ns(TIMER_IDLE_TICK_NS);
    arch_wallclock_boot_sec();
    domain_keyhandlers_init();

    hvm_ops = hvm_probe();
    if (!hvm_ops || hvm_ops->cpu_up()) {
        pr_err("No hardware virtualization support (SVM/VMX) found: cannot start domains\n");
        fatal_halt();
    }
    printk("HVM: %s selected\n", hvm_ops->name);
    smp_boot_cpus(bi);
    sched_keyhandlers_init();

    if (construct_dom0(bi)) {
        pr_err("Could not build dom0. Xenolith stays up without it: type CTRL-a three times "
               "for the debug keys\n");
    } else {
        printk("Starting dom0\n");
        console_endboot();
    }
    sched_run();
}
