# Test guests judged by their one verdict line: each boots as dom0 and must print "Test result: SUCCESS".
"""Each test boots the hypervisor with one boot module, a tiny PVH test kernel from
tests/guest/<name>/ (built by `make guests` into build/guests/<name>.elf), as dom0:
    hypervisor command line: console=com1 dom0_mem=64M loglvl=all noreboot debug_exit=0xf4
The guest prints its findings and exactly one verdict line,
    Test result: SUCCESS             or    Test result: FAILURE: <reason>
(failed checks are also listed above it as "  FAIL: ..." lines), then shuts down
with SCHEDOP_shutdown: poweroff on success, so the hypervisor writes 0 to the
debug-exit port and QEMU exits with status 1; crash on failure (status 5).
XENOLITH_GUESTS overrides the folder holding the guest images.
"""
import os
import re

from qemu import ExpectError, Qemu
import stack

GUESTS = os.environ.get("XENOLITH_GUESTS") or os.path.join(stack.ROOT, "build", "guests")
GUEST_CMDLINE = f"console=com1 dom0_mem=64M loglvl=all noreboot debug_exit={stack.DEBUG_EXIT_PORT:#x}"


def guest_path(name):
    return os.path.join(GUESTS, name + ".elf")


def run_guest(name, timeout=120):
    """Boot guest NAME as dom0 and assert its SUCCESS verdict and a clean poweroff."""
    path = guest_path(name)
    stack.require(stack.HV, path)
    with Qemu(f"guest_{name}", stack.qemu_args(cmdline=GUEST_CMDLINE,
                                               modules=[stack.module(path)])) as vm:
        vm.expect(r"Xenolith", 60)
        m = vm.expect(r"Test result: ([^\n]*)\n", timeout)  # whole line: output may arrive in pieces
        verdict = m.group(1)
        status = vm.wait(30)
        stack.assert_no_panic(vm)
        if verdict != "SUCCESS":
            fails = "\n".join(re.findall(r"^ *FAIL: [^\n]*", vm.output, re.MULTILINE))
            raise ExpectError(f"[{name}] Test result: {verdict}\n{fails}\n"
                              f"---- last 40 console lines ({vm.log_path}) ----\n{vm.tail(40)}")
        count = vm.output.count("Test result:")
        assert count == 1, f"[{name}] {count} 'Test result:' lines, expected exactly one"
        assert status == stack.STATUS_POWEROFF, \
            (f"[{name}] QEMU exit status {status}, expected {stack.STATUS_POWEROFF} "
             f"(dom0 poweroff -> debug_exit 0)")


def test_hello():
    run_guest("hello")


def test_hello_elf32():
    run_guest("hello-elf32")


def test_hypercall_args():
    run_guest("hypercall-args")


def test_hypercall_cpl3():
    run_guest("hypercall-cpl3")


def test_ud_on_vmrun():
    run_guest("ud-on-vmrun")


def test_msr_gp():
    run_guest("msr-gp")


def test_xapic_mmio():
    run_guest("xapic-mmio")


def test_dom0_foreign():
    run_guest("dom0-foreign")


def test_dom0_domu():
    run_guest("dom0-domu")


if __name__ == "__main__":
    for _n, _f in list(globals().items()):
        if _n.startswith("test_") and callable(_f):
            _f()
            print("PASS", _n)
