# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""What devtools/checkpatches.py reads: unified diffs, and its exception list."""

import fnmatch
import os
import re


class FileDiff:
    def __init__(self, path):
        self.path = path
        self.new = False
        self.deleted = False
        self.binary = False
        self.blob = None
        self.added = []     # (line number in the new file, text)
        self.hunks = 0


class Patch:
    def __init__(self, title):
        self.title = title
        self.files = []


def parse(text, default_title):
    """Split text into patches, each a list of FileDiff."""
    patches = []
    patch = None
    cur = None
    remain_old = remain_new = 0
    newline = 0
    lines = text.split('\n')
    for line in lines:
        if remain_old > 0 or remain_new > 0:
            if line.startswith('+'):
                cur.added.append((newline, line[1:]))
                newline += 1
                remain_new -= 1
                continue
            if line.startswith('-'):
                remain_old -= 1
                continue
            if line.startswith(' ') or line == '':
                newline += 1
                remain_old -= 1
                remain_new -= 1
                continue
            if line.startswith('\\'):
                continue
            remain_old = remain_new = 0
        if line.startswith('From ') and re.match(r'From [0-9a-f]{40} ', line):
            patch = Patch(default_title)
            patches.append(patch)
            cur = None
            continue
        if line.startswith('Subject: ') and patch is not None and not patch.files:
            patch.title = re.sub(r'^\[PATCH[^]]*\] *', '', line[len('Subject: '):])
            continue
        if line.startswith('diff --git '):
            if patch is None:
                patch = Patch(default_title)
                patches.append(patch)
            m = re.match(r'diff --git a/(.*) b/(.*)$', line)
            cur = FileDiff(m.group(2) if m else line.split()[-1])
            patch.files.append(cur)
            continue
        if cur is None:
            continue
        if line.startswith('new file mode'):
            cur.new = True
        elif line.startswith('deleted file mode'):
            cur.deleted = True
        elif line.startswith('index '):
            m = re.match(r'index [0-9a-f]+\.\.([0-9a-f]+)', line)
            if m:
                cur.blob = m.group(1)
        elif line.startswith('+++ '):
            if line.startswith('+++ b/'):
                cur.path = line[len('+++ b/'):]
        elif line.startswith('Binary files') or line.startswith('GIT binary patch'):
            cur.binary = True
        elif line.startswith('@@ '):
            m = re.match(r'@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@', line)
            if m:
                remain_old = int(m.group(1)) if m.group(1) is not None else 1
                newline = int(m.group(2))
                remain_new = int(m.group(3)) if m.group(3) is not None else 1
                cur.hunks += 1
    return patches


def matches(path, globs):
    base = os.path.basename(path)
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(base, g) for g in globs)


class Exceptions:
    def __init__(self, filename):
        self.filename = filename
        self.rules = []
        self.used = set()
        if not filename or not os.path.exists(filename):
            return
        with open(filename, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                parts = line.split(None, 2)
                if len(parts) < 2:
                    continue
                regex = re.compile(parts[2]) if len(parts) > 2 else None
                self.rules.append((parts[0], parts[1], regex, n, line))

    def allowed(self, check, path, text=None):
        for c, glob, regex, n, _ in self.rules:
            if c not in ('*', check) or not fnmatch.fnmatch(path, glob):
                continue
            if regex is None or (text is not None and regex.search(text)):
                self.used.add(n)
                return True
        return False

    def unused(self):
        """The exceptions for one file that nothing needed (a glob is a policy)."""
        return [(n, line) for _, glob, _, n, line in self.rules
                if n not in self.used and not re.search(r'[*?[]', glob)]
