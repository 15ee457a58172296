// SOURCES: hv/common/libelf.c
/* Unit tests for the ELF parser: valid PVH images, every truncation, hostile headers, fuzzing. */
#include "harness.h"
#include "pvh-fixture.h"

#include <hv/libelf.h>
#include <public/errno.h>

#define IMG_CAP 0x10000

static uint8_t img[IMG_CAP];

static size_t build(const struct fx_opts *o)
{
    size_t n = fx_build(img, sizeof(img), o);
    CHECK(n > 0);
    return n;
}

static bool msg_has(const struct build_err *e, const char *s)
{
    if (!strstr(e->msg, s)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", e->msg, s);
        return false;
    }
    return true;
}

static void check_valid(const struct fx_opts *o)
{
    struct elf_image e;
    struct elf_segment s;
    struct build_err err;
    size_t n = build(o);

    CHECK_EQ(elf_parse(img, n, &e, &err), 0);
    CHECK_EQ(err.code, 0);
    CHECK_EQ(err.msg[0], 0);
    CHECK_EQ(e.elf_class, o->bits == 64 ? ELF_CLASS64 : ELF_CLASS32);
    CHECK_EQ(e.nr_loads, o->nsegs);
    CHECK_EQ(e.load_paddr_min, o->paddr[0]);
    CHECK_EQ(e.load_paddr_end, o->paddr[o->nsegs - 1] + o->memsz[o->nsegs - 1]);
    for (unsigned int i = 0; i < o->nsegs; i++) {
        CHECK_EQ(elf_get_load(&e, i, &s), 0);
        CHECK_EQ(s.phdr_index, i);
        CHECK_EQ(s.paddr, o->paddr[i]);
        CHECK_EQ(s.filesz, o->filesz[i]);
        CHECK_EQ(s.memsz, o->memsz[i]);
        CHECK(s.offset + s.filesz <= n);
        CHECK_EQ(img[s.offset], fx_seg_byte(i, 0));
        CHECK_EQ(img[s.offset + s.filesz - 1], fx_seg_byte(i, s.filesz - 1));
    }
    CHECK_EQ(elf_get_load(&e, o->nsegs, &s), -XEN_EINVAL);
    CHECK(e.xen.has_phys32_entry);
    CHECK_EQ(e.xen.phys32_entry, o->entry);
    CHECK_EQ(e.xen.phys32_entry_size, o->entry_size);
    CHECK_EQ(e.xen.from_sections, !o->pt_note);
    CHECK(e.xen.has_supported_features);
    CHECK_EQ(e.xen.supported_features, 0x8801);
    CHECK(e.xen.has_virt_base);
    CHECK_EQ(e.xen.virt_base, 0xffffffff80000000ULL);
    CHECK(!strcmp(e.xen.guest_os, "linux"));
    CHECK(!strcmp(e.xen.xen_version, "xen-3.0"));
    CHECK(!strcmp(e.xen.features, "!writable_page_tables|pae_pgdir_above_4gb"));
    CHECK_EQ(e.xen.count, 7); /* 6 known + 1 unknown type; GNU and Linux notes not counted */
    CHECK_EQ(elf_check_pvh(&e, &err), 0);
}

static void valid_entry8(void)
{
    struct fx_opts o = fx_default();
    check_valid(&o);
}

static void valid_entry4(void)
{
    struct fx_opts o = fx_default();
    o.entry_size = 4;
    check_valid(&o);
}

static void valid_elf32(void)
{
    struct fx_opts o = fx_default();
    o.bits = 32;
    o.entry_size = 4;
    check_valid(&o);
}

static void notes_from_sections(void)
{
    struct fx_opts o = fx_default();
    o.pt_note = false;
    check_valid(&o);

    /* Neither PT_NOTE nor sections: parses, but no PVH entry. */
    struct elf_image e;
    struct build_err err;
    o.shdrs = false;
    size_t n = build(&o);
    CHECK_EQ(elf_parse(img, n, &e, &err), 0);
    CHECK_EQ(e.xen.count, 0);
    CHECK_EQ(elf_check_pvh(&e, &err), -XEN_ENOEXEC);
}

static void not_elf(void)
{
    static const uint8_t mz[64] = {'M', 'Z', 0x90, 0};
    struct elf_image e;
    struct build_err err;

    CHECK_EQ(elf_parse(mz, sizeof(mz), &e, &err), -XEN_ENOEXEC);
    CHECK(!strcmp(err.msg, "not an ELF image"));
    CHECK_EQ(elf_parse(mz, 0, &e, &err), -XEN_ENOEXEC);
    CHECK(!strcmp(err.msg, "not an ELF image"));
    CHECK_EQ(elf_parse(NULL, 0, &e, &err), -XEN_EINVAL);
    CHECK(err.msg[0] != 0);
    /* err may be NULL. */
    CHECK_EQ(elf_parse(mz, sizeof(mz), &e, NULL), -XEN_ENOEXEC);
}

/* Every proper prefix of a valid image must be rejected cleanly (ASan watches the reads). */
static void truncate_all(const struct fx_opts *o, const char *last_reason)
{
    size_t n = build(o);
    struct elf_image e;
    struct build_err err;
    unsigned int bad = 0;

    for (size_t len = 0; len < n; len++) {
        /* A fresh heap copy of exactly len bytes, so any overread is caught. */
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, img, len);
        int rc = elf_parse(copy, len, &e, &err);
        if (rc >= 0 || err.code != rc || err.msg[0] == 0) {
            if (bad++ < 5)
                fprintf(stderr, "  prefix %zu: rc %d msg \"%s\"\n", len, rc, err.msg);
        }
        if (len == n - 1)
            CHECK(msg_has(&err, last_reason));
        free(copy);
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(elf_parse(img, n, &e, &err), 0);
}

static void truncated_every_length(void)
{
    struct fx_opts o = fx_default();
    truncate_all(&o, "truncated section header table");
    o.shdrs = false;
    truncate_all(&o, "segment 2 extends past end of image");
    o.bits = 32;
    o.entry_size = 4;
    truncate_all(&o, "segment 2 extends past end of image");
}

static void check_prefix_messages(void)
{
    struct fx_opts o = fx_default();
    struct elf_image e;
    struct build_err err;

    build(&o);
    CHECK_EQ(elf_parse(img, 3, &e, &err), -XEN_ENOEXEC);
    CHECK(msg_has(&err, "not an ELF image"));
    CHECK_EQ(elf_parse(img, 10, &e, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "truncated ELF header"));
    CHECK_EQ(elf_parse(img, 63, &e, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "truncated ELF header"));
    CHECK_EQ(elf_parse(img, 64 + 56, &e, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "truncated program header table"));
}

static Elf64_Ehdr *ehdr(void)
{
    return (Elf64_Ehdr *)img;
}

static Elf64_Phdr *phdr(unsigned int i)
{
    return (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)) + i;
}

/* Build the default image, let mutate() damage it, expect rc and a message containing reason. */
static void expect_bad(void (*mutate)(size_t n), int rc, const char *reason)
{
    struct fx_opts o = fx_default();
    size_t n = build(&o);
    struct elf_image e;
    struct build_err err;

    mutate(n);
    CHECK_EQ(elf_parse(img, n, &e, &err), rc);
    CHECK_EQ(err.code, rc);
    CHECK(msg_has(&err, reason));
}

static void m_phoff_near_end(size_t n)
{
    ehdr()->e_phoff = n - 8;
}
static void m_phoff_huge(size_t n)
{
    (void)n;
    ehdr()->e_phoff = UINT64_MAX - 16;
}
static void m_phnum_big(size_t n)
{
    (void)n;
    ehdr()->e_phnum = 0xfff0;
}
static void m_phnum_xnum(size_t n)
{
    (void)n;
    ehdr()->e_phnum = 0xffff;
}
static void m_phnum_zero(size_t n)
{
    (void)n;
    ehdr()->e_phnum = 0;
}
static void m_phentsize_small(size_t n)
{
    (void)n;
    ehdr()->e_phentsize = 40;
}
static void m_shoff_huge(size_t n)
{
    (void)n;
    ehdr()->e_shoff = UINT64_MAX - 64;
}
static void m_shentsize_small(size_t n)
{
    (void)n;
    ehdr()->e_shentsize = 20;
}
static void m_filesz_overflow(size_t n)
{
    (void)n;
    phdr(0)->p_filesz = UINT64_MAX - 0x800;
}
static void m_filesz_past_end(size_t n)
{
    phdr(2)->p_filesz = n - phdr(2)->p_offset + 1;
    phdr(2)->p_memsz = phdr(2)->p_filesz;
}
static void m_offset_huge(size_t n)
{
    (void)n;
    phdr(1)->p_offset = UINT64_MAX - 4;
}
static void m_filesz_gt_memsz(size_t n)
{
    (void)n;
    phdr(1)->p_memsz = phdr(1)->p_filesz - 1;
}
static void m_paddr_wraps(size_t n)
{
    (void)n;
    phdr(2)->p_paddr = UINT64_MAX - 0x1000;
}
static void m_note_seg_past_end(size_t n)
{
    phdr(3)->p_filesz = n;
}
static void m_note_descsz_huge(size_t n)
{
    (void)n;
    /* The first note (GNU) claims a descriptor far larger than the note segment. */
    uint32_t big = 0xfffffff0u;
    memcpy(img + FX_NOTES_OFF + 4, &big, 4);
}
static void m_note_namesz_huge(size_t n)
{
    (void)n;
    uint32_t big = 0x7fffffffu;
    memcpy(img + FX_NOTES_OFF, &big, 4);
}
static void m_class(size_t n)
{
    (void)n;
    img[EI_CLASS] = 7;
}
static void m_bigendian(size_t n)
{
    (void)n;
    img[EI_DATA] = ELFDATA2MSB;
}
static void m_machine(size_t n)
{
    (void)n;
    ehdr()->e_machine = EM_AARCH64;
}
static void m_type(size_t n)
{
    (void)n;
    ehdr()->e_type = ET_REL;
}
static void m_version(size_t n)
{
    (void)n;
    ehdr()->e_version = 2;
}
static void m_no_loads(size_t n)
{
    (void)n;
    for (unsigned int i = 0; i < 3; i++)
        phdr(i)->p_type = PT_NULL;
}

static void hostile_headers(void)
{
    expect_bad(m_phoff_near_end, -XEN_EINVAL, "truncated program header table");
    expect_bad(m_phoff_huge, -XEN_EINVAL, "truncated program header table");
    expect_bad(m_phnum_big, -XEN_EINVAL, "truncated program header table");
    expect_bad(m_phnum_xnum, -XEN_EINVAL, "too many program headers");
    expect_bad(m_phnum_zero, -XEN_ENOEXEC, "no program headers");
    expect_bad(m_phentsize_small, -XEN_EINVAL, "program header size 40 is too small");
    expect_bad(m_shoff_huge, -XEN_EINVAL, "truncated section header table");
    expect_bad(m_shentsize_small, -XEN_EINVAL, "section header size 20 is too small");
    expect_bad(m_filesz_overflow, -XEN_EINVAL, "segment 0 extends past end of image");
    expect_bad(m_filesz_past_end, -XEN_EINVAL, "segment 2 extends past end of image");
    expect_bad(m_offset_huge, -XEN_EINVAL, "segment 1 extends past end of image");
    expect_bad(m_filesz_gt_memsz, -XEN_EINVAL, "segment 1: file size 0x1800 exceeds memory size");
    expect_bad(m_paddr_wraps, -XEN_EINVAL, "segment 2 wraps around");
    expect_bad(m_note_seg_past_end, -XEN_EINVAL, "segment 3 extends past end of image");
    expect_bad(m_note_descsz_huge, -XEN_EINVAL, "note segment 3: note at offset 0x200");
    expect_bad(m_note_namesz_huge, -XEN_EINVAL, "runs past the end of the notes");
    expect_bad(m_class, -XEN_ENOEXEC, "unknown ELF class 7");
    expect_bad(m_bigendian, -XEN_ENOEXEC, "not little-endian");
    expect_bad(m_machine, -XEN_ENOEXEC, "ELF machine 183 is not x86-64");
    expect_bad(m_type, -XEN_ENOEXEC, "not an executable");
    expect_bad(m_version, -XEN_ENOEXEC, "unknown ELF version 2");
    expect_bad(m_no_loads, -XEN_ENOEXEC, "no loadable segments");
}

static void pvh_note_checks(void)
{
    struct fx_opts o = fx_default();
    struct elf_image e;
    struct build_err err;
    size_t n;

    o.entry_size = 0;
    n = build(&o);
    CHECK_EQ(elf_parse(img, n, &e, &err), 0);
    CHECK(!e.xen.has_phys32_entry);
    CHECK(!strcmp(e.xen.guest_os, "linux"));
    CHECK_EQ(elf_check_pvh(&e, &err), -XEN_ENOEXEC);
    CHECK(!strcmp(err.msg, "no XEN_ELFNOTE_PHYS32_ENTRY note: kernel does not support PVH"));

    o = fx_default();
    o.entry_size = 2;
    n = build(&o);
    CHECK_EQ(elf_parse(img, n, &e, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "XEN_ELFNOTE_PHYS32_ENTRY has a 2-byte descriptor (expected 4 or 8)"));

    o = fx_default();
    o.entry = 0x100001000ULL;
    n = build(&o);
    CHECK_EQ(elf_parse(img, n, &e, &err), -XEN_EINVAL);
    CHECK(msg_has(&err, "0x100001000 is not a 32-bit address"));

    /* 4-byte descriptor keeps only the low half: the entry must still be range-checked. */
    o = fx_default();
    o.entry = 0x2000000;
    n = build(&o);
    CHECK_EQ(elf_parse(img, n, &e, &err), 0);
    CHECK_EQ(elf_check_pvh(&e, &err), -XEN_ENOEXEC);
    CHECK(msg_has(&err, "PVH entry point 0x2000000 is outside every loadable segment"));

    /* Entry in the bss part of a segment is still inside it. */
    o = fx_default();
    o.entry = 0x1404000;
    n = build(&o);
    CHECK_EQ(elf_parse(img, n, &e, &err), 0);
    CHECK_EQ(elf_check_pvh(&e, &err), 0);
}

/* Random corruption must never crash or overread; whatever parses must be self-consistent. */
static void fuzz(void)
{
    struct fx_opts o = fx_default();
    size_t n = build(&o);
    uint8_t *orig = malloc(n), *copy = malloc(n);
    uint64_t seed = 0x1234567;
    unsigned int ok = 0;

    memcpy(orig, img, n);
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(copy, orig, n);
        int flips = 1 + iter % 8;
        for (int f = 0; f < flips; f++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            /* Bias towards the headers and notes, where the parser decisions are. */
            size_t at = (seed >> 33) % (iter & 1 ? 0x400 : n);
            copy[at] = (uint8_t)(seed >> 20);
        }
        struct elf_image e;
        struct elf_segment s;
        struct build_err err;
        size_t len = iter % 3 ? n : (seed >> 40) % n;
        if (elf_parse(copy, len, &e, &err) == 0) {
            ok++;
            for (unsigned int i = 0; elf_get_load(&e, i, &s) == 0; i++) {
                CHECK(s.offset <= len && s.filesz <= len - s.offset);
                CHECK(s.filesz <= s.memsz);
            }
            (void)elf_check_pvh(&e, &err);
        } else {
            CHECK(err.code < 0 && err.msg[0]);
        }
    }
    CHECK(ok > 0);
    free(orig);
    free(copy);
}

static void error_formatting(void)
{
    struct build_err err;
    char longs[400];

    CHECK_EQ(build_err_set(&err, -5, "a %s b %u c %d d %x e %lx f %lu %c%%", "str", 42u, -7,
                           0xbeefu, 0x123456789abUL, 18446744073709551615UL, 'Z'),
             -5);
    CHECK_EQ(err.code, -5);
    CHECK(!strcmp(err.msg, "a str b 42 c -7 d beef e 123456789ab f 18446744073709551615 Z%"));
    memset(longs, 'x', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = 0;
    build_err_set(&err, -1, "%s", longs);
    CHECK_EQ(strlen(err.msg), BUILD_ERR_MSG_LEN - 1);
    CHECK_EQ(build_err_set(NULL, -3, "ignored %s", "x"), -3);
}

TEST_MAIN("libelf", TEST(valid_entry8), TEST(valid_entry4), TEST(valid_elf32),
          TEST(notes_from_sections), TEST(not_elf), TEST(truncated_every_length),
          TEST(check_prefix_messages), TEST(hostile_headers), TEST(pvh_note_checks), TEST(fuzz),
          TEST(error_formatting))
