/* xguest: populate the layout's regions (2 MiB extents where aligned) and write guest memory
 * through a sliding mapping of at most 2 MiB. */
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

/* Make the window cover gfn: the 2 MiB block around it, clipped to gfn's region. */
static int window_for(struct xguest_mem *m, uint64_t gfn)
{
    const struct pvh_region *r;
    uint64_t s, e, rs, re;

    if (m->win && gfn >= m->win_gfn && gfn - m->win_gfn < m->win_nr)
        return 0;
    r = region_of(m->l, gfn);
    if (!r) {
        m->error = EFAULT;
        return -1;
    }
    rs = r->gpa >> PAGE_SHIFT;
    re = rs + (r->size >> PAGE_SHIFT);
    s = gfn & ~(SUPER_PAGES - 1);
    e = s + SUPER_PAGES;
    s = s < rs ? rs : s;
    e = e > re ? re : e;
    xguest_mem_close(m);
    m->win = m->b->map(m->b->ctx, s, (size_t)(e - s));
    if (!m->win) {
        m->error = errno ? errno : EFAULT;
        m->error_gfn = gfn;
        return -1;
    }
    m->win_gfn = s;
    m->win_nr = (size_t)(e - s);
    m->maps++;
    return 0;
}

int xguest_mem_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    struct xguest_mem *m = ctx;
    const uint8_t *p = src;

    while (len) {
        uint64_t gfn = gpa >> PAGE_SHIFT, off, room;
        size_t n;

        if (window_for(m, gfn))
            return -m->error;
        off = gpa - (m->win_gfn << PAGE_SHIFT);
        room = ((uint64_t)m->win_nr << PAGE_SHIFT) - off;
        n = len < room ? len : (size_t)room;
        memcpy((uint8_t *)m->win + off, p, n);
        p += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

void xguest_mem_close(struct xguest_mem *m)
{
    if (m->win)
        m->b->unmap(m->b->ctx, m->win, m->win_nr);
    m->win = NULL;
    m->win_nr = 0;
}
