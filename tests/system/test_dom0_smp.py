# SMP: every physical CPU brought up, dom0 with several vCPUs (also more vCPUs than CPUs), CPU offline/online.
"""-smp 4 with dom0_max_vcpus=4: the hypervisor starts all 4 CPUs, dom0 sees nproc = 4,
a CPU-bound job on every vCPU finishes, and Linux can take a vCPU offline and back online
through sysfs. -smp 2 with dom0_max_vcpus=4: 4 vCPUs share 2 CPUs and all of them make
progress (round-robin time slices). The debug keys 'c' and 'r' list CPUs and run queues."""
import re

from qemu import Qemu
import stack

# Four busy loops, one per vCPU; each prints when done. `wait` returns when all have.
BURN = ("for n in 1 2 3 4; do (i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo burn$n) & done; wait; "
        "echo all-done")


def boot_rest(vm):
    vm.expect(r"Linux version 6\.1\.", 180)
    vm.expect(r"^XENOLITH-DOM0-READY$", 300)
    vm.expect_prompt(60)


def cmdline(vcpus):
    return re.sub(r"dom0_max_vcpus=\d+", f"dom0_max_vcpus={vcpus}", stack.HV_CMDLINE)


def check_burn(vm):
    out = vm.run(BURN, timeout=300)
    for n in range(1, 5):
        assert f"burn{n}" in out, f"CPU-bound job {n} did not finish:\n{out}"
    assert out.strip().endswith("all-done"), out


def test_smp4_dom0_4vcpus():
    stack.require_stack()
    with Qemu("dom0_smp4", stack.qemu_args(cmdline=cmdline(4), smp=4)) as vm:
        vm.expect(r"SMP: 4 CPUs online", 60)
        boot_rest(vm)
        assert vm.run("nproc") == "4"
        assert vm.run("cat /sys/devices/system/cpu/online") == "0-3"
        check_burn(vm)

        vm.run("echo 0 > /sys/devices/system/cpu/cpu2/online")
        assert vm.run("cat /sys/devices/system/cpu/online") == "0-1,3"
        vm.run("echo 1 > /sys/devices/system/cpu/cpu2/online")
        assert vm.run("cat /sys/devices/system/cpu/online") == "0-3"
        check_burn(vm)

        vm.send_raw(b"\x01\x01\x01")
        vm.expect(r"Serial input to Xen", 30)
        vm.send_raw(b"c")
        vm.expect(r"CPU3: APIC ID \d+, online", 30)
        vm.send_raw(b"r")
        vm.expect(r"CPU3: 1 vCPU\(s\)", 30)
        vm.send_raw(b"\x01\x01\x01")
        vm.expect(r"Serial input to DOM0", 30)

        vm.send("poweroff")
        assert vm.wait(120) == stack.STATUS_POWEROFF
        stack.assert_no_panic(vm)


def test_smp2_dom0_4vcpus_overcommitted():
    stack.require_stack()
    with Qemu("dom0_smp2_overcommit", stack.qemu_args(cmdline=cmdline(4), smp=2)) as vm:
        vm.expect(r"SMP: 2 CPUs online", 60)
        vm.expect(r"dom0: PVH, 4 vCPU\(s\)", 60)
        boot_rest(vm)
        assert vm.run("nproc") == "4"
        check_burn(vm)
        vm.send("poweroff")
        assert vm.wait(120) == stack.STATUS_POWEROFF
        stack.assert_no_panic(vm)
