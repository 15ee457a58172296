#!/bin/bash
# Golden tests for xl's config parser: each <case>.cfg runs `xl create -n <case>.cfg`, or the
# arguments in <case>.cmd; stdout, stderr and the exit code must equal <case>.out.
# Usage: run.sh /path/to/xl     (UPDATE=1 rewrites the .out files: review the diff!)
set -u
xl=${1:?usage: run.sh /path/to/xl}
cd "$(dirname "$0")" || exit 2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in $(ls *.cfg *.cmd 2>/dev/null | sed 's/\.[a-z]*$//' | sort -u); do
    if [ -f "$case.cmd" ]; then
        eval "\"\$xl\" $(cat "$case.cmd")" >"$tmp/stdout" 2>"$tmp/stderr"
    else
        "$xl" create -n "$case.cfg" >"$tmp/stdout" 2>"$tmp/stderr"
    fi
    rc=$?
    { cat "$tmp/stdout"; echo "--- stderr"; cat "$tmp/stderr"; echo "--- exit $rc"; } >"$tmp/actual"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$tmp/actual" "$case.out"
    fi
    if [ -f "$case.out" ] && diff -u "$case.out" "$tmp/actual" >"$tmp/diff"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $case"
        [ -f "$case.out" ] && head -40 "$tmp/diff" || echo "  (no $case.out)"
    fi
done
echo "xl-cfg golden tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
