#!/usr/bin/env bash
# bench/create: `xl create` time and create -> guest marker, Xenolith vs Xen 4.17 (median of RUNS, default 5).
set -euo pipefail
# Usage: bench/create/run.sh [xenolith] [xen-4.17]     (make bench-create; both by default)
# Needs: build/xenolith and build/dom0.cpio.gz (make), cache/xen-4.17.elf (bench/boot/run.sh
# fetches it), and builds build/bench/xen-dom0.cpio.gz: Debian's Xen 4.17 tools around the same
# guest as Xenolith's image. Results: build/bench/create.json.
cd "$(dirname "$0")/../.."
mkdir -p build/bench
if [ $# -eq 0 ] || [[ " $* " == *" xen-4.17 "* ]]; then
    ONLY=xen bench/boot/run.sh --fetch-only
    bench/create/xen-dom0.sh build/bench/xen-dom0.cpio.gz cache/vmlinuz build/guest-initrd.cpio.gz
fi
exec /usr/bin/python3 bench/create/create_time.py "$@"
