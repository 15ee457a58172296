#!/usr/bin/env bash
# Build the benchmark guest's initramfs: busybox-static whose /init prints a marker with the guest kernel's uptime.
set -euo pipefail
# Usage: bench/create/mkguest.sh OUT
# /init mounts /proc, prints "XENOLITH-BENCH-GUEST-READY uptime=<seconds>" on the console (hvc0)
# and powers the guest off at once, so every `xl create -c` of it returns by itself. The same
# image is used for Xenolith and for Xen 4.17.
cd "$(dirname "$0")/../.."
OUT=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,proc,sys,dev}
install -m 0755 /bin/busybox "$stage/bin/busybox"
for a in sh mount cat cut echo poweroff sleep; do ln -s busybox "$stage/bin/$a"; done
cat > "$stage/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
echo "XENOLITH-BENCH-GUEST-READY uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
INIT
chmod 0755 "$stage/init"
mkdir -p "$(dirname "$OUT")"
/usr/bin/python3 scripts/gen-cpio.py "$stage" "$stage.cpio" --nod dev/console 0600 c 5 1
gzip -9 -n -c "$stage.cpio" > "$OUT"
rm -f "$stage.cpio"
