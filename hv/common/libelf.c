/* ELF kernel image parser: every header, segment and note range is checked against the image size.
 */
#include <hv/lib.h>
#include <hv/libelf.h>
#include <public/elfnote.h>
#include <public/errno.h>

/* ---- failure messages ---- */

struct msgbuf {
    char *p;
    size_t len, cap; /* cap includes the terminating NUL */
};

static void msg_putc(struct msgbuf *m, char c)
{
    if (m->len + 1 < m->cap)
        m->p[m->len++] = c;
}

static void msg_puts(struct msgbuf *m, const char *s)
{
    if (!s)
        s = "(null)";
    while (*s)
        msg_putc(m, *s++);
}

static void msg_putu(struct msgbuf *m, uint64_t v, unsigned int base)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        msg_putc(m, tmp[--n]);
}

int build_err_set(struct build_err *err, int code, const char *fmt, ...)
{
    struct msgbuf m;
    va_list ap;

    if (!err)
        return code;
    err->code = code;
    m = (struct msgbuf){.p = err->msg, .len = 0, .cap = sizeof(err->msg)};
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            msg_putc(&m, *f);
            continue;
        }
        f++;
        bool is_long = false;
        if (*f == 'l') {
            is_long = true;
            f++;
        }
        switch (*f) {
        case 's':
            msg_puts(&m, va_arg(ap, const char *));
            break;
        case 'c':
            msg_putc(&m, (char)va_arg(ap, int));
            break;
        case 'd': {
            long v = is_long ? va_arg(ap, long) : va_arg(ap, int);
            if (v < 0) {
                msg_putc(&m, '-');
                msg_putu(&m, 0 - (uint64_t)v, 10);
            } else {
                msg_putu(&m, (uint64_t)v, 10);
            }
            break;
        }
        case 'u':
            msg_putu(&m, is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 10);
            break;
        case 'x':
            msg_putu(&m, is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 16);
            break;
        case '%':
            msg_putc(&m, '%');
            break;
        case '\0':
            f--; /* lone '%' at the end: stop at the terminator */
            break;
        default:
            msg_putc(&m, '%');
            msg_putc(&m, *f);
            break;
        }
    }
    va_end(ap);
    m.p[m.len] = '\0';
    return code;
}

/* ---- little-endian field access (the image may be unaligned) ---- */

static uint64_t get_le(const uint8_t *p, unsigned int size)
{
    uint64_t v = 0;

    for (unsigned int i = size; i > 0; i--)
        v = (v << 8) | p[i - 1];
    return v;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)get_le(p, 2);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)get_le(p, 4);
}

static uint64_t rd64(const uint8_t *p)
{
    return get_le(p, 8);
}

/* True when [off, off + size) lies inside a buffer of len bytes; never overflows. */
static bool in_bounds(size_t len, uint64_t off, uint64_t size)
{
    return off <= len && size <= len - off;
}

/* ---- file layout (offsets into the ELF headers, per class) ---- */

#define EI_NIDENT     16
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define EHDR32_SIZE   52
#define EHDR64_SIZE   64
#define PHDR32_SIZE   32
#define PHDR64_SIZE   56
#define SHDR32_SIZE   40
#define SHDR64_SIZE   64
#define PN_XNUM       0xffff
#define NOTE_HDR_SIZE 12

/* A program header in class-neutral form. */
struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static void read_phdr(const struct elf_image *e, unsigned int i, struct phdr *ph)
{
    const uint8_t *p = e->data + e->phoff + (uint64_t)i * e->phentsize;

    ph->type = rd32(p);
    if (e->elf_class == ELF_CLASS64) {
        ph->flags = rd32(p + 4);
        ph->offset = rd64(p + 8);
        ph->vaddr = rd64(p + 16);
        ph->paddr = rd64(p + 24);
        ph->filesz = rd64(p + 32);
        ph->memsz = rd64(p + 40);
        ph->align = rd64(p + 48);
    } else {
        ph->offset = rd32(p + 4);
        ph->vaddr = rd32(p + 8);
        ph->paddr = rd32(p + 12);
        ph->filesz = rd32(p + 16);
        ph->memsz = rd32(p + 20);
        ph->flags = rd32(p + 24);
        ph->align = rd32(p + 28);
    }
}

/* Section header fields the parser needs. */
struct shdr {
    uint32_t type;
    uint64_t offset, size, align;
};

static void read_shdr(const struct elf_image *e, unsigned int i, struct shdr *sh)
{
    const uint8_t *p = e->data + e->shoff + (uint64_t)i * e->shentsize;

    sh->type = rd32(p + 4);
    if (e->elf_class == ELF_CLASS64) {
        sh->offset = rd64(p + 24);
        sh->size = rd64(p + 32);
        sh->align = rd64(p + 48);
    } else {
        sh->offset = rd32(p + 16);
        sh->size = rd32(p + 20);
        sh->align = rd32(p + 32);
    }
}

/* ---- Xen notes ---- */

/* Copy a string note (not necessarily NUL-terminated in the image), truncating to fit. */
static void note_string(char *dst, const uint8_t *desc, uint32_t descsz)
{
    size_t n = 0;

    while (n < descsz && n < ELF_NOTE_STR_LEN - 1 && desc[n] != '\0') {
        dst[n] = (char)desc[n];
        n++;
    }
    dst[n] = '\0';
}

/* Read a numeric note of 1, 2, 4 or 8 bytes; false for any other size. */
static bool note_number(const uint8_t *desc, uint32_t descsz, uint64_t *val)
{
    if (descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8)
        return false;
    *val = get_le(desc, descsz);
    return true;
}

/* Record one Xen-owned note; only a malformed PHYS32_ENTRY is an error (it is the PVH contract). */
static int xen_note(struct elf_xen_notes *x, uint32_t type, const uint8_t *desc, uint32_t descsz,
                    struct build_err *err)
{
    uint64_t v;

    x->count++;
    switch (type) {
    case XEN_ELFNOTE_PHYS32_ENTRY:
        if (descsz != 4 && descsz != 8)
            return build_err_set(
                err, -XEN_EINVAL,
                "XEN_ELFNOTE_PHYS32_ENTRY has a %u-byte descriptor (expected 4 or 8)", descsz);
        v = get_le(desc, descsz);
        if (v > 0xffffffffUL)
            return build_err_set(err, -XEN_EINVAL,
                                 "XEN_ELFNOTE_PHYS32_ENTRY 0x%lx is not a 32-bit address",
                                 (unsigned long)v);
        x->has_phys32_entry = true;
        x->phys32_entry = v;
        x->phys32_entry_size = descsz;
        break;
    case XEN_ELFNOTE_PHYS32_RELOC:
        x->has_phys32_reloc = true;
        break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        /* An array of 32-bit submaps; submap 0 is the only one defined. */
        if (descsz >= 4) {
            x->supported_features = rd32(desc);
            x->has_supported_features = true;
        } else if (note_number(desc, descsz, &v)) {
            x->supported_features = (uint32_t)v;
            x->has_supported_features = true;
        }
        break;
    case XEN_ELFNOTE_ENTRY:
        x->has_entry = note_number(desc, descsz, &x->entry);
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        x->has_virt_base = note_number(desc, descsz, &x->virt_base);
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        x->has_paddr_offset = note_number(desc, descsz, &x->paddr_offset);
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        x->has_hypercall_page = note_number(desc, descsz, &x->hypercall_page);
        break;
    case XEN_ELFNOTE_HV_START_LOW:
        x->has_hv_start_low = note_number(desc, descsz, &x->hv_start_low);
        break;
    case XEN_ELFNOTE_INIT_P2M:
        x->has_init_p2m = note_number(desc, descsz, &x->init_p2m);
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        x->has_mod_start_pfn = note_number(desc, descsz, &x->mod_start_pfn);
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        x->has_suspend_cancel = note_number(desc, descsz, &x->suspend_cancel);
        break;
    case XEN_ELFNOTE_GUEST_OS:
        note_string(x->guest_os, desc, descsz);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        note_string(x->guest_version, desc, descsz);
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        note_string(x->xen_version, desc, descsz);
        break;
    case XEN_ELFNOTE_LOADER:
        note_string(x->loader, desc, descsz);
        break;
    case XEN_ELFNOTE_FEATURES:
        note_string(x->features, desc, descsz);
        break;
    case XEN_ELFNOTE_PAE_MODE:
        note_string(x->pae_mode, desc, descsz);
        break;
    default:
        break; /* other types are not needed to build a PVH domain */
    }
    return 0;
}

static bool owner_is_xen(const uint8_t *name, uint32_t namesz)
{
    if (namesz == 4)
        return memcmp(name, "Xen", 4) == 0; /* includes the NUL */
    return namesz == 3 && memcmp(name, "Xen", 3) == 0;
}

/*
 * Walk the notes in image bytes [off, off + size) (already bounds-checked). Entries are padded to
 * align (4, or 8 for 8-aligned note segments); the padding after the last descriptor may be cut
 * off by the end of the range. what/idx name the container in messages.
 */
static int walk_notes(struct elf_image *e, uint64_t off, uint64_t size, uint64_t align,
                      const char *what, unsigned int idx, struct build_err *err)
{
    const uint8_t *base = e->data + off;
    uint64_t pos = 0;

    while (size - pos >= NOTE_HDR_SIZE) {
        uint32_t namesz = rd32(base + pos);
        uint32_t descsz = rd32(base + pos + 4);
        uint32_t type = rd32(base + pos + 8);
        uint64_t name_at = pos + NOTE_HDR_SIZE;
        /* Name and descriptor each start aligned from the note's start (gABI; 8 for
         * .note.gnu.property, where rounding only namesz would misplace the descriptor). */
        uint64_t desc_at = ROUNDUP(name_at + namesz, align);

        if (!in_bounds(size, name_at, namesz) || !in_bounds(size, desc_at, descsz))
            return build_err_set(err, -XEN_EINVAL,
                                 "%s %u: note at offset 0x%lx runs past the end of the notes", what,
                                 idx, (unsigned long)(off + pos));
        if (owner_is_xen(base + name_at, namesz)) {
            int rc = xen_note(&e->xen, type, base + desc_at, descsz, err);
            if (rc)
                return rc;
        }
        pos = ROUNDUP(desc_at + descsz, align);
        if (pos >= size)
            break;
    }
    return 0;
}

/* ---- image validation ---- */

static int parse_ident(struct elf_image *e, struct build_err *err)
{
    const uint8_t *d = e->data;

    if (e->len < 4 || d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F')
        return build_err_set(err, -XEN_ENOEXEC, "not an ELF image");
    if (e->len < EI_NIDENT)
        return build_err_set(err, -XEN_EINVAL, "truncated ELF header (%lu bytes)",
                             (unsigned long)e->len);
    if (d[EI_CLASS] != ELF_CLASS64 && d[EI_CLASS] != ELF_CLASS32)
        return build_err_set(err, -XEN_ENOEXEC, "unknown ELF class %u", d[EI_CLASS]);
    if (d[EI_DATA] != ELF_DATA_LSB)
        return build_err_set(err, -XEN_ENOEXEC, "ELF image is not little-endian");
    if (d[EI_VERSION] != 1)
        return build_err_set(err, -XEN_ENOEXEC, "unknown ELF version %u", d[EI_VERSION]);
    e->elf_class = d[EI_CLASS];
    return 0;
}

static int parse_ehdr(struct elf_image *e, struct build_err *err)
{
    const uint8_t *d = e->data;
    bool is64 = e->elf_class == ELF_CLASS64;
    unsigned int phsize = is64 ? PHDR64_SIZE : PHDR32_SIZE;
    unsigned int shsize = is64 ? SHDR64_SIZE : SHDR32_SIZE;

    if (e->len < (is64 ? EHDR64_SIZE : EHDR32_SIZE))
        return build_err_set(err, -XEN_EINVAL, "truncated ELF header (%lu bytes)",
                             (unsigned long)e->len);
    e->type = rd16(d + 16);
    e->machine = rd16(d + 18);
    if (rd32(d + 20) != 1)
        return build_err_set(err, -XEN_ENOEXEC, "unknown ELF version %u", rd32(d + 20));
    if (is64) {
        e->e_entry = rd64(d + 24);
        e->phoff = rd64(d + 32);
        e->shoff = rd64(d + 40);
        e->phentsize = rd16(d + 54);
        e->phnum = rd16(d + 56);
        e->shentsize = rd16(d + 58);
        e->shnum = rd16(d + 60);
    } else {
        e->e_entry = rd32(d + 24);
        e->phoff = rd32(d + 28);
        e->shoff = rd32(d + 32);
        e->phentsize = rd16(d + 42);
        e->phnum = rd16(d + 44);
        e->shentsize = rd16(d + 46);
        e->shnum = rd16(d + 48);
    }
    if (e->type != ELF_ET_EXEC && e->type != ELF_ET_DYN)
        return build_err_set(err, -XEN_ENOEXEC, "ELF type %u is not an executable", e->type);
    if (e->machine != (is64 ? ELF_EM_X86_64 : ELF_EM_386))
        return build_err_set(err, -XEN_ENOEXEC, "ELF machine %u is not %s", e->machine,
                             is64 ? "x86-64" : "i386");
    if (e->phnum == 0)
        return build_err_set(err, -XEN_ENOEXEC, "ELF image has no program headers");
    if (e->phnum == PN_XNUM)
        return build_err_set(err, -XEN_EINVAL, "too many program headers");
    if (e->phentsize < phsize)
        return build_err_set(err, -XEN_EINVAL, "program header size %u is too small (need %u)",
                             e->phentsize, phsize);
    if (!in_bounds(e->len, e->phoff, (uint64_t)e->phnum * e->phentsize))
        return build_err_set(err, -XEN_EINVAL, "truncated program header table");
    if (e->shnum) {
        if (e->shentsize < shsize)
            return build_err_set(err, -XEN_EINVAL, "section header size %u is too small (need %u)",
                                 e->shentsize, shsize);
        if (!in_bounds(e->len, e->shoff, (uint64_t)e->shnum * e->shentsize))
            return build_err_set(err, -XEN_EINVAL, "truncated section header table");
    }
    return 0;
}

static int check_phdrs(struct elf_image *e, struct build_err *err)
{
    struct phdr ph;

    e->load_paddr_min = UINT64_MAX;
    e->load_paddr_end = 0;
    for (unsigned int i = 0; i < e->phnum; i++) {
        read_phdr(e, i, &ph);
        if (ph.type != ELF_PT_LOAD && ph.type != ELF_PT_NOTE)
            continue;
        if (!in_bounds(e->len, ph.offset, ph.filesz))
            return build_err_set(err, -XEN_EINVAL, "segment %u extends past end of image", i);
        if (ph.type == ELF_PT_NOTE)
            continue;
        if (ph.filesz > ph.memsz)
            return build_err_set(err, -XEN_EINVAL,
                                 "segment %u: file size 0x%lx exceeds memory size 0x%lx", i,
                                 (unsigned long)ph.filesz, (unsigned long)ph.memsz);
        if (ph.paddr + ph.memsz < ph.paddr)
            return build_err_set(err, -XEN_EINVAL,
                                 "segment %u wraps around the physical address space", i);
        e->nr_loads++;
        e->load_paddr_min = MIN(e->load_paddr_min, ph.paddr);
        e->load_paddr_end = MAX(e->load_paddr_end, ph.paddr + ph.memsz);
    }
    if (e->nr_loads == 0)
        return build_err_set(err, -XEN_ENOEXEC, "ELF image has no loadable segments");
    return 0;
}

static int find_notes(struct elf_image *e, struct build_err *err)
{
    struct phdr ph;
    struct shdr sh;
    int rc;

    for (unsigned int i = 0; i < e->phnum; i++) {
        read_phdr(e, i, &ph);
        if (ph.type != ELF_PT_NOTE)
            continue;
        rc = walk_notes(e, ph.offset, ph.filesz, ph.align == 8 ? 8 : 4, "note segment", i, err);
        if (rc)
            return rc;
    }
    if (e->xen.count)
        return 0;

    /* No Xen note reachable from the program headers: look at note sections. */
    for (unsigned int i = 0; i < e->shnum; i++) {
        read_shdr(e, i, &sh);
        if (sh.type != ELF_SHT_NOTE)
            continue;
        if (!in_bounds(e->len, sh.offset, sh.size))
            return build_err_set(err, -XEN_EINVAL, "note section %u extends past end of image", i);
        rc = walk_notes(e, sh.offset, sh.size, sh.align == 8 ? 8 : 4, "note section", i, err);
        if (rc)
            return rc;
    }
    if (e->xen.count)
        e->xen.from_sections = true;
    return 0;
}

int elf_parse(const void *data, size_t len, struct elf_image *out, struct build_err *err)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
    if (!data)
        return build_err_set(err, -XEN_EINVAL, "no kernel image");
    out->data = data;
    out->len = len;
    rc = parse_ident(out, err);
    if (!rc)
        rc = parse_ehdr(out, err);
    if (!rc)
        rc = check_phdrs(out, err);
    if (!rc)
        rc = find_notes(out, err);
    return rc;
}

int elf_get_load(const struct elf_image *img, unsigned int n, struct elf_segment *seg)
{
    struct phdr ph;
    unsigned int seen = 0;

    for (unsigned int i = 0; i < img->phnum; i++) {
        read_phdr(img, i, &ph);
        if (ph.type != ELF_PT_LOAD)
            continue;
        if (seen++ != n)
            continue;
        seg->phdr_index = i;
        seg->paddr = ph.paddr;
        seg->vaddr = ph.vaddr;
        seg->offset = ph.offset;
        seg->filesz = ph.filesz;
        seg->memsz = ph.memsz;
        seg->flags = ph.flags;
        return 0;
    }
    return -XEN_EINVAL;
}

int elf_check_pvh(const struct elf_image *img, struct build_err *err)
{
    struct elf_segment seg;
    uint64_t entry = img->xen.phys32_entry;

    if (!img->xen.has_phys32_entry)
        return build_err_set(err, -XEN_ENOEXEC,
                             "no XEN_ELFNOTE_PHYS32_ENTRY note: kernel does not support PVH");
    for (unsigned int n = 0; elf_get_load(img, n, &seg) == 0; n++)
        if (entry >= seg.paddr && entry - seg.paddr < seg.memsz)
            return 0;
    return build_err_set(err, -XEN_ENOEXEC,
                         "PVH entry point 0x%lx is outside every loadable segment",
                         (unsigned long)entry);
}
