#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Build the guides and the manual pages with warnings as errors, and check their form.

* ``sphinx-build -W -n --keep-going`` for the HTML guides and for the manual pages,
  into a temporary directory: any warning, broken reference or missing
  literalinclude marker fails;
* every manual page named in conf.py is produced, with its NAME and SYNOPSIS;
* the RST sources: SPDX header, lines under 100 characters, no tabs or trailing blanks,
  3-space indentation, DPDK's inclusive naming;
* literalinclude markers in DPDK's form (``<what>. 8<`` and ``>8 End of <what>.``);
* figures: SVG files under ``img/``, referenced as ``img/<name>.*`` right after a label and
  with a caption; every SVG is well-formed, carries the SPDX line, and is used;
* doc/guides/meson.build lists every source, code shown included, so that ninja rebuilds;
* the API reference: Doxygen on the public headers of lib/mpsupport with doc/api/doxy-api.conf,
  where every warning (an undocumented symbol among them) is an error,
  and every link of the HTML guides into it leads to a page it made.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else sys.executable
MAX_LINE = 99
WORDS = re.compile(r'\b(master|slave|whitelist|blacklist)s?\b', re.IGNORECASE)


def fail(errors, msg):
    errors.append(msg)
    print('FAIL ' + msg)


def sphinx(builder, src, out, errors):
    cmd = [PYTHON, '-m', 'sphinx', '-b', builder, '-W', '-n', '--keep-going', '-q',
           '-d', os.path.join(out, '.doctrees'), src, os.path.join(out, builder)]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    if r.returncode != 0:
        fail(errors, 'sphinx-build -b %s failed (%d):\n%s' % (builder, r.returncode, r.stdout))
    else:
        print('ok   sphinx-build -b %s -W -n' % builder)
    return os.path.join(out, builder)


def doxygen(source_dir, out, errors):
    """Build the API reference into out/html as doc/api/meson.build does."""
    import shutil
    import time
    exe = shutil.which('doxygen')
    if exe is None:
        fail(errors, 'no doxygen (apt-get install doxygen)')
        return
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(source_dir, 'VERSION'), encoding='utf-8') as f:
        version = f.read().strip()
    env = dict(os.environ, MPS_SOURCE_DIR=source_dir, MPS_API_OUT=out, MPS_VERSION=version)
    start = time.monotonic()
    r = subprocess.run([exe, os.path.join(source_dir, 'doc', 'api', 'doxy-api.conf')],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    if r.returncode != 0 or r.stdout.strip():
        fail(errors, 'doxygen failed (%d), warnings are errors:\n%s' % (r.returncode, r.stdout))
    elif not os.path.isfile(os.path.join(out, 'html', 'index.html')):
        fail(errors, 'doxygen made no html/index.html')
    else:
        print('ok   doxygen API reference, no warning (%.1f s)' % (time.monotonic() - start))


def check_api_links(html_dir, errors):
    """Every link of the HTML guides into the API reference leads to a page."""
    links = 0
    for root, _, files in os.walk(html_dir):
        for name in files:
            if not name.endswith('.html'):
                continue
            path = os.path.join(root, name)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for href in re.findall(r'href="([^"#]*api/html/[^"#]*)"', text):
                links += 1
                target = os.path.normpath(os.path.join(root, href))
                if not os.path.isfile(target):
                    fail(errors, '%s: link %s leads nowhere'
                         % (os.path.relpath(path, html_dir), href))
    if links == 0:
        fail(errors, 'the HTML guides have no link to the API reference')
    else:
        print('ok   %d link(s) from the guides to the API reference' % links)


def man_pages(conf_path):
    ns = {'__file__': conf_path}
    with open(conf_path, encoding='utf-8') as f:
        exec(compile(f.read(), conf_path, 'exec'), ns)  # the guides' own conf.py
    return [m[1] for m in ns.get('man_pages', [])]


def check_man(outdir, names, errors):
    if not names:
        fail(errors, 'conf.py declares no manual page')
    for name in names:
        path = os.path.join(outdir, name + '.1')
        if not os.path.isfile(path):
            fail(errors, 'manual page %s.1 was not produced' % name)
            continue
        with open(path, encoding='utf-8') as f:
            text = f.read()
        for sec in ('.SH NAME', '.SH SYNOPSIS', '.SH DESCRIPTION', '.SH OPTIONS', '.SH EXAMPLES'):
            if sec not in text:
                fail(errors, '%s.1 has no %s section' % (name, sec.split()[1]))
        if not re.search(r'^%s \\- \S' % re.escape(name), text, re.M):
            fail(errors, '%s.1 has no "name - description" line' % name)
        else:
            print('ok   man page %s.1' % name)


def rst_files(guides):
    for root, dirs, files in os.walk(guides):
        dirs[:] = sorted(d for d in dirs if not d.startswith(('_', '.')))
        for f in sorted(files):
            if f.endswith('.rst'):
                yield os.path.join(root, f)


def check_rst(path, rel, errors):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    if not lines[0].startswith('..  SPDX-License-Identifier: BSD-3-Clause'):
        fail(errors, '%s:1: no SPDX header' % rel)
    literal_indent = None
    bullets = []
    for n, line in enumerate(lines, 1):
        where = '%s:%d' % (rel, n)
        if len(line) > MAX_LINE:
            fail(errors, '%s: line of %d characters (at most %d)' % (where, len(line), MAX_LINE))
        if '\t' in line:
            fail(errors, '%s: tab character' % where)
        if line != line.rstrip():
            fail(errors, '%s: trailing blank' % where)
        if n > 3 and WORDS.search(line):
            fail(errors, '%s: use DPDK inclusive naming (main/worker, allow/block): %s'
                 % (where, line.strip()))
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if literal_indent is not None:
            if stripped and indent <= literal_indent:
                literal_indent = None
            else:
                continue
        bm = re.match(r'^(\s*)[*-] ', line)
        if bm:
            bullets = [b for b in bullets if b < len(bm.group(1))] + [len(bm.group(1))]
        elif stripped:
            bullets = [b for b in bullets if b < indent]
        # Directive bodies are indented by 3; a bullet's text continues 2 further in.
        if n > 3 and stripped and indent % 3 != 0 and not (bullets and indent == bullets[-1] + 2):
            fail(errors, '%s: indentation of %d is not a multiple of 3' % (where, indent))
        if re.match(r'\.\. (code-block|literalinclude|code)::', stripped) or \
                (stripped.endswith('::') and not stripped.startswith('.. ')):
            literal_indent = indent
        m = re.match(r':start-after: (.*)$', stripped)
        if m and not m.group(1).endswith(' 8<'):
            fail(errors, '%s: start marker must end with " 8<" (DPDK form)' % where)
        m = re.match(r':end-before: (.*)$', stripped)
        if m and not m.group(1).startswith('>8 End of '):
            fail(errors, '%s: end marker must start with ">8 End of " (DPDK form)' % where)


def check_figures(guides, errors):
    used = set()
    for path in rst_files(guides):
        rel = os.path.relpath(path, guides)
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        for i, line in enumerate(lines):
            m = re.match(r'^(\s*)\.\. figure:: (\S+)\s*$', line)
            if not m:
                continue
            where = '%s:%d' % (rel, i + 1)
            target = m.group(2)
            fm = re.fullmatch(r'img/([a-z0-9_]+)\.\*', target)
            if not fm:
                fail(errors, '%s: figure %s is not img/<name>.*' % (where, target))
                continue
            svg = os.path.join(os.path.dirname(path), 'img', fm.group(1) + '.svg')
            if not os.path.isfile(svg):
                fail(errors, '%s: %s does not exist' % (where, svg))
                continue
            used.add(os.path.realpath(svg))
            prev = [ln for ln in lines[:i] if ln.strip()]
            if not prev or not re.match(r'^\s*\.\. _figure_[a-z0-9_]+:$', prev[-1]):
                fail(errors, '%s: figure without a ".. _figure_<name>:" label before it' % where)
            caption = [ln for ln in lines[i + 1:i + 4] if ln.strip()]
            if not caption or len(caption[0]) - len(caption[0].lstrip()) <= len(m.group(1)):
                fail(errors, '%s: figure without a caption' % where)
            print('ok   figure %s' % os.path.relpath(svg, guides))
    for root, _, files in os.walk(guides):
        for f in files:
            if not f.endswith('.svg'):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, guides)
            if os.path.basename(root) != 'img':
                fail(errors, '%s: figures live under <guide>/img/' % rel)
            if os.path.realpath(path) not in used:
                fail(errors, '%s: figure not referenced by any page' % rel)
            with open(path, encoding='utf-8') as fh:
                text = fh.read()
            if 'SPDX-License-Identifier: BSD-3-Clause' not in text[:400]:
                fail(errors, '%s: no SPDX line' % rel)
            try:
                root_el = ET.fromstring(text.encode('utf-8'))
            except ET.ParseError as e:
                fail(errors, '%s: not well-formed XML: %s' % (rel, e))
                continue
            if not root_el.tag.endswith('svg'):
                fail(errors, '%s: not an SVG document' % rel)


def check_meson_sources(guides, errors):
    """Every source of the guides is listed in meson.build, so that ninja rebuilds on change."""
    with open(os.path.join(guides, 'meson.build'), encoding='utf-8') as f:
        listed = {os.path.normpath(os.path.join(guides, m))
                  for m in re.findall(r"^\s+'([^']+)',\s*$", f.read(), re.M)}
    wanted = set()
    for root, dirs, files in os.walk(guides):
        dirs[:] = [d for d in dirs if not d.startswith(('_', '.'))]
        for name in files:
            path = os.path.join(root, name)
            if name.endswith(('.rst', '.svg', '.py')):
                wanted.add(os.path.normpath(path))
            if name.endswith('.rst'):
                with open(path, encoding='utf-8') as f:
                    for m in re.finditer(r'literalinclude:: (\S+)', f.read()):
                        wanted.add(os.path.normpath(os.path.join(root, m.group(1))))
    for path in sorted(wanted - listed):
        fail(errors, 'doc/guides/meson.build does not list %s'
             % os.path.relpath(path, guides))
    if not wanted - listed:
        print('ok   doc/guides/meson.build lists all %d sources' % len(wanted))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--source-dir', default=os.environ.get('MP_PACK_SOURCE_DIR',
                    os.path.abspath(os.path.join(HERE, '..', '..', '..'))))
    ap.add_argument('--keep', help='build into this directory and keep it')
    args = ap.parse_args()
    guides = os.path.join(args.source_dir, 'doc', 'guides')
    errors = []
    r = subprocess.run([PYTHON, '-c', 'import sphinx'], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        print('SKIP: no Sphinx for %s (apt-get install python3-sphinx)' % PYTHON)
        return 77

    for path in rst_files(guides):
        check_rst(path, os.path.relpath(path, guides), errors)
    check_figures(guides, errors)
    check_meson_sources(guides, errors)

    out = args.keep or tempfile.mkdtemp(prefix='mp-doc-')
    try:
        # The layout of the build tree: doc/guides/html beside doc/api/html.
        html_dir = sphinx('html', guides, os.path.join(out, 'guides'), errors)
        man_dir = sphinx('man', guides, os.path.join(out, 'guides'), errors)
        check_man(man_dir, man_pages(os.path.join(guides, 'conf.py')), errors)
        html_index = os.path.join(html_dir, 'index.html')
        if not os.path.isfile(html_index):
            fail(errors, 'no index.html produced')
        doxygen(args.source_dir, os.path.join(out, 'api'), errors)
        check_api_links(html_dir, errors)
    finally:
        if not args.keep:
            import shutil
            shutil.rmtree(out, ignore_errors=True)

    if errors:
        print('%d problem(s) in the guides' % len(errors))
        return 1
    print('guides build cleanly')
    return 0


if __name__ == '__main__':
    sys.exit(main())
