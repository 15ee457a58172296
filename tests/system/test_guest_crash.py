# Test guests that must crash: the hypervisor reports "domain 0 crashed" with registers and survives.
"""Each test boots a tests/guest/<name>/ kernel (build/guests/<name>.elf) as dom0 with
    console=com1 dom0_mem=64M loglvl=all noreboot debug_exit=0xf4
The guest does something the hypervisor must refuse by crashing the domain:
    triple-fault   int3 with a zero-length IDT (SVM shutdown intercept)
    bad-mmio       a write to guest-physical 0x7F0000010, which nothing backs
Expected console: "domain 0 crashed: <why>" and a register dump with the guest's
RIP; then the controlled stop for a crashed dom0 writes code 2 to the debug-exit
port (QEMU status 5, where a host triple fault would give 0); no hypervisor panic
(a panic also exits with code 2) and no verdict line from the guest (it must not
have run on).
The *_debug_keys variant boots without the debug-exit device and checks the
hypervisor still answers its debug keys after the crash: serial input goes to the
hypervisor (by itself once dom0 is gone, or after Ctrl-A three times), and 'h'
lists the keys, including 'q'.
"""
import os
import re
import time

from qemu import Qemu
import stack

GUESTS = os.environ.get("XENOLITH_GUESTS") or os.path.join(stack.ROOT, "build", "guests")
GUEST_CMDLINE = f"console=com1 dom0_mem=64M loglvl=all noreboot debug_exit={stack.DEBUG_EXIT_PORT:#x}"


def boot(name, debug_exit=True):
    path = os.path.join(GUESTS, name + ".elf")
    stack.require(stack.HV, path)
    return Qemu(f"guest_{name}" + ("" if debug_exit else "_keys"),
                stack.qemu_args(cmdline=GUEST_CMDLINE, modules=[stack.module(path)],
                                debug_exit=debug_exit))


def expect_domain_crash(vm, name, timeout=120):
    """The crash report: the crash line, then a register dump naming RIP."""
    vm.expect(r"Xenolith", 60)
    vm.expect(r"--- Xenolith guest test: ", timeout)
    vm.expect(r"domain 0 crashed", timeout)
    vm.expect(r"(?i)\bRIP\b[^\n]*[0-9a-f]{8}", 30)


def crash_test(name):
    with boot(name) as vm:
        expect_domain_crash(vm, name)
        status = vm.wait(30)
        stack.assert_no_panic(vm)
        assert "Test result:" not in vm.output, \
            f"[{name}] the guest kept running after the crash:\n{vm.tail(40)}"
        assert status == stack.STATUS_CRASH, \
            (f"[{name}] QEMU exit status {status}, expected {stack.STATUS_CRASH} "
             f"(dom0 crash -> debug_exit 2); 0 means the host triple-faulted")


def debug_keys_after_crash(name):
    with boot(name, debug_exit=False) as vm:
        expect_domain_crash(vm, name)
        time.sleep(2)  # let the crash path finish printing
        # The hypervisor may hand serial input to itself once dom0 is gone; if the
        # last switch did not go to Xen, Ctrl-A three times does it.
        switches = re.findall(r"Serial input to (\w+)", vm.output)
        vm.skip_to_end()
        if not switches or switches[-1].upper() not in ("XEN", "XENOLITH"):
            vm.send_raw(b"\x01\x01\x01", chunk=1, delay=0.1)
            vm.expect(r"Serial input to (Xen|XEN|Xenolith)", 30)
        vm.send_raw(b"h")
        vm.expect(r"'q'[^\n]*\w", 30)
        stack.assert_no_panic(vm)
        assert "Test result:" not in vm.output, \
            f"[{name}] the guest kept running after the crash:\n{vm.tail(40)}"


def test_triple_fault():
    crash_test("triple-fault")


def test_triple_fault_debug_keys():
    debug_keys_after_crash("triple-fault")


def test_bad_mmio():
    crash_test("bad-mmio")


if __name__ == "__main__":
    for _n, _f in list(globals().items()):
        if _n.startswith("test_") and callable(_f):
            _f()
            print("PASS", _n)
