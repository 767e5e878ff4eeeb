#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Test plumbing: turns captures of `leakscope --prometheus` into promtool
# input_series, and fills them into a promtool test template.
#
#   capture2series.py TEMPLATE CAPTURE_LOG... > TEST_FILE
#
# A CAPTURE_LOG holds captures as selftests/vm/prom-capture.sh prints them:
# "### capture PHASE SEQ", the exposition, "### end" (anything else in the
# log is ignored).  In TEMPLATE a line
#
#       @series PHASE[+PHASE...] [FAMILY_REGEX]
#
# becomes one input_series entry per series found in the captures of those
# phases, in order, one value per capture ("_" where the series is absent
# from that capture), restricted to the metric families matching
# FAMILY_REGEX (default: those the rules read).  The test's interval is the
# template's: one capture is one step.  Values are copied as printed.
import re
import sys

DEFAULT_FAMILIES = (r'leakscope_(up|walker_enabled|caps_hit|'
                    r'suspect_growth_bytes_per_second|'
                    r'meminfo_growing|meminfo_growth_bytes_per_second|'
                    r'cgroup_growing|cgroup_anon_growth_bytes_per_second|'
                    r'cgroup_processes)')
SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$')


def die(msg):
    print(f'capture2series: {msg}', file=sys.stderr)
    sys.exit(1)


def read_captures(paths):
    """{phase: [ {series: value}, ... ]} in capture order."""
    phases = {}
    for path in paths:
        try:
            lines = open(path, encoding='utf-8', errors='replace').read().splitlines()
        except OSError as e:
            die(f'{path}: {e.strerror}')
        cur = None
        for ln, line in enumerate(lines, 1):
            line = line.rstrip('\r')
            if line.startswith('### capture '):
                words = line.split()
                if len(words) != 4:
                    die(f'{path}:{ln}: bad capture line: {line}')
                cur = {}
                phases.setdefault(words[2], []).append(cur)
            elif line == '### end':
                cur = None
            elif cur is not None and line and not line.startswith('#'):
                m = SAMPLE.match(line)
                if not m:
                    die(f'{path}:{ln}: not a sample: {line}')
                series = m.group(1) + (m.group(2) or '')
                if series in cur:
                    die(f'{path}:{ln}: series twice in one capture: {series}')
                cur[series] = m.group(3)
        if cur is not None:
            die(f'{path}: capture not ended (a truncated log?)')
    return phases


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def series_block(phases, names, families, indent):
    caps = []
    for name in names:
        if name not in phases:
            die(f'no captures of phase {name!r} (have: {", ".join(sorted(phases)) or "none"})')
        caps += phases[name]
    fam = re.compile(families)
    order = []
    seen = set()
    for cap in caps:
        for s in cap:
            if s not in seen and fam.fullmatch(s.split('{', 1)[0]):
                seen.add(s)
                order.append(s)
    if not order:
        die(f'phases {"+".join(names)}: no series of {families}')
    pad = ' ' * indent
    out = []
    for s in order:
        values = ' '.join(cap.get(s, '_') for cap in caps)
        out.append(f'{pad}- series: {yaml_quote(s)}\n{pad}  values: {yaml_quote(values)}')
    return '\n'.join(out)


def main():
    if len(sys.argv) < 3:
        die('usage: capture2series.py TEMPLATE CAPTURE_LOG...')
    phases = read_captures(sys.argv[2:])
    try:
        template = open(sys.argv[1], encoding='utf-8').read().splitlines()
    except OSError as e:
        die(f'{sys.argv[1]}: {e.strerror}')
    out = []
    for line in template:
        m = re.match(r'^( *)@series (\S+)(?: (\S+))?$', line)
        if m:
            out.append(series_block(phases, m.group(2).split('+'),
                                    m.group(3) or DEFAULT_FAMILIES, len(m.group(1))))
        else:
            out.append(line)
    sys.stdout.write('\n'.join(out) + '\n')


main()
