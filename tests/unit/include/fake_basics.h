/* Fakes shared by the unit-test arch layers: timers that only record, a log buffer. */
#ifndef TEST_FAKE_BASICS_H
#define TEST_FAKE_BASICS_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <hv/console.h>
#include <hv/lib.h>
#include <hv/time.h>

static char fake_log[65536]; /* everything logged, NUL-terminated up to fake_log_len */
static size_t fake_log_len;

void timer_init(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
}

void timer_set(struct timer *t, uint64_t expires_ns)
{
    t->expires = expires_ns;
    t->active = true;
}

void timer_stop(struct timer *t)
{
    t->active = false;
}

void log_printf(int level, const char *fmt, ...)
{
    va_list ap;

    (void)level;
    va_start(ap, fmt);
    if (fake_log_len < sizeof(fake_log) - 1) {
        int n = vsnprintf(fake_log + fake_log_len, sizeof(fake_log) - fake_log_len, fmt, ap);
        if (n > 0)
            fake_log_len = MIN(fake_log_len + (size_t)n, sizeof(fake_log) - 1);
    }
    va_end(ap);
}

#endif
