#!/usr/bin/python3
"""Runs a command as systemd would for hearth: in its own session, with this process as the
child subreaper, so processes orphaned by a SIGKILL are reaped instead of lingering as zombies
(this sandbox's PID 1 does not reap them, and restic treats a zombie's lock as live).
Prints the command's PID on the first line, exits with its status once every descendant is gone."""
import ctypes
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
child = subprocess.Popen(sys.argv[1:], start_new_session=True)
print(child.pid, flush=True)
status = 0
while True:
    try:
        pid, raw = os.wait()
    except ChildProcessError:
        break
    if pid == child.pid:
        status = os.waitstatus_to_exitcode(raw)
sys.exit(status if status >= 0 else 128 - status)
