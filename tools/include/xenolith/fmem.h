/* xfmem: mapping another domain's guest frames into dom0 userspace (privcmd MMAPBATCH_V2). */
#ifndef XENOLITH_FMEM_H
#define XENOLITH_FMEM_H

#include <stddef.h>
#include <stdint.h>

struct xcall;

/*
 * Map the n guest frames gfns[] of domid contiguously (prot PROT_READ[|PROT_WRITE]) using the
 * privcmd handle of xc. errs (optional, n entries) gets a per-frame 0 or -errno. Returns the
 * address, or NULL with errno set (on a partial failure with errs == NULL nothing stays mapped).
 */
void *xfmem_map(struct xcall *xc, uint32_t domid, int prot, size_t n, const uint64_t *gfns,
                int *errs);
/* Unmap n frames mapped by xfmem_map at addr; 0 or -1 with errno. */
int xfmem_unmap(void *addr, size_t n);
/*
 * Map nr frames of a resource of domid (type/id as XENMEM_acquire_resource, e.g. grant table
 * type 1 id 0) starting at frame; address or NULL with errno.
 */
void *xfmem_map_resource(struct xcall *xc, uint32_t domid, unsigned int type, unsigned int id,
                         unsigned int frame, unsigned int nr, int prot);

#endif
