#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of `leakscope vmalloc` and `leakscope slab` (and watch
# of them) on a fake directory with the module's own formats: tables,
# JSON typing (integers, reclaimable as a boolean, caller and cache as
# strings), errors.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"

mkdir "$tmp/d"
cp "$DATA/summary" "$DATA/vmalloc" "$DATA/slab" "$tmp/d/"
cp "$DATA/suspects-kernel" "$tmp/d/suspects"
export LEAKSCOPE_DIR=$tmp/d
export LANG=C LC_ALL= LC_CTYPE=

# py_ok NAME EXPR: EXPR (python, the JSON document in d) holds for $tmp/out
py_ok() {
	if python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/out" "$2" 2>"$tmp/py.err"; then
		ok "$1"
	else
		not_ok "$1" "$2" "$(head -c 300 "$tmp/out")" "$(cat "$tmp/py.err")"
	fi
}

# --- help ---
run --help
grep -q '^  vmalloc  ' "$tmp/out" && grep -q '^  slab  ' "$tmp/out" &&
	ok "--help lists vmalloc and slab" || not_ok "--help lists vmalloc and slab" "$out"

# --- vmalloc ---
run vmalloc
expect "vmalloc" 0 ""
[ "$(head -1 "$tmp/out")" = "vmalloc: 22/64 samples, window 10.7 s, every 500 ms" ] &&
	ok "vmalloc: window line" || not_ok "vmalloc: window line" "$(head -1 "$tmp/out")"
sed -n 2p "$tmp/out" | grep -q '^areas  size_kb  pages  kind  *growth_kb  rate_kb_min  persist_pct  verdict  *caller$' &&
	ok "vmalloc: column names" || not_ok "vmalloc: column names" "$(sed -n 2p "$tmp/out")"
grep -q '^   39     2652    624  vmalloc  *2516  *18859  *75  orphan  *ls_leaky+0x36\[unloaded\]$' "$tmp/out" &&
	ok "vmalloc: orphan row first, integers right-aligned" || not_ok "vmalloc: orphan row first" "$out"
[ "$(sed -n 3p "$tmp/out" | awk '{ print $NF }')" = "ls_leaky+0x36[unloaded]" ] &&
	ok "vmalloc: module order kept" || not_ok "vmalloc: module order kept"
grep -q ' ls_leaky_vmalloc_one+0x16/0x70\[ls_leaky\]$' "$tmp/out" &&
	ok "vmalloc: caller keeps its '_'" || not_ok "vmalloc: caller keeps its '_'"
! grep -q ' $' "$tmp/out" && ok "vmalloc: no trailing blanks" || not_ok "vmalloc: no trailing blanks"

run vmalloc --json
expect "vmalloc --json" 0 ""
json_ok "$tmp/out" && ok "vmalloc --json is valid JSON" || not_ok "vmalloc --json is valid JSON" "$out"
py_ok "vmalloc: header" 'd["file"] == "vmalloc" and d["meta"]["longest_hold_us"] == 20 and d["meta"]["disabled"] == []'
py_ok "vmalloc: integer columns are numbers" \
	'all(type(r[c]) is int for r in d["rows"] for c in ("areas", "size_kb", "pages", "growth_kb", "rate_kb_min", "persist_pct"))'
py_ok "vmalloc: caller, kind, verdict are strings" \
	'all(type(r[c]) is str for r in d["rows"] for c in ("kind", "verdict", "caller"))'
py_ok "vmalloc: orphan row" \
	'd["rows"][0] == {"areas": 39, "size_kb": 2652, "pages": 624, "kind": "vmalloc", "growth_kb": 2516, "rate_kb_min": 18859, "persist_pct": 75, "verdict": "orphan", "caller": "ls_leaky+0x36[unloaded]"}'
py_ok "vmalloc: kinds list kept as text" 'd["rows"][3]["kind"] == "vmalloc,vmap"'

# --- slab ---
run slab
expect "slab" 0 ""
[ "$(head -1 "$tmp/out")" = "slab: 16/64 samples, window 7.6 s, every 500 ms" ] &&
	ok "slab: window line" || not_ok "slab: window line" "$(head -1 "$tmp/out")"
grep -q '^ls_leaky_cache      512   520         2625        2625     85     1333  no  *1269  *9790  *100  growing$' "$tmp/out" &&
	ok "slab: row aligned" || not_ok "slab: row aligned" "$out"
grep -q '^dentry .* yes  ' "$tmp/out" && ok "slab: reclaimable shown as yes" ||
	not_ok "slab: reclaimable shown as yes"
run slab --json
expect "slab --json" 0 ""
json_ok "$tmp/out" && ok "slab --json is valid JSON" || not_ok "slab --json is valid JSON" "$out"
py_ok "slab: header" 'd["file"] == "slab" and d["meta"]["longest_hold_us"] == 31 and d["meta"]["nodes_scanned"] == 12 and d["meta"]["nodes_reused"] == 166'
py_ok "slab: integer columns are numbers" \
	'all(type(r[c]) is int for r in d["rows"] for c in ("objsize", "size", "active_objs", "total_objs", "slabs", "size_kb", "growth_kb", "rate_kb_min", "persist_pct"))'
py_ok "slab: reclaimable is a boolean" \
	'[r["reclaimable"] for r in d["rows"]] == [False, False, True, True, True, False]'
py_ok "slab: cache is a string" '[r["cache"] for r in d["rows"]][:3] == ["ls_leaky_cache", "kmalloc-4k", "dentry"]'
py_ok "slab: negative growth" 'd["rows"][3]["growth_kb"] == -8'

cp "$DATA/slab-empty" "$tmp/d/slab"
run slab
expect "slab: empty" 0 ""
[ "$out" = "slab: 3/64 samples, window 2.0 s, every 1000 ms, disabled: slab:btf
no slab caches" ] && ok "slab: empty, disabled shown" || not_ok "slab: empty, disabled shown" "$out"
run slab --json
py_ok "slab: empty JSON" 'd["rows"] == [] and d["meta"]["disabled"] == ["slab:btf"]'
cp "$DATA/slab" "$tmp/d/slab"

# --- suspects with kernel subjects ---
run suspects
expect "suspects (kernel)" 0 ""
grep -q 'module:ls_leaky .*39 areas, 2652 kB left by unloaded module ls_leaky (caller ls_leaky+0x36\[unloaded\])' \
	"$tmp/out" && ok "suspects: orphan evidence, '__' shown as '_'" ||
	not_ok "suspects: orphan evidence, '__' shown as '_'" "$out"
run suspects --json
py_ok "suspects: kernel subjects" \
	'[r["subject"] for r in d["rows"]] == ["module:ls_leaky", "slab:ls_leaky_cache"] and d["rows"][0]["kind"] == "vmalloc-orphan"'

# --- malformed ---
mkdir "$tmp/bad"
{ head -2 "$DATA/slab"; echo "x 8 8 1 1 1 4 maybe 0 0 0 steady"; } >"$tmp/bad/slab"
LEAKSCOPE_DIR=$tmp/bad run slab
expect "slab: bad reclaimable" 1 \
	"leakscope: $tmp/bad/slab:3: column reclaimable: 'maybe' is not 'yes', 'no' or '-'"
{ head -2 "$DATA/vmalloc"; echo "1 4k 1 vmalloc 0 0 0 steady f+0x1/0x2"; } >"$tmp/bad/vmalloc"
LEAKSCOPE_DIR=$tmp/bad run vmalloc
expect "vmalloc: bad size_kb" 1 \
	"leakscope: $tmp/bad/vmalloc:3: column size_kb: '4k' is not an integer"
mkdir "$tmp/old"
LEAKSCOPE_DIR=$tmp/old run vmalloc
expect "vmalloc: no file (older module)" 1 \
	"leakscope: $tmp/old/vmalloc: no such file (does the loaded leakscope module match this reader?)"
run vmalloc 3
expect "vmalloc: no operand" 2 "leakscope: unexpected argument '3'; try 'leakscope --help'"

# --- watch ---
run watch vmalloc --count 2 --interval 0.1 --json
expect "watch vmalloc --json" 0 ""
[ "$(wc -l <"$tmp/out")" = 2 ] && ok "watch vmalloc: two documents" || not_ok "watch vmalloc: two documents" "$out"
tail -1 "$tmp/out" >"$tmp/last"
mv "$tmp/last" "$tmp/out"
py_ok "watch vmalloc: history of size_kb per caller" \
	'd["watch"]["history_of"] == "size_kb" and d["rows"][0]["history"] == [2652, 2652] and d["rows"][0]["caller"] == "ls_leaky+0x36[unloaded]"'
run watch slab --count 2 --interval 0.1 --json
expect "watch slab --json" 0 ""
tail -1 "$tmp/out" >"$tmp/last"
mv "$tmp/last" "$tmp/out"
py_ok "watch slab: history, reclaimable boolean" \
	'd["rows"][0]["history"] == [1333, 1333] and d["rows"][2]["reclaimable"] is True and d["rows"][0]["cache"] == "ls_leaky_cache"'
run watch slab --count 1
expect "watch slab" 0 ""
sed -n 3p "$tmp/out" | grep -q '^cache  *objsize  active_objs  size_kb  reclaimable  growth_kb  rate_kb_min  verdict  size_history$' &&
	ok "watch slab: columns" || not_ok "watch slab: columns" "$out"
grep -q '^ls_leaky_cache ' "$tmp/out" && [ "$(sed -n 4p "$tmp/out" | awk '{ print $1 }')" = ls_leaky_cache ] &&
	ok "watch slab: module order" || not_ok "watch slab: module order" "$out"
run watch vmalloc --count 1
expect "watch vmalloc" 0 ""
sed -n 4p "$tmp/out" | grep -q 'orphan  *ls_leaky+0x36\[unloaded\]  ' &&
	ok "watch vmalloc: orphan first" || not_ok "watch vmalloc: orphan first" "$out"

finish cli-kernel
