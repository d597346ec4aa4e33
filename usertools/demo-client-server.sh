#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# Live demo of dpdk-mp_server and dpdk-mp_client on two net_null ports: the
# server (lcore 0 for I/O, lcore 1 for statistics) deals packets to two
# clients; every two seconds the server's latest statistics are shown; half
# way through, client 1 is killed with kill -9, the server frees what was in
# its ring, and client 1 is started again.
# Uses MP_PACK_BUILD_DIR (default: <pack>/build) and DEMO_SECONDS (default
# 10); starts one process group with its own --file-prefix and removes
# everything it created.

set -u
PACK_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$PACK_DIR/usertools/demo-common.sh"
BUILD_DIR=${MP_PACK_BUILD_DIR:-$PACK_DIR/build}
SERVER=$BUILD_DIR/examples/dpdk-mp_server
CLIENT=$BUILD_DIR/examples/dpdk-mp_client
SECONDS_TOTAL=${DEMO_SECONDS:-10}
PREFIX=mpdemo_cs_$$
TMP=$(mktemp -d /tmp/demo-client-server.XXXXXX)
PIDS=""

cleanup() {
    # Clients first, the server (first started) last.
    for p in $(echo "$PIDS" | tr ' ' '\n' | sed '1!G;h;$!d'); do
        stop_pid "$p"
    done
    rm -f /dev/hugepages/"$PREFIX"*
    rm -rf /var/run/dpdk/"$PREFIX" "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The server's latest statistics block.
show_stats() {
    awk '/== mp_server statistics ==/ { n = 0; delete b } { b[n++] = $0 }
         END { for (i = 0; i < n; i++) print b[i] }' "$TMP/server.log" |
        grep -E '^(==|PORTS|CLIENTS|  )'
}

# start_client ID LCORES: start a client in the background, record its pid
start_client() {
    "$CLIENT" --no-pci --file-prefix "$PREFIX" --lcores "$2" --proc-type=secondary \
        --log-level lib.eal:notice -- -n "$1" >"$TMP/client$1.log" 2>&1 &
    eval "CLIENT$1=$!"
    PIDS="$PIDS $!"
    wait_for "$TMP/server.log" "client $1 \\(pid $!\\) joined" 30
}

for b in "$SERVER" "$CLIENT"; do
    [ -x "$b" ] || { echo "error: $b is not built" >&2; exit 1; }
done

say "dpdk-mp_server: I/O on lcore 0, statistics on lcore 1; clients on lcores 2 and 3 (2 CPUs)"
set -- --no-pci --file-prefix "$PREFIX" --lcores '0@0,1@1' -m 256 --log-level lib.eal:notice \
    --vdev net_null0 --vdev net_null1 -- -p 3 -n 2
echo "$SERVER $*"
"$SERVER" "$@" >"$TMP/server.log" 2>&1 &
SPID=$!
PIDS="$SPID"
wait_for "$TMP/server.log" 'client exits seen by' 30 || exit 1
grep 'client exits seen by' "$TMP/server.log"

echo "$CLIENT ... --lcores 2@0 --proc-type=secondary -- -n 0"
start_client 0 '2@0' || exit 1
echo "$CLIENT ... --lcores 3@1 --proc-type=secondary -- -n 1"
start_client 1 '3@1' || exit 1

half=$((SECONDS_TOTAL / 2))
t=0
while [ $t -lt "$SECONDS_TOTAL" ]; do
    sleep 2
    t=$((t + 2))
    say "after ${t} s"
    show_stats
    if [ $t -ge "$half" ] && [ -z "${KILLED:-}" ]; then
        KILLED=$CLIENT1
        say "kill -9 client 1 (pid $KILLED)"
        kill -KILL "$KILLED"
        wait "$KILLED" 2>/dev/null
        wait_for "$TMP/server.log" "client 1 \\(pid $KILLED\\) exited" 10 || exit 1
        grep -E "client 1 \\(pid $KILLED\\) exited" "$TMP/server.log"
        say "start client 1 again"
        start_client 1 '3@1' || exit 1
    fi
    kill -0 "$SPID" 2>/dev/null || { say "the server died"; tail -n 20 "$TMP/server.log"; exit 1; }
done

say "stopping the clients and the server (SIGINT)"
stop_pid "$CLIENT0"
stop_pid "$CLIENT1"
grep -h 'statistics:' "$TMP/client0.log" "$TMP/client1.log"
stop_pid "$SPID"
sed -n '/final statistics/,$p' "$TMP/server.log" | grep -E '^(==|PORTS|CLIENTS|  )'
PIDS=""
say "done"
