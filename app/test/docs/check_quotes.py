#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Check that what the guides and manual pages quote from the binaries is what they print.

The quotes are found in the RST sources, with no markup of their own:

option ranges and defaults
   In a definition list that follows a line saying ``dpdk-<app>`` takes:
   (the ``*_options.inc.rst`` fragments, which the manual pages include),
   the term names an option (````-q NQ````) and its text may give a range, ``A to B``,
   and a default, ``default D``.
   The range must be the one the binary prints when the option is given a bad value,
   or in its ``-h`` text; the default must be the one its ``-h`` text prints.
   A default that no ``-h`` text prints fails.

messages
   Every line of a ``.. code-block:: none`` block (program output by convention:
   source code uses its language), every line shown after a command in a console block,
   and every inline literal that reads as a message
   (``<word>: <text>``, or a sentence of words starting with a capital letter).
   Each must be printed by a binary: it must match a format string of the pack's
   executables, of ``librte_mpsupport`` or of DPDK's EAL library
   (``%u`` and the like match any value, ``<word>`` in the quote stands for any value,
   ``...`` at the end of a quote stands for the rest of the line),
   after the ``<app>: error:`` prefix the pack's error lines carry,
   or be a line of the ``-h`` text and error lines collected above.
   In a telemetry session (``-->`` lines), every JSON key must be a string of a binary.

``--samples`` then shows the check failing on deliberately wrong quotes, each in a copy of
the guides: it passes only when every wrong quote listed in SAMPLES is caught.
"""

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guide_commands  # noqa: E402

SKIP_EXIT = 77
APPS = ('dpdk-simple_mp', 'dpdk-symmetric_mp', 'dpdk-mp_server', 'dpdk-mp_client',
        'dpdk-l2fwd_fork')
# EAL options to run each binary for its -h text and its error lines: no files, no device.
EAL = {
    'dpdk-simple_mp': ['--lcores', '0@0,1@0'],
    'dpdk-symmetric_mp': ['--lcores', '0@0'],
    'dpdk-mp_server': ['--lcores', '0@0'],
    'dpdk-mp_client': ['--lcores', '0@0'],
    'dpdk-l2fwd_fork': ['--lcores', '0@0,1@0,2@0'],
}
# A prefix of its own, whose empty run-time directory is removed at the end.
PREFIX = 'mpdocq%d' % os.getpid()
EAL_COMMON = ['--no-pci', '--in-memory', '--file-prefix=' + PREFIX]
RUN_TIMEOUT = 30
# The prefix of the pack's error lines (mpc::fail): "<app>: error: ".
ERROR_PREFIX = r'(?:[\w./-]+: (?:error: )?)?'
# Inline literals that read as messages.
INLINE_PREFIXED = re.compile(r'^[A-Za-z][\w.-]*(?: \d+)?: \S')
INLINE_SENTENCE = re.compile(r"^[A-Z][a-z]+(?: [A-Za-z'.]+)+$")
APP_COMMAND = re.compile(r'^(?:\./)?build/examples/dpdk-[a-z0-9_]+ ')
CONVERSION = re.compile(r'%(?:%|[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?'
                        r'(?:hh|h|ll|l|L|z|j|t|q)?([diouxXeEfgGcsp]))')

# Deliberately wrong quotes for --samples: (file under doc/guides, text, wrong text, what the
# failure must say).
SAMPLES = [
    ('sample_app_ug/l2fwd_fork_options.inc.rst', '1 to 16 (default 1)', '1 to 16 (default 2)',
     'default 2'),
    ('sample_app_ug/symmetric_mp_options.inc.rst', 'processes of the group, 1 to 64',
     'processes of the group, 1 to 32', 'range 1 to 32'),
    ('sample_app_ug/multi_process.rst', "core 3: Received 'hello_secondary'",
     "core 3: got 'hello_secondary'", "core 3: got 'hello_secondary'"),
    ('man/dpdk-l2fwd_fork.rst', 'cannot initialise the EAL: invalid parameter for --lcores',
     'Invalid EAL arguments', 'Invalid EAL arguments'),
]


# What the binaries print -------------------------------------------------------------------

def binary_strings(paths):
    """Every printable string of these ELF files, split at newlines."""
    out = set()
    for p in paths:
        with open(p, 'rb') as f:
            data = f.read()
        for m in re.finditer(rb'[\x20-\x7e\t\n]{2,}', data):
            for line in m.group(0).decode('ascii').split('\n'):
                if line.strip():
                    out.add(line)
    return out


def linked_eal(binary):
    """DPDK's EAL library that the binary runs with."""
    r = subprocess.run(['ldd', binary], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True)
    for line in r.stdout.splitlines():
        m = re.match(r'\s*librte_eal\.so\S* => (\S+)', line)
        if m:
            return m.group(1)
    return None


@functools.lru_cache(maxsize=None)
def run_app(build_dir, app, args):
    args = list(args)
    argv = [os.path.join(build_dir, 'examples', app)] + EAL[app] + EAL_COMMON + ['--'] + args
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors='replace',
                           timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, ''
    return r.returncode, r.stdout


def help_text(build_dir, app):
    """The lines of the app's -h text, or [] when it has none."""
    rc, out = run_app(build_dir, app, ('-h',))
    if rc != 0:
        return []
    return [ln for ln in out.splitlines() if ln.strip() and not ln.startswith(('EAL:',
                                                                                 'TELEMETRY:'))]


def error_line(build_dir, app, option):
    """The error line the app prints for a bad value of option, or None."""
    arg = (option + '=x',) if option.startswith('--') else (option, 'x')
    rc, out = run_app(build_dir, app, arg)
    lines = [ln for ln in out.splitlines() if ': error: ' in ln]
    if rc == 0 or not lines:
        return None
    return lines[-1]


def parse_range(text):
    m = re.search(r'\((\d+)\s*(?:-|\.\.|to)\s*(\d+)\b', text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def parse_default(text):
    m = re.search(r'\bdefault (\d+)\b', text)
    return int(m.group(1)) if m else None


# What the guides quote ---------------------------------------------------------------------

def option_quotes(guides):
    """[(where, app, option, range or None, default or None)] from the option lists."""
    out = []
    for path in guide_commands.guide_files(guides):
        rel = os.path.relpath(path, guides)
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        app = None
        i = 0
        while i < len(lines):
            line = lines[i]
            m = re.search(r'``(dpdk-[a-z0-9_]+)`` takes:', line)
            if m:
                app = m.group(1)
            m = re.match(r'^``(-[-\w]+)[ =]?[^`]*``\s*$', line)
            if app and m and i + 1 < len(lines) and lines[i + 1].startswith('   '):
                body = []
                j = i + 1
                while j < len(lines) and (lines[j].startswith('   ') or not lines[j].strip()):
                    if not lines[j].strip() and (j + 1 >= len(lines) or
                                                 not lines[j + 1].startswith('   ')):
                        break
                    body.append(lines[j].strip())
                    j += 1
                text = ' '.join(body)
                rm = re.search(r'\b(\d+) to (\d+)\b', text)
                rng = (int(rm.group(1)), int(rm.group(2))) if rm else None
                out.append(('%s:%d' % (rel, i + 1), app, m.group(1), rng, parse_default(text)))
                i = j
                continue
            i += 1
    return out


def message_quotes(guides):
    """[(where, text, kind)] with kind 'line' or 'json'."""
    out = []
    for path in guide_commands.guide_files(guides):
        rel = os.path.relpath(path, guides)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        lines = text.split('\n')
        for start, lang, body in guide_commands._blocks(lines):
            if lang != 'none':
                continue
            session = any(t.strip().startswith('-->') for _, t in body)
            for k, t in body:
                s = t.strip()
                if not s or s == '...':
                    continue
                if session:
                    if not s.startswith('-->'):
                        out.append(('%s:%d' % (rel, k + 1), s, 'json'))
                    continue
                out.append(('%s:%d' % (rel, k + 1), s, 'line'))
        for n, line in enumerate(lines, 1):
            for m in re.finditer(r'(?<![`\w])``([^`]+)``(?![`\w])', line):
                lit = m.group(1).strip()
                if INLINE_PREFIXED.match(lit) or INLINE_SENTENCE.match(lit):
                    out.append(('%s:%d' % (rel, n), lit, 'line'))
    commands, _ = guide_commands.extract(guides)
    for c in commands:
        # What the pack's applications print; other tools are not checked here.
        if c.prompt == 'app' or not APP_COMMAND.match(c.text):
            continue
        for k, t in enumerate(c.output):
            s = t.strip()
            if not s or s == '...' or guide_commands.APP_PROMPT.match(s) or \
                    s.startswith('-->') or s.startswith(('{', '"')):
                continue
            out.append(('%s:%d' % (c.path, c.line + 1 + k), s, 'line'))
    return out


# Matching ----------------------------------------------------------------------------------

def format_tokens(fmt):
    """A printf format as a list of regex pieces: one per literal character or conversion."""
    toks = []
    pos = 0
    for m in CONVERSION.finditer(fmt):
        for ch in fmt[pos:m.start()]:
            toks.append(r'\s+' if ch.isspace() else re.escape(ch))
        if m.group(0) == '%%':
            toks.append('%')
        elif m.group(1) in 'sc':
            toks.append('.*?')
        else:
            toks.append(r'\S+?')
        pos = m.end()
    for ch in fmt[pos:]:
        toks.append(r'\s+' if ch.isspace() else re.escape(ch))
    return toks


def literal_letters(fmt):
    return sum(c.isalpha() for c in CONVERSION.sub('', fmt))


class Printed:
    """The lines the binaries can print."""

    def __init__(self, formats, lines):
        self.formats = sorted(f.strip() for f in formats
                              if literal_letters(f) >= 3 and f.strip())
        # Pieces that end a line printed by several printf() calls: any format with
        # something literal in it.
        self.pieces = sorted(f for f in formats if CONVERSION.sub('', f).strip())
        self.lines = set(ln.strip() for ln in lines)
        self.strings = formats

    def has_string(self, s):
        """Whether s is a string of a binary, or the tail of one (the linker merges them)."""
        return any(f.endswith(s) for f in self.strings)

    @functools.lru_cache(maxsize=None)
    def piece(self, fmt):
        return re.compile(''.join(format_tokens(fmt)))

    def rest_printed(self, rest, depth):
        """Whether rest is what further printf() calls of one line print."""
        if not rest:
            return True
        if depth == 0:
            return False
        for f in self.pieces:
            m = self.piece(f).match(rest)
            if m and m.end() > 0 and self.rest_printed(rest[m.end():], depth - 1):
                return True
        return False

    @functools.lru_cache(maxsize=None)
    def full(self, fmt):
        return re.compile(ERROR_PREFIX + ''.join(format_tokens(fmt)))

    @functools.lru_cache(maxsize=None)
    def prefix(self, fmt):
        r = ''
        for t in reversed(format_tokens(fmt)):
            r = '(?:%s%s)?' % (t, r)
        return re.compile(ERROR_PREFIX + r)

    def matches(self, quote):
        quote = re.sub(r'\s+', ' ', quote.strip())
        truncated = '...' in quote
        if truncated:
            quote = quote.split('...', 1)[0].rstrip()
            if not quote:
                return True
        if any(quote == ln or (truncated and ln.startswith(quote)) for ln in self.lines):
            return True
        if not truncated:
            if any(self.full(f).fullmatch(quote) for f in self.formats):
                return True
            for f in self.formats:
                m = self.full(f).match(quote)
                if m and self.rest_printed(quote[m.end():], 2):
                    return True
            return False
        words = [w for w in re.findall(r"[A-Za-z_']{4,}", quote)]
        key = max(words, key=len) if words else ''
        return any(self.prefix(f).fullmatch(quote) for f in self.formats if key in f)


# The check ---------------------------------------------------------------------------------

def collect_printed(build_dir, options, fails):
    binaries = [os.path.join(build_dir, 'examples', a) for a in APPS]
    missing = [b for b in binaries if not os.access(b, os.X_OK)]
    if missing:
        fails.add('build', 'not built: %s' % ', '.join(missing))
        return None, {}, {}
    # An app with a libc-only front (for --forked) has its image in libexec/.
    images = [os.path.join(build_dir, 'examples', 'libexec', a) for a in APPS]
    binaries += [i for i in images if os.access(i, os.X_OK)]
    libs = []
    for root, _, files in os.walk(os.path.join(build_dir, 'lib')):
        libs += [os.path.join(root, f) for f in files if re.match(r'librte_mpsupport\.so', f)]
    eal = next((e for e in map(linked_eal, binaries) if e), None)
    if eal:
        libs.append(eal)
    else:
        fails.add('build', 'cannot find the librte_eal that %s links' % ', '.join(binaries))
    strings = binary_strings(binaries + libs)

    helps = {a: help_text(build_dir, a) for a in APPS}
    lines = [ln for h in helps.values() for ln in h]
    errors = {}
    for where, app, opt, rng, _ in options:
        if rng is None or (app, opt) in errors:
            continue
        errors[(app, opt)] = error_line(build_dir, app, opt)
        if errors[(app, opt)]:
            lines.append(errors[(app, opt)])
    return Printed(strings, lines), helps, errors


def check_options(options, helps, errors, fails):
    for where, app, opt, rng, default in options:
        hl = [ln for ln in helps.get(app, []) if re.match(r'^\s*%s\b' % re.escape(opt), ln)]
        facts = []
        if rng is not None:
            printed = set()
            if errors.get((app, opt)):
                printed.add(parse_range(errors[(app, opt)]))
            for ln in hl:
                printed.add(parse_range(ln))
            printed.discard(None)
            if rng not in printed:
                fails.add(where, '%s %s: the guide says range %d to %d, the binary prints %s'
                          % (app, opt, rng[0], rng[1],
                             ', '.join('%d to %d' % r for r in sorted(printed)) or 'none'))
            else:
                facts.append('range %d to %d' % rng)
        if default is not None:
            printed = {parse_default(ln) for ln in hl} - {None}
            if default not in printed:
                fails.add(where, '%s %s: the guide says default %d, %s' % (
                    app, opt, default,
                    'the -h text says %s' % ', '.join(map(str, sorted(printed))) if printed
                    else 'no -h text of the binary prints a default for it'))
            else:
                facts.append('default %d' % default)
        if facts:
            print('ok   %s  %s %s: %s' % (where, app, opt, ', '.join(facts)))


def check_messages(quotes, printed, fails):
    for where, text, kind in quotes:
        if kind == 'json':
            keys = re.findall(r'"([^"]+)":', text)
            bad = [k for k in keys if not printed.has_string(k)]
            if bad:
                fails.add(where, 'telemetry keys that no binary has: %s' % ', '.join(bad))
            continue
        if printed.matches(text):
            print('ok   %s  %s' % (where, text))
        else:
            fails.add(where, 'no binary prints this: %s' % text)


def check(source_dir, build_dir):
    guides = os.path.join(source_dir, guide_commands.GUIDES_REL)
    fails = guide_commands.Failures()
    options = option_quotes(guides)
    quotes = message_quotes(guides)
    if not options or not quotes:
        fails.add('guides', 'no quoted option or message found: the extractor is broken')
    printed, helps, errors = collect_printed(build_dir, options, fails)
    if printed is not None:
        check_options(options, helps, errors, fails)
        check_messages(quotes, printed, fails)
    return fails


def sample(source_dir, build_dir):
    """Each wrong quote of SAMPLES, in a copy of the guides, must fail the check."""
    bad = 0
    for rel, good, wrong, expect in SAMPLES:
        tmp = tempfile.mkdtemp(prefix='mp-doc-quotes-')
        try:
            shutil.copytree(os.path.join(source_dir, 'doc'), os.path.join(tmp, 'doc'))
            path = os.path.join(tmp, guide_commands.GUIDES_REL, rel)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            if good not in text:
                print('FAIL sample: %r is no longer in %s: update SAMPLES' % (good, rel))
                bad += 1
                continue
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text.replace(good, wrong, 1))
            print('---- sample: %s: %r -> %r' % (rel, good, wrong))
            fails = check(tmp, build_dir)
            caught = [f for f in fails.items if expect in f]
            if caught:
                print('ok   sample caught: %s' % caught[0])
            else:
                print('FAIL sample not caught: %r -> %r in %s' % (good, wrong, rel))
                bad += 1
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--source-dir', default=os.environ.get('MP_PACK_SOURCE_DIR',
                    os.path.abspath(os.path.join(HERE, '..', '..', '..'))))
    ap.add_argument('--build-dir', default=os.environ.get('MP_PACK_BUILD_DIR'))
    ap.add_argument('--samples', action='store_true',
                    help='then show that deliberately wrong quotes fail the check')
    args = ap.parse_args()
    build_dir = args.build_dir or os.path.join(args.source_dir, 'build')

    sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'e2e'))
    import mpharness  # noqa: E402
    why = mpharness.hugepages_problem()
    if why:
        print('SKIP: the binaries cannot run: %s' % why)
        return SKIP_EXIT
    fails = check(args.source_dir, build_dir)
    if fails.items:
        print('%d quote(s) of the guides that the binaries do not print' % len(fails.items))
        return 1
    print('every quoted range, default and message is printed by a binary')
    if args.samples:
        return sample(args.source_dir, build_dir)
    return 0


def cleanup():
    shutil.rmtree(os.path.join('/var/run/dpdk', PREFIX), ignore_errors=True)
    runtime = os.environ.get('XDG_RUNTIME_DIR')
    if runtime:
        shutil.rmtree(os.path.join(runtime, 'dpdk', PREFIX), ignore_errors=True)


if __name__ == '__main__':
    try:
        rc = main()
    finally:
        cleanup()
    sys.exit(rc)
