# Host test (no QEMU): `make install DESTDIR=...` and the GRUB menu generator tools/grub/20_xenolith on fake /boot.
"""`make install` is run with the hypervisor under test (XENOLITH_HV, default build/xenolith)
gzipped into a scratch BUILD directory and `-o` on it, so the recipe is exercised without
rebuilding the hypervisor. The generator runs as grub-mkconfig would run it, with its
GRUB_* variables in the environment, against a temporary tree standing in for /
(XENOLITH_GRUB_ROOT), in both of its modes:
  - without grub-mkconfig_lib (pkgdatadir unset): golden file data/20_xenolith.expected;
  - with Debian's /usr/share/grub/grub-mkconfig_lib (pkgdatadir set, as grub-mkconfig does)
    and stub grub-probe / grub-mkrelpath answering for a fake ext2-on-GPT disk: golden
    file data/20_xenolith-lib.expected.
The fake /boot holds two Xenolith images whose versions sort differently as text and as
versions (0.2 < 0.10), the xenolith.gz link `make install` leaves, kernels whose versions
do too (6.1.0-9 < 6.1.0-55 < 6.1.0-56), one kernel as both vmlinux and vmlinuz, one
without an initrd, one whose config lacks CONFIG_XEN_PVH, and a dpkg leftover.
"""
import gzip
import os
import shutil
import stat
import subprocess
import tempfile

import stack

GENERATOR = os.path.join(stack.ROOT, "tools", "grub", "20_xenolith")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
GRUB_LIB = "/usr/share/grub/grub-mkconfig_lib"


def version_from_source():
    """XENOLITH_VERSION, the version the banner prints, wherever under hv/ it is defined."""
    p = subprocess.run(["grep", "-rhoE", '^#define XENOLITH_VERSION "[^"]+"', os.path.join(stack.ROOT, "hv")],
                       stdout=subprocess.PIPE, text=True)
    assert p.stdout, "no '#define XENOLITH_VERSION' under hv/"
    return p.stdout.split('"')[1]


def make_install(destdir, gz):
    """`make install DESTDIR=destdir` with BUILD pointing at gz's directory."""
    build = os.path.dirname(gz)
    p = subprocess.run(["make", "--no-print-directory", "-C", stack.ROOT, f"BUILD={build}", "-o", gz, "install",
                        f"DESTDIR={destdir}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert p.returncode == 0, f"make install failed ({p.returncode}):\n{p.stdout}"
    return p.stdout


def touch(path, text="x\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def fake_boot(root):
    b = os.path.join(root, "boot")
    touch(f"{b}/xenolith-0.2.gz")
    touch(f"{b}/xenolith-0.10.gz")
    os.symlink("xenolith-0.10.gz", f"{b}/xenolith.gz")
    touch(f"{b}/xenolith-0.10.gz.sig")                        # garbage: signature
    for v in ("6.1.0-9-amd64", "6.1.0-55-amd64", "6.1.0-56-amd64"):
        touch(f"{b}/vmlinuz-{v}")
        touch(f"{b}/initrd.img-{v}")
        touch(f"{b}/System.map-{v}")
    touch(f"{b}/config-6.1.0-55-amd64", "CONFIG_XEN_DOM0=y\nCONFIG_XEN_PVH=y\n")
    touch(f"{b}/vmlinux-6.1.0-56-amd64")                      # the ELF is preferred to vmlinuz
    touch(f"{b}/vmlinuz-6.2.0-1-amd64")                       # no initrd: no entry
    touch(f"{b}/vmlinuz-5.10.0-30-amd64")                     # config without PVH: no entry
    touch(f"{b}/initrd.img-5.10.0-30-amd64")
    touch(f"{b}/config-5.10.0-30-amd64", "CONFIG_XEN_DOM0=y\n# CONFIG_XEN_PVH is not set\n")
    touch(f"{b}/vmlinuz-6.1.0-50-amd64.dpkg-tmp")             # dpkg leftover: no entry
    touch(f"{b}/initrd.img-6.1.0-50-amd64.dpkg-tmp")


def run_generator(root, env_extra, lib=False):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "XENOLITH_GRUB_ROOT": root}
    if lib:
        env["pkgdatadir"] = os.path.dirname(GRUB_LIB)
    env.update(env_extra)
    p = subprocess.run(["/bin/sh", GENERATOR], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def golden(name, out):
    path = os.path.join(DATA, name)
    with open(path) as f:
        want = f.read()
    if out != want:
        import difflib
        diff = "".join(difflib.unified_diff(want.splitlines(True), out.splitlines(True), path, "generator output"))
        raise AssertionError(f"tools/grub/20_xenolith output differs from {os.path.relpath(path, stack.ROOT)}:\n{diff}")


def test_install_make_install():
    """make install: the versioned image (0644), the xenolith.gz link to it, the generator (0755);
    a second run over the first succeeds; the installed generator finds the image once."""
    stack.require(stack.HV)
    version = version_from_source()
    with tempfile.TemporaryDirectory() as tmp:
        gz = os.path.join(tmp, "build", "xenolith.gz")
        os.makedirs(os.path.dirname(gz))
        with open(stack.HV, "rb") as f, open(gz, "wb") as g:
            g.write(gzip.compress(f.read(), 9, mtime=0))
        dest = os.path.join(tmp, "dest")
        out = make_install(dest, gz)
        img = os.path.join(dest, "boot", f"xenolith-{version}.gz")
        assert os.path.isfile(img) and not os.path.islink(img), f"no {img}:\n{out}"
        with open(img, "rb") as f, open(gz, "rb") as g:
            assert f.read() == g.read(), "installed image differs from the built one"
        assert stat.S_IMODE(os.stat(img).st_mode) == 0o644, oct(os.stat(img).st_mode)
        link = os.path.join(dest, "boot", "xenolith.gz")
        assert os.path.islink(link) and os.readlink(link) == f"xenolith-{version}.gz", \
            f"boot/xenolith.gz: {os.readlink(link) if os.path.islink(link) else 'not a symlink'}"
        gen = os.path.join(dest, "etc", "grub.d", "20_xenolith")
        assert os.access(gen, os.X_OK) and stat.S_IMODE(os.stat(gen).st_mode) == 0o755, "20_xenolith not 0755"
        with open(gen) as f, open(GENERATOR) as g:
            assert f.read() == g.read(), "installed 20_xenolith differs from tools/grub/20_xenolith"
        make_install(dest, gz)  # again, over the first install
        assert os.readlink(link) == f"xenolith-{version}.gz"
        assert sorted(os.listdir(os.path.join(dest, "boot"))) == ["xenolith-" + version + ".gz", "xenolith.gz"]

        touch(os.path.join(dest, "boot", "vmlinuz-6.1.0-56-amd64"))
        touch(os.path.join(dest, "boot", "initrd.img-6.1.0-56-amd64"))
        rc, out, err = run_generator(dest, {"GRUB_DISABLE_SUBMENU": "true"})
        assert rc == 0, err
        assert out.count("menuentry ") == 1, f"expected one entry (the link is not a second image):\n{out}"
        assert f"\tmultiboot2\t/boot/xenolith-{version}.gz\n" in out, out


def test_install_generator_golden():
    """Without grub-mkconfig_lib: top-level entry for the newest pair, then the advanced
    submenu with every (image x kernel) pair, newest first; skipped kernels are reported."""
    with tempfile.TemporaryDirectory() as root:
        fake_boot(root)
        rc, out, err = run_generator(root, {
            "GRUB_DISTRIBUTOR": "Debian",
            "GRUB_CMDLINE_XENOLITH": "console=com1 com1=115200,8n1",
            "GRUB_CMDLINE_XENOLITH_DEFAULT": "dom0_mem=1024M",
            "GRUB_CMDLINE_LINUX": "console=ttyS0,115200n8",
            "GRUB_CMDLINE_LINUX_DEFAULT": "quiet",
            "GRUB_DEVICE_UUID": "6a1f2b3c-0d4e-4f50-8a61-7b8c9d0e1f20",
        })
        assert rc == 0, f"generator exited {rc}:\n{err}"
        golden("20_xenolith.expected", out)
        assert "vmlinuz-6.2.0-1-amd64: no initrd.img-6.2.0-1-amd64" in err, err
        assert "vmlinuz-5.10.0-30-amd64" in err and "CONFIG_XEN_PVH" in err, err
        assert "6.1.0-50" not in out + err, "the dpkg leftover was considered"


def test_install_generator_grub_lib():
    """With Debian's grub-mkconfig_lib as grub-mkconfig sources it: device access from
    prepare_grub_to_access_device (stub grub-probe), paths from grub-mkrelpath (stub), ids
    from the file system UUID, no submenu (GRUB_DISABLE_SUBMENU=y), savedefault, and dom0's
    command line from GRUB_CMDLINE_LINUX_XENOLITH_REPLACE[_DEFAULT]."""
    assert os.path.exists(GRUB_LIB), f"{GRUB_LIB} missing (package grub-common)"
    with tempfile.TemporaryDirectory() as root:
        fake_boot(root)
        stubs = os.path.join(root, "stubs")
        touch(os.path.join(stubs, "grub-probe"), """#!/bin/sh
# Stub: a GPT disk whose partition 2 holds ext2 with UUID 6a1f2b3c-...
for a in "$@"; do case $a in --target=*) t=${a#--target=} ;; esac; done
case $t in
  partmap) echo gpt ;;
  abstraction) ;;
  fs) echo ext2 ;;
  compatibility_hint) echo hd0,gpt2 ;;
  fs_uuid) echo 6a1f2b3c-0d4e-4f50-8a61-7b8c9d0e1f20 ;;
  hints_string) echo "--hint-bios=hd0,gpt2 --hint-efi=hd0,gpt2 --hint-baremetal=ahci0,gpt2" ;;
  *) echo "stub grub-probe: $*" >&2; exit 1 ;;
esac
""")
        touch(os.path.join(stubs, "grub-mkrelpath"), '#!/bin/sh\n# Stub: paths relative to the fake root.\n'
                                                      'echo "${1#$XENOLITH_GRUB_ROOT}"\n')
        for s in ("grub-probe", "grub-mkrelpath"):
            os.chmod(os.path.join(stubs, s), 0o755)
        rc, out, err = run_generator(root, {
            "grub_probe": os.path.join(stubs, "grub-probe"),
            "grub_mkrelpath": os.path.join(stubs, "grub-mkrelpath"),
            "GRUB_DEVICE": "/dev/sda2", "GRUB_DEVICE_BOOT": "/dev/sda2",
            "GRUB_DISTRIBUTOR": "Debian", "GRUB_DISABLE_SUBMENU": "y", "GRUB_SAVEDEFAULT": "true",
            "GRUB_CMDLINE_XENOLITH": "dom0_mem=1024M loglvl=all",
            "GRUB_CMDLINE_LINUX": "root=UUID=ignored ro", "GRUB_CMDLINE_LINUX_DEFAULT": "quiet",
            "GRUB_CMDLINE_LINUX_XENOLITH_REPLACE": "earlyprintk=xen console=hvc0",
            "GRUB_CMDLINE_LINUX_XENOLITH_REPLACE_DEFAULT": "loglevel=4",
        }, lib=True)
        assert rc == 0, f"generator exited {rc}:\n{err}"
        golden("20_xenolith-lib.expected", out)
        assert "Found Xenolith image" in err, err


def test_install_generator_quoting():
    """A quote in GRUB_DISTRIBUTOR is escaped for GRUB ('\\''), the class is sanitised, and a
    plain xenolith.gz that is not a link gets an entry of its own, after the versioned ones."""
    with tempfile.TemporaryDirectory() as root:
        b = os.path.join(root, "boot")
        touch(f"{b}/xenolith-0.1.gz")
        touch(f"{b}/xenolith.gz")
        touch(f"{b}/vmlinux-6.1.0-56-amd64")
        touch(f"{b}/initrd.img-6.1.0-56-amd64")
        rc, out, err = run_generator(root, {"GRUB_DISTRIBUTOR": "Bob's Linux", "GRUB_DISABLE_SUBMENU": "true"})
        assert rc == 0, err
        titles = [l for l in out.splitlines() if l.startswith("menuentry ")]
        assert len(titles) == 2, out
        assert titles[0].startswith("menuentry 'Bob'\\''s Linux GNU/Linux, with Xenolith 0.1 and Linux 6.1.0-56-amd64' "
                                    "--class bob_s --class xenolith"), titles[0]
        assert titles[1].startswith("menuentry 'Bob'\\''s Linux GNU/Linux, with Xenolith and Linux 6.1.0-56-amd64' "), \
            titles[1]
        assert "\tmultiboot2\t/boot/xenolith.gz\n" in out, out
        # GRUB's own parser must accept the result (grub-script-check comes with grub-common).
        assert shutil.which("grub-script-check"), "grub-script-check missing (package grub-common)"
        cfg = os.path.join(root, "grub.cfg")
        touch(cfg, out)
        p = subprocess.run(["grub-script-check", cfg], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert p.returncode == 0, f"grub-script-check rejects the output:\n{p.stdout}\n{out}"


def test_install_generator_nothing_to_do():
    """No Xenolith image, or no kernel with an initrd: exit 0 and print nothing."""
    with tempfile.TemporaryDirectory() as root:
        b = os.path.join(root, "boot")
        touch(f"{b}/vmlinuz-6.1.0-56-amd64")
        touch(f"{b}/initrd.img-6.1.0-56-amd64")
        touch(f"{b}/xen-4.17-amd64.gz")
        rc, out, err = run_generator(root, {})
        assert (rc, out) == (0, ""), f"no image: exit {rc}, output {out!r} {err!r}"
        rc, out, err = run_generator(root, {}, lib=True)
        assert (rc, out) == (0, ""), f"no image (with grub-mkconfig_lib): exit {rc}, output {out!r} {err!r}"
        os.unlink(f"{b}/initrd.img-6.1.0-56-amd64")
        touch(f"{b}/xenolith-0.1.gz")
        rc, out, err = run_generator(root, {})
        assert (rc, out) == (0, ""), f"no kernel with an initrd: exit {rc}, output {out!r} {err!r}"
    with tempfile.TemporaryDirectory() as root:  # no /boot at all
        rc, out, err = run_generator(root, {})
        assert (rc, out) == (0, ""), f"no /boot: exit {rc}, output {out!r} {err!r}"
