/* Hypercalls from CPL 3 must be refused with -EPERM and have no effect. */
#include "xtf.h"

#include <public/sched.h>
#include <public/version.h>

const char test_title[] = "hypercall-cpl3: user-mode VMMCALL gets -EPERM";

/*
 * Xen 4.17 arch/x86/hvm/hypercall.c hvm_hypercall(): in protected and long
 * mode a caller whose CPL is not 0 gets -EPERM before the hypercall number
 * is even looked at. A refused SCHEDOP_shutdown must not stop the domain, and
 * a refused console write must print nothing.
 */

static const char user_text[] = "!!! console_io from CPL 3 printed this !!!\n";

static unsigned long user_xen_version(void)
{
    return (unsigned long)hypercall5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
}

static unsigned long user_console_write(void)
{
    return (unsigned long)hypercall5(__HYPERVISOR_console_io, CONSOLEIO_write,
                                     sizeof(user_text) - 1, (uint64_t)(uintptr_t)user_text, 0, 0);
}

static struct sched_shutdown user_shutdown_arg = {.reason = SHUTDOWN_poweroff};

static unsigned long user_shutdown(void)
{
    return (unsigned long)hypercall5(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                                     (uint64_t)(uintptr_t)&user_shutdown_arg, 0, 0, 0);
}

static unsigned long user_unknown(void)
{
    return (unsigned long)hypercall5(60, 0, 0, 0, 0, 0);
}

static unsigned long user_cs(void)
{
    unsigned long cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    return cs;
}

/* Make each hypercall from CPL 3 and expect -EPERM, then one from CPL 0. */
void test_main(void)
{
    static const struct {
        const char *what;
        unsigned long (*fn)(void);
    } calls[] = {
        {"xen_version(XENVER_version) at CPL 3", user_xen_version},
        {"console_io(CONSOLEIO_write) at CPL 3", user_console_write},
        {"sched_op(SCHEDOP_shutdown, poweroff) at CPL 3", user_shutdown},
        {"hypercall 60 at CPL 3", user_unknown},
    };

    if (!xtf_have_xen)
        xtf_failure("no Xen CPUID leaves: cannot make hypercalls");

    unsigned long cs = xtf_exec_user(user_cs);
    if ((cs & 3) != 3)
        xtf_failure("xtf_exec_user ran at CS %#lx, not CPL 3", cs);

    for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++)
        xtf_check_rc(calls[i].what, (long)xtf_exec_user(calls[i].fn), -XEN_EPERM);

    /* Still alive, and CPL 0 calls still work. */
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);
    if (v < (4 << 16))
        xtf_error("XENVER_version at CPL 0 afterwards = %#lx", v);
}
