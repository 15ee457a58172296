#!/usr/bin/env bash
# Build the dom0 image (busybox, Xen modules, the Xen tools, an example guest) as build/dom0.cpio.gz.
set -euo pipefail
# Usage: scripts/mkinitramfs.sh [OUT] [--tool BIN]... [--guest-kernel K --guest-initrd I]
#   OUT defaults to build/dom0.cpio.gz. Each --tool puts a dom0 tool (xl, xen-init-dom0,
#   xenstore, xenstored, xenconsoled: static binaries) in /bin; a dynamic one brings its
#   libraries; xenstore also gets its xenstore-{read,write,ls,rm,list} links.
#   --guest-kernel / --guest-initrd become /boot/vmlinuz-guest and /boot/initrd-guest.cpio.gz,
#   the files /etc/xen/example.cfg boots.
# Contents: /bin/busybox with a symlink per applet (/sbin -> bin), /init (a sh script: mounts,
# insmod of the Xen modules, xenfs, xenstored, xen-init-dom0, xenconsoled, READY marker, then
# exec busybox init), /etc/inittab (a login shell on the console through cttyhack, respawned),
# /etc/profile (PS1='dom0# '), /etc/xen/example.cfg, and /dev/console (c 5 1, so the kernel can
# give /init its stdio). poweroff/reboot work through init.
# Reproducible: mtime 0, root-owned, sorted (scripts/gen-cpio.py), gzip -n.

cd "$(dirname "$0")/.."
source scripts/initramfs-lib.sh
OUT=build/dom0.cpio.gz
TOOLS=()
GUEST_KERNEL= GUEST_INITRD=
while [ $# -gt 0 ]; do
    case $1 in
        --tool) TOOLS+=("$2"); shift 2 ;;
        --guest-kernel) GUEST_KERNEL=$2; shift 2 ;;
        --guest-initrd) GUEST_INITRD=$2; shift 2 ;;
        -*) echo "mkinitramfs: unknown option $1" >&2; exit 2 ;;
        *) OUT=$1; shift ;;
    esac
done
if { [ -n "$GUEST_KERNEL" ] && [ -z "$GUEST_INITRD" ]; } || { [ -z "$GUEST_KERNEL" ] && [ -n "$GUEST_INITRD" ]; }; then
    echo "mkinitramfs: --guest-kernel and --guest-initrd go together" >&2
    exit 2
fi

mkdir -p "$(dirname "$OUT")"
stage=$(mktemp -d "${OUT%/*}/.initramfs.XXXXXX")
trap 'rm -rf "$stage" "$stage.cpio"' EXIT
stage_busybox "$stage"
mkdir -p "$stage"/{var/lib/xen,var/log/xen,etc/xen,boot}
ln -s ../run "$stage/var/run"

# Xen drivers dom0 userspace needs that Debian builds as modules (xenfs gives
# /proc/xen/capabilities; privcmd, evtchn, gntdev, gntalloc give /dev/xen/*), from the
# fetched kernel's tree (scripts/fetch-kernel.sh); /init insmods them in this order
# (xenfs depends on xen-privcmd: modinfo's depends=).
XEN_MODULES=(xen-privcmd xenfs/xenfs xen-evtchn xen-gntdev xen-gntalloc)
if [ -s cache/kernel-version ] && [ -d cache/modules ]; then
    kver=$(cat cache/kernel-version)
    mdir="$stage/lib/modules/$kver"
    mkdir -p "$mdir"
    for m in "${XEN_MODULES[@]}"; do
        install -m 0644 "cache/modules/kernel/drivers/xen/$m.ko" "$mdir/${m##*/}.ko"
        echo "${m##*/}" >> "$mdir/load-order"
    done
else
    echo "mkinitramfs: no cache/modules (run scripts/fetch-kernel.sh): building without Xen modules" >&2
fi

for t in "${TOOLS[@]}"; do
    [ -x "$t" ] || { echo "mkinitramfs: tool $t is missing (make tools builds it)" >&2; exit 1; }
    install -m 0755 "$t" "$stage/bin/${t##*/}"
    if [ "${t##*/}" = xenstore ]; then
        for c in read write ls rm list; do ln -s xenstore "$stage/bin/xenstore-$c"; done
    fi
    # A dynamic binary brings its loader and libraries (the tools are meant to be static).
    if LC_ALL=C readelf -l "$t" | grep -q 'program interpreter'; then
        for lib in $(ldd "$t" | grep -o '/[^ ]*'); do
            install -D -m 0755 "$lib" "$stage$lib"
        done
    fi
done
if [ -n "$GUEST_KERNEL" ]; then
    install -m 0644 "$GUEST_KERNEL" "$stage/boot/vmlinuz-guest"
    install -m 0644 "$GUEST_INITRD" "$stage/boot/initrd-guest.cpio.gz"
fi
install -m 0644 scripts/initramfs/example.cfg "$stage/etc/xen/example.cfg"
install -m 0755 scripts/initramfs/init "$stage/init"
install -m 0644 scripts/initramfs/inittab "$stage/etc/inittab"
install -m 0644 scripts/initramfs/profile "$stage/etc/profile"

pack_cpio "$stage" "$OUT"
echo "mkinitramfs: $OUT ($(stat -c %s "$OUT") bytes)"
