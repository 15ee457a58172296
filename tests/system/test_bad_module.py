# A bad or missing dom0 kernel module must be reported by name and reason; the hypervisor stays up.
"""Expected hypervisor output (the module's name is the first word of its multiboot
command line, i.e. the path QEMU was given):
    (XEN) dom0 kernel module 'PATH': REASON     REASON contains "not an ELF", "truncated" or "invalid"
    (XEN) no dom0 kernel module                 when there are no boot modules at all
then the hypervisor keeps running without dom0: QEMU must not exit (with -no-reboot a
triple fault would end it), no crash text may appear, and the debug keys must answer
('h' lists the keys, 'm' prints memory), since serial input stays with the hypervisor.
"""
import os
import random

from qemu import Qemu
import stack

REASON = r"(not an ELF|truncated|invalid)"


def expect_stays_up(vm):
    vm.expect(r"stays up without it", 30)
    vm.send_raw(b"h")
    vm.expect(r"'q'", 30)
    vm.send_raw(b"m")
    vm.expect(r"(?i)free", 30)
    stack.assert_no_panic(vm)
    assert vm.proc.poll() is None, f"QEMU exited (status {vm.proc.returncode}): the hypervisor did not stay up"


def boot_bad_kernel(name, path):
    with Qemu(name, stack.qemu_args(modules=[stack.module(path, stack.DOM0_CMDLINE),
                                             stack.module(stack.DOM0_INITRD)])) as vm:
        vm.expect(r"Xenolith", 60)
        # The hypervisor may first log the module it found ("dom0 kernel module 'PATH': N bytes
        # at ..."): only a line of that form that also gives a REASON is the error.
        m = vm.expect(rf"dom0 kernel module '([^'\n]*)': [^\n]*{REASON}", 120)
        assert m.group(1).endswith(os.path.basename(path)), f"module named {m.group(1)!r}, expected {path!r}"
        expect_stays_up(vm)


def test_random_bytes_module():
    stack.require_stack()
    rng = random.Random(20240601)
    path = stack.test_file("junk-kernel.bin", rng.randbytes(1 << 20))
    boot_bad_kernel("bad_module_random", path)


def test_truncated_vmlinux_module():
    stack.require_stack()
    with open(stack.DOM0_KERNEL, "rb") as f:
        head = f.read(4 << 20)  # ELF and program headers intact, segments cut off
    boot_bad_kernel("bad_module_truncated", stack.test_file("truncated-vmlinux", head))


def test_no_module():
    stack.require(stack.HV)
    with Qemu("bad_module_missing", stack.qemu_args(modules=[])) as vm:
        vm.expect(r"Xenolith", 60)
        vm.expect(r"no dom0 kernel module", 120)
        expect_stays_up(vm)
