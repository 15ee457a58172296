#!/bin/bash
# Integration test: the real xenstored on a temporary socket, driven by Debian's xenstore-utils.
set -euo pipefail

XENSTORED=${1:?usage: test-xenstore-utils.sh path/to/xenstored}
tmp=$(mktemp -d)
export XENSTORED_PATH=$tmp/socket # libxenstore (xs_lib.c) takes the socket path from here
pid=
pid2=

cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    [ -n "$pid2" ] && kill "$pid2" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

wait_for() { # wait_for FILE: up to 5 s
    for _ in $(seq 50); do
        [ -e "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

pass=0
fail=0
check() { # check NAME CMD...: CMD must succeed
    local name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name"
    fi
}
fails() { ! "$@" 2>/dev/null; }
same() { [ "$1" = "$2" ] || { echo "  expected [$2], got [$1]"; return 1; }; }

"$XENSTORED" -N --no-xen --socket "$XENSTORED_PATH" -F "$tmp/pid" -T "$tmp/trace" &
pid=$!
wait_for "$tmp/pid" || { echo "xenstored did not start"; exit 1; }

check "pid file" same "$(cat "$tmp/pid")" "$pid"
check "socket mode 0600" same "$(stat -c %a "$XENSTORED_PATH")" "600"
check "base tree" same "$(xenstore-list /)" "tool"
check "write" xenstore-write /t/a 1 /t/b two
check "read" same "$(xenstore-read /t/a)" "1"
check "read several" same "$(xenstore-read /t/a /t/b | tr '\n' ,)" "1,two,"
check "parents created" same "$(xenstore-read /t)" ""
check "list" same "$(xenstore-list /t | tr '\n' ,)" "a,b,"
check "ls" same "$(xenstore-ls /t | tr '\n' ,)" 'a = "1",b = "two",'
check "exists" xenstore-exists /t/a
check "exists missing" fails xenstore-exists /t/zz
check "read missing" fails xenstore-read /t/zz
check "bad path" fails xenstore-write /t//x 1
check "chmod" xenstore-chmod /t/a n0 r5
check "ls -p" bash -c 'xenstore-ls -p /t | grep -q "^a = \"1\".*(n0,r5)"'
check "chmod bad mode" fails xenstore-chmod /t/a q5
check "rm" xenstore-rm /t/a
check "rm gone" fails xenstore-exists /t/a
check "list after rm" same "$(xenstore-list /t)" "b"
check "rm subtree" bash -c 'xenstore-write /s/x/y 1 && xenstore-rm /s && ! xenstore-exists /s/x/y'

# More children than one 4096-byte reply: libxenstore falls back to DIRECTORY_PART.
args=()
for i in $(seq 300); do args+=("/big/node-with-a-long-name-$i" "$i"); done
check "write 300" xenstore-write "${args[@]}"
check "list 300 (DIRECTORY_PART)" same "$(xenstore-list /big | wc -l)" "300"
check "last child" bash -c 'xenstore-list /big | tail -1 | grep -qx node-with-a-long-name-300'

# A watcher in the background must see the initial event and two changes.
timeout 10 xenstore-watch -n 3 /w >"$tmp/watch" 2>&1 &
wpid=$!
for _ in $(seq 50); do
    grep -q . "$tmp/watch" 2>/dev/null && break
    sleep 0.1
done
xenstore-write /w/x 1
xenstore-write /elsewhere 1
xenstore-rm /w/x
rc=0
wait "$wpid" || rc=$?
check "watch exited by count, not timeout" same "$rc" "0"
check "watch events" same "$(tr '\n' , <"$tmp/watch")" "/w,/w/x,/w/x,"

# A hostile client (payload length over 4096) is dropped; the daemon keeps serving.
check "hostile client" python3 - "$XENSTORED_PATH" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(struct.pack("<IIII", 2, 1, 0, 5000) + b"x" * 100)
s.settimeout(5)
sys.exit(0 if s.recv(16) == b"" else 1)  # closed by the daemon
PY
check "unknown type gets EINVAL" python3 - "$XENSTORED_PATH" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(struct.pack("<IIII", 99, 7, 0, 2) + b"x\0")
s.settimeout(5)
h = s.recv(16)
t, rid, tx, n = struct.unpack("<IIII", h)
sys.exit(0 if (t, rid, s.recv(n)) == (16, 7, b"EINVAL\0") else 1)
PY
check "still serving" same "$(xenstore-read /t/b)" "two"
check "trace written" grep -q "type 11" "$tmp/trace"

# Daemon mode as an init script starts it: returns once the pid file exists and the socket
# serves; the run directory is created; a second instance on the same pid file is refused;
# start-up errors reach the caller's stderr and exit status; SIGTERM cleans up.
rc=0
env -u XENSTORED_PATH XENSTORED_RUNDIR="$tmp/run/xenstored" "$XENSTORED" -D --pid-file="$tmp/pid2" || rc=$?
check "daemon start status" same "$rc" "0"
pid2=$(cat "$tmp/pid2" 2>/dev/null || true)
check "pid file written before return" test -n "$pid2"
check "daemonized" kill -0 "${pid2:-0}"
check "daemon serves at RUNDIR/socket" env XENSTORED_PATH="$tmp/run/xenstored/socket" xenstore-write /d 1
check "second instance refused" fails "$XENSTORED" -D --socket "$tmp/socket3" --pid-file="$tmp/pid2"
check "start-up error reported" bash -c '! "$1" -D --socket /nonexistent/dir/socket 2>"$2" && grep -q "cannot listen" "$2"' \
    _ "$XENSTORED" "$tmp/err"
check "bad option refused" fails "$XENSTORED" -D --bogus
kill "${pid2:-0}" 2>/dev/null || true
for _ in $(seq 50); do [ -e "$tmp/run/xenstored/socket" ] || break; sleep 0.1; done
check "socket removed on SIGTERM" fails test -e "$tmp/run/xenstored/socket"
check "pid file removed on SIGTERM" fails test -e "$tmp/pid2"
pid2=

kill "$pid"
rc=0
wait "$pid" || rc=$?
check "clean exit" same "$rc" "0"
pid=

echo "xenstore-utils: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
