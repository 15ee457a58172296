# Boot Xenolith with Debian's Linux 6.1 as PVH dom0 and check dom0 from its own shell.
"""Boot the standard stack (what `make run` boots) and check, from dom0's shell:
  - the hypervisor banner, dom0's kernel messages, the READY marker and the prompt;
  - `uname -r` is the fetched Debian kernel (cache/kernel-version);
  - Linux knows it is a Xen PVH guest and the initial domain:
      dmesg "Booting kernel on Xen PVH" (Linux 6.1 xen_banner(): pv_info.name is
      "Xen PVH"; a PV kernel says "Xen", HVM "Xen HVM") and "Xen version: X.Y",
      /sys/hypervisor/type = "xen" (CONFIG_XEN_SYS_HYPERVISOR=y in Debian),
      /sys/hypervisor/guest_type = "PVH",
      /proc/xen/capabilities = "control_d" (xenfs: only the initial domain),
      and no "ACPI in unprivileged domain disabled" (what a domU prints);
  - dom0 has dom0_mem=512M: the usable E820 RAM Linux was given sums to 480..513 MiB
    and MemTotal is 320..512 MiB (a 2 GiB or 256 MiB dom0 fails both; Xen 4.17's
    512 MiB PV dom0 has MemTotal 390 MiB);
  - time runs at the right speed: `time sleep 2` reports 1.5..2.5 s and takes
    1.5..3.0 s of host time;
  - `poweroff` ends QEMU by itself with status 1 (debug_exit code 0);
  - nothing on the console looks like a hypervisor crash (stack.PANIC_RE).
"""
import re
import time

from qemu import Qemu
import stack


def boot(vm):
    vm.expect(r"Xenolith", 60)
    vm.expect(r"Linux version 6\.1\.", 180)
    vm.expect(r"^XENOLITH-DOM0-READY$", 300)
    vm.expect_prompt(60)


def test_dom0_boot():
    stack.require_stack()
    with Qemu("dom0_boot", stack.qemu_args()) as vm:
        boot(vm)

        version = vm.run("uname -r")
        assert version == stack.kernel_version(), f"uname -r: {version!r} != {stack.kernel_version()!r}"

        dmesg = vm.run("dmesg | grep -E 'Booting kernel|Booting paravirtualized|Xen version|"
                       "Hypervisor detected|unprivileged domain|e820|usable'")
        assert re.search(r"Booting kernel on Xen PVH$", dmesg, re.M), \
            f"dmesg does not say 'Booting kernel on Xen PVH':\n{dmesg}"
        assert re.search(r"Xen version: \d+\.\d+", dmesg), f"no 'Xen version:' in dmesg:\n{dmesg}"
        assert "ACPI in unprivileged domain disabled" not in dmesg, "Linux thinks it is a domU"

        assert vm.run("cat /sys/hypervisor/type") == "xen"
        assert vm.run("cat /sys/hypervisor/guest_type") == "PVH"
        caps = vm.run("cat /proc/xen/capabilities")
        assert caps == "control_d", f"/proc/xen/capabilities: {caps!r} (initial domain says control_d)"

        usable = sum(int(e, 16) + 1 - int(s, 16) for s, e in
                     re.findall(r"(?:BIOS-e820|Xen): \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable", dmesg))
        assert 480 << 20 <= usable <= 513 << 20, \
            f"usable E820 RAM is {usable / 2**20:.1f} MiB, expected ~512 MiB (dom0_mem=512M):\n{dmesg}"
        memtotal_kb = int(vm.run("awk '/^MemTotal:/ {print $2}' /proc/meminfo"))
        assert 320 << 10 <= memtotal_kb <= 512 << 10, \
            f"MemTotal {memtotal_kb} kB is not in 320..512 MiB (dom0_mem=512M)"

        t0 = time.monotonic()
        out = vm.run("time sleep 2 2>&1")
        host = time.monotonic() - t0
        m = re.search(r"real\s+(\d+)m\s*([\d.]+)s", out)
        assert m, f"no 'real' line from time: {out!r}"
        guest = int(m.group(1)) * 60 + float(m.group(2))
        assert 1.5 <= guest <= 2.5, f"dom0 measured `sleep 2` as {guest:.2f} s"
        assert 1.5 <= host <= 3.0, f"`sleep 2` in dom0 took {host:.2f} s of host time (dom0 said {guest:.2f} s)"

        # Ctrl-A three times hands the serial line to the hypervisor's debug keys and back.
        vm.send_raw(b"\x01\x01\x01")
        vm.expect(r"Serial input to Xen", 30)
        vm.send_raw(b"q")
        vm.expect(r"Domain 0: privileged running", 30)
        vm.expect(r"VCPU0: CPU0 online", 30)
        vm.send_raw(b"m")
        vm.expect(r"(?i)free", 30)
        vm.send_raw(b"\x01\x01\x01")
        vm.expect(r"Serial input to DOM0", 30)
        assert vm.run("echo back in dom0") == "back in dom0"

        vm.send("poweroff")
        status = vm.wait(120)
        assert status == stack.STATUS_POWEROFF, \
            f"QEMU exit status {status} after dom0 poweroff, expected {stack.STATUS_POWEROFF} (debug_exit code 0)"
        stack.assert_no_panic(vm)


def test_dom0_reboot():
    """dom0's `reboot` (Linux's Xen restart: SCHEDOP_shutdown reboot) ends dom0 with reason
    reboot; with noreboot the machine does not reset and reports it (debug_exit code 1, status 3)."""
    stack.require_stack()
    with Qemu("dom0_reboot", stack.qemu_args()) as vm:
        boot(vm)
        vm.send("reboot")
        vm.expect(r"Domain 0 shut down: reason reboot", 120)
        vm.expect(r"'noreboot' set - not rebooting", 30)
        status = vm.wait(60)
        assert status == stack.STATUS_REBOOT, \
            f"QEMU exit status {status} after dom0 reboot, expected {stack.STATUS_REBOOT} (debug_exit code 1)"
        stack.assert_no_panic(vm)
