#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# A Debian system of another release, with that release's DPDK packages,
# to build and test the pack in: Debian trixie has DPDK 24.11 LTS, sid
# 25.11 LTS. Made once with debootstrap and cached; each run bind-mounts
# /proc, /sys, /dev, /dev/hugepages and the directories the command needs
# (at the same paths as outside), runs the command as root in the chroot,
# and unmounts everything again however the command ends.
#
# Usage: devtools/dpdk-chroot.sh [-m DIR]... SUITE [COMMAND [ARG]...]
#   SUITE    a Debian suite: trixie, sid, ...
#   -m DIR   also bind-mount DIR (the pack's directory always is)
#   COMMAND  what to run inside (default: print the DPDK version there)
# Environment:
#   DPDK_CHROOT_CACHE  where the chroots live (default
#                      ~/.cache/dpdk-mp-pack/chroot)
#   DPDK_CHROOT_MIRROR Debian mirror (default: the one apt uses here)

set -eu
. "$(dirname "$0")/dev-env.sh"

CACHE=${DPDK_CHROOT_CACHE:-$HOME/.cache/dpdk-mp-pack/chroot}
# What the pack needs inside: DPDK, both compilers, the unit test
# frameworks, what the end-to-end tests run, and a compiler cache.
CHROOT_PACKAGES="libdpdk-dev dpdk dpdk-dev meson ninja-build pkg-config g++ clang
    libgtest-dev libcmocka-dev libbsd-dev libpcap-dev
    python3 python3-pytest python3-pexpect python3-pyelftools
    procps psmisc iproute2 ccache"

mounts=""
while [ $# -gt 0 ]; do
    case $1 in
    -m) mounts="$mounts $(cd "$2" && pwd)" || die "no directory $2"; shift 2 ;;
    -h|--help) sed -n '3,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || die "usage: $0 [-m DIR]... SUITE [COMMAND [ARG]...]"
SUITE=$1
shift
ROOT=$CACHE/$SUITE
STAMP="$SUITE $(echo $CHROOT_PACKAGES)"

mirror() {
    [ -n "${DPDK_CHROOT_MIRROR:-}" ] && { echo "$DPDK_CHROOT_MIRROR"; return; }
    m=$(sed -n 's/^URIs: *\(http[^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/*.sources \
        2>/dev/null | head -n 1)
    [ -n "$m" ] || m=$(sed -n 's/^deb \(http[^ ]*debian\/*\) .*/\1/p' /etc/apt/sources.list \
        2>/dev/null | head -n 1)
    echo "${m:-http://deb.debian.org/debian}"
}

# Made in a fresh directory and moved into place when complete, so an
# interrupted run leaves nothing that looks finished. A chroot of the same
# suite made with other packages gets them later, in add_packages.
make_chroot() {
    case $(cat "$ROOT/.dpdk-chroot-stamp" 2>/dev/null) in
    "$SUITE "*) return 0 ;;
    esac
    new=$ROOT.new
    rm -rf --one-file-system "$new"
    mkdir -p "$CACHE"
    say "debootstrap $SUITE into $ROOT ($(mirror))"
    t0=$(date +%s)
    if ! debootstrap --variant=minbase --include="$(echo $CHROOT_PACKAGES | tr ' ' ',')" \
            "$SUITE" "$new" "$(mirror)" >"$new.log" 2>&1; then
        tail -n 20 "$new.log"
        die "debootstrap $SUITE failed (log: $new.log)"
    fi
    echo "$STAMP" >"$new/.dpdk-chroot-stamp"
    rm -rf --one-file-system "$ROOT"
    mv "$new" "$ROOT"
    mv "$new.log" "$ROOT.log"
    say "chroot $SUITE ready in $(($(date +%s) - t0))s"
}

MOUNTED=""

unmount_all() {
    # In reverse order: /dev/hugepages before /dev.
    for m in $MOUNTED; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null ||
            echo "warning: cannot unmount $m" >&2
    done
    MOUNTED=""
}

# Mounts under the chroot that a run killed before its clean-up left
# behind (the lock is held: no other run uses them), deepest first.
unmount_stale() {
    awk -v root="$1/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo |
        sort -r | while read -r m; do
            umount "$m" 2>/dev/null || umount -l "$m" ||
                die "cannot unmount $m, left by an earlier run"
        done
}

bind() {
    [ -e "$1" ] || return 0
    mkdir -p "$ROOT$1"
    mount --bind "$1" "$ROOT$1" || die "cannot bind-mount $1 into $ROOT"
    MOUNTED="$ROOT$1 $MOUNTED"
}

# The command runs in the directory it was started from when that is
# mounted inside (else in /), without the lock's descriptor, so that a
# process it leaves behind cannot hold the lock.
in_chroot() {
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive \
        /bin/sh -c 'cd "$1" 2>/dev/null || cd /; shift; exec "$@"' sh "$PWD" "$@" 8>&-
}

# A chroot made for an older list of packages gets the missing ones.
add_packages() {
    [ "$(cat "$ROOT/.dpdk-chroot-stamp")" = "$STAMP" ] && return 0
    say "installing the packages $SUITE lacks"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    # The archive's snapshot may be older than a suite's Valid-Until.
    # shellcheck disable=SC2086
    in_chroot sh -c "apt-get -o Acquire::Check-Valid-Until=false update -qq &&
        apt-get install -y -qq --no-install-recommends \
        $(echo $CHROOT_PACKAGES)" >"$ROOT.log.add" 2>&1 ||
        { tail -n 20 "$ROOT.log.add"; die "apt-get install in $ROOT failed"; }
    echo "$STAMP" >"$ROOT/.dpdk-chroot-stamp"
}

install_packages
mkdir -p "$CACHE"
exec 8>"$CACHE/$SUITE.lock"
flock -w 3600 8 || die "another run has held $CACHE/$SUITE.lock for an hour"
unmount_stale "$ROOT"
unmount_stale "$ROOT.new"
make_chroot

trap 'unmount_all' EXIT
trap 'unmount_all; exit 129' HUP
trap 'unmount_all; exit 130' INT
trap 'unmount_all; exit 143' TERM
for d in /proc /sys /dev /dev/pts /dev/shm /dev/hugepages "$PACK_DIR" $mounts; do
    bind "$d"
done
add_packages
[ $# -gt 0 ] || set -- sh -c 'pkg-config --modversion libdpdk'
rc=0
in_chroot "$@" || rc=$?
unmount_all
exit $rc
