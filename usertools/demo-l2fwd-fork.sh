#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# Live demo of dpdk-l2fwd_fork on two net_null ports: the main process forks
# two worker processes and, with --standby, a parked standby for each; one
# worker is killed with kill -9, and the main brings the pair back within
# milliseconds by waking the standbys, then forks new ones; at exit the
# audit shows that no mbuf and no lcore id was lost. When dpdk-dumpcap is
# installed, a capture of port 0 runs across the recovery, and the new worker
# captures too; at line rate it would write a gigabyte a second, so the
# packets go to /dev/null and the demo shows what telemetry counted.
# Uses MP_PACK_BUILD_DIR (default: <pack>/build); starts one process group
# with its own --file-prefix and removes everything it created.

set -u
PACK_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$PACK_DIR/usertools/demo-common.sh"
BUILD_DIR=${MP_PACK_BUILD_DIR:-$PACK_DIR/build}
APP=$BUILD_DIR/examples/dpdk-l2fwd_fork
PY=/usr/bin/python3
PREFIX=mpdemo_l2fwd_$$
LOG=$(mktemp /tmp/demo-l2fwd-fork.XXXXXX)
PID=
CAP_PID=

stop_capture() {
    [ -n "$CAP_PID" ] || return 0
    stop_pid "$CAP_PID"
    CAP_PID=
}

# Ask the group's telemetry socket for one command; the python code given
# reads its reply as r and prints what the demo shows.
telemetry() {
    $PY - "$PREFIX" "$1" "$2" <<'PYEOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect('/var/run/dpdk/%s/dpdk_telemetry.v2' % sys.argv[1])
s.recv(4096)
s.send(sys.argv[2].encode())
r = json.loads(s.recv(65536).decode())[sys.argv[2]]
exec(sys.argv[3])
PYEOF
}

# /mpsupport/capture: packets each process's capture callbacks saw, by pid
capture_seen() {
    telemetry /mpsupport/capture "
for pid, n in sorted(r.get('seen', {}).items()):
    print('  pid %s: %d packets seen' % (pid, n))"
}

# /l2fwd_fork/workers: the parked standby of worker 0, or nothing
standby_of_worker0() {
    telemetry /l2fwd_fork/workers "
if r['0']['standby_state'] == 'parked':
    print(r['0']['standby_pid'])"
}

# /mpsupport/capture: the packets every process's capture saw, in all
capture_total() {
    telemetry /mpsupport/capture "
print(sum(r.get('seen', {}).values()))"
}

cleanup() {
    stop_capture
    [ -z "$PID" ] || stop_pid "$PID"
    rm -f /dev/hugepages/"$PREFIX"*
    rm -rf /var/run/dpdk/"$PREFIX"
    rm -f "$LOG"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

show_workers() {
    ps -o pid,ppid,psr,ni,stat,comm -p "$PID" --ppid "$PID"
}

[ -x "$APP" ] || { echo "error: $APP is not built" >&2; exit 1; }

say "dpdk-l2fwd_fork: main on lcore 0, workers forked on lcores 1 and 2 (2 CPUs)," \
    "a parked standby for each"
set -- --no-pci --file-prefix "$PREFIX" --lcores '0@0,1@1,2@0' -m 256 \
    --log-level lib.eal:notice --vdev net_null0 --vdev net_null1 -- -p 3 -T 1 --standby
echo "$APP $*"
"$APP" "$@" >"$LOG" 2>&1 &
PID=$!
wait_for "$LOG" 'worker 0 .* forwarding' 30 "$PID" || exit 1
wait_for "$LOG" 'worker 1 .* forwarding' 30 "$PID" || exit 1
grep -E 'MAC address|receives on|started|forwarding' "$LOG"
i=0
STANDBY=$(standby_of_worker0)
while [ -z "$STANDBY" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
    STANDBY=$(standby_of_worker0)
done
if [ -z "$STANDBY" ]; then
    say "WARNING: --standby, but worker 0 has no parked standby after 10 s:" \
        "its recovery will fork"
fi
say "the standbys sleep in a futex wait (state S), the workers poll (state R)"
show_workers

sleep 2
say "statistics (printed every second by the main process)"
grep -nE '^Total packets (sent|received)' "$LOG" | tail -n 2

DUMPCAP=$(command -v dpdk-dumpcap || true)
if [ -n "$DUMPCAP" ]; then
    say "dpdk-dumpcap captures port 0 (received by worker 0, sent by worker 1)"
    echo "dpdk-dumpcap --file-prefix=$PREFIX -i net_null0 -s 96 -q -w /dev/null"
    "$DUMPCAP" --file-prefix="$PREFIX" -i net_null0 -s 96 -q -w /dev/null >/dev/null 2>&1 &
    CAP_PID=$!
    i=0
    while [ "$(capture_total 2>/dev/null || echo 0)" = 0 ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    capture_seen
fi

VICTIM=$(sed -n 's/.*worker 0 (lcore 1) started, pid \([0-9]*\).*/\1/p' "$LOG" | tail -n 1)
say "kill -9 $VICTIM (worker 0)"
T_KILL=$($PY -c 'import os, sys, time
t = time.monotonic_ns()
os.kill(int(sys.argv[1]), 9)
print(t)' "$VICTIM") || exit 1
wait_for "$LOG" "pid $VICTIM killed by signal 9" 10 "$PID" || exit 1
# the replacement of worker 0 and its first forwarded packet
wait_for "$LOG" "worker 0 \(lcore 1\) started, pid ([0-9]+)" 10 "$PID" || exit 1
NEW=$(sed -n 's/.*worker 0 (lcore 1) started, pid \([0-9]*\).*/\1/p' "$LOG" | tail -n 1)
wait_for "$LOG" "pid $NEW forwarding" 10 "$PID" || exit 1
sed -n "/pid $VICTIM killed/,\$p" "$LOG" |
    grep -E 'killed|exited|stopped and reset|started|forwarding'
FIRST=$(sed -n "s/.*pid $NEW forwarding: first packet at \([0-9]*\) ns.*/\1/p" "$LOG")
say "worker 0 is back as pid $NEW: kill -9 to its first forwarded packet took" \
    "$($PY -c 'import sys; print("%.1f ms" % ((int(sys.argv[2]) - int(sys.argv[1])) / 1e6))' \
    "$T_KILL" "$FIRST")"
# the main says which: "(standby woken at ...)" or "(launched at ...)"
if grep -qE "worker 0 \(lcore 1\) started, pid $NEW \(standby woken at" "$LOG"; then
    say "pid $NEW was worker 0's standby: woken, not forked"
else
    # the demo runs --standby to show a recovery without a fork: say it did not
    say "WARNING: --standby, but worker 0's replacement pid $NEW was forked, not" \
        "woken (its standby was ${STANDBY:-not parked}): this recovery paid for a fork"
fi
i=0
while [ -z "$(standby_of_worker0)" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
say "new standbys were forked once the pair forwarded again"
show_workers

sleep 2
say "statistics after the recovery: the counters keep growing"
grep -nE '^Total packets (sent|received)' "$LOG" | tail -n 2
if [ -n "$CAP_PID" ]; then
    say "the capture went on: worker 0's new instance (pid $NEW) captures too"
    capture_seen
    total=$(capture_total)
    stop_capture
    say "dpdk-dumpcap stopped: the capture callbacks saw $total packets" \
        "(dumpcap wrote them to /dev/null)"
fi

say "Ctrl-C: the main stops the workers over their command rings, then audits"
kill -INT "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
wait "$PID"
RC=$?
PID=
grep -E 'audit|pool check|Bye' "$LOG"
if [ $RC -ne 0 ]; then
    say "dpdk-l2fwd_fork exited with $RC"
    exit 1
fi
if grep -qE 'unaccounted 0 surplus 0; lcore ids leaked 0' "$LOG" &&
    grep -qE ', 0 duplicates' "$LOG"; then
    say "done: nothing lost"
else
    # the demo shows the audit; the tests (mp-tests, stress-tests) judge it
    say "done; WARNING: the audit above found lost or doubly freed mbufs"
fi
