# Several guests at once: 2-vCPU guests side by side, credit weights, and create/destroy cycles that return every page.
"""Boot the standard stack with 2 pCPUs, then in dom0:
  - test_xl_two_guests: two copies of the example guest with vcpus = 2 each run at once:
    both list 2 online vCPUs (the guests start their APs themselves), one of them reports
    nproc = 2 over `xl console`; both are destroyed and xl list is Domain-0 alone;
  - test_xl_create_destroy_cycles: after a first guest (which creates the toolstack's one-time
    state, e.g. dom0's grant maptrack table), `xl info` free_memory is read; 20 cycles of
    `xl create` + `xl destroy` later it has exactly that value again;
  - test_xl_credit_weights: two 1-vCPU guests that spin (xenolith.busy=1), both pinned to pCPU 1
    with weights 512 and 256: over 40 s their CPU time (xl list Time(s)) grows near 2:1;
  - test_xl_guest_crash: a guest that panics gets its on_crash action (preserve, destroy);
    the other guest is unaffected;
  - test_xl_vcpu_set_mem_max_shutdown_all: vcpu-set, mem-max, shutdown -a -w.
"""
import re
import time

from qemu import Qemu
import stack
from test_xl_guest import boot, guest_rows, reattach, wait_rows

EXAMPLE = "/etc/xen/example.cfg"


def free_memory(vm):
    return int(re.search(r"^free_memory\s*: (\d+)$", vm.run("xl info"), re.M).group(1))


def create(vm, name, *overrides):
    args = " ".join(f"'{o}'" for o in (f'name="{name}"',) + overrides)
    vm.run(f"xl create -q {EXAMPLE} {args}", timeout=300)


def cpu_times(vm):
    """name -> Time(s) of every guest row."""
    return {r.split()[0]: float(r.split()[-1]) for r in guest_rows(vm)}


def test_xl_two_guests():
    stack.require_stack()
    with Qemu("xl_two_guests", stack.qemu_args(smp=2)) as vm:
        boot(vm)
        create(vm, "g1", "vcpus=2")
        create(vm, "g2", "vcpus=2")
        rows = guest_rows(vm)
        assert [r.split()[0] for r in rows] == ["g1", "g2"], rows
        # Each guest brings up its second vCPU itself (INIT/SIPI through its vLAPIC).
        for g in ("g1", "g2"):
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                vcpus = re.findall(rf"^{g} +\d+ +(\d) +(\S+) +(\S+) ", vm.run(f"xl vcpu-list {g}"), re.M)
                if len(vcpus) == 2 and all(cpu != "-" for _, cpu, _ in vcpus):
                    break
                time.sleep(3)
            assert len(vcpus) == 2 and all(cpu != "-" for _, cpu, _ in vcpus), (g, vcpus)
        vm.send("xl console g2")
        reattach(vm)
        assert vm.run("nproc", timeout=60) == "2"
        vm.send_raw("\x1d")
        vm.send("")
        vm.expect_prompt(30)
        assert re.search(r"^g1 +\d+ +25[67] +2 ", guest_rows(vm)[0]), guest_rows(vm)
        vm.run("xl destroy g1")
        vm.run("xl destroy g2")
        assert guest_rows(vm) == []
        stack.assert_no_panic(vm)


def test_xl_create_destroy_cycles():
    stack.require_stack()
    with Qemu("xl_create_destroy_cycles", stack.qemu_args(smp=2)) as vm:
        boot(vm)
        create(vm, "first")
        vm.run("xl destroy first")
        before = free_memory(vm)
        out = vm.run("for i in $(seq 20); do xl create -q /etc/xen/example.cfg \"name=\\\"c$i\\\"\" "
                     "&& xl destroy c$i || { echo CYCLE-FAILED $i; break; }; done; echo CYCLES-DONE",
                     timeout=1500)
        assert "CYCLE-FAILED" not in out and out.endswith("CYCLES-DONE"), out
        assert guest_rows(vm) == []
        after = free_memory(vm)
        assert after == before, f"free_memory {before} MiB before 20 cycles, {after} MiB after"
        stack.assert_no_panic(vm)


def test_xl_credit_weights():
    stack.require_stack()
    with Qemu("xl_credit_weights", stack.qemu_args(smp=2)) as vm:
        boot(vm)
        busy = 'extra="console=hvc0 xenolith.busy=1"'
        create(vm, "heavy", busy, 'cpus="1"', "cpu_weight=512")
        create(vm, "light", busy, 'cpus="1"', "cpu_weight=256")
        out = vm.run("xl sched-credit")
        assert re.search(r"^heavy +\d+ +512 +0$", out, re.M), out
        assert re.search(r"^light +\d+ +256 +0$", out, re.M), out
        time.sleep(30)  # both guests booted and spinning
        t0 = cpu_times(vm)
        time.sleep(40)
        t1 = cpu_times(vm)
        heavy, light = t1["heavy"] - t0["heavy"], t1["light"] - t0["light"]
        print(f"CPU time over the window: heavy {heavy:.1f} s, light {light:.1f} s")
        assert light > 1.0, (t0, t1)
        ratio = heavy / light
        assert 1.6 <= ratio <= 2.5, f"weights 512:256 gave {ratio:.2f}:1 ({t0} -> {t1})"
        vm.run("xl destroy heavy")
        vm.run("xl destroy light")
        stack.assert_no_panic(vm)


def test_xl_guest_crash():
    """A guest kernel panic is a crash: sysrq 'c' (through control/sysrq) panics the guest, whose
    kernel (panic=1 reboot=t) then restarts by triple fault, which xl makes a crash shutdown.
    on_crash = preserve keeps it listed as shut down with reason crash ("sc"); on_crash =
    destroy (the default) removes it; the other guest keeps running throughout."""
    stack.require_stack()
    with Qemu("xl_guest_crash", stack.qemu_args(smp=2)) as vm:
        boot(vm)
        panicky = 'extra="console=hvc0 panic=1 reboot=t sysrq_always_enabled"'
        create(vm, "victim", panicky, 'on_crash="preserve"')
        create(vm, "bystander", panicky)
        victim = vm.run("xl domid victim")
        # The write is repeated until the victim's kernel has its control/sysrq watch.
        deadline = time.monotonic() + 300
        while True:
            vm.run(f"xenstore-write /local/domain/{victim}/control/sysrq c")
            time.sleep(10)
            rows = guest_rows(vm)
            if any(re.match(r"victim .* -[b-]-sc-  ", r) for r in rows) or time.monotonic() > deadline:
                break
        byname = {r.split()[0]: r for r in rows}
        assert re.search(r" -[b-]-sc-  ", byname["victim"]), rows
        assert not re.search(r" ...s..  ", byname["bystander"]), rows
        vm.run("xl destroy victim")
        bystander = vm.run("xl domid bystander")
        deadline = time.monotonic() + 300
        while guest_rows(vm) and time.monotonic() < deadline:
            vm.run(f"xenstore-write /local/domain/{bystander}/control/sysrq c")
            time.sleep(10)
        assert guest_rows(vm) == [], "on_crash=destroy left the guest"
        # The guests' own panic messages reach the log as "(dN) ..." lines: only they may panic.
        rest = "\n".join(l for l in vm.output.split("\n") if not re.search(r"\(d[1-9]\d*\)", l))
        assert not re.search(stack.PANIC_RE, rest), vm.tail(40)


def test_xl_vcpu_set_mem_max_shutdown_all():
    """vcpu-set writes cpu/<i>/availability (the guest's hotplug interface) up to maxvcpus and
    refuses more; mem-max sets memory/static-max; `shutdown -a -w` stops every guest and
    returns once they are all gone."""
    stack.require_stack()
    with Qemu("xl_vcpu_set_mem_max", stack.qemu_args(smp=2)) as vm:
        boot(vm)
        create(vm, "g1", "vcpus=1", "maxvcpus=2")
        create(vm, "g2")
        d1 = vm.run("xl domid g1")
        avail = f"/local/domain/{d1}/cpu/1/availability"
        assert vm.run(f"xenstore-read {avail}") == "offline"
        vm.run("xl vcpu-set g1 2")
        assert vm.run(f"xenstore-read {avail}") == "online"
        vm.run("xl vcpu-set g1 1")
        assert vm.run(f"xenstore-read {avail}") == "offline"
        out = vm.run("xl vcpu-set g1 3 2>&1; echo rc=$?", check=False)
        assert out.endswith("rc=1"), out
        vm.run("xl mem-max g1 300m")
        assert vm.run(f"xenstore-read /local/domain/{d1}/memory/static-max") == str(300 * 1024)
        time.sleep(20)  # both kernels have their control/shutdown watches
        vm.run("xl shutdown -a -w 2>&1", timeout=600)
        assert guest_rows(vm) == []
        stack.assert_no_panic(vm)
