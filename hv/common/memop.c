/* Target domains of memory_op and grant_table_op sub-ops, kept alive by the toolstack lock. */
#include <hv/memop.h>
#include <hv/domctl.h>
#include <public/errno.h>

int memop_lock(void)
{
    return domctl_trylock() ? 0 : -XEN_ERESTART;
}

void memop_unlock(void)
{
    domctl_unlock();
}
