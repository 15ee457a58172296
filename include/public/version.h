/* xen_version (hypercall 17): sub-ops and the buffers they fill. */
#ifndef XENOLITH_PUBLIC_VERSION_H
#define XENOLITH_PUBLIC_VERSION_H

#include "xen.h"

#define XENVER_version             0 /* returns (major << 16) | minor, no argument */
#define XENVER_extraversion        1
#define XENVER_compile_info        2
#define XENVER_capabilities        3
#define XENVER_changeset           4
#define XENVER_platform_parameters 5
#define XENVER_get_features        6
#define XENVER_pagesize            7 /* returns the page size, no argument */
#define XENVER_guest_handle        8 /* fills a xen_domain_handle_t */
#define XENVER_commandline         9
#define XENVER_build_id            10

#define XEN_EXTRAVERSION_LEN      16
#define XEN_CAPABILITIES_INFO_LEN 1024
#define XEN_CHANGESET_INFO_LEN    64
#define XEN_COMMANDLINE_LEN       1024

#ifndef __ASSEMBLY__

#include <stdint.h>

typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];           /* e.g. ".0" */
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN]; /* e.g. "hvm-3.0-x86_64 " */
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];
typedef char xen_commandline_t[XEN_COMMANDLINE_LEN];

/* XENVER_compile_info */
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};

/* XENVER_platform_parameters */
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};

/* XENVER_get_features: submap_idx IN, submap OUT (XENFEAT_* bits of word submap_idx). */
struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};

/* XENVER_build_id: len IN = buffer size, OUT = bytes written. */
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_VERSION_H */
