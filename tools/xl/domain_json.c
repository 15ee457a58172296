/* `xl create -n' output: a domain_config as JSON shaped like libxl's (unset fields omitted). */
#include "domain_config.h"
#include "json.h"

static void opt_string(struct json *j, const char *key, const char *s)
{
    if (s)
        json_string(j, key, s);
}

static void opt_tristate(struct json *j, const char *key, signed char v)
{
    if (v >= 0)
        json_string(j, key, v ? "True" : "False");
}

static void print_disk(struct json *j, const struct disk_spec *k)
{
    json_open(j, NULL, '{');
    opt_string(j, "backend_domname", k->backend_domname);
    opt_string(j, "pdev_path", k->pdev_path);
    opt_string(j, "vdev", k->vdev);
    json_string(j, "backend", disk_backend_name(k->backend));
    json_string(j, "format", disk_format_name(k->format));
    opt_string(j, "script", k->script);
    json_uint(j, "removable", (unsigned)k->removable);
    json_uint(j, "readwrite", (unsigned)k->readwrite);
    json_uint(j, "is_cdrom", (unsigned)k->is_cdrom);
    if (k->direct_io_safe)
        json_bool(j, "direct_io_safe", true);
    opt_tristate(j, "discard_enable", k->discard_enable);
    if (k->specification != DISK_SPEC_UNKNOWN)
        json_string(j, "specification", disk_specification_name(k->specification));
    opt_tristate(j, "colo_enable", k->colo_enable);
    opt_string(j, "colo_host", k->colo_host);
    if (k->colo_port)
        json_uint(j, "colo_port", (unsigned)k->colo_port);
    opt_string(j, "colo_export", k->colo_export);
    opt_string(j, "active_disk", k->active_disk);
    opt_string(j, "hidden_disk", k->hidden_disk);
    opt_tristate(j, "trusted", k->trusted);
    opt_tristate(j, "grant_usage", k->grant_usage);
    json_close(j, '}');
}

static void print_nic(struct json *j, const struct vif_spec *v)
{
    char mac[18];
    size_t i;

    json_open(j, NULL, '{');
    opt_string(j, "backend_domname", v->backend_domname);
    json_uint(j, "devid", (unsigned)v->devid);
    if (v->mtu)
        json_uint(j, "mtu", (unsigned)v->mtu);
    opt_string(j, "vlan", v->vlan);
    opt_string(j, "model", v->model);
    if (v->has_mac) {
        snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1], v->mac[2],
                 v->mac[3], v->mac[4], v->mac[5]);
        json_string(j, "mac", mac);
    }
    opt_string(j, "ip", v->ip);
    opt_string(j, "bridge", v->bridge);
    opt_string(j, "ifname", v->ifname);
    opt_string(j, "script", v->script);
    if (v->nictype != NIC_TYPE_UNKNOWN)
        json_string(j, "nictype", nic_type_name(v->nictype));
    if (v->rate_interval_usecs) {
        json_uint(j, "rate_bytes_per_interval", v->rate_bytes_per_interval);
        json_uint(j, "rate_interval_usecs", v->rate_interval_usecs);
    }
    opt_string(j, "gatewaydev", v->gatewaydev);
    for (i = 0; i < v->n_extra; i++)
        json_string(j, v->extra[i].key, v->extra[i].value);
    opt_tristate(j, "trusted", v->trusted);
    json_close(j, '}');
}

void domain_config_print_json(const struct domain_config *dc, FILE *out)
{
    struct json j;
    unsigned i;

    json_init(&j, out);
    json_open(&j, NULL, '{');
    json_open(&j, "c_info", '{');
    json_string(&j, "type", domain_type_name(dc->type));
    opt_string(&j, "name", dc->name);
    opt_string(&j, "uuid", dc->uuid);
    json_close(&j, '}');

    json_open(&j, "b_info", '{');
    json_uint(&j, "max_vcpus", dc->max_vcpus);
    json_open(&j, "avail_vcpus", '[');
    for (i = 0; i < dc->vcpus; i++)
        json_uint(&j, NULL, i);
    json_close(&j, ']');
    json_uint(&j, "max_memkb", dc->max_memkb);
    json_uint(&j, "target_memkb", dc->target_memkb);
    opt_string(&j, "kernel", dc->kernel);
    opt_string(&j, "cmdline", dc->cmdline);
    opt_string(&j, "ramdisk", dc->ramdisk);
    if (dc->cpu_weight >= 0 || dc->cap >= 0) {
        json_open(&j, "sched_params", '{');
        if (dc->cpu_weight >= 0)
            json_uint(&j, "weight", (unsigned long long)dc->cpu_weight);
        if (dc->cap >= 0)
            json_uint(&j, "cap", (unsigned long long)dc->cap);
        json_close(&j, '}');
    }
    json_open(&j,
              dc->type == DOMAIN_TYPE_HVM   ? "type.hvm"
              : dc->type == DOMAIN_TYPE_PVH ? "type.pvh"
                                            : "type.pv",
              '{');
    json_close(&j, '}');
    json_close(&j, '}');

    if (dc->n_disks) {
        json_open(&j, "disks", '[');
        for (i = 0; i < dc->n_disks; i++)
            print_disk(&j, &dc->disks[i]);
        json_close(&j, ']');
    }
    if (dc->n_vifs) {
        json_open(&j, "nics", '[');
        for (i = 0; i < dc->n_vifs; i++)
            print_nic(&j, &dc->vifs[i]);
        json_close(&j, ']');
    }
    json_string(&j, "on_poweroff", shutdown_action_json_name(dc->on_poweroff));
    json_string(&j, "on_reboot", shutdown_action_json_name(dc->on_reboot));
    json_string(&j, "on_watchdog", shutdown_action_json_name(dc->on_watchdog));
    json_string(&j, "on_crash", shutdown_action_json_name(dc->on_crash));
    json_string(&j, "on_soft_reset", shutdown_action_json_name(dc->on_soft_reset));
    json_close(&j, '}');
}
