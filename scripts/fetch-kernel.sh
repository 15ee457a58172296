#!/usr/bin/env bash
# Fetch Debian's stock Linux 6.1 kernel into cache/: vmlinuz, vmlinux (ELF), modules/, kernel-version.
set -euo pipefail
#
# Picks the highest linux-image-6.1.0-N-amd64 that apt knows (override: KERNEL_PKG=linux-image-...).
# Outputs (cache/ is gitignored):
#   cache/vmlinuz         the bzImage exactly as Debian ships it (/boot/vmlinuz-*)
#   cache/vmlinux         the decompressed ELF, extracted by scripts/extract-vmlinux.py
#   cache/modules/        the kernel's /lib/modules/<version> tree
#   cache/config          the kernel's .config (to check CONFIG_XEN_* options)
#   cache/kernel-version  e.g. "6.1.0-56-amd64" (what `uname -r` prints)
#   cache/kernel-package  the .deb's package name and version
# Idempotent: does nothing if all outputs exist and match KERNEL_PKG (when given).

cd "$(dirname "$0")/.."
CACHE=cache
mkdir -p "$CACHE"

done_already() {
    [ -s "$CACHE/vmlinuz" ] && [ -s "$CACHE/vmlinux" ] && [ -d "$CACHE/modules" ] &&
        [ -s "$CACHE/kernel-version" ] && [ -s "$CACHE/kernel-package" ] || return 1
    if [ -n "${KERNEL_PKG:-}" ]; then
        [ "$(cut -d' ' -f1 "$CACHE/kernel-package")" = "$KERNEL_PKG" ] || return 1
    fi
}
if done_already; then
    exit 0
fi

pick_pkg() {
    apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
        grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' |
        sort -t- -k5,5n | tail -n1
}
pkg=${KERNEL_PKG:-$(pick_pkg)}
if [ -z "$pkg" ]; then
    # Package lists missing or stale (fresh machine): refresh once and retry.
    apt-get update -qq
    pkg=$(pick_pkg)
fi
[ -n "$pkg" ] || { echo "fetch-kernel: no linux-image-6.1.0-N-amd64 package known to apt" >&2; exit 1; }

work=$(mktemp -d "$CACHE/.kernel.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "fetch-kernel: downloading $pkg"
# As root, apt's _apt sandbox user could not write into our mktemp dir: download as root.
aptdl=(apt-get download -qq)
[ "$(id -u)" -ne 0 ] || aptdl+=(-o APT::Sandbox::User=root)
if ! (cd "$work" && "${aptdl[@]}" "$pkg"); then
    # Stale package lists (the picked version left the archive): refresh, re-pick, retry.
    apt-get update -qq
    pkg=${KERNEL_PKG:-$(pick_pkg)}
    echo "fetch-kernel: retrying with $pkg"
    (cd "$work" && "${aptdl[@]}" "$pkg")
fi
deb=$(ls "$work"/*.deb)
ver=$(dpkg-deb -f "$deb" Version)
dpkg-deb -x "$deb" "$work/root"

kver=${pkg#linux-image-}
vmlinuz="$work/root/boot/vmlinuz-$kver"
[ -f "$vmlinuz" ] || { echo "fetch-kernel: $deb has no boot/vmlinuz-$kver" >&2; exit 1; }
[ -d "$work/root/lib/modules/$kver" ] || { echo "fetch-kernel: $deb has no lib/modules/$kver" >&2; exit 1; }

/usr/bin/python3 scripts/extract-vmlinux.py "$vmlinuz" "$work/vmlinux"

rm -rf "$CACHE/modules" "$CACHE/config" "$CACHE/System.map"
cp "$vmlinuz" "$CACHE/vmlinuz"
mv "$work/vmlinux" "$CACHE/vmlinux"
mv "$work/root/lib/modules/$kver" "$CACHE/modules"
cp "$work/root/boot/config-$kver" "$CACHE/config"
echo "$kver" > "$CACHE/kernel-version"
echo "$pkg $ver" > "$CACHE/kernel-package"
echo "fetch-kernel: $pkg $ver -> $CACHE/vmlinuz, $CACHE/vmlinux ($(stat -c %s "$CACHE/vmlinux") bytes), $CACHE/modules"
