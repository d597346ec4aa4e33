# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Bad command lines on the five binaries: one clear line each, and nothing left behind.

Every case is a row of CASES: the binary, its EAL and app arguments, whether it
runs against a live primary of the module's groups, and the regex its one error
line must match (naming the bad value). A case checks:

- the exit status (1, EXIT_FAILURE, for every refusal);
- exactly one line of the app's own ("<app>: ..." or "dpdk-<app>: ..."), which
  matches the regex: the EAL's log lines and usage texts are not counted;
- that nothing is left behind (see below).

Leftovers. The EAL itself leaves files on every exit, a clean one included:
the runtime directory /var/run/dpdk/<prefix> with its config, hugepage_info,
fbarray_* and mp_socket* files, and the hugepage files /dev/hugepages/<prefix>map_N
(22.11 unlinks them only with --huge-unlink). Those are the EAL's normal
leftovers: the group's clean-up removes them, whoever made them. What would be
ours is anything else: a process still running with the case's prefix (a
forked worker, a process that did not exit), a file of the prefix still
mapped or open by any process once the case's process is gone, or a file
whose name is not one the EAL makes. So a case that ran on a fresh prefix
checks, after its process exited and before clean-up, that no process uses
the prefix, that no process maps or opens any of its files, and that every
file left matches the EAL's names; then, after clean-up, that no file of the
prefix is left at all (nothing recreated them). A case run against a live
primary checks that the refused process is gone and that the primary's
group holds no other process than those the module started.

Speed: cases on a fresh prefix need no running primary and run eight at a time
from one module fixture; the cases against a live primary share three groups
started once. The whole file takes a few tens of seconds.
"""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import concurrent.futures
import glob
import os
import re

import pytest

import mpharness

WAIT = 60
NULL2 = ['net_null0', 'net_null1']
SMP = ['-p', '3', '--num-procs', '2', '--proc-id', '0']
L2F_LCORES = '0@0,1@1,2@0'
# File names the EAL leaves in the runtime directory and the hugepage mount.
EAL_RUNTIME_FILES = re.compile(r'(config|hugepage_info|fbarray_[\w.-]+|mp_socket[\w.-]*|'
                               r'dpdk_telemetry[\w.]*)$')
EAL_HUGE_FILES = r'map_\d+$'


def case(cid, app, pattern, args=(), lcores='0', proc=None, eal=(), vdevs=(), live=None):
    """One row: id, binary, regex of the error line, app args, lcores, proc type,
    extra EAL args, vdevs, and the live group it needs (None: a fresh prefix)."""
    return pytest.param(dict(app=app, pattern=pattern, args=list(args), lcores=lcores,
                             proc=proc, eal=list(eal), vdevs=list(vdevs), live=live), id=cid)


def sym_args(p='3', n='2', i='0'):
    """symmetric_mp's -p, --num-procs and --proc-id, valid unless given otherwise."""
    return ['-p', p, '--num-procs', n, '--proc-id', i]


# Rows of one binary on a fresh prefix, with what its cases share.
def sym(cid, pattern, args, **kw):
    return case(cid, 'symmetric_mp', pattern, args, vdevs=NULL2, **kw)


def srv(cid, pattern, args, **kw):
    return case(cid, 'mp_server', pattern, args, vdevs=NULL2, **kw)


def cli(cid, pattern, args, proc='auto'):
    return case(cid, 'mp_client', pattern, args, proc=proc)


def l2f(cid, pattern, args, lcores=L2F_LCORES, **kw):
    return case(cid, 'l2fwd_fork', pattern, args, lcores, vdevs=NULL2, **kw)


NO_HUGE = ['--no-huge', '-m', '128']

CASES = [
    # simple_mp
    case('smp-one-lcore', 'simple_mp', r'needs at least two lcores .*got 1', lcores='0@0'),
    case('smp-extra-arg', 'simple_mp', r"unexpected argument 'bogus'", ['bogus'], '0-1'),
    case('smp-no-huge', 'simple_mp', r'--no-huge is not supported', lcores='0-1', eal=NO_HUGE),
    case('smp-no-primary', 'simple_mp', r'no primary process runs with --file-prefix mpt',
         lcores='0-1', proc='secondary'),
    case('smp-proc-type', 'simple_mp', r"invalid --proc-type 'weird'", lcores='0-1',
         eal=['--proc-type=weird']),
    case('smp-proc-type-empty', 'simple_mp', r"option '--proc-type' needs a value",
         lcores='0-1', eal=['--proc-type']),
    case('smp-core-99', 'simple_mp', r'core 99 unavailable', lcores='0@0,1@99'),
    case('smp-lcore-200', 'simple_mp', r'lcore 200 >= RTE_MAX_LCORE', lcores='0,200'),
    case('smp-eal-option', 'simple_mp', r"unrecognized option '--bogus-opt'", lcores='0-1',
         eal=['--bogus-opt']),
    case('smp-vdev', 'simple_mp', r'nosuch0', lcores='0-1', eal=['--vdev', 'nosuch0']),
    case('smp-prefix-slash', 'simple_mp', r"invalid --file-prefix 'a/b'", lcores='0-1',
         eal=['--file-prefix=a/b']),
    case('smp-base-virtaddr', 'simple_mp', r'--base-virtaddr', lcores='0-1',
         eal=['--base-virtaddr', 'xyz']),
    # symmetric_mp
    sym('sym-portmask-xyz', r"portmask 'xyz'", sym_args(p='xyz')),
    sym('sym-portmask-0', r"portmask '0'", sym_args(p='0')),
    sym('sym-portmask-huge', r"portmask '1ffffffffffffffff'", sym_args(p='1ffffffffffffffff')),
    sym('sym-portmask-value', r"option '-p' needs a value",
        ['--num-procs', '2', '--proc-id', '0', '-p']),
    sym('sym-num-procs-0', r"--num-procs '0' \(1\.\.64\)", sym_args(n='0')),
    sym('sym-num-procs-65', r"--num-procs '65' \(1\.\.64\)", sym_args(n='65')),
    sym('sym-num-procs-abc', r"--num-procs 'abc'", sym_args(n='abc')),
    sym('sym-proc-id-2', r'--proc-id 2 is not below --num-procs 2', sym_args(i='2')),
    sym('sym-proc-id-neg', r"--proc-id '-1'", sym_args(i='-1')),
    sym('sym-missing-p', r'missing -p PORTMASK', ['--num-procs', '2', '--proc-id', '0']),
    sym('sym-missing-num-procs', r'missing --num-procs', ['-p', '3', '--proc-id', '0']),
    sym('sym-missing-proc-id', r'missing --proc-id', ['-p', '3', '--num-procs', '2']),
    sym('sym-one-port', r'0x1 selects 1 ports; an even', sym_args(p='1', n='1')),
    sym('sym-no-port-2', r'port 2 of portmask 0xc does not exist', sym_args(p='c', n='1')),
    sym('sym-unknown', r"unknown option '--bogus'", SMP + ['--bogus']),
    sym('sym-extra', r"unexpected argument 'extra'", SMP + ['extra']),
    sym('sym-twice-num-procs', r"option '--num-procs' given twice", SMP + ['--num-procs', '3']),
    sym('sym-twice-p', r"option '-p' given twice", SMP + ['-p', '3']),
    sym('sym-twice-proc-id', r"option '--proc-id' given twice", SMP + ['--proc-id', '1']),
    sym('sym-no-huge', r'--no-huge is not supported', SMP, eal=NO_HUGE),
    sym('sym-no-primary', r'no primary process runs with --file-prefix mpt', SMP,
        proc='secondary'),
    # mp_server
    srv('srv-portmask', r"portmask 'zz'", ['-p', 'zz', '-n', '2']),
    srv('srv-n-0', r"number of clients '0' \(1\.\.32\)", ['-p', '3', '-n', '0']),
    srv('srv-n-99', r"number of clients '99' \(1\.\.32\)", ['-p', '3', '-n', '99']),
    srv('srv-n-neg', r"number of clients '-1'", ['-p', '3', '-n', '-1']),
    srv('srv-missing-n', r'missing -n NUM_CLIENTS', ['-p', '3']),
    srv('srv-missing-p', r'missing -p PORTMASK', ['-n', '2']),
    srv('srv-twice-n', r"option '-n' given twice", ['-p', '3', '-n', '1', '-n', '2']),
    srv('srv-twice-p', r"option '-p' given twice", ['-p', '3', '-p', '3', '-n', '1']),
    srv('srv-one-port', r'0x1 selects 1 ports; an even', ['-p', '1', '-n', '1']),
    srv('srv-no-port', r'port 2 of portmask 0xf does not exist', ['-p', 'f', '-n', '1']),
    srv('srv-extra', r"unexpected argument 'extra'", ['-p', '3', '-n', '1', 'extra']),
    srv('srv-unknown', r"unknown option '-x'", ['-p', '3', '-n', '1', '-x']),
    srv('srv-n-value', r"option '-n' needs a value", ['-p', '3', '-n']),
    srv('srv-no-huge', r'--no-huge is not supported', ['-p', '3', '-n', '1'], eal=NO_HUGE),
    srv('srv-secondary', r'mp_server must be the primary process', ['-p', '3', '-n', '1'],
        proc='secondary'),
    # mp_client: with no server, auto makes it a primary, which parses its options first
    cli('cli-no-primary', r'no primary process runs with --file-prefix mpt', ['-n', '0'],
        proc='secondary'),
    cli('cli-auto', r'mp_client must run as a secondary', ['-n', '0']),
    cli('cli-primary', r'mp_client must run as a secondary', ['-n', '0'], proc='primary'),
    cli('cli-n-neg', r"invalid client id '-1' \(0\.\.31", ['-n', '-1']),
    cli('cli-n-32', r"invalid client id '32' \(0\.\.31", ['-n', '32']),
    cli('cli-n-word', r"invalid client id 'one'", ['-n', 'one']),
    cli('cli-missing-n', r'missing -n CLIENT_ID', []),
    cli('cli-twice-n', r"option '-n' given twice", ['-n', '1', '-n', '2']),
    cli('cli-unknown', r"unknown option '-z'", ['-n', '1', '-z']),
    cli('cli-extra', r"unexpected argument 'more'", ['-n', '1', 'more']),
    # l2fwd_fork
    l2f('l2f-two-lcores', r'2 lcores given, at least 3 needed', ['-p', '3'], lcores='0@0,1@1'),
    l2f('l2f-portmask', r"invalid portmask 'zz'", ['-p', 'zz']),
    l2f('l2f-q-0', r"ports per lcore '0'", ['-p', '3', '-q', '0']),
    l2f('l2f-period', r"statistics period 'x'", ['-p', '3', '-T', 'x']),
    l2f('l2f-young-ms', r"--young-ms '-5'", ['-p', '3', '--young-ms', '-5']),
    l2f('l2f-window', r"--restart-window '0'", ['-p', '3', '--restart-window', '0']),
    l2f('l2f-kill-point', r'--kill-point', ['-p', '3', '--kill-point', 'bogus']),
    l2f('l2f-twice-p', r"option '-p' given twice", ['-p', '3', '-p', '3']),
    l2f('l2f-twice-f', r"option '-f' given twice", ['-p', '3', '-f', '-f']),
    l2f('l2f-missing-p', r'missing portmask', ['-q', '1']),
    l2f('l2f-extra', r"unexpected argument 'x'", ['-p', '3', 'x']),
    l2f('l2f-unknown', r"unknown option '--bogus'", ['-p', '3', '--bogus']),
    l2f('l2f-no-huge', r'--no-huge is not supported', ['-p', '3'], eal=NO_HUGE),
    l2f('l2f-secondary', r'l2fwd_fork runs only as a primary', ['-p', '3'], proc='secondary'),
    # against live primaries (lcores 0-1 are theirs)
    case('live-smp-second-primary', 'simple_mp', r'a primary process already runs with '
         r'--file-prefix mpt\w+ \(pid {pid}\)', lcores='2@0,3@1', proc='primary', live='simple'),
    case('live-smp-same-lcores', 'simple_mp', r'lcore 0 .*pid {pid}', lcores='0@0,1@1',
         proc='secondary', live='simple'),
    case('live-smp-core-99', 'simple_mp', r'cannot initialise the EAL: core 99 unavailable',
         lcores='2@0,3@99', proc='secondary', live='simple'),
    case('live-sym-num-procs', 'symmetric_mp', r'--num-procs 4 -p 0x3 differ from the '
         r'primary.s --num-procs 2 -p 0x3', ['-p', '3', '--num-procs', '4', '--proc-id', '1'],
         '2@1', proc='secondary', live='symmetric'),
    case('live-sym-proc-id', 'symmetric_mp', r'--proc-id 0 is already run by pid {pid}', SMP,
         '2@1', proc='secondary', live='symmetric'),
    case('live-sym-lcore', 'symmetric_mp', r'lcore 0 .*pid {pid}',
         ['-p', '3', '--num-procs', '2', '--proc-id', '1'], '0@1', proc='secondary',
         live='symmetric'),
    case('live-sym-second-primary', 'symmetric_mp', r'a primary process already runs .*'
         r'\(pid {pid}\)', SMP, '2@1', proc='primary', live='symmetric'),
    case('live-cli-not-below', 'mp_client', r"client id 2 is not below the server's client "
         r"count 2", ['-n', '2'], '2@1', proc='secondary', live='server'),
    case('live-cli-range', 'mp_client', r"invalid client id '-1' \(0\.\.31", ['-n', '-1'],
         '2@1', proc='secondary', live='server'),
    case('live-cli-lcore', 'mp_client', r'lcore 0 .*pid {pid}', ['-n', '1'], '0@1',
         proc='secondary', live='server'),
    case('live-srv-secondary', 'mp_server', r'mp_server must be the primary process',
         ['-p', '3', '-n', '2'], '2@1', proc='secondary', live='server'),
    case('live-srv-auto', 'mp_server', r'mp_server must be the primary process',
         ['-p', '3', '-n', '2'], '2@1', proc='auto', live='server'),
    case('live-srv-primary', 'mp_server', r'a primary process already runs .*\(pid {pid}\)',
         ['-p', '3', '-n', '2'], '2@1', proc='primary', live='server'),
    case('live-l2f-auto', 'l2fwd_fork', r'l2fwd_fork runs only as a primary', ['-p', '3'],
         '2@0,3@1,4@0', proc='auto', vdevs=NULL2, live='server'),
]


def prefix_pids(prefix):
    """Pids of the processes whose command line names the prefix."""
    pids = []
    for d in glob.glob('/proc/[0-9]*'):
        try:
            with open(d + '/cmdline', 'rb') as f:
                argv = f.read().split(b'\0')
        except OSError:
            continue
        if prefix.encode() in argv or ('--file-prefix=' + prefix).encode() in argv:
            pids.append(int(os.path.basename(d)))
    return pids


def parent_pid(pid):
    """The parent of pid, or 0 when it is gone."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return int(f.read().rsplit(')', 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def prefix_files(prefix):
    runtime = os.path.join(mpharness.RUNTIME_DIR, prefix)
    files = glob.glob(os.path.join(mpharness.HUGEPAGE_DIR, prefix + '*'))
    if os.path.isdir(runtime):
        files += [runtime] + [os.path.join(runtime, f) for f in os.listdir(runtime)]
    return files


def holders_by_file(paths):
    """For each of paths that a process maps or holds open: the pids that do."""
    want = {os.path.realpath(p): p for p in paths}
    found = {}
    for d in glob.glob('/proc/[0-9]*'):
        pid = int(os.path.basename(d))
        try:
            names = [os.path.realpath(os.path.join(d, 'fd', fd)) for fd in os.listdir(d + '/fd')]
            with open(d + '/maps') as f:
                names += [ln.split(None, 5)[5].strip() for ln in f if len(ln.split(None, 5)) == 6]
        except OSError:
            continue
        for n in names:
            if n in want:
                found.setdefault(want[n], set()).add(pid)
    return found


def not_eal_files(prefix, files):
    """The files of the list that the EAL does not make."""
    runtime = os.path.join(mpharness.RUNTIME_DIR, prefix)
    odd = []
    for f in files:
        if f == runtime:
            continue
        name = os.path.basename(f)
        if os.path.dirname(f) == runtime and EAL_RUNTIME_FILES.match(name):
            continue
        if os.path.dirname(f) == mpharness.HUGEPAGE_DIR and \
                re.match(re.escape(prefix) + EAL_HUGE_FILES, name):
            continue
        odd.append(f)
    return odd


def run_case(group, c):
    # A refusal takes a second; a process that runs instead is stopped after 20 s.
    return group.run(c['app'], lcores=c['lcores'], proc_type=c['proc'], vdevs=c['vdevs'],
                     eal_extra=c['eal'], app_args=c['args'], timeout=20)


def fresh_case(c):
    """Run a case on its own prefix; return (group, result or the error, what was left).
    A case that fails to finish fails alone."""
    g = mpharness.Group('bad' + c['app'])
    try:
        r = run_case(g, c)
    except AssertionError as e:
        r = e
    left = dict(pids=prefix_pids(g.prefix), files=prefix_files(g.prefix))
    left['odd'] = not_eal_files(g.prefix, left['files'])
    return g, r, left


@pytest.fixture(scope='module')
def fresh_results():
    """Every fresh-prefix case, eight at a time (a refused start mostly waits, on the EAL's
    timer calibration among others); then one look at who maps or opens their files,
    the clean-up, and a look at what is left."""
    rows = [p for p in CASES if p.values[0]['live'] is None]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
        futs = {p.id: ex.submit(fresh_case, p.values[0]) for p in rows}
        done = {k: f.result() for k, f in futs.items()}
    held = holders_by_file([f for _, _, left in done.values() for f in left['files']])
    results = {}
    for k, (g, r, left) in done.items():
        left['held'] = {pid for f in left['files'] for pid in held.get(f, ())}
        g.close()
        left['after'] = prefix_files(g.prefix)
        results[k] = (r, left)
    return results


@pytest.fixture(scope='module')
def live():
    """Three groups with a live primary each; yields name -> (group, primary pid)."""
    groups = {}
    try:
        g = mpharness.Group('badlive_smp')
        groups['simple'] = g
        p = g.start('simple_mp', lcores='0@0,1@1', proc_type='primary', prompt='simple_mp > ',
                    timeout=WAIT)
        g.pid = p.pid
        g = mpharness.Group('badlive_sym')
        groups['symmetric'] = g
        p = g.start('symmetric_mp', lcores='0@0', proc_type='primary', vdevs=NULL2,
                    app_args=SMP, timeout=WAIT)
        p.expect(r'process 0 of 2 \(primary', timeout=WAIT)
        g.pid = p.pid
        g = mpharness.Group('badlive_srv')
        groups['server'] = g
        p = g.start('mp_server', lcores='0@0', vdevs=NULL2, eal_extra=['-m', '256'],
                    app_args=['-p', '3', '-n', '2'], timeout=WAIT)
        p.expect(r'mp_server: 2 clients', timeout=WAIT)
        g.pid = p.pid
        yield groups
    finally:
        for g in groups.values():
            g.close()
        for g in groups.values():
            assert prefix_files(g.prefix) == [], 'clean-up left files of ' + g.prefix


def app_lines(out, app):
    return [ln for ln in out.splitlines() if re.match(r'(dpdk-)?%s: ' % app, ln)]


def check_refusal(r, c, pattern):
    assert r.returncode == 1, 'exit status %s:\n%s' % (r.returncode, r.stdout)
    lines = app_lines(r.stdout, c['app'])
    assert len(lines) == 1, 'expected one line of %s:\n%s' % (c['app'], r.stdout)
    assert re.search(pattern, lines[0]), lines[0]
    assert 'Success' not in lines[0]


def test_case_count():
    assert len(CASES) >= 60
    assert {p.values[0]['app'] for p in CASES} == {'simple_mp', 'symmetric_mp', 'mp_server',
                                                  'mp_client', 'l2fwd_fork'}


@pytest.mark.parametrize('c', CASES)
def test_bad_input(c, request):
    if c['live'] is None:
        r, left = request.getfixturevalue('fresh_results')[request.node.callspec.id]
        if isinstance(r, AssertionError):
            raise r
        check_refusal(r, c, c['pattern'])
        assert left['pids'] == [], 'processes left: %s' % left['pids']
        assert not left['held'], 'files still mapped or open by %s' % left['held']
        assert left['odd'] == [], 'files the EAL does not make: %s' % left['odd']
        assert left['after'] == [], 'left after clean-up: %s' % left['after']
        return
    g = request.getfixturevalue('live')[c['live']]
    r = run_case(g, c)
    check_refusal(r, c, c['pattern'].format(pid=g.pid))
    primary = g.procs[0].pid
    # The primary's own children (mp_server's fork server, a copy of it)
    # belong to the group; the refused process must be gone.
    others = [p for p in prefix_pids(g.prefix) if p != primary and parent_pid(p) != primary]
    assert others == [], 'the group holds other processes'
    assert g.procs[0].alive()
