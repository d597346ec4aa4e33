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
    python3-sphinx python3-sphinx-rtd-theme
    codespell clang-format dpkg-dev debootstrap"
