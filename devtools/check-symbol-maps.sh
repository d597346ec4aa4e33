#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

# Check each library's version.map against its public headers and its binary,
# and compile each public header alone in C and in C++ (DPDK's chkincs).

usage() {
	cat <<- END_OF_HELP
	usage: $(basename "$0") [-h] [-b BUILDDIR] [-H] [LIBDIR ...]

	For each library directory (default: every lib/*/ holding a version.map):
	  - version.map has "local: *;", no duplicate entry, and every symbol
	    under EXPERIMENTAL (the pack has no stable ABI yet) or INTERNAL;
	  - every function declared in the public headers (the "headers" of the
	    library's meson.build) is in version.map, and it carries
	    __rte_experimental exactly when it is listed under EXPERIMENTAL;
	  - every version.map entry is marked with RTE_EXPORT_<block>_SYMBOL()
	    in the sources (what DPDK 25.07 and later export by), and no other;
	  - every version.map entry is declared in a public header and defined:
	    exported by BUILDDIR/lib/librte_<name>.so with the version of its
	    block (so a C++ definition that lost its extern "C" is caught), or,
	    without -b, defined in the library's sources;
	  - with -b, every C symbol of the static library in the
	    .text.experimental section (__rte_experimental) is in EXPERIMENTAL,
	    and every global rte_* C symbol is in version.map;
	  - __rte_experimental stands alone on the line before the return type;
	  - every public header has extern "C" guards and compiles alone, and
	    included twice, as C (\$CC, default cc) and as C++ (\$CXX, default
	    c++, -std=c++17) with -Wall -Wextra -Werror and the flags of
	    "pkg-config --cflags libdpdk" (PKG_CONFIG_PATH is honoured).

	  -b BUILDDIR  a build directory of this tree (also \$MP_PACK_BUILD_DIR)
	  -H           skip the header compilation
	Exit status: 0 when every library passes.
	END_OF_HELP
}

case "${1:-}" in -h|--help) usage ; exit 0 ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
export CHECK_SYMBOL_MAPS_TOP="$top"
py=/usr/bin/python3
[ -x $py ] || py=python3
exec $py - "$@" << 'END_OF_PYTHON'
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

top = os.environ['CHECK_SYMBOL_MAPS_TOP']
ap = argparse.ArgumentParser(add_help=False)
ap.add_argument('-b', dest='build', default=os.environ.get('MP_PACK_BUILD_DIR'))
ap.add_argument('-H', dest='no_headers', action='store_true')
ap.add_argument('libdirs', nargs='*')
args = ap.parse_args()
problems = []


def problem(lib, msg):
    problems.append('%s: %s' % (lib, msg))
    print('%s: %s' % (lib, msg))


def parse_map(path):
    """{symbol: block}, local-all flag, duplicates."""
    text = re.sub(r'#[^\n]*|/\*.*?\*/', '', open(path, encoding='utf-8').read(), flags=re.S)
    syms = {}
    dups = []
    local_all = False
    for block, body in re.findall(r'(\w+)\s*\{(.*?)\}[^;]*;', text, re.S):
        scope = 'global'
        for item in re.split(r';', body):
            item = item.strip()
            m = re.match(r'(global|local)\s*:\s*(.*)', item, re.S)
            if m:
                scope, item = m.group(1), m.group(2).strip()
            if not item:
                continue
            if scope == 'local':
                local_all |= item == '*'
                continue
            if item in syms:
                dups.append(item)
            syms[item] = block
    return syms, local_all, dups


def parse_header(path):
    """{function name: experimental?} for functions declared, not defined."""
    text = open(path, encoding='utf-8').read()
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    text = re.sub(r'\\\n', ' ', text)
    text = re.sub(r'(?m)^\s*#.*$', ' ', text)
    text = re.sub(r'extern\s+"C"\s*\{', ' ', text)
    funcs = {}
    depth = 0
    stmt = ''
    for c in text:
        if c == '{':
            depth += 1
        elif c == '}':
            if depth == 0:
                stmt = ''  # the end of an extern "C" block
                continue
            depth -= 1
            if depth == 0 and not re.search(r'\b(struct|union|enum)\b[^()]*$', stmt.split('{')[0]):
                stmt = ''  # an inline function body: not exported
                continue
        if depth == 0 and c == ';':
            s = ' '.join(stmt.split())
            stmt = ''
            if s.startswith(('typedef', 'static')) or '{' in s:
                continue
            m = re.match(r'([^(]*?)\b([A-Za-z_]\w*)\s*\(', s)
            if m and not m.group(1).rstrip().endswith('(*'):
                funcs[m.group(2)] = '__rte_experimental' in m.group(1)
            continue
        stmt += c
    return funcs


def lib_headers(libdir):
    mb = os.path.join(libdir, 'meson.build')
    names = []
    if os.path.exists(mb):
        text = open(mb, encoding='utf-8').read()
        for m in re.finditer(r'headers\s*\+?=\s*files\(([^)]*)\)', text):
            names += re.findall(r"'([^']+)'", m.group(1))
    if not names:
        names = [os.path.basename(p) for p in glob.glob(os.path.join(libdir, 'rte_*.h'))]
    return [os.path.join(libdir, n) for n in names]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def defined_in_sources(libdir, sym):
    pat = re.compile(r'^(?!\s*(return|if|while)\b)[^=;()]*\b%s\s*\([^;]*$' % re.escape(sym), re.M)
    for src in glob.glob(os.path.join(libdir, '*.c')) + glob.glob(os.path.join(libdir, '*.cpp')):
        if pat.search(open(src, encoding='utf-8', errors='replace').read()):
            return True
    return False


def binary_checks(lib, name, syms):
    so = os.path.join(args.build, 'lib', 'librte_%s.so' % name)
    ar = os.path.join(args.build, 'lib', 'librte_%s.a' % name)
    if not os.path.exists(so):
        problem(lib, 'no %s: build the library first' % so)
        return
    out = run(['nm', '-D', '--defined-only', so]).stdout
    exported = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] != 'A':
            n, _, ver = parts[2].partition('@')
            exported[n] = ver.lstrip('@')
    for sym, block in sorted(syms.items()):
        if sym not in exported:
            problem(lib, '%s is in version.map but %s does not export it '
                    '(not defined, or defined without extern "C")' % (sym, os.path.basename(so)))
        elif exported[sym] != block:
            problem(lib, '%s is exported with version "%s", expected "%s"'
                    % (sym, exported[sym], block))
    for sym in sorted(set(exported) - set(syms)):
        problem(lib, '%s is exported by %s but not in version.map' % (sym, os.path.basename(so)))
    if not os.path.exists(ar):
        return
    # Symbols of the static library: C linkage, global, defined.
    out = run(['objdump', '-t', ar]).stdout
    for line in out.splitlines():
        m = re.match(r'[0-9a-f]+ g\s+F (\S+)\s+[0-9a-f]+\s+(\S+)$', line)
        if not m or m.group(2).startswith('_Z'):
            continue
        section, sym = m.groups()
        if section == '.text.experimental' and syms.get(sym) != 'EXPERIMENTAL':
            problem(lib, '%s is __rte_experimental but not under EXPERIMENTAL in version.map'
                    % sym)
        elif sym.startswith('rte_') and sym not in syms:
            problem(lib, '%s is a global C function of the library but not in version.map'
                    % sym)


def compile_header(lib, hdr, libdir):
    cflags = run(['pkg-config', '--cflags', 'libdpdk'])
    if cflags.returncode:
        problem(lib, 'pkg-config --cflags libdpdk failed: %s' % cflags.stderr.strip())
        return
    flags = shlex.split(cflags.stdout)
    inc = os.path.basename(hdr)
    src = '#include <%s>\n#include <%s>\n' % (inc, inc)
    compilers = [
        (shlex.split(os.environ.get('CC', 'cc')), ['-x', 'c', '-std=gnu11'], 'C'),
        (shlex.split(os.environ.get('CXX', 'c++')), ['-x', 'c++', '-std=c++17'], 'C++'),
    ]
    for cc, lang, label in compilers:
        cmd = cc + lang + ['-Wall', '-Wextra', '-Werror', '-DALLOW_EXPERIMENTAL_API',
                           '-DALLOW_INTERNAL_API', '-I', libdir] + flags + \
            ['-fsyntax-only', '-']
        r = run(cmd, input=src)
        if r.returncode:
            errs = [e for e in r.stderr.splitlines() if 'error' in e] or \
                r.stderr.strip().splitlines() or ['?']
            first = errs[0].replace('<stdin>', inc)
            problem(lib, '%s does not compile alone as %s: %s' % (inc, label, first))


libdirs = args.libdirs or sorted(os.path.dirname(p) for p in
                                 glob.glob(os.path.join(top, 'lib', '*', 'version.map')))
for libdir in libdirs:
    libdir = os.path.abspath(libdir)
    name = os.path.basename(libdir)
    lib = os.path.relpath(libdir, top) if libdir.startswith(top + os.sep) else libdir
    mapfile = os.path.join(libdir, 'version.map')
    if not os.path.exists(mapfile):
        problem(lib, 'no version.map')
        continue
    syms, local_all, dups = parse_map(mapfile)
    if not local_all:
        problem(lib, 'version.map lacks "local: *;": everything else would be exported')
    for d in dups:
        problem(lib, '%s is listed twice in version.map' % d)
    for sym, block in sorted(syms.items()):
        if block not in ('EXPERIMENTAL', 'INTERNAL'):
            problem(lib, '%s is in block %s: the pack has no stable ABI, '
                    'new symbols go under EXPERIMENTAL' % (sym, block))
    # DPDK 25.07 and later make the map from the marks in the sources: the
    # two must say the same.
    marks = {}
    for src in sorted(glob.glob(os.path.join(libdir, '*.c')) +
                      glob.glob(os.path.join(libdir, '*.cpp'))):
        text = open(src, encoding='utf-8', errors='replace').read()
        # The forms DPDK's buildtools/gen-version-map.py reads; it skips others.
        for m in re.finditer(r'(?m)^RTE_EXPORT_(EXPERIMENTAL_|INTERNAL_)?SYMBOL\((.*)$', text):
            kind = (m.group(1) or '').rstrip('_') or 'stable'
            form = {'EXPERIMENTAL': r'(\w+), ([0-9]+\.[0-9]+)\)$'}.get(kind, r'(\w+)\)$')
            f = re.match(form, m.group(2))
            if not f:
                problem(lib, '%s: "%s" is not a mark DPDK reads' % (os.path.basename(src),
                                                                      m.group(0).strip()))
            elif f.group(1) in marks:
                problem(lib, '%s is marked for export twice' % f.group(1))
            else:
                marks[f.group(1)] = kind
    for sym, block in sorted(syms.items()):
        if sym not in marks:
            problem(lib, '%s is in version.map but has no RTE_EXPORT_%s_SYMBOL() mark'
                    % (sym, block))
        elif marks[sym] != block:
            problem(lib, '%s is under %s in version.map but marked %s in its source'
                    % (sym, block, marks[sym]))
    for sym in sorted(set(marks) - set(syms)):
        problem(lib, '%s is marked for export in its source but not in version.map' % sym)
    headers = lib_headers(libdir)
    declared = {}
    for hdr in headers:
        if not os.path.exists(hdr):
            problem(lib, 'public header %s does not exist' % os.path.basename(hdr))
            continue
        funcs = parse_header(hdr)
        declared.update(funcs)
        text = open(hdr, encoding='utf-8').read()
        if funcs and 'extern "C"' not in text:
            problem(lib, '%s declares functions without extern "C" guards'
                    % os.path.basename(hdr))
        for m in re.finditer(r'(?m)^[ \t]*__rte_experimental[ \t]+(\S.*)$', text):
            problem(lib, '%s: put __rte_experimental alone on the line before "%s"'
                    % (os.path.basename(hdr), m.group(1).strip()))
        if not args.no_headers:
            compile_header(lib, hdr, libdir)
    for fn, exp in sorted(declared.items()):
        if fn not in syms:
            problem(lib, '%s is declared in a public header but not in version.map' % fn)
        elif exp and syms[fn] != 'EXPERIMENTAL':
            problem(lib, '%s is __rte_experimental but under %s in version.map'
                    % (fn, syms[fn]))
        elif not exp and syms[fn] == 'EXPERIMENTAL':
            problem(lib, '%s is under EXPERIMENTAL but not marked __rte_experimental in '
                    'its header' % fn)
    for sym, block in sorted(syms.items()):
        if block == 'EXPERIMENTAL' and sym not in declared:
            problem(lib, '%s is in version.map but declared in no public header' % sym)
    if args.build:
        binary_checks(lib, name, syms)
    else:
        for sym in sorted(syms):
            if not defined_in_sources(libdir, sym):
                problem(lib, '%s is in version.map but defined in none of its sources' % sym)
    if not any(p.startswith(lib + ':') for p in problems):
        print('%s: %d symbols, %d public header(s): ok' % (lib, len(syms), len(headers)))
sys.exit(1 if problems else 0)
END_OF_PYTHON
