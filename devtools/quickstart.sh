#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# The pack's main job: install what is missing, reserve hugepages, build, and
# run a short live demo of the sample applications on virtual devices (no NIC
# is touched: every process gets --no-pci).

set -u
. "$(dirname "$0")/../usertools/pack-env.sh"

install_packages
reserve_hugepages || true
clean_stale_prefixes
say "building in $BUILD_DIR"
# The demo runs what a user builds: no test hooks (devtools/test.sh adds them).
build_pack -Dtests=true -Dkill_points=false >/dev/null
export MP_PACK_BUILD_DIR="$BUILD_DIR" MP_PACK_SOURCE_DIR="$PACK_DIR"

rc=0
say "demo 1: dpdk-simple_mp, a primary and a secondary sharing rings and a mempool"
/usr/bin/python3 "$PACK_DIR/usertools/demo-simple-mp.py" || rc=1

for demo in demo-client-server.sh demo-l2fwd-fork.sh; do
    [ -x "$PACK_DIR/usertools/$demo" ] || continue
    say "demo: $demo"
    "$PACK_DIR/usertools/$demo" || rc=1
done
clean_stale_prefixes

if [ $rc -eq 0 ]; then
    say "all demos ran; binaries are in $BUILD_DIR/examples, run devtools/test.sh for the tests"
fi
exit $rc
