# The dom0 daemons on the real stack: xenstored serves dom0's own kernel ring, xenconsoled starts.
"""Boot the standard dom0 with an overlay image (a second gzip'd cpio appended to the dom0
initramfs: the kernel unpacks both) that adds our static xenstored, xenconsoled and xenconsole
plus Debian's xenstore-utils as independent clients. From dom0's shell:
  - `xenstored --pid-file=/var/run/xenstored.pid` (what an init script runs) returns 0 with the
    pid file written and the daemon alive (if the image's /init already started it, that one);
  - the base tree is there (/tool/xenstored);
  - dom0's kernel is connected through its ring (/proc/xen/xsd_kva + xsd_port): its xenbus
    comes up and drivers/xen/manage.c writes control/feature-poweroff = 1 by itself;
  - a watch event travels back over the ring: writing control/sysrq = h makes the kernel run
    sysrq h (it prints "sysrq: HELP") and clear the key inside a ring transaction;
  - xenconsoled starts the same way and stays up; xenconsole on a domain without a console
    says so and fails;
  - no crash or oops on the console.
"""
import os
import shutil
import subprocess
import tempfile

from qemu import Qemu
import stack

TOOLS = ["build/tools/xenstored/xenstored", "build/tools/xenconsoled/xenconsoled",
         "build/tools/xenconsoled/xenconsole"]
XS_UTILS = ["xenstore-read", "xenstore-write", "xenstore-ls"]


def overlay_image():
    """build/test-data/dom0-daemons.cpio.gz: the dom0 initramfs with our files appended."""
    tools = [os.path.join(stack.ROOT, t) for t in TOOLS]
    stack.require(*tools)
    utils = [shutil.which(u) for u in XS_UTILS]
    assert all(utils), "Debian's xenstore-utils are needed (`make tools-check` installs them)"
    with tempfile.TemporaryDirectory() as stage:
        os.makedirs(os.path.join(stage, "bin"))
        for t in tools + utils:
            shutil.copy(t, os.path.join(stage, "bin", os.path.basename(t)))
        libs = set()
        for u in utils:
            out = subprocess.run(["ldd", u], capture_output=True, text=True, check=True).stdout
            libs |= {w for w in out.split() if w.startswith("/")}
        for lib in libs:
            dst = os.path.join(stage, lib.lstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(lib, dst)  # follows symlinks: the real file under the linked name
        out = stage + ".cpio"
        subprocess.run([os.path.join(stack.ROOT, "scripts/gen-cpio.py"), stage, out], check=True)
        with open(out, "rb") as f:
            cpio = f.read()
        os.unlink(out)
    extra = subprocess.run(["gzip", "-n"], input=cpio, capture_output=True, check=True).stdout
    with open(stack.DOM0_INITRD, "rb") as f:
        base = f.read()
    return stack.test_file("dom0-daemons.cpio.gz", base + extra)


def start(vm, daemon, pidfile):
    """Start DAEMON as an init script would unless /init already did; its pid."""
    vm.run(f"pidof {daemon} >/dev/null || {daemon} --pid-file={pidfile}", timeout=60)
    pid = vm.run(f"cat {pidfile}")
    assert pid.isdigit(), f"{pidfile}: {pid!r}"
    vm.run(f"kill -0 {pid}")
    return pid


def test_dom0_daemons():
    stack.require_stack()
    initrd = overlay_image()
    modules = [stack.module(stack.DOM0_KERNEL, stack.DOM0_CMDLINE), stack.module(initrd)]
    with Qemu("dom0_daemons", stack.qemu_args(modules=modules)) as vm:
        vm.expect(r"^XENOLITH-DOM0-READY$", 300)
        vm.expect_prompt(60)
        assert vm.run("cat /proc/xen/capabilities") == "control_d"

        start(vm, "xenstored", "/var/run/xenstored.pid")
        assert "xenstored" in vm.run("xenstore-ls /tool")

        # dom0's kernel talks over its ring as soon as xenstored attached it.
        v = vm.run("for i in $(seq 60); do xenstore-read /local/domain/0/control/feature-poweroff"
                   " 2>/dev/null && break; sleep 1; done", timeout=90)
        assert v == "1", f"dom0's kernel never wrote control/feature-poweroff: {v!r}"

        # A watch event to the kernel, and its transaction back.
        vm.run("xenstore-write /local/domain/0/control/sysrq h")
        v = vm.run("for i in $(seq 30); do dmesg | grep -q 'sysrq: HELP' && echo ran && break;"
                   " sleep 1; done", timeout=60)
        assert v == "ran", "the kernel did not run sysrq h"
        v = vm.run("for i in $(seq 30); do [ -z \"$(xenstore-read /local/domain/0/control/sysrq)\" ]"
                   " && echo cleared && break; sleep 1; done", timeout=60)
        assert v == "cleared", "the kernel did not clear control/sysrq"

        pid = start(vm, "xenconsoled", "/var/run/xenconsoled.pid")
        out = vm.run("xenconsole 42 2>&1; echo rc=$?", timeout=60)
        assert "has no console" in out and out.endswith("rc=1"), out
        vm.run("sleep 1")
        vm.run(f"kill -0 {pid}")
        stack.assert_no_panic(vm)
