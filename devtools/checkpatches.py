#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Check the lines a patch adds, DPDK-style; devtools/checkpatches.sh drives it.

Reads unified diffs (git format-patch output, one or many patches per file,
or git diff output) and reports, for added lines only:
  spdx          a new file without an SPDX-License-Identifier tag
  whitespace    trailing whitespace
  length        lines longer than 100 columns (tabs count 8)
  lib-token     printf, stdout/stderr output, rte_exit, rte_panic, raw
                __attribute__ and __sync builtins in lib/
  atomic        __atomic_* builtins and __ATOMIC_* orders in lib/, app/ and
                examples/: use rte_atomic_*_explicit and rte_memory_order_*
  thread        pthread_create/join/detach/setname_np/setaffinity_np and
                pthread_attr_setinheritsched/setschedpolicy in lib/, app/ and
                examples/: use the rte_thread API
  experimental  -DALLOW_EXPERIMENTAL_API, allow_experimental_apis or a
                #define of ALLOW_EXPERIMENTAL_API in lib/ and app/: only
                the applications of examples/ opt in
  format-string %ll[xud] instead of PRI[xud]64
  naming        the words DPDK replaced in 20.11 (see --help-naming)
  figure        an RST figure whose path does not end in ".*"
  clang-format  drift from .clang-format on the added lines of C/C++ files
  codespell     misspellings in the added text
  symbol        a symbol added to a version.map outside EXPERIMENTAL

Exceptions live in devtools/checkpatches-exceptions.txt: one per line,
"<check|*> <path glob> [<regex the offending line must match>]".
On the whole tree (--worktree), an exception for one file (no wildcard)
that matches nothing is an error too: it goes with the code that needed it.
"""

import argparse
import difflib
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

from patch_input import Exceptions, matches, parse  # noqa: E402

MAX_LINE = 100
MAX_PER_CHECK = 20
TAB = 8

C_EXT = ('.c', '.h', '.cpp', '.hpp', '.cc', '.hh', '.cxx')
# Files whose content is data, not prose or code.
NO_TEXT_RULES = ('*.svg', '*.png', '*.jpg', '*.pcap', '*.patch', '*.diff', '*.json')
SPDX_EXEMPT = ('VERSION', 'MAINTAINERS', 'README', 'README.*', '*/README', '*/README.*', 'LICENSE*',
               '.gitignore', '*/.gitignore', '*/version.map', '*.png', '*.jpg', '*.pcap',
               '*.json', '*.patch', '*.diff')

# The retired words are assembled so that this file does not trip its own check.
_OLD = '|'.join(['ma' + 'ster', 'sla' + 've'])
_LISTS = '(?:white|black)[-_ ]?list'
NAMING = re.compile(r'(?<![A-Za-z])(%s|%s)' % (_OLD, _LISTS), re.IGNORECASE)
# Keyed by the first letter of the retired word.
NAMING_HINT = {
    'm': 'main (lcore) or primary',
    's': 'worker or secondary',
    'w': 'allow list (-a/--allow)',
    'b': 'block list (-b/--block)',
}

LIB_TOKENS = [
    (re.compile(r'(?<![\w.>])printf\s*\('), 'printf() in a library: log with the library log type'),
    (re.compile(r'\bf?printf\s*\(\s*(stdout|stderr)\b'),
     'output to stdout/stderr in a library: log with the library log type'),
    (re.compile(r'\bstd::(cout|cerr|clog)\b'),
     'iostream output in a library: log with the library log type'),
    (re.compile(r'\brte_(exit|panic)\b'),
     'rte_exit/rte_panic in a library: return a negative errno and set rte_errno'),
    (re.compile(r'\b__attribute__\b'), 'raw __attribute__: use the __rte_* macros of rte_common.h'),
    (re.compile(r'\b__sync_\w+'), '__sync builtin: use C11/C++ atomics or rte_atomic_*'),
]
# DPDK's rules on what in-tree code uses instead of the compiler's and the
# C library's own: (check, top directories, pattern, message).
TREE_TOKENS = [
    ('atomic', ('lib/', 'app/', 'examples/'),
     re.compile(r'\b__atomic_\w+\s*\(|'
                r'\b__ATOMIC_(RELAXED|CONSUME|ACQUIRE|RELEASE|ACQ_REL|SEQ_CST)\b'),
     'compiler atomic builtin: use rte_atomic_*_explicit() with rte_memory_order_*'),
    ('thread', ('lib/', 'app/', 'examples/'),
     re.compile(r'\bpthread_(create|join|detach|set_?name_np|setaffinity_np|'
                r'attr_setinheritsched|attr_setschedpolicy)\s*\('),
     'pthread call: use the rte_thread API (rte_thread_create, rte_thread_join, ...)'),
]
EXPERIMENTAL_DIRS = ('lib/', 'app/')
EXPERIMENTAL = re.compile(r'-DALLOW_EXPERIMENTAL_API\b|\ballow_experimental_apis\b|'
                          r'#\s*define\s+ALLOW_EXPERIMENTAL_API\b')
FORMAT_LL = re.compile(r'%[-+ #0]*[0-9*]*(?:\.[0-9*]+)?ll[xXud]')
FIGURE = re.compile(r'^\s*\.\.\s+figure::\s*(\S+)')
SPDX = 'SPDX-License-Identifier:'
LICENSE = SPDX + ' BSD-3-Clause'


def strip_comments(text):
    """Rough: drop C/C++ comments on one line and doc-comment continuation lines."""
    s = text.strip()
    if s.startswith('*') or s.startswith('/*') or s.startswith('//'):
        return ''
    text = re.sub(r'/\*.*?(\*/|$)', '', text)
    return re.sub(r'//.*$', '', text)


def strip_meson_comment(text):
    """Drop a Meson comment: what follows a # outside quotes."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in '\'"':
            quote = ch
        elif ch == '#':
            return text[:i]
    return text


_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')
_CONT_END = re.compile(r'([,(\[+\-*/%&|^=<>?~!\\]|\breturn)$')
# A line ending in ":" ends a label, not a statement part, in these cases.
_LABEL = re.compile(r'^(case\b.*|default|public|private|protected|[A-Za-z_]\w*)\s*:$')
_CONT_START = re.compile(r'^(&&|\|\||[?:.+\-*/%|^<>=]|->|"|\))')


def continuations(lines):
    """For each line, whether it continues the statement of the line above.

    A continuation line's indentation and line breaks are the author's choice
    (the column limit is 0): clang-format's drift there is not reported."""
    cont = []
    depth = 0
    in_comment = False
    prev = ''
    for line in lines:
        s = line.strip()
        cont.append(bool(s) and not in_comment and
                    (depth > 0 or bool(_CONT_END.search(prev)) or bool(_CONT_START.match(s))
                     or (prev.endswith(':') and not _LABEL.match(prev)))
                    and not s.startswith(('#', '/*', '//')))
        code = _STRINGS.sub('""', line)
        if in_comment:
            if '*/' not in code:
                continue
            code = code.split('*/', 1)[1]
            in_comment = False
        code = re.sub(r'/\*.*?\*/', '', code)
        if '/*' in code:
            code = code.split('/*', 1)[0]
            in_comment = True
        code = re.sub(r'//.*$', '', code).strip()
        if code.startswith('#'):
            continue
        depth = max(0, depth + code.count('(') + code.count('[') - code.count(')')
                    - code.count(']'))
        if code:
            prev = code
    return cont


def fragments(lines, cont, lo, hi):
    """The statements in lines[lo:hi]: (indentation or None, normalised text)."""
    frags = []
    for i in range(lo, hi):
        text = ' '.join(lines[i].split())
        if cont[i] and frags:
            frags[-1][1] += ' ' + text
            frags[-1][2] += 1
        elif cont[i]:
            frags.append([None, text, 1])
        else:
            frags.append([lines[i][:len(lines[i]) - len(lines[i].lstrip())], text, 1])
    for f in frags:
        # Spaces just inside brackets and braces are the author's choice
        # ("{ 0, 1 }" and "x{0}" both occur in C++).
        f[1] = re.sub(r' ?([)\]}])', r'\1', re.sub(r'([(\[{]) ?', r'\1', f[1]))
        # DPDK writes both "RTE_LOG_ ## level" and "RTE_LOG_##level".
        f[1] = re.sub(r' ?## ?', '##', f[1])
        # ... and both "void * const *p" and "void *const *p".
        f[1] = re.sub(r'\* const\b', '*const', f[1])
    return frags


def same_layout(a, b):
    """Whether two lists of statements differ only in what the author may
    choose: alignment, the indentation of continuation lines, and where a
    statement spread over several lines breaks (there only the tokens count)."""
    if len(a) != len(b):
        return False
    for (ia, ta, na), (ib, tb, nb) in zip(a, b):
        if ia is not None and ib is not None and ia != ib:
            return False
        if ta == tb:
            continue
        if max(na, nb) > 1 and ''.join(ta.split()) == ''.join(tb.split()):
            continue
        return False
    return True


class Checker:
    def __init__(self, args):
        self.args = args
        self.exc = Exceptions(args.exceptions)
        self.top = args.top
        self.clang_format = shutil.which('clang-format-14') or shutil.which('clang-format')
        self.codespell = shutil.which('codespell')
        self.style = args.style
        self.missing_tools = set()

    def report(self, problems, check, path, lineno, msg, text=None):
        if self.exc.allowed(check, path, text):
            return
        problems.append((check, path, lineno, msg, text))

    def check_file(self, fd, problems):
        path = fd.path
        if fd.deleted or fd.binary:
            return
        if self.exc.allowed('*', path):
            return
        text_rules = not matches(path, NO_TEXT_RULES)
        is_c = path.endswith(C_EXT)
        in_lib = path.startswith('lib/') and is_c
        is_rst = path.endswith('.rst')
        is_meson = os.path.basename(path) in ('meson.build', 'meson_options.txt',
                                              'meson.options')

        if fd.new and not matches(path, SPDX_EXEMPT):
            head = [t for n, t in fd.added if n <= 3]
            tags = [t for t in head if SPDX in t]
            if not tags:
                self.report(problems, 'spdx', path, 1,
                            'new file without "%s" in its first lines' % SPDX)
            elif LICENSE not in tags[0]:
                self.report(problems, 'spdx', path, 1,
                            'new file not under %s, the license of the pack' % LICENSE, tags[0])

        for n, t in fd.added:
            if text_rules:
                if t != t.rstrip():
                    self.report(problems, 'whitespace', path, n, 'trailing whitespace', t)
                width = len(t.expandtabs(TAB))
                # As in DPDK, a long message string stays whole for grep's sake.
                if width > MAX_LINE and is_c and \
                        len(_STRINGS.sub('""', t).expandtabs(TAB)) <= MAX_LINE:
                    width = 0
                # A Markdown table row cannot be wrapped.
                if width > MAX_LINE and path.endswith('.md') and t.startswith('|'):
                    width = 0
                if width > MAX_LINE and not re.search(r'\w+://\S+', t):
                    self.report(problems, 'length', path, n,
                                'line is %d columns long (limit %d)' % (width, MAX_LINE), t)
            code = strip_comments(t) if is_c else t
            if in_lib:
                for regex, msg in LIB_TOKENS:
                    if regex.search(code):
                        self.report(problems, 'lib-token', path, n, msg, t)
            if is_c:
                for check, dirs, regex, msg in TREE_TOKENS:
                    if path.startswith(dirs) and regex.search(code):
                        self.report(problems, check, path, n, msg, t)
            if path.startswith(EXPERIMENTAL_DIRS) and (is_c or is_meson):
                m = EXPERIMENTAL.search(strip_meson_comment(t) if is_meson else code)
                if m:
                    self.report(problems, 'experimental', path, n,
                                '"%s" in %s: only the applications of examples/ opt into '
                                'the experimental API' % (m.group(0), path.split('/')[0] + '/'),
                                t)
            for m in FORMAT_LL.finditer(t):
                self.report(problems, 'format-string', path, n,
                            '"%s": use the PRI*64 macros of inttypes.h' % m.group(0), t)
            for m in NAMING.finditer(t):
                word = m.group(1)
                hint = NAMING_HINT[word[0].lower()]
                self.report(problems, 'naming', path, n,
                            '"%s" was retired in DPDK 20.11: say %s' % (word, hint), t)
            if is_rst:
                m = FIGURE.match(t)
                if m and not m.group(1).endswith('.*'):
                    self.report(problems, 'figure', path, n,
                                'figure "%s" must end in ".*" so each builder picks its format'
                                % m.group(1), t)
        if is_c and fd.added:
            self.check_clang_format(fd, problems)
        if os.path.basename(path) == 'version.map' and fd.added:
            self.check_version_map(fd, problems)

    def check_version_map(self, fd, problems):
        """A symbol a patch adds to a version map goes under EXPERIMENTAL."""
        content = self.post_image(fd)
        if content is None:
            print('note: %s: new content unknown, version blocks not checked' % fd.path,
                  file=sys.stderr)
            return
        block = {}
        current = None
        for n, line in enumerate(content.splitlines(), 1):
            code = line.split('#')[0].strip()
            m = re.match(r'(\w+)\s*\{', code)
            if m:
                current = m.group(1)
            elif code.startswith('}'):
                current = None
            block[n] = current
        for n, t in fd.added:
            code = t.split('#')[0].strip()
            m = re.match(r'([A-Za-z_]\w*)\s*;$', code)
            if m and block.get(n) not in ('EXPERIMENTAL', 'INTERNAL'):
                self.report(problems, 'symbol', fd.path, n,
                            'new symbol %s in block %s: new symbols go under EXPERIMENTAL'
                            % (m.group(1), block.get(n)), t)

    def post_image(self, fd):
        """The full new content of a file, or None."""
        if fd.new:
            return '\n'.join(t for _, t in fd.added) + '\n'
        if fd.blob:
            try:
                return subprocess.run(['git', 'cat-file', 'blob', fd.blob], cwd=self.top,
                                      capture_output=True, check=True, text=True).stdout
            except (subprocess.CalledProcessError, OSError):
                pass
        if self.args.worktree:
            try:
                with open(os.path.join(self.top, fd.path), encoding='utf-8') as f:
                    return f.read()
            except OSError:
                pass
        return None

    def check_clang_format(self, fd, problems):
        if self.exc.allowed('clang-format', fd.path):
            return
        if not self.clang_format:
            self.missing_tools.add('clang-format')
            return
        content = self.post_image(fd)
        if content is None:
            print('note: %s: new content unknown, clang-format check skipped' % fd.path,
                  file=sys.stderr)
            return
        # clang-format 14 cannot keep DPDK's "__rte_experimental" alone on the line
        # before a return type: hide such attribute macros in a comment.
        content = re.sub(r'(?m)^([ \t]*)(__rte_\w+)[ \t]*$', r'\1// \2', content)
        added = sorted(n for n, _ in fd.added)
        ranges = []
        for n in added:
            if ranges and ranges[-1][1] == n - 1:
                ranges[-1][1] = n
            else:
                ranges.append([n, n])
        cmd = [self.clang_format, '--style=file:' + self.style,
               '--assume-filename=' + os.path.join(self.top, fd.path)]
        cmd += ['--lines=%d:%d' % (a, b) for a, b in ranges]
        try:
            out = subprocess.run(cmd, input=content, capture_output=True, text=True,
                                 check=True).stdout
        except (subprocess.CalledProcessError, OSError) as e:
            self.report(problems, 'clang-format', fd.path, 0, 'clang-format failed: %s' % e)
            return
        old = content.splitlines()
        new = out.splitlines()
        addedset = set(added)
        old_cont = continuations(old)
        new_cont = continuations(new)
        sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == 'equal':
                continue
            first = i1 + 1
            if not any(n in addedset for n in range(first, max(i2, i1 + 1) + 1)):
                continue
            if same_layout(fragments(old, old_cont, i1, i2), fragments(new, new_cont, j1, j2)):
                continue
            want = ' | '.join(s.strip() for s in new[j1:j2][:3])
            self.report(problems, 'clang-format', fd.path, first,
                        'clang-format would change lines %d-%d to: %s'
                        % (first, max(i2, first), want or '(nothing)'),
                        old[i1] if i1 < len(old) else None)

    def check_spelling(self, patch, problems):
        if not self.codespell:
            self.missing_tools.add('codespell')
            return
        where = []
        with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False,
                                         encoding='utf-8') as tmp:
            for fd in patch.files:
                if fd.deleted or fd.binary or self.exc.allowed('*', fd.path) \
                        or self.exc.allowed('codespell', fd.path) \
                        or matches(fd.path, NO_TEXT_RULES):
                    continue
                for n, t in fd.added:
                    tmp.write(t + '\n')
                    where.append((fd.path, n, t))
        try:
            if not where:
                return
            cmd = [self.codespell, '--disable-colors']
            if self.args.codespell_ignore and os.path.exists(self.args.codespell_ignore):
                cmd += ['-I', self.args.codespell_ignore]
            out = subprocess.run(cmd + [tmp.name], capture_output=True, text=True).stdout
            for line in out.splitlines():
                m = re.match(r'.*?:(\d+): (.*)$', line)
                if not m:
                    continue
                path, n, t = where[int(m.group(1)) - 1]
                self.report(problems, 'codespell', path, n, m.group(2).strip(), t)
        finally:
            os.unlink(tmp.name)

    def check_patch(self, patch):
        problems = []
        for fd in patch.files:
            self.check_file(fd, problems)
        self.check_spelling(patch, problems)
        return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('patches', nargs='*', help='patch files (default: stdin)')
    ap.add_argument('--top', default=None, help='source tree (default: git top or cwd)')
    ap.add_argument('--exceptions', default=None,
                    help='exceptions file (default: <top>/devtools/checkpatches-exceptions.txt)')
    ap.add_argument('--codespell-ignore', default=None,
                    help='codespell ignore list (default: <top>/devtools/codespell-ignore.txt)')
    ap.add_argument('--style', default=None,
                    help='clang-format style file (default: <top>/.clang-format)')
    ap.add_argument('--worktree', action='store_true',
                    help='read unknown post-images from the work tree')
    ap.add_argument('--title', default=None, help='title for a diff without a Subject')
    ap.add_argument('-q', '--quiet', action='store_true', help='print only problems')
    args = ap.parse_args()

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if args.top is None:
        try:
            args.top = subprocess.run(['git', 'rev-parse', '--show-toplevel'],
                                      capture_output=True, text=True,
                                      check=True).stdout.strip()
        except (subprocess.CalledProcessError, OSError):
            args.top = os.getcwd()
    if args.exceptions is None:
        args.exceptions = os.path.join(here, 'devtools', 'checkpatches-exceptions.txt')
    if args.codespell_ignore is None:
        args.codespell_ignore = os.path.join(here, 'devtools', 'codespell-ignore.txt')
    if args.style is None:
        args.style = os.path.join(here, '.clang-format')

    checker = Checker(args)
    total = bad = 0
    sources = args.patches or ['-']
    for src in sources:
        if src == '-':
            text = sys.stdin.read()
        else:
            with open(src, encoding='utf-8', errors='replace') as f:
                text = f.read()
        for patch in parse(text, args.title or src):
            total += 1
            problems = checker.check_patch(patch)
            if not problems:
                continue
            bad += 1
            print('\n### [PATCH] %s' % patch.title)
            counts = {}
            for check, path, n, msg, t in problems:
                counts[(check, path)] = counts.get((check, path), 0) + 1
                if counts[(check, path)] > MAX_PER_CHECK:
                    continue
                print('ERROR:%s: %s:%d: %s' % (check.upper(), path, n, msg))
                if t is not None:
                    print('+\t%s' % t.rstrip('\n')[:160])
            for (check, path), c in counts.items():
                if c > MAX_PER_CHECK:
                    print('ERROR:%s: %s: ... and %d more' % (check.upper(), path,
                                                          c - MAX_PER_CHECK))
    if args.worktree:
        # Only the whole tree shows that an exception is no longer needed.
        stale = checker.exc.unused()
        for n, line in stale:
            print('ERROR:EXCEPTION: %s:%d: matches nothing in the tree, remove it: %s'
                  % (os.path.relpath(checker.exc.filename, args.top), n, line))
        if stale:
            bad = max(bad, 1)
    for tool in sorted(checker.missing_tools):
        print('warning: %s not found: its check was skipped; install the Debian package %s'
              % (tool, tool), file=sys.stderr)
    if not args.quiet or bad:
        print('\n%d/%d valid patch%s' % (total - bad, total, '' if total == 1 else 'es'))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
