/* Test fixtures for the dom0 builder tests: synthetic PVH ELF images and a sparse fake guest
 * memory. */
#ifndef TEST_PVH_FIXTURE_H
#define TEST_PVH_FIXTURE_H

#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <public/elfnote.h>
#include <public/errno.h>

/* ---- synthetic ELF images ---- */

#define FX_MAX_SEGS 3

struct fx_opts {
    int bits;           /* 64 or 32 */
    int entry_size;     /* PHYS32_ENTRY descriptor size: 0 (no note), 2, 4 or 8 */
    uint64_t entry;     /* PHYS32_ENTRY value */
    bool pt_note;       /* notes reachable through a PT_NOTE program header */
    bool shdrs;         /* section header table (null section + SHT_NOTE .notes) at the end */
    unsigned int nsegs; /* PT_LOAD segments, 1..FX_MAX_SEGS */
    uint64_t paddr[FX_MAX_SEGS];
    uint64_t filesz[FX_MAX_SEGS];
    uint64_t memsz[FX_MAX_SEGS];
};

/* A typical small PVH kernel: 3 segments from 16 MiB, the last with bss, 8-byte entry note. */
static inline struct fx_opts fx_default(void)
{
    struct fx_opts o = {
        .bits = 64,
        .entry_size = 8,
        .entry = 0x1000850,
        .pt_note = true,
        .shdrs = true,
        .nsegs = 3,
        .paddr = {0x1000000, 0x1200000, 0x1400000},
        .filesz = {0x3000, 0x1800, 0x2000},
        .memsz = {0x3000, 0x1800, 0x5400},
    };
    return o;
}

/* Byte value the fixture stores at offset off of segment seg's file data. */
static inline uint8_t fx_seg_byte(unsigned int seg, uint64_t off)
{
    return (uint8_t)(0x11 * (seg + 1) + off * 7 + (off >> 8));
}

static inline size_t fx_note(uint8_t *p, const char *owner, uint32_t type, const void *desc,
                             uint32_t descsz)
{
    uint32_t namesz = (uint32_t)strlen(owner) + 1;
    size_t n = 12;

    memcpy(p, &namesz, 4);
    memcpy(p + 4, &descsz, 4);
    memcpy(p + 8, &type, 4);
    memcpy(p + n, owner, namesz);
    n += (namesz + 3) & ~3u;
    memcpy(p + n, desc, descsz);
    n += (descsz + 3) & ~3u;
    return n;
}

/* The note area: a GNU note, several Xen notes (strings, numbers, unknown type), PHYS32_ENTRY. */
static inline size_t fx_notes(uint8_t *p, const struct fx_opts *o)
{
    static const uint8_t build_id[20] = {1, 2, 3, 4, 5};
    uint32_t feat = 0x8801;
    uint64_t vbase = 0xffffffff80000000ULL;
    uint32_t odd = 0xdeadbeef;
    size_t n = 0;

    n += fx_note(p + n, "GNU", 3, build_id, sizeof(build_id));
    n += fx_note(p + n, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 6);
    n += fx_note(p + n, "Xen", XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
    n += fx_note(p + n, "Xen", XEN_ELFNOTE_VIRT_BASE, &vbase, 8);
    n += fx_note(p + n, "Xen", XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb",
                 41);
    n += fx_note(p + n, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, &feat, 4);
    n += fx_note(p + n, "Xen", 100, &odd, 4);
    if (o->entry_size) {
        uint8_t d[8];
        uint64_t v = o->entry;
        memcpy(d, &v, 8);
        n += fx_note(p + n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, d, (uint32_t)o->entry_size);
    }
    n += fx_note(p + n, "Linux", 1, &odd, 4);
    return n;
}

/* Offsets the fixture uses (exported so tests can corrupt specific fields). */
#define FX_NOTES_OFF 0x200
#define FX_DATA_OFF  0x1000

/* Build the image described by o into buf (cap bytes); returns its length (0 if it won't fit). */
static inline size_t fx_build(uint8_t *buf, size_t cap, const struct fx_opts *o)
{
    bool is64 = o->bits == 64;
    unsigned int nph = o->nsegs + (o->pt_note ? 1 : 0);
    size_t notes_len, off, shoff = 0;
    uint64_t seg_off[FX_MAX_SEGS];

    if (cap < FX_DATA_OFF)
        return 0;
    memset(buf, 0, cap);
    notes_len = fx_notes(buf + FX_NOTES_OFF, o);
    off = FX_DATA_OFF;
    for (unsigned int i = 0; i < o->nsegs; i++) {
        seg_off[i] = off;
        if (off + o->filesz[i] > cap)
            return 0;
        for (uint64_t j = 0; j < o->filesz[i]; j++)
            buf[off + j] = fx_seg_byte(i, j);
        off += (o->filesz[i] + 0xfff) & ~0xfffULL;
    }
    if (o->shdrs) {
        shoff = off;
        off += 2 * (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr));
        if (off > cap)
            return 0;
    } else if (o->nsegs) {
        /* End the file exactly at the last segment's data. */
        off = seg_off[o->nsegs - 1] + o->filesz[o->nsegs - 1];
    }

    if (is64) {
        Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
        Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
        memcpy(eh->e_ident, ELFMAG, SELFMAG);
        eh->e_ident[EI_CLASS] = ELFCLASS64;
        eh->e_ident[EI_DATA] = ELFDATA2LSB;
        eh->e_ident[EI_VERSION] = EV_CURRENT;
        eh->e_type = ET_EXEC;
        eh->e_machine = EM_X86_64;
        eh->e_version = EV_CURRENT;
        eh->e_entry = 0x1000000;
        eh->e_phoff = sizeof(*eh);
        eh->e_ehsize = sizeof(*eh);
        eh->e_phentsize = sizeof(*ph);
        eh->e_phnum = (uint16_t)nph;
        for (unsigned int i = 0; i < o->nsegs; i++) {
            ph[i] = (Elf64_Phdr){.p_type = PT_LOAD,
                                 .p_flags = PF_R | (i == 0 ? PF_X : PF_W),
                                 .p_offset = seg_off[i],
                                 .p_vaddr = 0xffffffff80000000ULL + o->paddr[i],
                                 .p_paddr = o->paddr[i],
                                 .p_filesz = o->filesz[i],
                                 .p_memsz = o->memsz[i],
                                 .p_align = 0x1000};
        }
        if (o->pt_note)
            ph[o->nsegs] = (Elf64_Phdr){.p_type = PT_NOTE,
                                        .p_offset = FX_NOTES_OFF,
                                        .p_filesz = notes_len,
                                        .p_memsz = notes_len,
                                        .p_align = 4};
        if (o->shdrs) {
            Elf64_Shdr *sh = (Elf64_Shdr *)(buf + shoff);
            eh->e_shoff = shoff;
            eh->e_shentsize = sizeof(*sh);
            eh->e_shnum = 2;
            sh[1] = (Elf64_Shdr){.sh_type = SHT_NOTE,
                                 .sh_offset = FX_NOTES_OFF,
                                 .sh_size = notes_len,
                                 .sh_addralign = 4};
        }
    } else {
        Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
        Elf32_Phdr *ph = (Elf32_Phdr *)(buf + sizeof(*eh));
        memcpy(eh->e_ident, ELFMAG, SELFMAG);
        eh->e_ident[EI_CLASS] = ELFCLASS32;
        eh->e_ident[EI_DATA] = ELFDATA2LSB;
        eh->e_ident[EI_VERSION] = EV_CURRENT;
        eh->e_type = ET_EXEC;
        eh->e_machine = EM_386;
        eh->e_version = EV_CURRENT;
        eh->e_entry = 0x1000000;
        eh->e_phoff = sizeof(*eh);
        eh->e_ehsize = sizeof(*eh);
        eh->e_phentsize = sizeof(*ph);
        eh->e_phnum = (uint16_t)nph;
        for (unsigned int i = 0; i < o->nsegs; i++) {
            ph[i] = (Elf32_Phdr){.p_type = PT_LOAD,
                                 .p_flags = PF_R | (i == 0 ? PF_X : PF_W),
                                 .p_offset = (uint32_t)seg_off[i],
                                 .p_vaddr = (uint32_t)(0xc0000000u + o->paddr[i]),
                                 .p_paddr = (uint32_t)o->paddr[i],
                                 .p_filesz = (uint32_t)o->filesz[i],
                                 .p_memsz = (uint32_t)o->memsz[i],
                                 .p_align = 0x1000};
        }
        if (o->pt_note)
            ph[o->nsegs] = (Elf32_Phdr){.p_type = PT_NOTE,
                                        .p_offset = FX_NOTES_OFF,
                                        .p_filesz = (uint32_t)notes_len,
                                        .p_memsz = (uint32_t)notes_len,
                                        .p_align = 4};
        if (o->shdrs) {
            Elf32_Shdr *sh = (Elf32_Shdr *)(buf + shoff);
            eh->e_shoff = (uint32_t)shoff;
            eh->e_shentsize = sizeof(*sh);
            eh->e_shnum = 2;
            sh[1] = (Elf32_Shdr){.sh_type = SHT_NOTE,
                                 .sh_offset = FX_NOTES_OFF,
                                 .sh_size = (uint32_t)notes_len,
                                 .sh_addralign = 4};
        }
    }
    return off;
}

/* ---- sparse fake guest memory ---- */

#define FM_BUCKETS 65536
#define FM_POISON  0xCC /* fresh pages hold this, so explicit zeroing is observable */

struct fm_page {
    uint64_t gfn;
    struct fm_page *next;
    uint8_t data[4096];
    uint8_t written[4096 / 8]; /* one bit per byte the loader wrote */
};

struct fake_mem {
    struct fm_page *bucket[FM_BUCKETS];
    uint64_t pages;
    uint64_t writes;
    int fail_at; /* make the fail_at-th write (1-based) fail; 0 = never */
    int fail_code;
    /* Optional: reject writes outside these ranges (the layout's backed regions). */
    unsigned int nr_allowed;
    uint64_t allowed_gpa[16], allowed_len[16];
    uint64_t stray_writes;
};

static inline struct fake_mem *fm_new(void)
{
    return calloc(1, sizeof(struct fake_mem));
}

static inline void fm_free(struct fake_mem *m)
{
    for (unsigned int i = 0; i < FM_BUCKETS; i++) {
        struct fm_page *p = m->bucket[i];
        while (p) {
            struct fm_page *n = p->next;
            free(p);
            p = n;
        }
    }
    free(m);
}

static inline struct fm_page *fm_page(struct fake_mem *m, uint64_t gfn, bool create)
{
    unsigned int b = (unsigned int)((gfn * 0x9E3779B97F4A7C15ULL) >> 48) % FM_BUCKETS;
    struct fm_page *p;

    for (p = m->bucket[b]; p; p = p->next)
        if (p->gfn == gfn)
            return p;
    if (!create)
        return NULL;
    p = calloc(1, sizeof(*p));
    p->gfn = gfn;
    memset(p->data, FM_POISON, sizeof(p->data));
    p->next = m->bucket[b];
    m->bucket[b] = p;
    m->pages++;
    return p;
}

static inline bool fm_allowed(struct fake_mem *m, uint64_t gpa, size_t len)
{
    if (!m->nr_allowed)
        return true;
    for (unsigned int i = 0; i < m->nr_allowed; i++)
        if (gpa >= m->allowed_gpa[i] && gpa - m->allowed_gpa[i] <= m->allowed_len[i] &&
            len <= m->allowed_len[i] - (gpa - m->allowed_gpa[i]))
            return true;
    return false;
}

/* The struct pvh_build_ops write callback. */
static inline int fm_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    struct fake_mem *m = ctx;
    const uint8_t *s = src;

    m->writes++;
    if (m->fail_at && m->writes == (uint64_t)m->fail_at)
        return m->fail_code;
    if (!fm_allowed(m, gpa, len)) {
        m->stray_writes++;
        return -XEN_EFAULT;
    }
    while (len) {
        struct fm_page *p = fm_page(m, gpa >> 12, true);
        size_t off = gpa & 0xfff, n = 4096 - off;
        if (n > len)
            n = len;
        memcpy(p->data + off, s, n);
        for (size_t i = off; i < off + n; i++)
            p->written[i / 8] |= (uint8_t)(1u << (i % 8));
        gpa += n;
        s += n;
        len -= n;
    }
    return 0;
}

/* Read len bytes at gpa (never-written pages read as zero, like fresh guest RAM). */
static inline void fm_read(struct fake_mem *m, uint64_t gpa, void *dst, size_t len)
{
    uint8_t *d = dst;

    while (len) {
        struct fm_page *p = fm_page(m, gpa >> 12, false);
        size_t off = gpa & 0xfff, n = 4096 - off;
        if (n > len)
            n = len;
        if (p)
            memcpy(d, p->data + off, n);
        else
            memset(d, 0, n);
        gpa += n;
        d += n;
        len -= n;
    }
}

/* True when every byte of [gpa, gpa + len) was written by the loader. */
static inline bool fm_all_written(struct fake_mem *m, uint64_t gpa, uint64_t len)
{
    for (uint64_t a = gpa; a < gpa + len; a++) {
        struct fm_page *p = fm_page(m, a >> 12, false);
        size_t off = a & 0xfff;
        if (!p || !(p->written[off / 8] & (1u << (off % 8))))
            return false;
    }
    return true;
}

#endif
