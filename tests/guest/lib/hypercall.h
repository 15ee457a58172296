/* Hypercall stubs for 64-bit PVH test guests: VMMCALL, number in RAX, args RDI RSI RDX R10 R8. */
#ifndef XTF_HYPERCALL_H
#define XTF_HYPERCALL_H

#include <stdint.h>

#include <public/xen.h>
#include <public/errno.h>

/*
 * The raw call. Any number and any argument values may be passed, which is
 * what the hostile-argument tests need; the typed wrappers below are for
 * ordinary use. The argument registers count as clobbered.
 */
static inline long hypercall5(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                              uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    long ret;

    __asm__ volatile("vmmcall"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : "0"(nr)
                     : "memory");
    return ret;
}

static inline long hypercall2(uint64_t nr, uint64_t a1, uint64_t a2)
{
    return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long hypercall3(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    return hypercall5(nr, a1, a2, a3, 0, 0);
}

#define HC_PTR(p) ((uint64_t)(uintptr_t)(p))

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, (uint64_t)(int64_t)cmd, HC_PTR(arg));
}

static inline long HYPERVISOR_console_io(int cmd, unsigned int count, const void *buf)
{
    return hypercall3(__HYPERVISOR_console_io, (uint64_t)(int64_t)cmd, count, HC_PTR(buf));
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, (uint64_t)(int64_t)cmd, HC_PTR(arg));
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, (uint64_t)(int64_t)cmd, HC_PTR(arg));
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, cmd, HC_PTR(arg));
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, (uint64_t)(int64_t)cmd, vcpu, HC_PTR(arg));
}

static inline long HYPERVISOR_hvm_op(unsigned int op, void *arg)
{
    return hypercall2(__HYPERVISOR_hvm_op, op, HC_PTR(arg));
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, HC_PTR(uop), count);
}

#endif /* XTF_HYPERCALL_H */
