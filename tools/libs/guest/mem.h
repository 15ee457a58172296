/* xguest: populating a PVH layout and writing guest memory through a sliding 2 MiB mapping. */
#ifndef XTOOLS_GUEST_MEM_H
#define XTOOLS_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct pvh_layout;
struct xguest_backend;

/* A writer for pvh_build_ops (ctx = this struct); zero-initialise, then set b and l. */
struct xguest_mem {
    const struct xguest_backend *b;
    const struct pvh_layout *l;
    void *win; /* current mapping of [win_gfn, win_gfn + win_nr) */
    uint64_t win_gfn;
    size_t win_nr;
    unsigned int maps; /* mappings made (for tracing) */
    int error;         /* errno behind the last failed write */
    uint64_t error_gfn;
};

/* Check host memory, then populate every region of l; 0, or -1 with errno and err set. */
int xguest_populate(const struct xguest_backend *b, uint32_t domid, const struct pvh_layout *l,
                    char *err, size_t errlen);
/* pvh_build_ops.write: copy len bytes to gpa; 0 or a negative errno (details in m->error). */
int xguest_mem_write(void *ctx, uint64_t gpa, const void *src, size_t len);
/* Drop the current mapping. */
void xguest_mem_close(struct xguest_mem *m);

#endif
