/* Network interface specifications (xl-network-configuration(5)) parsed into structs. */
#ifndef XL_VIF_H
#define XL_VIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum nic_type { NIC_TYPE_UNKNOWN, NIC_TYPE_VIF_IOEMU, NIC_TYPE_VIF };

/* A key=value the front end keeps but does not interpret (the COLO settings). */
struct vif_extra {
    char *key, *value;
};

/* One vif; strings are NULL and numbers 0 when not given. */
struct vif_spec {
    int devid;
    int mtu;
    bool has_mac;
    uint8_t mac[6];
    char *model, *ip, *bridge, *ifname, *script, *gatewaydev, *backend_domname, *vlan;
    enum nic_type nictype;
    uint64_t rate_bytes_per_interval;
    uint32_t rate_interval_usecs;
    signed char trusted; /* -1 when not given */
    struct vif_extra *extra;
    size_t n_extra;
};

/* Parse SPEC, the INDEX-th vif, into VIF (which the caller zeroes). Errors are reported as
 * `SOURCE:LINE: bad vif specification `SPEC': ...'. Returns 0 or -1. */
int vif_spec_parse(struct vif_spec *vif, const char *spec, int index, struct diag *d,
                   const char *source, int line);
/* Parse a `RATE/s[@INTERVAL]' limit; returns NULL or a static error message. */
const char *vif_parse_rate(const char *rate, uint64_t *bytes_per_interval,
                           uint32_t *interval_usecs);
/* Free the strings VIF owns. */
void vif_spec_free(struct vif_spec *vif);
/* libxl's JSON name for a nic type. */
const char *nic_type_name(enum nic_type t);

#endif
