# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""pytest fixtures for the end-to-end tests."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import mpharness  # noqa: E402


@pytest.fixture(scope='session', autouse=True)
def _hugepages():
    why = mpharness.hugepages_problem()
    if why:
        pytest.skip('hugepages unavailable: ' + why)


@pytest.fixture
def mp(request):
    """A fresh process group (unique --file-prefix), torn down after the test."""
    g = mpharness.Group(request.node.name)
    try:
        yield g
    finally:
        g.close()


@pytest.fixture
def app_binary():
    def get(name):
        path = mpharness.binary(name)
        if not os.access(path, os.X_OK):
            pytest.fail('%s is not built' % path)
        return path
    return get
