/* PIT channel 2 and port 0x61, emulated from hypervisor time, so Linux calibrates quickly instead
 * of spinning on 0xFF. */
#include <hv/lib.h>
#include <hv/domain.h>
#include <hv/time.h>
#include <asm/hvm.h>

#define PIT_HZ 1193182ULL

/* Channel-2 state of one domain's PIT (only channel 2 is modelled; 0 and 1 read as absent). */
struct vpit {
    spinlock_t lock;   /* protects everything below */
    uint16_t reload;   /* count loaded through port 0x42 */
    uint64_t start_ns; /* now_ns() when counting started */
    uint8_t mode;      /* 0..5 from the control word */
    uint8_t access;    /* 1 lo, 2 hi, 3 lo then hi */
    bool write_hi;     /* next data write is the high byte */
    bool read_hi;      /* next data read is the high byte */
    bool latched;
    uint16_t latch;
    uint8_t port61; /* bit 0 gate, bit 1 speaker data */
};

static struct vpit *vpit_of(struct domain *d)
{
    static struct vpit pits[64];
    return &pits[d->domain_id % 64];
}

static uint64_t ticks(const struct vpit *p)
{
    return (now_ns() - p->start_ns) * PIT_HZ / 1000000000ULL;
}

static uint16_t count_now(const struct vpit *p)
{
    uint64_t period = p->reload ? p->reload : 0x10000;
    uint64_t t = ticks(p);
    if (p->mode == 2 || p->mode == 3)
        return (uint16_t)(period - t % period);
    return (uint16_t)(period - t); /* modes 0/1: counts down and wraps */
}

static bool out2(const struct vpit *p)
{
    uint64_t period = p->reload ? p->reload : 0x10000;
    if (!(p->port61 & 1))
        return false;
    if (p->mode == 0 || p->mode == 1)
        return ticks(p) >= period;
    return (ticks(p) % period) < period / 2;
}

/* Emulate an access to ports 0x42, 0x43 (channel 2 only) and 0x61; false if not one of them. */
bool vpit_portio(struct vcpu *v, uint16_t port, bool is_in, uint32_t *val)
{
    struct vpit *p = vpit_of(v->domain);
    bool handled = true;

    if (port != 0x42 && port != 0x43 && port != 0x61)
        return false;
    spin_lock(&p->lock);
    if (port == 0x61) {
        if (is_in)
            *val = (p->port61 & 3) | (out2(p) ? 0x20 : 0) | ((now_ns() / 15000) & 1 ? 0x10 : 0);
        else {
            if (!(p->port61 & 1) && (*val & 1))
                p->start_ns = now_ns(); /* gate rising edge restarts the count */
            p->port61 = *val & 3;
        }
    } else if (port == 0x43) {
        if (is_in) {
            *val = 0xFF;
        } else if (((*val >> 6) & 3) == 2) {
            if (((*val >> 4) & 3) == 0) {
                p->latched = true;
                p->latch = count_now(p);
            } else {
                p->access = (*val >> 4) & 3;
                p->mode = (*val >> 1) & 7;
                p->write_hi = p->read_hi = false;
                p->latched = false;
            }
        }
    } else if (is_in) {
        uint16_t c = p->latched ? p->latch : count_now(p);
        bool hi = p->access == 2 || (p->access == 3 && p->read_hi);
        *val = hi ? c >> 8 : c & 0xFF;
        if (p->access == 3)
            p->read_hi = !p->read_hi;
        if (p->latched && (p->access != 3 || !p->read_hi))
            p->latched = false;
    } else {
        if (p->access == 1 || (p->access == 3 && !p->write_hi))
            p->reload = (p->reload & 0xFF00) | (*val & 0xFF);
        else
            p->reload = (uint16_t)((p->reload & 0x00FF) | ((*val & 0xFF) << 8));
        if (p->access == 3)
            p->write_hi = !p->write_hi;
        if (p->access != 3 || !p->write_hi)
            p->start_ns = now_ns(); /* count fully written: start */
    }
    spin_unlock(&p->lock);
    return handled;
}
