# The dom0 image's Xen tools on dom0 alone: daemons up, xl list/info/dmesg/uptime, refused creates.
"""Boot the standard stack (the dom0 image build/dom0.cpio.gz) and check from dom0's shell:
  - the image holds xl, xen-init-dom0, xenstore(-read...), xenstored, xenconsoled, the Xen modules, the example
    guest's kernel and initramfs and /etc/xen/example.cfg; /init started xenstored and
    xenconsoled (their pid files name live processes) and printed no "init:" complaint;
    xen-init-dom0 wrote /local/domain/0/{name,domid} = Domain-0, 0;
  - `xl list` prints Xen's header and a Domain-0 row (id 0, ~512 MiB, 1 vCPU, running) in
    Xen's column format; `xl list 0`, `xl domid Domain-0`, `xl domname 0` agree;
  - `xl info` prints Xen's keys in Xen's order, "key<pad to 23>: value", xen_version 4.17;
  - `xl dmesg` shows the hypervisor's log (its banner); `xl uptime` has a Domain-0 row;
  - `xl sched-credit -d Domain-0 -w 512` sets what `xl sched-credit -d 0` shows (Xen's rows);
  - bad creates exit non-zero with a clear one-line reason and leave `xl list` unchanged:
    a config error (file:line), a missing kernel, a corrupt kernel, too much memory;
    `xl list nosuch` says the domain does not exist; `xl destroy 0`, a bad size, a bad
    weight are refused.
"""
import re

from qemu import Qemu
import stack

INFO_KEYS = ["host", "release", "version", "machine", "nr_cpus", "max_cpu_id", "nr_nodes",
             "cores_per_socket", "threads_per_core", "cpu_mhz", "hw_caps", "virt_caps",
             "total_memory", "free_memory", "sharing_freed_memory", "sharing_used_memory",
             "outstanding_claims", "free_cpus", "xen_major", "xen_minor", "xen_extra",
             "xen_version", "xen_caps", "xen_scheduler", "xen_pagesize", "platform_params",
             "xen_changeset", "xen_commandline", "cc_compiler", "cc_compile_by",
             "cc_compile_domain", "cc_compile_date", "build_id", "xend_config_format"]
LIST_HEADER = "Name                                        ID   Mem VCPUs\tState\tTime(s)"
DOM0_ROW = re.compile(r"^Domain-0 {37}0 +(\d+) {5}1 {5}([r-][b-][p-][s-][-rscwS?][d-])  +\d+\.\d$")


def boot(vm):
    vm.expect(r"^XENOLITH-DOM0-READY$", 300)
    vm.expect_prompt(60)


def check_list(vm):
    out = vm.run("xl list")
    lines = out.split("\n")
    assert lines[0] == LIST_HEADER, f"xl list header: {lines[0]!r}"
    assert len(lines) == 2, f"xl list should show Domain-0 only:\n{out}"
    m = DOM0_ROW.match(lines[1])
    assert m, f"Domain-0 row not in Xen's format: {lines[1]!r}"
    assert 480 <= int(m.group(1)) <= 513, f"Domain-0 memory {m.group(1)} MiB (dom0_mem=512M)"
    assert m.group(2)[0] == "r" and m.group(2)[2:] == "----", f"Domain-0 state {m.group(2)!r}"
    return out


def refused(vm, command, reason_re):
    """COMMAND must exit non-zero with a message matching REASON_RE and change no domain."""
    out = vm.run(f"{command} 2>&1; echo rc=$?", timeout=120)
    assert re.search(r"rc=[1-9]\d*$", out), f"{command!r} did not fail:\n{out}"
    assert re.search(reason_re, out, re.M), f"{command!r}: no message like {reason_re!r}:\n{out}"
    rows = vm.run("xl list").split("\n")[1:]
    assert len(rows) == 1 and rows[0].startswith("Domain-0 "), \
        f"after {command!r} xl list is not Domain-0 alone:\n" + "\n".join(rows)
    doms = vm.run("xenstore-list /local/domain")
    assert doms == "0", f"after {command!r} xenstore has /local/domain entries {doms!r}"


def test_xl_dom0_tools():
    stack.require_stack()
    with Qemu("xl_dom0_tools", stack.qemu_args()) as vm:
        boot(vm)
        assert not re.search(r"^init: ", vm.output, re.M), "init complained:\n" + vm.tail(40)
        for f in ["/bin/xl", "/bin/xen-init-dom0", "/bin/xenstore", "/bin/xenstored", "/bin/xenconsoled",
                  "/etc/xen/example.cfg", "/boot/vmlinuz-guest", "/boot/initrd-guest.cpio.gz"]:
            vm.run(f"test -s {f}")
        mods = vm.run("cut -d' ' -f1 /proc/modules | sort")
        for m in ["xen_privcmd", "xenfs", "xen_evtchn", "xen_gntdev", "xen_gntalloc"]:
            assert m in mods.split(), f"module {m} not loaded: {mods}"
        for d in ["xenstored", "xenconsoled"]:
            vm.run(f"kill -0 $(cat /run/{d}.pid)")

        assert vm.run("xenstore-read /local/domain/0/name /local/domain/0/domid") == "Domain-0\n0"
        check_list(vm)
        assert vm.run("xl list 0").split("\n")[1].startswith("Domain-0 ")
        assert vm.run("xl domid Domain-0") == "0"
        assert vm.run("xl domname 0") == "Domain-0"

        info = vm.run("xl info")
        keys = []
        for line in info.split("\n"):
            m = re.match(r"^(\S+) *: ?(.*)$", line)
            assert m and line.index(":") == 23, f"xl info line not 'key<23>: value': {line!r}"
            keys.append(m.group(1))
        assert keys == INFO_KEYS, f"xl info keys/order differ from Xen's:\n{info}"
        assert re.search(r"^xen_version +: 4\.17", info, re.M), info
        assert re.search(r"^xen_scheduler +: credit$", info, re.M), info
        assert re.search(r"^nr_cpus +: 1$", info, re.M), info
        free = int(re.search(r"^free_memory +: (\d+)$", info, re.M).group(1))
        total = int(re.search(r"^total_memory +: (\d+)$", info, re.M).group(1))
        assert 0 < free < total, f"free_memory {free} / total_memory {total}"

        dmesg = vm.run("xl dmesg", keep_xen_lines=True)
        assert "Xenolith" in dmesg and "(XEN)" in dmesg, f"xl dmesg:\n{dmesg[-2000:]}"
        up = vm.run("xl uptime").split("\n")
        assert up[0] == f"{'Name':<33} {'ID':>4} Uptime", up  # Xen's "%-33s %4s %s"
        prefix = f"{'Domain-0':<33} {0:>4} "
        assert up[1].startswith(prefix) and re.match(r"^ ?\d+:\d\d:\d\d$", up[1][len(prefix):]), up

        credit = vm.run("xl sched-credit -d Domain-0 -w 512 && xl sched-credit -d 0").split("\n")
        assert credit[0] == f"{'Name':<33} {'ID':>4} {'Weight':>6} {'Cap':>4}", credit
        assert credit[1] == f"{'Domain-0':<33} {0:>4} {512:>6} {0:>4}", credit
        vm.run("xl sched-credit -d 0 -w 256")

        refused(vm, "xl list nosuch", r"^Error: Domain 'nosuch' does not exist\.$")
        refused(vm, "xl destroy 0", r"^xl: domain 0 \(Domain-0\) cannot be destroyed$")
        refused(vm, "xl mem-set 0 12q", r"^Invalid memory size: 12q ")
        refused(vm, "xl sched-credit -d 0 -w 0", r"^xl: invalid weight '0' \(1\.\.65535\)$")
        vm.run("printf 'name = \"bad\"\\ntype = \"pvh\"\\nmemory = \"lots\"\\n' > /tmp/bad.cfg")
        refused(vm, "xl create /tmp/bad.cfg", r"^/tmp/bad\.cfg:3: ")
        refused(vm, "xl create /etc/xen/example.cfg 'kernel=\"/boot/nope\"'",
                r"^xl: kernel /boot/nope: No such file or directory$")
        vm.run("head -c 65536 /dev/urandom > /tmp/junk")
        refused(vm, "xl create /etc/xen/example.cfg 'kernel=\"/tmp/junk\"'",
                r"^xl: cannot build 'example' from /tmp/junk: .*not an ELF")
        refused(vm, "xl create /etc/xen/example.cfg memory=100000",
                r"^xl: not enough memory for 'example': it needs \d+ MiB, the hypervisor has \d+ MiB free$")
        check_list(vm)
        stack.assert_no_panic(vm)
