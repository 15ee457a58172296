# The standard Xenolith test machine: paths, command lines and QEMU arguments shared by system tests.
"""Builds QEMU command lines for the stack under test.

Everything a test usually varies is a keyword argument of qemu_args(); the
defaults are exactly what `make run` boots (scripts/run.sh uses the same values).
Environment overrides (handy when bisecting):
    XENOLITH_HV           hypervisor image            (default build/xenolith)
    XENOLITH_DOM0_KERNEL  dom0 kernel boot module     (default cache/vmlinux)
    XENOLITH_INITRD       dom0 initramfs boot module  (default build/dom0.cpio.gz)
"""
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _path(env, default):
    return os.environ.get(env) or os.path.join(ROOT, default)


HV = _path("XENOLITH_HV", "build/xenolith")
DOM0_KERNEL = _path("XENOLITH_DOM0_KERNEL", "cache/vmlinux")
DOM0_INITRD = _path("XENOLITH_INITRD", "build/dom0.cpio.gz")
VMLINUZ = os.path.join(ROOT, "cache/vmlinuz")
KERNEL_VERSION_FILE = os.path.join(ROOT, "cache/kernel-version")

DEBUG_EXIT_PORT = 0xF4
# Codes the hypervisor writes to the debug-exit port, and QEMU's resulting exit status.
EXIT_POWEROFF, EXIT_REBOOT, EXIT_CRASH = 0, 1, 2
STATUS_POWEROFF, STATUS_REBOOT, STATUS_CRASH = 1, 3, 5

DOM0_MEM_MB = 512
HV_CMDLINE = (f"console=com1 com1=115200,8n1 dom0_mem={DOM0_MEM_MB}M dom0_max_vcpus=1 "
              f"loglvl=all noreboot debug_exit={DEBUG_EXIT_PORT:#x}")
DOM0_CMDLINE = "console=hvc0 earlyprintk=xen"


def kernel_version():
    with open(KERNEL_VERSION_FILE) as f:
        return f.read().strip()


def module(path, args=""):
    """One multiboot module for QEMU's -initrd: 'path args'; QEMU splits modules on ',',
    so a literal comma must be doubled."""
    s = path + (" " + args if args else "")
    return s.replace(",", ",,")


def qemu_args(kernel=None, cmdline=None, modules=None, cpu="max", mem=2048, smp=1,
              debug_exit=True, extra=()):
    """QEMU arguments for the stack: hypervisor KERNEL (default HV) with CMDLINE (default HV_CMDLINE), MODULES (a list of
    'path args' strings already built with module(); None means the standard dom0
    kernel + initramfs; [] means no modules at all). Serial console on stdio (a pipe
    under tests/system/qemu.py), no monitor, no display, -no-reboot so a triple fault
    or reset ends QEMU instead of looping."""
    if cmdline is None:
        cmdline = HV_CMDLINE
    if modules is None:
        modules = [module(DOM0_KERNEL, DOM0_CMDLINE), module(DOM0_INITRD)]
    args = ["-accel", "tcg", "-cpu", cpu, "-m", str(mem), "-smp", str(smp),
            "-display", "none", "-monitor", "none", "-serial", "stdio",
            "-no-reboot", "-kernel", kernel or HV, "-append", cmdline]
    if modules:
        args += ["-initrd", ",".join(modules)]
    if debug_exit:
        args += ["-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04"]
    return args + list(extra)


TEST_DATA = os.path.join(ROOT, "build", "test-data")


def require(*paths):
    """Fail with a useful message if a build/fetch product a test needs is missing."""
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise AssertionError("missing " + ", ".join(os.path.relpath(p, ROOT) for p in missing) +
                             " (run `make system-test`, which builds and fetches them)")


def require_stack():
    require(HV, DOM0_KERNEL, DOM0_INITRD, KERNEL_VERSION_FILE)


def test_file(name, data):
    """Write DATA to build/test-data/NAME (for corrupt boot modules) and return its path."""
    os.makedirs(TEST_DATA, exist_ok=True)
    path = os.path.join(TEST_DATA, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


# What a hypervisor crash looks like on the console (Xen's wording, which Xenolith keeps):
# a clean stop after an error message must print none of it, even though a panic ends
# QEMU with the same debug_exit code 2.
PANIC_RE = r"\bPANIC\b|hypervisor fault|[Cc]all [Tt]race"


def assert_no_panic(vm):
    import re
    m = re.search(PANIC_RE, vm.output)
    if m:
        raise AssertionError(f"crash or oops on the console ({m.group(0)!r}), see {vm.log_path}:\n"
                             + vm.tail(40))
