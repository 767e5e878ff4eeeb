#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of `leakscope watch` on a fake directory whose procs file
# this script rewrites between refreshes: it waits for refresh K to appear
# on the reader's output, then rewrites the file (atomically, with mv) well
# within the interval, so refresh K+1 sees the new content.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"

mkdir "$tmp/d"
cp "$DATA/summary" "$tmp/d/"
export LEAKSCOPE_DIR=$tmp/d
export LANG=C LC_ALL= LC_CTYPE=
interval=0.5

HDR='# leakscope procs v1 interval_ms=1000 samples=64 held=31 window_ms=30000 caps_hit=- disabled=-'
COLS='pid comm samples vsz_kb anon_kb shmem_kb locked_kb heap_kb anon_regions stacks orphans threads vsz_growth_kb vsz_rate_kb_min anon_growth_kb anon_rate_kb_min verdict'

# procs_file STEP: 977 grows 1000 -> 2000 -> 4000 kB; 412 is gone at step 3,
# 3000 is new at step 3; 1 stays flat.
procs_file() {
	local vsz=$((1000 << ($1 - 1)))

	{
		echo "$HDR"
		echo "$COLS"
		echo "1 init 31 2344 412 0 0 132 6 1 0 1 0 0 0 0 steady"
		[ "$1" -lt 3 ] && echo "412 sshd 31 15220 1804 0 0 660 14 1 0 1 10 20 4 0 steady"
		echo "977 ls-repro-thrd 31 $vsz 924 0 0 132 130 65 64 1 $((vsz - 1000)) 100 96 192 growing"
		[ "$1" -ge 3 ] && echo "3000 new-proc 1 500 100 0 0 0 1 1 0 1 - - - - collecting"
		true
	} >"$tmp/d/procs.new"
	mv "$tmp/d/procs.new" "$tmp/d/procs"
}

# wait_for FILE PATTERN COUNT: until grep -c PATTERN reaches COUNT (10 s at
# most).  FILE must be new: an old one would be seen before the shell of a
# background command truncates it.
wait_for() {
	local i c

	for ((i = 0; i < 1000; i++)); do
		c=$(grep -c -- "$2" "$1" 2>/dev/null)
		[ "${c:-0}" -ge "$3" ] && return 0
		sleep 0.01
	done
	return 1
}

# watch_3 OUT PATTERN ARGS...: three refreshes with the file rewritten in
# between; PATTERN counts refreshes on OUT.  Sets rc.
watch_3() {
	local o=$1 pat=$2 pid k

	shift 2
	procs_file 1
	"$LEAKSCOPE" watch --interval "$interval" --count 3 "$@" >"$o" 2>"$tmp/err" &
	pid=$!
	for k in 2 3; do
		wait_for "$o" "$pat" $((k - 1)) || echo "# timeout waiting for refresh $((k - 1))"
		procs_file $k
	done
	wait $pid
	rc=$?
	err=$(cat "$tmp/err")
}

# block K FILE: the lines of refresh K (non-tty output)
block() {
	awk -v k="$1" '/  watch [a-z]+, refresh [0-9]+, every / { r++ } r == k' "$2"
}

# --- ASCII sparklines, plain output ---
watch_3 "$tmp/ascii" ', refresh [0-9]*, every'
expect "watch --count 3" 0 ""
[ "$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}  watch procs, refresh [123], every 0\.5 s$' \
	"$tmp/ascii")" = 3 ] && ok "watch: three timestamp lines" || not_ok "watch: three timestamp lines" "$(cat "$tmp/ascii")"
[ "$(grep -c '^$' "$tmp/ascii")" = 2 ] && [ -n "$(sed -n 1p "$tmp/ascii")" ] &&
	ok "watch: refreshes separated by a blank line" || not_ok "watch: refreshes separated by a blank line"
! grep -q $'\033' "$tmp/ascii" && ok "watch: no escape sequences when not a tty" ||
	not_ok "watch: no escape sequences when not a tty"
[ "$(block 1 "$tmp/ascii" | sed -n 3p)" = \
	"pid  comm           vsz_kb  anon_kb  vsz_growth_kb  anon_growth_kb  vsz_rate_kb_min  threads  stacks  orphans  verdict  vsz_history" ] &&
	ok "watch: columns" || not_ok "watch: columns" "$(block 1 "$tmp/ascii" | sed -n 3p)"
block 1 "$tmp/ascii" | grep -q '^977  ls-repro-thrd .* growing  _$' &&
	ok "watch: refresh 1 sparkline" || not_ok "watch: refresh 1 sparkline" "$(block 1 "$tmp/ascii")"
block 2 "$tmp/ascii" | grep -q '^977  ls-repro-thrd    2000 .* growing  _#$' &&
	ok "watch: refresh 2 sparkline" || not_ok "watch: refresh 2 sparkline" "$(block 2 "$tmp/ascii")"
block 3 "$tmp/ascii" | grep -q '^ 977  ls-repro-thrd    4000 .* growing     _\.#$' &&
	ok "watch: refresh 3 sparkline follows the process" ||
	not_ok "watch: refresh 3 sparkline follows the process" "$(block 3 "$tmp/ascii")"
block 3 "$tmp/ascii" | grep -q '^   1  init  .*  steady      ___$' &&
	ok "watch: flat process" || not_ok "watch: flat process" "$(block 3 "$tmp/ascii")"
! block 3 "$tmp/ascii" | grep -q sshd && block 2 "$tmp/ascii" | grep -q sshd &&
	ok "watch: gone process drops out" || not_ok "watch: gone process drops out"
block 3 "$tmp/ascii" | grep -q '^3000  new-proc  .*collecting  _$' &&
	ok "watch: new process starts its own history" || not_ok "watch: new process starts its own history"
[ "$(block 3 "$tmp/ascii" | awk 'NR > 3 { print $1 }' | tr '\n' ' ')" = "977 1 3000 " ] &&
	ok "watch: top growth first" || not_ok "watch: top growth first" "$(block 3 "$tmp/ascii")"
! grep -q ' $' "$tmp/ascii" && ok "watch: no trailing blanks" || not_ok "watch: no trailing blanks"

# --- UTF-8 sparklines ---
LANG=en_US.UTF-8 watch_3 "$tmp/utf8" ', refresh [0-9]*, every'
expect "watch, UTF-8 locale" 0 ""
block 3 "$tmp/utf8" | grep -q '^ 977  ls-repro-thrd    4000 .* growing     ▁▃█$' &&
	ok "watch: UTF-8 blocks" || not_ok "watch: UTF-8 blocks" "$(block 3 "$tmp/utf8")"
procs_file 1
LC_ALL=C.UTF-8 LANG=C run watch --count 1
grep -q ' growing  ▁$' "$tmp/out" && ok "watch: LC_ALL UTF-8 wins over LANG" || not_ok "watch: LC_ALL UTF-8 wins over LANG" "$out"
LC_ALL=POSIX LANG=en_US.UTF-8 run watch --count 1
grep -q ' growing  _$' "$tmp/out" && ok "watch: LC_ALL=POSIX wins over a UTF-8 LANG" ||
	not_ok "watch: LC_ALL=POSIX wins over a UTF-8 LANG" "$out"
LC_CTYPE=C.utf8 run watch --count 1
grep -q ' growing  ▁$' "$tmp/out" && ok "watch: LC_CTYPE utf8" || not_ok "watch: LC_CTYPE utf8" "$out"

# --- NDJSON ---
watch_3 "$tmp/json" '^{' --json
expect "watch --json" 0 ""
[ "$(wc -l <"$tmp/json")" = 3 ] && ok "watch --json: one line per refresh" ||
	not_ok "watch --json: one line per refresh" "$(cat "$tmp/json")"
python3 - "$tmp/json" <<'PY' && ok "watch --json: documents, history, refresh numbers" ||
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert [d["watch"]["refresh"] for d in docs] == [1, 2, 3], docs
for d in docs:
    assert d["schema_version"] == 1 and d["file"] == "procs", d
    assert d["watch"]["interval_ms"] == 500 and d["watch"]["history_of"] == "vsz_kb", d
    assert isinstance(d["watch"]["time_ms"], int) and d["watch"]["time_ms"] > 1.6e12, d
last = {r["pid"]: r for r in docs[2]["rows"]}
assert last[977]["history"] == [1000, 2000, 4000], last
assert last[1]["history"] == [2344] * 3, last
assert last[3000]["history"] == [500] and last[3000]["vsz_growth_kb"] is None, last
assert 412 not in last and 412 in {r["pid"] for r in docs[1]["rows"]}
assert [r["pid"] for r in docs[2]["rows"]] == [1, 977, 3000]  # the module's order
assert docs[0]["rows"][2]["orphans"] == 64
PY
	not_ok "watch --json: documents, history, refresh numbers" "$(cat "$tmp/json")"

# --- summary ---
run watch summary --count 2 --interval 0.1
expect "watch summary" 0 ""
block 2 "$tmp/out" | grep -q '^Shmem  *20992  *20480  *40960  growing   __$' &&
	ok "watch summary: now_kb sparkline" || not_ok "watch summary: now_kb sparkline" "$out"
[ "$(block 2 "$tmp/out" | sed -n 3p)" = "item            now_kb  growth_kb  rate_kb_min  verdict   now_history" ] &&
	ok "watch summary: columns" || not_ok "watch summary: columns" "$(block 2 "$tmp/out" | sed -n 3p)"
[ "$(block 2 "$tmp/out" | awk 'NR == 4 { print $1 }')" = "Active(anon)" ] &&
	ok "watch summary: module order" || not_ok "watch summary: module order"
run watch summary --count 1 --json
jq -e '.file == "summary" and (.rows[4] | .item == "Shmem" and .history == [20992])' "$tmp/out" >/dev/null &&
	ok "watch summary --json" || not_ok "watch summary --json" "$out"

# --- many rows: the top 20 when not on a tty ---
{
	echo "$HDR"
	echo "$COLS"
	for i in $(seq 1 25); do
		echo "$i p$i 31 $((i * 100)) 1 0 0 0 1 1 0 1 $i 0 0 0 steady"
	done
} >"$tmp/d/procs"
run watch --count 1
expect "watch: 25 processes" 0 ""
[ "$(awk 'NR == 4 { print $1 }' "$tmp/out")" = 25 ] && [ "$(awk 'NR == 23 { print $1 }' "$tmp/out")" = 6 ] &&
	[ "$(sed -n 24p "$tmp/out")" = "(5 more not shown)" ] && [ "$(wc -l <"$tmp/out")" = 24 ] &&
	ok "watch: top 20 rows, then how many more" || not_ok "watch: top 20 rows, then how many more" "$out"

# --- a tty: clear the screen each refresh ---
procs_file 1
if command -v script >/dev/null; then
	script -qec "'$LEAKSCOPE' watch --count 2 --interval 0.1" /dev/null >"$tmp/tty" 2>&1
	rc=$?
	[ "$rc" = 0 ] && [ "$(grep -o $'\033\\[H\033\\[2J' "$tmp/tty" | wc -l)" = 2 ] &&
		grep -q 'refresh 2, every 0.1 s (Ctrl-C quits)' "$tmp/tty" &&
		ok "watch on a tty: screen cleared each refresh" ||
		not_ok "watch on a tty: screen cleared each refresh" "rc=$rc" "$(cat -v "$tmp/tty")"
else
	echo "ok $((n += 1)) # SKIP no script(1) for a tty"
fi

# --- SIGINT ends the loop with status 0 ---
"$LEAKSCOPE" watch --interval 0.2 >"$tmp/sig" 2>"$tmp/err" &
pid=$!
wait_for "$tmp/sig" ', refresh 2,' 1
kill -INT $pid
wait $pid
rc=$?
err=$(cat "$tmp/err")
expect "watch: SIGINT exits 0" 0 ""
"$LEAKSCOPE" watch --interval 60 >"$tmp/sig2" 2>"$tmp/err" &
pid=$!
wait_for "$tmp/sig2" ', refresh 1,' 1
kill -INT $pid
wait $pid
rc=$?
err=$(cat "$tmp/err")
expect "watch: SIGINT while sleeping a long interval" 0 ""

# --- errors ---
run watch frobs
expect "watch: unknown file" 2 "leakscope: watch shows procs, summary, cgroups, vmalloc or slab, not 'frobs'; try 'leakscope --help'"
run watch procs summary
expect "watch: two files" 2 "leakscope: unexpected argument 'summary'; try 'leakscope --help'"
for bad in 0 0.05 -1 1s abc 3601; do
	run watch --interval "$bad"
	expect "watch: bad interval '$bad'" 2 \
		"leakscope: bad interval '$bad' (seconds, 0.1 to 3600); try 'leakscope --help'"
done
for bad in 0 -2 x 1.5; do
	run watch --count="$bad"
	expect "watch: bad count '$bad'" 2 "leakscope: bad count '$bad' (a positive integer); try 'leakscope --help'"
done
run watch --count
expect "watch: --count without value" 2 "leakscope: option '--count' needs a value; try 'leakscope --help'"
run summary --interval 2
expect "summary --interval" 2 "leakscope: option '--interval' is only for watch; try 'leakscope --help'"
run watch --interval=0.1 --count=1
expect "watch: --opt=value" 0 ""

mkdir "$tmp/empty"
LEAKSCOPE_DIR=$tmp/empty run watch --count 2
expect "watch: no procs file" 1 \
	"leakscope: $tmp/empty/procs: no such file (does the loaded leakscope module match this reader?)"
mkdir "$tmp/nocol"
printf '# leakscope procs v1\npid comm anon_kb\n1 init 5\n' >"$tmp/nocol/procs"
LEAKSCOPE_DIR=$tmp/nocol run watch --count 1
expect "watch: missing column" 1 "leakscope: procs: no column 'vsz_kb' (needed by watch)"

# the module goes away mid-watch: what was shown stays, one line, status 1
procs_file 1
"$LEAKSCOPE" watch --interval "$interval" --count 3 >"$tmp/gone" 2>"$tmp/err" &
pid=$!
wait_for "$tmp/gone" ', refresh 1,' 1
rm "$tmp/d/procs"
wait $pid
rc=$?
err=$(cat "$tmp/err")
expect "watch: file vanishes" 1 \
	"leakscope: $tmp/d/procs: no such file (does the loaded leakscope module match this reader?)"
[ "$(grep -c ', refresh ' "$tmp/gone")" = 1 ] && ok "watch: refresh 1 was printed" ||
	not_ok "watch: refresh 1 was printed"

if [ -w /dev/full ]; then
	procs_file 1
	"$LEAKSCOPE" watch --count 2 --interval 0.1 >/dev/full 2>"$tmp/err"
	rc=$?; err=$(cat "$tmp/err")
	[ "$rc" = 1 ] && [[ "$err" == "leakscope: writing output: "* ]] &&
		ok "watch: stdout write error" || not_ok "watch: stdout write error" "rc=$rc $err"
fi

finish cli-watch
