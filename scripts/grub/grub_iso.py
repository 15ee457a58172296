#!/usr/bin/python3
# Build GRUB rescue ISOs (BIOS + UEFI) booting a hypervisor with multiboot2/module2, and their QEMU command lines.
"""GRUB ISO images for tests, benchmarks and `make grub-iso`.

grub-mkrescue (grub-pc-bin + grub-efi-amd64-bin + xorriso + mtools) builds one hybrid
ISO that boots on BIOS (El Torito, i386-pc GRUB) and on UEFI (an EFI system partition
image with x86_64-efi GRUB). Its /boot holds:

    /boot/<hypervisor>.gz            xenolith-<version>.gz, or Xen's xen-4.17-amd64.gz
    /boot/vmlinux-<kver>             the dom0 kernel (vmlinuz-<kver> when given a bzImage)
    /boot/initrd.img-<kver>          the dom0 initramfs
    /boot/grub/grub.cfg              serial console for GRUB itself, timeout 0, one entry

The entry is written the way a Xen entry is:

    multiboot2 /boot/xenolith-0.1.gz console=com1 com1=115200,8n1 dom0_mem=512M ...
    module2 /boot/vmlinux-<kver> console=hvc0
    module2 --nounzip /boot/initrd.img-<kver>

either by hand here (entry="manual") or by tools/grub/20_xenolith run against the ISO's
tree (entry="generated", Xenolith only), so the generator's output is what GRUB boots.

The dom0 kernel GRUB loads in the tests (dom0_kernel()) is cache/vmlinux, the ELF, today.
To give GRUB Debian's bzImage instead, change DEFAULT_DOM0_KERNEL to "cache/vmlinuz", or
set XENOLITH_GRUB_DOM0_KERNEL=cache/vmlinuz for one run; the ISO then calls it
/boot/vmlinuz-<kver> (the name follows the file's format). The benchmark keeps the
-kernel runs' kernel (tests/system/stack.py) in its GRUB mode, so only the loader differs.

CLI (make grub-iso):  grub_iso.py [--system xenolith|xen] [--entry manual|generated] [--out ISO]
prints the ISO's path and the QEMU command lines that boot it with SeaBIOS and with OVMF.
"""
import argparse
import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "build", "grub")
GENERATOR = os.path.join(ROOT, "tools", "grub", "20_xenolith")

DEFAULT_DOM0_KERNEL = "cache/vmlinux"  # cache/vmlinux (ELF) today; cache/vmlinuz once bzImage dom0 works
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"
DEBUG_EXIT_PORT = 0xF4
TOOLS = ["grub-mkrescue", "xorriso", "mformat"]
GRUB_PLATFORMS = ["/usr/lib/grub/i386-pc", "/usr/lib/grub/x86_64-efi"]


def _path(env, default):
    return os.path.abspath(os.environ.get(env) or os.path.join(ROOT, default))


def dom0_kernel():
    """The dom0 kernel GRUB tests load: XENOLITH_GRUB_DOM0_KERNEL, else XENOLITH_DOM0_KERNEL
    (as for the -kernel tests), else DEFAULT_DOM0_KERNEL."""
    return _path("XENOLITH_GRUB_DOM0_KERNEL", "") if os.environ.get("XENOLITH_GRUB_DOM0_KERNEL") \
        else _path("XENOLITH_DOM0_KERNEL", DEFAULT_DOM0_KERNEL)


def defaults():
    """The stack's files, with the same environment overrides as tests/system/stack.py."""
    return dict(hv=_path("XENOLITH_HV", "build/xenolith"), kernel=dom0_kernel(),
                initrd=_path("XENOLITH_INITRD", "build/dom0.cpio.gz"))


def require_tools(uefi=False):
    """Raise with the missing package names if GRUB's ISO tooling (or OVMF) is not installed."""
    missing = [t for t in TOOLS if not shutil.which(t)] + [p for p in GRUB_PLATFORMS if not os.path.isdir(p)]
    if uefi:
        missing += [p for p in (OVMF_CODE, OVMF_VARS) if not os.path.exists(p)]
    if missing:
        raise AssertionError("missing " + ", ".join(missing) + ": run scripts/deps.sh (grub-pc-bin grub-efi-amd64-bin "
                             "grub-common xorriso mtools ovmf)")


def xenolith_version():
    """XENOLITH_VERSION as the banner prints it ("0.1"), from the hypervisor's sources."""
    for d, _, files in sorted(os.walk(os.path.join(ROOT, "hv"))):
        for fn in sorted(files):
            if fn.endswith((".c", ".h")):
                with open(os.path.join(d, fn), errors="replace") as f:
                    m = re.search(r'^#define XENOLITH_VERSION "([^"]+)"', f.read(), re.M)
                if m:
                    return m.group(1)
    raise AssertionError("no '#define XENOLITH_VERSION' under hv/")


def kernel_version(kernel):
    """The kernel release: cache/kernel-version for the fetched kernel, else the bzImage's
    version string, else the part of the file name after vmlinu[xz]-."""
    vf = os.path.join(ROOT, "cache", "kernel-version")
    in_cache = os.path.dirname(os.path.realpath(kernel)) == os.path.realpath(os.path.join(ROOT, "cache"))
    if in_cache and os.path.exists(vf):
        with open(vf) as f:
            return f.read().strip()
    with open(kernel, "rb") as f:
        head = f.read(0x20000)
    if head[0x202:0x206] == b"HdrS":
        off = int.from_bytes(head[0x20E:0x210], "little") + 0x200
        return head[off:head.index(b"\0", off)].split(b" ")[0].decode()
    m = re.match(r"vmlinu[xz]-(.+)$", os.path.basename(kernel))
    if m:
        return m.group(1)
    raise AssertionError(f"cannot tell the kernel version of {kernel}")


def kernel_file_name(kernel, kver):
    with open(kernel, "rb") as f:
        magic = f.read(4)
    return ("vmlinux-" if magic == b"\x7fELF" else "vmlinuz-") + kver


def _place(src, dst):
    """Put SRC at DST: a hard link when possible (the dom0 ELF is 66 MB), else a copy."""
    if os.path.lexists(dst):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _place_gz(src, dst):
    """DST = SRC gzipped (as build/xenolith.gz and Debian's xen-*.gz are); SRC.gz is copied."""
    if src.endswith(".gz"):
        _place(src, dst)
        return
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(gzip.compress(data, 9, mtime=0))


CFG_HEADER = """\
# GRUB configuration of a Xenolith test ISO (scripts/grub/grub_iso.py)
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry_id_option=--id
"""


def manual_entry(title, hv_name, hv_args, kname, dom0_args, iname):
    def line(*words):
        return " ".join(w for w in words if w)
    return (f"menuentry '{title}' {{\n"
            f"\tinsmod multiboot2\n"
            f"\tinsmod gzio\n"
            f"\t{line('multiboot2', '/boot/' + hv_name, hv_args)}\n"
            f"\t{line('module2', '/boot/' + kname, dom0_args)}\n"
            f"\tmodule2 --nounzip /boot/{iname}\n"
            f"}}\n")


def generated_entries(tree, hv_args, dom0_args):
    """Run tools/grub/20_xenolith as grub-mkconfig would, with TREE standing in for /."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "XENOLITH_GRUB_ROOT": tree,
           "GRUB_CMDLINE_XENOLITH": hv_args, "GRUB_CMDLINE_LINUX": dom0_args, "GRUB_DISABLE_SUBMENU": "true"}
    p = subprocess.run(["/bin/sh", GENERATOR], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0 or "menuentry" not in p.stdout:
        raise AssertionError(f"tools/grub/20_xenolith exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p.stdout


def build_iso(name, system="xenolith", entry="manual", hv=None, hv_args="", kernel=None, dom0_args="console=hvc0",
              initrd=None):
    """Build build/grub/NAME.iso; return (iso path, grub.cfg text). SYSTEM names the
    hypervisor file in /boot: 'xenolith' -> xenolith-<version>.gz, 'xen' -> xen-4.17-amd64.gz."""
    require_tools()
    d = defaults()
    hv, kernel, initrd = hv or d["hv"], kernel or d["kernel"], initrd or d["initrd"]
    for p in (hv, kernel, initrd):
        if not os.path.exists(p):
            raise AssertionError(f"missing {p} (run `make all kernel initramfs`)")
    kver = kernel_version(kernel)
    kname, iname = kernel_file_name(kernel, kver), f"initrd.img-{kver}"
    if system == "xenolith":
        hv_name, title = f"xenolith-{xenolith_version()}.gz", f"Xenolith {xenolith_version()}"
    elif system == "xen":
        hv_name, title = "xen-4.17-amd64.gz", "Xen 4.17"
        if entry != "manual":
            raise ValueError("only Xenolith entries come from tools/grub/20_xenolith")
    else:
        raise ValueError(f"unknown system {system!r}")

    tree = os.path.join(OUT_DIR, name)
    if os.path.isdir(tree):
        shutil.rmtree(tree)
    os.makedirs(os.path.join(tree, "boot", "grub"))
    _place_gz(hv, os.path.join(tree, "boot", hv_name))
    _place(kernel, os.path.join(tree, "boot", kname))
    _place(initrd, os.path.join(tree, "boot", iname))
    if entry == "manual":
        body = manual_entry(f"{title}, Linux {kver} (multiboot2)", hv_name, hv_args, kname, dom0_args, iname)
    elif entry == "generated":
        body = generated_entries(tree, hv_args, dom0_args)
    else:
        raise ValueError(f"unknown entry kind {entry!r}")
    cfg = CFG_HEADER + body
    with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(cfg)

    iso = os.path.join(OUT_DIR, name + ".iso")
    p = subprocess.run(["grub-mkrescue", "-o", iso, tree], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise AssertionError(f"grub-mkrescue failed ({p.returncode}):\n{p.stdout}")
    return iso, cfg


def qemu_args(iso, firmware="bios", machine=None, smp=1, mem=2048, debug_exit=True, no_reboot=True, vars_name=None):
    """QEMU arguments booting ISO from its CD drive: SeaBIOS (firmware='bios') or Debian's OVMF
    (firmware='uefi': OVMF_CODE.fd read-only plus a fresh copy of OVMF_VARS.fd as pflash).
    Serial console on stdio, no monitor, no display, as tests/system/stack.py's machine."""
    args = ["-accel", "tcg", "-cpu", "max", "-m", str(mem), "-smp", str(smp)]
    if machine:
        args += ["-machine", machine]
    if firmware == "uefi":
        require_tools(uefi=True)
        vars_copy = os.path.join(OUT_DIR, (vars_name or os.path.splitext(os.path.basename(iso))[0]) + "-OVMF_VARS.fd")
        os.makedirs(OUT_DIR, exist_ok=True)
        shutil.copyfile(OVMF_VARS, vars_copy)
        args += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
                 "-drive", f"if=pflash,format=raw,file={vars_copy}"]
    elif firmware != "bios":
        raise ValueError(f"unknown firmware {firmware!r}")
    args += ["-cdrom", iso, "-display", "none", "-monitor", "none", "-serial", "stdio"]
    if no_reboot:
        args.append("-no-reboot")
    if debug_exit:
        args += ["-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04"]
    return args


def shell_cmd(args):
    return " ".join(shlex.quote(a.replace(ROOT + "/", "")) for a in ["qemu-system-x86_64"] + list(args))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--system", choices=["xenolith", "xen"], default="xenolith")
    ap.add_argument("--entry", choices=["manual", "generated"], default="manual")
    ap.add_argument("--name", help="output name under build/grub/ (default: SYSTEM)")
    ap.add_argument("--hv", help="hypervisor ELF or .gz (default build/xenolith; cache/xen-4.17.elf for xen)")
    ap.add_argument("--hv-args", help="hypervisor command line")
    ap.add_argument("--kernel", help=f"dom0 kernel (default {DEFAULT_DOM0_KERNEL})")
    ap.add_argument("--dom0-args", default="console=hvc0")
    ap.add_argument("--initrd", help="dom0 initramfs (default build/dom0.cpio.gz)")
    a = ap.parse_args()
    if a.system == "xen":
        hv = a.hv or os.path.join(ROOT, "cache", "xen-4.17.elf")
        hv_args = a.hv_args if a.hv_args is not None else \
            "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all noreboot smap=0"
    else:
        hv = a.hv
        hv_args = a.hv_args if a.hv_args is not None else "console=com1 com1=115200,8n1 dom0_mem=512M"
    iso, cfg = build_iso(a.name or a.system, a.system, a.entry, hv=hv, hv_args=hv_args,
                         kernel=a.kernel and os.path.abspath(a.kernel), dom0_args=a.dom0_args,
                         initrd=a.initrd and os.path.abspath(a.initrd))
    print(cfg, end="")
    print(f"grub-iso: {os.path.relpath(iso, ROOT)}")
    print("  BIOS: " + shell_cmd(qemu_args(iso, debug_exit=False)))
    print("  UEFI: " + shell_cmd(qemu_args(iso, "uefi", debug_exit=False)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
