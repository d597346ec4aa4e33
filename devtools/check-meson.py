#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Check the style of meson.build files, as DPDK's devtools do.

Rules: indentation with spaces only, in steps of 4, the body of an if or
foreach block one step deeper than the block; no trailing whitespace; in a
vertical list (one whose "[" ends its line) assigned to a variable or looped
over by foreach, and in a vertical files(...), one item per line, each
followed by a comma (the last one too), and the closing bracket on its own
line.

With --fix, trailing whitespace, tabs, missing trailing commas and lines
holding several list items are corrected in place; indentation that is not
a multiple of 4 is only reported.
"""

import argparse
import os
import re
import subprocess
import sys

BLOCK_OPEN = ('if', 'foreach')
LIST_OWNER = re.compile(r'(=|\bforeach\s+\w+(\s*,\s*\w+)?\s*:)\s*$')
BLOCK_MID = ('elif', 'else')
BLOCK_CLOSE = ('endif', 'endforeach')


class Line:
    def __init__(self, text):
        self.text = text
        self.code = ''          # text with strings blanked and comments cut
        self.in_string = False  # starts inside a multi-line string
        self.depth = 0          # bracket depth at the start of the line


def note_item(stack, n, i):
    """A token at (n, i): the start of an item if the innermost list awaits one."""
    if stack and stack[-1]['list']:
        f = stack[-1]
        last_sep = max([f['open']] + f['commas'])
        if not f['items'] or f['items'][-1] < last_sep:
            f['items'].append((n, i))


def scan(lines):
    """Fill code/in_string/depth; return the list frames spread over lines.

    A frame is a dict: open (line, col), items [(line, col)], commas
    [(line, col)], close (line, col)."""
    frames = []
    stack = []
    in_triple = False
    for n, ln in enumerate(lines):
        ln.in_string = in_triple
        ln.depth = len(stack)
        t = ln.text
        code = []
        i = 0
        while i < len(t):
            if in_triple:
                end = t.find("'''", i)
                if end < 0:
                    code.append(' ' * (len(t) - i))
                    i = len(t)
                    break
                code.append(' ' * (end + 3 - i))
                i = end + 3
                in_triple = False
                continue
            c = t[i]
            if c == '#':
                break
            if c == "'" or t.startswith("'''", i):
                note_item(stack, n, i)
            if t.startswith("'''", i):
                in_triple = True
                code.append('"""')
                i += 3
                continue
            if c == "'":
                j = i + 1
                while j < len(t) and t[j] != "'":
                    j += 2 if t[j] == '\\' else 1
                code.append("'" + ' ' * (min(j, len(t)) - i - 1) + "'")
                i = j + 1
                continue
            if c in '([{':
                note_item(stack, n, i)
                before = ''.join(code)
                is_list = c == '[' or (c == '(' and re.search(r'\bfiles\s*$', before))
                frame = {'kind': c, 'open': (n, i), 'items': [], 'commas': [], 'close': None,
                         'list': bool(is_list), 'before': before}
                stack.append(frame)
                if is_list:
                    frames.append(frame)
            elif c in ')]}':
                if stack:
                    stack.pop()['close'] = (n, i)
            elif c == ',':
                if stack:
                    stack[-1]['commas'].append((n, i))
            elif not c.isspace():
                note_item(stack, n, i)
            code.append(c)
            i += 1
        ln.code = ''.join(code).rstrip()
    # Only vertical lists, the "[" ending its line, follow the one-item-per-line
    # rule; a list wrapped like a sentence (a command line) keeps its form.
    # Like DPDK's check, it applies to the lists of assignments, of foreach
    # and of files(); a keyword argument's list (args: [...]) may pair an
    # option with its value on one line.
    return [f for f in frames if f['close'] and f['close'][0] != f['open'][0]
            and not lines[f['open'][0]].code[f['open'][1] + 1:].strip()
            and (f['kind'] == '(' or LIST_OWNER.search(f['before']))]


def indent_of(t):
    return t[:len(t) - len(t.lstrip())]


def check(path, text, fix):
    """Return (problems, fixed text)."""
    raw = text.split('\n')
    if raw and raw[-1] == '':
        raw.pop()
    lines = [Line(t) for t in raw]
    problems = []

    def problem(n, msg):
        problems.append('%s:%d: %s' % (path, n + 1, msg))

    frames = scan(lines)
    edits = {}  # line -> list of (col, kind)

    for n, ln in enumerate(lines):
        t = ln.text
        if ln.in_string:
            continue
        if t != t.rstrip():
            problem(n, 'trailing whitespace')
        indent = t[:len(t) - len(t.lstrip())]
        if '\t' in indent:
            problem(n, 'tab in indentation: indent with spaces')
        elif t.strip() and len(indent) % 4:
            problem(n, 'indentation of %d spaces is not a multiple of 4' % len(indent))

    # Blocks: body one step (4 spaces) deeper than the if/foreach line.
    stack = []
    expect_body = None
    for n, ln in enumerate(lines):
        if ln.in_string or not ln.code.strip() or ln.depth > 0:
            continue
        width = len(ln.text.expandtabs(4)) - len(ln.text.expandtabs(4).lstrip())
        word = ln.code.split()[0].split('(')[0]
        if word in BLOCK_CLOSE or word in BLOCK_MID:
            if stack and width != stack[-1]:
                problem(n, '"%s" not aligned with its block (%d spaces, expected %d)'
                        % (word, width, stack[-1]))
            if word in BLOCK_CLOSE and stack:
                stack.pop()
            expect_body = stack[-1] + 4 if word in BLOCK_MID and stack else None
            continue
        if expect_body is not None and width != expect_body:
            problem(n, 'block body indented %d spaces, expected %d' % (width, expect_body))
        expect_body = None
        if word in BLOCK_OPEN:
            stack.append(width)
            expect_body = width + 4

    for f in frames:
        items = f['items']
        closeline = f['close'][0]
        seen = set()
        open_indent = indent_of(lines[f['open'][0]].text)
        for ln, col in items:
            if ln in seen or ln == f['open'][0]:
                problem(ln, 'list with several items on one line: one item per line')
                ind = open_indent + ' ' * 4 if ln == f['open'][0] else \
                    indent_of(lines[ln].text)
                edits.setdefault(ln, []).append((col, 'break', ind))
            seen.add(ln)
        if items:
            last = items[-1]
            trailing = [c for c in f['commas'] if c > last]
            if not trailing:
                # End of the last item: last non-blank code before the bracket.
                ln, col = f['close']
                code = lines[ln].code[:col]
                while not code.strip() and ln > last[0]:
                    ln -= 1
                    code = lines[ln].code
                problem(ln, 'missing trailing comma after the last list item')
                edits.setdefault(ln, []).append((len(code.rstrip()), 'comma', ''))
            if lines[closeline].code[:f['close'][1]].strip():
                problem(closeline, 'closing bracket of a multi-line list not on its own line')
                edits.setdefault(closeline, []).append((f['close'][1], 'break', open_indent))

    if not fix:
        return problems, text
    out = []
    for n, ln in enumerate(lines):
        t = ln.text
        if not ln.in_string:
            indent = t[:len(t) - len(t.lstrip())]
            t = indent.replace('\t', '    ') + t[len(indent):]
            shift = len(t) - len(ln.text)
            t = t.rstrip()
        else:
            shift = 0
        pieces = []
        prev = 0
        for col, kind, ind in sorted(edits.get(n, []), key=lambda e: (e[0], e[1] != 'comma')):
            col += shift
            if kind == 'comma':
                pieces.append(t[prev:col] + ',')
            else:
                pieces.append(t[prev:col].rstrip() + '\n' + ind.replace('\t', '    '))
            prev = col
        pieces.append(t[prev:])
        out.append(''.join(pieces))
    return problems, '\n'.join(out) + '\n'


def tree_files(top):
    try:
        out = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard',
                              '--', '*meson.build'], cwd=top, capture_output=True, text=True,
                             check=True).stdout.split()
        files = [os.path.join(top, f) for f in out]
    except (subprocess.CalledProcessError, OSError):
        files = []
        for d, dirs, names in os.walk(top):
            dirs[:] = [x for x in dirs if not x.startswith(('.', 'build'))]
            files += [os.path.join(d, x) for x in names if x == 'meson.build']
    skip = os.path.join(top, 'app', 'test', 'devtools', 'samples') + os.sep
    return sorted(f for f in files if not f.startswith(skip) and os.path.exists(f))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--fix', action='store_true', help='correct what can be corrected, in place')
    ap.add_argument('-d', '--dir', default=None,
                    help='tree to check (default: the tree holding this script)')
    ap.add_argument('files', nargs='*', help='meson.build files (default: every one in the tree)')
    args = ap.parse_args()
    top = args.dir or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = args.files or tree_files(top)
    bad = 0
    for f in files:
        with open(f, encoding='utf-8') as fh:
            text = fh.read()
        rel = os.path.relpath(f, top) if not args.files else f
        problems, fixed = check(rel, text, args.fix)
        if args.fix and fixed != text:
            with open(f, 'w', encoding='utf-8') as fh:
                fh.write(fixed)
            after, _ = check(rel, fixed, False)
            print('%s: fixed %d problem(s)' % (rel, len(problems) - len(after)))
            problems = after
        for p in problems:
            print(p)
        bad += bool(problems)
    print('%d/%d meson.build files follow the style' % (len(files) - bad, len(files)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
