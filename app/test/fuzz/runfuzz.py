#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Run one libFuzzer target for a bounded time on a copy of its seed corpus.

usage: runfuzz.py TARGET CORPUS_DIR [SECONDS]
SECONDS defaults to $FUZZ_SECONDS, else 2. New inputs go to a temporary
directory, never into the tree; a crash leaves its input in
$MESON_BUILD_ROOT/fuzz-artifacts/ (or the current directory): add it to
CORPUS_DIR with the fix, as a regression case. Prints one line:
"<target>: <N> executions in <S> s, <C> crashes".
"""

import os
import re
import subprocess
import sys
import tempfile


def main(argv):
    target, corpus = argv[1], argv[2]
    seconds = int(argv[3]) if len(argv) > 3 else int(os.environ.get('FUZZ_SECONDS', '2'))
    name = os.path.basename(target)
    out_dir = os.path.join(os.environ.get('MP_PACK_BUILD_DIR', '.'), 'fuzz-artifacts')
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=name + '-') as work:
        cmd = [target, '-max_total_time=%d' % seconds, '-close_fd_mask=2',
               '-print_final_stats=1', '-artifact_prefix=%s/%s-' % (out_dir, name),
               '-timeout=10', '-rss_limit_mb=2048', work, corpus]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors='replace', timeout=seconds + 120)
    runs = re.search(r'stat::number_of_executed_units:\s*(\d+)', p.stdout)
    took = re.search(r'Done (\d+) runs in (\d+) second', p.stdout)
    crashes = 0 if p.returncode == 0 else 1
    print('%s: %s executions in %s s, %d crashes' % (
        name, runs.group(1) if runs else '?', took.group(2) if took else seconds, crashes))
    if p.returncode != 0:
        print(p.stdout[-6000:])
    return p.returncode


if __name__ == '__main__':
    sys.exit(main(sys.argv))
