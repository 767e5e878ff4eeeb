#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Checks of dist/grafana/leakscope.json and dist/prometheus/*.yml without a
# Grafana or a Prometheus, as TAP lines (numbered from FIRST):
#
#   check_dashboard.py FIRST DASHBOARD PROM_C RULES
#
#   - the dashboard is valid JSON with the fields Grafana's dashboard model
#     requires: title, uid, schemaVersion, panels, each panel with an id,
#     a type, a title, a gridPos inside the 24-column grid that overlaps no
#     other, and targets with a refId and an expr, all on the data source
#     variable (a `datasource` variable of type datasource, query
#     prometheus) so that the dashboard imports on any Prometheus;
#   - every leakscope_* metric the dashboard and the rules name is one the
#     reader exports (a family of userspace/prom.c).
import json
import re
import sys

PANEL_TYPES = {'stat', 'table', 'timeseries', 'gauge', 'bargauge', 'text', 'row'}
METRIC = re.compile(r'\bleakscope_[a-z0-9_]+')

n = int(sys.argv[1]) - 1
failed = 0


def report(ok, name, why=()):
    global n, failed
    n += 1
    print(f'{"ok" if ok else "not ok"} {n} - {name}')
    if not ok:
        failed += 1
        for w in why[:20]:
            print(f'#   {w}')


def check_model(d):
    errs = []
    for key, typ in (('title', str), ('uid', str), ('schemaVersion', int), ('panels', list),
                     ('templating', dict), ('time', dict)):
        if not isinstance(d.get(key), typ):
            errs.append(f'dashboard: {key} missing or not a {typ.__name__}')
    if errs:
        return errs
    if d['schemaVersion'] < 36:
        errs.append(f'schemaVersion {d["schemaVersion"]}: older than Grafana 9 (36)')
    dsvars = [v.get('name') for v in d['templating'].get('list', [])
              if v.get('type') == 'datasource' and v.get('query') == 'prometheus']
    if not dsvars:
        errs.append('no data source variable (type datasource, query prometheus)')
        return errs
    want = {'type': 'prometheus', 'uid': '${' + dsvars[0] + '}'}
    for v in d['templating']['list']:
        if v.get('type') == 'query' and v.get('datasource') != want:
            errs.append(f'variable {v.get("name")}: datasource is not {want}')
    ids = set()
    boxes = []
    if not d['panels']:
        errs.append('no panels')
    for p in d['panels']:
        t = p.get('title')
        if not isinstance(t, str) or not t:
            errs.append(f'panel {p.get("id")}: no title')
            t = str(p.get('id'))
        if not isinstance(p.get('id'), int) or p['id'] in ids:
            errs.append(f'{t}: id missing or not unique')
        ids.add(p.get('id'))
        if p.get('type') not in PANEL_TYPES:
            errs.append(f'{t}: type {p.get("type")!r}')
        if not p.get('description'):
            errs.append(f'{t}: no description')
        g = p.get('gridPos')
        if not isinstance(g, dict) or not all(isinstance(g.get(k), int) for k in 'xywh'):
            errs.append(f'{t}: gridPos needs integer x, y, w, h')
        elif g['x'] < 0 or g['y'] < 0 or g['w'] <= 0 or g['h'] <= 0 or g['x'] + g['w'] > 24:
            errs.append(f'{t}: gridPos {g} outside the 24-column grid')
        else:
            for bt, b in boxes:
                if (g['x'] < b['x'] + b['w'] and b['x'] < g['x'] + g['w'] and
                        g['y'] < b['y'] + b['h'] and b['y'] < g['y'] + g['h']):
                    errs.append(f'{t}: overlaps {bt}')
            boxes.append((t, g))
        if p.get('type') in ('row', 'text'):
            continue
        if p.get('datasource') != want:
            errs.append(f'{t}: datasource is not {want}')
        targets = p.get('targets')
        if not isinstance(targets, list) or not targets:
            errs.append(f'{t}: no targets')
            continue
        refs = set()
        for tg in targets:
            if not tg.get('refId') or tg['refId'] in refs:
                errs.append(f'{t}: refId missing or not unique')
            refs.add(tg.get('refId'))
            if tg.get('datasource') != want:
                errs.append(f'{t} {tg.get("refId")}: datasource is not {want}')
            e = tg.get('expr')
            if not isinstance(e, str) or not e.strip():
                errs.append(f'{t} {tg.get("refId")}: no expr')
            elif e.count('(') != e.count(')') or e.count('{') != e.count('}'):
                errs.append(f'{t} {tg.get("refId")}: unbalanced expr {e}')
    return errs


def exported(prom_c):
    src = open(prom_c, encoding='utf-8').read()
    names = set(re.findall(r'\{ "([a-z0-9_]+)", "[a-z_]+", CONV_', src))
    names |= set(re.findall(r'print_(?:head|seconds)\(f, (?:[a-z]+, "[a-z_]+", )?"([a-z0-9_]+)"', src))
    names |= set(re.findall(r'"([a-z_]+)", "(?:walker|table)",', src))
    return {'leakscope_' + x for x in names}


def main():
    dash_path, prom_c, rules = sys.argv[2], sys.argv[3], sys.argv[4]
    try:
        d = json.load(open(dash_path, encoding='utf-8'))
    except (OSError, ValueError) as e:
        report(False, f'{dash_path}: valid JSON', [str(e)])
        report(False, f'{dash_path}: Grafana dashboard model', ['not JSON'])
        d = None
    else:
        report(True, f'{dash_path}: valid JSON')
        errs = check_model(d)
        report(not errs, f'{dash_path}: Grafana dashboard model ({len(d["panels"])} panels)', errs)
    known = exported(prom_c)
    used = set(METRIC.findall(open(rules, encoding='utf-8').read()))
    if d is not None:
        for p in d.get('panels', []):
            for tg in p.get('targets', []):
                used |= set(METRIC.findall(tg.get('expr', '')))
    unknown = sorted(used - known)
    report(not unknown and len(known) > 40,
           f'dashboard and rules name only metrics the reader exports ({len(used)} used, {len(known)} exported)',
           [f'{m}: not exported by {prom_c}' for m in unknown] or [f'only {len(known)} families found in {prom_c}'])
    return failed


sys.exit(1 if main() else 0)
