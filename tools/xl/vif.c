/* Network interface specifications (xl-network-configuration(5)): key=value items into structs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vif.h"

static bool all_digits(const char *s, const char *end)
{
    if (s == end)
        return false;
    for (; s < end; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Bytes per second from `N[GMK](B|b)/s' (b: bits). */
static const char *parse_bps(const char *s, const char *end, uint64_t *out)
{
    const char *p = s, *digits_end;
    uint64_t v;

    while (p < end && *p >= '0' && *p <= '9')
        p++;
    digits_end = p;
    if (p < end && (*p == 'G' || *p == 'M' || *p == 'K'))
        p++;
    if (!all_digits(s, digits_end) || end - p != 3 || (p[0] != 'B' && p[0] != 'b') || p[1] != '/' ||
        p[2] != 's')
        return "invalid rate (expected e.g. 10Mb/s or 1MB/s)";
    if (digits_end - s > 10)
        return "rate overflow";
    v = strtoull(s, NULL, 10);
    if (v == 0)
        return "rate must not be zero";
    if (v > UINT32_MAX)
        return "rate overflow";
    if (*digits_end == 'G')
        v *= 1000000000ull;
    else if (*digits_end == 'M')
        v *= 1000000ull;
    else if (*digits_end == 'K')
        v *= 1000ull;
    if (p[0] == 'b')
        v /= 8;
    *out = v;
    return NULL;
}

/* Microseconds from `N[m|u][s]' (no unit, or s: seconds). */
static const char *parse_interval(const char *s, const char *end, uint32_t *out)
{
    const char *p = s, *digits_end;
    uint64_t v;

    while (p < end && *p >= '0' && *p <= '9')
        p++;
    digits_end = p;
    if (p < end && (*p == 'm' || *p == 'u'))
        p++;
    if (p < end && *p == 's')
        p++;
    if (!all_digits(s, digits_end) || p != end)
        return "invalid replenishment interval (expected e.g. 50ms, 100us or 1s)";
    if (digits_end - s > 10)
        return "replenishment interval overflow";
    v = strtoull(s, NULL, 10);
    if (v == 0)
        return "replenishment interval must not be zero";
    if (digits_end == end || *digits_end == 's')
        v *= 1000000ull;
    else if (*digits_end == 'm')
        v *= 1000ull;
    if (v > UINT32_MAX)
        return "replenishment interval overflow";
    *out = (uint32_t)v;
    return NULL;
}

const char *vif_parse_rate(const char *rate, uint64_t *bytes_per_interval, uint32_t *interval_usecs)
{
    const char *at = strchr(rate, '@'), *end = rate + strlen(rate), *err;
    uint64_t bps;
    uint32_t usecs = 50000;

    if ((at ? at : end) == rate)
        return "no rate given";
    err = parse_bps(rate, at ? at : end, &bps);
    if (!err && at)
        err = parse_interval(at + 1, end, &usecs);
    if (err)
        return err;
    if (bps > UINT64_MAX / usecs)
        return "rate overflow";
    *bytes_per_interval = bps * usecs / 1000000u;
    *interval_usecs = usecs;
    return NULL;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    int i;

    for (i = 0; i < 6; i++) {
        int n = 0, v = 0;

        while (n < 2 &&
               ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))) {
            v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
            s++;
            n++;
        }
        if (!n || (i < 5 && *s++ != ':'))
            return -1;
        mac[i] = (uint8_t)v;
    }
    return *s ? -1 : 0;
}

static int parse_small_uint(const char *s, int max, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < 0 || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

static int replace(char **slot, const char *v)
{
    free(*slot);
    *slot = strdup(v);
    return *slot ? 0 : -1;
}

static int add_extra(struct vif_spec *vif, const char *key, size_t kn, const char *v)
{
    struct vif_extra *e = realloc(vif->extra, (vif->n_extra + 1) * sizeof(*e));

    if (!e)
        return -1;
    vif->extra = e;
    e[vif->n_extra].key = strndup(key, kn);
    e[vif->n_extra].value = strdup(v);
    vif->n_extra++;
    return e[vif->n_extra - 1].key && e[vif->n_extra - 1].value ? 0 : -1;
}

/* One `key=value' or flag; returns NULL or an error message written to MSG. */
static const char *item(struct vif_spec *vif, char *tok, char *msg, size_t n, struct diag *d,
                        const char *source, int line)
{
    char *v = strchr(tok, '=');
    const char *err;
    size_t kn;

    if (!v) {
        if (!strcmp(tok, "trusted") || !strcmp(tok, "untrusted")) {
            vif->trusted = tok[0] == 't';
            return NULL;
        }
        snprintf(msg, n, "unknown parameter `%.64s' (expected key=value)", tok);
        return msg;
    }
    kn = (size_t)(v - tok);
    *v++ = '\0';
    if (!strcmp(tok, "type")) {
        if (!strcmp(v, "vif"))
            vif->nictype = NIC_TYPE_VIF;
        else if (!strcmp(v, "ioemu"))
            vif->nictype = NIC_TYPE_VIF_IOEMU;
        else
            return "type must be vif or ioemu";
    } else if (!strcmp(tok, "mac")) {
        if (parse_mac(v, vif->mac))
            return "bad mac (expected six hex bytes such as 00:16:3e:01:02:03)";
        vif->has_mac = true;
    } else if (!strcmp(tok, "bridge")) {
        err = replace(&vif->bridge, v) ? "out of memory" : NULL;
        return err;
    } else if (!strcmp(tok, "netdev") || !strcmp(tok, "gatewaydev")) {
        if (tok[0] == 'n')
            diag_warn(d, source, line, "vif parameter `netdev' is deprecated; use `gatewaydev'");
        return replace(&vif->gatewaydev, v) ? "out of memory" : NULL;
    } else if (!strcmp(tok, "ip")) {
        return replace(&vif->ip, v) ? "out of memory" : NULL;
    } else if (!strcmp(tok, "script")) {
        return replace(&vif->script, v) ? "out of memory" : NULL;
    } else if (!strcmp(tok, "backend")) {
        return replace(&vif->backend_domname, v) ? "out of memory" : NULL;
    } else if (!strcmp(tok, "vifname")) {
        return replace(&vif->ifname, v) ? "out of memory" : NULL;
    } else if (!strcmp(tok, "model")) {
        return replace(&vif->model, v) ? "out of memory" : NULL;
    } else if (!strcmp(tok, "vlan")) {
        return replace(&vif->vlan, v) ? "out of memory" : NULL;
    } else if (!strcmp(tok, "rate")) {
        return vif_parse_rate(v, &vif->rate_bytes_per_interval, &vif->rate_interval_usecs);
    } else if (!strcmp(tok, "devid")) {
        if (parse_small_uint(v, 65535, &vif->devid))
            return "devid must be a number from 0 to 65535";
    } else if (!strcmp(tok, "mtu")) {
        if (parse_small_uint(v, 65535, &vif->mtu) || vif->mtu < 68)
            return "mtu must be a number from 68 to 65535";
    } else if (!strcmp(tok, "accel")) {
        diag_warn(d, source, line, "vif parameter `accel' is not supported and is ignored");
    } else if (!strncmp(tok, "colo_", 5) || !strcmp(tok, "forwarddev")) {
        return add_extra(vif, tok, kn, v) ? "out of memory" : NULL;
    } else {
        snprintf(msg, n, "unknown parameter `%.64s'", tok);
        return msg;
    }
    return NULL;
}

int vif_spec_parse(struct vif_spec *vif, const char *spec, int index, struct diag *d,
                   const char *source, int line)
{
    char *copy = strdup(spec), *tok, *save = NULL, msg[128], q[160];
    const char *err = NULL;

    vif->devid = index;
    vif->trusted = -1;
    if (!copy) {
        diag_error(d, source, line, "out of memory");
        return -1;
    }
    for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (*tok)
            err = item(vif, tok, msg, sizeof(msg), d, source, line);
    }
    free(copy);
    if (err) {
        diag_error(d, source, line, "bad vif specification `%s': %s",
                   diag_quote(q, sizeof(q), spec, (unsigned)strlen(spec)), err);
        return -1;
    }
    return 0;
}

void vif_spec_free(struct vif_spec *vif)
{
    size_t i;

    free(vif->model);
    free(vif->ip);
    free(vif->bridge);
    free(vif->ifname);
    free(vif->script);
    free(vif->gatewaydev);
    free(vif->backend_domname);
    free(vif->vlan);
    for (i = 0; i < vif->n_extra; i++) {
        free(vif->extra[i].key);
        free(vif->extra[i].value);
    }
    free(vif->extra);
}

const char *nic_type_name(enum nic_type t)
{
    static const char *const names[] = {"unknown", "vif_ioemu", "vif"};
    return (unsigned)t < 3 ? names[t] : "unknown";
}
