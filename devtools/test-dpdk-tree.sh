#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# Build the pack with a real DPDK source tree, the release Debian ships
# (apt-get source dpdk), in the three ways a user can, and run end-to-end
# smoke tests on what each way builds:
#   beside      DPDK built on its own; the pack built against that build
#               tree through PKG_CONFIG_PATH=<dpdk build>/meson-uninstalled
#   inside      lib/mpsupport and examples/multi_process/* copied into the
#               DPDK tree (devtools/dpdk-tree/add-to-dpdk.sh) and built by
#               DPDK's own meson with -Dexamples=multi_process/...
#   subproject  no installed libdpdk: DPDK built as a Meson subproject of
#               the pack (subprojects/dpdk, a copy of the same source: a
#               symbolic link is not enough, DPDK 22.11's list-dir-globs.py
#               then mis-names the directories that enable_drivers, disable_libs
#               and disable_apps select)
# The pack is built without its tests (-Dtests=false) each way: they build
# against the same DPDK release in the main build already. The source and
# DPDK's builds are cached under $DPDK_TREE_CACHE; the pack's builds are in
# the checkout (build-tree-*), their objects in ccache: a repeat run, from a
# fresh clone too, compiles only what changed. Each step prints its time.
#
# Usage: devtools/test-dpdk-tree.sh [beside] [inside] [subproject]
#   (no argument: all three)
# Environment:
#   DPDK_TREE_CACHE  cache directory (default ~/.cache/dpdk-mp-pack)
#   DPDK_TREE_SRC    another DPDK source tree to use instead of Debian's
#                    (a checkout of 25.11 or of main, say); its builds are
#                    cached apart, under tree-<checksum of its path>
#   DPDK_TREE_TESTS  "smoke" (default): a simple_mp exchange and one l2fwd_fork
#                    recovery on each build; "full": every mp-tests file
#   DPDK_TREE_JOBS   ninja jobs (default 2)

set -eu
. "$(dirname "$0")/dev-env.sh"

CACHE=${DPDK_TREE_CACHE:-$HOME/.cache/dpdk-mp-pack}
TREE_SRC=${DPDK_TREE_SRC:-}
if [ -n "$TREE_SRC" ]; then
    TREE_SRC=$(cd "$TREE_SRC" && pwd) || exit 1
    CACHE=$CACHE/tree-$(printf '%s' "$TREE_SRC" | cksum | cut -d' ' -f1)
fi
TESTS=${DPDK_TREE_TESTS:-smoke}
JOBS=${DPDK_TREE_JOBS:-2}
E2E=$PACK_DIR/app/test/e2e
# The pack's build directories live in the checkout, so that ccache finds
# the same relative paths in every clone (devtools/dev-env.sh).
PACK_BUILD=$PACK_DIR/build-tree
[ -n "$TREE_SRC" ] && PACK_BUILD=$PACK_BUILD-${CACHE##*/tree-}
PY3=/usr/bin/python3

# A minimal DPDK: the drivers the pack's tests use (net/tap needs gso) and
# none of the optional libraries the pack does not use; no apps, no tests.
# platform=generic builds for the same CPU baseline as Debian's packages.
DPDK_DRIVERS=bus/vdev,net/null,net/ring,net/memif,net/pcap,net/tap,mempool/ring
DPDK_NO_LIBS=bitratestats,cfgfile,flow_classify,gpudev,gro,jobstats,kni,latencystats
DPDK_NO_LIBS=$DPDK_NO_LIBS,node,pipeline,port,power,table,vhost
DPDK_OPTS="-Ddefault_library=shared -Dplatform=generic -Dbuildtype=release
    -Dwerror=true -Dtests=false -Ddisable_apps=* -Denable_docs=false
    -Denable_drivers=$DPDK_DRIVERS -Ddisable_libs=$DPDK_NO_LIBS"

STEP_T0=0
TIMES=""
FAILED=""

step_begin() {
    say "$1"
    STEP_NAME=$1
    STEP_T0=$(date +%s)
}

step_end() {
    t=$(($(date +%s) - STEP_T0))
    say "$STEP_NAME: ${t}s"
    TIMES="$TIMES
  $(printf '%-44s %5ss' "$STEP_NAME" "$t")"
}

fail() {
    say "FAIL: $*"
    FAILED="$FAILED
  $*"
}

# Run ninja niced, keeping the log; show its tail on failure.
build() {
    log=$1
    shift
    if nice -n 19 ninja -j "$JOBS" "$@" >"$log" 2>&1; then
        tail -n 1 "$log"
        return 0
    fi
    tail -n 40 "$log"
    return 1
}

# (Re)configure meson build dir $1 for source $2 with options $3...: wiped
# when the source, its version or the options differ from the last set-up.
setup() {
    dir=$1
    src=$2
    shift 2
    set -f
    # shellcheck disable=SC2048,SC2086
    stamp="$src $(cat "$src/VERSION") $*"
    if [ "$(cat "$dir/.dpdk-tree-stamp" 2>/dev/null)" = "$stamp" ] &&
       [ -f "$dir/build.ninja" ]; then
        set +f
        return 0
    fi
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    echo "meson setup $dir $src $*"
    # shellcheck disable=SC2048,SC2086
    if ! meson setup "$dir" "$src" $* >"$dir.setup.log" 2>&1; then
        set +f
        tail -n 30 "$dir.setup.log"
        return 1
    fi
    set +f
    echo "$stamp" >"$dir/.dpdk-tree-stamp"
}

# e2e tests on the binaries in build dir $1 (examples/dpdk-*), with the
# DPDK drivers of $2 loaded through -d.
run_e2e() {
    bdir=$1
    drivers=$2
    label=$3
    if [ "$TESTS" = full ]; then
        # shellcheck disable=SC2046
        set -- $(cd "$E2E" && ls test_simple_mp.py test_symmetric_mp.py \
                test_client_server_mp.py test_l2fwd_fork.py 2>/dev/null)
    else
        set -- test_simple_mp.py:messages_both_ways test_l2fwd_fork.py:kill_one_worker
    fi
    for t in "$@"; do
        file=${t%%:*}
        kexpr=
        [ "$file" != "$t" ] && kexpr=${t#*:}
        [ -f "$E2E/$file" ] || { fail "$label: no $E2E/$file"; continue; }
        case $file in
        test_client_server_mp.py) bin=dpdk-mp_server ;;
        *) bin=dpdk-$(basename "${file#test_}" .py) ;;
        esac
        [ -x "$bdir/examples/$bin" ] || { fail "$label: $bin was not built in $bdir"; continue; }
        step_begin "$label: e2e $t"
        if MP_PACK_BUILD_DIR=$bdir MP_PACK_SOURCE_DIR=$PACK_DIR \
           MP_PACK_EAL_EXTRA="-d $drivers" \
           timeout 900 $PY3 "$E2E/runpytest.py" "$E2E/$file" ${kexpr:+-k "$kexpr"} \
                >"$bdir/dpdk-tree-$file.log" 2>&1; then
            tail -n 1 "$bdir/dpdk-tree-$file.log"
            # A case that skips is a case not tested (runpytest.py names it).
            grep '^SKIPPED ' "$bdir/dpdk-tree-$file.log" | while read -r _ what; do
                echo "$label: $file: $what"
            done | grep . && fail "$label: $file skipped cases (listed above)"
        else
            rc=$?
            grep -E '^(FAILED|ERROR)|^=+ .* =+$' "$bdir/dpdk-tree-$file.log" | tail -n 20
            if [ $rc -eq 77 ]; then
                fail "$label: $file skipped: $(sed -n 's/^SKIP: //p' "$bdir/dpdk-tree-$file.log")"
            else
                fail "$label: $file (log: $bdir/dpdk-tree-$file.log)"
            fi
        fi
        step_end
    done
    clean_stale_prefixes
}

# The binaries of build dir $1 must take librte_eal from $2.
check_linked_to() {
    for b in "$1"/examples/dpdk-*; do
        [ -x "$b" ] && [ -f "$b" ] || continue
        eal=$(ldd "$b" | awk '$1 ~ /^librte_eal[.]so/ { print $3 }')
        if [ "$(dirname "$(readlink -f "$eal")")" != "$(readlink -f "$2")" ]; then
            fail "$b takes librte_eal from '$eal', not from $2"
        else
            echo "$(basename "$b") runs on $(readlink -f "$eal")"
        fi
        return 0
    done
    fail "no example built in $1"
}

# Add a deb-src entry beside each Debian deb entry, so apt-get source works.
add_deb_src() {
    out=/etc/apt/sources.list.d/debian-src.sources
    if [ -f "$out" ]; then
        as_root apt-get update -qq || die "apt-get update failed"
        return 0
    fi
    say "adding $out"
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && [ "$f" != "$out" ] || continue
        awk 'BEGIN { RS = ""; ORS = "\n\n" }
             /(^|\n)Types:[^\n]*deb([ \n]|$)/ && /(^|\n)URIs:[^\n]*debian/ {
                 sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f"
    done >"$out.new"
    list=/etc/apt/sources.list.d/debian-src.list
    if [ -f /etc/apt/sources.list ]; then
        grep -E '^deb [^#]*debian' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$list" ||
            rm -f "$list"
    fi
    as_root mv "$out.new" "$out"
    as_root apt-get update -qq || die "apt-get update failed"
}

# The DPDK source of the installed release, unpacked in $CACHE/src, or
# the tree given in DPDK_TREE_SRC.
get_source() {
    if [ -n "$TREE_SRC" ]; then
        SRC=$TREE_SRC
        [ -f "$SRC/VERSION" ] && [ -f "$SRC/lib/meson.build" ] ||
            die "$SRC is not a DPDK source tree"
        say "source: DPDK $(cat "$SRC/VERSION") in $SRC"
        return 0
    fi
    debver=$(dpkg-query -W -f '${Version}' libdpdk-dev 2>/dev/null) ||
        die "libdpdk-dev is not installed"
    upver=${debver#*:}
    upver=${upver%-*}
    SRC=$CACHE/src/dpdk-$upver
    step_begin "source: dpdk $debver"
    if [ ! -f "$SRC/VERSION" ]; then
        mkdir -p "$CACHE/src"
        apt-cache showsrc dpdk 2>/dev/null | grep -q "^Version: $debver\$" || add_deb_src
        log=$CACHE/src/apt-get-source.log
        (cd "$CACHE/src" && apt-get source -qq "dpdk=$debver" >"$log" 2>&1) ||
            { tail -n 20 "$log"; die "apt-get source dpdk=$debver failed"; }
    fi
    [ "$(cat "$SRC/VERSION")" = "$upver" ] ||
        die "$SRC/VERSION says $(cat "$SRC/VERSION"), the installed libdpdk is $upver"
    [ "$(pkg-config --modversion libdpdk)" = "$upver" ] ||
        die "pkg-config libdpdk gives $(pkg-config --modversion libdpdk), not $upver"
    echo "DPDK $upver source in $SRC"
    step_end
}

# Examples of the pack that exist in this tree, as a -Dexamples value.
pack_examples() {
    sed -n '/^all_examples = \[/,/^\]/p' "$PACK_DIR/examples/meson.build" |
        sed -n "s/^ *'\([^']*\)'.*/\1/p" | while read -r e; do
            [ -f "$PACK_DIR/examples/$e/meson.build" ] && echo "$e"
        done | paste -sd, -
}

do_beside() {
    B=$CACHE/beside/dpdk-build
    P=$PACK_BUILD-beside
    step_begin "beside: dpdk build"
    # shellcheck disable=SC2086
    setup "$B" "$SRC" $DPDK_OPTS -Dexamples= &&
        build "$B.log" -C "$B" || { fail "beside: dpdk build"; step_end; return; }
    step_end

    step_begin "beside: pack build"
    export PKG_CONFIG_PATH="$B/meson-uninstalled"
    # The stamp holds the source path only: meson reconfigures by itself.
    if setup "$P" "$PACK_DIR" -Ddpdk_fallback=false -Dtests=false &&
       build "$P.log" -C "$P"; then
        check_linked_to "$P" "$B/lib"
    else
        fail "beside: pack build"
    fi
    unset PKG_CONFIG_PATH
    step_end
    run_e2e "$P" "$B/drivers" beside
}

do_inside() {
    D=$CACHE/inside/dpdk
    I=$CACHE/inside/build
    step_begin "inside: copy and patch dpdk tree"
    if [ "$(cat "$D/.dpdk-tree-from" 2>/dev/null)" != "$SRC" ]; then
        rm -rf "$D"
        mkdir -p "$CACHE/inside"
        cp -a "$SRC" "$D"
        echo "$SRC" >"$D/.dpdk-tree-from"
    fi
    "$PACK_DIR/devtools/dpdk-tree/add-to-dpdk.sh" "$D"
    step_end

    step_begin "inside: dpdk build with the pack"
    examples=$(pack_examples)
    # shellcheck disable=SC2086
    if setup "$I" "$D" $DPDK_OPTS &&
       { [ "$(cat "$I/.dpdk-tree-examples" 2>/dev/null)" = "$examples" ] ||
         { echo "meson configure $I -Dexamples=$examples" &&
           meson configure "$I" -Dexamples="$examples" >/dev/null &&
           echo "$examples" >"$I/.dpdk-tree-examples"; }; } &&
       build "$I.log" -C "$I"; then
        check_linked_to "$I" "$I/lib"
    else
        fail "inside: dpdk build with the pack"
        step_end
        return
    fi
    step_end

    # What DPDK's developer mode checks on every library: the version map's
    # form, and experimental symbols flagged __rte_experimental. DPDK 25.07
    # and later make the map in the build, from the marks in the sources.
    step_begin "inside: check-symbols"
    for l in $(sed -n "s/^ *'\([^']*\)', # added by dpdk-mp-pack/\1/p" "$D/lib/meson.build"); do
        map=$D/lib/$l/version.map
        [ -f "$map" ] || map=$I/lib/${l}_exports.map
        if (cd "$D" && sh buildtools/check-symbols.sh "$map" "$I/lib/librte_$l.a"); then
            echo "lib/$l: $(basename "$map") and experimental symbols OK"
        else
            fail "inside: check-symbols on lib/$l"
        fi
    done
    step_end
    run_e2e "$I" "$I/drivers" inside
}

# A pkg-config directory with every .pc file of the system but DPDK's.
no_dpdk_pc_dir() {
    d=$CACHE/subproject/pkgconfig-without-dpdk
    rm -rf "$d"
    mkdir -p "$d"
    for p in $(pkg-config --variable pc_path pkg-config | tr ':' ' '); do
        for f in "$p"/*.pc; do
            [ -f "$f" ] || continue
            case $(basename "$f") in
            libdpdk*.pc|librte*.pc) ;;
            *) [ -e "$d/$(basename "$f")" ] || ln -s "$f" "$d/" ;;
            esac
        done
    done
    echo "$d"
}

# Is directory $1, or one above it, writable by all?
under_world_writable() {
    d=$1
    while [ "$d" != / ]; do
        [ -n "$(find "$d" -maxdepth 0 -perm -o+w)" ] && return 0
        d=$(dirname "$d")
    done
    return 1
}

do_subproject() {
    P=$PACK_BUILD-subproject
    # The EAL loads no plugin from under a world-writable directory (/tmp,
    # say): there, the drivers the tests load are built in the cache, and
    # ccache cannot help (the paths differ from clone to clone).
    if under_world_writable "$PACK_DIR"; then
        P=$CACHE/subproject/build
    fi
    step_begin "subproject: pack and dpdk build"
    S=$PACK_DIR/subprojects/dpdk
    if [ -L "$S" ] || [ ! -e "$S" ]; then
        rm -f "$S"
        mkdir -p "$PACK_DIR/subprojects"
        cp -a "$SRC" "$S"
        echo "subprojects/dpdk: copy of $SRC"
    elif [ -f "$S/VERSION" ]; then
        echo "subprojects/dpdk: DPDK $(cat "$S/VERSION"), used as it is"
    else
        fail "subproject: $S is not a DPDK source tree"
        step_end
        return
    fi
    pcdir=$(no_dpdk_pc_dir)
    if PKG_CONFIG_LIBDIR=$pcdir pkg-config --exists libdpdk; then
        fail "subproject: libdpdk still visible through $pcdir"
    fi
    # shellcheck disable=SC2086
    if (unset PKG_CONFIG_PATH; export PKG_CONFIG_LIBDIR="$pcdir" &&
        setup "$P" "$PACK_DIR" -Dtests=false &&
        build "$P.log" -C "$P"); then
        check_linked_to "$P" "$P/subprojects/dpdk/lib"
    else
        fail "subproject: pack and dpdk build"
        step_end
        return
    fi
    step_end
    run_e2e "$P" "$P/subprojects/dpdk/drivers" subproject
}

ways=${*:-beside inside subproject}
for w in $ways; do
    case $w in
    beside|inside|subproject) ;;
    *) die "unknown way '$w' (beside, inside, subproject)" ;;
    esac
done

T0=$(date +%s)
mkdir -p "$CACHE"
# One run at a time per cache.
exec 9>"$CACHE/lock"
flock 9
# The pack builds older versions of this script kept there, one per checkout.
find "$CACHE/beside" "$CACHE/subproject" -mindepth 1 -maxdepth 1 -name 'pack-*' \
    -exec rm -rf {} + 2>/dev/null || true
install_packages
reserve_hugepages || die "the e2e tests need at least 64 free 2 MB hugepages"
clean_stale_prefixes
export PATH="/usr/bin:$PATH"
get_source
for w in $ways; do
    "do_$w"
done

say "times (cache: $CACHE):$TIMES"
say "total: $(($(date +%s) - T0))s"
if [ -n "$FAILED" ]; then
    say "failed:$FAILED"
    exit 1
fi
say "dpdk tree: $ways passed"
