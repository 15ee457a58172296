# Self-test of the system-test machinery without the hypervisor: Debian's kernel boots the dom0 initramfs bare.
"""If this fails, the harness, the kernel fetch or the initramfs is broken, not Xenolith.

It boots cache/vmlinuz directly under QEMU (no hypervisor, console=ttyS0) with
build/dom0.cpio.gz and checks what every dom0 test relies on: the READY
marker, the 'dom0# ' prompt, Qemu.run() framing and exit statuses, and that
`poweroff` ends QEMU (ACPI S5 on bare metal: QEMU exits 0).
"""
import time

from qemu import Qemu
import stack


def test_bare_linux_initramfs():
    stack.require(stack.VMLINUZ, stack.DOM0_INITRD, stack.KERNEL_VERSION_FILE)
    args = ["-accel", "tcg", "-cpu", "max", "-m", "1024", "-smp", "1", "-display", "none",
            "-monitor", "none", "-serial", "stdio", "-no-reboot",
            "-kernel", stack.VMLINUZ, "-initrd", stack.DOM0_INITRD, "-append", "console=ttyS0"]
    with Qemu("harness_bare_linux", args) as vm:
        vm.expect(r"Linux version 6\.1\.", 60)
        vm.expect(r"^XENOLITH-DOM0-READY$", 120)
        vm.expect_prompt(60)
        version = vm.run("uname -r")
        assert version == stack.kernel_version(), f"uname -r printed {version!r}"
        assert vm.run("false; echo after", check=True) == "after"
        assert vm.run("exit_with() { return $1; }; exit_with 3", check=False) == ""
        assert vm.run("printf 'a\\nb\\n'") == "a\nb"
        assert vm.run("cat /proc/mounts | grep -c -E ' (proc|sysfs|devtmpfs) '") == "3"
        t0 = time.monotonic()
        vm.run("sleep 1")
        assert 0.9 <= time.monotonic() - t0 <= 5, "sleep 1 timing way off under bare TCG"
        vm.send("poweroff")
        vm.expect(r"reboot: Power down", 60)
        status = vm.wait(60)
        assert status == 0, f"QEMU exit status {status} after ACPI poweroff, expected 0"
