# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""dpdk-l2fwd_fork --standby: a parked, pre-forked standby per worker takes over.

What each standby is doing is read from /l2fwd_fork/workers in telemetry: its pid, its
state (parked: it reached its futex wait), whether the current instance was one, and how
many standbys were woken, forked and lost while parked. Nothing is timed: each step
waits for what telemetry says.
"""

import os
import signal

import pytest

import l2fwd_fork_helpers as h

FLOAT = [pytest.param(False, id='pinned'), pytest.param(True, id='floating')]


def workers(app):
    return {int(k): w for k, w in app.poll_workers().items() if isinstance(w, dict)}


def wait_parked(app, exclude=()):
    """Wait until every worker has a parked standby whose pid is not in exclude;
    return {worker: standby pid}."""
    found = {}

    def parked():
        found.clear()
        for i, w in workers(app).items():
            if w['standby_state'] == 'parked' and w['standby_pid'] not in exclude:
                found[i] = w['standby_pid']
        return len(found) == app.nworkers
    app.wait_until(parked, 30, 'a parked standby for every worker')
    return dict(found)


def start(mp, floating=False):
    app = h.L2fwdFork(mp, floating=floating, app_args=['--standby'])
    app.wait_all_forwarding()
    return app


@pytest.mark.parametrize('floating', FLOAT)
def test_recovery_wakes_the_standby(mp, floating):
    """A kill -9 of a worker: both workers of the pair continue as their standbys
    (same pids), which forward, and a new standby is parked for each."""
    app = start(mp, floating)
    standby = wait_parked(app)
    before = dict(app.pids)
    app.kill(before[0])
    for w in before:
        assert app.wait_new_instance(w, before[w]) == standby[w], \
            'worker %d runs pid %d, its standby was %d' % (w, app.pids[w], standby[w])
    state = workers(app)
    for w in before:
        assert state[w]['from_standby'] == 1 and state[w]['standby_wakes'] == 1, state[w]
    # replacements are forked once the pair forwards, and park
    wait_parked(app, exclude=standby.values())
    state = workers(app)
    assert all(state[w]['standby_forks'] == 2 and state[w]['standby_lost'] == 0
               for w in before), state
    code, out, diag = app.stop()
    h.assert_clean_exit(code, out, diag)
    assert all(w['restarts'] == 1 for w in workers_of(diag)), diag['workers']


def workers_of(diag):
    return [w for w in diag['workers'].values() if isinstance(w, dict)]


def test_parked_standby_killed_is_replaced_without_recovery(mp):
    """A kill -9 of a parked standby: a new one is forked and parked, the workers run
    on untouched and no recovery is done."""
    app = start(mp)
    standby = wait_parked(app)
    before = dict(app.pids)
    app.kill(standby[0])
    new = wait_parked(app, exclude=[standby[0]])
    assert new[1] == standby[1]
    state = workers(app)
    assert state[0]['standby_lost'] == 1 and state[0]['standby_forks'] == 2, state[0]
    assert state[1]['standby_lost'] == 0 and state[1]['standby_forks'] == 1, state[1]
    assert app.query('/l2fwd_fork/recovery')['recoveries'] == 0
    assert all(state[w]['pid'] == before[w] and state[w]['restarts'] == 0
               for w in before), state
    code, out, diag = app.stop()
    h.assert_clean_exit(code, out, diag)


def test_standby_killed_while_woken(mp):
    """The standby is stopped (SIGSTOP) in its wait, its worker killed: the main wakes
    it, which it cannot act upon, and it is killed then. That is a death of the
    worker: recovery again, by fork since no standby is parked, and every mbuf and
    lcore id is found after."""
    app = start(mp)
    standby = wait_parked(app)
    before = dict(app.pids)
    os.kill(standby[0], signal.SIGSTOP)
    app.kill(before[0])
    app.wait_until(lambda: app.pids.get(0) == standby[0], 20,
                   'standby %d woken for worker 0' % standby[0])
    app.kill(standby[0])
    third = app.wait_new_instance(0, standby[0])
    assert third not in (before[0], standby[0])
    app.wait_until(lambda: standby[0] in app.killed, 10, 'kill of the woken standby')
    app.wait_all_forwarding()
    assert app.query('/l2fwd_fork/recovery')['recoveries'] == 2
    # and the standbys come back
    wait_parked(app, exclude=standby.values())
    code, out, diag = app.stop()
    h.assert_clean_exit(code, out, diag)
