# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Sphinx configuration of the dpdk-mp-pack guides and manual pages."""

from os.path import abspath, dirname, join

_here = dirname(abspath(__file__))

project = 'dpdk-mp-pack'
copyright = '2026, The dpdk-mp-pack contributors'
author = 'The dpdk-mp-pack contributors'

# The pack keeps its version in one place, the VERSION file at the top.
with open(join(_here, '..', '..', 'VERSION'), encoding='utf-8') as f:
    version = f.read().strip()
release = version

extensions = []
source_suffix = '.rst'
root_doc = 'index'
# Fragments pulled in with ".. include::" are not documents of their own.
exclude_patterns = ['_build', '**/*.inc.rst', 'Thumbs.db', '.DS_Store']
numfig = True
numfig_format = {'figure': 'Fig. %s', 'table': 'Table %s', 'code-block': 'Listing %s'}
highlight_language = 'none'
# Command lines must show "--" as typed, not as a dash.
smartquotes = False
pygments_style = 'sphinx'
nitpicky = True

html_title = 'dpdk-mp-pack documentation'
html_show_sphinx = False
html_last_updated_fmt = None
try:
    import sphinx_rtd_theme  # noqa: F401
    html_theme = 'sphinx_rtd_theme'
except ImportError:
    html_theme = 'default'

# One manual page per binary, written once and shown in the HTML guides too.
_man_author = ['The dpdk-mp-pack contributors']
man_pages = [
    ('man/dpdk-simple_mp', 'dpdk-simple_mp',
     'exchange messages between DPDK processes through shared rings', _man_author, 1),
    ('man/dpdk-symmetric_mp', 'dpdk-symmetric_mp',
     'symmetric multi-process L2 forwarding, one queue pair per process', _man_author, 1),
    ('man/dpdk-mp_server', 'dpdk-mp_server',
     'receive packets and hand them out to client processes', _man_author, 1),
    ('man/dpdk-mp_client', 'dpdk-mp_client',
     'forward the packets a dpdk-mp_server hands to this client', _man_author, 1),
    ('man/dpdk-l2fwd_fork', 'dpdk-l2fwd_fork',
     'L2 forwarding by forked worker processes that recover from crashes', _man_author, 1),
]
man_show_urls = False
man_make_section_directory = False
