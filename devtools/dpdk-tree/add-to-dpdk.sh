#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# Drop the pack into a DPDK source tree so that DPDK's own build makes it:
#   1. copy lib/<library> and examples/multi_process/* into the tree
#      (without version.map in a tree that makes its maps from the
#      RTE_EXPORT_*_SYMBOL() marks, as DPDK does since 25.07);
#   2. add the libraries to DPDK's lib/meson.build list and the examples
#      to DPDK's examples/meson.build list;
#   3. let DPDK's library and example loops compile C++: enable the cpp
#      language and hand the same cflags to C++ as to C (DPDK's loops pass
#      them as c_args only; the pack's own loops pass both).
# The pack's meson.build fragments are copied as they are.
# Running it again refreshes the copies and leaves the patched lists alone.
#
# Usage: devtools/dpdk-tree/add-to-dpdk.sh DPDK_SOURCE_DIR

set -eu

DPDK=${1:?usage: $0 DPDK_SOURCE_DIR}
PACK=$(cd "$(dirname "$0")/../.." && pwd)
MARK='# added by dpdk-mp-pack'

[ -f "$DPDK/lib/meson.build" ] && [ -f "$DPDK/examples/meson.build" ] ||
    { echo "error: $DPDK is not a DPDK source tree" >&2; exit 1; }

# The quoted items of a meson list "NAME = [ ... ]" in FILE.
meson_list() {
    sed -n "/^$2 = \[/,/^\]/p" "$1" | sed -n "s/^ *'\([^']*\)'.*/\1/p"
}

# DPDK 25.07 and later export a library's symbols by the
# RTE_EXPORT_*_SYMBOL() marks in its sources and have no version.map; the
# library's own version.map then stays out of the tree.
SKIP=
[ -f "$DPDK/buildtools/gen-version-map.py" ] && SKIP=./version.map

# Make directory $2 a copy of directory $1. Only files whose content
# differs are written, and they get the current time: a file keeping its
# time from the pack could look older than an object built from the
# previous copy, and ninja would not rebuild it.
sync_dir() {
    mkdir -p "$2"
    (cd "$1" && find . -type d) | while read -r d; do
        mkdir -p "$2/$d"
    done
    (cd "$1" && find . -type f) | while read -r f; do
        [ "$f" = "$SKIP" ] && continue
        cmp -s "$1/$f" "$2/$f" || cp "$1/$f" "$2/$f"
    done
    (cd "$2" && find . -type f) | while read -r f; do
        [ -f "$1/$f" ] && [ "$f" != "$SKIP" ] || rm -f "$2/$f"
    done
}

# Insert ITEM into the meson list NAME of FILE, before the closing bracket.
add_to_list() {
    meson_list "$1" "$2" | grep -qx "$3" && return 0
    awk -v name="$2" -v item="$3" -v mark="$MARK" '
        $0 ~ "^" name " = \\[" { inlist = 1 }
        inlist && /^\]/ { printf "        \047%s\047, %s\n", item, mark; inlist = 0 }
        { print }' "$1" >"$1.new"
    mv "$1.new" "$1"
    echo "  $1: added '$3' to $2"
}

# After each "c_args: cflags," line of FILE, pass the same flags to C++,
# and enable C++ before the loop that starts with LOOP.
enable_cpp() {
    grep -q "cpp_args: cflags, $MARK" "$1" && return 0
    awk -v loop="$2" -v mark="$MARK" '
        index($0, loop) == 1 && !done { print "add_languages(\047cpp\047) " mark; done = 1 }
        { print }
        /^ *c_args: cflags,$/ { sub(/c_args: cflags,$/, "cpp_args: cflags, " mark); print }' \
        "$1" >"$1.new"
    mv "$1.new" "$1"
    echo "  $1: C++ enabled, cflags passed as cpp_args"
}

for l in $(meson_list "$PACK/lib/meson.build" libraries); do
    [ -f "$PACK/lib/$l/meson.build" ] || continue
    sync_dir "$PACK/lib/$l" "$DPDK/lib/$l"
    add_to_list "$DPDK/lib/meson.build" libraries "$l"
done
enable_cpp "$DPDK/lib/meson.build" 'foreach l:libraries'

# Ours replace DPDK's examples of the same name, and bring their common/.
for d in "$PACK"/examples/multi_process/*/; do
    d=$(basename "$d")
    sync_dir "$PACK/examples/multi_process/$d" "$DPDK/examples/multi_process/$d"
done
for e in $(meson_list "$PACK/examples/meson.build" all_examples); do
    [ -f "$PACK/examples/$e/meson.build" ] || continue
    add_to_list "$DPDK/examples/meson.build" all_examples "$e"
done
enable_cpp "$DPDK/examples/meson.build" 'foreach example: examples'
