#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# The environment the pack runs in, shared by devtools/quickstart.sh and
# (through devtools/dev-env.sh) the contributor's scripts: install what is
# missing, reserve hugepages, remove what dead process groups left behind,
# configure and build. Source it; do not run it.

PACK_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$PACK_DIR/build}
HP_NR=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
HP_WANT=${HP_WANT:-1024}

# Debian packages the pack builds (its tests included) and runs its demo
# with; devtools/dev-env.sh adds those of the tests, checks and guides.
PACK_PACKAGES="g++ meson ninja-build pkg-config
    libdpdk-dev dpdk dpdk-dev libbsd-dev libpcap-dev
    googletest libgtest-dev
    python3 python3-pexpect
    procps psmisc iproute2"

say() {
    printf '%s\n' "== $*"
}

die() {
    printf '%s\n' "error: $*" >&2
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root for: $*"
    fi
}

install_packages() {
    missing=""
    for p in $PACK_PACKAGES; do
        dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    say "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq || die "apt-get update failed"
    # shellcheck disable=SC2086
    as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
        die "apt-get install failed for:$missing"
}

# Multi-process DPDK needs hugepages: a secondary cannot attach with --no-huge.
# Returns non-zero when fewer than 64 can be had.
reserve_hugepages() {
    if ! mountpoint -q /dev/hugepages 2>/dev/null; then
        as_root mkdir -p /dev/hugepages
        as_root mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null ||
            say "WARNING: cannot mount hugetlbfs on /dev/hugepages: multi-process tests will skip"
    fi
    have=$(cat $HP_NR 2>/dev/null || echo 0)
    if [ "$have" -lt "$HP_WANT" ]; then
        echo "$HP_WANT" | as_root tee $HP_NR >/dev/null 2>&1
        have=$(cat $HP_NR 2>/dev/null || echo 0)
    fi
    if [ "$have" -lt 64 ]; then
        say "WARNING: the kernel gave only $have 2 MB hugepages: multi-process tests will skip"
        return 1
    fi
    say "hugepages: $have x 2 MB reserved, $(cat ${HP_NR%nr_hugepages}free_hugepages) free"
}

# A runtime directory changed in the last STALE_AGE seconds may belong to a
# process that is creating it and holds no lock yet.
STALE_AGE=${STALE_AGE:-60}

# Whether dir, or a file in it, changed less than STALE_AGE seconds ago (or
# in the future).
recently_changed() {
    [ -n "$(find "$1" -maxdepth 1 -newermt "@$(($(date +%s) - STALE_AGE))" -print -quit \
        2>/dev/null)" ]
}

# Whether a process holds a lock on a file in dir: a DPDK primary locks its
# config file (fcntl), every process its memory files (flock). Read from
# /proc/locks, which also lists the processes fuser cannot see (another pid
# namespace).
lock_held_in() {
    keys=$(find "$1" -maxdepth 1 -type f -exec stat -c '%Hd %Ld %i' {} + 2>/dev/null |
        while read -r major minor inode; do
            printf '%02x:%02x:%s\n' "$major" "$minor" "$inode"
        done)
    [ -n "$keys" ] || return 1
    printf '%s\n' "$keys" | awk 'NR == FNR { key[$1] = 1; next }
        { for (i = 1; i <= NF; i++) if ($i in key) found = 1 }
        END { exit !found }' - /proc/locks
}

# Remove the hugepage and runtime files of the file prefixes given
# (by default those of the tests and demos) whose processes are gone: the
# EAL leaves them behind even after a clean exit. A prefix is left alone
# while its runtime directory is young, while a file in it is locked, and
# while a process holds its config file open or mapped.
clean_stale_prefixes() {
    if [ $# -eq 0 ]; then
        set -- "mpt*" "mpdemo*"
    fi
    for pat in "$@"; do
        case $pat in
        */*|.*|"") say "clean_stale_prefixes: not a prefix: '$pat'"; continue ;;
        esac
        # shellcheck disable=SC2231
        for d in /var/run/dpdk/$pat; do
            [ -d "$d" ] || continue
            p=$(basename "$d")
            recently_changed "$d" && continue
            lock_held_in "$d" && continue
            fuser "$d/config" >/dev/null 2>&1 && continue
            rm -rf "$d"
            rm -f /dev/hugepages/"$p"map_*
        done
    done
}

build_pack() {
    if [ -f "$BUILD_DIR/build.ninja" ]; then
        meson setup --reconfigure "$BUILD_DIR" "$PACK_DIR" "$@" >/dev/null ||
            die "meson setup failed"
    else
        meson setup "$BUILD_DIR" "$PACK_DIR" "$@" >/dev/null || die "meson setup failed"
    fi
    ninja -C "$BUILD_DIR" || die "build failed"
}
