# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Find the command lines shown in the guides; collect what the docs checks find wrong.

A command line is a line of a ``.. code-block:: console`` block that starts with the prompt
``$`` (any user) or ``#`` (root); a trailing backslash continues it on the next line.
The lines after a command, up to the next command, are what the command prints.
A line that starts with ``<application> >`` is a command typed at an application's prompt.

Shell commands anywhere else (another block language, a ``::`` literal block) are reported
as misplaced, so that no command can hide from the coverage check.
"""

import os
import re

GUIDES_REL = os.path.join('doc', 'guides')

CODE_DIRECTIVE = re.compile(r'^(\s*)\.\. (?:code-block|code|sourcecode)::\s*(\S*)\s*$')
OTHER_DIRECTIVE = re.compile(r'^(\s*)\.\. [a-z-]+::')
PROMPT = re.compile(r'^([$#]) (.*)$')
APP_PROMPT = re.compile(r'^([a-z][a-z0-9_]*) > (\S.*)$')
# Lines that look like shell commands wherever they appear.
SHELL_LIKE = re.compile(r'^(?:[$#] \S|\./build/|sudo |meson |ninja |dpdk-|apt-get |echo .*>|'
                        r'PKG_CONFIG_PATH=|cp |cd |kill |ps )')
CODE_LANGUAGES = {'c', 'c++', 'cpp', 'python', 'ini', 'json', 'diff'}


class Failures:
    """What a check found wrong, each printed as found: "FAIL <where>: <message>"."""

    def __init__(self):
        self.items = []

    def add(self, where, msg):
        self.items.append('%s: %s' % (where, msg))
        print('FAIL %s: %s' % (where, msg))


class Command:
    """One command line of a guide."""

    def __init__(self, path, line, prompt, text, block):
        self.path = path          # path relative to doc/guides
        self.line = line          # 1-based line of the command's first line
        self.prompt = prompt      # '$', '#', or 'app' for an application prompt
        self.text = text          # the command, continuation lines joined
        self.block = block        # (path, line of the block's directive)
        self.output = []          # lines shown after the command
        self.app = None           # application name, for prompt commands

    def where(self):
        return '%s:%d' % (self.path, self.line)

    def __repr__(self):
        return '<%s %s>' % (self.where(), self.text)


def guide_files(guides_dir):
    """Every RST source of the guides, fragments included, in a stable order."""
    out = []
    for root, dirs, files in os.walk(guides_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(('_', '.')))
        for f in sorted(files):
            if f.endswith('.rst'):
                out.append(os.path.join(root, f))
    return out


def _blocks(lines):
    """Yield (directive line index, language, indent, [(index, text), ...]) per literal block."""
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        m = CODE_DIRECTIVE.match(line)
        literal = None
        if m:
            indent = len(m.group(1))
            lang = m.group(2) or 'none'
            start = i
        elif line.rstrip().endswith('::') and not OTHER_DIRECTIVE.match(line) \
                and not line.lstrip().startswith('.. '):
            indent = len(line) - len(line.lstrip())
            lang = 'literal'
            start = i
            literal = True
        else:
            i += 1
            continue
        j = i + 1
        # Directive options come right after the directive line.
        if not literal:
            while j < n and re.match(r'^\s+:[a-z-]+:', lines[j]):
                j += 1
        body = []
        while j < n:
            t = lines[j]
            if t.strip() == '':
                body.append((j, ''))
                j += 1
                continue
            if len(t) - len(t.lstrip()) <= indent:
                break
            body.append((j, t))
            j += 1
        while body and body[-1][1] == '':
            body.pop()
        yield start, lang, body
        i = j if j > i + 1 else i + 1


def parse_file(path, rel):
    """Return (commands, misplaced) for one RST file."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    commands = []
    misplaced = []
    for start, lang, body in _blocks(lines):
        content = [t for _, t in body if t]
        if not content:
            continue
        base = min(len(t) - len(t.lstrip()) for t in content)
        stripped = [(k, t[base:] if t else '') for k, t in body]
        if lang != 'console':
            if lang in CODE_LANGUAGES:
                continue
            for k, t in stripped:
                if SHELL_LIKE.match(t):
                    misplaced.append('%s:%d: a command outside a console block: %s'
                                     % (rel, k + 1, t))
            continue
        block = (rel, start + 1)
        cur = None
        cont = None
        for k, t in stripped:
            if cont is not None:
                cont.text += ' ' + t.strip().rstrip('\\').strip()
                if not t.rstrip().endswith('\\'):
                    cont = None
                continue
            m = PROMPT.match(t)
            if m:
                text = m.group(2).rstrip()
                cur = Command(rel, k + 1, m.group(1), text.rstrip('\\').strip(), block)
                commands.append(cur)
                if text.endswith('\\'):
                    cont = cur
                continue
            m = APP_PROMPT.match(t)
            if m:
                cur = Command(rel, k + 1, 'app', m.group(2).strip(), block)
                cur.app = m.group(1)
                commands.append(cur)
                continue
            if cur is None:
                if t.strip():
                    misplaced.append('%s:%d: console block line before any prompt: %s'
                                     % (rel, k + 1, t))
                continue
            cur.output.append(t)
    for c in commands:
        while c.output and not c.output[-1].strip():
            c.output.pop()
    return commands, misplaced


def extract(guides_dir):
    """All commands and misplaced command lines of the guides under guides_dir."""
    commands = []
    misplaced = []
    for path in guide_files(guides_dir):
        rel = os.path.relpath(path, guides_dir)
        c, m = parse_file(path, rel)
        commands += c
        misplaced += m
    return commands, misplaced


if __name__ == '__main__':
    import sys
    d = sys.argv[1] if len(sys.argv) > 1 else GUIDES_REL
    cmds, bad = extract(d)
    for c in cmds:
        print('%-45s %s %s' % (c.where(), c.prompt, c.text))
        for o in c.output:
            print('%45s   | %s' % ('', o))
    for b in bad:
        print('MISPLACED', b)
