#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# Helpers of the demo scripts. Source it; do not run it.

say() {
    printf '%s\n' "-- $*"
}

# stop_pid PID: SIGINT, then SIGKILL after 5 s; reaps it when it is a child.
stop_pid() {
    kill -INT "$1" 2>/dev/null || return 0
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

# wait_for LOG REGEX SECONDS [PID]: until LOG has a line matching REGEX;
# gives up after SECONDS, or as soon as process PID (if given) is gone.
wait_for() {
    i=0
    while ! grep -qE "$2" "$1"; do
        if [ $i -ge $(($3 * 10)) ] || { [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; }; then
            say "timed out waiting for: $2"
            tail -n 20 "$1"
            return 1
        fi
        sleep 0.1
        i=$((i + 1))
    done
}
