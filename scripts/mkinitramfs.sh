#!/usr/bin/env bash
# Build the dom0 test initramfs (busybox-static + /init) as build/dom0-initrd.cpio.gz.
set -euo pipefail
# Usage: scripts/mkinitramfs.sh [OUT]   (default build/dom0-initrd.cpio.gz)
# Contents: /bin/busybox with a symlink per applet (/sbin -> bin), /init (a sh script:
# mounts, insmod of the Xen modules, READY marker, then exec busybox init), /etc/inittab (a login shell on the
# console through cttyhack, respawned), /etc/profile (PS1='dom0# '), and /dev/console
# (c 5 1, so the kernel can give /init its stdio). poweroff/reboot work through init.
# Reproducible: mtime 0, root-owned, sorted (scripts/gen-cpio.py), gzip -n.

cd "$(dirname "$0")/.."
OUT=${1:-build/dom0-initrd.cpio.gz}
BUSYBOX=/bin/busybox
applets=$("$BUSYBOX" --list 2>/dev/null || true)
ldd_out=$(LC_ALL=C ldd "$BUSYBOX" 2>&1 || true)
if ! grep -qx cttyhack <<<"$applets" || [[ $ldd_out != *"not a dynamic executable"* ]]; then
    echo "mkinitramfs: $BUSYBOX is not busybox-static with cttyhack (scripts/deps.sh installs it)" >&2
    exit 1
fi

mkdir -p "$(dirname "$OUT")"
stage=$(mktemp -d "${OUT%/*}/.initramfs.XXXXXX")
trap 'rm -rf "$stage" "$stage.cpio"' EXIT

mkdir -p "$stage"/{bin,dev,proc,sys,tmp,root,etc,mnt,run,lib}
chmod 1777 "$stage/tmp"
ln -s bin "$stage/sbin"
mkdir -p "$stage/usr"
ln -s ../bin "$stage/usr/bin"
ln -s ../bin "$stage/usr/sbin"
install -m 0755 "$BUSYBOX" "$stage/bin/busybox"
for applet in $applets; do
    [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done
# Xen drivers dom0 userspace needs that Debian builds as modules (xenfs gives
# /proc/xen/capabilities; privcmd, evtchn, gntdev, gntalloc give /dev/xen/*), from the
# fetched kernel's tree (scripts/fetch-kernel.sh); /init insmods them in this order.
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
install -m 0755 scripts/initramfs/init "$stage/init"
install -m 0644 scripts/initramfs/inittab "$stage/etc/inittab"
install -m 0644 scripts/initramfs/profile "$stage/etc/profile"
echo 'root:x:0:0:root:/root:/bin/sh' > "$stage/etc/passwd"
echo 'root:x:0:' > "$stage/etc/group"

/usr/bin/python3 scripts/gen-cpio.py "$stage" "$stage.cpio" --nod dev/console 0600 c 5 1
gzip -9 -n -c "$stage.cpio" > "$OUT.tmp"
rm -f "$stage.cpio"
mv "$OUT.tmp" "$OUT"
echo "mkinitramfs: $OUT ($(stat -c %s "$OUT") bytes)"
