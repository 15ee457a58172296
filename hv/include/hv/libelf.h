/* ELF kernel image parser: bounds-checked header, PT_LOAD and Xen ELF-note access over a byte
 * buffer. */
#ifndef HV_LIBELF_H
#define HV_LIBELF_H

#include <hv/types.h>

/*
 * Failure report shared by the dom0 builder modules (libelf, pvh_build, acpi_build): a negative
 * XEN_E* code plus one sentence for the log, e.g. "segment 2 extends past end of image".
 */
#define BUILD_ERR_MSG_LEN 192
struct build_err {
    int code;                    /* 0 or a negative XEN_E* value */
    char msg[BUILD_ERR_MSG_LEN]; /* NUL-terminated, empty when code == 0 */
};

/*
 * Store code and a message in err (err may be NULL) and return code. The format understands only
 * %s %c %d %u %x %lu %lx and %% (no width or flags), which is all the builders need.
 */
int build_err_set(struct build_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ELF constants used by the parser (values from the ELF specification / System V ABI). */
#define ELF_CLASS32   1
#define ELF_CLASS64   2
#define ELF_DATA_LSB  1
#define ELF_ET_EXEC   2
#define ELF_ET_DYN    3
#define ELF_EM_386    3
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD   1
#define ELF_PT_NOTE   4
#define ELF_SHT_NOTE  7
#define ELF_PF_X      1
#define ELF_PF_W      2
#define ELF_PF_R      4

/* Longest string note value kept (longer values are truncated, always NUL-terminated). */
#define ELF_NOTE_STR_LEN 64

/* The Xen ELF notes (owner "Xen", types from public/elfnote.h) the builders care about. */
struct elf_xen_notes {
    unsigned int count; /* Xen-owned notes seen, of any type */
    bool from_sections; /* found through SHT_NOTE sections (no Xen note in any PT_NOTE) */

    bool has_phys32_entry;
    uint64_t phys32_entry; /* PVH 32-bit entry point (note descriptor of 4 or 8 bytes) */
    unsigned int phys32_entry_size;
    bool has_phys32_reloc; /* newer kernels: relocatable PVH entry (presence only) */

    bool has_supported_features;
    uint32_t supported_features; /* XENFEAT_* submap 0 the kernel can use */

    bool has_entry, has_virt_base, has_paddr_offset, has_hypercall_page, has_hv_start_low,
        has_init_p2m, has_mod_start_pfn, has_suspend_cancel;
    uint64_t entry; /* PV entry (virtual), informational for PVH */
    uint64_t virt_base;
    uint64_t paddr_offset;
    uint64_t hypercall_page;
    uint64_t hv_start_low;
    uint64_t init_p2m;
    uint64_t mod_start_pfn;
    uint64_t suspend_cancel;

    char guest_os[ELF_NOTE_STR_LEN];      /* e.g. "linux" */
    char guest_version[ELF_NOTE_STR_LEN]; /* e.g. "2.6" */
    char xen_version[ELF_NOTE_STR_LEN];   /* e.g. "xen-3.0" */
    char loader[ELF_NOTE_STR_LEN];        /* e.g. "generic" */
    char features[ELF_NOTE_STR_LEN];      /* PV feature string, e.g. "!writable_page_tables|..." */
    char pae_mode[ELF_NOTE_STR_LEN];      /* e.g. "yes" */
};

/* A parsed image. Points into the caller's buffer, which must outlive it; read-only afterwards. */
struct elf_image {
    const uint8_t *data;
    size_t len;
    uint8_t elf_class; /* ELF_CLASS32 or ELF_CLASS64 */
    uint16_t type;     /* ELF_ET_EXEC or ELF_ET_DYN */
    uint16_t machine;  /* ELF_EM_X86_64 (64-bit) or ELF_EM_386 (32-bit) */
    uint64_t e_entry;
    uint64_t phoff;
    uint16_t phnum, phentsize;
    uint64_t shoff;
    uint16_t shnum, shentsize;

    unsigned int nr_loads;    /* PT_LOAD segments, at least 1 */
    uint64_t load_paddr_min;  /* lowest p_paddr of any PT_LOAD */
    uint64_t load_paddr_end;  /* highest p_paddr + p_memsz of any PT_LOAD (exclusive) */
    struct elf_xen_notes xen; /* Xen notes (zeroed when there are none) */
};

/* One PT_LOAD program header, already checked: [offset, offset + filesz) lies in the image. */
struct elf_segment {
    unsigned int phdr_index; /* index in the program header table (used in messages) */
    uint64_t paddr, vaddr;
    uint64_t offset, filesz, memsz; /* filesz <= memsz; paddr + memsz does not wrap */
    uint32_t flags;                 /* ELF_PF_* */
};

/*
 * Parse and validate the ELF image [data, data + len): identification, class, machine, program and
 * section header tables, every PT_LOAD and PT_NOTE range (overflow-safe against len), and collect
 * the Xen notes (PT_NOTE first; SHT_NOTE sections when no PT_NOTE holds a Xen note).
 * Returns 0 and fills *out, or a negative XEN_E* code with err set (out is then unspecified).
 */
int elf_parse(const void *data, size_t len, struct elf_image *out, struct build_err *err);

/* Copy the n-th PT_LOAD segment (0 <= n < img->nr_loads, file order) to *seg; 0 or -XEN_EINVAL. */
int elf_get_load(const struct elf_image *img, unsigned int n, struct elf_segment *seg);

/*
 * Check that a parsed image can be started as PVH: it has XEN_ELFNOTE_PHYS32_ENTRY and the entry
 * lies inside one of its PT_LOAD segments. Returns 0 or a negative XEN_E* code with err set.
 */
int elf_check_pvh(const struct elf_image *img, struct build_err *err);

#endif
