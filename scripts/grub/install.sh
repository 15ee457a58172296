#!/usr/bin/env bash
# `make install`: put the multiboot2 image in $DESTDIR/boot and the GRUB menu generator in $DESTDIR/etc/grub.d.
set -euo pipefail
#
# Usage: scripts/grub/install.sh IMAGE.gz [DESTDIR]     (DESTDIR empty or / = this machine)
# Installs:
#   $DESTDIR/boot/xenolith-<version>.gz      IMAGE.gz (mode 0644); <version> as the banner prints it
#   $DESTDIR/boot/xenolith.gz                symlink -> xenolith-<version>.gz
#   $DESTDIR/etc/grub.d/20_xenolith          tools/grub/20_xenolith (mode 0755)
# It does not run update-grub: on a real /, run it yourself after checking /etc/default/grub
# (GRUB_CMDLINE_XENOLITH, see tools/grub/20_xenolith and docs/real-hardware.md).

cd "$(dirname "$0")/../.."
image=${1:?usage: scripts/grub/install.sh IMAGE.gz [DESTDIR]}
destdir=${2:-}
destdir=${destdir%/}

version=$(grep -rhoE '^#define XENOLITH_VERSION "[^"]+"' hv | head -n 1 | cut -d'"' -f2)
if [ -z "$version" ]; then
    echo "install: no '#define XENOLITH_VERSION \"...\"' under hv/" >&2
    exit 1
fi
if [ ! -s "$image" ] || [ "$(head -c 2 "$image" | od -An -tx1 | tr -d ' ')" != 1f8b ]; then
    echo "install: $image is missing or not gzip data (run make)" >&2
    exit 1
fi

install -d -m 0755 "$destdir/boot" "$destdir/etc/grub.d"
install -m 0644 "$image" "$destdir/boot/xenolith-$version.gz"
ln -sfn "xenolith-$version.gz" "$destdir/boot/xenolith.gz"
install -m 0755 tools/grub/20_xenolith "$destdir/etc/grub.d/20_xenolith"

echo "install: ${destdir:-}/boot/xenolith-$version.gz, ${destdir:-}/boot/xenolith.gz -> xenolith-$version.gz"
echo "install: ${destdir:-}/etc/grub.d/20_xenolith"
if [ -z "$destdir" ]; then
    echo "install: set GRUB_CMDLINE_XENOLITH in /etc/default/grub if needed, then run update-grub"
fi
