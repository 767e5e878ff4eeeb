#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A strict checker of the Prometheus text exposition format (0.0.4), in the
# spirit of `promtool check metrics` (promtool is not installed: Debian's
# `prometheus` package, its only source, is a 96 MB server with a daemon).
#
#   prom_check.py FILE      exit 0 if valid, else 1 with one line per problem
#
# Checks: line grammar (names, labels, escapes, values, no timestamps),
# valid UTF-8, trailing newline, HELP and TYPE once per family and before its
# samples, each family's samples contiguous (one group), no duplicate series
# or label names, and promtool's lint rules that apply to gauges: base units
# (no kB, ms, percent in names), snake_case, no _total on a gauge.
import math
import re
import sys

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*')
LABEL = re.compile(r'[a-zA-Z_][a-zA-Z0-9_]*')
TYPES = {'counter', 'gauge', 'histogram', 'summary', 'untyped'}
NONBASE = re.compile(r'(^|_)(kb|kilobytes|mb|megabytes|ms|milliseconds|'
                     r'microseconds|us|minutes|hours|days|percent|pct)(_|$)')
FLOAT = re.compile(r'[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$')


def parse_labels(s, i, errs, ln):
    """Parse {a="b",...} at s[i] == '{'; return (dict, index after '}')."""
    labels = {}
    i += 1
    while True:
        if s[i:i + 1] == '}':
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            errs.append(f'{ln}: bad label name at column {i + 1}')
            return None, None
        name = m.group(0)
        if name.startswith('__'):
            errs.append(f'{ln}: reserved label name {name}')
        i = m.end()
        if s[i:i + 2] != '="':
            errs.append(f'{ln}: expected =" after label {name}')
            return None, None
        i += 2
        val = []
        while True:
            if i >= len(s):
                errs.append(f'{ln}: unterminated label value')
                return None, None
            c = s[i]
            if c == '\\':
                nxt = s[i + 1:i + 2]
                if nxt not in ('\\', '"', 'n'):
                    errs.append(f'{ln}: bad escape \\{nxt} in label value')
                    return None, None
                val.append({'\\': '\\', '"': '"', 'n': '\n'}[nxt])
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == '\n':
                errs.append(f'{ln}: raw newline in label value')
                return None, None
            else:
                val.append(c)
                i += 1
        if name in labels:
            errs.append(f'{ln}: label {name} twice')
        labels[name] = ''.join(val)
        if s[i:i + 1] == ',':
            i += 1
        elif s[i:i + 1] != '}':
            errs.append(f'{ln}: expected , or }} after label {name}')
            return None, None


def check(data):
    errs = []
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        return [f'not UTF-8: {e}']
    if text and not text.endswith('\n'):
        errs.append('no newline at the end')
    helps, types, done, series = {}, {}, set(), set()
    current = None
    nsamples = 0

    def enter(family, ln):
        nonlocal current
        if family != current:
            if family in done:
                errs.append(f'{ln}: family {family} appears again (not grouped)')
            if current is not None:
                done.add(current)
            current = family

    lines = text.split('\n') if text else []
    if text.endswith('\n'):
        lines.pop()
    for ln, line in enumerate(lines, 1):
        if line == '':
            errs.append(f'{ln}: empty line')
            continue
        if line.startswith('#'):
            parts = line.split(' ', 3)
            if len(parts) >= 3 and parts[1] in ('HELP', 'TYPE'):
                name = parts[2]
                if not NAME.fullmatch(name):
                    errs.append(f'{ln}: bad metric name {name!r}')
                enter(name, ln)
                table = helps if parts[1] == 'HELP' else types
                if name in table:
                    errs.append(f'{ln}: second {parts[1]} for {name}')
                if parts[1] == 'HELP':
                    if len(parts) < 4 or not parts[3].strip():
                        errs.append(f'{ln}: empty HELP for {name}')
                    helps[name] = parts[3] if len(parts) > 3 else ''
                else:
                    t = parts[3] if len(parts) > 3 else ''
                    if t not in TYPES:
                        errs.append(f'{ln}: bad TYPE {t!r}')
                    if any(k[0] == name for k in series):
                        errs.append(f'{ln}: TYPE for {name} after its samples')
                    types[name] = t
            continue
        m = NAME.match(line)
        if not m:
            errs.append(f'{ln}: bad sample line {line!r}')
            continue
        name, i = m.group(0), m.end()
        labels = {}
        if line[i:i + 1] == '{':
            labels, i = parse_labels(line, i, errs, ln)
            if labels is None:
                continue
        rest = line[i:]
        if not rest.startswith(' '):
            errs.append(f'{ln}: no space before the value')
            continue
        fields = rest.split(' ')[1:]
        if len(fields) != 1:
            errs.append(f'{ln}: expected one value, no timestamp: {rest!r}')
            continue
        v = fields[0]
        if not (FLOAT.match(v) or v in ('NaN', '+Inf', '-Inf')):
            errs.append(f'{ln}: bad value {v!r}')
        elif v == 'NaN' or (FLOAT.match(v) and math.isnan(float(v))):
            errs.append(f'{ln}: NaN value for {name}')
        enter(name, ln)
        if name not in types:
            errs.append(f'{ln}: sample of {name} before (or without) its TYPE')
        if name not in helps:
            errs.append(f'{ln}: sample of {name} without HELP')
        key = (name, tuple(sorted(labels.items())))
        if key in series:
            errs.append(f'{ln}: duplicate series {name}{labels}')
        series.add(key)
        nsamples += 1
    # promtool lint, as far as it applies to gauges
    for name, t in types.items():
        if name != name.lower():
            errs.append(f'lint: {name} is not snake_case')
        if NONBASE.search(name):
            errs.append(f'lint: {name} uses a non-base unit')
        if t == 'gauge' and name.endswith('_total'):
            errs.append(f'lint: gauge {name} ends in _total')
        if t == 'counter' and not name.endswith('_total'):
            errs.append(f'lint: counter {name} should end in _total')
    for name in helps:
        if name not in types:
            errs.append(f'{name}: HELP without TYPE')
    return errs


def main():
    with open(sys.argv[1], 'rb') as f:
        errs = check(f.read())
    for e in errs:
        print(e)
    sys.exit(1 if errs else 0)


if __name__ == '__main__':
    main()
