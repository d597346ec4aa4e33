#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Check the MAINTAINERS file against the files of the tree.

Each section (a title line, then "M:", "F:" and "X:" lines) must have a
title and at least one maintainer written "Name <address>". Every pattern
must match at least one file; every file must be covered by the F: patterns
of at least one section, less its X: patterns. Pattern rules: a trailing
slash takes the whole directory tree, a wildcard takes the files of one
directory level, anything else names one file.

The files are those git tracks under the top directory, or all files when
it is not in a git work tree.
Exit status: 0 when the file and the tree agree, 1 otherwise, 2 on usage.
"""

import argparse
import fnmatch
import os
import re
import subprocess
import sys

FIELD = re.compile(r'^([A-Z]):\s*(.*?)\s*$')
MAINTAINER = re.compile(r'^[^<>@]+ <[^<>@\s]+@[^<>@\s]+>$')


def tree_files(top):
    try:
        out = subprocess.run(['git', 'ls-files', '-z'], cwd=top, capture_output=True,
                             check=True).stdout.decode('utf-8', 'replace')
        return sorted(f for f in out.split('\0') if f)
    except (subprocess.CalledProcessError, OSError):
        pass
    files = []
    for root, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d != '.git']
        files += [os.path.relpath(os.path.join(root, n), top) for n in names]
    return sorted(files)


def pattern_matches(pattern, path):
    if pattern.endswith('/'):
        return path.startswith(pattern)
    if pattern.count('/') != path.count('/'):
        return False
    return fnmatch.fnmatchcase(path, pattern)


def parse(path):
    """Sections as dicts: title, line, M, F, X (lists of (line, value))."""
    sections = []
    cur = None
    started = False
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            cur = None
            continue
        if re.match(r'^-+$', line) or re.match(r'^=+$', line):
            continue
        m = FIELD.match(line)
        if m:
            if cur is None:
                # Fields before any title: the format description at the top.
                if started:
                    sections.append({'title': None, 'line': n, 'M': [], 'F': [], 'X': [],
                                     'other': []})
                    cur = sections[-1]
                else:
                    continue
            key = m.group(1) if m.group(1) in 'MFX' else 'other'
            cur[key].append((n, m.group(2)))
            continue
        if line.startswith((' ', '\t')):
            continue
        next_line = lines[n] if n < len(lines) else ''
        if cur is None and FIELD.match(next_line):
            cur = {'title': line.strip(), 'line': n, 'M': [], 'F': [], 'X': [], 'other': []}
            sections.append(cur)
            started = True
    return sections


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--top', default=None,
                    help='the tree to check (default: the pack this script is in)')
    ap.add_argument('--file', default=None, help='MAINTAINERS file (default: <top>/MAINTAINERS)')
    args = ap.parse_args()
    top = args.top or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    mfile = args.file or os.path.join(top, 'MAINTAINERS')
    if not os.path.exists(mfile):
        print('%s: no such file' % mfile)
        return 1
    name = os.path.relpath(mfile, top) if mfile.startswith(top) else mfile
    files = tree_files(top)
    sections = parse(mfile)
    problems = []
    covered = set()
    if not sections:
        problems.append('%s: no section' % name)
    for s in sections:
        where = '%s:%d' % (name, s['line'])
        if not s['title']:
            problems.append('%s: section without a title line' % where)
        if not s['M']:
            problems.append('%s: %s: no maintainer (M:)' % (where, s['title']))
        for n, m in s['M']:
            if not MAINTAINER.match(m):
                problems.append('%s:%d: maintainer not written "Name <address>": %s'
                                % (name, n, m))
        if not s['F']:
            problems.append('%s: %s: no file pattern (F:)' % (where, s['title']))
        mine = set()
        for key in ('F', 'X'):
            for n, pat in s[key]:
                hits = {f for f in files if pattern_matches(pat, f)}
                if not hits:
                    problems.append('%s:%d: %s: %s matches no file' % (name, n, key, pat))
                if key == 'F':
                    mine |= hits
                else:
                    mine -= hits
        covered |= mine
    uncovered = [f for f in files if f not in covered]
    for f in uncovered:
        problems.append('%s: in no section of %s' % (f, name))
    for p in problems:
        print(p)
    print('%d/%d files covered by %s, %d problem%s' % (
        len(files) - len(uncovered), len(files), name, len(problems),
        '' if len(problems) == 1 else 's'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
