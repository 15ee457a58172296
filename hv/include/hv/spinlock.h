/* Test-and-set spinlocks (callers manage the interrupt flag); usable on the host for unit tests. */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/types.h>

typedef struct {
    volatile int locked;
} spinlock_t;

#define SPINLOCK_INIT                                                                              \
    {                                                                                              \
        0                                                                                          \
    }

static inline void spin_lock_init(spinlock_t *l)
{
    l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
            __builtin_ia32_pause();
    }
}

static inline bool spin_trylock(spinlock_t *l)
{
    return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
