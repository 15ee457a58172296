/* console_io (dom0's console on the serial line; -EPERM for others) and domUs' debug-port lines. */
#include <hv/hypercall.h>
#include <hv/event.h>
#include <hv/console.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <public/errno.h>

#define CONSOLE_CHUNK     128
#define CONSOLE_WRITE_MAX (64 * 1024) /* bytes taken per call; the rest is dropped */
#define DOMU_LINE_MAX     128

/*
 * Line buffers for domains without the console: each line goes to the log
 * as "(dN) text". Slots are claimed by domain id; console_lock protects them.
 */
#define NR_LINE_SLOTS 8
static struct {
    bool used;
    uint16_t domid;
    unsigned int len;
    char buf[DOMU_LINE_MAX + 1];
} lines[NR_LINE_SLOTS];
static spinlock_t console_lock = SPINLOCK_INIT;

static void flush_line(unsigned int slot)
{
    lines[slot].buf[lines[slot].len] = '\0';
    log_printf(LOG_INFO, "(d%u) %s\n", lines[slot].domid, lines[slot].buf);
    lines[slot].len = 0;
}

/* Append domU bytes to d's line buffer, logging each complete (or full) line as "(dN) text". */
void console_domu_write(struct domain *d, const char *s, size_t n)
{
    unsigned int slot = NR_LINE_SLOTS;

    spin_lock(&console_lock);
    for (unsigned int i = 0; i < NR_LINE_SLOTS; i++) {
        if (lines[i].used && lines[i].domid == d->domain_id) {
            slot = i;
            break;
        }
        if (!lines[i].used && slot == NR_LINE_SLOTS)
            slot = i;
    }
    if (slot == NR_LINE_SLOTS) {
        /* All slots taken: reuse one, printing what it held. */
        slot = d->domain_id % NR_LINE_SLOTS;
        if (lines[slot].len)
            flush_line(slot);
    }
    if (!lines[slot].used || lines[slot].domid != d->domain_id) {
        lines[slot].used = true;
        lines[slot].domid = d->domain_id;
        lines[slot].len = 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (c == '\n') {
            flush_line(slot);
            continue;
        }
        if (c == '\r')
            continue;
        /* Guests must not drive the host terminal: only printable ASCII and tabs pass. */
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            c = '?';
        lines[slot].buf[lines[slot].len++] = c;
        if (lines[slot].len == DOMU_LINE_MAX)
            flush_line(slot);
    }
    spin_unlock(&console_lock);
}

long do_console_io(struct vcpu *v, unsigned int cmd, unsigned int count, uint64_t buf)
{
    struct domain *d = v->domain;
    char chunk[CONSOLE_CHUNK];

    /*
     * Xen (release build, default XSM policy) lets only the control domain use console_io,
     * whatever the command. Linux domUs then print through port 0xE9 (console_domu_write()).
     */
    if (!d->is_privileged)
        return -XEN_EPERM;
    switch (cmd) {
    case CONSOLEIO_write:
        count = MIN(count, (unsigned int)CONSOLE_WRITE_MAX);
        for (unsigned int done = 0; done < count;) {
            unsigned int n = MIN(count - done, (unsigned int)CONSOLE_CHUNK);

            if (copy_from_guest(v, chunk, buf + done, n))
                return -XEN_EFAULT;
            console_guest_write(chunk, n);
            done += n;
        }
        return 0;

    case CONSOLEIO_read: {
        unsigned int done = 0;

        while (done < count) {
            unsigned int want = MIN(count - done, (unsigned int)CONSOLE_CHUNK);
            size_t got = console_guest_read(chunk, want);

            if (!got)
                break;
            if (copy_to_guest(v, buf + done, chunk, got))
                return -XEN_EFAULT;
            done += (unsigned int)got;
            if (got < want)
                break;
        }
        return (long)done;
    }

    default:
        return -XEN_ENOSYS;
    }
}

void console_notify_dom0(void)
{
    struct domain *d0 = domain_by_id(0);

    if (d0)
        send_guest_global_virq(d0, VIRQ_CONSOLE);
}
