# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""The issue's 200 forked secondaries started and stopped in a row, ASLR on
(mp-tests runs the same test with 20)."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import os

os.environ['MP_FORKED_STARTS'] = '200'
from test_forked_mp import test_aslr_many_starts  # noqa: E402,F401
