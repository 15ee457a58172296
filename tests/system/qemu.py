# Expect-like driver for QEMU system tests: console on a pipe, logged, matched by regex (stdlib only).
"""A QEMU machine whose serial console is read into a buffer and a log file.

    from qemu import Qemu
    with Qemu("dom0_boot", ["-kernel", "build/xenolith", ...]) as vm:
        vm.expect(r"Xenolith", timeout=30)
        vm.expect_prompt()
        out = vm.run("uname -r")
        vm.send("poweroff")
        assert vm.wait(timeout=60) == 1

Console text is normalised before matching: every '\\r' is dropped (dom0's lines end
in '\\r\\r\\r\\n' on a serial console) and ANSI/VT100 escape sequences are removed,
so patterns see plain '\\n'-terminated lines. The raw bytes go to the log file
(build/test-logs/NAME.log) unchanged. expect() only looks at text after the end
of the previous match, like expect(1). Failures raise ExpectError whose message
names what was awaited and shows the last 40 lines of console output.
"""
import codecs
import os
import re
import signal
import subprocess
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOG_DIR = os.path.join(ROOT, "build", "test-logs")
QEMU = "qemu-system-x86_64"

# What a timeout multiplier does: XENOLITH_TIMEOUT_SCALE=2 doubles every timeout (slow CI).
TIMEOUT_SCALE = float(os.environ.get("XENOLITH_TIMEOUT_SCALE", "1"))

_ESC_RE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78cDEHMZ])")
_PARTIAL_ESC_RE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*|\][^\x07\x1b]*|[()])?$")


class ExpectError(AssertionError):
    """An awaited console pattern or exit did not come; the message carries the console tail."""


def debug_exit_status(code):
    """QEMU's exit status after the guest wrote CODE to isa-debug-exit."""
    return (code << 1) | 1


class Qemu:
    def __init__(self, name, args, log_dir=LOG_DIR, qemu=QEMU, cwd=ROOT, echo=None):
        self.name = name
        self.cmd = [qemu] + list(args)
        os.makedirs(log_dir, exist_ok=True)
        self.log_path = os.path.join(log_dir, name + ".log")
        self._log = open(self.log_path, "wb")
        self._log.write(("# " + " ".join(_shquote(a) for a in self.cmd) + "\n").encode())
        self._log.flush()
        self._cond = threading.Condition()
        self._text = ""          # normalised console text
        self._pos = 0            # expect() searches from here
        self._pending = ""       # decoded text held back (incomplete escape sequence)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._eof = False
        self._echo = echo if echo is not None else bool(os.environ.get("XENOLITH_TEST_ECHO"))
        self.start_time = time.monotonic()
        # QEMU stays in our process group (run_tests.py kills a hung test's whole group)
        # and dies with us (PR_SET_PDEATHSIG), so no QEMU outlives its test.
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, cwd=cwd, preexec_fn=_die_with_parent)
        self._reader = threading.Thread(target=self._read_loop, name="qemu-" + name, daemon=True)
        self._reader.start()

    # ---- context manager: always kill QEMU and close the log ----
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _read_loop(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
            self._log.write(data)
            self._log.flush()
            if self._echo:
                os.write(2, data)
            self._feed(self._decoder.decode(data))
        self._feed(self._decoder.decode(b"", final=True), final=True)
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def _feed(self, s, final=False):
        s = self._pending + s
        self._pending = ""
        if not final:
            m = _PARTIAL_ESC_RE.search(s[-64:])
            if m:
                cut = len(s) - (len(s[-64:]) - m.start())
                s, self._pending = s[:cut], s[cut:]
        s = _ESC_RE.sub("", s).replace("\r", "")
        if s:
            with self._cond:
                self._text += s
                self._cond.notify_all()

    # ---- output ----
    @property
    def output(self):
        """All normalised console output so far."""
        with self._cond:
            return self._text

    def tail(self, n=40):
        lines = self.output.split("\n")
        return "\n".join(lines[-n:])

    def elapsed(self):
        return time.monotonic() - self.start_time

    def _fail(self, what, timeout):
        status = self.proc.poll()
        state = ("QEMU still running" if status is None else f"QEMU exited with status {status}")
        raise ExpectError(f"[{self.name}] {what} (timeout {timeout:.0f} s, {state}, "
                          f"{self.elapsed():.1f} s since start; log {os.path.relpath(self.log_path, ROOT)})\n"
                          f"---- last 40 console lines ----\n{self.tail(40)}\n---- end ----")

    def expect(self, pattern, timeout=60, flags=re.MULTILINE):
        """Wait until PATTERN (regex) matches new console text; return the match object."""
        timeout *= TIMEOUT_SCALE
        rx = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = rx.search(self._text, self._pos)
                if m:
                    self._pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if self._eof:
                    self._fail(f"console ended before /{rx.pattern}/ appeared", timeout)
                if left <= 0:
                    self._fail(f"timed out waiting for /{rx.pattern}/", timeout)
                self._cond.wait(min(left, 0.5))

    def expect_any(self, patterns, timeout=60):
        """Wait for the first of several regexes; return (index, match)."""
        alt = "|".join(f"(?P<_p{i}>{p})" for i, p in enumerate(patterns))
        m = self.expect(alt, timeout)
        for i in range(len(patterns)):
            if m.group(f"_p{i}") is not None:
                return i, m
        raise AssertionError("unreachable")

    def not_expect(self, pattern, duration, flags=re.MULTILINE):
        """Assert PATTERN does not appear in new output for DURATION seconds."""
        rx = re.compile(pattern, flags)
        deadline = time.monotonic() + duration
        with self._cond:
            while True:
                m = rx.search(self._text, self._pos)
                if m:
                    self._pos = m.end()
                    self._fail(f"unexpected /{pattern}/ appeared: {m.group(0)!r}", duration)
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    return
                self._cond.wait(min(left, 0.5))

    def skip_to_end(self):
        """Forget output seen so far: the next expect() only looks at what comes later."""
        with self._cond:
            self._pos = len(self._text)

    # ---- input ----
    def send_raw(self, data, chunk=8, delay=0.02):
        """Write DATA to the console, CHUNK bytes at a time, DELAY seconds apart.

        Pacing matters: QEMU feeds the UART as fast as the guest drains it, but a
        hypervisor's console input ring is small and dom0 empties
        it only when scheduled, so a long line written at once loses characters (seen
        with Xen 4.17 under TCG). 8 bytes every 20 ms is ~400 characters per second.
        """
        if isinstance(data, str):
            data = data.encode()
        try:
            for i in range(0, len(data), chunk or len(data) or 1):
                self.proc.stdin.write(data[i:i + chunk] if chunk else data)
                self.proc.stdin.flush()
                if chunk and delay and i + chunk < len(data):
                    time.sleep(delay)
        except (BrokenPipeError, OSError):
            self._fail(f"cannot send {data!r}: console closed", 0)

    def send(self, line, chunk=8, delay=0.02):
        """Type LINE and press Enter (a terminal sends '\\r')."""
        self.send_raw(line + "\r", chunk, delay)

    # ---- shell helpers (busybox sh on dom0's console) ----
    def expect_prompt(self, timeout=60, prompt=r"dom0# "):
        return self.expect(prompt + r"$", timeout)

    def run(self, command, timeout=60, check=True, keep_xen_lines=False):
        """Run COMMAND in the console shell; return its output (str, '\\n' lines, no trailing newline).

        The output is framed by markers the shell prints (split in the typed line with
        '""' so the echo of the typed line never matches), so the terminal's echo and
        prompt are never mistaken for output. check=True asserts exit status 0. The
        hypervisor's own log lines ("(XEN) ...", e.g. from a guest booting meanwhile) share the
        serial line and are left out (it writes whole lines, so they never split dom0's) unless
        keep_xen_lines (for commands that print such lines themselves: `xl dmesg`).
        """
        self.send(f'echo "@@XL-BEG""IN@@"; {command}; echo "@@XL-END"" $?@@"')
        m = self.expect(r"^@@XL-BEGIN@@\n((?:.*\n)*?)@@XL-END (\d+)@@", timeout)
        out, status = m.group(1), int(m.group(2))
        if not keep_xen_lines:
            out = "".join(l for l in out.splitlines(keepends=True) if not l.startswith("(XEN) "))
        self.expect(r"dom0# $|# $", 10)
        if check and status != 0:
            raise ExpectError(f"[{self.name}] command {command!r} exited {status}; output:\n{out}")
        return out.rstrip("\n")

    # ---- exit ----
    def wait(self, timeout=60):
        """Wait for QEMU to exit by itself; return its exit status, or raise ExpectError."""
        timeout *= TIMEOUT_SCALE
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._fail("QEMU did not exit by itself", timeout)
        self._reader.join(5)
        return status

    def still_running_after(self, seconds):
        """True if QEMU is still running SECONDS from now (e.g. no triple fault under -no-reboot)."""
        try:
            self.proc.wait(seconds)
            return False
        except subprocess.TimeoutExpired:
            return True

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        for f in (self.proc.stdin,):
            try:
                f.close()
            except OSError:
                pass
        self._reader.join(5)
        self.proc.stdout.close()
        self._log.close()


def _die_with_parent():
    """In the child before exec: get SIGKILL when the parent (the test) dies."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _shquote(a):
    return a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'" + a.replace("'", "'\\''") + "'"
