/* xen_version: version numbers, build strings, and the feature bits a guest sees. */
#include <hv/hypercall.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>

/* As a Xen built without PV support reports on an HVM-capable host (the trailing space too). */
static const char capabilities[] = "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";
/* x86_64 HYPERVISOR_VIRT_START; Xen reports it to every guest kind. */
#define XEN_VIRT_START 0xFFFF800000000000ULL

/* Feature bits of submap 0 for domain d (PVH: translated, vector callback, safe pvclock). */
static uint32_t features_submap0(const struct domain *d)
{
    uint32_t f = (1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_auto_translated_physmap) |
                 (1U << XENFEAT_hvm_callback_vector) | (1U << XENFEAT_hvm_safe_pvclock) |
                 (1U << XENFEAT_memory_op_vnode_supported) | (1U << XENFEAT_not_direct_mapped);

    if (d->is_privileged)
        f |= 1U << XENFEAT_dom0;
    return f;
}

/* Copy a NUL-padded string of exactly size bytes to the guest. */
static long put_string(struct vcpu *v, uint64_t arg, const char *s, size_t size)
{
    char buf[XEN_CAPABILITIES_INFO_LEN];
    size_t n = strnlen(s, size - 1);

    BUILD_BUG_ON(XEN_COMMANDLINE_LEN > sizeof(buf) || XEN_CHANGESET_INFO_LEN > sizeof(buf) ||
                 XEN_EXTRAVERSION_LEN > sizeof(buf));
    memset(buf, 0, size);
    memcpy(buf, s, n);
    return copy_to_guest(v, arg, buf, size) ? -XEN_EFAULT : 0;
}

long do_xen_version(struct vcpu *v, unsigned int cmd, uint64_t arg)
{
    struct domain *d = v->domain;

    switch (cmd) {
    case XENVER_version:
        return (XENOLITH_XEN_MAJOR << 16) | XENOLITH_XEN_MINOR;

    case XENVER_extraversion:
        return put_string(v, arg, XENOLITH_EXTRAVERSION, XEN_EXTRAVERSION_LEN);

    case XENVER_compile_info: {
        struct xen_compile_info info;

        memset(&info, 0, sizeof(info));
        memcpy(info.compiler, "gcc", 3);
        memcpy(info.compile_by, "xenolith", 8);
        memcpy(info.compile_domain, "xenolith.invalid", 16);
        memcpy(info.compile_date, "reproducible", 12);
        return copy_to_guest(v, arg, &info, sizeof(info)) ? -XEN_EFAULT : 0;
    }

    case XENVER_capabilities:
        return put_string(v, arg, capabilities, XEN_CAPABILITIES_INFO_LEN);

    case XENVER_changeset:
        return put_string(v, arg, "xenolith", XEN_CHANGESET_INFO_LEN);

    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = {.virt_start = XEN_VIRT_START};

        return copy_to_guest(v, arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }

    case XENVER_get_features: {
        struct xen_feature_info fi;

        if (copy_from_guest(v, &fi, arg, sizeof(fi)))
            return -XEN_EFAULT;
        if (fi.submap_idx != 0)
            return -XEN_EINVAL;
        fi.submap = features_submap0(d);
        return copy_to_guest(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
    }

    case XENVER_pagesize:
        return arg ? -XEN_EINVAL : (long)PAGE_SIZE;

    case XENVER_guest_handle:
        return copy_to_guest(v, arg, d->handle, sizeof(d->handle)) ? -XEN_EFAULT : 0;

    case XENVER_commandline:
        if (!d->is_privileged)
            return -XEN_EPERM;
        return put_string(v, arg, arch_hypervisor_cmdline(), XEN_COMMANDLINE_LEN);

    case XENVER_build_id:
        if (!d->is_privileged)
            return -XEN_EPERM;
        /* No build id note is linked in. */
        return -XEN_ENODATA;

    default:
        return -XEN_ENOSYS;
    }
}
