/* The verdict: exactly one "Test result:" line, then SCHEDOP_shutdown (poweroff or crash). */
#include "xtf.h"

#include <public/sched.h>

static unsigned int nr_errors;
static char first_error[200];

static void __noreturn shutdown(unsigned int reason)
{
    if (xtf_have_xen) {
        struct sched_shutdown s = {.reason = reason};
        long rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
        printk("(SCHEDOP_shutdown returned %ld; halting)\n", rc);
    }
    halt_forever();
}

/* Print the SUCCESS line (FAILURE if xtf_error() was called) and power off. */
void xtf_success(void)
{
    if (nr_errors)
        xtf_failure("%u check%s failed; first: %s", nr_errors, nr_errors == 1 ? "" : "s",
                    first_error);
    printk("Test result: SUCCESS\n");
    shutdown(SHUTDOWN_poweroff);
}

/* Print "Test result: FAILURE: <reason>" and crash the domain. */
void xtf_failure(const char *fmt, ...)
{
    char reason[300];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    printk("Test result: FAILURE: %s\n", reason);
    shutdown(SHUTDOWN_crash);
}

/* Record a failed check (printed at once, summarised in the verdict) and carry on. */
void xtf_error(const char *fmt, ...)
{
    char msg[sizeof(first_error)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!nr_errors++)
        memcpy(first_error, msg, sizeof(first_error));
    printk("  FAIL: %s\n", msg);
}

/* Compare a hypercall result with the expected one; record an error when they differ. */
bool xtf_check_rc(const char *what, long rc, long want)
{
    if (rc == want) {
        printk("  ok:   %s = %ld\n", what, rc);
        return true;
    }
    xtf_error("%s = %ld, expected %ld", what, rc, want);
    return false;
}

/* Number of failed checks recorded so far. */
unsigned int xtf_error_count(void)
{
    return nr_errors;
}
