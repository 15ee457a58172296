#!/usr/bin/python3
# Time QEMU start -> "XENOLITH-DOM0-READY", Xenolith and Xen 4.17, per boot mode, median of RUNS (bench/boot/run.sh).
import json
import os
import shlex
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, os.path.join(ROOT, "scripts", "grub"))

from qemu import ExpectError, Qemu  # noqa: E402
import grub_iso  # noqa: E402
import stack  # noqa: E402

RUNS = int(os.environ.get("RUNS", "5"))
TIMEOUT = 300
XEN = os.path.join(ROOT, "cache", "xen-4.17.elf")
XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 "
               "loglvl=all guest_loglvl=all noreboot smap=0")
MODULES = [stack.module(stack.DOM0_KERNEL, stack.DOM0_CMDLINE), stack.module(stack.DOM0_INITRD)]

SYSTEMS = {
    "xenolith": dict(kernel=stack.HV, cmdline=stack.HV_CMDLINE, debug_exit=True, iso_system="xenolith"),
    "xen-4.17": dict(kernel=XEN, cmdline=XEN_CMDLINE, debug_exit=False, iso_system="xen"),
}
# How the hypervisor is loaded, and the number of emulated CPUs.
#   direct-smp1  QEMU -kernel (multiboot 1), -smp 1: the original figure of this benchmark
#   direct       QEMU -kernel, -smp 2
#   grub         a GRUB rescue ISO on SeaBIOS (multiboot2 + module2, scripts/grub/grub_iso.py), -smp 2
MODES = {
    "direct-smp1": dict(loader="kernel", smp=1),
    "direct": dict(loader="kernel", smp=2),
    "grub": dict(loader="grub", smp=2),
}
DEFAULT_MODES = "direct grub"


def shell_cmd(args):
    """The command as one could paste it from the repository's top directory."""
    return " ".join(shlex.quote(a.replace(ROOT + "/", "")) for a in ["qemu-system-x86_64"] + args)


def qemu_args(system, mode):
    s, m = SYSTEMS[system], MODES[mode]
    if m["loader"] == "kernel":
        return stack.qemu_args(kernel=s["kernel"], cmdline=s["cmdline"], modules=MODULES, smp=m["smp"],
                               debug_exit=s["debug_exit"])
    iso, _ = grub_iso.build_iso(f"bench-{system}", s["iso_system"], "manual", hv=s["kernel"], hv_args=s["cmdline"],
                                kernel=stack.DOM0_KERNEL, dom0_args=stack.DOM0_CMDLINE, initrd=stack.DOM0_INITRD)
    return grub_iso.qemu_args(iso, "bios", smp=m["smp"], debug_exit=s["debug_exit"])


def boot_once(name, args):
    with Qemu(name, args) as vm:
        try:
            vm.expect(r"^XENOLITH-DOM0-READY$", TIMEOUT)
        except ExpectError as e:
            print(str(e).splitlines()[0], file=sys.stderr)
            return None
        return vm.elapsed()


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else "both"
    pick = {"both": list(SYSTEMS), "xenolith": ["xenolith"], "xen": ["xen-4.17"], "xen-4.17": ["xen-4.17"]}
    if only not in pick:
        raise SystemExit(f"ONLY must be one of {', '.join(pick)}, not {only!r}")
    names = pick[only]
    modes = os.environ.get("MODES", DEFAULT_MODES).split()
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        raise SystemExit(f"MODES must be a list of {', '.join(MODES)}, not {os.environ.get('MODES')!r}")
    pairs = [(m, n) for m in modes for n in names]
    args = {p: qemu_args(p[1], p[0]) for p in pairs}
    times = {p: [] for p in pairs}
    failed = {p: False for p in pairs}
    for m, n in pairs:
        print(f"{m:11s} {n}: {shell_cmd(args[(m, n)])}")
    sys.stdout.flush()
    # Runs alternate between the systems within each mode, and the modes within each round.
    for i in range(RUNS):
        for m, n in pairs:
            if failed[(m, n)]:
                continue
            log = f"bench-boot-{n}-{m}-{i}"
            t = boot_once(log, args[(m, n)])
            if t is None:
                failed[(m, n)] = True
                print(f"{m:11s} {n} run {i + 1}: did not reach the READY marker (log build/test-logs/{log}.log)")
            else:
                times[(m, n)].append(t)
                print(f"{m:11s} {n} run {i + 1}: {t:.2f} s")
            sys.stdout.flush()
    med = {p: statistics.median(times[p]) for p in pairs if not failed[p] and times[p]}
    print(f"boot to dom0 READY, median of {RUNS} (QEMU TCG, -cpu max -m 2048; dom0 1 vCPU, 512 MiB):")
    print(f"  {'mode':11s} {'CPUs':>4s} " + " ".join(f"{n:>9s}" for n in names) +
          ("  xenolith/xen-4.17" if len(names) == 2 else ""))
    for m in modes:
        cells = " ".join(f"{med[(m, n)]:8.2f}s" if (m, n) in med else f"{'FAILED':>9s}" for n in names)
        ratio = ""
        if len(names) == 2 and (m, "xenolith") in med and (m, "xen-4.17") in med:
            ratio = f"  {med[(m, 'xenolith')] / med[(m, 'xen-4.17')]:.2f}"
        print(f"  {m:11s} {MODES[m]['smp']:4d} {cells}{ratio}")
    if "grub" in modes and "direct" in modes:
        for n in names:
            if ("grub", n) in med and ("direct", n) in med:
                print(f"  GRUB's cost for {n}: {med[('grub', n)] - med[('direct', n)]:+.2f} s "
                      f"(grub - direct, both -smp 2)")
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "boot.json"), "w") as f:
        json.dump({"runs": RUNS, "modes": {m: MODES[m] for m in modes},
                   "times": {m: {n: times[(m, n)] for n in names} for m in modes},
                   "median": {m: {n: med[(m, n)] for n in names if (m, n) in med} for m in modes},
                   "commands": {m: {n: shell_cmd(args[(m, n)]) for n in names} for m in modes}}, f, indent=1)
    return 1 if any(failed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
