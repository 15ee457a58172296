/* Disk specifications (xl-disk-configuration(5)) parsed into libxl-like structs. */
#ifndef XL_DISK_H
#define XL_DISK_H

#include <stdbool.h>

#include "diag.h"

enum disk_format {
    DISK_FORMAT_UNKNOWN,
    DISK_FORMAT_QCOW,
    DISK_FORMAT_QCOW2,
    DISK_FORMAT_VHD,
    DISK_FORMAT_RAW,
    DISK_FORMAT_EMPTY,
    DISK_FORMAT_QED,
};

enum disk_backend {
    DISK_BACKEND_UNKNOWN, /* chosen when the device is attached */
    DISK_BACKEND_PHY,
    DISK_BACKEND_TAP,
    DISK_BACKEND_QDISK,
    DISK_BACKEND_STANDALONE,
};

enum disk_specification { DISK_SPEC_UNKNOWN, DISK_SPEC_XEN, DISK_SPEC_VIRTIO };

/* One disk; the tri-state flags are -1 when not given. */
struct disk_spec {
    char *pdev_path, *vdev, *script, *backend_domname;
    char *colo_host, *colo_export, *active_disk, *hidden_disk;
    int colo_port;
    enum disk_format format;
    enum disk_backend backend;
    enum disk_specification specification;
    int readwrite, is_cdrom, removable;
    bool direct_io_safe;
    signed char discard_enable, colo_enable, trusted, grant_usage;
    /* parser state */
    bool had_prefix, access_set;
};

/* Parse SPEC into DISK (which the caller zeroes). Errors are reported as
 * `SOURCE:LINE: bad disk specification `SPEC': ...'. Returns 0 or -1. */
int disk_spec_parse(struct disk_spec *disk, const char *spec, struct diag *d, const char *source,
                    int line);
/* Free the strings DISK owns. */
void disk_spec_free(struct disk_spec *disk);
/* libxl's JSON names for the enums. */
const char *disk_format_name(enum disk_format f);
const char *disk_backend_name(enum disk_backend b);
const char *disk_specification_name(enum disk_specification s);
/* Whether VDEV names a virtual device as xen-vbd-interface(7) allows. */
bool disk_vdev_valid(const char *vdev);

#endif
