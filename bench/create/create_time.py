#!/usr/bin/python3
# Time `xl create` and create -> guest marker for Xenolith and Xen 4.17 in QEMU, median of RUNS (bench/create/run.sh).
"""Each system boots once (QEMU -kernel, -smp 2, 2 GiB, dom0 512 MiB with 1 vCPU) into a dom0
initramfs holding its own toolstack, the same guest kernel (Debian's vmlinuz), the same guest
initramfs (bench/create/mkguest.sh) and the same config (bench/create/bench.cfg). Then RUNS times:
  create   `xl create -q /etc/xen/bench.cfg`: from the line dom0 prints right before xl starts to
           the line it prints when xl has returned (both seen on the serial console);
  marker   `xl create -c ...`: from the line before xl starts to the guest's marker line, which
           also carries the guest kernel's own uptime (its boot time).
Between runs the guest powers itself off; the next run starts once `xl list` no longer shows it
and `xl info` free_memory is back to its first value."""
import json
import os
import re
import statistics
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

from qemu import Qemu  # noqa: E402
import stack  # noqa: E402

RUNS = int(os.environ.get("RUNS", "5"))
XEN = os.path.join(ROOT, "cache", "xen-4.17.elf")
XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 "
               "loglvl=all guest_loglvl=all noreboot smap=0")
MARKER = r"XENOLITH-BENCH-GUEST-READY uptime=([0-9.]+)"


def free_memory(vm):
    out = vm.run("xl info | grep free_memory", timeout=60)
    return int(re.search(r"free_memory\s*:\s*(\d+)", out).group(1))


def wait_gone(vm, first_free, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        out = vm.run("xl list", timeout=60)
        if not re.search(r"^bench\s", out, re.M) and free_memory(vm) == first_free:
            return
        time.sleep(0.5)
    raise AssertionError("guest did not go away / memory not returned")


def timed(vm, command, end_pattern, timeout=240):
    """Send 'echo BENCH-T0; COMMAND; echo BENCH-T1 $?' and time BENCH-T0 -> end_pattern."""
    vm.send(f"echo BENCH-T0; {command}; echo BENCH-T1 $?")
    vm.expect(r"^BENCH-T0\r*$", 60)
    t0 = time.monotonic()
    m = vm.expect(end_pattern, timeout)
    return time.monotonic() - t0, m


def measure(system, dom0_initrd):
    kernel, cmdline = (stack.HV, stack.HV_CMDLINE) if system == "xenolith" else (XEN, XEN_CMDLINE)
    modules = [stack.module(stack.DOM0_KERNEL, stack.DOM0_CMDLINE), stack.module(dom0_initrd)]
    args = stack.qemu_args(kernel=kernel, cmdline=cmdline, modules=modules, smp=2,
                           debug_exit=(system == "xenolith"))
    res = {"create": [], "marker": [], "guest_uptime": []}
    with Qemu(f"bench-create-{system}", args) as vm:
        vm.expect(r"^XENOLITH-DOM0-READY", 300)
        vm.expect_prompt(120)
        first_free = free_memory(vm)
        for i in range(RUNS):
            dt, m = timed(vm, "xl create -q /etc/xen/bench.cfg", r"^BENCH-T1 (\d+)")
            assert m.group(1) == "0", f"{system}: xl create failed:\n{vm.tail(30)}"
            res["create"].append(dt)
            vm.expect_prompt(60)
            wait_gone(vm, first_free)
            dt, m = timed(vm, "xl create -c /etc/xen/bench.cfg", MARKER)
            res["marker"].append(dt)
            res["guest_uptime"].append(float(m.group(1)))
            vm.expect(r"^BENCH-T1 (\d+)", 240)
            vm.expect_prompt(60)
            wait_gone(vm, first_free)
            print(f"  {system} run {i + 1}: create {res['create'][-1]:.3f} s, create->marker "
                  f"{res['marker'][-1]:.3f} s (guest uptime {res['guest_uptime'][-1]:.2f} s)", flush=True)
    return {k: statistics.median(v) for k, v in res.items()} | {"runs": res}


def main():
    systems = sys.argv[1:] or ["xenolith", "xen-4.17"]
    initrds = {"xenolith": os.environ.get("XENOLITH_DOM0", os.path.join(ROOT, "build", "dom0.cpio.gz")),
               "xen-4.17": os.path.join(ROOT, "build", "bench", "xen-dom0.cpio.gz")}
    out = {}
    for s in systems:
        out[s] = measure(s, initrds[s])
        print(f"{s}: median create {out[s]['create']:.3f} s, create->marker {out[s]['marker']:.3f} s, "
              f"guest uptime at marker {out[s]['guest_uptime']:.2f} s", flush=True)
    if len(out) == 2:
        a, b = out["xenolith"], out["xen-4.17"]
        print(f"ratio create xenolith/xen = {a['create'] / b['create']:.3f} "
              f"({b['create'] / a['create']:.1f}x faster)")
        print(f"create->marker minus guest uptime: xenolith {a['marker'] - a['guest_uptime']:.2f} s, "
              f"xen {b['marker'] - b['guest_uptime']:.2f} s")
    with open(os.path.join(ROOT, "build", "bench", "create.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
