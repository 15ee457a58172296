/* platform_op (dom0 only): setting the wall clock; every other sub-op is -ENOSYS, which dom0
 * tolerates. */
#include <hv/lib.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/pvclock.h>
#include <public/errno.h>
#include <public/platform.h>

#define PLATFORM_OP_SIZE 128 /* struct xen_platform_op: cmd, interface_version, union padded */

struct settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};

struct settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};

/* Set the wall clock: Unix time secs.nsecs was the time at guest system time system_time. */
static long settime(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    uint64_t wall = secs * 1000000000ULL + nsecs;

    if (nsecs >= 1000000000U)
        return -XEN_EINVAL;
    arch_set_wallclock_boot_ns(wall > system_time ? wall - system_time : 0);
    for (unsigned int id = 0; id < DOMID_FIRST_RESERVED; id++) {
        struct domain *d = domain_by_id((uint16_t)id);
        if (d)
            update_domain_wallclock_time(d);
    }
    return 0;
}

/* platform_op: copy in the 128-byte argument, check the interface version, run the sub-op. */
long do_platform_op(struct vcpu *v, uint64_t arg)
{
    uint8_t op[PLATFORM_OP_SIZE];
    uint32_t cmd, version;

    if (copy_from_guest(v, op, arg, sizeof(op)))
        return -XEN_EFAULT;
    memcpy(&cmd, op, 4);
    memcpy(&version, op + 4, 4);
    if (version != XENPF_INTERFACE_VERSION)
        return -XEN_EACCES;
    switch (cmd) {
    case XENPF_settime32: {
        struct settime32 t;
        memcpy(&t, op + 8, sizeof(t));
        return settime(t.secs, t.nsecs, t.system_time);
    }
    case XENPF_settime64: {
        struct settime64 t;
        memcpy(&t, op + 8, sizeof(t));
        if (t.mbz)
            return -XEN_EINVAL;
        return settime(t.secs, t.nsecs, t.system_time);
    }
    default:
        return -XEN_ENOSYS;
    }
}
