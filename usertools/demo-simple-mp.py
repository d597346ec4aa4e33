#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""A scripted dpdk-simple_mp session: a primary and a secondary trade messages.

Each process runs on a pseudo-terminal; what it prints is shown live with its
name in front. Everything started here has --no-pci and its own --file-prefix
and is stopped by PID at the end.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'app', 'test', 'e2e'))
import mpharness  # noqa: E402

PROMPT = 'simple_mp > '


class Tee:
    """Show a process's output line by line, labelled."""

    def __init__(self, label, log):
        self.label, self.log, self.part = label, log, ''

    def write(self, text):
        self.log.write(text)
        self.part += text.replace('\r', '')
        while '\n' in self.part:
            line, self.part = self.part.split('\n', 1)
            if line.strip():
                print('  [%s] %s' % (self.label, line), flush=True)

    def flush(self):
        self.log.flush()


def step(text):
    print('\n-- ' + text, flush=True)
    time.sleep(0.3)


def main():
    why = mpharness.hugepages_problem()
    if why:
        print('demo skipped: hugepages unavailable: ' + why)
        return 77
    with mpharness.Group('simple', kind='mpdemo') as g:
        step('start the primary on lcores 0-1: it creates two rings and a mempool')
        a = g.start('simple_mp', lcores='0@0,1@1', proc_type='primary', prompt=PROMPT,
                    wait_prompt=False, name='primary')
        a.child.logfile_read = Tee('primary  ', a._log)
        a.wait_prompt()
        step('start a secondary on lcores 2-3 (--proc-type=auto): it looks them up by name')
        b = g.start('simple_mp', lcores='2@0,3@1', proc_type='auto', prompt=PROMPT,
                    wait_prompt=False, name='secondary')
        b.child.logfile_read = Tee('secondary', b._log)
        b.wait_prompt()
        step('primary: send hello_secondary')
        a.sendline('send hello_secondary')
        b.expect_exact("Received 'hello_secondary'")
        a.wait_prompt()
        step('secondary: send hello_primary')
        b.sendline('send hello_primary')
        a.expect_exact("Received 'hello_primary'")
        b.wait_prompt()
        step('a message longer than a buffer is refused, not truncated')
        a.sendline('send ' + 'x' * 80)
        a.expect_exact('Error: message is 80 bytes')
        a.wait_prompt()
        step('status: every buffer is back in the shared pool')
        a.sendline('status')
        a.expect('receive ring')
        a.wait_prompt()
        step('the secondary quits and a new one joins while the primary runs')
        b.sendline('quit')
        b.wait_exit()
        c = g.start('simple_mp', lcores='2@0,3@1', proc_type='secondary', prompt=PROMPT,
                    wait_prompt=False, name='secondary2')
        c.child.logfile_read = Tee('secondary2', c._log)
        c.wait_prompt()
        a.sendline('send welcome_back')
        c.expect_exact("Received 'welcome_back'")
        step('the primary is killed: the secondary notices and exits')
        a.signal(9)
        a.wait_exit()
        c.expect('primary process has exited')
        c.wait_exit()
    print('\nsimple_mp demo done')
    return 0


if __name__ == '__main__':
    sys.exit(main())
