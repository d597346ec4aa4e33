# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""End-to-end tests of dpdk-simple_mp: a primary and secondaries exchanging messages."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import re
import signal

import pytest

PROMPT = 'simple_mp > '
# Bound on each wait: generous, since tests share two CPUs with busy pollers.
WAIT = 60
# Two processes on two CPUs: lcores 0,1 for the first, 2,3 for the second.
LCORES_A = '0@0,1@1'
LCORES_B = '2@0,3@1'


def start(mp, lcores, proc_type, name):
    mp.timeout = WAIT
    return mp.start('simple_mp', lcores=lcores, proc_type=proc_type, prompt=PROMPT, name=name)


def pair(mp):
    a = start(mp, LCORES_A, 'primary', 'primary')
    b = start(mp, LCORES_B, 'secondary', 'secondary')
    return a, b


def pool_free(p):
    p.sendline('status')
    p.expect(r'pool simple_mp_msgs: (\d+) of (\d+) buffers free')
    free, size = int(p.match.group(1)), int(p.match.group(2))
    p.wait_prompt()
    return free, size


def test_messages_both_ways(mp):
    a, b = pair(mp)
    a.sendline('send hello_secondary')
    b.expect_exact("core 3: Received 'hello_secondary'")
    b.sendline('send hello_primary')
    a.expect_exact("core 1: Received 'hello_primary'")
    # Spaces are part of the text.
    a.sendline('send two words')
    b.expect_exact("core 3: Received 'two words'")
    b.sendline('quit')
    assert b.wait_exit() == 0
    a.sendline('quit')
    assert a.wait_exit() == 0


def test_auto_picks_secondary_for_second_instance(mp):
    a = start(mp, LCORES_A, 'auto', 'first')
    assert 'running as the primary process' in a.output()
    b = start(mp, LCORES_B, 'auto', 'second')
    assert 'running as the secondary process' in b.output()
    b.sendline('send via_auto')
    a.expect_exact("core 1: Received 'via_auto'")


def test_without_proc_type_first_is_primary(mp):
    a = start(mp, LCORES_A, None, 'noflag')
    assert 'running as the primary process' in a.output()


def test_secondary_restarts_while_primary_runs(mp):
    a, b = pair(mp)
    for i in range(3):
        b.sendline('quit')
        assert b.wait_exit() == 0
        b = start(mp, LCORES_B, 'secondary', 'secondary%d' % i)
        a.sendline('send round%d' % i)
        b.expect_exact("core 3: Received 'round%d'" % i)
        b.sendline('send back%d' % i)
        a.expect_exact("core 1: Received 'back%d'" % i)
    assert a.alive()


@pytest.mark.parametrize('how', [signal.SIGKILL, signal.SIGINT])
def test_secondary_notices_primary_death(mp, how):
    """The secondary exits with code 1 and one line; the app promises 1 s, the test
    allows 10 s under load."""
    a, b = pair(mp)
    mark = b.mark()
    a.signal(how)
    assert a.wait_exit(10) == (-signal.SIGKILL if how == signal.SIGKILL else 0)
    assert b.wait_exit(10) == 1
    assert b.lines_since(mark) == [
        'simple_mp: the primary process has exited; a secondary cannot go on without it']
    assert not a.alive() and not b.alive()


def test_no_secondary_without_primary(mp):
    r = mp.run('simple_mp', lcores=LCORES_B, proc_type='secondary', timeout=20)
    assert r.returncode != 0
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith('simple_mp:')]
    assert lines == ['simple_mp: cannot start a secondary: '
                     'no primary process runs with --file-prefix %s' % mp.prefix]


def test_too_long_message_is_refused(mp):
    a, b = pair(mp)
    free0, size = pool_free(a)
    ok = 'x' * 63
    a.sendline('send ' + ok)
    b.expect_exact("Received '%s'" % ok)
    for n in (64, 100, 300):
        a.sendline('send ' + 'y' * n)
        a.expect_exact('Error: message is %d bytes, a buffer holds at most 63' % n)
        a.wait_prompt()
    # Nothing was truncated and sent, and no buffer went missing.
    a.sendline('send after')
    b.expect_exact("Received 'after'")
    assert 'y' * 63 not in b.output()
    assert pool_free(a) == (free0, size)


def test_full_ring_is_reported_and_nothing_leaks(mp):
    a = start(mp, LCORES_A, 'primary', 'primary')
    free0, size = pool_free(a)
    assert free0 == size
    # Nobody receives yet: the ring to the secondary fills up after 511.
    for start_i in range(0, 511, 64):
        batch = range(start_i, min(start_i + 64, 511))
        a.send(''.join('send m%d\r' % i for i in batch))
        for _ in batch:
            a.wait_prompt()
    a.sendline('send one_too_many')
    a.expect(r'Error: ring simple_mp_p2s is full \(511 waiting\)')
    a.wait_prompt()
    assert pool_free(a)[0] == size - 511
    # A secondary started now drains the ring, in order.
    b = start(mp, LCORES_B, 'secondary', 'secondary')
    b.expect_exact("core 3: Received 'm510'", timeout=WAIT)
    got = re.findall(r"Received '(m\d+)'", b.output())
    assert got == ['m%d' % i for i in range(511)]
    assert pool_free(a) == (size, size)


def test_ten_thousand_messages_leave_pool_as_it_was(mp):
    a, b = pair(mp)
    free_a, size = pool_free(a)
    assert free_a == size
    total, batch = 10000, 100
    for s in range(0, total, batch):
        a.send(''.join('send n%d\r' % i for i in range(s, s + batch)))
        for _ in range(batch):
            a.wait_prompt()
        b.expect_exact("Received 'n%d'" % (s + batch - 1), timeout=WAIT)
    got = re.findall(r"Received '(n\d+)'", b.output())
    assert got == ['n%d' % i for i in range(total)]
    assert pool_free(a) == (size, size)
    assert pool_free(b) == (size, size)


@pytest.mark.parametrize('how', ['quit', 'ctrl-d', 'sigint', 'sigterm'])
def test_clean_shutdown(mp, how):
    a, b = pair(mp)
    if how == 'quit':
        b.sendline('quit')
    elif how == 'ctrl-d':
        b.send('\x04')
    elif how == 'sigint':
        b.signal(signal.SIGINT)
    else:
        b.signal(signal.SIGTERM)
    assert b.wait_exit(10) == 0
    # The primary is undisturbed and a new secondary can join.
    c = start(mp, LCORES_B, 'secondary', 'again')
    a.sendline('send still_here')
    c.expect_exact("Received 'still_here'")


def test_help_lists_commands(mp):
    """help lists every command the prompt accepts, once, and nothing else."""
    a = start(mp, LCORES_A, 'primary', 'primary')
    # The command line parser's own list: '?' on an empty line shows each command it knows.
    a.send('?')
    a.wait_prompt()
    known = re.findall(r'^ (\w+) \[Fixed STRING\]: ', a.before, re.M)
    assert known == ['send', 'status', 'help', 'quit'], a.before
    out = a.cmd('help')
    assert 'Commands:' in out, out
    listed = re.findall(r'^  (\w+) ', out[out.index('Commands:'):], re.M)
    assert listed == known, out
    # Each is described, send with its argument.
    assert re.search(r'^  send TEXT +\S', out, re.M), out
    a.sendline('quit')
    assert a.wait_exit() == 0


@pytest.mark.parametrize('lcores,app_args,message', [
    ('0@0', (), 'needs at least two lcores (the prompt and the receiver), got 1'),
    (LCORES_A, ('bogus',), "unexpected argument 'bogus'"),
])
def test_bad_arguments(mp, lcores, app_args, message):
    r = mp.run('simple_mp', lcores=lcores, proc_type='primary', app_args=app_args)
    assert r.returncode != 0
    errs = [ln for ln in r.stdout.splitlines() if ln.startswith('simple_mp:')]
    assert len(errs) == 1 and message in errs[0], r.stdout
