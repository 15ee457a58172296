# Host test (no QEMU): the hypervisor's multiboot2 parser on GRUB-like tag lists, BIOS and UEFI.
"""Compiles the real hv/arch/x86/boot/multiboot.c for the host as a shared library and
calls parse_boot_info() through ctypes on multiboot2 information blocks built here.

The tag lists follow what GRUB 2.06 (Debian 12) was seen to pass to Xenolith under QEMU:
  BIOS (SeaBIOS):  21 1 2 10 3 3 6 9 4 5 8 14          (ACPI 1.0 RSDP only)
  UEFI (OVMF):     21 1 2 3 3 6 9 4 12 14 15 17        (tag 17: 123 descriptors of 48 bytes)
GRUB gives the E820-style map (tag 6) on UEFI as well; the EFI map (tag 17) is used only
when tag 6 is missing, with EFI types mapped to E820 types and neighbours merged.
"""
import ctypes
import os
import struct
import subprocess

import stack

MB2_MAGIC = 0x36D76289
MB1_MAGIC = 0x2BADB002
BOOT_MAX_MMAP, BOOT_MAX_MODULES = 128, 16
LIB_DIR = os.path.join(stack.ROOT, "build", "test-data", "mbi")
SRC = os.path.join(stack.ROOT, "hv", "arch", "x86", "boot", "multiboot.c")


class MmapEntry(ctypes.Structure):
    _fields_ = [("addr", ctypes.c_uint64), ("len", ctypes.c_uint64), ("type", ctypes.c_uint32)]


class Module(ctypes.Structure):
    _fields_ = [("start", ctypes.c_uint64), ("size", ctypes.c_uint64), ("cmdline", ctypes.c_char_p)]


class BootInfo(ctypes.Structure):
    """Mirror of struct boot_info (hv/arch/x86/include/asm/bootinfo.h); its size is checked
    against the C compiler's, so a change there fails this test instead of misreading."""
    _fields_ = [("loader", ctypes.c_char_p), ("loader_name", ctypes.c_char_p), ("cmdline", ctypes.c_char_p),
                ("nr_mmap", ctypes.c_uint), ("mmap", MmapEntry * BOOT_MAX_MMAP),
                ("nr_modules", ctypes.c_uint), ("modules", Module * BOOT_MAX_MODULES),
                ("acpi_rsdp", ctypes.c_uint64), ("info_start", ctypes.c_uint64), ("info_end", ctypes.c_uint64)]


_lib = None


def lib():
    """Build (once per process) and load multiboot.c as a host shared library."""
    global _lib
    if _lib:
        return _lib
    os.makedirs(LIB_DIR, exist_ok=True)
    size_c = os.path.join(LIB_DIR, "sizeof.c")
    with open(size_c, "w") as f:
        f.write("#include <asm/bootinfo.h>\n"
                "const unsigned long xl_sizeof_boot_info = sizeof(struct boot_info);\n")
    so = os.path.join(LIB_DIR, "libmultiboot.so")
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-DHV_HOSTED",
                    "-I" + os.path.join(stack.ROOT, "include"), "-I" + os.path.join(stack.ROOT, "hv/include"),
                    "-I" + os.path.join(stack.ROOT, "hv/arch/x86/include"), "-o", so, SRC, size_c], check=True)
    l = ctypes.CDLL(so)
    l.parse_boot_info.argtypes = [ctypes.c_uint32, ctypes.c_uint64, ctypes.POINTER(BootInfo)]
    l.parse_boot_info.restype = ctypes.c_int
    l.loader_is_grub2.argtypes = [ctypes.POINTER(BootInfo)]
    l.loader_is_grub2.restype = ctypes.c_bool
    c_size = ctypes.c_ulong.in_dll(l, "xl_sizeof_boot_info").value
    assert c_size == ctypes.sizeof(BootInfo), \
        f"struct boot_info is {c_size} bytes in C but {ctypes.sizeof(BootInfo)} in this test's mirror: update BootInfo"
    _lib = l
    return l


# ---- building multiboot2 information blocks ----

def tag(t, payload):
    body = struct.pack("<II", t, 8 + len(payload)) + payload
    return body + b"\0" * (-len(body) % 8)


def string_tag(t, s):
    return tag(t, s.encode() + b"\0")


def module_tag(start, end, s):
    return tag(3, struct.pack("<II", start, end) + s.encode() + b"\0")


def mmap_tag(entries):
    return tag(6, struct.pack("<II", 24, 0) + b"".join(struct.pack("<QQII", a, l, t, 0) for a, l, t in entries))


def efi_mmap_tag(descs, descr_size=48):
    """descs: (efi_type, physical start, pages); descriptors padded to descr_size like OVMF's."""
    out = b""
    for t, start, pages in descs:
        d = struct.pack("<IIQQQQ", t, 0, start, 0, pages, 0xF)
        out += d[:descr_size] + b"\0" * (descr_size - len(d))
    return tag(17, struct.pack("<II", descr_size, 1) + out)


def rsdp_tag(t, rev, rsdt):
    rsdp = b"RSD PTR " + bytes([0]) + b"XENOLI" + bytes([rev]) + struct.pack("<I", rsdt)
    if t == 15:
        rsdp += struct.pack("<IQ", 36, 0) + b"\0" * 4
    return tag(t, rsdp)


def mbi(*tags):
    body = b"".join(tags) + struct.pack("<II", 0, 8)
    return struct.pack("<II", 8 + len(body), 0) + body


class Parsed:
    def __init__(self, rc, bi, buf):
        self.rc, self.bi, self._buf = rc, bi, buf  # keep buf alive: bi points into it
        self.base = ctypes.addressof(buf)

    @property
    def mmap(self):
        return [(self.bi.mmap[i].addr, self.bi.mmap[i].len, self.bi.mmap[i].type) for i in range(self.bi.nr_mmap)]

    @property
    def modules(self):
        return [(self.bi.modules[i].start, self.bi.modules[i].size, self.bi.modules[i].cmdline.decode())
                for i in range(self.bi.nr_modules)]


def parse(data, magic=MB2_MAGIC):
    buf = ctypes.create_string_buffer(data, len(data) + 8)
    assert ctypes.addressof(buf) % 8 == 0
    bi = BootInfo()
    rc = lib().parse_boot_info(magic, ctypes.addressof(buf), ctypes.byref(bi))
    return Parsed(rc, bi, buf)


# What OVMF + GRUB 2.06 handed over (shortened): the EFI descriptors and GRUB's own tag 6 for them.
EFI_DESCS = [
    (3, 0x0, 0x1), (7, 0x1000, 0x9F),           # boot services code, conventional: 0-640K
    (7, 0x100000, 0x700),                        # conventional
    (10, 0x800000, 0x8),                         # ACPI NVS
    (4, 0x808000, 0x3),                          # boot services data
    (10, 0x80B000, 0x1),
    (2, 0x80C000, 0x4), (1, 0x810000, 0x10),     # loader data, loader code
    (7, 0x820000, 0x100), (0, 0x920000, 0x0),    # a zero-length reserved descriptor is skipped
    (5, 0x7F9ED000, 0x100), (6, 0x7FAED000, 0x80),  # runtime services code, data
    (9, 0x7FB6D000, 0x12),                       # ACPI reclaim
    (8, 0x7FB7F000, 0x1),                        # unusable
    (14, 0x7FB80000, 0x10),                      # persistent memory
    (11, 0xFFE00000, 0x200),                     # MMIO (flash)
]
EFI_AS_E820 = [
    (0x0, 0xA0000, 1),
    (0x100000, 0x700000, 1),
    (0x800000, 0x8000, 4),
    (0x808000, 0x3000, 1),
    (0x80B000, 0x1000, 4),
    (0x80C000, 0x114000, 1),                     # loader data + code + conventional, merged
    (0x7F9ED000, 0x180000, 2),                   # runtime code + data, merged as reserved
    (0x7FB6D000, 0x12000, 3),
    (0x7FB7F000, 0x11000, 2),                    # unusable + persistent, merged as reserved
    (0xFFE00000, 0x200000, 2),
]
GRUB_MMAP = [(0x0, 0xA0000, 1), (0x100000, 0x700000, 1), (0x800000, 0x8000, 4), (0x808000, 0x3000, 1),
             (0x7F9ED000, 0x100000, 20), (0xFFE00000, 0x200000, 2)]


def uefi_tags(with_mmap=True, with_efi_mmap=True):
    tags = [tag(21, struct.pack("<I", 0x200000)),
            string_tag(1, "console=com1 com1=115200,8n1 dom0_mem=512M"),
            string_tag(2, "GRUB 2.06-13+deb12u2"),
            module_tag(0x1500000, 0x53DA7B4, "console=hvc0"),
            module_tag(0x23C000, 0x343222, "")]
    if with_mmap:
        tags.append(mmap_tag(GRUB_MMAP))
    tags += [tag(4, struct.pack("<II", 640, 2086912)), tag(12, struct.pack("<Q", 0x7F9EC018)),
             rsdp_tag(14, 0, 0x7FB7D000), rsdp_tag(15, 2, 0x7FB7D074)]
    if with_efi_mmap:
        tags.append(efi_mmap_tag(EFI_DESCS))
    return tags


def test_grub_mbi_uefi_prefers_tag6():
    """GRUB on UEFI: tag 6 and tag 17 both present -> tag 6 exactly as given; the ACPI 2.0 RSDP
    copy (tag 15) wins over the 1.0 one; modules keep GRUB's path-less strings."""
    p = parse(mbi(*uefi_tags()))
    assert p.rc == 0, f"parse_boot_info returned {p.rc}"
    assert p.bi.loader == b"multiboot2", p.bi.loader
    assert p.mmap == GRUB_MMAP, p.mmap
    assert p.bi.cmdline == b"console=com1 com1=115200,8n1 dom0_mem=512M"
    assert p.bi.loader_name == b"GRUB 2.06-13+deb12u2"
    assert lib().loader_is_grub2(ctypes.byref(p.bi)), "GRUB 2.06 not recognised as GRUB 2"
    assert p.modules == [(0x1500000, 0x53DA7B4 - 0x1500000, "console=hvc0"), (0x23C000, 0x343222 - 0x23C000, "")]
    rsdp = ctypes.string_at(p.bi.acpi_rsdp, 16)
    assert rsdp[:8] == b"RSD PTR " and rsdp[15] == 2, f"acpi_rsdp points at {rsdp!r}, expected the v2 copy"
    assert p.base < p.bi.acpi_rsdp < p.base + len(mbi(*uefi_tags())), "RSDP not inside the info block"
    assert (p.bi.info_start, p.bi.info_end) == (p.base, p.base + len(mbi(*uefi_tags())))


def test_grub_mbi_uefi_efi_mmap_only():
    """No tag 6: the UEFI memory map (tag 17) becomes the E820 map: loader/boot-services/
    conventional memory is RAM, ACPI reclaim 3, NVS 4, everything else reserved; neighbours
    of one type merge; zero-page descriptors vanish; the map's origin is named."""
    p = parse(mbi(*uefi_tags(with_mmap=False)))
    assert p.rc == 0, f"parse_boot_info returned {p.rc}"
    assert p.mmap == EFI_AS_E820, "\n".join(f"{a:#x} {l:#x} {t}" for a, l, t in p.mmap)
    assert p.bi.loader == b"multiboot2 EFI memory map", p.bi.loader
    # The firmware's 40-byte descriptors (UEFI 2.x size, no padding) read the same.
    p40 = parse(mbi(tag(2, b"GRUB 2.06\0"), efi_mmap_tag(EFI_DESCS, descr_size=40)))
    assert p40.rc == 0 and p40.mmap == EFI_AS_E820, p40.mmap


def test_grub_mbi_bad_or_missing_maps():
    """No usable map at all -> an error (the hypervisor then reports it and stops):
    no map tags; a tag 17 whose descriptor size is too small to be UEFI's."""
    assert parse(mbi(string_tag(1, "x"), string_tag(2, "GRUB 2.06"))).rc != 0
    p = parse(mbi(string_tag(2, "GRUB 2.06"), efi_mmap_tag(EFI_DESCS[:3], descr_size=40)[:16 + 8]))
    assert p.rc != 0 and p.bi.nr_mmap == 0, (p.rc, p.mmap)
    bad = bytearray(efi_mmap_tag(EFI_DESCS))
    struct.pack_into("<I", bad, 8, 24)  # descr_size 24 < 40
    p = parse(mbi(string_tag(2, "GRUB 2.06"), bytes(bad)))
    assert p.rc != 0 and p.bi.nr_mmap == 0, (p.rc, p.mmap)


def test_grub_mbi_efi_mmap_overflow():
    """A UEFI map with more distinct ranges than struct boot_info holds (128) fills it and
    stops there without writing past it."""
    descs = [(7 if i % 2 else 0, i * 0x1000, 1) for i in range(300)]
    p = parse(mbi(string_tag(2, "GRUB 2.06"), efi_mmap_tag(descs)))
    assert p.rc == 0 and p.bi.nr_mmap == BOOT_MAX_MMAP, p.bi.nr_mmap
    assert p.mmap[-1] == ((BOOT_MAX_MMAP - 1) * 0x1000, 0x1000, 1), p.mmap[-1]


def test_grub_mbi_bios_acpi_v1():
    """GRUB on SeaBIOS: only the ACPI 1.0 RSDP tag (14); tag 6 is the map; a later tag 15 would
    replace a 1.0 copy, a later tag 14 never replaces a 2.0 copy."""
    tags = [string_tag(1, "console=com1"), string_tag(2, "GRUB 2.06-13+deb12u2"),
            module_tag(0x23C000, 0x41167B4, "console=hvc0"), mmap_tag([(0, 0x9FC00, 1), (0x100000, 0x7FEE0000, 1)]),
            rsdp_tag(14, 0, 0x7FFE1AD8)]
    p = parse(mbi(*tags))
    assert p.rc == 0 and p.mmap == [(0, 0x9FC00, 1), (0x100000, 0x7FEE0000, 1)], p.mmap
    assert ctypes.string_at(p.bi.acpi_rsdp, 20)[16:20] == struct.pack("<I", 0x7FFE1AD8)
    p = parse(mbi(rsdp_tag(15, 2, 0x1234), rsdp_tag(14, 0, 0x5678), mmap_tag([(0x100000, 0x100000, 1)])))
    assert ctypes.string_at(p.bi.acpi_rsdp, 20)[15] == 2, "tag 14 after tag 15 replaced the ACPI 2.0 RSDP"
    p = parse(mbi(rsdp_tag(14, 0, 0x5678), rsdp_tag(15, 2, 0x1234), mmap_tag([(0x100000, 0x100000, 1)])))
    assert ctypes.string_at(p.bi.acpi_rsdp, 20)[15] == 2, "tag 15 after tag 14 did not take over"
