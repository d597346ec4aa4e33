#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# Run every test of the pack: install what is missing, reserve hugepages,
# build with gcc (and check that clang builds too), run every Meson suite,
# and end with one line: "N passed, N failed, N skipped".
#
# Usage: devtools/test.sh [meson test options, e.g. --suite fast-tests]

set -u
. "$(dirname "$0")/dev-env.sh"

install_packages
reserve_hugepages
clean_stale_prefixes

# Meson's test log, read by one script (devtools/testlog.py --help).
testlog() {
    /usr/bin/python3 "$PACK_DIR/devtools/testlog.py" "$@"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT

say "building with gcc in $BUILD_DIR"
build_pack

# Every suite, the benchmarks included (they print figures and fail only
# when they cannot run). Two at a time: this is what 2 CPUs hold.
say "running the test suites"
meson test -C "$BUILD_DIR" --num-processes 2 --print-errorlogs "$@"
rc=$?
collect() { # collect <testlog.json> <label prefix>
    testlog results "$1" "$2" >>"$results"
}
collect "$BUILD_DIR/meson-logs/testlog.json" ""
cp "$BUILD_DIR/meson-logs/testlog.json" "$BUILD_DIR/meson-logs/testlog-first.json"
# A run that failed without a failing test (a build error, say) still fails.
if [ "$rc" -ne 0 ] && ! grep -q '^fail' "$results"; then
    echo "fail meson-test/run FAIL" >>"$results"
fi

# Multi-process tests share two CPUs with busy-polling processes; one that
# fails is run once more, alone. A pass on that retry is counted as a pass
# and named as flaky in the summary, so it is never hidden.
retry=$(grep '^fail' "$results" | grep -E ':(mp|stress|dpdk-tree)-tests / ' |
        sed 's/^fail .* \/ \([^ ]*\) [A-Z]*$/\1/')
if [ -n "$retry" ] && [ "$#" -eq 0 ]; then
    say "running again, alone: $(echo $retry)"
    # shellcheck disable=SC2086
    meson test -C "$BUILD_DIR" --num-processes 1 --print-errorlogs $retry
    again=$(mktemp)
    testlog passed "$BUILD_DIR/meson-logs/testlog.json" >"$again"
    while read -r name; do
        [ -n "$name" ] || continue
        grep -vF "fail $name " "$results" >"$results.new"
        echo "pass $name OK (flaky: passed on retry)" >>"$results.new"
        mv "$results.new" "$results"
    done <"$again"
    rm -f "$again"
fi

# The unit tests are written against cmocka's API: they must also build and
# pass on the real libcmocka, not only on the GoogleTest layer.
if [ "$#" -eq 0 ]; then
    say "building and running fast-tests with -Dtest_framework=cmocka in $BUILD_DIR-cmocka"
    cmocka_opts="-Dtest_framework=cmocka -Dexamples="
    # shellcheck disable=SC2086
    if meson setup --wipe "$BUILD_DIR-cmocka" "$PACK_DIR" $cmocka_opts >/dev/null 2>&1 ||
       meson setup "$BUILD_DIR-cmocka" "$PACK_DIR" $cmocka_opts >/dev/null; then
        meson test -C "$BUILD_DIR-cmocka" --suite fast-tests --num-processes 2 --print-errorlogs
        collect "$BUILD_DIR-cmocka/meson-logs/testlog.json" "cmocka:"
    else
        echo "fail build/cmocka-framework FAIL" >>"$results"
    fi
fi

# The same tree must build -Werror clean with clang.
if [ "$#" -eq 0 ]; then
    say "building with clang in $BUILD_DIR-clang"
    if CC=clang CXX=clang++ meson setup --wipe "$BUILD_DIR-clang" "$PACK_DIR" >/dev/null 2>&1 ||
       CC=clang CXX=clang++ meson setup "$BUILD_DIR-clang" "$PACK_DIR" >/dev/null; then
        if nice ninja -C "$BUILD_DIR-clang" >"$BUILD_DIR-clang.log" 2>&1; then
            echo "pass build/clang-werror OK" >>"$results"
        else
            tail -40 "$BUILD_DIR-clang.log"
            echo "fail build/clang-werror FAIL" >>"$results"
        fi
    else
        echo "fail build/clang-werror FAIL" >>"$results"
    fi
fi
clean_stale_prefixes

# The figures the benchmarks and the chaos run printed (whole output in
# $BUILD_DIR/meson-logs/testlog.txt).
if [ "$#" -eq 0 ] && [ -f "$BUILD_DIR/meson-logs/testlog-first.json" ]; then
    say "figures from perf-tests and stress-tests"
    testlog figures "$BUILD_DIR/meson-logs/testlog-first.json"
fi

passed=$(grep -c '^pass' "$results")
failed=$(grep -c '^fail' "$results")
skipped=$(grep -c '^skip' "$results")
[ "$failed" -gt 0 ] && { echo "Failed:"; grep '^fail' "$results" | sed 's/^fail /  /'; }
[ "$skipped" -gt 0 ] && { echo "Skipped:"; grep '^skip' "$results" | sed 's/^skip /  /'; }
grep -q 'flaky' "$results" && { echo "Flaky:"; grep 'flaky' "$results" | sed 's/^pass /  /'; }
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
