#!/bin/sh
# Cross-checks tests/abi/abi-layout.golden against Xen 4.17's own public headers (Debian libxen-dev).
#
# The layout printer is rebuilt with -DXEN_ORACLE so that it includes <xen/...>
# instead of include/public. Entries that only Xenolith has are printed as
# "skip NAME" by that build and removed from the golden before the diff.
# Usage: tests/abi/xen-oracle.sh [build-dir]   (CC may be set in the environment)
set -eu

out=${1:-build}/abi/oracle
cc=${CC:-gcc}
src=tests/abi/abi-layout.c
golden=tests/abi/abi-layout.golden

if [ ! -f /usr/include/xen/xen.h ]; then
    echo "abi-oracle: /usr/include/xen missing, installing libxen-dev"
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y libxen-dev >/dev/null || { apt-get update >/dev/null && apt-get install -y libxen-dev >/dev/null; }
    else
        sudo apt-get install -y libxen-dev >/dev/null
    fi
fi
ver=$(dpkg-query -W -f '${Version}' libxen-dev 2>/dev/null || echo unknown)
case $ver in
4.17.*) ;;
*) echo "abi-oracle: warning: libxen-dev $ver is not Xen 4.17; differences may be version drift" ;;
esac

mkdir -p "$out"
# No -Iinclude: only Xen's headers may be visible to this build.
"$cc" -std=gnu11 -Wall -Wextra -Werror -DXEN_ORACLE "$src" -o "$out/abi-layout-xen"
"$out/abi-layout-xen" > "$out/xen.txt"

grep '^skip ' "$out/xen.txt" | cut -d' ' -f2 > "$out/skip.txt" || true
grep -v '^skip ' "$out/xen.txt" > "$out/xen-checked.txt"

# Every skipped name must really be in the golden (catches typos in the skip marks).
missing=$(awk 'NR == FNR { seen[$2] = 1; next } !($1 in seen) { print $1 }' "$golden" "$out/skip.txt")
if [ -n "$missing" ]; then
    echo "abi-oracle: skipped names absent from the golden: $missing"
    exit 1
fi

awk 'NR == FNR { skip[$1] = 1; next } !($2 in skip)' "$out/skip.txt" "$golden" > "$out/golden-checked.txt"

if diff -u "$out/golden-checked.txt" "$out/xen-checked.txt" > "$out/oracle.diff"; then
    echo "abi-oracle: OK ($(wc -l < "$out/xen-checked.txt") lines agree with Xen $ver;" \
        "$(wc -l < "$out/skip.txt") Xenolith-only lines skipped)"
else
    cat "$out/oracle.diff"
    echo "abi-oracle: FAIL: golden (-) differs from Xen $ver public headers (+)"
    exit 1
fi
