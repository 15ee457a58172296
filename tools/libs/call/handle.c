/* Handles that are one open /dev/xen device (evtchn, gntdev): open and close in one place. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "call/call_priv.h"

void *xtools_handle_open(const char *dev, size_t size)
{
    int *h = calloc(1, size);

    if (!h)
        return NULL;
    *h = open(dev, O_RDWR | O_CLOEXEC);
    if (*h < 0) {
        int e = errno;
        free(h);
        errno = e;
        return NULL;
    }
    return h;
}

void xtools_handle_close(void *h)
{
    if (!h)
        return;
    close(*(int *)h);
    free(h);
}
