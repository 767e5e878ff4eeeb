#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of `leakscope cgroups`, `leakscope procs --cgroup` and
# the cgroup metrics of --prometheus and export (the --prom-top cap) on
# fake directories.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"
check_prom="$(dirname "$0")/prom_check.py"

has() {		# has NAME LINE (exact line of $tmp/out)
	grep -qxF -- "$2" "$tmp/out" && ok "$1" || not_ok "$1" "no line: $2"
}
hasnt() {	# hasnt NAME REGEX
	! grep -q -- "$2" "$tmp/out" && ok "$1" || not_ok "$1" "a line matches $2"
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
dir() {		# dir NAME FILE:AS...: a fake leakscope directory
	local d=$tmp/$1 f

	shift
	mkdir -p "$d"
	for f in "$@"; do
		cp "$DATA/${f%%:*}" "$d/${f#*:}"
	done
	export LEAKSCOPE_DIR=$d
}

dir good cgroups:cgroups procs-cgroup:procs

# --- cgroups ---
run cgroups
expect "cgroups" 0 ""
rows "cgroups: every row" 7
grep -q '^     64  *33  *33  *89100  *34980 .* growing  */ls-grow$' "$tmp/out" &&
	ok "cgroups: the growing row" || not_ok "cgroups: the growing row" "$out"
run cgroups --cgroup /system.slice
rows "cgroups --cgroup: the subtree" 2
run cgroups --json
expect "cgroups --json" 0 ""
jq_ok "cgroups --json: numbers and path" '.rows[0] == {"samples":64,"processes":33,"threads":33,"vsz_kb":89100,"anon_kb":34980,"shmem_kb":0,"locked_kb":0,"stacks":33,"orphans":0,"procs_growth":31,"anon_growth_kb":32768,"anon_rate_kb_min":62400,"persistence_pct":49,"verdict":"growing","cgroup":"/ls-grow"} and .meta.cgroups == "v2"'
run cgroups --cgroup /ls-grow --json
jq_ok "cgroups --json --cgroup" '[.rows[].cgroup] == ["/ls-grow"]'

# --- procs --cgroup ---
run procs --cgroup /system.slice/ssh.service
expect "procs --cgroup" 0 ""
rows "procs --cgroup: the cgroup and below it" 2
hasnt "procs --cgroup: a prefix is not a parent" 'ssh.serviceX'
run procs --cgroup /ls-grow --json
jq_ok "procs --cgroup --json" '[.rows[].pid] == [140, 141] and [.rows[].cgroup] == ["/ls-grow", "/ls-grow"]'
run procs --cgroup /nothing
expect "procs --cgroup: none" 0 ""
has "procs --cgroup: none: says so" 'no rows in that cgroup'
run procs
rows "procs: every row, with its cgroup" 7
run procs --cache x
expect "--cache only for callsites" 2 "leakscope: option '--cache' is only for callsites; try 'leakscope --help'"
run summary --cgroup /
expect "--cgroup not for summary" 2 "leakscope: option '--cgroup' is only for callsites, procs and cgroups; try 'leakscope --help'"

# --- no cgroups on this kernel ---
dir none cgroups-none:cgroups
run cgroups
expect "cgroups: none" 0 ""
has "cgroups: none: says why" 'no cgroups (none hold a process, or no cgroup v2 on this kernel)'

# --- Prometheus and the --prom-top cap ---
dir good2 cgroups:cgroups
run --prometheus cgroups
expect "--prometheus cgroups" 0 ""
why=$(python3 "$check_prom" "$tmp/out" 2>&1) && ok "--prometheus cgroups: valid exposition" ||
	not_ok "--prometheus cgroups: valid exposition" "$why"
has "cgroup processes" 'leakscope_cgroup_processes{cgroup="/ls-grow"} 33'
has "cgroup anon bytes" 'leakscope_cgroup_anon_bytes{cgroup="/ls-pool"} 8683520'
has "cgroup growth" 'leakscope_cgroup_anon_growth_bytes{cgroup="/ls-grow"} 33554432'
has "cgroup rate" 'leakscope_cgroup_anon_growth_bytes_per_second{cgroup="/ls-grow"} 1064960'
has "cgroup growing" 'leakscope_cgroup_growing{cgroup="/ls-grow"} 1'
has "cgroup orphans" 'leakscope_cgroup_orphan_stacks{cgroup="/"} 0'
hasnt "under the cap: no other" 'cgroup="other"'
for f in processes threads vsz_bytes anon_bytes shmem_bytes locked_bytes stacks \
	orphan_stacks anon_growth_bytes anon_growth_bytes_per_second growing; do
	[ "$(grep -c "^leakscope_cgroup_$f{" "$tmp/out")" = 7 ] && ok "family cgroup_$f: 7 series" ||
		not_ok "family cgroup_$f: 7 series" "$(grep "^leakscope_cgroup_$f{" "$tmp/out")"
done
run --prometheus --prom-top 3 cgroups
expect "--prom-top 3" 0 ""
why=$(python3 "$check_prom" "$tmp/out" 2>&1) && ok "--prom-top 3: valid exposition" ||
	not_ok "--prom-top 3: valid exposition" "$why"
[ "$(grep -c '^leakscope_cgroup_processes{' "$tmp/out")" = 4 ] && ok "--prom-top 3: 3 cgroups and other" ||
	not_ok "--prom-top 3: 3 cgroups and other" "$out"
has "--prom-top: the fastest growing kept" 'leakscope_cgroup_processes{cgroup="/ls-grow"} 33'
has "--prom-top: the next largest kept" 'leakscope_cgroup_anon_bytes{cgroup="/ls-pool"} 8683520'
has "--prom-top: the next growing kept" 'leakscope_cgroup_processes{cgroup="/user.slice/user-1000.slice/session-1.scope"} 2'
has "--prom-top: the rest summed" 'leakscope_cgroup_processes{cgroup="other"} 21'
has "--prom-top: other's anon" 'leakscope_cgroup_anon_bytes{cgroup="other"} 8183808'
has "--prom-top: other is steady" 'leakscope_cgroup_growing{cgroup="other"} 0'
run --prometheus --prom-top 0 cgroups
[ "$(grep -c '^leakscope_cgroup_processes{' "$tmp/out")" = 7 ] && ok "--prom-top 0: no cap" ||
	not_ok "--prom-top 0: no cap" "$out"
run --prometheus --prom-top=1 cgroups
has "--prom-top=1: the growing one" 'leakscope_cgroup_growing{cgroup="/ls-grow"} 1'
has "--prom-top=1: the rest" 'leakscope_cgroup_processes{cgroup="other"} 27'
run --prometheus --prom-top x cgroups
expect "--prom-top: bad number" 2 "leakscope: bad --prom-top 'x' (0 to 100000); try 'leakscope --help'"
run --prometheus --prom-top
expect "--prom-top: missing" 2 "leakscope: option '--prom-top' needs a number; try 'leakscope --help'"
run cgroups --prom-top 3
expect "--prom-top: not for tables" 2 "leakscope: option '--prom-top' is only for --prometheus and export; try 'leakscope --help'"

# export --textfile applies the cap too
mkdir -p "$tmp/tf"
run export --textfile "$tmp/tf" --prom-top 2
expect "export --prom-top" 0 ""
[ "$(grep -c '^leakscope_cgroup_processes{' "$tmp/tf/leakscope.prom")" = 3 ] &&
	grep -q '^leakscope_cgroup_processes{cgroup="other"} ' "$tmp/tf/leakscope.prom" &&
	ok "export --prom-top 2: 2 cgroups and other" ||
	not_ok "export --prom-top 2: 2 cgroups and other" "$(cat "$tmp/tf/leakscope.prom")"

finish cgroups
