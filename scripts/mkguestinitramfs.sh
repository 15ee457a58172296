#!/usr/bin/env bash
# Build the tiny guest initramfs the dom0 image carries for /etc/xen/example.cfg (busybox + /init).
set -euo pipefail
# Usage: scripts/mkguestinitramfs.sh [OUT]   (default build/guest-initrd.cpio.gz)
# Its /init mounts the basics, prints XENOLITH-GUEST-READY on the console (hvc0 under Xenolith)
# and hands over to busybox init, which gives a login shell (prompt 'guest# ') on the console;
# `poweroff` in the guest powers the domain off.

cd "$(dirname "$0")/.."
source scripts/initramfs-lib.sh
OUT=${1:-build/guest-initrd.cpio.gz}
mkdir -p "$(dirname "$OUT")"
stage=$(mktemp -d "${OUT%/*}/.guest-initramfs.XXXXXX")
trap 'rm -rf "$stage" "$stage.cpio"' EXIT

stage_busybox "$stage"
install -m 0755 scripts/guest-initramfs/init "$stage/init"
install -m 0644 scripts/guest-initramfs/inittab "$stage/etc/inittab"
install -m 0644 scripts/guest-initramfs/profile "$stage/etc/profile"
pack_cpio "$stage" "$OUT"
echo "mkguestinitramfs: $OUT ($(stat -c %s "$OUT") bytes)"
