/* 2-level event channels: pending/mask bitmaps in shared_info, selector + upcall in vcpu_info. */
#include <hv/event.h>
#include <hv/lib.h>

/*
 * The guest changes other bits of the same words concurrently, so every
 * update below is a locked read-modify-write on guest-visible memory.
 */
#define WORD_BITS 64

static bool word_test_and_set(uint64_t *w, unsigned int bit)
{
    uint64_t m = 1ULL << bit;

    return (__atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m) != 0;
}

static bool word_test_and_clear(uint64_t *w, unsigned int bit)
{
    uint64_t m = 1ULL << bit;

    return (__atomic_fetch_and(w, ~m, __ATOMIC_SEQ_CST) & m) != 0;
}

static bool word_test(const uint64_t *w, unsigned int bit)
{
    return (__atomic_load_n(w, __ATOMIC_SEQ_CST) >> bit) & 1;
}

struct vcpu *domain_vcpu(struct domain *d, unsigned int id)
{
    if (id >= d->max_vcpus || id >= MAX_VCPUS)
        return NULL;
    return d->vcpus[id];
}

struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
    struct vcpu_info *vi = __atomic_load_n((struct vcpu_info **)&v->vcpu_info, __ATOMIC_ACQUIRE);
    struct shared_info *s = v->domain->shared_info;

    if (vi)
        return vi;
    if (s && v->vcpu_id < XEN_LEGACY_MAX_VCPUS)
        return &s->vcpu_info[v->vcpu_id];
    return NULL;
}

void vcpu_mark_events_pending(struct vcpu *v)
{
    struct vcpu_info *vi = vcpu_info_of(v);

    if (!vi)
        return;
    /* Only the 0 -> 1 transition needs a kick; the guest clears the flag itself. */
    if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
        return;
    vcpu_kick(v);
}

/* Flag port's word in v's selector and raise the upcall if the word was not flagged yet. */
static void flag_word_for_vcpu(struct vcpu *v, uint32_t port)
{
    struct vcpu_info *vi;

    if (!v)
        return;
    vi = vcpu_info_of(v);
    if (!vi)
        return;
    if (!word_test_and_set(&vi->evtchn_pending_sel, port / WORD_BITS))
        vcpu_mark_events_pending(v);
}

/* Wake every vCPU of d blocked in SCHEDOP_poll on port (or on several ports), masked or not. */
static void wake_pollers(struct domain *d, uint32_t port)
{
    uint64_t mask = __atomic_load_n(&d->poll_mask, __ATOMIC_SEQ_CST);

    while (mask) {
        unsigned int id = (unsigned int)__builtin_ctzll(mask);
        struct vcpu *v = domain_vcpu(d, id);

        mask &= mask - 1;
        if (!v)
            continue;
        if (v->poll_port >= 0 && (uint32_t)v->poll_port != port)
            continue;
        /* Whoever clears the bit owns the wake-up. */
        if (!(__atomic_fetch_and(&d->poll_mask, ~(1ULL << id), __ATOMIC_SEQ_CST) & (1ULL << id)))
            continue;
        v->polling = false;
        timer_stop(&v->poll_timer);
        vcpu_kick(v);
    }
}

void evtchn_2l_set_pending(struct domain *d, uint32_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int w = port / WORD_BITS, b = port % WORD_BITS;

    if (!s)
        return;
    if (word_test_and_set(&s->evtchn_pending[w], b))
        return;
    if (!word_test(&s->evtchn_mask[w], b))
        flag_word_for_vcpu(domain_vcpu(d, d->evtchn[port].notify_vcpu), port);
    wake_pollers(d, port);
}

void evtchn_2l_clear_pending(struct domain *d, uint32_t port)
{
    struct shared_info *s = d->shared_info;

    if (s)
        word_test_and_clear(&s->evtchn_pending[port / WORD_BITS], port % WORD_BITS);
}

bool evtchn_2l_is_pending(struct domain *d, uint32_t port)
{
    struct shared_info *s = d->shared_info;

    return s && word_test(&s->evtchn_pending[port / WORD_BITS], port % WORD_BITS);
}

bool evtchn_2l_is_masked(struct domain *d, uint32_t port)
{
    struct shared_info *s = d->shared_info;

    return !s || word_test(&s->evtchn_mask[port / WORD_BITS], port % WORD_BITS);
}

void evtchn_2l_unmask(struct domain *d, uint32_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int w = port / WORD_BITS, b = port % WORD_BITS;

    if (!s)
        return;
    /* Re-raise only if this call is what unmasked a pending port. */
    if (word_test_and_clear(&s->evtchn_mask[w], b) && word_test(&s->evtchn_pending[w], b))
        flag_word_for_vcpu(domain_vcpu(d, d->evtchn[port].notify_vcpu), port);
}
