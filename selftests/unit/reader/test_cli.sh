#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of the leakscope binary on fake directories
# (LEAKSCOPE_DIR): output, JSON validity, exit codes, error messages.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"

mkdir "$tmp/good"
cp "$DATA/summary" "$DATA/suspects" "$DATA/control" "$tmp/good/"
export LEAKSCOPE_DIR=$tmp/good

# --- usage ---
run --version
[ "$rc" = 0 ] && [ "$out" = "leakscope 0.1.0" ] && ok "--version" || not_ok "--version" "$out"
run --help
[ "$rc" = 0 ] && grep -q '^usage: leakscope' "$tmp/out" && grep -q suspects "$tmp/out" &&
	[ -z "$err" ] && ok "--help" || not_ok "--help" "rc=$rc"
run frobnicate
expect "unknown command" 2 "leakscope: unknown command 'frobnicate'; try 'leakscope --help'"
[ -z "$out" ] && ok "unknown command: no stdout" || not_ok "unknown command: no stdout"
run summary --yaml
expect "unknown option" 2 "leakscope: unknown option '--yaml'; try 'leakscope --help'"
run summary suspects
expect "two commands" 2 "leakscope: unexpected argument 'suspects'; try 'leakscope --help'"

# --- good files ---
run
expect "default command" 0 ""
head -1 "$tmp/out" | grep -qx 'summary: 12/64 samples, window 11.0 s, every 1000 ms, leakscope holds 1234 kB' &&
	ok "default is summary" || not_ok "default is summary" "$(head -1 "$tmp/out")"
run summary
expect "summary" 0 ""
grep -q '^Shmem  *20992  *20480  *40960  *96  growing  *tmpfs:df -t tmpfs$' "$tmp/out" &&
	ok "summary: next shows '_' as ' '" || not_ok "summary: next shows '_' as ' '" "$out"
[ "$(sed -n 2p "$tmp/out" | cut -c1-6)" = "item  " ] && ok "summary: column names" ||
	not_ok "summary: column names"
# all table lines have the same width up to the last column: check with awk
awk 'NR == 2 { s = index($0, "next") }
	NR > 2 { if (substr($0, s - 2, 2) != "  " || substr($0, s, 1) == " ") bad = 1 }
	END { exit !s || bad }' "$tmp/out" && ok "summary: last column aligned" ||
	not_ok "summary: last column aligned" "$out"
run suspects
expect "suspects" 0 ""
grep -q 'Shmem +20480 kB in 30 s, rising in 29 of 30 intervals  tmpfs:df -t tmpfs; ipcs -m$' \
	"$tmp/out" && ok "suspects: evidence and next as words" ||
	not_ok "suspects: evidence and next as words" "$out"
grep -q 'disabled: vmalloc_used:symbol' "$tmp/out" && ok "suspects: disabled walkers shown" ||
	not_ok "suspects: disabled walkers shown"

for f in summary suspects; do
	run $f --json
	expect "$f --json" 0 ""
	json_ok "$tmp/out" && ok "$f --json is valid JSON" || not_ok "$f --json is valid JSON" "$out"
	python3 -m json.tool "$tmp/out" >/dev/null 2>&1 && ok "$f --json passes json.tool" ||
		not_ok "$f --json passes json.tool"
	cp "$tmp/out" "$tmp/$f.json"
done
run --json suspects
cmp -s "$tmp/out" "$tmp/suspects.json" && ok "--json before the command" ||
	not_ok "--json before the command"

if command -v jq >/dev/null; then
	check_jq() {
		if jq -e "$2" "$tmp/$1.json" >/dev/null; then ok "jq $1: $2"; else not_ok "jq $1: $2"; fi
	}
	check_jq summary '.schema_version == 1 and .file == "summary" and .format_version == 1'
	check_jq summary '.meta == {"interval_ms":1000,"samples":64,"held":12,"window_ms":11000,"self_kb":1234,"caps_hit":[],"disabled":[]}'
	check_jq summary '.columns == ["item","now_kb","growth_kb","rate_kb_min","persist_pct","verdict","next"]'
	check_jq summary '.rows | length == 15'
	check_jq summary '[.rows[].item] | .[0] == "Active(anon)" and .[13] == "Unaccounted"'
	check_jq summary '.rows[0].now_kb == 182340 and (.rows[0].now_kb | type) == "number"'
	check_jq summary '.rows[10] | .now_kb == null and .verdict == "disabled"'
	check_jq summary '.rows[4].next == "tmpfs:df -t tmpfs"'
	check_jq summary '.rows[13].growth_kb == -64'
	check_jq suspects '.rows[0] | .rank == 1 and .kind == "shmem-growth" and .subject == "meminfo:Shmem"'
	check_jq suspects '.rows[0].evidence == "Shmem +20480 kB in 30 s, rising in 29 of 30 intervals"'
	check_jq suspects '.rows[0].next == "tmpfs:df -t tmpfs; ipcs -m"'
	check_jq suspects '.meta.disabled == ["vmalloc_used:symbol"]'
fi

# empty suspects, odd bytes
mkdir "$tmp/empty"
cp "$DATA/suspects-empty" "$tmp/empty/suspects"
LEAKSCOPE_DIR=$tmp/empty run suspects
expect "suspects: none" 0 ""
[ "$(sed -n 2p "$tmp/out")" = "no suspects: nothing grew steadily over the window" ] &&
	ok "suspects: says there are none" || not_ok "suspects: says there are none" "$out"
LEAKSCOPE_DIR=$tmp/empty run suspects --json
json_ok "$tmp/out" && grep -q '"rows":\[\]' "$tmp/out" && ok "suspects --json: empty rows" ||
	not_ok "suspects --json: empty rows" "$out"

mkdir "$tmp/odd"
{
	echo "# leakscope suspects v1 held=9 caps_hit=procs,slab disabled=-"
	echo "rank kind subject growth_kb rate_kb_min persist_pct evidence next"
	printf '1 anon-growth pid:7:\xe2\x82\xac"q\\\\ 5 5 5 a_"b"_\xff\xfe_z procs\n'
} >"$tmp/odd/suspects"
LEAKSCOPE_DIR=$tmp/odd run suspects --json
expect "odd bytes --json" 0 ""
json_ok "$tmp/out" && ok "odd bytes: valid JSON" || not_ok "odd bytes: valid JSON" "$out"
python3 - "$tmp/out" <<'PY' && ok "odd bytes: decoded values" || not_ok "odd bytes: decoded values"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
r = d["rows"][0]
assert r["subject"] == 'pid:7:\u20ac"q\\\\', r
assert r["evidence"] == 'a "b" \u00ff\u00fe z', r
assert d["meta"]["caps_hit"] == ["procs", "slab"], d
PY

# --- errors: one line, prefix, exit 1 ---
LEAKSCOPE_DIR=$tmp/nope run
expect "missing LEAKSCOPE_DIR" 1 "leakscope: LEAKSCOPE_DIR=$tmp/nope: no such directory"
mkdir "$tmp/nofile"
LEAKSCOPE_DIR=$tmp/nofile run suspects
expect "missing file" 1 \
	"leakscope: $tmp/nofile/suspects: no such file (does the loaded leakscope module match this reader?)"

bad() { # name file-content expected-stderr [file]
	local d=$tmp/bad$n f=${4:-summary}

	mkdir -p "$d"
	printf '%b' "$2" >"$d/$f"
	LEAKSCOPE_DIR=$d run "$f"
	expect "$1" 1 "leakscope: $d/$f${3}"
	[ -z "$out" ] || not_ok "$1: no stdout" "$out"
}
hdr='# leakscope summary v1 held=1\n'
cols='item now_kb growth_kb rate_kb_min persist_pct verdict next\n'
bad "empty file" "" ": empty file (expected '# leakscope summary v1 ...')"
bad "no header" "$cols" ":1: missing header (expected '# leakscope summary v1 ...')"
bad "wrong name" '# leakscope suspects v1\n' ":1: header names file 'suspects', expected 'summary'"
bad "newer version" '# leakscope summary v2 x=1\nwhatever\n' \
	": format v2 is newer than this reader understands (v1): upgrade leakscope"
bad "column count" "$hdr${cols}Shmem 1 2 3 4 steady\n" ":3: 6 fields, expected 7"
bad "not an integer" "$hdr${cols}Shmem 1 2k 3 4 steady x\n" \
	":3: column growth_kb: '2k' is not an integer"
bad "no newline" "$hdr${cols}Shmem 1 2 3 4 steady x" ":3: no newline at end of file (truncated?)"
bad "CRLF" '# leakscope summary v1\r\n' ":1: carriage return in line (CRLF line endings?)"
bad "suspects v3" '# leakscope suspects v3\n' \
	": format v3 is newer than this reader understands (v1): upgrade leakscope" suspects

mkdir "$tmp/huge"
truncate -s 17M "$tmp/huge/summary"
LEAKSCOPE_DIR=$tmp/huge run
expect "huge file" 1 "leakscope: $tmp/huge/summary: larger than 16 MiB: refused"

mkdir -p "$tmp/isdir/summary"
LEAKSCOPE_DIR=$tmp/isdir run
expect "directory instead of file" 1 "leakscope: $tmp/isdir/summary: Is a directory"

# EACCES as a non-root user (as root: run the binary as nobody)
mkdir "$tmp/perm"
cp "$DATA/summary" "$tmp/perm/summary"
chmod 000 "$tmp/perm/summary"
as_user=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null &&
		as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
	LEAKSCOPE_DIR=$tmp/perm "${as_user[@]}" "$LEAKSCOPE" >"$tmp/out" 2>"$tmp/err"
	rc=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
	expect "not root" 1 \
		"leakscope: permission denied reading $tmp/perm/summary: leakscope needs root (try: sudo leakscope)"
else
	echo "ok $((n += 1)) # SKIP not root: setpriv missing"
fi

# writing to a full disk is an error too
if [ -w /dev/full ]; then
	"$LEAKSCOPE" summary >/dev/full 2>"$tmp/err"
	rc=$?; err=$(cat "$tmp/err")
	[ "$rc" = 1 ] && [[ "$err" == "leakscope: writing output: "* ]] &&
		ok "stdout write error" || not_ok "stdout write error" "rc=$rc $err"
fi

# the real path on a host without debugfs (module tests cover the rest in the VM)
if ! stat -f -c %t /sys/kernel/debug 2>/dev/null | grep -qx 64626720; then
	(unset LEAKSCOPE_DIR; "$LEAKSCOPE" >"$tmp/out" 2>"$tmp/err"); rc=$?
	err=$(cat "$tmp/err")
	expect "real path: debugfs not mounted" 1 \
		"leakscope: debugfs is not mounted on /sys/kernel/debug: mount -t debugfs none /sys/kernel/debug"
fi

finish cli
