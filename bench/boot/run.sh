#!/usr/bin/env bash
# Boot-time benchmark: QEMU start -> dom0 READY marker, median of N runs, Xenolith vs Debian's Xen 4.17.
set -euo pipefail
#
# Both boot the SAME dom0 kernel (cache/vmlinux, Debian's Linux 6.1) and initramfs
# (build/dom0.cpio.gz) with dom0 command line "console=hvc0 earlyprintk=xen" and
# one dom0 vCPU, under qemu-system-x86_64 -accel tcg -cpu max -m 2048, in each boot MODE:
#   direct-smp1  QEMU -kernel (multiboot 1 for Xenolith, Xen's multiboot ELF), -smp 1
#   direct       QEMU -kernel, -smp 2
#   grub         a GRUB rescue ISO on SeaBIOS, -smp 2: `multiboot2 /boot/xenolith-<v>.gz` or
#                `multiboot2 /boot/xen-4.17-amd64.gz` with the same command line as -kernel,
#                `module2 /boot/vmlinux-<kver> <dom0 args>`, `module2 --nounzip
#                /boot/initrd.img-<kver>` (scripts/grub/grub_iso.py; built before timing)
# Timing runs from QEMU's start, so firmware and GRUB are included. Runs alternate
# (Xenolith, Xen, Xenolith, ...; the modes within each round) so slow drift on the host
# hits all alike; compare the ratios, not absolute seconds across machines. Xen 4.17 runs
# its default PV dom0 (a PVH dom0 hangs under TCG, see shared docs/xen-on-qemu.md). With
# -smp 2 both hypervisors bring up both CPUs; dom0 keeps one vCPU (dom0_max_vcpus=1).
#
# Xen comes from Debian's xen-hypervisor-4.17-amd64 package, fetched with
# `apt-get download` and unpacked into cache/ (nothing is installed on the host);
# /boot/xen-4.17-amd64.gz gunzipped is a multiboot ELF QEMU's -kernel accepts.
#
# Environment: RUNS [5], MODES ["direct grub"; any of direct-smp1 direct grub],
# ONLY [both|xenolith|xen], XENOLITH_HV [build/xenolith]. The default (2 systems x
# 2 modes x 5 runs) takes about 6-7 minutes here; MODES="direct-smp1 direct grub" about 9.
# Output: the exact QEMU commands, every run's time, the medians per mode and system, the
# Xenolith/Xen ratios and GRUB's cost; also build/bench/boot.json. Console logs:
# build/test-logs/bench-boot-<system>-<mode>-<run>.log; ISOs in build/grub/.

cd "$(dirname "$0")/../.."
ONLY=${ONLY:-both}

fetch_xen() {
    [ -s cache/xen-4.17.elf ] && return 0
    local work
    work=$(mktemp -d cache/.xen.XXXXXX)
    local dl=(apt-get download -qq)
    [ "$(id -u)" -ne 0 ] || dl+=(-o APT::Sandbox::User=root)
    if ! (cd "$work" && "${dl[@]}" xen-hypervisor-4.17-amd64); then
        apt-get update -qq
        (cd "$work" && "${dl[@]}" xen-hypervisor-4.17-amd64)
    fi
    dpkg-deb -x "$work"/xen-hypervisor-4.17-amd64_*.deb "$work/root"
    gzip -dc "$work/root/boot/xen-4.17-amd64.gz" > cache/xen-4.17.elf.tmp
    dpkg-deb -f "$work"/xen-hypervisor-4.17-amd64_*.deb Version > cache/xen-4.17.version
    mv cache/xen-4.17.elf.tmp cache/xen-4.17.elf
    rm -rf "$work"
    echo "bench: Xen $(cat cache/xen-4.17.version) -> cache/xen-4.17.elf"
}

mkdir -p cache
[ -s cache/vmlinux ] || scripts/fetch-kernel.sh
[ -s build/dom0.cpio.gz ] || make initramfs
[ "$ONLY" = xenolith ] || fetch_xen
exec /usr/bin/python3 bench/boot/boot_time.py "$ONLY"
