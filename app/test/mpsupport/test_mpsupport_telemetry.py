#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Query the /mpsupport/ telemetry commands of a running primary.

The primary is test_mpsupport_mp in its "prim-hold" role with the
"telemetry" option: it registers, declares workers 0 and 1 as a pair with
worker 0 attached to itself, and holds a floating lcore in a thread. The
commands are read twice: with DPDK's own client, dpdk-telemetry.py, as a
user would, and with a direct client on the v2 socket.
"""

import glob
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_until(proc, pattern, timeout):
    """Read the child's stdout until pattern matches, within timeout."""
    out = ""
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            data = os.read(fd, 4096)
            if not data:
                break
            out += data.decode(errors="replace")
            match = re.search(pattern, out)
            if match:
                return match, out
    return None, out


def free_hugepage_mb():
    """Hugepage memory free for a new mapping, over every page size, in MB."""
    total = 0
    for path in glob.glob("/sys/kernel/mm/hugepages/hugepages-*kB"):
        kb = int(re.search(r"hugepages-(\d+)kB", path).group(1))
        try:
            with open(os.path.join(path, "free_hugepages")) as f:
                free = int(f.read())
            with open(os.path.join(path, "resv_hugepages")) as f:
                resv = int(f.read())
        except (OSError, ValueError):
            continue
        total += max(free - resv, 0) * kb // 1024
    return total


def hugepage_shortage(cmd):
    """Why an EAL started with cmd could not start here: too few free
    hugepages for its -m. Empty if that is not the reason."""
    if "--no-huge" in cmd:
        return ""
    need = 1
    for i, arg in enumerate(cmd[:-1]):
        if arg == "-m":
            need = int(cmd[i + 1])
    have = free_hugepage_mb()
    if have >= need:
        return ""
    return "%d MB of free hugepages, %d MB needed" % (have, need)


def query(sock_path, cmds):
    """Send each command on a fresh connection's socket, return replies."""
    replies = {}
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as sock:
        sock.settimeout(5)
        sock.connect(sock_path)
        info = json.loads(sock.recv(1024).decode())
        size = info["max_output_len"]
        for cmd in cmds:
            sock.send(cmd.encode())
            # the reply is keyed by the command without its parameter
            replies[cmd] = next(iter(json.loads(sock.recv(size).decode()).values()))
    return replies


def check(replies, pid, float_id):
    """The replies describe this primary, its lcores and its workers."""
    info = replies["/mpsupport/info"]
    if info.get("primary_pid") != pid or info.get("pid") != pid:
        fail("/mpsupport/info: %s" % info)
    if info.get("initialised") != 1 or info.get("layout_version") != 3:
        fail("/mpsupport/info: %s" % info)
    slot = info.get("slot", -1)
    if not 0 <= slot < info.get("max_procs", 0):
        fail("/mpsupport/info slot: %s" % info)
    procs = replies["/mpsupport/procs"]
    entry = procs.get(str(pid), {})
    want = {"pid": pid, "parent_pid": 0, "type": "primary", "slot": slot,
            "worker": -1, "lcores": "0", "alive": 1}
    if any(entry.get(k) != v for k, v in want.items()) or entry.get("start_time", 0) <= 0:
        fail("/mpsupport/procs: %s" % procs)
    if replies["/mpsupport/list"] != [pid]:
        fail("/mpsupport/list: %s" % replies["/mpsupport/list"])
    if replies["/mpsupport/info,%d" % pid] != entry:
        fail("/mpsupport/info,%d: %s" % (pid, replies["/mpsupport/info,%d" % pid]))
    if replies.get("/mpsupport/info,1") is not None:
        fail("/mpsupport/info,1 (not a member): %s" % replies["/mpsupport/info,1"])
    lcores = replies["/mpsupport/lcores"]
    if lcores.get("0") != {"kind": "eal", "pid": pid}:
        fail("/mpsupport/lcores, lcore 0: %s" % lcores)
    if lcores.get(str(float_id)) != {"kind": "floating", "pid": pid}:
        fail("/mpsupport/lcores, lcore %d: %s" % (float_id, lcores))
    if lcores.get("eal") != 1 or lcores.get("floating") != 1:
        fail("/mpsupport/lcores counts: %s" % lcores)
    workers = replies["/mpsupport/workers"]
    if workers.get("0") != {"state": "running", "pid": pid, "deps": 2, "restarts": 0}:
        fail("/mpsupport/workers, worker 0: %s" % workers)
    if workers.get("1") != {"state": "idle", "pid": 0, "deps": 1, "restarts": 0}:
        fail("/mpsupport/workers, worker 1: %s" % workers)

def main():
    if len(sys.argv) != 2:
        print("usage: %s TEST_MPSUPPORT_MP" % sys.argv[0])
        return 2
    binary = sys.argv[1]
    prefix = "mpstel_%d" % os.getpid()
    runtime = "/var/run/dpdk/" + prefix
    cmd = [binary, "--mps-role", "prim-hold", "--no-pci", "--file-prefix", prefix,
           "--lcores", "0@0", "-m", "64", "--log-level", "lib.eal:error",
           ] + os.environ.get("MP_PACK_EAL_EXTRA", "").split() + ["--", "telemetry"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, bufsize=0)
    try:
        match, out = read_until(proc, r"float=(-?\d+)[\s\S]*ready pid=(\d+)", 30)
        if match is None:
            short = hugepage_shortage(cmd)
            if "eal=" in out and short:
                print("SKIP: the primary could not start (%s): %s" % (short, out))
                return SKIP
            fail("primary not ready: %r" % out)
        float_id, pid = int(match.group(1)), int(match.group(2))
        if pid != proc.pid or float_id < 1:
            fail("unexpected start-up output: %r" % out)
        cmds = ["/mpsupport/info", "/mpsupport/list", "/mpsupport/info,%d" % pid,
                "/mpsupport/info,1", "/mpsupport/procs", "/mpsupport/lcores",
                "/mpsupport/workers"]

        # DPDK's client, reading commands from a pipe.
        tool = shutil.which("dpdk-telemetry.py") or "/usr/bin/dpdk-telemetry.py"
        res = subprocess.run(["/usr/bin/python3", tool, "-f", prefix],
                             input="/\n" + "\n".join(cmds) + "\n", text=True,
                             capture_output=True, timeout=30, check=False)
        lines = [json.loads(ln) for ln in res.stdout.splitlines() if ln.strip().startswith("{")]
        if len(lines) != len(cmds) + 1:
            fail("dpdk-telemetry.py gave %r (stderr %r)" % (res.stdout, res.stderr))
        replies = {"/": lines[0].get("/")}
        replies.update((c, next(iter(r.values()))) for c, r in zip(cmds, lines[1:]))
        if any(c not in replies for c in cmds):
            fail("dpdk-telemetry.py gave %r (stderr %r)" % (res.stdout, res.stderr))
        if not {c.split(",")[0] for c in cmds} <= set(replies.get("/", [])):
            fail("commands not listed by '/': %s" % replies.get("/"))
        check(replies, pid, float_id)

        # A direct client on the socket.
        socks = glob.glob(os.path.join(runtime, "dpdk_telemetry.v2*"))
        if not socks:
            fail("no telemetry socket in " + runtime)
        check(query(socks[0], cmds), pid, float_id)
        print("telemetry: /mpsupport/info, info,<pid>, list, procs, lcores, workers checked "
              "with dpdk-telemetry.py and a direct client")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        for path in glob.glob("/dev/hugepages/%s*" % prefix):
            os.unlink(path)
        shutil.rmtree(runtime, ignore_errors=True)
    if proc.returncode != 0:
        fail("primary exited with %d" % proc.returncode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
