# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Multi-process test harness: start DPDK processes as a group, talk to them, clean up.

Every group gets its own --file-prefix, every process gets --no-pci, every wait has a bound,
and teardown stops the group's processes by PID (SIGINT, then SIGKILL) and removes the
group's hugepage and runtime files, whether the test passed or not.
"""

import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import pexpect

HUGEPAGE_DIR = '/dev/hugepages'
RUNTIME_DIR = '/var/run/dpdk'
HP_NR = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages'
HP_FREE = '/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages'

# Exit code that Meson (and automake) read as "skipped".
SKIP_EXIT = 77


def build_dir():
    """The Meson build directory under test."""
    d = os.environ.get('MP_PACK_BUILD_DIR')
    if d:
        return d
    return os.path.join(source_dir(), 'build')


def source_dir():
    d = os.environ.get('MP_PACK_SOURCE_DIR')
    if d:
        return d
    return os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def binary(name):
    """Path of an example binary, e.g. binary('simple_mp') -> build/examples/dpdk-simple_mp."""
    if name.startswith('/'):
        return name
    if not name.startswith('dpdk-'):
        name = 'dpdk-' + name
    return os.path.join(build_dir(), 'examples', name)


def stacks(pid, timeout=30):
    """Every thread's stack of a live process, for a failure message: gdb's backtrace
    when gdb is installed, else each thread's state and kernel wait channel."""
    if shutil.which('gdb'):
        try:
            r = subprocess.run(['gdb', '-batch', '-nx', '-p', str(pid),
                                '-ex', 'thread apply all bt'],
                               capture_output=True, text=True, timeout=timeout)
            return '\n'.join(l for l in r.stdout.splitlines() if l.startswith(('#', 'Thread')))
        except (OSError, subprocess.TimeoutExpired) as e:
            return 'gdb failed: %s' % e
    out = []
    for t in sorted(glob.glob('/proc/%d/task/*' % pid)):
        try:
            with open(t + '/comm') as f, open(t + '/wchan') as w, open(t + '/stat') as s:
                out.append('%s %s state %s wchan %s' % (os.path.basename(t), f.read().strip(),
                                                       s.read().split(') ')[1][0], w.read()))
        except OSError:
            pass
    return '\n'.join(out)


def hugepages_problem():
    """Return None when 2 MB hugepages are usable, else why not."""
    if not os.path.ismount(HUGEPAGE_DIR):
        return '%s is not a hugetlbfs mount' % HUGEPAGE_DIR
    try:
        with open(HP_FREE) as f:
            free = int(f.read())
    except OSError as e:
        return 'cannot read %s: %s' % (HP_FREE, e)
    if free < 64:
        return 'only %d free 2 MB hugepages (need 64)' % free
    return None


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purposes.
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


class Proc:
    """One DPDK process of a group, driven through a pseudo-terminal (pexpect)."""

    def __init__(self, group, name, argv, prompt, timeout, logfile):
        self.group = group
        self.name = name
        self.argv = argv
        self.prompt = prompt
        self.log_path = logfile
        self._log = open(logfile, 'w')
        self.child = pexpect.spawn(argv[0], argv[1:], encoding='utf-8',
                                   codec_errors='replace', timeout=timeout,
                                   echo=False, dimensions=(50, 250))
        self.child.logfile_read = self._log
        self.pid = self.child.pid
        self.exitstatus = None
        self.signalstatus = None

    def expect(self, pattern, timeout=None):
        """Wait for a regex (or list of them); return the match index."""
        return self.child.expect(pattern, timeout=timeout)

    def expect_exact(self, text, timeout=None):
        return self.child.expect_exact(text, timeout=timeout)

    @property
    def match(self):
        return self.child.match

    @property
    def before(self):
        return self.child.before

    def sendline(self, line=''):
        return self.child.sendline(line)

    def send(self, text):
        return self.child.send(text)

    def sendeof(self):
        return self.child.sendeof()

    def cmd(self, line, expect=None, timeout=None):
        """Send a command at the prompt; wait for `expect` (or the next prompt)."""
        self.sendline(line)
        if expect is not None:
            self.expect(expect, timeout=timeout)
        elif self.prompt:
            self.expect_exact(self.prompt, timeout=timeout)
        return self.child.before

    def wait_prompt(self, timeout=None):
        self.expect_exact(self.prompt, timeout=timeout)

    def alive(self):
        return self.child.isalive()

    def signal(self, sig):
        if self.child.isalive():
            os.kill(self.pid, sig)

    def wait_exit(self, timeout=10):
        """Wait until the process exits, reading its output; return the exit code
        (or -signal). Raises pexpect.TIMEOUT if it does not exit in time."""
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        self.exitstatus = self.child.exitstatus
        self.signalstatus = self.child.signalstatus
        if self.signalstatus is not None:
            return -self.signalstatus
        return self.exitstatus

    def output(self):
        """Everything the process printed so far (from the log file)."""
        self._log.flush()
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def mark(self):
        """A place in the output, for lines_since()."""
        return len(self.output())

    def lines_since(self, mark):
        """The non-blank lines printed after `mark` (from mark())."""
        return [ln.strip() for ln in self.output()[mark:].splitlines() if ln.strip()]

    def stop(self, bound=5.0):
        """SIGINT, then SIGKILL after `bound` seconds. Return exit code or -signal."""
        if self.exitstatus is not None or self.signalstatus is not None:
            return -self.signalstatus if self.signalstatus is not None else self.exitstatus
        if self.child.isalive():
            try:
                os.kill(self.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
            try:
                return self.wait_exit(bound)
            except pexpect.TIMEOUT:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        try:
            return self.wait_exit(bound)
        except pexpect.TIMEOUT:
            self.child.close(force=True)
            return None


class Telemetry:
    """A client of a primary's telemetry socket (DPDK's v2 protocol, JSON replies).

    Connects to <runtime dir>/<prefix>/dpdk_telemetry.v2, retrying until the
    socket accepts or `timeout` seconds have passed.
    """

    def __init__(self, prefix, timeout=20):
        path = os.path.join(RUNTIME_DIR, prefix, 'dpdk_telemetry.v2')
        deadline = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            self.sock.settimeout(5)
            try:
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        info = json.loads(self.sock.recv(16384).decode())
        self.max_output_len = info.get('max_output_len', 16384)

    def query(self, cmd):
        """Run one command (e.g. '/ethdev/stats,0'); return its reply's value."""
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.max_output_len).decode())
        return reply[cmd.split(',', 1)[0]]

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class Group:
    """Processes sharing one --file-prefix: one primary and its secondaries."""

    def __init__(self, name='mp', logdir=None, timeout=20, kind='mpt'):
        tag = re.sub(r'[^A-Za-z0-9]', '', name)[:16]
        self.prefix = '%s%s_%s' % (kind, tag, uuid.uuid4().hex[:8])
        self.timeout = timeout
        self.procs = []
        self.logdir = logdir or os.path.join(build_dir(), 'meson-logs', 'e2e', self.prefix)
        os.makedirs(self.logdir, exist_ok=True)
        self._extra_pids = []

    def eal_args(self, lcores, proc_type=None, vdevs=(), extra=(), app=None):
        """The EAL arguments every process of the group gets."""
        args = ['--no-pci', '--file-prefix', self.prefix, '--log-level', 'lib.eal:notice']
        if lcores is not None:
            if re.fullmatch(r'[0-9,\-]+', lcores):
                args += ['-l', lcores]
            else:
                args += ['--lcores', lcores]
        if proc_type:
            args.append('--proc-type=%s' % proc_type)
        for v in vdevs:
            args += ['--vdev', v]
        args += list(extra)
        # EAL options the pack's own binaries need, e.g. "-d <dpdk build>/drivers"
        # when the pack runs against an uninstalled DPDK build; not for the system's
        # DPDK tools (a peer dpdk-testpmd), which are built against another DPDK.
        if app is None or binary(app).startswith(build_dir() + os.sep):
            args += os.environ.get('MP_PACK_EAL_EXTRA', '').split()
        return args

    def start(self, app, lcores='0-1', proc_type=None, vdevs=(), eal_extra=(), app_args=(),
              prompt=None, timeout=None, name=None, wait_prompt=True):
        """Start `app` (example name or path) in this group; return a Proc.

        When `prompt` is given and wait_prompt is true, wait for the first prompt.
        """
        argv = [binary(app)] + self.eal_args(lcores, proc_type, vdevs, eal_extra, app)
        if app_args:
            argv += ['--'] + list(app_args)
        name = name or '%s%d' % (os.path.basename(app), len(self.procs))
        log = os.path.join(self.logdir, name + '.log')
        p = Proc(self, name, argv, prompt, timeout or self.timeout, log)
        self.procs.append(p)
        if prompt and wait_prompt:
            p.wait_prompt(timeout=timeout or self.timeout)
        return p

    def run(self, app, lcores='0-1', proc_type=None, vdevs=(), eal_extra=(), app_args=(),
            timeout=None, raw_argv=None, preexec_fn=None, on_start=None):
        """Run a process of the group to completion (no tty); return CompletedProcess.

        raw_argv replaces the EAL arguments entirely (it must still carry --no-pci).
        preexec_fn runs in the child before exec; on_start(popen) right after the start."""
        if raw_argv is not None:
            argv = [binary(app)] + list(raw_argv)
            assert '--no-pci' in argv, 'every DPDK process gets --no-pci'
        else:
            argv = [binary(app)] + self.eal_args(lcores, proc_type, vdevs, eal_extra, app)
            if app_args:
                argv += ['--'] + list(app_args)
        t = timeout or self.timeout
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, errors='replace',
                             preexec_fn=preexec_fn)
        self._extra_pids.append(p)
        if on_start is not None:
            on_start(p)
        try:
            out, _ = p.communicate(timeout=t)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGINT)
            try:
                out, _ = p.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                out, _ = p.communicate()
            raise AssertionError('%s did not finish within %ss:\n%s' % (argv, t, out))
        with open(os.path.join(self.logdir, 'run%d.log' % len(self._extra_pids)), 'w') as f:
            f.write(' '.join(argv) + '\n' + out)
        return subprocess.CompletedProcess(argv, p.returncode, out, None)

    def tool(self, argv, timeout=None):
        """Run a DPDK peer tool (dpdk-proc-info, ...) attached to this group."""
        argv = list(argv)
        assert '--no-pci' in argv, 'every DPDK process gets --no-pci'
        t = timeout or self.timeout
        return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors='replace', timeout=t)

    def stop_all(self, bound=5.0):
        # Secondaries first, the primary (first started) last.
        for p in reversed(self.procs):
            try:
                p.stop(bound)
            except Exception as e:  # keep cleaning up
                print('harness: stopping %s: %s' % (p.name, e), file=sys.stderr)
        for p in self._extra_pids:
            if p.poll() is None:
                p.kill()
                p.wait()

    def telemetry(self, timeout=20):
        """A Telemetry client of the group's primary."""
        return Telemetry(self.prefix, timeout)

    def cleanup_files(self):
        for f in glob.glob(os.path.join(HUGEPAGE_DIR, self.prefix + '*')):
            try:
                os.unlink(f)
            except OSError:
                pass
        shutil.rmtree(os.path.join(RUNTIME_DIR, self.prefix), ignore_errors=True)

    def close(self):
        self.stop_all()
        self.cleanup_files()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
