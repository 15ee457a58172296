# Boot Debian's vmlinuz (bzImage, XZ payload) unmodified as dom0, a gzip bzImage, and a corrupt one.
"""The dom0 builder decompresses a bzImage with the hypervisor's own XZ and gzip decoders:
  - cache/vmlinuz as it is, the first boot module: the hypervisor logs
        dom0 kernel 'PATH': bzImage (XZ), N -> M bytes, decompressed in S s (X ns/byte)
    with M the size of the extracted vmlinux; dom0 then boots to its shell, `uname -r` is
    the fetched kernel's version, and `poweroff` ends QEMU (debug_exit code 0);
  - the same kernel re-packed as a bzImage with a gzip payload (gzip -1 of vmlinux, as
    CONFIG_KERNEL_GZIP would build it) boots the same way;
  - vmlinuz with one bit flipped in the middle of its payload: "dom0 kernel module 'PATH':
    corrupt XZ data (...)", within a bounded time, and the hypervisor stays up (debug keys
    answer, QEMU keeps running, no crash text).
The decompression times are printed (they are part of dom0's boot time under TCG).
"""
import os
import re
import struct
import subprocess

from qemu import Qemu
import stack
from test_bad_module import expect_stays_up

DECOMPRESSED_RE = (r"dom0 kernel '([^'\n]*)': (bzImage \((?:XZ|gzip)\)), (\d+) -> (\d+) bytes, "
                   r"decompressed in ([\d.]+) s \(([\d.]+) ns/byte\)")


def payload_range(image):
    """(offset, length) of a bzImage's compressed payload, from its boot protocol header."""
    setup_sects = image[0x1F1] or 4
    payload_offset, payload_length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + payload_offset
    return start, payload_length


def boot_to_shell(name, kernel, kind):
    stack.require(stack.HV, kernel, stack.DOM0_INITRD, stack.KERNEL_VERSION_FILE)
    with Qemu(name, stack.qemu_args(modules=[stack.module(kernel, stack.DOM0_CMDLINE),
                                             stack.module(stack.DOM0_INITRD)])) as vm:
        vm.expect(r"Xenolith", 60)
        m = vm.expect(DECOMPRESSED_RE, 180)
        assert m.group(1).endswith(os.path.basename(kernel)), f"module named {m.group(1)!r}"
        assert m.group(2) == kind, f"format {m.group(2)!r}, expected {kind!r}"
        if os.path.exists(stack.DOM0_KERNEL):
            assert int(m.group(4)) == os.path.getsize(stack.DOM0_KERNEL), \
                f"{m.group(4)} bytes decompressed, vmlinux has {os.path.getsize(stack.DOM0_KERNEL)}"
        print(f"{kind}: {m.group(3)} -> {m.group(4)} bytes in {m.group(5)} s "
              f"({m.group(6)} ns/byte) under QEMU TCG")
        vm.expect(r"dom0: PVH", 120)
        vm.expect(r"Linux version 6\.1\.", 180)
        vm.expect(r"^XENOLITH-DOM0-READY$", 300)
        vm.expect_prompt(60)
        version = vm.run("uname -r")
        assert version == stack.kernel_version(), f"uname -r: {version!r} != {stack.kernel_version()!r}"
        vm.send("poweroff")
        status = vm.wait(120)
        assert status == stack.STATUS_POWEROFF, \
            f"QEMU exit status {status} after dom0 poweroff, expected {stack.STATUS_POWEROFF}"
        stack.assert_no_panic(vm)


def test_dom0_vmlinuz_boot():
    boot_to_shell("dom0_vmlinuz", stack.VMLINUZ, "bzImage (XZ)")


def test_dom0_gzip_bzimage_boot():
    stack.require(stack.VMLINUZ, stack.DOM0_KERNEL)
    with open(stack.VMLINUZ, "rb") as f:
        image = f.read()
    start, _ = payload_range(image)
    gz = subprocess.run(["gzip", "-1", "-n", "-c", stack.DOM0_KERNEL], check=True,
                        stdout=subprocess.PIPE).stdout
    head = bytearray(image[:start])
    struct.pack_into("<I", head, 0x24C, len(gz))
    path = stack.test_file("vmlinuz-gzip", bytes(head) + gz)
    boot_to_shell("dom0_vmlinuz_gzip", path, "bzImage (gzip)")


def test_dom0_vmlinuz_corrupt():
    stack.require(stack.HV, stack.VMLINUZ, stack.DOM0_INITRD)
    with open(stack.VMLINUZ, "rb") as f:
        image = bytearray(f.read())
    start, length = payload_range(image)
    assert image[start:start + 6] == b"\xfd7zXZ\x00", "cache/vmlinuz does not carry an XZ payload"
    image[start + length // 2] ^= 0x10
    path = stack.test_file("vmlinuz-bitflip", bytes(image))
    with Qemu("dom0_vmlinuz_corrupt", stack.qemu_args(modules=[stack.module(path, stack.DOM0_CMDLINE),
                                                               stack.module(stack.DOM0_INITRD)])) as vm:
        vm.expect(r"Xenolith", 60)
        m = vm.expect(r"dom0 kernel module '([^'\n]*)': ([^\n]*)", 120)
        assert m.group(1).endswith("vmlinuz-bitflip"), f"module named {m.group(1)!r}"
        assert re.match(r"corrupt XZ data \(", m.group(2)), f"reason {m.group(2)!r}"
        print(f"reported after {vm.elapsed():.1f} s: {m.group(2)}")
        expect_stays_up(vm)
