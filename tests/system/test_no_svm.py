# Without SVM/VMX the hypervisor must say so and stop cleanly (debug_exit code 2), not triple-fault.
"""CPU: `-cpu qemu64,-svm`. Note plain `-cpu qemu64` is NOT enough: QEMU's qemu64
model advertises SVM under TCG. Expected hypervisor output:
    (XEN) No hardware virtualization support (SVM/VMX) found: cannot start domains
then a write of 2 to the debug-exit port, so QEMU exits with status 5, with no
crash (PANIC, fault, call trace) on the console. A triple
fault would end QEMU (with -no-reboot) with status 0; a hang hits the timeout.
"""
from qemu import Qemu
import stack


def test_no_svm():
    stack.require_stack()
    with Qemu("no_svm", stack.qemu_args(cpu="qemu64,-svm")) as vm:
        vm.expect(r"Xenolith", 60)
        vm.expect(r"No hardware virtualization support", 120)
        status = vm.wait(30)  # the stop comes right after the message
        stack.assert_no_panic(vm)
        assert status == stack.STATUS_CRASH, \
            f"QEMU exit status {status}, expected {stack.STATUS_CRASH} (debug_exit code 2); 0 means a triple fault"
