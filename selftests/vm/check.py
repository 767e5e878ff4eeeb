#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one VM boot of selftests/vm/run.sh: test output (TAP/KTAP from
kselftest_harness binaries, framed by init.sh) and the kernel console (splats).

Prints a human summary and writes "passed failed skipped" to --counts.
Standard library only.
"""
import argparse
import os
import re
import sys

BEGIN_VM = re.compile(r'^### leakscope-vm BEGIN\b(.*)$')
END_VM = '### leakscope-vm END'
LEFT_LOADED = '### leakscope-vm MODULE-LEFT-LOADED'
BEGIN_T = re.compile(r'^### leakscope-test BEGIN (\S+)\s*$')
END_T = re.compile(r'^### leakscope-test END (\S+) rc=(\d+)(?: secs=(\S+))?\s*$')
# Top nesting level only: nested KTAP subtests are indented.
RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*-?\s*([^#]*?)\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)')
BAIL = re.compile(r'^Bail out!')

SPLATS = [
    'WARNING:', 'BUG:', 'Oops', 'general protection fault', 'Kernel panic',
    'INFO: possible', 'possible circular locking', 'possible recursive locking',
    'inconsistent lock state', 'KASAN', 'UBSAN', 'kmemleak:',
    'unreferenced object', 'soft lockup', 'hard LOCKUP',
    'rcu_sched self-detected stall', 'rcu: INFO', 'detected stall', 'Call Trace',
]
# Lines that contain a pattern but are not a splat (checked per line).
BENIGN = [
    re.compile(r'kmemleak: Kernel memory leak detector (initialized|disabled)'),
    re.compile(r'kmemleak: Automatic memory scanning thread'),
    re.compile(r'KASAN (init|initialized)'),
    re.compile(r'kasan: KernelAddressSanitizer initialized'),
]
SPLAT_RE = re.compile('|'.join(re.escape(p) for p in SPLATS))
TAINTED = re.compile(r'^### leakscope-vm tainted=(\d+)\s*$')
KMEMLEAK_SCANNED = '### leakscope-vm kmemleak scanned'
KMEMLEAK_REFUSED = re.compile(r'^### leakscope-vm kmemleak not scanned: .*lockdown: .*\[(integrity|confidentiality)\]')
KMEMLEAK_ON = re.compile(r'kmemleak: Kernel memory leak detector initialized')
# /proc/sys/kernel/tainted, bit by bit (Documentation/admin-guide/tainted-kernels.rst)
TAINT_LETTERS = 'PFSRMBUDAWCIOELKXTNJ'
# Out of tree (O) and unsigned (E) are what loading our own modules does.
TAINT_OK = 'OE'
SKIP_ALLOWED = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            'skip-allowed')


def read_skip_allowed(path=SKIP_ALLOWED):
    """The (binary, case) pairs whose SKIP is not a failure."""
    allowed = set()
    try:
        with open(path) as f:
            for ln in f:
                ln = ln.split('#', 1)[0].split()
                if len(ln) == 2:
                    allowed.add((ln[0], ln[1]))
    except OSError:
        pass
    return allowed


def taint_letters(value):
    return ''.join(c for i, c in enumerate(TAINT_LETTERS) if value >> i & 1) + \
        ('?' if value >> len(TAINT_LETTERS) else '')
CTX_BEFORE, CTX_AFTER, CTX_MAX = 3, 25, 80
END_TRACE = '---[ end trace'


def read_lines(path):
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError:
        return None
    text = data.decode('utf-8', 'replace').replace('\r', '')
    return text.split('\n')


class Binary:
    def __init__(self, name):
        self.name = name
        self.lines = []
        self.rc = None
        self.secs = ''

    def judge(self, mode, timed_out=False, skip_allowed=frozenset()):
        """Return (passed, failed, skipped, reasons, bad_lines).

        A SKIP is a failure unless (binary, case) is in skip_allowed: a
        test that silently stops testing must not pass."""
        passed = failed = skipped = 0
        reasons, bad = [], []
        plan = None
        results = 0
        case_lines = []     # output of the case the next result ends
        for ln in self.lines:
            m = RESULT.match(ln)
            if m:
                results += 1
                why, case_lines = why_failed(case_lines), []
                directive = (m.group(4) or '').strip().upper()
                if directive.startswith('SKIP'):
                    skipped += 1
                    if (self.name, m.group(3)) not in skip_allowed:
                        failed += 1
                        bad.append(ln)
                        bad.extend(why)
                        reasons.append('SKIP not on the allow-list (%s)'
                                       % SKIP_ALLOWED)
                elif m.group(1) == 'ok':
                    passed += 1
                elif directive.startswith('TODO'):
                    skipped += 1
                else:
                    failed += 1
                    bad.append(ln)
                    bad.extend(why)
                continue
            case_lines.append(ln)
            m = PLAN.match(ln)
            if m and plan is None:
                plan = int(m.group(1))
                continue
            if BAIL.match(ln):
                failed += 1
                bad.append(ln)
        has_tap = results > 0 or plan is not None
        rc = self.rc
        if rc is None:
            if timed_out:
                # the timeout itself is the one failure
                reasons.append('did not finish: the VM timed out while it ran')
            else:
                failed += 1
                reasons.append('did not finish: the VM died while it ran')
        elif has_tap:
            if plan is not None and results < plan:
                failed += 1
                reasons.append('plan 1..%d but only %d results' % (plan, results))
            if rc not in (0, 4) and failed == 0:
                failed += 1
                reasons.append(exit_reason(rc))
        else:
            if rc == 0:
                if mode == 'tests':
                    passed += 1
            elif rc == 4:
                skipped += 1
            else:
                failed += 1
                reasons.append(exit_reason(rc) + ', no TAP output')
        return passed, failed, skipped, reasons, bad


# kselftest_harness's "file.c:LINE:Expected ..." and the TH_LOG line after it
ASSERTION = re.compile(r'^#\s+\S+\.c:\d+:')
WHY_TAIL, WHY_MAX = 8, 30


def why_failed(case_lines):
    """What a failing case printed that says why, for a log nobody can
    open (CI prints only this summary): each assertion that failed with
    the line after it, and the case's last lines, in order, at most
    WHY_MAX of them, each prefixed '| '."""
    lines = [ln for ln in case_lines if ln.strip()]
    keep = set(range(max(0, len(lines) - WHY_TAIL), len(lines)))
    for i, ln in enumerate(lines):
        if ASSERTION.match(ln):
            keep.update((i, i + 1))
    picked = [lines[i] for i in sorted(keep) if i < len(lines)]
    if len(picked) > WHY_MAX:
        picked = picked[:WHY_MAX - WHY_TAIL] + ['...'] + picked[-WHY_TAIL:]
    return ['  | ' + ln for ln in picked]


def exit_reason(rc):
    if rc > 128:
        return 'killed by signal %d (exit status %d)' % (rc - 128, rc)
    return 'exit status %d' % rc


def parse_output(lines):
    """Split the test output into framed binaries."""
    started = finished = left_loaded = False
    header = ''
    bins, cur, stray = [], None, []
    for ln in lines:
        m = BEGIN_VM.match(ln)
        if m:
            started = True
            header = m.group(1).strip()
            continue
        if ln.startswith(END_VM):
            finished = True
            continue
        if ln.startswith(LEFT_LOADED):
            left_loaded = True
            continue
        m = BEGIN_T.match(ln)
        if m:
            cur = Binary(m.group(1))
            bins.append(cur)
            continue
        m = END_T.match(ln)
        if m and cur is not None and m.group(1) == cur.name:
            cur.rc = int(m.group(2))
            cur.secs = m.group(3) or ''
            cur = None
            continue
        if cur is not None:
            cur.lines.append(ln)
        elif ln.strip():
            stray.append(ln)
    return started, finished, left_loaded, header, bins, stray


def scan_console(lines):
    hits = []
    for i, ln in enumerate(lines):
        if SPLAT_RE.search(ln) and not any(b.search(ln) for b in BENIGN):
            hits.append(i)
    blocks = []
    for i in hits:
        lo, hi = max(0, i - CTX_BEFORE), min(len(lines), i + CTX_AFTER + 1)
        # Show a whole WARN/oops: up to its "---[ end trace" line.
        for j in range(i, min(len(lines), i + CTX_MAX)):
            if END_TRACE in lines[j]:
                hi = j + 1
                break
        if blocks and lo <= blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], hi)
            blocks[-1][2].append(i)
        else:
            blocks.append([lo, hi, [i]])
    return hits, blocks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--output', required=True)
    ap.add_argument('--console', required=True)
    ap.add_argument('--mode', choices=('tests', 'script'), default='tests')
    ap.add_argument('--qemu-rc', type=int, default=0)
    ap.add_argument('--timed-out', type=int, default=0, metavar='SECONDS')
    ap.add_argument('--counts', required=True)
    ap.add_argument('--show-output', action='store_true',
                    help='print the (script) output, without framing')
    ap.add_argument('--allow-taint', default='',
                    help='taint letters allowed besides %s (KUnit: N)' % TAINT_OK)
    a = ap.parse_args()
    skip_allowed = read_skip_allowed()

    total_p = total_f = total_s = 0
    problems = []

    out = read_lines(a.output) or []
    started, finished, left_loaded, header, bins, stray = parse_output(out)

    if a.show_output:
        for b in bins:
            for ln in b.lines:
                print(ln)
        sys.stdout.flush()

    for b in bins:
        p, f, s, reasons, bad = b.judge(a.mode, bool(a.timed_out),
                                        skip_allowed)
        total_p += p
        total_f += f
        total_s += s
        if a.mode == 'script' and p + f + s == 0:
            continue
        status = 'FAIL' if f or b.rc is None else 'ok  '
        extra = ', %d skipped' % s if s else ''
        took = '  (%s s)' % b.secs if b.secs else ''
        print('  %s %-32s %d passed, %d failed%s%s' % (status, b.name, p, f, extra, took))
        for ln in bad:
            print('         ' + ln)
        for r in reasons:
            print('         ' + r)
        if f and not bad and b.lines and a.mode == 'tests':
            print('         last output lines:')
            for ln in [x for x in b.lines if x.strip()][-15:]:
                print('         | ' + ln)

    if a.timed_out:
        problems.append('timeout after %d s on %s' % (a.timed_out, a.kernel))
    elif a.qemu_rc != 0:
        problems.append('qemu exited with status %d on %s' % (a.qemu_rc, a.kernel))
    if not started:
        problems.append('the VM never started the tests (no output on ttyS1); see console.log')
    elif not finished and not a.timed_out and all(b.rc is not None for b in bins):
        # (a binary cut short already counts as one failure)
        problems.append('the VM stopped before the end of the run (no END marker)')
    if left_loaded:
        problems.append('the leakscope module was still loaded after the tests')
    # A splat lost to printk still taints: the taint at the end is judged.
    tainted = [int(m.group(1)) for m in map(TAINTED.match, out) if m]
    if finished and not tainted:
        problems.append('no taint reported at the end of the run')
    for value in tainted[-1:]:
        bad_taint = ''.join(c for c in taint_letters(value)
                            if c not in TAINT_OK + a.allow_taint)
        if bad_taint:
            problems.append('kernel tainted %s (%d) at the end of the run'
                            % (taint_letters(value), value))
    if a.mode == 'tests' and started and not bins:
        print('  (no test binaries in the initramfs)')

    con = read_lines(a.console)
    if con is None:
        problems.append('no console log')
        con = []
    # kmemleak's verdict is required where it runs, not assumed: scanned,
    # or refused by a kernel locked down from boot.
    if finished and any(KMEMLEAK_ON.search(ln) for ln in con) and \
            KMEMLEAK_SCANNED not in out and \
            not any(KMEMLEAK_REFUSED.match(ln) for ln in out):
        problems.append('kmemleak is on but did not scan at the end of the run')
    hits, blocks = scan_console(con)
    if blocks:
        problems.append('%d splat line(s) on the console' % len(hits))
        print('  console splats (%s):' % a.console)
        for lo, hi, idx in blocks:
            print('  ----')
            for j in range(lo, hi):
                mark = '>>' if j in idx else '  '
                print('  %s %5d: %s' % (mark, j + 1, con[j]))
        print('  ----')

    # A timeout, a dead VM or splats: each one failure (not per line).
    # A VM that died mid-binary already counted that binary as failed.
    for p in problems:
        print('  FAIL ' + p)
    total_f += len(problems)

    with open(a.counts, 'w') as f:
        f.write('%d %d %d\n' % (total_p, total_f, total_s))
    return 0


if __name__ == '__main__':
    sys.exit(main())
