/* sched_op (hypercall 29): sub-ops, shutdown reasons and argument structs. */
#ifndef XENOLITH_PUBLIC_SCHED_H
#define XENOLITH_PUBLIC_SCHED_H

#include "event_channel.h"

#define SCHEDOP_yield           0
#define SCHEDOP_block           1
#define SCHEDOP_shutdown        2
#define SCHEDOP_poll            3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code   5
#define SCHEDOP_watchdog        6
#define SCHEDOP_pin_override    7

/* Shutdown reasons (sched_shutdown.reason, also reported to the toolstack). */
#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

#ifndef __ASSEMBLY__

#include <stdint.h>

/* SCHEDOP_shutdown, SCHEDOP_shutdown_code */
struct sched_shutdown {
    uint32_t reason; /* SHUTDOWN_* */
};

/* SCHEDOP_poll: block until one of ports[] is pending or timeout (absolute ns, 0 = none). */
struct sched_poll {
    uint64_t ports; /* guest pointer to evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint32_t _pad0;
    uint64_t timeout;
};

/* SCHEDOP_remote_shutdown */
struct sched_remote_shutdown {
    domid_t domain_id;
    uint16_t _pad0;
    uint32_t reason; /* SHUTDOWN_* */
};

/* SCHEDOP_watchdog: id 0 creates, timeout 0 destroys. */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout; /* seconds */
};

/* SCHEDOP_pin_override */
struct sched_pin_override {
    int32_t pcpu;
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_SCHED_H */
