/* xguest: populating a PVH layout and writing guest memory as batches of non-zero page pieces. */
#ifndef XTOOLS_GUEST_MEM_H
#define XTOOLS_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct pvh_layout;
struct xguest_backend;
struct xguest_piece;

/*
 * A writer for pvh_build_ops (ctx = this struct); zero-initialise, then set b and l. It relies
 * on populated memory being zeroed: a piece of zeros is skipped unless its frame was written
 * before. Each write goes to the backend as one batch of pieces of at most a frame.
 */
struct xguest_mem {
    const struct xguest_backend *b;
    const struct pvh_layout *l;
    const uint8_t *img;       /* optional: the kernel image the writes come from, */
    size_t img_len;           /* its length */
    const uint64_t *img_zero; /* and its zero map (struct xguest_kernel): zeros found unread */
    uint64_t *written;        /* bitmap: frames that received a non-skipped piece */
    uint64_t nr_bits;
    struct xguest_piece *pieces; /* the batch being built */
    size_t nr_pieces, cap_pieces;
    uint64_t pages_written, pages_skipped, batches; /* for tracing and tests */
    int error;                                      /* errno behind the last failed write */
    uint64_t error_gfn;
};

/* Check host memory, then populate every region of l; 0, or -1 with errno and err set. */
int xguest_populate(const struct xguest_backend *b, uint32_t domid, const struct pvh_layout *l,
                    char *err, size_t errlen);
/* pvh_build_ops.write: copy len bytes to gpa; 0 or a negative errno (details in m->error). */
int xguest_mem_write(void *ctx, uint64_t gpa, const void *src, size_t len);
/* Free the writer's memory and let the backend release what its writes set up. */
void xguest_mem_close(struct xguest_mem *m);

#endif
