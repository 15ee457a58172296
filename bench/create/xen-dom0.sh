#!/usr/bin/env bash
# Build a dom0 initramfs for Xen 4.17 (Debian's xl, xenstored, xenconsoled) to compare `xl create` with Xen's own toolstack.
set -euo pipefail
# Usage: bench/create/xen-dom0.sh OUT GUEST_KERNEL GUEST_INITRD
# Debian's xen-utils-4.17 and its libraries are fetched with apt-get download into
# cache/xen-utils (never installed on the host) and copied in with every shared library they
# load. /init starts the daemons in xencommons' order (xenstored, xen-init-dom0, xenconsoled),
# prints XENOLITH-DOM0-READY and runs a shell on the console. The guest is Xenolith's example
# guest, at the same paths as in Xenolith's dom0 image: /etc/xen/example.cfg,
# /boot/vmlinuz-guest, /boot/initrd-guest.cpio.gz.
cd "$(dirname "$0")/../.."
OUT=$1 GKERNEL=$2 GINITRD=$3
PKGS=(xen-utils-4.17 xen-utils-common libxenmisc4.17 libxenstore4 libxentoolcore1 libxencall1
      libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxendevicemodel1 libxentoollog1
      libxenhypfs1 libyajl2 libnl-3-200 libnl-route-3-200 libfdt1)
U=cache/xen-utils
if [ ! -x "$U/root/usr/lib/xen-4.17/bin/xl" ]; then
    rm -rf "$U"; mkdir -p "$U/root"
    (cd "$U" && apt-get download -q "${PKGS[@]}" >/dev/null)
    for d in "$U"/*.deb; do dpkg-deb -x "$d" "$U/root"; done
fi
R=$(realpath "$U/root")
XB=$R/usr/lib/xen-4.17/bin
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
scripts/mkinitramfs.sh "$stage/base.cpio.gz" >/dev/null
mkdir -p "$stage/root" && (cd "$stage/root" && gzip -dc ../base.cpio.gz | cpio -id --quiet 2>/dev/null)
S=$stage/root
rm -f "$S/dev/console"
mkdir -p "$S/usr/lib/xen-4.17/bin" "$S/lib64" "$S/lib/x86_64-linux-gnu" "$S/etc/xen" "$S/boot" \
    "$S/var/lib/xen" "$S/var/log/xen" "$S/var/run/xen" "$S/var/run/xenstored" "$S/var/lock"
for b in xl xenstored xenconsoled xen-init-dom0 xenconsole; do
    install -m 0755 "$XB/$b" "$S/usr/lib/xen-4.17/bin/$b"
    LD_LIBRARY_PATH=$R/usr/lib/x86_64-linux-gnu ldd "$XB/$b" | awk '/=> \//{print $3}' | while read -r l; do
        cp -L "$l" "$S/lib/x86_64-linux-gnu/"
    done
done
cp -L /lib64/ld-linux-x86-64.so.2 "$S/lib64/"
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$S/lib/x86_64-linux-gnu/"
cp -a "$R/etc/xen/." "$S/etc/xen/" 2>/dev/null || true
install -m 0644 "$GKERNEL" "$S/boot/vmlinuz-guest"
install -m 0644 "$GINITRD" "$S/boot/initrd-guest.cpio.gz"
install -m 0644 scripts/initramfs/example.cfg "$S/etc/xen/example.cfg"
# Start Xen's daemons before the READY marker, in xencommons' order.
sed -i 's@^echo "XENOLITH-DOM0-READY"@export PATH=$PATH:/usr/lib/xen-4.17/bin\
mkdir -p /var/run/xen /var/run/xenstored /var/lock /var/log/xen /var/lib/xen\
xenstored --pid-file /var/run/xenstored.pid\
xen-init-dom0 >/dev/null\
xenconsoled --pid-file=/var/run/xenconsoled.pid\
&@' "$S/init"
grep -q xen-init-dom0 "$S/init"
echo 'export PATH=$PATH:/usr/lib/xen-4.17/bin' >> "$S/etc/profile"
/usr/bin/python3 scripts/gen-cpio.py "$S" "$stage/out.cpio" --nod dev/console 0600 c 5 1
gzip -6 -n -c "$stage/out.cpio" > "$OUT"
echo "xen-dom0: $OUT ($(stat -c %s "$OUT") bytes)"
