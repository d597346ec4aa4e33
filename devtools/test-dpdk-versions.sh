#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# Build and test the pack against the DPDK of other Debian releases, each
# in a chroot made by devtools/dpdk-chroot.sh: trixie (DPDK 24.11 LTS) and
# sid (DPDK 25.11 LTS). In each: a -Werror build with gcc and one with
# clang, the fast-tests suite, and end-to-end smoke tests (a simple_mp
# exchange, client/server conservation, an l2fwd_fork kill -9 whose exit
# audit must show nothing lost). Each step prints its time.
#
# Usage: devtools/test-dpdk-versions.sh [SUITE]...   (default: trixie sid)
# Environment:
#   DPDK_VERSIONS_CACHE  the compiler cache each chroot uses (default
#                        ~/.cache/dpdk-mp-pack/versions)
#   DPDK_VERSIONS_TESTS  "smoke" (default) or "full": every mp-tests file

set -eu
. "$(dirname "$0")/dev-env.sh"

CACHE=${DPDK_VERSIONS_CACHE:-$HOME/.cache/dpdk-mp-pack/versions}
TESTS=${DPDK_VERSIONS_TESTS:-smoke}
# FILE[:pytest -k expression, with + for a space]
SMOKE="test_simple_mp.py:messages_both_ways
    test_client_server_mp.py:conservation+and+2
    test_l2fwd_fork.py:kill_one_worker"
FULL="test_simple_mp.py test_symmetric_mp.py test_client_server_mp.py test_l2fwd_fork.py"

TIMES=""
FAILED=""

timed() { # timed LABEL COMMAND...: run, note its time, note a failure
    label=$1
    shift
    say "$label"
    t0=$(date +%s)
    if "$@"; then
        result=ok
    else
        result=FAILED
        FAILED="$FAILED
  $label"
    fi
    t=$(($(date +%s) - t0))
    say "$label: $result, ${t}s"
    TIMES="$TIMES
  $(printf '%-40s %-6s %5ss' "$label" "$result" "$t")"
    [ "$result" = ok ]
}

# Inside the chroot: configure (once) and build directory $1 with the
# compiler pair $2/$3; the log goes beside it.
in_build() {
    dir=$1
    if [ ! -f "$dir/build.ninja" ]; then
        rm -rf "$dir"
        CC=$(with_ccache "$2") CXX=$(with_ccache "$3") \
            meson setup "$dir" "$PACK_DIR" -Ddpdk_fallback=false \
            >"$dir.setup.log" 2>&1 || { tail -n 30 "$dir.setup.log"; return 1; }
    fi
    if ! nice ninja -C "$dir" >"$dir.log" 2>&1; then
        grep -E 'error|FAILED' "$dir.log" | head -n 30
        return 1
    fi
    echo "$(basename "$dir"): built against DPDK $(pkg-config --modversion libdpdk)"
}

in_e2e() {
    dir=$1
    spec=$2
    file=${spec%%:*}
    kexpr=
    [ "$file" != "$spec" ] && kexpr=${spec#*:}
    log=$dir/versions-${file%.py}.log
    if MP_PACK_BUILD_DIR=$dir MP_PACK_SOURCE_DIR=$PACK_DIR \
       timeout 900 /usr/bin/python3 "$PACK_DIR/app/test/e2e/runpytest.py" \
           "$PACK_DIR/app/test/e2e/$file" ${kexpr:+-k "$kexpr"} >"$log" 2>&1; then
        tail -n 1 "$log"
        return 0
    fi
    grep -E '^(FAILED|ERROR)|^E |^=+ .* =+$' "$log" | tail -n 30
    echo "(log: $log)"
    return 1
}

# The part that runs in the chroot: $1 is the suite, for the labels.
inside() {
    suite=$1
    # In the checkout, so that ccache finds the same relative paths in
    # every clone; the cache itself is the chroot's own, under $CACHE.
    B=$PACK_DIR/build-$suite
    export CCACHE_DIR=$CACHE/ccache-$suite
    mkdir -p "$B" "$CACHE/$suite"
    v=$(pkg-config --modversion libdpdk)
    if ! timed "$suite ($v): build gcc" in_build "$B" gcc g++; then
        echo "$TIMES" >"$CACHE/$suite/times"
        return 1
    fi
    timed "$suite ($v): build clang" in_build "$B-clang" clang clang++ || true
    timed "$suite ($v): fast-tests" meson test -C "$B" --suite fast-tests --num-processes 2 \
        --print-errorlogs --no-rebuild || true
    if [ "$TESTS" = full ]; then
        set -- $FULL
    else
        set -- $SMOKE
    fi
    for spec in "$@"; do
        spec=$(echo "$spec" | tr '+' ' ')
        timed "$suite ($v): e2e $spec" in_e2e "$B" "$spec" || true
    done
    echo "$TIMES" >"$CACHE/$suite/times"
    [ -z "$FAILED" ]
}

# Outside: make (or find) the chroot of suite $1, then run inside() there.
run_suite() {
    timed "$1: chroot" "$PACK_DIR/devtools/dpdk-chroot.sh" "$1" || return 0
    rm -f "$CACHE/$1/times"
    if ! "$PACK_DIR/devtools/dpdk-chroot.sh" -m "$CACHE" "$1" \
            /bin/sh "$PACK_DIR/devtools/test-dpdk-versions.sh" --inside "$1" "$CACHE" "$TESTS"; then
        FAILED="$FAILED
  $1: see above"
    fi
    TIMES="$TIMES$(cat "$CACHE/$1/times" 2>/dev/null)"
    clean_stale_prefixes
}

# The chroot's environment is a clean one: the settings come as arguments.
if [ "${1:-}" = --inside ]; then
    CACHE=$3
    TESTS=$4
    inside "$2"
    exit $?
fi

suites=${*:-trixie sid}
T0=$(date +%s)
install_packages
reserve_hugepages || die "the e2e tests need at least 64 free 2 MB hugepages"
clean_stale_prefixes
mkdir -p "$CACHE"
# The builds older versions of this script kept there, one per checkout.
find "$CACHE" -mindepth 2 -maxdepth 2 -name 'pack-*' -exec rm -rf {} + 2>/dev/null || true
for s in $suites; do
    run_suite "$s"
done
say "times:$TIMES"
say "total: $(($(date +%s) - T0))s"
if [ -n "$FAILED" ]; then
    say "failed:$FAILED"
    exit 1
fi
say "DPDK versions: $suites passed"
