#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Run one devtools check for the devtools-tests suite.

  tree CHECK           the check on the source tree must pass
  patch SAMPLE         checkpatches.sh on a sample patch
  commits              checkpatches.sh -n/-r on commits of a scratch repository
  gitlog SAMPLE        check-git-log.sh on a commit with a sample message
  gitlog-baseline      check-git-log.sh limited by a recorded baseline
  meson SAMPLE         check-meson.py on a sample meson.build
  meson-fix SAMPLE     check-meson.py --fix turns SAMPLE into SAMPLE's .fixed
  symbols SAMPLEDIR    check-symbol-maps.sh on a sample library directory
  maintainers SAMPLEDIR  check-maintainers.py on a sample tree with a MAINTAINERS
  testlog              testlog.py on samples/testlog/testlog.json: each
                       subcommand prints exactly its .out file
  exceptions           an exception silences its finding, and one that matches
                       nothing fails the whole-tree check (--worktree)
  tools                checkpatches.sh without codespell, clang-format, git:
                       installs nothing, names the packages to install
  matrix               test-meson-builds.sh: syntax, --help, -l, dry run
  mutations            test-mutations.sh -l: the table lists at least 12 mutations,
                       one in each area, every one applies (its original code
                       occurs once), its tests exist; a rotten table is refused
  readme               README.md: the Contributing section names every check,
                       the two set-up commands, .ci/run, every script named
  help SCRIPT          SCRIPT --help exits 0 with a usage text
  clean-prefixes       usertools/pack-env.sh clean_stale_prefixes removes an old,
                       unused prefix, and keeps a young one, one whose config is
                       locked (even when fuser sees no process) and one in use

A sample named good* must pass; any other must fail (non-zero exit) and
print every line of its .expect file (sample name + ".expect"). So a check
that cannot fail, or one that always fails, is caught.
Exit status: 0 pass, 1 fail, 77 skip (Meson's code).
"""

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get('MP_PACK_SOURCE_DIR') or \
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILD = os.environ.get('MP_PACK_BUILD_DIR', '')
DEVTOOLS = os.path.join(SRC, 'devtools')
SAMPLES = os.path.join(SRC, 'app', 'test', 'devtools', 'samples')
SKIP = 77
TIMEOUT = 600

# Git must work the same for everyone: no user configuration, a fixed identity.
GIT_ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM='1', HOME=tempfile.gettempdir(),
               GIT_AUTHOR_NAME='Sample Author', GIT_AUTHOR_EMAIL='sample@example.invalid',
               GIT_COMMITTER_NAME='Sample Author',
               GIT_COMMITTER_EMAIL='sample@example.invalid')
SIGNOFF = 'Signed-off-by: Sample Author <sample@example.invalid>'


def run(cmd, cwd=None, env=None, stdin=None):
    print('$ ' + ' '.join(cmd))
    r = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                       timeout=TIMEOUT)
    out = r.stdout + r.stderr
    print(out, end='' if out.endswith('\n') or not out else '\n')
    print('exit status %d' % r.returncode)
    return r.returncode, out


def expect(sample, rc, out, subst=None):
    """Good samples pass; bad ones fail with each expected line."""
    name = os.path.basename(sample.rstrip('/'))
    if name.startswith('good'):
        if rc != 0:
            print('FAIL: the good sample %s was rejected' % name)
            return 1
        print('PASS: the good sample %s was accepted' % name)
        return 0
    if rc == 0:
        print('FAIL: the bad sample %s was not caught (exit status 0)' % name)
        return 1
    if rc not in (1,):
        print('FAIL: %s: exit status %d, expected 1 (a finding, not a crash)' % (name, rc))
        return 1
    exp = sample.rstrip('/')
    exp = os.path.splitext(exp)[0] + '.expect' if not os.path.isdir(exp) else exp + '.expect'
    with open(exp, encoding='utf-8') as f:
        wanted = [line.rstrip('\n') for line in f if line.strip() and not line.startswith('#')]
    for key, value in (subst or {}).items():
        wanted = [w.replace(key, value) for w in wanted]
    if not wanted:
        print('FAIL: %s lists no expected message' % exp)
        return 1
    missing = [w for w in wanted if w not in out]
    for w in missing:
        print('FAIL: expected message not printed: %s' % w)
    if missing:
        return 1
    print('PASS: %s caught with the %d expected message(s)' % (name, len(wanted)))
    return 0


def git(repo, *args, stdin=None):
    r = subprocess.run(['git'] + list(args), cwd=repo, env=GIT_ENV, input=stdin,
                       capture_output=True, text=True, check=True)
    return r.stdout.strip()


def scratch_repo(tmp):
    repo = os.path.join(tmp, 'repo')
    os.makedirs(repo)
    git(repo, 'init', '-q', '-b', 'main')
    with open(os.path.join(repo, 'README'), 'w', encoding='utf-8') as f:
        f.write('scratch\n')
    git(repo, 'add', 'README')
    git(repo, 'commit', '-q', '-F', '-',
        stdin='build: add scratch base\n\nA base commit for the sample.\n\n%s\n' % SIGNOFF)
    return repo


def test_tree(check):
    gitdir = os.path.isdir(os.path.join(SRC, '.git')) or os.path.isfile(os.path.join(SRC, '.git'))
    if check == 'checkpatches':
        if not gitdir:
            print('SKIP: the source tree is not a git work tree')
            return SKIP
        rc, _ = run([os.path.join(DEVTOOLS, 'checkpatches.sh'), '-a', '-q'], cwd=SRC)
    elif check == 'check-git-log':
        if not gitdir:
            print('SKIP: the source tree is not a git work tree')
            return SKIP
        shallow = subprocess.run(['git', 'rev-parse', '--is-shallow-repository'], cwd=SRC,
                                 capture_output=True, text=True).stdout.strip()
        if shallow == 'true':
            print('SKIP: shallow clone, the history to check is incomplete')
            return SKIP
        rc, _ = run([os.path.join(DEVTOOLS, 'check-git-log.sh')], cwd=SRC)
    elif check == 'check-meson':
        rc, _ = run([os.path.join(DEVTOOLS, 'check-meson.py')], cwd=SRC)
    elif check == 'check-maintainers':
        rc, _ = run([sys.executable, os.path.join(DEVTOOLS, 'check-maintainers.py')], cwd=SRC)
    elif check == 'check-symbol-maps':
        cmd = [os.path.join(DEVTOOLS, 'check-symbol-maps.sh')]
        if BUILD:
            cmd += ['-b', BUILD]
        rc, _ = run(cmd, cwd=SRC)
    else:
        print('unknown tree check %s' % check)
        return 1
    print('PASS: the tree passes %s' % check if rc == 0 else 'FAIL: the tree fails %s' % check)
    return 0 if rc == 0 else 1


def test_patch(sample):
    rc, out = run([os.path.join(DEVTOOLS, 'checkpatches.sh'), sample], cwd=SAMPLES)
    return expect(sample, rc, out)


def test_commits():
    """checkpatches.sh -n and -r on real commits: bad ones caught, good ones not,
    and clang-format drift looked for on the changed lines only."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = scratch_repo(tmp)
        os.makedirs(os.path.join(repo, 'lib', 'demo'))
        path = os.path.join(repo, 'lib', 'demo', 'demo.c')
        with open(path, 'w', encoding='utf-8') as f:
            f.write('/* SPDX-License-Identifier: BSD-3-Clause */\n\n'
                    'int legacy(void){ return 0; }\n')
        git(repo, 'add', 'lib')
        git(repo, 'commit', '-q', '-m', 'demo: add legacy code')
        with open(path, 'a', encoding='utf-8') as f:
            f.write('\nint\ndemo_value(void)\n{\n\treturn 1;\n}\n')
        git(repo, 'commit', '-q', '-a', '-m', 'demo: add value')
        with open(path, 'a', encoding='utf-8') as f:
            # A 64-bit format without PRIu64, spelt so as not to trip the tree check.
            f.write('\nvoid\ndemo_print(void)\n{\n\tprintf("%' + 'llu\\n", 1ULL);\n}\n')
        git(repo, 'commit', '-q', '-a', '-m', 'demo: add print')
        script = os.path.join(DEVTOOLS, 'checkpatches.sh')
        checks = [
            (['-n', '1'], 1, ['ERROR:LIB-TOKEN: lib/demo/demo.c:14',
                              'ERROR:FORMAT-STRING: lib/demo/demo.c:14', '0/1 valid patch']),
            (['-r', 'HEAD~2..HEAD~1'], 0, ['1/1 valid patch']),
            (['-r', 'HEAD~2..'], 1, ['1/2 valid patches']),
            (['-n', '3'], 1, ['ERROR:CLANG-FORMAT: lib/demo/demo.c:3', '1/3 valid patches']),
        ]
        status = 0
        for args, want_rc, wanted in checks:
            rc, out = run([script] + args, cwd=repo)
            missing = [w for w in wanted if w not in out]
            if rc != want_rc or missing:
                print('FAIL: checkpatches.sh %s: exit status %d (expected %d), missing %s'
                      % (' '.join(args), rc, want_rc, missing))
                status = 1
        print('PASS' if status == 0 else 'FAIL')
        return status


def test_gitlog(sample):
    with tempfile.TemporaryDirectory() as tmp:
        repo = scratch_repo(tmp)
        base = git(repo, 'rev-parse', '--short=12', 'HEAD')
        with open(sample, encoding='utf-8') as f:
            msg = f.read().replace('@BASE@', base)
        with open(os.path.join(repo, 'README'), 'a', encoding='utf-8') as f:
            f.write('change\n')
        git(repo, 'commit', '-q', '-a', '--cleanup=verbatim', '-F', '-', stdin=msg)
        rc, out = run([os.path.join(DEVTOOLS, 'check-git-log.sh'), '-n', '1'], cwd=repo)
        status = expect(sample, rc, out, {'@BASE@': base})
        # The same message checked as a commit-msg hook would.
        rc2, out2 = run([os.path.join(DEVTOOLS, 'check-git-log.sh'), '-m', '-'],
                        cwd=repo, stdin=msg)
        if (rc2 == 0) != (rc == 0):
            print('FAIL: -m gives exit status %d, -n 1 gives %d' % (rc2, rc))
            status = 1
        return status


def test_gitlog_baseline():
    """A bad commit before the recorded baseline is out of the tree check's scope."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = scratch_repo(tmp)
        script = os.path.join(DEVTOOLS, 'check-git-log.sh')
        with open(os.path.join(repo, 'README'), 'a', encoding='utf-8') as f:
            f.write('bad\n')
        git(repo, 'commit', '-q', '-a', '-m', 'Bad headline.')
        bad = git(repo, 'rev-parse', 'HEAD')
        with open(os.path.join(repo, 'README'), 'a', encoding='utf-8') as f:
            f.write('good\n')
        git(repo, 'commit', '-q', '-a', '-F', '-',
            stdin='doc: add a good line\n\nA good message.\n\n%s\n' % SIGNOFF)
        status = 0
        rc, out = run([script], cwd=repo)
        if rc != 1 or '2/3 valid commit messages' not in out:
            print('FAIL: the bad commit was not caught without a baseline')
            status = 1
        rc, out = run([script], cwd=repo, env=dict(GIT_ENV, MP_PACK_GIT_LOG_BASE=bad))
        if rc != 0 or '1/1 valid commit messages' not in out:
            print('FAIL: $MP_PACK_GIT_LOG_BASE did not limit the check')
            status = 1
        os.makedirs(os.path.join(repo, 'devtools'))
        with open(os.path.join(repo, 'devtools', 'git-log-baseline'), 'w',
                  encoding='utf-8') as f:
            f.write(bad + '\n# the last commit before the rules applied\n')
        rc, out = run([script], cwd=repo)
        if rc != 0 or '1/1 valid commit messages' not in out:
            print('FAIL: devtools/git-log-baseline did not limit the check')
            status = 1
        print('PASS' if status == 0 else 'FAIL')
        return status


def test_meson(sample):
    rc, out = run([sys.executable, os.path.join(DEVTOOLS, 'check-meson.py'), sample])
    return expect(sample, rc, out)


def test_meson_fix(sample):
    fixed = os.path.splitext(sample)[0] + '.fixed'
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, 'meson.build')
        shutil.copy(sample, work)
        rc, _ = run([sys.executable, os.path.join(DEVTOOLS, 'check-meson.py'), '--fix', work])
        with open(work, encoding='utf-8') as f:
            got = f.read()
    with open(fixed, encoding='utf-8') as f:
        want = f.read()
    if got != want:
        print('FAIL: --fix gave:\n%s\nexpected:\n%s' % (got, want))
        return 1
    if rc != 0:
        print('FAIL: --fix left problems it should have fixed')
        return 1
    print('PASS: --fix produced %s' % os.path.basename(fixed))
    return 0


def test_symbols(sample):
    if shutil.which('pkg-config') is None or \
            subprocess.run(['pkg-config', '--exists', 'libdpdk']).returncode != 0:
        print('SKIP: no libdpdk for pkg-config, the headers cannot be compiled')
        return SKIP
    env = dict(os.environ)
    env.pop('MP_PACK_BUILD_DIR', None)  # source mode: the sample has no binary
    rc, out = run([os.path.join(DEVTOOLS, 'check-symbol-maps.sh'), sample], env=env)
    return expect(sample, rc, out)


def test_testlog():
    """What devtools/test.sh reads from Meson's test log, line for line."""
    d = os.path.join(SAMPLES, 'testlog')
    log = os.path.join(d, 'testlog.json')
    strict = os.path.join(d, 'results-strict.out')
    status = 0
    for out, args in (('results', ['results', log, 'cmocka:']),
                      ('results-strict', ['results', '--strict', log]),
                      ('retry', ['retry', strict]),
                      ('rerun', ['rerun', strict, os.path.join(d, 'rerun.json')]),
                      ('figures', ['figures', log])):
        r = subprocess.run([sys.executable, os.path.join(DEVTOOLS, 'testlog.py')] + args,
                           capture_output=True, text=True, timeout=TIMEOUT)
        with open(os.path.join(d, out + '.out'), encoding='utf-8') as f:
            want = f.read()
        if r.returncode != 0 or r.stdout != want:
            print('FAIL: testlog.py %s: exit status %d, output:\n%s%s\nexpected:\n%s'
                  % (' '.join(args[:2]), r.returncode, r.stdout, r.stderr, want))
            status = 1
        else:
            print('PASS: testlog.py %s (%s.out)' % (args[0], out))
    return status


def test_exceptions():
    """An exception hides what it names; on the whole tree, a stale one is an error."""
    engine = os.path.join(DEVTOOLS, 'checkpatches.py')
    sample = os.path.join(SAMPLES, 'patches', 'bad-atomic.patch')
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        exc = os.path.join(tmp, 'exceptions.txt')
        with open(exc, 'w', encoding='utf-8') as f:
            f.write('# a used one, then a stale one\n'
                    'atomic\tlib/demo/*\t__atomic_fetch_add\n'
                    'thread\tlib/gone/gone.cpp\n'
                    'thread\tlib/gone/*\n')
        base = [sys.executable, engine, '--top', SAMPLES, '--exceptions', exc, sample]
        rc, out = run(base, cwd=SAMPLES)
        if 'lib/demo/demo_count.cpp' in out or 'ERROR:ATOMIC: examples/demo' not in out:
            print('FAIL: the exception did not hide exactly its finding')
            status = 1
        if 'ERROR:EXCEPTION' in out:
            print('FAIL: a stale exception reported outside the whole-tree check')
            status = 1
        rc, out = run(base + ['--worktree'], cwd=SAMPLES)
        want = 'ERROR:EXCEPTION: %s:3: matches nothing in the tree, remove it: thread' \
            % os.path.relpath(exc, SAMPLES)
        if rc != 1 or want not in out or 'matches nothing' in out.replace(want, ''):
            print('FAIL: expected only "%s"' % want)
            status = 1
    print('PASS' if status == 0 else 'FAIL')
    return status


def test_tools():
    """checkpatches.sh installs nothing: a missing optional tool skips its check
    with a warning naming the package, a missing git stops it with status 2."""
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        bindir = os.path.join(tmp, 'bin')
        os.makedirs(bindir)
        marker = os.path.join(tmp, 'installed')
        # Only what the script needs besides the tools under test; an installer
        # that leaves a mark if anything calls it.
        for tool in ('basename', 'dirname', 'id'):
            os.symlink(shutil.which(tool), os.path.join(bindir, tool))
        for tool in ('apt-get', 'apt', 'sudo', 'pip3', 'pip'):
            with open(os.path.join(bindir, tool), 'w', encoding='utf-8') as f:
                f.write('#!/bin/sh\necho "$0 $*" >>%s\nexit 0\n' % marker)
            os.chmod(os.path.join(bindir, tool), 0o755)
        env = dict(os.environ, PATH=bindir)
        script = os.path.join(DEVTOOLS, 'checkpatches.sh')
        rc, out = run([script, os.path.join(SAMPLES, 'patches', 'good.patch')],
                      cwd=SAMPLES, env=env)
        for tool in ('codespell', 'clang-format'):
            want = '%s not found: its check was skipped; install the Debian package %s' \
                % (tool, tool)
            if want not in out:
                print('FAIL: no warning "%s"' % want)
                status = 1
        if rc != 0:
            print('FAIL: a skipped optional check made the good sample fail')
            status = 1
        rc, out = run([script, '-n', '1'], cwd=SRC, env=env)
        if rc != 2 or 'git not found: install the Debian package git' not in out:
            print('FAIL: without git, -n 1 did not stop naming the package')
            status = 1
        if os.path.exists(marker):
            with open(marker, encoding='utf-8') as f:
                print('FAIL: checkpatches.sh ran an installer: %s' % f.read())
            status = 1
    print('PASS' if status == 0 else 'FAIL')
    return status


def test_clean_prefixes():
    """clean_stale_prefixes never removes a prefix that a process may be creating
    (young runtime directory) or that a process holds (a lock on a file in it, or
    the config open): fuser is replaced by a stub so that each rule is tested alone."""
    if not os.access('/var/run/dpdk', os.W_OK) and not os.access('/var/run', os.W_OK):
        print('SKIP: /var/run/dpdk is not writable')
        return SKIP
    status = 0
    prefix = 'mpdtclean%d' % os.getpid()
    rundir = os.path.join('/var/run/dpdk', prefix)
    hugefile = os.path.join('/dev/hugepages', prefix + 'map_0')
    old = 1_000_000_000     # 2001: long past any STALE_AGE

    def make(when):
        os.makedirs(rundir, exist_ok=True)
        config = os.path.join(rundir, 'config')
        open(config, 'a', encoding='utf-8').close()
        for path in (config, rundir):
            os.utime(path, (when, when))
        if os.path.isdir('/dev/hugepages'):
            open(hugefile, 'a', encoding='utf-8').close()
        return config

    def clean(bindir, stale_age='60'):
        env = dict(os.environ, PATH=bindir + ':' + os.environ['PATH'], STALE_AGE=stale_age)
        rc, _ = run(['sh', '-c', '. usertools/pack-env.sh && clean_stale_prefixes ' + prefix],
                    cwd=SRC, env=env)
        return rc == 0 and os.path.exists(rundir)

    def check(what, kept, want_kept):
        nonlocal status
        if kept != want_kept:
            print('FAIL: %s was %s' % (what, 'kept' if kept else 'removed'))
            status = 1

    with tempfile.TemporaryDirectory() as tmp:
        free, busy = os.path.join(tmp, 'free'), os.path.join(tmp, 'busy')
        for d, code in ((free, 1), (busy, 0)):
            os.makedirs(d)
            with open(os.path.join(d, 'fuser'), 'w', encoding='utf-8') as f:
                f.write('#!/bin/sh\nexit %d\n' % code)
            os.chmod(os.path.join(d, 'fuser'), 0o755)
        try:
            make(old)
            check('an old prefix that no process uses', clean(free), False)
            if os.path.isdir('/dev/hugepages') and os.path.exists(hugefile):
                print('FAIL: its hugepage file was left')
                status = 1
            # The runtime directory of a process being created, before its lock.
            make(time.time())
            check('a prefix created now (STALE_AGE 3600)', clean(free, '3600'), True)
            make(time.time() + 3600)
            check('a prefix with a time in the future', clean(free), True)
            shutil.rmtree(rundir, ignore_errors=True)
            # A primary holds a write lock (fcntl) on its config file.
            config = make(old)
            with open(config, 'r+', encoding='utf-8') as f:
                fcntl.lockf(f, fcntl.LOCK_EX)
                check('an old prefix whose config is locked', clean(free), True)
            check('the same prefix once unlocked', clean(free), False)
            make(old)
            check('an old prefix fuser finds in use', clean(busy), True)
        finally:
            shutil.rmtree(rundir, ignore_errors=True)
            if os.path.exists(hugefile):
                os.unlink(hugefile)
    print('PASS' if status == 0 else 'FAIL')
    return status


def test_maintainers(sample):
    rc, out = run([sys.executable, os.path.join(DEVTOOLS, 'check-maintainers.py'),
                   '--top', sample])
    return expect(sample, rc, out)


def test_matrix():
    script = os.path.join(DEVTOOLS, 'test-meson-builds.sh')
    status = 0
    rc, _ = run(['sh', '-n', script])
    status |= rc != 0
    rc, out = run([script, '-l'])
    steps = out.split()
    for want in ('gcc-debug-shared', 'clang-release-static', 'asan', 'install', 'make',
                 'mutations'):
        if want not in steps:
            print('FAIL: step %s not listed' % want)
            status = 1
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MP_PACK_BUILDS_DIR=tmp, DPDK_BUILD_DIR=tmp)
        rc, out = run([script, '-n'], env=env)
        for want in ('-Dwerror=true', '-Db_sanitize=address,undefined', '--suite fast-tests',
                     '--suite mp-tests', 'meson install', 'examples.mk', '-Ddefault_library=static',
                     'CC=clang', 'test-mutations.sh'):
            if want not in out:
                print('FAIL: the dry run never shows %s' % want)
                status = 1
        if rc == 0 or 'not a DPDK build tree' not in out:
            print('FAIL: a DPDK_BUILD_DIR without meson-uninstalled was not refused')
            status = 1
        if os.listdir(tmp):
            print('FAIL: the dry run wrote into %s' % tmp)
            status = 1
        rc, _ = run([script, '-n', '-s', 'no-such-step'], env=env)
        if rc != 2:
            print('FAIL: an unknown step was accepted')
            status = 1
    print('PASS' if status == 0 else 'FAIL')
    return 1 if status else 0


# Where the mutations must reach: a file (or directory) each, from the top.
MUTATION_AREAS = [
    'lib/mpsupport/mps_lcore.cpp',
    'lib/mpsupport/mps_registry.cpp',
    'lib/mpsupport/mps_notify.cpp',
    'lib/mpsupport/mps_recovery.cpp',
    'lib/mpsupport/mps_worker.cpp',
    'lib/mpsupport/mps_res.cpp',
    'lib/mpsupport/rte_mps_tx.h',
    'examples/multi_process/client_server_mp/mp_server/',
    'examples/multi_process/l2fwd_fork/supervisor.cpp',
    'examples/multi_process/simple_mp/',
    'examples/multi_process/symmetric_mp/',
]


def test_mutations():
    script = os.path.join(DEVTOOLS, 'test-mutations.sh')
    status = 0
    rc, _ = run(['sh', '-n', script])
    status |= rc != 0
    rc, out = run([script, '-l'])
    entries = re.findall(r'^ *\d+ ([a-z0-9-]+): .*\n +(\S+); tests: (.*)$', out, re.M)
    if rc != 0:
        print('FAIL: -l exits with %d: an entry of the table does not apply' % rc)
        status = 1
    if len(entries) < 12:
        print('FAIL: -l lists %d mutations, fewer than 12' % len(entries))
        status = 1
    for area in MUTATION_AREAS:
        if not any(f == area or (area.endswith('/') and f.startswith(area))
                   for _, f, _ in entries):
            print('FAIL: no mutation of %s' % area)
            status = 1
    # Every test a mutation names is one Meson knows (when the build is here).
    if BUILD and os.path.exists(os.path.join(BUILD, 'build.ninja')):
        meson = '/usr/bin/meson' if os.path.exists('/usr/bin/meson') else 'meson'
        rc, listed = run([meson, 'test', '-C', BUILD, '--no-rebuild', '--list'])
        known = {ln.split(' / ')[-1].strip() for ln in listed.splitlines() if ' / ' in ln}
        suites = {x for ln in listed.splitlines() if ' / ' in ln
                  for x in ln.split(' / ')[0].split(':')[-1].split('+')}
        for name, _, tests in entries:
            for t in tests.split():
                ok = t[6:] in suites if t.startswith('suite:') else t.split('::')[0] in known
                if not ok:
                    print('FAIL: mutation %s names an unknown test %s' % (name, t))
                    status = 1
    # A table whose original code is gone, or occurs twice, is refused.
    rotten = {
        'gone': ('file: lib/mpsupport/mps_lcore.cpp\n- no such code in this file;\n',
                 'occurs 0 times'),
        'twice': ('file: lib/mpsupport/mps_lcore.cpp\n- return 0;\n', 'occurs '),
        'no-file': ('file: lib/no/such.cpp\n- return 0;\n', 'No such file'),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for kind, (body, message) in rotten.items():
            table = os.path.join(tmp, kind + '.txt')
            with open(table, 'w', encoding='utf-8') as f:
                f.write('== rotten-%s: a sample\n%stests: mpsupport-lcore\n+ x;\n' % (kind, body))
            rc, out = run([script, '-l', '-f', table])
            if rc == 0 or message not in out or 'rotten-' + kind not in out:
                print('FAIL: a table whose code is %s was not refused with "%s"'
                      % (kind, message))
                status = 1
    print('PASS' if status == 0 else 'FAIL')
    return 1 if status else 0


def test_readme():
    """The README's Contributing section names every check a contributor runs."""
    path = os.path.join(SRC, 'README.md')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    section = text.split('\n## Contributing', 1)
    if len(section) < 2:
        print('FAIL: README.md has no "## Contributing" section')
        return 1
    body = section[1].split('\n## ', 1)[0]
    missing = [s for s in ('checkpatches.sh', 'check-git-log.sh', 'check-meson.py',
                           'check-symbol-maps.sh', 'test-meson-builds.sh',
                           'check-maintainers.py', 'test-mutations.sh') if s not in body]
    for s in missing:
        print('FAIL: the Contributing section does not name devtools/%s' % s)
    status = 1 if missing else 0
    # Set-up: exactly two commands, the demo (a user's) and every test (a
    # contributor's), and the CI runs the second and nothing else.
    setup = text.split('\n## Set up and run', 1)
    setup = setup[1].split('\n## ', 1)[0].split('\nAfter either', 1)[0] if len(setup) > 1 else ''
    blocks = re.findall(r'```sh\n(.*?)```', setup, re.S)
    cmds = [c.strip() for b in blocks for c in b.splitlines() if c.strip()]
    if cmds != ['devtools/quickstart.sh', 'devtools/test.sh']:
        print('FAIL: "Set up and run" shows %s, not devtools/quickstart.sh then '
              'devtools/test.sh' % cmds)
        status = 1
    with open(os.path.join(SRC, '.ci', 'run'), encoding='utf-8') as f:
        ci = [ln.strip() for ln in f if ln.strip() and not ln.startswith('#')]
    if ci != ['exec "$(dirname "$0")/../devtools/test.sh"']:
        print('FAIL: .ci/run does more than run devtools/test.sh: %s' % ci)
        status = 1
    # Every script the README names exists, where it says.
    for path in sorted(set(re.findall(r'(?<![\w/])((?:user|dev)tools/[\w./-]+\w)', text))):
        if not os.path.exists(os.path.join(SRC, path)):
            print('FAIL: README.md names %s, which does not exist' % path)
            status = 1
    print('PASS' if status == 0 else 'FAIL')
    return status


def test_help(script):
    path = os.path.join(DEVTOOLS, script)
    cmd = [sys.executable, path] if script.endswith('.py') else [path]
    rc, out = run(cmd + ['--help'])
    if rc != 0 or 'usage' not in out.lower():
        print('FAIL: %s --help' % script)
        return 1
    rc, _ = run(cmd + ['--no-such-option'])
    if rc == 0:
        print('FAIL: %s accepts an unknown option' % script)
        return 1
    print('PASS')
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 1
    kind, rest = sys.argv[1], sys.argv[2:]
    sample = lambda: os.path.join(SAMPLES, rest[0])
    tests = {
        'tree': lambda: test_tree(rest[0]),
        'patch': lambda: test_patch(sample()),
        'commits': test_commits,
        'gitlog': lambda: test_gitlog(sample()),
        'gitlog-baseline': test_gitlog_baseline,
        'meson': lambda: test_meson(sample()),
        'meson-fix': lambda: test_meson_fix(sample()),
        'symbols': lambda: test_symbols(sample()),
        'maintainers': lambda: test_maintainers(sample()),
        'testlog': test_testlog,
        'tools': test_tools,
        'exceptions': test_exceptions,
        'matrix': test_matrix,
        'mutations': test_mutations,
        'readme': test_readme,
        'help': lambda: test_help(rest[0]),
        'clean-prefixes': test_clean_prefixes,
    }
    if kind not in tests:
        print(__doc__)
        return 1
    return tests[kind]()


if __name__ == '__main__':
    sys.exit(main())
