/* A guest's configuration as xl builds it from xl.cfg settings (libxl's domain_config, reduced). */
#ifndef XL_DOMAIN_CONFIG_H
#define XL_DOMAIN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"
#include "disk.h"
#include "vif.h"

enum domain_type { DOMAIN_TYPE_HVM = 1, DOMAIN_TYPE_PV, DOMAIN_TYPE_PVH };

/* libxl's action_on_shutdown values. */
enum shutdown_action {
    ACTION_DESTROY = 1,
    ACTION_RESTART,
    ACTION_RESTART_RENAME,
    ACTION_PRESERVE,
    ACTION_COREDUMP_DESTROY,
    ACTION_COREDUMP_RESTART,
    ACTION_SOFT_RESET,
};

/* Largest memory and vCPU counts accepted. */
#define DOMAIN_MAX_MEMORY_MIB (16L << 20)
#define DOMAIN_MAX_VCPUS      128

/* Where a setting came from, for messages about it. */
struct where {
    const char *source;
    int line;
};

/* A present setting Xenolith cannot honour yet. */
struct unsupported_key {
    const char *name;
    struct where at;
};

struct domain_config {
    enum domain_type type;
    struct where type_at; /* line 0: not given, so Xen's x86 default (PV) */
    char *name, *uuid, *kernel, *ramdisk, *cmdline;
    uint64_t target_memkb, max_memkb;
    unsigned vcpus, max_vcpus;
    enum shutdown_action on_poweroff, on_reboot, on_watchdog, on_crash, on_soft_reset;
    /* Where each on_* setting was given (line 0: the default), in the order above. */
    struct where action_at[5];
    char *cpus; /* hard affinity as given ("0-3,^1", list items joined by ","), or NULL */
    struct where cpus_at;
    long cpu_weight, cap; /* credit scheduler parameters; -1: not given */
    struct disk_spec *disks;
    size_t n_disks;
    struct where disks_at;
    struct vif_spec *vifs;
    size_t n_vifs;
    struct where vifs_at;
    struct unsupported_key *unsupported;
    size_t n_unsupported;
};

/* Build DC (zeroed by the caller) from CFG read from SOURCE, with xl's defaults and checks.
 * Reports every problem; returns 0 or -1. Warns about settings xl does not know. */
int domain_config_build(struct domain_config *dc, const struct cfg *cfg, const char *source,
                        struct diag *d);
/* Refuse what Xenolith cannot run yet (non-PVH guests, devices, other settings): reports each
 * and returns how many. */
int domain_config_check_support(const struct domain_config *dc, const char *source, struct diag *d);
/* Print DC as JSON in the shape of libxl's domain_config (what `xl create -n' prints). */
void domain_config_print_json(const struct domain_config *dc, FILE *out);
/* Free what DC owns. */
void domain_config_free(struct domain_config *dc);
/* libxl's names for a domain type and a shutdown action (as in JSON). */
const char *domain_type_name(enum domain_type t);
const char *shutdown_action_json_name(enum shutdown_action a);
/* The xl.cfg spelling of a shutdown action ("rename-restart", ...). */
const char *shutdown_action_name(enum shutdown_action a);

#endif
