#!/usr/bin/env bash
# Boot-time benchmark: QEMU start -> dom0 READY marker, median of N runs, Xenolith vs Debian's Xen 4.17.
set -euo pipefail
#
# Both boot the SAME dom0 kernel (cache/vmlinux, Debian's Linux 6.1) and initramfs
# (build/dom0-initrd.cpio.gz) with dom0 command line "console=hvc0 earlyprintk=xen",
# under qemu-system-x86_64 -accel tcg -cpu max -m 2048 -smp 1. Runs alternate
# (Xenolith, Xen, Xenolith, ...) so slow drift on the host hits both alike; compare
# the ratio, not absolute seconds across machines. Xen 4.17 runs its default PV dom0
# (a PVH dom0 hangs under TCG, see shared docs/xen-on-qemu.md).
#
# Xen comes from Debian's xen-hypervisor-4.17-amd64 package, fetched with
# `apt-get download` and unpacked into cache/ (nothing is installed on the host);
# /boot/xen-4.17-amd64.gz gunzipped is a multiboot ELF QEMU's -kernel accepts.
#
# Environment: RUNS [5], ONLY [both|xenolith|xen], XENOLITH_HV [build/xenolith].
# Output: the exact QEMU commands, every run's time, both medians and the ratio;
# also build/bench/boot.json. Console logs: build/test-logs/bench-boot-*.log.

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
[ -s build/dom0-initrd.cpio.gz ] || scripts/mkinitramfs.sh
[ "$ONLY" = xenolith ] || fetch_xen
exec /usr/bin/python3 bench/boot/boot_time.py "$ONLY"
