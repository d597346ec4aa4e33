#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Check that every command line shown in the guides is exercised.

Each command found by guide_commands.py must be covered in one of these ways:

vdev run
   A command of one of the pack's applications that passes ``--no-pci``.
   This test runs it: the commands of one page that share a ``--file-prefix`` form a group,
   started in page order with the prefix replaced by a private one.
   Each process must print the output the guide shows after the command
   (or, when the guide shows none, reach its ready state),
   and must exit with status 0 when stopped.
   When the last line the guide shows after a command is an error message
   (it says "error" or "cannot"), the process must print what is shown and exit
   with a status other than 0: that is a documented error.

NIC twin
   A command of an application without ``--no-pci`` (a real NIC).
   It cannot run here, so the guides must also show a vdev run of it that differs only in
   the device, lcore and file-prefix options.

commands.ini
   Any other command has a section in commands.ini whose ``command`` is its exact text, and
   one of:
   ``run`` (this test runs it as it is, in the directory the section names),
   ``dry`` (this test runs the given variant, which must contain every word of the command in
   order: the command plus flags that make it harmless),
   ``check`` with ``why`` (for a command that changes the machine, a check of the state it
   sets up), or ``e2e`` (an end-to-end test, ``file.py::function``, that does it; for a command
   typed at an application prompt, that function must contain the command's text, and
   ``evidence`` names text that the function must contain, such as the signal it sends).
   A section that no guide command uses is an error too.

devtools
   ``devtools = script.sh::function`` with ``evidence``: a function of a devtools script run
   by a Meson test suite (the DPDK tree builds of dpdk-tree-tests) does what the command does;
   the function must exist, contain the evidence, and the script must be registered as a test.
"""

import argparse
import ast
import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guide_commands  # noqa: E402

SKIP_EXIT = 77
APP_RE = re.compile(r'^(?:\./)?build/examples/(dpdk-[a-z0-9_]+)$')
# DPDK's own tools, run to completion inside a group started by the same page.
# Lines shown after the command that start with the tool's prompt are its input.
PEERS = {
    'dpdk-proc-info': {'prompt': None, 'dpdk': True},
    'dpdk-telemetry.py': {'prompt': '--> ', 'dpdk': False},
}

# What a process prints once it is up, for commands shown without their output.
READY = {
    'dpdk-simple_mp': re.escape('simple_mp > '),
}
# How to ask a process to leave; SIGINT when not listed.
QUIT = {
    'dpdk-simple_mp': 'quit',
}
START_TIMEOUT = 40
STOP_TIMEOUT = 10

# EAL options that only pick devices, lcores or the group: a NIC command and its vdev twin
# may differ in these and nothing else.
DEVICE_OPTS_ARG = {'-a', '--allow', '-b', '--block', '--vdev', '--file-prefix', '-l', '-c',
                   '--lcores', '-n', '-d'}
DEVICE_OPTS_FLAG = {'--no-pci'}


def ok(kind, cmd, extra=''):
    note = '  [%s]' % extra if extra else ''
    print('ok   %-6s %s  %s%s' % (kind, cmd.where(), cmd.text, note))


def split_eal(argv):
    """Split an application argv into (binary, EAL args, app args or None)."""
    if '--' in argv:
        i = argv.index('--')
        return argv[0], argv[1:i], argv[i + 1:]
    return argv[0], argv[1:], None


def eal_option(eal, name):
    """Value of an EAL option given as 'name value' or 'name=value', else None."""
    for i, a in enumerate(eal):
        if a == name and i + 1 < len(eal):
            return eal[i + 1]
        if a.startswith(name + '='):
            return a[len(name) + 1:]
    return None


def without_device_opts(argv):
    binary, eal, app = split_eal(argv)
    out = []
    skip = False
    for a in eal:
        if skip:
            skip = False
            continue
        name = a.split('=', 1)[0]
        if name in DEVICE_OPTS_FLAG:
            continue
        if name in DEVICE_OPTS_ARG:
            skip = '=' not in a
            continue
        if re.match(r'^-[lcn][0-9]', a):
            continue
        out.append(a)
    return (os.path.basename(binary), tuple(out), tuple(app) if app is not None else None)


def app_command(cmd):
    """(argv, name) when cmd starts one of the pack's applications or a DPDK peer tool."""
    if cmd.prompt == 'app':
        return None, None
    try:
        argv = shlex.split(cmd.text)
    except ValueError:
        return None, None
    if not argv:
        return None, None
    if argv[0] in PEERS:
        return argv, argv[0]
    m = APP_RE.match(argv[0])
    if not m:
        return None, None
    return argv, m.group(1)


def peer_input(cmd):
    """Lines the guide shows typed at a peer tool's prompt."""
    prompt = PEERS[cmd_name(cmd)]['prompt']
    if not prompt:
        return []
    return [ln.strip()[len(prompt):] for ln in cmd.output if ln.strip().startswith(prompt.strip())]


def cmd_name(cmd):
    return shlex.split(cmd.text)[0]


def is_subsequence(small, big):
    it = iter(big)
    return all(any(s == b for b in it) for s in small)


def function_source(path, name):
    with open(path, encoding='utf-8') as f:
        src = f.read()
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return ast.get_source_segment(src, node)
    return None


def check_e2e(cmd, ref, evidence, e2e_dir, fails):
    if '::' not in ref:
        fails.add(cmd.where(), 'e2e reference %r is not file.py::function' % ref)
        return False
    fname, func = ref.split('::', 1)
    path = os.path.join(e2e_dir, fname)
    if not (fname.startswith('test_') and os.path.isfile(path)):
        fails.add(cmd.where(), 'e2e test file %s does not exist' % path)
        return False
    body = function_source(path, func)
    if body is None:
        fails.add(cmd.where(), 'no function %s in %s' % (func, path))
        return False
    if cmd.prompt == 'app' and cmd.text not in body:
        fails.add(cmd.where(), '%s does not type %r' % (ref, cmd.text))
        return False
    if evidence and evidence not in body:
        fails.add(cmd.where(), '%s does not contain %r' % (ref, evidence))
        return False
    return True


def check_devtools(cmd, ref, evidence, source_dir, fails):
    """A shell function of a devtools script, run by a registered Meson test, does cmd."""
    if '::' not in ref or not evidence:
        fails.add(cmd.where(), 'devtools needs script.sh::function and an evidence')
        return False
    script, func = ref.split('::', 1)
    path = os.path.join(source_dir, 'devtools', script)
    if not os.path.isfile(path):
        fails.add(cmd.where(), '%s does not exist' % path)
        return False
    with open(path, encoding='utf-8') as f:
        text = f.read()
    m = re.search(r'^%s\(\) \{\n(.*?)^\}' % re.escape(func), text, re.M | re.S)
    if not m:
        fails.add(cmd.where(), 'no function %s in %s' % (func, path))
        return False
    if evidence not in m.group(1):
        fails.add(cmd.where(), '%s does not contain %r' % (ref, evidence))
        return False
    registered = False
    for root, _, files in os.walk(os.path.join(source_dir, 'app', 'test')):
        if 'meson.build' in files:
            with open(os.path.join(root, 'meson.build'), encoding='utf-8') as f:
                if re.search(r"'devtools'\s*/\s*'%s'" % re.escape(script), f.read()):
                    registered = True
    if not registered:
        fails.add(cmd.where(), 'no Meson test runs devtools/%s' % script)
        return False
    return True


def expected_patterns(lines):
    """Regexes for the output lines a guide shows; '...' elides, <word> is any token."""
    pats = []
    for ln in lines:
        s = ln.strip()
        if not s or s == '...':
            continue
        if guide_commands.APP_PROMPT.match(s) and not s.endswith('>'):
            break  # typed at the prompt: covered by the e2e mapping, not run here
        if any(pp['prompt'] and s.startswith(pp['prompt'].strip()) for pp in PEERS.values()):
            continue  # typed at a peer tool's prompt: fed to it as input
        parts = re.split(r'(<[a-z][a-z0-9 _-]*>)', s)
        rx = ''
        for p in parts:
            if re.fullmatch(r'<[a-z][a-z0-9 _-]*>', p):
                rx += r'\S+'
            else:
                rx += r'\s+'.join(re.escape(w) for w in p.split(' ')) if p.strip() else r'\s*'
        pats.append(rx)
    return pats


def documented_error(cmd):
    """True when the last output line the guide shows for cmd is an error message."""
    shown = [ln.strip() for ln in cmd.output if ln.strip() and ln.strip() != '...']
    return bool(shown) and re.search(r'\b(error|cannot)\b', shown[-1], re.I) is not None


def scratch_tree(src, dst):
    """A copy of the pack's sources as a checkout has them: the files git tracks, or,
    outside of git, everything but build directories."""
    try:
        r = subprocess.run(['git', '-C', src, 'ls-files', '-z'], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=True)
        files = [f for f in r.stdout.decode().split('\0') if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:
        def ignore(d, names):
            if os.path.samefile(d, src):
                return [n for n in names if n.startswith(('build', '.git'))]
            return [n for n in names if n in ('__pycache__',)]
        shutil.copytree(src, dst, ignore=ignore, symlinks=True)
        return
    for f in files:
        s_path = os.path.join(src, f)
        if not os.path.lexists(s_path):
            continue  # deleted in the work tree
        d_path = os.path.join(dst, f)
        os.makedirs(os.path.dirname(d_path), exist_ok=True)
        shutil.copy2(s_path, d_path, follow_symlinks=False)


def run_shell(cmd_text, cwd, timeout, env=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    try:
        r = subprocess.run(['/bin/sh', '-c', cmd_text], cwd=cwd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors='replace', timeout=timeout, env=e)
        return r.returncode, r.stdout
    except subprocess.TimeoutExpired as ex:
        return None, (ex.stdout or '') if isinstance(ex.stdout, str) else ''


def tail(text, n=15):
    return '\n'.join('      | ' + ln for ln in text.strip().splitlines()[-n:])


def set_prefix(argv, prefix):
    """argv with the value of its --file-prefix option replaced."""
    argv = list(argv)
    for i, a in enumerate(argv):
        if a == '--file-prefix' and i + 1 < len(argv):
            argv[i + 1] = prefix
            break
        if a.startswith('--file-prefix='):
            argv[i] = '--file-prefix=' + prefix
            break
    return argv


def wait_patterns(p, pats, timeout):
    """Read p's output until every pattern has shown up (in any order) or p exits.

    Returns (missing patterns, exited)."""
    import pexpect  # noqa: E402
    import time
    deadline = time.monotonic() + timeout
    while True:
        out = p.output()
        missing = [rx for rx in pats if not re.search(rx, out)]
        if not missing:
            return [], False
        if time.monotonic() > deadline:
            return missing, False
        try:
            if p.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.2) == 1:
                out = p.output()
                return [rx for rx in pats if not re.search(rx, out)], True
        except pexpect.EOF:
            return [rx for rx in pats if not re.search(p.output(), rx)], True


def run_peer(cmd, argv, app, prefix, fails):
    """Run a DPDK tool attached to a running group; check its status and output."""
    argv = set_prefix(argv, prefix)
    exe = shutil.which(app)
    if exe is None:
        fails.add(cmd.where(), '%s is not installed' % app)
        return
    argv[0] = exe
    stdin = ''.join(line + '\n' for line in peer_input(cmd))
    try:
        r = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors='replace', timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired:
        fails.add(cmd.where(), '%s did not finish within %ds' % (app, START_TIMEOUT))
        return
    missing = [rx for rx in expected_patterns(cmd.output) if not re.search(rx, r.stdout)]
    if r.returncode != 0 or missing:
        fails.add(cmd.where(), 'exit status %d, output missing %s:\n%s'
                  % (r.returncode, missing, tail(r.stdout)))
    else:
        ok('peer', cmd, 'ran against the group, status 0')


def run_vdev_groups(groups, build_dir, fails):
    e2e_dir = os.path.join(os.path.dirname(HERE), 'e2e')
    sys.path.insert(0, e2e_dir)
    import mpharness  # noqa: E402
    import pexpect  # noqa: E402

    for key, cmds in groups.items():
        page, prefix = key
        with mpharness.Group('doc' + prefix, timeout=START_TIMEOUT) as g:
            started = []
            for cmd, argv, app in cmds:
                if app in PEERS:
                    run_peer(cmd, argv, app, g.prefix, fails)
                    continue
                argv = set_prefix(argv, g.prefix)
                argv[0] = os.path.join(build_dir, 'examples', app)
                if not os.access(argv[0], os.X_OK):
                    fails.add(cmd.where(), '%s is not built' % argv[0])
                    break
                log = os.path.join(g.logdir, '%s-%d.log' % (app, len(g.procs)))
                p = mpharness.Proc(g, '%s%d' % (app, len(g.procs)), argv, None,
                                   START_TIMEOUT, log)
                g.procs.append(p)
                pats = expected_patterns(cmd.output)
                if not pats and app in READY:
                    pats = [READY[app]]
                if not pats:
                    fails.add(cmd.where(), 'no output shown and no ready state known for %s'
                              % app)
                    break
                missing, exited = wait_patterns(p, pats, START_TIMEOUT)
                if documented_error(cmd):
                    # The guide shows this command failing: it must exit, non-zero.
                    try:
                        rc = p.wait_exit(STOP_TIMEOUT)
                    except pexpect.TIMEOUT:
                        rc = None
                        p.stop(STOP_TIMEOUT)
                    if not missing and rc not in (0, None):
                        ok('vdev', cmd, 'documented error, exit status %s' % rc)
                    else:
                        fails.add(cmd.where(), 'documented error: exit status %s, output '
                                  'missing %s:\n%s' % (rc, missing, tail(p.output())))
                    continue
                if exited:
                    try:
                        rc = p.wait_exit(STOP_TIMEOUT)
                    except pexpect.TIMEOUT:
                        rc = p.stop(STOP_TIMEOUT)
                    fails.add(cmd.where(), 'exited with status %s; output missing %s:\n%s'
                              % (rc, missing, tail(p.output())))
                    break
                if missing:
                    fails.add(cmd.where(), 'no %s within %ds:\n%s'
                              % (missing, START_TIMEOUT, tail(p.output())))
                    break
                started.append((cmd, p, app))
            for cmd, p, app in reversed(started):
                if app in QUIT and p.alive():
                    p.sendline(QUIT[app])
                    try:
                        rc = p.wait_exit(STOP_TIMEOUT)
                    except pexpect.TIMEOUT:
                        rc = p.stop(STOP_TIMEOUT)
                else:
                    rc = p.stop(STOP_TIMEOUT)
                if rc == 0:
                    ok('vdev', cmd, 'ran, stopped with status 0')
                else:
                    fails.add(cmd.where(), 'stopped with status %s:\n%s' % (rc, tail(p.output())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--source-dir', default=os.environ.get('MP_PACK_SOURCE_DIR',
                    os.path.abspath(os.path.join(HERE, '..', '..', '..'))))
    ap.add_argument('--build-dir', default=os.environ.get('MP_PACK_BUILD_DIR'))
    ap.add_argument('--map', default=os.path.join(HERE, 'commands.ini'))
    ap.add_argument('--static', action='store_true',
                    help='check coverage only, run nothing')
    args = ap.parse_args()
    guides = os.path.join(args.source_dir, guide_commands.GUIDES_REL)
    e2e_dir = os.path.join(args.source_dir, 'app', 'test', 'e2e')
    build_dir = args.build_dir or os.path.join(args.source_dir, 'build')

    fails = guide_commands.Failures()
    commands, misplaced = guide_commands.extract(guides)
    for m in misplaced:
        fails.add('guides', m)
    if not commands:
        fails.add('guides', 'no command line found: the extractor is broken')

    cmap = configparser.ConfigParser(interpolation=None, delimiters=('=',),
                                     comment_prefixes=(';',), inline_comment_prefixes=None)
    cmap.optionxform = str
    with open(args.map, encoding='utf-8') as f:
        cmap.read_file(f)
    entries = {}
    for name in cmap.sections():
        sec = {k: ' '.join(v.split('\n')) for k, v in cmap[name].items()}
        if not sec.get('command'):
            fails.add(os.path.basename(args.map), 'section [%s] has no command' % name)
            continue
        if sec['command'] in entries:
            fails.add(os.path.basename(args.map), 'command of [%s] is listed twice' % name)
        sec['name'] = name
        entries[sec['command']] = sec
    used = set()

    vdev = []
    nic = []
    mapped = []
    for c in commands:
        argv, app = app_command(c)
        if argv is not None and c.text not in entries:
            binary, eal, _ = split_eal(argv)
            if app in PEERS:
                if PEERS[app]['dpdk'] and '--no-pci' not in eal:
                    fails.add(c.where(), '%s attaches as a DPDK process: it needs --no-pci' % app)
                    continue
                prefix = eal_option(argv[1:], '--file-prefix')
                if not prefix:
                    fails.add(c.where(), '%s needs the --file-prefix of a group on its page' % app)
                    continue
                vdev.append((c, argv, app, prefix))
                continue
            if '--no-pci' in eal:
                prefix = eal_option(eal, '--file-prefix')
                if not prefix:
                    fails.add(c.where(), 'a vdev command needs its own --file-prefix')
                    continue
                vdev.append((c, argv, app, prefix))
            else:
                nic.append((c, argv))
            continue
        if c.text not in entries:
            fails.add(c.where(), 'not covered: add a vdev form, or a section in %s: %s'
                      % (os.path.basename(args.map), c.text))
            continue
        used.add(c.text)
        mapped.append((c, entries[c.text]))

    for text, sec in entries.items():
        if text not in used:
            fails.add(os.path.basename(args.map), 'section [%s] matches no guide command: %s'
                      % (sec['name'], text))

    twins = {without_device_opts(argv) for _, argv, _, _ in vdev}
    for c, argv in nic:
        if without_device_opts(argv) in twins:
            ok('twin', c, 'a vdev form of it runs here')
        else:
            fails.add(c.where(), 'NIC command with no vdev twin in the guides: %s' % c.text)

    runnable = []
    for c, sec in mapped:
        kinds = [k for k in ('run', 'dry', 'check', 'e2e', 'devtools') if k in sec]
        if len(kinds) != 1:
            fails.add(c.where(), 'commands.ini [%s] needs exactly one of run, dry, check, e2e, '
                      'devtools' % sec['name'])
            continue
        kind = kinds[0]
        if kind == 'devtools':
            if check_devtools(c, sec['devtools'], sec.get('evidence'), args.source_dir, fails):
                ok('devtool', c, sec['devtools'])
        elif kind == 'e2e':
            if check_e2e(c, sec['e2e'], sec.get('evidence'), e2e_dir, fails):
                ok('e2e', c, sec['e2e'])
        elif kind == 'dry':
            if not is_subsequence(shlex.split(c.text), shlex.split(sec['dry'])):
                fails.add(c.where(), 'dry variant %r drops words of the command' % sec['dry'])
                continue
            runnable.append((c, sec, sec['dry']))
        elif kind == 'check':
            if not sec.get('why', '').strip():
                fails.add(c.where(), 'a check needs a why')
                continue
            runnable.append((c, sec, sec['check']))
        else:
            runnable.append((c, sec, c.text))

    if args.static:
        return 1 if fails.items else 0

    scratch = None
    try:
        for c, sec, text in runnable:
            where = sec.get('cwd', 'scratch')
            if where == 'scratch':
                if scratch is None:
                    scratch = tempfile.mkdtemp(prefix='mp-doc-cmds-')
                    scratch_tree(args.source_dir, os.path.join(scratch, 'src'))
                cwd = os.path.join(scratch, 'src')
            elif where == 'build':
                cwd = build_dir
            else:
                cwd = tempfile.gettempdir()
            timeout = int(sec.get('timeout', '120'))
            want = int(sec.get('status', '0'))
            rc, out = run_shell(text, cwd, timeout)
            kind = 'run' if text == c.text else ('dry' if 'dry' in sec else 'check')
            if rc == want:
                ok(kind, c, text if text != c.text else '')
            else:
                fails.add(c.where(), '%r exited with %s (want %d):\n%s'
                          % (text, rc, want, tail(out)))
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)

    groups = {}
    for c, argv, app, prefix in vdev:
        groups.setdefault((c.path, prefix), []).append((c, argv, app))
    skipped = None
    if groups:
        sys.path.insert(0, e2e_dir)
        import mpharness  # noqa: E402
        skipped = mpharness.hugepages_problem()
        if skipped:
            print('SKIP vdev runs: hugepages unavailable: %s' % skipped)
        else:
            run_vdev_groups(groups, build_dir, fails)

    n = len(commands)
    if fails.items:
        print('%d of %d guide commands not exercised or failing' % (len(fails.items), n))
        return 1
    if skipped:
        return SKIP_EXIT
    print('all %d guide commands are exercised' % n)
    return 0


if __name__ == '__main__':
    sys.exit(main())
