/* xgnttab: mapping and copying other domains' granted pages through Linux's /dev/xen/gntdev. */
#ifndef XENOLITH_GNTTAB_H
#define XENOLITH_GNTTAB_H

#include <stdint.h>

struct xgnttab;

/* Open /dev/xen/gntdev; NULL with errno set on failure. */
struct xgnttab *xgnttab_open(void);
/* Close the handle (mappings made through it must be unmapped first; NULL is allowed). */
void xgnttab_close(struct xgnttab *xg);

/* Map grant ref of domid (one page; prot PROT_READ[|PROT_WRITE]); address or NULL with errno. */
void *xgnttab_map(struct xgnttab *xg, uint32_t domid, uint32_t ref, int prot);
/* Unmap count pages mapped at addr by xgnttab_map; 0 or -1 with errno. */
int xgnttab_unmap(struct xgnttab *xg, void *addr, unsigned int count);

/* Copy len bytes from (domid, ref, offset) into buf through GNTTABOP_copy; 0 or -1 with errno. */
int xgnttab_copy_from(struct xgnttab *xg, uint32_t domid, uint32_t ref, uint16_t offset, void *buf,
                      uint16_t len);
/* Copy len bytes from buf to (domid, ref, offset) through GNTTABOP_copy; 0 or -1 with errno. */
int xgnttab_copy_to(struct xgnttab *xg, uint32_t domid, uint32_t ref, uint16_t offset,
                    const void *buf, uint16_t len);

/* One write of xgnttab_copy_to_batch: len bytes from buf to (ref, offset) of the batch's domain. */
struct xgnttab_write {
    const void *buf;
    uint32_t ref;
    uint16_t offset, len; /* offset + len <= 4096 */
};

/*
 * Copy the n writes to domid's grants in order, many GRANT_COPY segments per ioctl; 0, or -1
 * with errno (and *bad, if given, = the index of the first write that failed).
 */
int xgnttab_copy_to_batch(struct xgnttab *xg, uint32_t domid, const struct xgnttab_write *w,
                          size_t n, size_t *bad);

#endif
