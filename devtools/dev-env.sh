#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
#
# The contributor's environment: usertools/pack-env.sh (install, hugepages,
# clean-up, build) plus the Debian packages that running every test, the
# checks of devtools/ and the guides' build need. Source it; do not run it.

. "$(dirname "$0")/../usertools/pack-env.sh"

PACK_PACKAGES="$PACK_PACKAGES clang
    libcmocka-dev libbenchmark-dev dpdk-doc
    python3-pytest python3-pyelftools
    python3-sphinx python3-sphinx-rtd-theme doxygen
    codespell clang-format dpkg-dev debootstrap"

# A compiler cache, so that the builds of a fresh clone are mostly cache
# hits. The build directories live in the checkout: the paths meson passes
# are then relative to it, the same in every clone. Meson uses ccache by
# itself when CC is unset; with_ccache prefixes a compiler set by hand.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/dpdk-mp-pack/ccache}"
export CCACHE_BASEDIR="$PACK_DIR"
export CCACHE_NOHASHDIR=true
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-4G}"
PACK_PACKAGES="$PACK_PACKAGES ccache"

with_ccache() { # with_ccache <compiler>: the compiler, through ccache if present
    if command -v ccache >/dev/null 2>&1; then
        echo "ccache $1"
    else
        echo "$1"
    fi
}
