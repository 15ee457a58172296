/* Console ring indices: read once, checked, data ordered against them with acquire/release. */
#include <stdint.h>

#include "cons_ring.h"

#define OUT_SIZE ((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->out))
#define IN_SIZE  ((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->in))

/* Guest output into buf (advancing out_cons); count, or -1 for garbage indices. */
int cons_ring_take_output(struct xencons_interface *intf, char *buf, size_t cap)
{
    /* out_cons is ours; out_prod is the guest's: read it once, then the data after it. */
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->out_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX avail = prod - cons;
    size_t n = avail < cap ? avail : cap;

    if (avail > OUT_SIZE)
        return -1;
    for (size_t i = 0; i < n; i++)
        buf[i] = intf->out[MASK_XENCONS_IDX(cons + i, intf->out)];
    /* The data is copied out before the guest may reuse the space. */
    __atomic_store_n(&intf->out_cons, cons + (XENCONS_RING_IDX)n, __ATOMIC_RELEASE);
    return (int)n;
}

/* Free bytes in in[]; 0 if full or garbage. */
size_t cons_ring_input_space(const struct xencons_interface *intf)
{
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX used = prod - cons;

    return used > IN_SIZE ? 0 : IN_SIZE - used;
}

/* Keyboard input into in[] (advancing in_prod); count, or -1 for garbage indices. */
int cons_ring_put_input(struct xencons_interface *intf, const char *data, size_t len)
{
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX used = prod - cons;

    if (used > IN_SIZE)
        return -1;
    if (len > IN_SIZE - used)
        len = IN_SIZE - used;
    for (size_t i = 0; i < len; i++)
        intf->in[MASK_XENCONS_IDX(prod + i, intf->in)] = data[i];
    /* The data is in place before the guest sees the new producer index. */
    __atomic_store_n(&intf->in_prod, prod + (XENCONS_RING_IDX)len, __ATOMIC_RELEASE);
    return (int)len;
}
