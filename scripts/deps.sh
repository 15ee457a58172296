#!/usr/bin/env bash
# Install (idempotently, quietly when all present) every Debian package Xenolith's build, tests and runs need.
set -euo pipefail

# Packages needed by: the hypervisor build and host checks (gcc make binutils clang-format),
# the kernel fetch (apt/dpkg are always there; xz-utils gzip), the dom0 initramfs (cpio
# busybox-static), QEMU system tests and `make run` (qemu-system-x86, python3 from Debian),
# GRUB multiboot2 images (grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf),
# the ACPI unit test (acpica-tools: iasl), the decoder unit tests' vectors (bzip2 zstd lz4),
# and the xenstored integration test's real clients (xenstore-utils).
PKGS=(
    gcc make binutils clang-format
    xz-utils gzip cpio busybox-static
    qemu-system-x86 python3
    grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
    acpica-tools bzip2 zstd lz4 xenstore-utils
)
# Extra packages may be requested by callers: scripts/deps.sh pkg1 pkg2 ...
PKGS+=("$@")

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
echo "deps: done"
