# No process started by a moat run outlives it, even a guest process that
# was left running in the background. The checker is a child subreaper,
# so orphaned processes are reparented to it and cannot hide.
. tests/lib/common.sh
require_moat_runs

/usr/bin/python3 - <<'PY'
import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    print("prctl(PR_SET_CHILD_SUBREAPER) failed")
    sys.exit(1)


def identity(pid):
    """Return (start time, comm) of PID, or None once it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    comm = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None
    return fields[19], comm


def descendants(pid):
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children = [int(c) for c in f.read().split()]
        except OSError:
            continue
        for child in children:
            found.append(child)
            found.extend(descendants(child))
    return found


failures = 0
cases = [
    ("foreground children", "sleep 1 & sleep 1; wait"),
    ("background orphan", "(sleep 30 &); exit 0"),
]
for name, script in cases:
    moat = subprocess.Popen(
        [os.environ["MOAT"], "run", "--", "/bin/sh", "-c", script],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    seen = {}
    deadline = time.monotonic() + 30
    while moat.poll() is None and time.monotonic() < deadline:
        for pid in descendants(os.getpid()):
            ident = identity(pid)
            if ident:
                seen.setdefault(pid, ident)
        time.sleep(0.05)
    if moat.poll() is None:
        moat.kill()
        print(f"{name}: moat did not exit within 30 s")
        failures += 1
    moat.wait()
    time.sleep(0.5)
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    for pid in set(descendants(os.getpid())) | set(seen):
        ident = identity(pid)
        if ident and (pid not in seen or seen[pid] == ident):
            print(f"{name}: process {pid} ({ident[1]}) still running after moat exited")
            failures += 1
            os.kill(pid, signal.SIGKILL)
    if not seen:
        print(f"{name}: note: no descendant process of moat was observed")
if failures:
    print(f"{failures} leftover check(s) failed")
sys.exit(1 if failures else 0)
PY
