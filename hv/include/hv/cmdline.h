/* Hypervisor boot command line: Xen-style options parsed into struct boot_options. */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include <hv/types.h>

/* console= devices (bit mask). */
#define CONSOLE_COM1 0x1
#define CONSOLE_COM2 0x2
#define CONSOLE_VGA  0x4

/* com1= / com2=: "<baud>|auto[/<base-baud>][,DPS[,<io-base>[,<irq>]]]", e.g. "115200,8n1". */
struct serial_opts {
    bool given;         /* the option appeared on the command line */
    uint32_t baud;      /* 0 = "auto": keep the firmware's divisor and line settings */
    uint32_t base_baud; /* UART clock / 16; 115200 for a PC UART */
    uint8_t data_bits;  /* 5..8 */
    char parity;        /* 'n', 'o', 'e', 'm', 's' */
    uint8_t stop_bits;  /* 1 or 2 */
    uint16_t io_base;   /* 0x3f8 for COM1, 0x2f8 for COM2 unless overridden */
    int irq;            /* -1 = not given (the driver polls) */
};

/*
 * One dom0_mem amount: "[-]<size>", "[-][<size>+]<frac>%". The value is
 * bytes + host_memory * percent / 100, and with minus it is host_memory minus that.
 */
struct mem_amount {
    bool set;
    bool minus;
    uint64_t bytes;
    unsigned int percent; /* 0..99 */
};

struct boot_options {
    unsigned int console;            /* CONSOLE_* mask; default COM1 | VGA like Xen */
    struct serial_opts com[2];       /* [0] = com1=, [1] = com2= */
    struct mem_amount dom0_mem;      /* dom0_mem=<sz> */
    struct mem_amount dom0_mem_min;  /* dom0_mem=min:<sz> */
    struct mem_amount dom0_mem_max;  /* dom0_mem=max:<sz> */
    unsigned int dom0_max_vcpus_min; /* dom0_max_vcpus=<n> | <min>-<max>; default 1 */
    unsigned int dom0_max_vcpus_max; /* default UINT32_MAX (= number of pCPUs) */
    int loglvl;                      /* LOG_* threshold, -1 = none; default LOG_INFO */
    int guest_loglvl;                /* threshold for guest-triggered messages; default LOG_WARN */
    bool noreboot;                   /* stay halted after a panic instead of rebooting */
    bool bootscrub;           /* zero all of dom0's RAM at boot (default off, see dom0_build.c) */
    bool sync_console;        /* accepted for Xen compatibility (output is always synchronous) */
    uint16_t debug_exit_port; /* isa-debug-exit port for test runs; 0 = none */
};

extern struct boot_options boot_opts;

/* Reset boot_opts to the defaults documented above. */
void boot_opts_set_defaults(void);
/*
 * Parse a hypervisor command line into boot_opts (on top of what is there). A first word
 * that looks like an image path (contains '/', no '=') is skipped. Unknown options and bad
 * values are reported with printk and ignored. Returns the number of words rejected.
 */
int cmdline_parse(const char *cmdline);
/* Parse a com1=/com2= value into *so (io_base keeps its prior value unless given); 0 or -1. */
int parse_serial_opts(const char *s, struct serial_opts *so);
/* Evaluate a dom0_mem amount against the host's memory (bytes); saturates at 0. */
uint64_t mem_amount_resolve(const struct mem_amount *a, uint64_t host_bytes);
/*
 * dom0's memory in bytes given avail_bytes usable by it, like Xen: dom0_mem=<sz> if given,
 * else avail minus min(avail/16, 128 MiB); then clamped to [min:, max:] and to avail.
 */
uint64_t dom0_mem_bytes(uint64_t avail_bytes);

#endif
