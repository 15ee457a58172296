#!/usr/bin/python3
# Run Xenolith's QEMU system tests (tests/system/test_*.py) one by one and summarise them.
"""Usage: run_tests.py [-k SUBSTRING]... [--list] [--echo]

Every function named test_* in tests/system/test_*.py is one test. Each runs in its
own Python process (so a hung or crashed test cannot take the others with it) with
a hard limit of XENOLITH_TEST_LIMIT seconds (default 900), sequentially: QEMU TCG
is single-threaded per vCPU and the machine has 2 cores.

Output: one line per test, "PASS name (12.3 s)" or "FAIL name (..)" followed by
the failure (which includes the console tail; full logs in build/test-logs/),
then exactly "system: N passed, M failed". Exit status is 1 if any test failed.

There is no list of tolerated failures: every failing test fails the run.
-k selects tests whose name contains SUBSTRING; --echo copies console output
to stderr live (same as XENOLITH_TEST_ECHO=1).
"""
import argparse
import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
LIMIT = float(os.environ.get("XENOLITH_TEST_LIMIT", "900"))


def load(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def discover():
    tests = []
    for fn in sorted(os.listdir(HERE)):
        if fn.startswith("test_") and fn.endswith(".py"):
            mod = load(os.path.join(HERE, fn))
            for attr in mod.__dict__:  # definition order
                if attr.startswith("test_") and callable(getattr(mod, attr)):
                    tests.append(f"{fn[:-3]}::{attr}")
    return tests


def reason(out):
    """The exception line of a failed test's output (its first line, for multi-line messages)."""
    lines = out.strip().splitlines()
    for l in reversed(lines):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Expired)\b", l):
            return l
    return lines[-1] if lines else "(no output)"


def run_one(test):
    """Child process: run one test function; exit 0 on success."""
    sys.path.insert(0, HERE)
    fn, func = test.split("::")
    mod = load(os.path.join(HERE, fn + ".py"))
    try:
        getattr(mod, func)()
    except Exception:
        traceback.print_exc()
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-k", action="append", default=[], help="only tests whose name contains this")
    ap.add_argument("--list", action="store_true", help="list tests and exit")
    ap.add_argument("--echo", action="store_true", help="copy console output to stderr live")
    ap.add_argument("--run-one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.run_one:
        return run_one(a.run_one)

    sys.path.insert(0, HERE)
    tests = [t for t in discover() if not a.k or any(k in t for k in a.k)]
    if a.list:
        print("\n".join(tests))
        return 0
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if a.echo:
        env["XENOLITH_TEST_ECHO"] = "1"
    passed = failed = 0
    for t in tests:
        start = time.monotonic()
        # Own process group per test: on the hard limit (or ^C) the test and its QEMU go together.
        p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--run-one", t], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=None if a.echo else subprocess.STDOUT,
                             start_new_session=True)
        try:
            stdout, _ = p.communicate(timeout=LIMIT)
            ok, out = p.returncode == 0, (stdout or b"").decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            stdout, _ = p.communicate()
            ok, out = False, (stdout or b"").decode(errors="replace") + f"\nhard limit of {LIMIT:.0f} s reached"
        except KeyboardInterrupt:
            os.killpg(p.pid, signal.SIGKILL)
            raise
        took = time.monotonic() - start
        if ok:
            passed += 1
            print(f"PASS {t} ({took:.1f} s)")
        else:
            failed += 1
            print(f"FAIL {t} ({took:.1f} s)")
            print("    " + out.strip().replace("\n", "\n    "))
        sys.stdout.flush()
    print(f"system: {passed} passed, {failed} failed")
    return 1 if failed or not tests else 0


if __name__ == "__main__":
    sys.exit(main())
