/* What Xenolith can run today: refuse non-PVH guests, devices and other settings, clearly. */
#include "domain_config.h"

#define SEE "see tools/xl/README.md"

int domain_config_check_support(const struct domain_config *dc, const char *source, struct diag *d)
{
    int errors0 = d->errors;
    size_t i;

    if (dc->type != DOMAIN_TYPE_PVH) {
        if (dc->type_at.line > 0)
            diag_error(d, dc->type_at.source, dc->type_at.line,
                       "type \"%s\" is not supported yet (only PVH guests); " SEE,
                       domain_type_name(dc->type));
        else
            diag_error(d, source, 0,
                       "no type given, so this is a PV guest (Xen's default), which is not "
                       "supported yet (only PVH guests): add type = \"pvh\"; " SEE);
    }
    if (dc->n_disks)
        diag_error(d, dc->disks_at.source, dc->disks_at.line,
                   "disk devices are not supported yet (no block backend); " SEE);
    if (dc->n_vifs)
        diag_error(d, dc->vifs_at.source, dc->vifs_at.line,
                   "network devices are not supported yet (no network backend); " SEE);
    {
        static const char *const keys[] = {"on_poweroff", "on_reboot", "on_watchdog", "on_crash"};
        const enum shutdown_action acts[] = {dc->on_poweroff, dc->on_reboot, dc->on_watchdog,
                                             dc->on_crash};

        for (i = 0; i < 4; i++)
            if (acts[i] == ACTION_COREDUMP_DESTROY || acts[i] == ACTION_COREDUMP_RESTART ||
                acts[i] == ACTION_SOFT_RESET)
                diag_error(d, dc->action_at[i].source, dc->action_at[i].line,
                           "%s = \"%s\" is not supported (Xenolith takes no core dumps and has "
                           "no soft reset): use destroy, restart, rename-restart or preserve",
                           keys[i], shutdown_action_name(acts[i]));
    }
    for (i = 0; i < dc->n_unsupported; i++)
        diag_error(d, dc->unsupported[i].at.source, dc->unsupported[i].at.line,
                   "setting `%s' is not supported yet; " SEE, dc->unsupported[i].name);
    return d->errors - errors0;
}
