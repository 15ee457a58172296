/* Target domains of memory_op and grant_table_op sub-ops, kept alive by the toolstack lock. */
#include <hv/memop.h>
#include <hv/domctl.h>
#include <hv/hypercall.h>
#include <public/errno.h>

int memop_lock(void)
{
    return domctl_trylock() ? 0 : -XEN_ERESTART;
}

void memop_unlock(void)
{
    domctl_unlock();
}

struct domain *memop_get_target(struct domain *cur, domid_t domid, bool *locked, int *err)
{
    struct domain *d;

    *locked = false;
    if (domid != DOMID_SELF && domid != cur->domain_id) {
        *err = memop_lock();
        if (*err)
            return NULL;
        *locked = true;
    }
    d = hypercall_target_domain(cur, domid, err);
    if (!d)
        memop_put_target(*locked);
    return d;
}

void memop_put_target(bool locked)
{
    if (locked)
        memop_unlock();
}
