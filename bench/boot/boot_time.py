#!/usr/bin/python3
# Time QEMU start -> "XENOLITH-DOM0-READY" for Xenolith and Xen 4.17, median of RUNS; see bench/boot/run.sh.
import json
import os
import shlex
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

from qemu import ExpectError, Qemu  # noqa: E402
import stack  # noqa: E402

RUNS = int(os.environ.get("RUNS", "5"))
TIMEOUT = 300
XEN = os.path.join(ROOT, "cache", "xen-4.17.elf")
XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 "
               "loglvl=all guest_loglvl=all noreboot smap=0")
MODULES = [stack.module(stack.DOM0_KERNEL, stack.DOM0_CMDLINE), stack.module(stack.DOM0_INITRD)]

SYSTEMS = {
    "xenolith": dict(kernel=stack.HV, cmdline=stack.HV_CMDLINE, modules=MODULES),
    "xen-4.17": dict(kernel=XEN, cmdline=XEN_CMDLINE, modules=MODULES, debug_exit=False),
}


def shell_cmd(args):
    """The command as one could paste it from the repository's top directory."""
    return " ".join(shlex.quote(a.replace(ROOT + "/", "")) for a in ["qemu-system-x86_64"] + args)


def boot_once(name, i, args):
    with Qemu(f"bench-boot-{name}-{i}", args) as vm:
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
    args = {n: stack.qemu_args(**SYSTEMS[n]) for n in names}
    times = {n: [] for n in names}
    failed = {n: False for n in names}
    for n in names:
        print(f"{n}: {shell_cmd(args[n])}")
    for i in range(RUNS):
        for n in names:
            if failed[n]:
                continue
            t = boot_once(n, i, args[n])
            if t is None:
                failed[n] = True
                print(f"{n} run {i + 1}: did not reach the READY marker (log build/test-logs/bench-boot-{n}-{i}.log)")
            else:
                times[n].append(t)
                print(f"{n} run {i + 1}: {t:.2f} s")
            sys.stdout.flush()
    med = {n: statistics.median(times[n]) for n in names if not failed[n] and times[n]}
    print(f"boot to dom0 READY, median of {RUNS} (QEMU TCG, -cpu max -m 2048 -smp 1):")
    for n in names:
        print(f"  {n:9s} " + (f"{med[n]:.2f} s" if n in med else "FAILED"))
    if "xenolith" in med and "xen-4.17" in med:
        print(f"  ratio xenolith/xen-4.17 = {med['xenolith'] / med['xen-4.17']:.2f}")
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "boot.json"), "w") as f:
        json.dump({"runs": RUNS, "times": times, "median": med,
                   "commands": {n: shell_cmd(args[n]) for n in names}}, f, indent=1)
    return 1 if any(failed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
