# Boot Xenolith from GRUB 2 (multiboot2 + module2, a grub-mkrescue ISO) on SeaBIOS to dom0's shell.
"""The ISO (scripts/grub/grub_iso.py, entry written by hand as in docs/real-hardware.md):

    multiboot2 /boot/xenolith-<version>.gz console=com1 com1=115200,8n1 dom0_mem=512M debug_exit=0xf4
    module2 /boot/vmlinux-<kver> console=hvc0      (vmlinuz-<kver>: see grub_iso.dom0_kernel())
    module2 --nounzip /boot/initrd.img-<kver>

booted with `qemu-system-x86_64 -accel tcg -cpu max -m 2048 -cdrom ISO -display none
-serial stdio -no-reboot` and the isa-debug-exit device. GRUB itself talks on the serial
line (timeout 0). Checks:
  - GRUB booted the entry ("Booting `Xenolith ...'"), GRUB's gzio unpacked xenolith.gz
    (the banner comes) and the hypervisor read a multiboot2 information block
    ("... RAM map (from multiboot2)");
  - the hypervisor recognised GRUB 2 by its loader name: it names the modules 'module 1'
    and 'module 2' (only for "GRUB 2..." loaders: their module strings carry no file name)
    and gives dom0 the whole module string, "console=hvc0";
  - dom0 reaches its shell; `uname -r` is the fetched kernel; /proc/cmdline is exactly
    "console=hvc0" (nothing lost or added between the grub.cfg line and Linux);
  - `poweroff` ends QEMU with status 1 (debug_exit code 0), and nothing looks like a crash.
"""
import os
import sys

from qemu import Qemu
import stack

sys.path.insert(0, os.path.join(stack.ROOT, "scripts", "grub"))
import grub_iso  # noqa: E402

HV_ARGS = "console=com1 com1=115200,8n1 dom0_mem=512M debug_exit=0xf4"
DOM0_ARGS = "console=hvc0"


def boot_to_shell(vm, entry_title_re):
    """From GRUB's "Booting `TITLE'" to dom0's prompt, checking the GRUB 2 specifics on the
    way; returns the RAM map lines the hypervisor printed."""
    vm.expect(r"Booting `" + entry_title_re, 120)
    vm.expect(r"Xenolith hypervisor \d", 60)
    ram_map = vm.expect(r"RAM map \(from multiboot2\):\n((?:.*\] .*\n)+).*Paging: ", 30).group(1)
    m = vm.expect(r"dom0 kernel image '([^']*)': \d+ bytes at 0x[0-9a-f]+, command line \"([^\"]*)\"", 60)
    assert m.group(1) == "module 1", \
        f"the dom0 kernel module is named {m.group(1)!r}: the hypervisor did not take the loader for GRUB 2"
    assert m.group(2) == DOM0_ARGS, f"dom0 command line {m.group(2)!r}, expected {DOM0_ARGS!r} (the module2 string)"
    vm.expect(r"dom0 initrd module 'module 2': \d+ bytes", 30)
    vm.expect(r"^XENOLITH-DOM0-READY$", 180)
    vm.expect_prompt(60)
    version = vm.run("uname -r")
    assert version == stack.kernel_version(), f"uname -r: {version!r} != {stack.kernel_version()!r}"
    cmdline = vm.run("cat /proc/cmdline")
    assert cmdline == DOM0_ARGS, f"dom0's /proc/cmdline is {cmdline!r}, expected {DOM0_ARGS!r}"
    return ram_map


def test_grub_bios():
    stack.require_stack()
    iso, cfg = grub_iso.build_iso("test-grub-bios", "xenolith", "manual", hv=stack.HV, hv_args=HV_ARGS,
                                  kernel=grub_iso.dom0_kernel(), dom0_args=DOM0_ARGS, initrd=stack.DOM0_INITRD)
    assert "\tmultiboot2 /boot/xenolith-" in cfg and "\tmodule2 --nounzip /boot/initrd.img-" in cfg, cfg
    with Qemu("grub_bios", grub_iso.qemu_args(iso, "bios")) as vm:
        boot_to_shell(vm, r"Xenolith ")
        vm.send("poweroff")
        status = vm.wait(120)
        assert status == stack.STATUS_POWEROFF, \
            f"QEMU exit status {status} after dom0 poweroff, expected {stack.STATUS_POWEROFF} (debug_exit code 0)"
        stack.assert_no_panic(vm)
