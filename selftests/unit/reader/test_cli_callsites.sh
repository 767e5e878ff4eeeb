#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of `leakscope callsites` and `leakscope stacks` on fake
# directories: tables, filters, tracking off, bad files, JSON and
# Prometheus output, exit codes and error messages.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"
check_prom="$(dirname "$0")/prom_check.py"

has() {		# has NAME LINE (exact line of $tmp/out)
	grep -qxF -- "$2" "$tmp/out" && ok "$1" || not_ok "$1" "no line: $2"
}
rows() {	# rows NAME N: the table has N rows (after the window and column lines)
	local got

	got=$(($(wc -l <"$tmp/out") - 2))
	[ "$got" = "$2" ] && ok "$1" || not_ok "$1" "$got rows, want $2" "$out"
}
jq_ok() {	# jq_ok NAME FILTER (on $tmp/out)
	if ! command -v jq >/dev/null; then
		json_ok "$tmp/out" && ok "$1 (valid JSON; no jq)" || not_ok "$1" "$out"
	elif jq -e "$2" "$tmp/out" >/dev/null; then
		ok "$1"
	else
		not_ok "$1" "jq $2" "$out"
	fi
}
# dir NAME FILE:AS...: a fake leakscope directory
dir() {
	local d=$tmp/$1 f

	shift
	mkdir -p "$d"
	for f in "$@"; do
		cp "$DATA/${f%%:*}" "$d/${f#*:}"
	done
	export LEAKSCOPE_DIR=$d
}
OFF="leakscope: call-site tracking is off: turn it on with 'echo track=auto > /sys/kernel/debug/leakscope/control' or the module parameter track=auto (works under lockdown too)"

dir good callsites:callsites stacks:stacks summary:summary

# --- callsites ---
run callsites
expect "callsites" 0 ""
has "callsites: window line" 'callsites: 40/64 samples, window 39.0 s, every 1000 ms, leakscope holds 17000 kB, tracking all, 97/4096 stacks'
rows "callsites: every row" 6
grep -q '^  12288  *6144  .* growing  *17  /  *kmalloc-512  *ls_leaky_strdup_leak+0x2a/0x90\[ls_leaky\]$' "$tmp/out" &&
	ok "callsites: a row, sizes and site" || not_ok "callsites: a row, sizes and site" "$out"
run callsites --cache kmalloc-64
expect "--cache" 0 ""
rows "--cache: the rows of that class" 2
! grep -q kmalloc-512 "$tmp/out" && ok "--cache: no other class" || not_ok "--cache: no other class"
run callsites --cache=pages
rows "--cache=NAME" 1
run callsites --cache kmalloc
expect "--cache is exact" 0 ""
has "--cache is exact: nothing" 'no call sites match'
run callsites --cgroup /system.slice
rows "--cgroup: below the path" 2
run callsites --cgroup /system.slice/
rows "--cgroup: trailing slash" 2
run callsites --cgroup /system
expect "--cgroup: a prefix is not a parent" 0 ""
has "--cgroup: a prefix is not a parent: nothing" 'no call sites match'
run callsites --cgroup /
rows "--cgroup /: every cgroup, not irq or -" 4
run callsites --cgroup irq
rows "--cgroup irq" 1
run callsites --cgroup /system.slice --cache percpu
rows "--cgroup and --cache" 1
grep -q ls_leaky_percpu_leak "$tmp/out" && ok "--cgroup and --cache: the row" || not_ok "--cgroup and --cache: the row"
run callsites --cache
expect "--cache needs a name" 2 "leakscope: option '--cache' needs a cache name; try 'leakscope --help'"
run callsites --cgroup=
expect "--cgroup needs a path" 2 "leakscope: option '--cgroup' needs a cgroup path; try 'leakscope --help'"
run slab --cache kmalloc-64
expect "--cache only for callsites" 2 "leakscope: option '--cache' is only for callsites; try 'leakscope --help'"
run stacks --cgroup /
expect "--cgroup only for callsites, procs and cgroups" 2 "leakscope: option '--cgroup' is only for callsites, procs and cgroups; try 'leakscope --help'"
run callsites 17
expect "callsites takes no operand" 2 "leakscope: unexpected argument '17'; try 'leakscope --help'"

run callsites --json
expect "callsites --json" 0 ""
json_ok "$tmp/out" && ok "callsites --json is valid JSON" || not_ok "callsites --json is valid JSON" "$out"
jq_ok "callsites --json: file and meta" '.file == "callsites" and .meta.track == "all" and .meta.sampled == 20511 and .meta.records == "1834/65536"'
jq_ok "callsites --json: a row" '.rows[0] == {"objects":12288,"size_kb":6144,"oldest_s":39,"median_s":20,"growth_kb":6100,"rate_kb_min":9384,"persist_pct":97,"verdict":"growing","stack":17,"cgroup":"/","class":"kmalloc-512","site":"ls_leaky_strdup_leak+0x2a/0x90[ls_leaky]"}'
jq_ok "callsites --json: unknown as null" '.rows[4] | .stack == null and .growth_kb == null and .cgroup == null'
run callsites --json --cache kmalloc-64 --cgroup irq
jq_ok "callsites --json filtered" '[.rows[].site] == ["__alloc_skb+0x8e/0x1e0"]'

# --- stacks ---
run stacks
expect "stacks" 0 ""
has "stacks: window line" 'stacks: 40/64 samples, window 39.0 s, every 1000 ms, leakscope holds 17000 kB, tracking all, 97/4096 stacks'
has "stacks: columns" 'stack  frames'
has "stacks: first frame beside the id" '   17  kstrdup+0x2a/0x60'
has "stacks: the others under it" '       ls_leaky_strdup_leak+0x2a/0x90[ls_leaky]'
has "stacks: tabs and trailing blanks" '       process_one_work+0x1b2/0x3c0'
[ "$(wc -l <"$tmp/out")" = 10 ] && ok "stacks: one line per frame" || not_ok "stacks: one line per frame" "$out"
run stacks 21
expect "stacks ID" 0 ""
[ "$(sed -n 3p "$tmp/out")" = '   21  __alloc_pages+0x1a0/0x330' ] && [ "$(wc -l <"$tmp/out")" = 5 ] &&
	ok "stacks ID: that stack only" || not_ok "stacks ID: that stack only" "$out"
run stacks 021
expect "stacks ID: leading zero" 0 ""
run stacks 99
expect "stacks: unknown ID" 1 "leakscope: no stack 99 in $LEAKSCOPE_DIR/stacks (it may have been dropped: leakscope stacks lists them)"
[ -z "$out" ] && ok "stacks: unknown ID: no stdout" || not_ok "stacks: unknown ID: no stdout" "$out"
run stacks x1
expect "stacks: bad ID" 2 "leakscope: bad stack id 'x1' (a number from leakscope callsites); try 'leakscope --help'"
run stacks 1 2
expect "stacks: one ID" 2 "leakscope: unexpected argument '2'; try 'leakscope --help'"
run stacks --json
expect "stacks --json" 0 ""
json_ok "$tmp/out" && ok "stacks --json is valid JSON" || not_ok "stacks --json is valid JSON" "$out"
jq_ok "stacks --json: frames as an array" '.columns == ["stack","frames"] and .rows[0] == {"stack":17,"frames":["kstrdup+0x2a/0x60","ls_leaky_strdup_leak+0x2a/0x90[ls_leaky]","process_one_work+0x1b2/0x3c0","worker_thread+0x2a/0x3b0"]}'
jq_ok "stacks --json: tabs and trailing blanks" '.rows[1].frames == ["__alloc_pages+0x1a0/0x330","ls_leaky_pages_leak+0x1c/0x60[ls_leaky]","process_one_work+0x1b2/0x3c0"] and .rows[2].frames == ["__alloc_skb+0x8e/0x1e0"]'
run stacks 23 --json
jq_ok "stacks ID --json" '[.rows[].stack] == [23]'

# --- Prometheus ---
run --prometheus callsites
expect "--prometheus callsites" 0 ""
why=$(python3 "$check_prom" "$tmp/out" 2>&1) && ok "--prometheus callsites: valid exposition" ||
	not_ok "--prometheus callsites: valid exposition" "$why"
if command -v promtool >/dev/null; then
	why=$(promtool check metrics <"$tmp/out" 2>&1) && ok "--prometheus callsites: promtool" ||
		not_ok "--prometheus callsites: promtool" "$why"
fi
has "callsite bytes, stack id as a label" 'leakscope_callsite_outstanding_bytes{class="kmalloc-512",site="ls_leaky_strdup_leak+0x2a/0x90[ls_leaky]",stack="17",cgroup="/"} 6291456'
has "callsite objects" 'leakscope_callsite_outstanding_objects{class="pages",site="ls_leaky_pages_leak+0x1c/0x60[ls_leaky]",stack="21",cgroup="/system.slice/leaky.service"} 2048'
has "callsite growing" 'leakscope_callsite_growing{class="kmalloc-64",site="__alloc_skb+0x8e/0x1e0",stack="23",cgroup="irq"} 0'
has "callsite ratio" 'leakscope_callsite_persistence_ratio{class="percpu",site="ls_leaky_percpu_leak+0x21/0x80[ls_leaky]",stack="22",cgroup="/system.slice/leaky.service"} 0.90'
has "tracking on" 'leakscope_tracking 1'
! grep -q 'worker_thread\|kstrdup+' "$tmp/out" && ok "no frames in metrics" || not_ok "no frames in metrics"
! grep -q 'collecting\|kernfs_fop_open.*growth' "$tmp/out" && ok "unknown values left out" ||
	not_ok "unknown values left out"
run --prometheus callsites --cache kmalloc-64
expect "--prometheus callsites --cache" 0 ""
! grep -q 'kmalloc-512' "$tmp/out" && grep -q 'class="kmalloc-64"' "$tmp/out" &&
	ok "--prometheus --cache filters" || not_ok "--prometheus --cache filters" "$out"
run --prometheus
expect "--prometheus all" 0 ""
grep -q '^leakscope_callsite_outstanding_bytes{' "$tmp/out" && grep -q '^leakscope_meminfo_bytes{' "$tmp/out" &&
	ok "--prometheus all has callsites" || not_ok "--prometheus all has callsites"
run --prometheus stacks
expect "--prometheus stacks: refused" 2 "leakscope: --prometheus shows summary, suspects, procs, cgroups, vmalloc, slab, callsites or all, not 'stacks' (metrics carry stack ids, not frames); try 'leakscope --help'"
run --prometheus summary --cache x
expect "--prometheus --cache only for callsites" 2 "leakscope: option '--cache' is only for callsites; try 'leakscope --help'"

# --- tracking off, empty ---
dir off callsites-off:callsites stacks-off:stacks
run callsites
expect "callsites: tracking off" 1 "$OFF"
[ -z "$out" ] && ok "tracking off: no stdout" || not_ok "tracking off: no stdout"
run callsites --json
expect "callsites --json: tracking off" 1 "$OFF"
run stacks
expect "stacks: tracking off" 1 "$OFF"
run stacks 17
expect "stacks ID: tracking off" 1 "$OFF"
run --prometheus callsites
expect "--prometheus callsites: tracking off is no error" 0 ""
has "tracking off" 'leakscope_tracking 0'
! grep -q callsite_ "$tmp/out" && ok "tracking off: no callsite metrics" || not_ok "tracking off: no callsite metrics"

dir empty callsites-empty:callsites
run callsites
expect "callsites: empty" 0 ""
has "callsites: empty says so" 'no call sites: nothing sampled is outstanding'
run callsites --json
jq_ok "callsites --json: empty" '.rows == [] and (.columns | length) == 12'

# --- the format evolves: more header keys, more columns ---
dir extra callsites-extra:callsites
run callsites --cache kmalloc-512
expect "callsites: extra key and column" 0 ""
grep -q 'future_col' "$tmp/out" && grep -q 'caps hit: records' "$tmp/out" &&
	ok "extra column shown, caps hit shown" || not_ok "extra column shown, caps hit shown" "$out"
run --prometheus callsites
has "extra column: metrics as before" 'leakscope_callsite_outstanding_objects{class="kmalloc-512",site="ls_leaky_strdup_leak+0x2a/0x90[ls_leaky]",stack="17",cgroup="/"} 12288'

# --- bad files ---
dir short callsites-short:callsites stacks-short:stacks
run callsites
expect "callsites: short row" 1 "leakscope: $LEAKSCOPE_DIR/callsites:3: 11 fields, expected 12"
run stacks
expect "stacks: id without frames" 1 "leakscope: $LEAKSCOPE_DIR/stacks:4: 1 fields, expected 2"
dir badnum callsites-badnum:callsites
run callsites
expect "callsites: bad stack id" 1 "leakscope: $LEAKSCOPE_DIR/callsites:3: column stack: '0x17' is not an integer"
dir wrong summary:callsites
run callsites
expect "callsites: another file's header" 1 "leakscope: $LEAKSCOPE_DIR/callsites:1: header names file 'summary', expected 'callsites'"

# --- missing module / file: the usual errors ---
dir none summary:summary
run callsites
expect "callsites: no file" 1 "$(LEAKSCOPE_DIR=$tmp/none "$LEAKSCOPE" vmalloc 2>&1 | sed 's/vmalloc/callsites/g')"
export LEAKSCOPE_DIR=$tmp/nonexistent
run stacks
expect "stacks: no directory" 1 "leakscope: LEAKSCOPE_DIR=$tmp/nonexistent: no such directory"

finish callsites
