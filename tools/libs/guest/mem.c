/* xguest: populate the layout's regions (2 MiB extents where aligned) and write guest memory as
 * batches of page pieces, skipping zeros that populated memory already holds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/pvh_build.h>

#include "guest/guest_priv.h"
#include "guest/mem.h"

#define SUPER_PAGES 512ULL /* 2 MiB in 4 KiB frames */
#define SUPER_ORDER 9

/* Split every maximal run of adjacent regions into 2 MiB extents and single frames. */
static int collect_extents(const struct pvh_layout *l, uint64_t **big, size_t *nbig,
                           uint64_t **small, size_t *nsmall)
{
    uint64_t total = l->ram_pages + l->extra_pages;

    *nbig = *nsmall = 0;
    *big = malloc((total / SUPER_PAGES + 1) * sizeof(**big));
    *small = malloc((total + 1) * sizeof(**small));
    if (!*big || !*small)
        return -1;
    for (unsigned int i = 0; i < l->nr_regions;) {
        uint64_t s = l->regions[i].gpa >> PAGE_SHIFT;
        uint64_t e = s + (l->regions[i].size >> PAGE_SHIFT);

        for (i++; i < l->nr_regions && l->regions[i].gpa >> PAGE_SHIFT == e; i++)
            e += l->regions[i].size >> PAGE_SHIFT;
        for (uint64_t g = s; g < e;) {
            if (g % SUPER_PAGES == 0 && e - g >= SUPER_PAGES) {
                (*big)[(*nbig)++] = g;
                g += SUPER_PAGES;
            } else {
                (*small)[(*nsmall)++] = g++;
            }
        }
    }
    return 0;
}

int xguest_populate(const struct xguest_backend *b, uint32_t domid, const struct pvh_layout *l,
                    char *err, size_t errlen)
{
    uint64_t need_kb = (l->ram_pages + l->extra_pages) * 4, free_kb, *big, *small;
    size_t nbig, nsmall;
    long done = 0;
    int rc = 0;

    if (b->free_kb && b->free_kb(b->ctx, &free_kb) == 0 && free_kb < need_kb)
        return xguest_fail(err, errlen, ENOMEM, "memory: need %llu MiB, host has %llu MiB free",
                           (unsigned long long)(need_kb + 1023) / 1024,
                           (unsigned long long)free_kb / 1024);
    if (collect_extents(l, &big, &nbig, &small, &nsmall)) {
        rc = xguest_fail(err, errlen, ENOMEM, "memory: out of memory in the builder");
        goto out;
    }
    errno = 0;
    if (nbig)
        done = b->populate(b->ctx, SUPER_ORDER, nbig, big);
    if (done == (long)nbig && nsmall)
        done = b->populate(b->ctx, 0, nsmall, small) + (long)nbig;
    if (done != (long)(nbig + nsmall)) {
        int e = errno ? errno : ENOMEM;
        rc = xguest_fail(err, errlen, e,
                         "memory: populating %llu MiB for domain %u failed (%s); the hypervisor "
                         "may be out of memory or the domain's max_mem too low",
                         (unsigned long long)(need_kb + 1023) / 1024, domid, strerror(e));
    }
    xguest_tracef("populated %zu 2 MiB extents and %zu 4 KiB frames", nbig, nsmall);
out:
    free(big);
    free(small);
    return rc;
}

/* The region holding frame gfn, or NULL (the layout leaves it unpopulated). */
static const struct pvh_region *region_of(const struct pvh_layout *l, uint64_t gfn)
{
    for (unsigned int i = 0; i < l->nr_regions; i++) {
        uint64_t s = l->regions[i].gpa >> PAGE_SHIFT;
        if (gfn >= s && gfn - s < l->regions[i].size >> PAGE_SHIFT)
            return &l->regions[i];
    }
    return NULL;
}

/* Is src[0..n) all zero? The image's zero map answers for its own bytes, without reading them. */
static int src_zero(const struct xguest_mem *m, const uint8_t *src, size_t n)
{
    if (m->img_zero && src >= m->img && (size_t)(src - m->img) < m->img_len &&
        n <= m->img_len - (size_t)(src - m->img)) {
        size_t first = (size_t)(src - m->img) / PAGE_SIZE;
        size_t last = ((size_t)(src - m->img) + n - 1) / PAGE_SIZE;

        for (size_t i = first; i <= last; i++)
            if (!((m->img_zero[i / 64] >> (i % 64)) & 1))
                return 0;
        return 1;
    }
    return xguest_all_zero(src, n);
}

/* Has gfn received a piece (the bitmap is made on the first mark)? */
static int was_written(const struct xguest_mem *m, uint64_t gfn)
{
    return m->written && gfn < m->nr_bits && ((m->written[gfn / 64] >> (gfn % 64)) & 1);
}

/* Record that gfn receives a piece; 0, or -1 when out of memory. */
static int mark_written(struct xguest_mem *m, uint64_t gfn)
{
    if (!m->written) {
        const struct pvh_region *last = &m->l->regions[m->l->nr_regions - 1];

        m->nr_bits = (last->gpa + last->size) >> PAGE_SHIFT;
        m->written = calloc((size_t)(m->nr_bits + 63) / 64, sizeof(uint64_t));
        if (!m->written)
            return -1;
    }
    m->written[gfn / 64] |= 1ULL << (gfn % 64);
    return 0;
}

static int add_piece(struct xguest_mem *m, uint64_t gfn, size_t off, const uint8_t *src, size_t n)
{
    if (m->nr_pieces == m->cap_pieces) {
        size_t cap = m->cap_pieces ? m->cap_pieces * 2 : 64;
        struct xguest_piece *p = realloc(m->pieces, cap * sizeof(*p));

        if (!p)
            return -1;
        m->pieces = p;
        m->cap_pieces = cap;
    }
    m->pieces[m->nr_pieces++] = (struct xguest_piece){src, gfn, (uint16_t)off, (uint16_t)n};
    return 0;
}

/* Hand the batch to the backend (src pointers are only valid during the write call). */
static int flush(struct xguest_mem *m)
{
    size_t bad = 0;
    int rc = 0;

    if (m->nr_pieces) {
        m->batches++;
        if (m->b->write(m->b->ctx, m->pieces, m->nr_pieces, &bad)) {
            m->error = errno ? errno : EIO;
            m->error_gfn = m->pieces[bad < m->nr_pieces ? bad : 0].gfn;
            rc = -1;
        }
    }
    m->nr_pieces = 0;
    return rc;
}

int xguest_mem_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    struct xguest_mem *m = ctx;
    const uint8_t *p = src;

    while (len) {
        uint64_t gfn = gpa >> PAGE_SHIFT;
        size_t off = (size_t)(gpa & (PAGE_SIZE - 1));
        size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;

        if (!region_of(m->l, gfn)) {
            m->error = EFAULT;
            m->error_gfn = gfn;
            m->nr_pieces = 0;
            return -EFAULT;
        }
        if (!was_written(m, gfn) && src_zero(m, p, n)) {
            m->pages_skipped++;
        } else {
            if (mark_written(m, gfn) || add_piece(m, gfn, off, p, n)) {
                m->error = ENOMEM;
                m->error_gfn = gfn;
                m->nr_pieces = 0;
                return -ENOMEM;
            }
            m->pages_written++;
        }
        p += n;
        gpa += n;
        len -= n;
    }
    return flush(m) ? -m->error : 0;
}

void xguest_mem_close(struct xguest_mem *m)
{
    if (m->b->write_done)
        m->b->write_done(m->b->ctx);
    free(m->written);
    free(m->pieces);
    m->written = NULL;
    m->pieces = NULL;
    m->nr_pieces = m->cap_pieces = 0;
}
