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
# Strict (in CI, or once hugepages are reserved): a test that skips for a
# reason not listed in devtools/allowed-skips.txt fails the run.
strict=
if reserve_hugepages || [ "${CI:-}" = true ]; then
    strict=--strict
fi
clean_stale_prefixes

# Meson's test log, read by one script (devtools/testlog.py --help).
testlog() {
    /usr/bin/python3 "$PACK_DIR/devtools/testlog.py" "$@"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# With the kill points compiled in: their tests fail on a build without them.
say "building with gcc in $BUILD_DIR"
build_pack -Dkill_points=true

# Every suite, the benchmarks included (they print figures and fail only
# when they cannot run). Two at a time: this is what 2 CPUs hold.
say "running the test suites"
meson test -C "$BUILD_DIR" --num-processes 2 --print-errorlogs "$@"
rc=$?
# One line per test in $results, tab-separated: pass|fail|skip, name, what
# happened (devtools/testlog.py results).
collect() { # collect <testlog.json> <label prefix>
    testlog results $strict "$1" "$2" >>"$results"
}
tab=$(printf '\t')
collect "$BUILD_DIR/meson-logs/testlog.json" ""
cp "$BUILD_DIR/meson-logs/testlog.json" "$BUILD_DIR/meson-logs/testlog-first.json"
# A run that failed without a failing test (a build error, say) still fails.
if [ "$rc" -ne 0 ] && ! grep -q '^fail' "$results"; then
    printf 'fail\tmeson-test/run\tFAIL\n' >>"$results"
fi

# A multi-process test that failed is run once more, alone, to tell a race
# that needs load from a plain failure. Either way it fails the run: the
# rerun is a diagnosis, never a pass.
retry=$(testlog retry "$results")
if [ -n "$retry" ] && [ "$#" -eq 0 ]; then
    say "running again, alone, to diagnose: $(echo $retry)"
    # shellcheck disable=SC2086
    meson test -C "$BUILD_DIR" --num-processes 1 --print-errorlogs $retry
    testlog rerun "$results" "$BUILD_DIR/meson-logs/testlog.json" >"$results.new" &&
        mv "$results.new" "$results"
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
        printf 'fail\tbuild/cmocka-framework\tFAIL\n' >>"$results"
    fi
fi

# The same tree must build -Werror clean with clang, the fuzz targets included.
if [ "$#" -eq 0 ]; then
    say "building with clang in $BUILD_DIR-clang"
    CC=$(with_ccache clang) CXX=$(with_ccache clang++)
    export CC CXX
    if meson setup --wipe "$BUILD_DIR-clang" "$PACK_DIR" -Dfuzz=true >/dev/null 2>&1 ||
       meson setup "$BUILD_DIR-clang" "$PACK_DIR" -Dfuzz=true >/dev/null; then
        if nice ninja -C "$BUILD_DIR-clang" >"$BUILD_DIR-clang.log" 2>&1; then
            printf 'pass\tbuild/clang-werror\tOK\n' >>"$results"
            # The libFuzzer targets (built here with -Dfuzz=true): a few
            # seconds each on their seed corpus (FUZZ_SECONDS, default 2).
            meson test -C "$BUILD_DIR-clang" --suite fuzz-smoke --print-errorlogs \
                >"$BUILD_DIR-clang-fuzz.log" 2>&1
            grep -h 'executions in' "$BUILD_DIR-clang/meson-logs/testlog.txt"
            collect "$BUILD_DIR-clang/meson-logs/testlog.json" "clang:"
        else
            tail -40 "$BUILD_DIR-clang.log"
            printf 'fail\tbuild/clang-werror\tFAIL\n' >>"$results"
        fi
    else
        printf 'fail\tbuild/clang-werror\tFAIL\n' >>"$results"
    fi
    unset CC CXX
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
show() { # show <kind>: name and what happened, one per line
    awk -F"$tab" -v k="$1" '$1 == k { print "  " $2 " " $3 }' "$results"
}
[ "$failed" -gt 0 ] && { echo "Failed:"; show fail; }
[ "$skipped" -gt 0 ] && { echo "Skipped:"; show skip; }
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
