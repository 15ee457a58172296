# A PVH guest from dom0's toolstack: xl create -c /etc/xen/example.cfg reaches the guest's shell.
"""Boot the standard stack, then in dom0:
  - `xl create -c /etc/xen/example.cfg` (Debian's kernel + a busybox initramfs, 256 MiB,
    1 vCPU) builds and starts the guest; xl itself returns within XL_CREATE_LIMIT seconds
    (measured with -p first: build only, no guest boot), and its console shows the guest's
    XENOLITH-GUEST-READY marker and a 'guest# ' shell that runs commands;
  - Ctrl-] leaves the console; `xl list` then shows the guest in Xen's format with 256 MiB
    and 1 vCPU; `xl vcpu-list example` has its vCPU 0; `xl console example` gets back in;
  - `poweroff` in the guest ends it: the monitor applies on_poweroff = destroy, so `xl list`
    is Domain-0 alone again and its xenstore nodes are gone;
  - `xl create` + `xl shutdown -w` works the same way from outside the guest.
"""
import re
import time

from qemu import Qemu
import stack

XL_CREATE_LIMIT = 60  # seconds of QEMU TCG time for `xl create -p` of the example guest


def boot(vm):
    vm.expect(r"^XENOLITH-DOM0-READY$", 300)
    vm.expect_prompt(60)


def reattach(vm):
    """After `xl console`, press Enter until the guest's prompt answers: keys typed before the
    client has put the terminal in raw mode are flushed by it, as with Xen's xenconsole."""
    for _ in range(6):
        time.sleep(2)
        vm.send("")
        try:
            vm.expect(r"guest# $", 10)
            return
        except AssertionError:
            continue
    vm.expect(r"guest# $", 1)


def guest_rows(vm):
    """`xl list` rows other than Domain-0's, by their shape (a hypervisor log line may split
    the header line on the shared serial console)."""
    rows = vm.run("xl list").split("\n")
    return [l for l in rows if re.match(r"^\S+ +\d+ +\d+ +\d+ ", l) and not l.startswith("Domain-0 ")]


def test_xl_guest_console():
    stack.require_stack()
    with Qemu("xl_guest_console", stack.qemu_args()) as vm:
        boot(vm)
        # Build only (paused), timed: xl create must be fast.
        out = vm.run("time xl create -p /etc/xen/example.cfg 2>&1", timeout=300)
        m = re.search(r"^real\s+(?:(\d+)m\s*)?([\d.]+)s$", out, re.M)
        assert m, f"no time(1) output:\n{out}"
        secs = 60 * int(m.group(1) or 0) + float(m.group(2))
        print(f"xl create -p of the example guest: {secs:.2f} s (TCG)")
        assert secs < XL_CREATE_LIMIT, f"xl create -p took {secs} s:\n{out}"
        rows = guest_rows(vm)
        assert len(rows) == 1 and re.match(r"^example +\d+ +25[67] +1 +--p---", rows[0]), rows
        vm.run("xl destroy example")
        assert guest_rows(vm) == []

        vm.send("xl create -c /etc/xen/example.cfg")
        vm.expect(r"^XENOLITH-GUEST-READY uptime=[0-9.]+\r*$", 600)
        vm.expect(r"guest# $", 120)
        assert vm.run("cat /sys/hypervisor/guest_type", timeout=60) == "PVH"
        assert vm.run("hostname") == "guest"
        vm.send_raw("\x1d")  # Ctrl-]: back to dom0
        vm.send("")
        vm.expect_prompt(30)
        rows = guest_rows(vm)
        assert len(rows) == 1, rows
        assert re.match(r"^example {33} +\d+ +25[67] +1 +[r-][b-]----  +\d+\.\d$", rows[0]), rows
        assert re.search(r"^example +\d+ +0 +0 +[r-][b-]- ", vm.run("xl vcpu-list example"),
                         re.M)
        domid = vm.run("xl domid example")
        assert vm.run(f"xenstore-read /local/domain/{domid}/name") == "example"
        tty = vm.run(f"xenstore-read /local/domain/{domid}/console/tty")
        assert tty.startswith("/dev/pts/"), tty

        vm.send("xl console example")
        reattach(vm)
        vm.send("poweroff")
        vm.expect_prompt(180)  # the console client ends when the guest goes away
        deadline = time.monotonic() + 60
        while guest_rows(vm) and time.monotonic() < deadline:
            time.sleep(2)
        assert guest_rows(vm) == [], "the monitor did not destroy the powered-off guest"
        assert vm.run("xenstore-list /local/domain") == "0", \
            "the guest's xenstore nodes are left"

        vm.run("xl create -q /etc/xen/example.cfg", timeout=300)
        # Wait for the guest's shell first: a poweroff request that reaches Linux before its
        # userspace can run /sbin/poweroff is dropped by the guest (as under Xen).
        vm.send("xl console example")
        reattach(vm)
        vm.send_raw("\x1d")
        vm.send("")
        vm.expect_prompt(30)
        vm.run("xl shutdown -w example 2>&1", timeout=600)
        assert guest_rows(vm) == []
        stack.assert_no_panic(vm)


def wait_rows(vm, pred, what, timeout=120):
    """Poll `xl list` (guest rows) until PRED(rows) holds."""
    deadline = time.monotonic() + timeout
    rows = guest_rows(vm)
    while not pred(rows) and time.monotonic() < deadline:
        time.sleep(2)
        rows = guest_rows(vm)
    assert pred(rows), f"{what}: xl list guest rows {rows}"
    return rows


def test_xl_guest_lifecycle():
    """on_reboot = restart brings the guest back under a new id (the monitor's work, logged);
    on_reboot = preserve leaves it listed as shut down, reason reboot (state letters "sr") until
    `xl destroy`; pause/unpause show in the state column; mem-set and vcpu-pin take effect."""
    stack.require_stack()
    with Qemu("xl_guest_lifecycle", stack.qemu_args()) as vm:
        boot(vm)
        vm.run("xl create -q /etc/xen/example.cfg", timeout=300)
        first = vm.run("xl domid example")
        vm.run("xl pause example")
        # As Xen: a paused domain is never running (blocked if its vCPU was halted).
        assert re.search(r" -[b-]p---  ", guest_rows(vm)[0]), guest_rows(vm)
        vm.run("xl unpause example")
        assert not re.search(r" ..p...  ", guest_rows(vm)[0]), guest_rows(vm)
        vm.run("xl mem-set example 200m")
        target = vm.run(f"xenstore-read /local/domain/{first}/memory/target")
        assert target == str(200 * 1024), target
        vm.run("xl vcpu-pin example 0 0")
        assert re.search(r"^example +\d+ +0 .* 0 / all$|^example +\d+ +0 .* all / all$",
                         vm.run("xl vcpu-list example"), re.M)

        vm.send("xl console example")
        reattach(vm)
        vm.send("reboot")
        vm.expect_prompt(300)  # the console client ends with the old domain
        rows = wait_rows(vm, lambda r: len(r) == 1 and r[0].startswith("example ") and
                         r[0].split()[1] != first and "p" not in r[0].split()[4],
                         "restart under a new id, running", 300)
        assert re.match(r"^example +\d+ +25[67] +1 ", rows[0]), rows
        log = vm.run("cat /var/log/xen/xl-example.log")
        assert re.search(rf"domain {first} \(example\) shut down, reason code 1: restart", log), log
        assert re.search(r"restarted example as domain \d+", log), log
        vm.send("xl console example")
        reattach(vm)
        vm.send_raw("\x1d")
        vm.send("")
        vm.expect_prompt(30)
        vm.run("xl destroy example")
        assert guest_rows(vm) == []

        # This one loads through foreign mappings (the builder's fallback to grant copies).
        vm.run("XGUEST_LOAD=map xl create -q /etc/xen/example.cfg 'on_reboot=\"preserve\"'",
               timeout=300)
        vm.send("xl console example")
        reattach(vm)
        vm.send("reboot")
        vm.expect(r"reboot: Restarting system", 300)
        vm.send_raw("\x1d")  # a preserved domain keeps its console: leave it ourselves
        vm.send("")
        vm.expect_prompt(60)
        # Xen shows "---sr-"; Xenolith's getdomaininfo still sets "running" for the stopped vCPU.
        rows = wait_rows(vm, lambda r: len(r) == 1 and re.search(r" -[b-]-sr-  ", r[0]),
                         "preserved after reboot", 120)
        vm.run("xl destroy example")
        assert guest_rows(vm) == [] and vm.run("xenstore-list /local/domain") == "0"
        stack.assert_no_panic(vm)
