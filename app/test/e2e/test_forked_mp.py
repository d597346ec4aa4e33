# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Forked secondaries (the RFC in the reference documents): dpdk-mp_client started with
--forked is a launcher; dpdk-mp_server's fork server forks the real client.

Packet counts, client states and mbuf counts come from the server's telemetry, as in
test_client_server_mp.py; the launcher's exit status and its one error line are what a
user sees. Every test ends with no process of its group left (checked in /proc); the fault
tests check also that the group's hugepages are free again once its files are removed."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import array
import errno
import os
import re
import signal
import socket
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time

import pytest

import mp_traffic as mt
import mpharness
import test_client_server_mp as csm
import test_symmetric_mp as smp

NULL_PORTS = csm.NULL_PORTS
# Header of the fork server's messages (lib/mpsupport/mps_forksrv.cpp, struct fs_msg).
HDR = struct.Struct('<IHHIIIi32s')
MAGIC = 0x4653504d
REQ_START = 1
REPLY_TEXT = 256
# Forked starts in a row: a few in mp-tests, the 200 in stress-tests.
STARTS = int(os.environ.get('MP_FORKED_STARTS', '20'))


def start_server(mp, nclients, vdevs):
    """The server, once a fork server forked with every link up is ready."""
    s = csm.start_server(mp, nclients, vdevs)
    s.expect(r'mp_server: fork server \(pid (\d+)\) ready for forked clients, links up 2 of 2',
             timeout=30)
    s.fork_server = int(s.match.group(1))
    return s


def start_forked(mp, server, i, name=None, wait_join=True):
    """A forked client i; returns (launcher Proc, pid of the forked client)."""
    c = mp.start('mp_client', lcores='1', proc_type='secondary',
                 eal_extra=['--forked'], app_args=['-n', str(i)],
                 name=name or 'forked%d' % i)
    c.expect(r'mp_client %d \(pid (\d+)\) forwarding on lcore (\d+)' % i, timeout=30)
    pid = int(c.match.group(1))
    # The secondary is not the launcher, and it runs on a floating lcore id.
    assert pid != c.pid
    assert int(c.match.group(2)) != 1
    if wait_join:
        server.expect(r'client %d \(pid %d\) joined' % (i, pid), timeout=30)
    return c, pid


def group_pids(prefix):
    """Pids of the processes whose command line names the group's --file-prefix."""
    found = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % d, 'rb') as f:
                if prefix.encode() in f.read() and mpharness.pid_alive(int(d)):
                    found.append(int(d))
        except OSError:
            pass
    return found


def wait_gone(pids, timeout=10):
    return mt.wait_for(lambda: not any(mpharness.pid_alive(p) for p in pids), timeout)


def hugepages_unaccounted():
    """2 MB hugepages in use but in no file of a hugetlbfs mount: those of processes that
    still map files already removed. Other groups' files, which come and go with the tests
    running at the same time, are not counted."""
    with open(mpharness.HP_NR) as f:
        nr = int(f.read())
    with open(mpharness.HP_FREE) as f:
        free = int(f.read())
    in_files = 0
    with open('/proc/mounts') as f:
        mounts = [ln.split() for ln in f]
    for m in mounts:
        opts = m[3].split(',')
        if m[2] != 'hugetlbfs' or any(o.startswith('pagesize=') and o != 'pagesize=2M'
                                      for o in opts):
            continue
        for root, _, files in os.walk(m[1]):
            for name in files:
                try:
                    in_files += os.lstat(os.path.join(root, name)).st_blocks * 512 // (2 << 20)
                except OSError:
                    pass
    return nr - free - in_files


def check_nothing_left(mp, unaccounted0, bound=15):
    """No process of the group is left (launchers, fork server, forked secondaries, whose
    command lines name the prefix), and once the group's files are removed, its hugepages
    are free again: no more in use outside files than at the test's start."""
    assert wait_gone(group_pids(mp.prefix)), 'processes left: %s' % group_pids(mp.prefix)
    mp.cleanup_files()
    # The two counters and the walk are not read at one instant: with other groups
    # making and removing files meanwhile, a reading can be off by a page or two
    # (the start was read as -1 once). Below zero means none.
    base = max(unaccounted0, 0)
    freed = mt.wait_for(lambda: hugepages_unaccounted() <= base, bound)
    assert freed, '%d hugepages in use outside files, %d at the start' % (
        hugepages_unaccounted(), unaccounted0)


def fork_server_pid(mp, server):
    assert ppid(server.fork_server) == server.pid
    return server.fork_server


def ppid(pid):
    with open('/proc/%d/stat' % pid) as f:
        return int(f.read().rsplit(')', 1)[1].split()[1])


def sock_path(mp):
    return os.path.join(mpharness.RUNTIME_DIR, mp.prefix, 'mps_forksrv')


def one_line_error(out, pattern):
    errs = [ln for ln in out.splitlines() if 'error' in ln.lower()]
    assert len(errs) == 1, 'expected one error line:\n' + out
    assert re.search(pattern, errs[0]), errs[0]


def test_forked_client_forwards(mp):
    """A forked client forwards; SIGINT to the launcher reaches it; it leaves cleanly."""
    server = start_server(mp, 2, NULL_PORTS)
    path = sock_path(mp)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    c, pid = start_forked(mp, server, 0)
    assert ppid(pid) == fork_server_pid(mp, server)
    # The launcher maps nothing of DPDK: no library (its binary is the app's front,
    # libc alone), no hugepage, no file of the group.
    with open('/proc/%d/maps' % c.pid) as f:
        maps = f.read()
    assert not re.search(r'librte_|hugepages|/dpdk/' + mp.prefix, maps), maps
    first = csm.wait_client(mp, 0, lambda v: v['pid'] == pid and v['rx'] > 0,
                            'the forked client forwards')
    csm.wait_client(mp, 0, lambda v: v['rx'] > first['rx'], 'the forked client goes on')
    assert c.stop() == 0
    assert not mpharness.pid_alive(pid)
    view = csm.client_table(mp)[0]
    csm.check_stopped(view, pid)
    csm.check_pool(mp)
    assert re.search(r'Client 0 \(pid %d\) statistics: rx %d tx %d drop 0' %
                     (pid, view['rx'], view['tx']), c.output())
    assert server.stop() == 0
    assert wait_gone(group_pids(mp.prefix)), group_pids(mp.prefix)
    assert not os.path.exists(path)


@pytest.mark.parametrize('nclients', [1, 2])
def test_forked_conservation(mp, nclients):
    """The conservation test of the classic clients, with forked ones."""
    workdir = tempfile.mkdtemp(prefix='fk')
    counts = {(0, 0): csm.PKTS_PER_PORT, (1, 0): csm.PKTS_PER_PORT}
    peer = mt.Peer(workdir, nclients, counts, app_role='client')
    try:
        peer.launch()
        server = start_server(mp, nclients, peer.app_vdevs())
        clients = [start_forked(mp, server, i) for i in range(nclients)]
        peer.start(app_group=mp)
        total = 2 * csm.PKTS_PER_PORT
        assert peer.wait_output(total) == total
        peer.pause()
        for c, _ in clients:
            assert c.stop() == 0
        share = total // nclients
        table = csm.client_table(mp)
        for i, (c, pid) in enumerate(clients):
            csm.check_stopped(table[i], pid)
            csm.check_fields(table[i], enqueued=share, dropped=0, drained=0, exits=0,
                             rx=share, tx=share, drop=0)
        mbufs = csm.check_pool(mp)
        assert server.stop() == 0
        csm.check_printed(server.output(), table, mbufs)
        peer.finish()
        outs = mt.check_conservation(peer, expect_queue_map=False)
        per_client = [len(outs[(0, q)]) + len(outs[(1, q)]) for q in range(nclients)]
        assert per_client == [share] * nclients, per_client
    finally:
        peer.close()


def test_symmetric_forked_conservation(mp):
    """symmetric_mp with its secondary forked from the primary's fork server passes the
    classic conservation test: every packet fed into a port leaves the paired port once,
    on the queue of the process that received it."""
    nprocs = 2
    args = ['-p', '3', '--num-procs', str(nprocs)]
    workdir = tempfile.mkdtemp(prefix='smpf')
    counts = {(p, q): smp.PKTS_PER_QUEUE for p in range(2) for q in range(nprocs)}
    peer = mt.Peer(workdir, nprocs, counts, app_role='client')
    try:
        peer.launch()
        prim = mp.start('symmetric_mp', lcores=smp.lcore_of(0), proc_type='primary',
                        vdevs=peer.app_vdevs(), eal_extra=['-m', '256'],
                        app_args=args + ['--proc-id', '0'], name='smp0')
        # memif links come up when the peer answers: forked secondaries need a fork
        # server forked since then (the primary forks a new one on a link change).
        prim.expect(r'fork server \(pid (\d+)\) ready for forked secondaries, links up 2 of 2',
                    timeout=30)
        fsrv = int(prim.match.group(1))
        assert re.search(r'process 0 of 2 \(primary, pid %d\) forwarding' % prim.pid,
                         prim.output())
        sec = mp.start('symmetric_mp', lcores=smp.lcore_of(1), proc_type='secondary',
                       eal_extra=['--forked'], app_args=args + ['--proc-id', '1'], name='smp1')
        sec.expect(r'process 1 of 2 \(forked secondary, pid (\d+)\) forwarding', timeout=30)
        pid = int(sec.match.group(1))
        assert pid != sec.pid and ppid(pid) == fsrv
        peer.start(app_group=mp)
        total = sum(counts.values())
        assert peer.wait_output(total) == total, peer.fwd_stats()
        peer.pause()
        # Each process saw exactly its own queue's packets and dropped none.
        for i, p in ((1, sec), (0, prim)):
            assert p.stop() == 0, p.output()[-1500:]
            st = smp.proc_stats(p.output())
            assert st[0] == (smp.PKTS_PER_QUEUE, smp.PKTS_PER_QUEUE, 0), (i, st)
            assert st[1] == (smp.PKTS_PER_QUEUE, smp.PKTS_PER_QUEUE, 0), (i, st)
        assert not mpharness.pid_alive(pid)
        peer.finish()
        mt.check_conservation(peer, expect_queue_map=True)
    finally:
        peer.close()


def test_simple_mp_forked_messages(mp):
    """simple_mp with a forked secondary: messages go both ways, and both leave with quit."""
    prompt = 'simple_mp > '
    mp.timeout = 60
    a = mp.start('simple_mp', lcores='0@0,1@1', proc_type='primary', prompt=prompt,
                 name='primary')
    fsrv = int(re.search(r'simple_mp: fork server \(pid (\d+)\) ready for forked secondaries',
                         a.output()).group(1))
    b = mp.start('simple_mp', lcores='2@0,3@1', proc_type='secondary', prompt=prompt,
                 eal_extra=['--forked'], name='forked')
    assert 'running as the forked secondary process' in b.output()
    lcore = int(re.search(r'Starting core (\d+)', b.output()).group(1))
    pid = [p for p in group_pids(mp.prefix) if p not in (a.pid, b.pid, fsrv)]
    assert len(pid) == 1 and ppid(pid[0]) == fsrv, pid
    a.sendline('send hello_forked')
    b.expect_exact("core %d: Received 'hello_forked'" % lcore)
    b.sendline('send hello_primary')
    a.expect_exact("core 1: Received 'hello_primary'")
    b.sendline('send two words')
    a.expect_exact("core 1: Received 'two words'")
    b.sendline('quit')
    assert b.wait_exit() == 0
    assert wait_gone(pid)
    a.sendline('quit')
    assert a.wait_exit() == 0
    assert wait_gone(group_pids(mp.prefix))


def test_kill9_forked_client(mp):
    """kill -9 of a forked client: its launcher exits 128+9, the server frees what was in
    its ring and its lcore's cache, and a new forked client takes the id."""
    server = start_server(mp, 2, NULL_PORTS)
    c0, pid0 = start_forked(mp, server, 0)
    c1, pid1 = start_forked(mp, server, 1)
    csm.wait_client(mp, 1, lambda v: v['rx'] > 0, 'client 1 forwards')
    # As in the classic test: SIGUSR1 stops the client where it holds no
    # packet (a kill anywhere else loses what it holds, classic or forked).
    os.kill(pid1, signal.SIGUSR1)
    c1.expect(r'mp_client 1 \(pid %d\) holds no packet: stopping' % pid1, timeout=30)
    assert mt.wait_for(lambda: csm.proc_state(pid1) == 'T'), 'client 1 did not stop'
    full = csm.wait_client(mp, 1, lambda v: v['in_ring'] == csm.RING_CAPACITY,
                           'the server fills the ring of client 1')
    os.kill(pid1, signal.SIGKILL)
    assert c1.wait_exit(10) == 128 + signal.SIGKILL
    dead = csm.wait_client(mp, 1, lambda v: v['exits'] == 1 and v['state'] == 'free',
                           'client 1 cleaned up after')
    assert dead['drained'] == dead['enqueued'] - dead['rx'] == csm.RING_CAPACITY, dead
    csm.check_fields(dead, rx=full['rx'], tx=full['tx'], drop=0)
    assert c0.stop() == 0
    csm.check_pool(mp)
    again, pid = start_forked(mp, server, 1, name='forked1b')
    csm.wait_client(mp, 1, lambda v: v['pid'] == pid and v['rx'] > dead['rx'],
                    'the new forked client 1 forwards')
    assert again.stop() == 0
    csm.check_pool(mp)
    assert server.stop() == 0
    assert wait_gone(group_pids(mp.prefix))


def test_aslr_many_starts(mp):
    """ASLR on, no --base-virtaddr: forked clients started and stopped in a row."""
    with open('/proc/sys/kernel/randomize_va_space') as f:
        if f.read().strip() != '2':
            pytest.skip('ASLR is not fully on on this machine')
    server = start_server(mp, 1, NULL_PORTS)
    t0 = time.monotonic()
    for k in range(STARTS):
        # Reading the server's lines keeps its terminal from filling up.
        c, pid = start_forked(mp, server, 0, name='start%d' % k)
        assert c.stop() == 0, c.output()
        assert not mpharness.pid_alive(pid)
        mp.procs.remove(c)
    print('%d forked starts in %.1f s' % (STARTS, time.monotonic() - t0))
    view = csm.client_table(mp)[0]
    csm.check_fields(view, state='free', exits=0, in_ring=0)
    csm.check_pool(mp)
    assert server.stop() == 0


def test_kill_launcher(mp):
    """The forked client does not outlive its launcher: the fork server stops it with
    SIGTERM, so it leaves as on a user's request, holding no mbuf."""
    u0 = hugepages_unaccounted()
    server = start_server(mp, 1, NULL_PORTS)
    c, pid = start_forked(mp, server, 0)
    c.signal(signal.SIGKILL)
    assert c.wait_exit(10) == -signal.SIGKILL
    assert wait_gone([pid]), 'forked client %d outlived its launcher' % pid
    # It left on its own (no exit for the server to clean up after), sending
    # everything it held.
    left = csm.wait_client(mp, 0, lambda v: v['state'] == 'free', 'client 0 left')
    csm.check_fields(left, exits=0, drained=0, drop=0, pid=0, last_pid=pid)
    assert left['tx'] == left['rx'] > 0, left
    csm.check_pool(mp)
    assert server.stop() == 0
    check_nothing_left(mp, u0)


def test_kill_fork_server(mp):
    """Fork server killed: the running launcher says so in one line, its client is gone,
    a new launcher says there is no fork server; the primary goes on."""
    u0 = hugepages_unaccounted()
    server = start_server(mp, 1, NULL_PORTS)
    c, pid = start_forked(mp, server, 0)
    os.kill(fork_server_pid(mp, server), signal.SIGKILL)
    assert c.wait_exit(10) == 1
    one_line_error(c.output(), r'the fork server went away .*forked secondary %d is gone' % pid)
    assert wait_gone([pid])
    r = mp.run('mp_client', lcores='2', proc_type='secondary', eal_extra=['--forked'],
               app_args=['-n', '0'], timeout=30)
    assert r.returncode == 1
    one_line_error(r.stdout, r'no fork server at .*mps_forksrv')
    assert server.alive()
    assert server.stop() == 0
    check_nothing_left(mp, u0)


def test_kill_primary(mp):
    """Primary killed: fork server and forked client die with it, the launcher says so."""
    u0 = hugepages_unaccounted()
    server = start_server(mp, 1, NULL_PORTS)
    fsrv = fork_server_pid(mp, server)
    c, pid = start_forked(mp, server, 0)
    server.signal(signal.SIGKILL)
    assert server.wait_exit(10) == -signal.SIGKILL
    assert c.wait_exit(10) == 1
    one_line_error(c.output(), r'the fork server went away')
    assert wait_gone([fsrv, pid])
    check_nothing_left(mp, u0)


def request(argv=('dpdk-mp_client', '-n', '0'), env=('A=1',), entry=b'mp_client',
            version=1, magic=MAGIC, length=None, cut=None, unterminated=False):
    strs = b''.join(s.encode() + b'\0' for s in ['/'] + list(argv) + list(env))
    if unterminated:
        strs = strs[:-1]
    total = HDR.size + len(strs)
    msg = HDR.pack(magic, version, REQ_START, total if length is None else length,
                   len(argv), len(env), 0, entry) + strs
    return msg if cut is None else msg[:cut]


def send_raw(path, msg, nfds=3):
    """Send msg with nfds fds of /dev/null; return the fork server's reply text."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect(path)
    fd = os.open('/dev/null', os.O_RDWR)
    try:
        anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [fd] * nfds))]
        s.sendmsg([msg], anc if nfds else [])
        reply = s.recv(HDR.size + REPLY_TEXT)
        return reply[HDR.size:].split(b'\0', 1)[0].decode()
    finally:
        os.close(fd)
        s.close()


@pytest.mark.parametrize('what,msg,nfds,pattern', [
    ('magic', request(magic=0x12345678), 3, r'not a fork request \(bad magic\)'),
    ('version', request(version=9), 3, r'message version 9, this fork server speaks version 1'),
    ('short', request(cut=20), 3, r'truncated message: 20 bytes, the header alone is 56'),
    ('length', request(length=5000), 3, r'truncated message: header says 5000 bytes'),
    ('many fds', request(), 5, r'too many fds'),
    ('few fds', request(), 1, r'1 fds received, a request carries exactly 3'),
    ('strings', request(unterminated=True), 3, r'malformed strings'),
    ('entry', request(entry=b'nosuchapp'), 3, r"no forked entry 'nosuchapp'"),
])
def test_bad_requests(mp, what, msg, nfds, pattern):
    """Bad data on the socket: one clear refusal each; the fork server serves on."""
    u0 = hugepages_unaccounted()
    server = start_server(mp, 1, NULL_PORTS)
    path = sock_path(mp)
    text = send_raw(path, msg, nfds)
    assert re.search(pattern, text), '%s: %s' % (what, text)
    server.expect(r'fork server: request refused: ', timeout=10)
    c, pid = start_forked(mp, server, 0)
    assert c.stop() == 0
    assert server.stop() == 0
    check_nothing_left(mp, u0)


def test_other_credentials(mp):
    """A peer of another uid is refused by the credentials check, even with the right to
    pass the file system's permissions (CAP_DAC_OVERRIDE kept across the uid change)."""
    if os.geteuid() != 0 or not shutil.which('setpriv'):
        pytest.skip('needs root and setpriv to connect as another uid')
    u0 = hugepages_unaccounted()
    server = start_server(mp, 1, NULL_PORTS)
    path = sock_path(mp)
    code = ('import sys; sys.path.insert(0, %r); import test_forked_mp as t; '
            'print("REPLY:" + t.send_raw(%r, t.request()))' % (os.path.dirname(__file__), path))
    r = subprocess.run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
                        '--inh-caps=+dac_override', '--ambient-caps=+dac_override',
                        sys.executable, '-c', code], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=30)
    assert re.search(r"REPLY:peer pid \d+ runs as uid 65534, not as the primary's uid 0",
                     r.stdout), r.stdout
    c, pid = start_forked(mp, server, 0)
    assert c.stop() == 0
    assert server.stop() == 0
    check_nothing_left(mp, u0)


def hash_app():
    return os.path.join(mpharness.build_dir(), 'app', 'test', 'forked', 'dpdk-test-forked_hash')


def start_hash_primary(mp):
    """The forked_hash primary; returns (Proc, pid of its fork server)."""
    p = mp.start(hash_app(), lcores='0', eal_extra=['-m', '128'], name='hashprimary')
    p.expect(r'forked_hash: primary ready \(fork server pid (\d+)\)', timeout=30)
    return p, int(p.match.group(1))


def backlog(path):
    """Connections waiting to be accepted on the socket bound at path: /proc/net/unix
    lists their server ends, with the listener's path and no inode yet."""
    with open('/proc/net/unix') as f:
        rows = [ln.split() for ln in f.readlines()[1:]]
    return sum(1 for r in rows if len(r) == 8 and r[7] == path and r[6] == '0')


HANDOVER_LAUNCHERS = 20


def has_signalfd(pid):
    """Whether pid holds a signalfd (a fork server does once it serves, its primary not)."""
    d = '/proc/%d/fd' % pid
    try:
        return any(os.readlink(os.path.join(d, fd)) == 'anon_inode:[signalfd]'
                   for fd in os.listdir(d))
    except OSError:
        return False


def test_fork_server_handover(mp):
    """The primary starts its fork server again while launchers wait in the backlog of
    the old one (stopped meanwhile, so that they all do): the old server serves every
    one of them before it stops listening, and none gets a reset."""
    p, old = start_hash_primary(mp)
    path = sock_path(mp)
    argv = [hash_app()] + mp.eal_args('1', 'secondary', extra=['--forked']) + ['--', 'hello']
    launchers = []
    # Stopped where it serves (not in its start-up, which holds the registry's lock).
    assert not has_signalfd(p.pid)
    assert mt.wait_for(lambda: has_signalfd(old), 10, 0.02), 'fork server %d not ready' % old
    os.kill(old, signal.SIGSTOP)
    try:
        for _ in range(HANDOVER_LAUNCHERS):
            launchers.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                              stdout=subprocess.PIPE,
                                              stderr=subprocess.STDOUT, text=True))
            mp._extra_pids.append(launchers[-1])
        # Every launcher connected to the old server and waits for its answer
        # (within its 10 s bound, so the rest must not take long).
        waiting = mt.wait_for(lambda: backlog(path) == HANDOVER_LAUNCHERS, 8, 0.05)
        assert waiting, '%d of %d launchers in the backlog' % (backlog(path),
                                                               HANDOVER_LAUNCHERS)
        p.signal(signal.SIGHUP)
        p.expect(r'forked_hash: fork server restarted \(pid (\d+)\)', timeout=10)
        new = int(p.match.group(1))
        assert new != old and ppid(new) == p.pid
    finally:
        os.kill(old, signal.SIGCONT)
    results = [(c.communicate(timeout=30)[0], c.returncode) for c in launchers]
    bad = ['%d: %d %s' % (i, rc, out) for i, (out, rc) in enumerate(results)
           if rc != 0 or not re.search(r'forked_hash: forked secondary \d+ started', out)]
    assert not bad, '%d launchers failed:\n%s\n%s' % (len(bad), '\n'.join(bad), p.output())
    # The old server leaves once its secondaries have; the new one serves.
    assert wait_gone([old]), 'the replaced fork server %d stayed' % old
    r = mp.run(hash_app(), lcores='1', proc_type='secondary', eal_extra=['--forked'],
               app_args=['hello'], timeout=30)
    assert r.returncode == 0, r.stdout
    assert re.search(r'forked_hash: forked secondary \d+ started', r.stdout), r.stdout
    assert p.stop() == 0
    assert wait_gone(group_pids(mp.prefix))


def test_function_pointers(mp):
    """An rte_hash of the primary (DPDK's default hash function, a compare function of the
    program): a forked secondary adds and finds keys through the normal API, its compare
    function called at the primary's address, which is its own. A classic secondary of the
    same binary finds its compare function elsewhere (ASLR): calling through the primary's
    pointer would jump to a wrong address, so it says so and does not use the hash.
    An IPC message of the forked secondary fails at once (its inherited IPC socket, the
    primary's, is /dev/null), with a classic secondary attached to receive it."""
    app = hash_app()
    p, _ = start_hash_primary(mp)
    # A classic secondary attached: an IPC message of the primary has a receiver.
    w = mp.start(app, lcores='1', proc_type='secondary', app_args=['wait'], name='waiter')
    w.expect(r'forked_hash: classic secondary \d+ waiting', timeout=60)
    for k in range(2):
        r = mp.run(app, lcores='1', proc_type='secondary', eal_extra=['--forked'], timeout=30)
        assert r.returncode == 0, r.stdout
        # The inherited IPC socket is /dev/null: sending fails at once.
        assert re.search(r'rte_mp_sendmsg\(\) with 1 classic secondaries attached: -1, '
                         r'rte_errno %d ' % errno.ENOTSOCK, r.stdout), r.stdout
        m = re.search(r'forked secondary: compare function at (0x[0-9a-f]+) in the primary, '
                      r'(0x[0-9a-f]+) here; 100 added, 100 found, 0 wrong, absent key not found, '
                      r'compare called (\d+) times', r.stdout)
        assert m, r.stdout
        assert m.group(1) == m.group(2)
        assert int(m.group(3)) >= 100
    r = mp.run(app, lcores='1', proc_type='secondary', timeout=60)
    assert r.returncode == 0, r.stdout
    m = re.search(r'classic secondary: compare function at (0x[0-9a-f]+) in the primary, '
                  r'(0x[0-9a-f]+) here: (same|different)', r.stdout)
    assert m, r.stdout
    with open('/proc/sys/kernel/randomize_va_space') as f:
        aslr = f.read().strip() == '2'
    if aslr:
        assert m.group(3) == 'different', r.stdout
    print('classic secondary: primary compare at %s, its own at %s (%s)' % m.groups())
    assert w.stop() == 0
    assert p.stop() == 0
    assert wait_gone(group_pids(mp.prefix))


def test_sigterm_to_launcher(mp):
    """SIGTERM to the launcher reaches the forked client, which leaves as on a user's
    request (statistics printed, every mbuf handed back); the launcher exits with its
    exit status, 0."""
    server = start_server(mp, 1, NULL_PORTS)
    c, pid = start_forked(mp, server, 0)
    csm.wait_client(mp, 0, lambda v: v['pid'] == pid and v['rx'] > 0,
                    'the forked client forwards')
    c.signal(signal.SIGTERM)
    assert c.wait_exit(10) == 0, c.output()[-2000:]
    assert wait_gone([pid]), 'forked client %d stayed' % pid
    view = csm.client_table(mp)[0]
    csm.check_stopped(view, pid)
    assert re.search(r'Client 0 \(pid %d\) statistics: rx %d tx %d drop 0' %
                     (pid, view['rx'], view['tx']), c.output()), c.output()[-2000:]
    csm.check_pool(mp)
    assert server.stop() == 0
    assert wait_gone(group_pids(mp.prefix))


@pytest.mark.parametrize('status', [3, 42])
def test_exit_status_passed(mp, status):
    """The launcher exits with the forked secondary's non-zero exit status."""
    p, _ = start_hash_primary(mp)
    r = mp.run(hash_app(), lcores='1', proc_type='secondary', eal_extra=['--forked'],
               app_args=['exit', str(status)], timeout=30)
    assert re.search(r'forked_hash: forked secondary \d+ leaving with exit status %d' % status,
                     r.stdout), r.stdout
    assert r.returncode == status, r.stdout
    assert p.stop() == 0
    assert wait_gone(group_pids(mp.prefix))


def test_stop_signal_at_start(mp):
    """SIGINT to the launcher at once: it forwards the signal as soon as the client is
    forked, and the client, whose stop signals wait for its own handlers, stops cleanly."""
    server = start_server(mp, 2, NULL_PORTS)
    r = mp.run('mp_client', lcores='1', proc_type='secondary', eal_extra=['--forked'],
               app_args=['-n', '0'], timeout=30,
               preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}),
               on_start=lambda p: p.send_signal(signal.SIGINT))
    assert r.returncode == 0, r.stdout[-3000:]
    csm.check_pool(mp)
    assert server.stop() == 0
