#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of `leakscope procs` and `leakscope regions PID` on fake
# directories: tables, JSON types, the pid parameter write
# (LEAKSCOPE_PARAMS_DIR), status messages, usage errors.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"

mkdir "$tmp/d" "$tmp/params"
cp "$DATA/procs" "$DATA/regions" "$tmp/d/"
export LEAKSCOPE_DIR=$tmp/d
unset LEAKSCOPE_PARAMS_DIR

# jq_ok NAME FILTER: on $tmp/out
jq_ok() {
	if ! command -v jq >/dev/null; then
		echo "ok $((n += 1)) # SKIP $1: no jq"
	elif jq -e "$2" "$tmp/out" >/dev/null; then
		ok "$1"
	else
		not_ok "$1" "$2" "$(head -c 300 "$tmp/out")"
	fi
}

# --- help ---
run --help
grep -q '^  procs ' "$tmp/out" && grep -q '^  regions PID$' "$tmp/out" &&
	grep -q '^  watch \[--interval SEC\] \[--count N\] \[procs|summary|cgroups|vmalloc|slab\]$' "$tmp/out" &&
	ok "--help lists procs, regions PID, watch" || not_ok "--help lists procs, regions PID, watch" "$out"

# --- procs ---
run procs
expect "procs" 0 ""
[ "$(head -1 "$tmp/out")" = "procs: 31/64 samples, window 30.0 s, every 1000 ms" ] &&
	ok "procs: window line" || not_ok "procs: window line" "$(head -1 "$tmp/out")"
grep -q '^ 977  ls-repro-thrd  *31  *532912 .* 130  *65  *64  *1  *491520  *983040  *96  *192  growing$' \
	"$tmp/out" && ok "procs: aligned row" || not_ok "procs: aligned row" "$out"
grep -q '^2050  kworker/0:1  *-  *-' "$tmp/out" && ok "procs: unknown shown as -" ||
	not_ok "procs: unknown shown as -"
! grep -q ' $' "$tmp/out" && ok "procs: no trailing blanks" || not_ok "procs: no trailing blanks"

run procs --json
expect "procs --json" 0 ""
json_ok "$tmp/out" && ok "procs --json is valid JSON" || not_ok "procs --json is valid JSON" "$out"
jq_ok "procs: columns" '.file == "procs" and (.columns | length) == 17 and .columns[16] == "verdict"'
jq_ok "procs: counts are numbers" \
	'.rows[2] | .pid == 977 and .samples == 31 and .anon_regions == 130 and .stacks == 65 and .orphans == 64 and .threads == 1'
jq_ok "procs: every numeric column typed" \
	'[.rows[2] | to_entries[] | select(.key != "comm" and .key != "verdict") | .value | type] | unique == ["number"]'
jq_ok "procs: strings" '.rows[2] | .comm == "ls-repro-thrd" and .verdict == "growing"'
jq_ok "procs: - is null" '.rows[5] | .samples == null and .threads == null and .verdict == "busy"'
jq_ok "procs: negative growth" '.rows[3].anon_growth_kb == -20480'

cp "$DATA/procs-capped" "$tmp/d/procs"
run procs
expect "procs capped" 0 ""
grep -q '^procs: 2/64 samples, window 1.0 s, every 1000 ms, 3 busy (skipped), caps hit: procs$' "$tmp/out" &&
	ok "procs: caps hit shown" || not_ok "procs: caps hit shown" "$(head -1 "$tmp/out")"
run procs --json
jq_ok "procs: caps_hit array, extra header keys" '.meta.caps_hit == ["procs"] and .meta.procs_max == 8192 and .meta.busy == 3'
cp "$DATA/procs" "$tmp/d/procs"

# --- regions: usage ---
run regions
expect "regions without PID" 2 "leakscope: regions needs PID; try 'leakscope --help'"
[ -z "$out" ] && ok "regions without PID: no stdout" || not_ok "regions without PID: no stdout"
for bad in 0 -5 abc 12x +7 0x10 "" 99999999999 2147483648; do
	run regions "$bad"
	expect "regions: bad PID '$bad'" 2 \
		"leakscope: bad PID '$bad' (expected a positive decimal integer); try 'leakscope --help'"
done
run regions 977 978
expect "regions: two PIDs" 2 "leakscope: unexpected argument '978'; try 'leakscope --help'"
run regions 977 --count 2
expect "regions: watch option" 2 "leakscope: option '--count' is only for watch; try 'leakscope --help'"
run regions 977 --pid
expect "regions: unknown option" 2 "leakscope: unknown option '--pid'; try 'leakscope --help'"

# --- regions: output ---
run regions 977
expect "regions 977" 0 ""
[ "$(head -1 "$tmp/out")" = "regions of pid 977: 31/64 samples, window 30.0 s, every 1000 ms" ] &&
	ok "regions: window line names the pid" || not_ok "regions: window line names the pid" "$(head -1 "$tmp/out")"
grep -q '^0x7f12a0001000      0x7f12a0801000      rw-p   orphan-stack     8192  new  -$' "$tmp/out" &&
	ok "regions: aligned row, size right-aligned" || not_ok "regions: aligned row" "$out"
grep -q '  /dev/shm/my_seg$' "$tmp/out" && ok "regions: names kept" || not_ok "regions: names kept"
run regions 0977
expect "regions: leading zero" 0 ""

run --json regions 977
expect "regions --json" 0 ""
json_ok "$tmp/out" && ok "regions --json is valid JSON" || not_ok "regions --json is valid JSON" "$out"
jq_ok "regions: meta pid and status" '.meta.pid == 977 and .meta.status == "ok"'
jq_ok "regions: start/end are hex strings" \
	'[.rows[] | .start, .end | type] | unique == ["string"]'
jq_ok "regions: hex kept as written" \
	'.rows[12].start == "0xffffffffff600000" and .rows[4].end == "0x7f12a0801000"'
jq_ok "regions: new is boolean" '[.rows[].new] == [false,false,false,true,true,false,false,false,true,false,false,false,false]'
jq_ok "regions: size_kb number" '.rows[4].size_kb == 8192 and (.rows[4].size_kb | type) == "number"'
jq_ok "regions: names, - is null, no _ translation" \
	'.rows[2].name == "[heap]" and .rows[3].name == null and .rows[7].name == "/dev/shm/my_seg"'
jq_ok "regions: kinds" '[.rows[].kind] | unique == ["anon","file","guard","heap","orphan-stack","shmem","stack","thread-stack","vdso","vsyscall","vvar"]'

# --- regions: status ---
for s in gone busy no-pid; do
	mkdir "$tmp/$s"
	cp "$DATA/regions-$s" "$tmp/$s/regions"
done
LEAKSCOPE_DIR=$tmp/gone run regions 977
expect "regions: gone" 1 "leakscope: no process with pid 977"
[ -z "$out" ] && ok "regions: gone: no stdout" || not_ok "regions: gone: no stdout" "$out"
LEAKSCOPE_DIR=$tmp/gone run regions 977 --json
expect "regions --json: gone" 1 "leakscope: no process with pid 977"
LEAKSCOPE_DIR=$tmp/busy run regions 977
expect "regions: busy" 1 "leakscope: pid 977: its mm is busy, try again"
LEAKSCOPE_DIR=$tmp/no-pid run regions 977
expect "regions: no-pid" 1 \
	"leakscope: pid 977 is not selected in the module (regions shows no pid): try again"
run regions 978
expect "regions: another pid shown" 1 \
	"leakscope: regions shows pid 977, not 978: another leakscope selected it meanwhile, try again"
mkdir "$tmp/nostatus"
sed '1s/ status=ok//' "$DATA/regions" >"$tmp/nostatus/regions"
LEAKSCOPE_DIR=$tmp/nostatus run regions 977
expect "regions: no status" 1 "leakscope: $tmp/nostatus/regions:1: header has no status= field"
mkdir "$tmp/nofile"
LEAKSCOPE_DIR=$tmp/nofile run regions 977
expect "regions: no file" 1 \
	"leakscope: $tmp/nofile/regions: no such file (does the loaded leakscope module match this reader?)"

# --- regions: selecting the pid through the parameter ---
export LEAKSCOPE_PARAMS_DIR=$tmp/params
run regions 977
expect "params: missing pid parameter" 1 "leakscope: cannot select pid 977: No such file or directory"
[ ! -e "$tmp/params/pid" ] && ok "params: parameter not created" || not_ok "params: parameter not created"
printf '0\n' >"$tmp/params/pid"
run regions 977
expect "params: regions 977" 0 ""
[ "$(cat "$tmp/params/pid")" = 977 ] && ok "params: 977 written" ||
	not_ok "params: 977 written" "$(od -c "$tmp/params/pid")"
[ "$(od -An -c "$tmp/params/pid" | tr -d ' ')" = '977\n' ] && ok "params: written as 977 and newline" ||
	not_ok "params: written as 977 and newline" "$(od -An -c "$tmp/params/pid")"
touch -d '2001-01-01 00:00:00' "$tmp/params/pid"
run regions 977
expect "params: regions 977 again" 0 ""
[ "$(stat -c %Y "$tmp/params/pid")" = "$(date -d '2001-01-01 00:00:00' +%s)" ] &&
	ok "params: already selected, not rewritten" || not_ok "params: already selected, not rewritten"
printf '12345678\n' >"$tmp/params/pid"
run regions 0977
[ "$(cat "$tmp/params/pid")" = 977 ] && ok "params: canonical decimal over a longer value" ||
	not_ok "params: canonical decimal over a longer value" "$(cat "$tmp/params/pid")"
run regions 978
expect "params: written, file shows another pid" 1 \
	"leakscope: regions shows pid 977, not 978: another leakscope selected it meanwhile, try again"
[ "$(cat "$tmp/params/pid")" = 978 ] && ok "params: 978 written" || not_ok "params: 978 written"
run regions x
[ "$(cat "$tmp/params/pid")" = 978 ] && ok "params: bad PID writes nothing" || not_ok "params: bad PID writes nothing"
rm "$tmp/params/pid"
mkdir "$tmp/params/pid"
run regions 977
expect "params: write error" 1 "leakscope: cannot select pid 977: Is a directory"
rmdir "$tmp/params/pid"
LEAKSCOPE_PARAMS_DIR= run regions 977
expect "params: empty LEAKSCOPE_PARAMS_DIR: no write" 0 ""
unset LEAKSCOPE_PARAMS_DIR

finish cli-regions
