#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of `leakscope --prometheus` and `leakscope export` on fake
# directories: exposition validity (promtool check metrics, from Debian's
# prometheus package, and prom_check.py, a stricter checker of our own
# conventions), units, label escaping, missing files, atomic export, exit
# codes and error messages.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"
check_prom="$(dirname "$0")/prom_check.py"

valid() {	# valid NAME FILE
	local why

	if why=$(python3 "$check_prom" "$2" 2>&1); then
		ok "$1: valid exposition"
	else
		not_ok "$1: valid exposition" "$why"
	fi
	# make deps installs promtool; without it this is a failure, not a skip.
	if why=$(promtool check metrics <"$2" 2>&1); then
		ok "$1: promtool check metrics"
	else
		not_ok "$1: promtool check metrics" "$why"
	fi
}

has() {		# has NAME LINE (exact line of $tmp/out)
	grep -qxF -- "$2" "$tmp/out" && ok "$1" || not_ok "$1" "no line: $2"
}

mkdir "$tmp/all"
for f in summary suspects procs vmalloc slab control; do
	cp "$DATA/$f" "$tmp/all/"
done
export LEAKSCOPE_DIR=$tmp/all

# --- all files ---
run --prometheus
expect "--prometheus" 0 ""
valid "--prometheus" "$tmp/out"
cp "$tmp/out" "$tmp/all.prom"
run --prometheus all
expect "--prometheus all" 0 ""
cmp -s "$tmp/out" "$tmp/all.prom" && ok "all is the default" || not_ok "all is the default"
run all --prometheus
cmp -s "$tmp/out" "$tmp/all.prom" && ok "all before --prometheus" ||
	not_ok "all before --prometheus" "rc=$rc $err"

# kB x 1024, kB/min -> bytes/s, pct -> ratio, verdict -> 0/1
has "meminfo bytes" 'leakscope_meminfo_bytes{item="Shmem"} 21495808'
has "self bytes" 'leakscope_self_bytes 1263616'
has "self as an item" 'leakscope_meminfo_bytes{item="leakscope"} 1263616'
has "meminfo growth" 'leakscope_meminfo_growth_bytes{item="Mapped"} -4096'
has "meminfo rate" 'leakscope_meminfo_growth_bytes_per_second{item="Shmem"} 699050.667'
has "meminfo growing" 'leakscope_meminfo_growing{item="Shmem"} 1'
has "meminfo steady" 'leakscope_meminfo_growing{item="Mapped"} 0'
grep -q 'item="VmallocUsed"' "$tmp/out" && not_ok "disabled item left out" ||
	ok "disabled item left out"
has "suspect rate" \
	'leakscope_suspect_growth_bytes_per_second{kind="shmem-growth",subject="meminfo:Shmem"} 699050.667'
has "suspect rank" 'leakscope_suspect_rank{kind="anon-growth",subject="meminfo:AnonPages"} 2'
has "process vsz" 'leakscope_process_vsz_bytes{pid="977",comm="ls-repro-thrd"} 545701888'
has "process orphans" 'leakscope_process_orphan_stacks{pid="977",comm="ls-repro-thrd"} 64'
grep -q 'pid="2050"' "$tmp/out" && not_ok "busy process left out" || ok "busy process left out"
has "vmalloc bytes" 'leakscope_vmalloc_bytes{caller="ls_leaky+0x36[unloaded]"} 2715648'
has "vmalloc orphan" 'leakscope_vmalloc_orphan{caller="ls_leaky+0x36[unloaded]"} 1'
has "slab bytes" 'leakscope_slab_bytes{cache="ls_leaky_cache"} 1364992'
has "slab reclaimable" 'leakscope_slab_reclaimable{cache="dentry"} 1'
has "samples held" 'leakscope_samples_held 12'
has "window seconds" 'leakscope_window_seconds 11.000'
has "walker disabled" 'leakscope_walker_enabled{walker="vmalloc_used"} 0'
has "walker enabled" 'leakscope_walker_enabled{walker="slab"} 1'
has "caps not hit" 'leakscope_caps_hit{table="procs"} 0'
has "up" 'leakscope_up 1'
nfam=$(grep -c '^# TYPE ' "$tmp/out")
[ "$nfam" = "$(grep '^# TYPE ' "$tmp/out" | sort -u | wc -l)" ] && [ "$nfam" -gt 40 ] &&
	ok "each family once ($nfam)" || not_ok "each family once" "$nfam"
grep -v '^#' "$tmp/out" | grep -qiE '_kb|_pct|_ms[{ ]' && not_ok "base units only" ||
	ok "base units only"

# --- one file each ---
for f in summary suspects procs vmalloc slab; do
	run --prometheus $f
	expect "--prometheus $f" 0 ""
	valid "--prometheus $f" "$tmp/out"
done
run --prometheus slab
grep -q '^leakscope_meminfo' "$tmp/out" && not_ok "slab only: no meminfo" ||
	ok "slab only: no meminfo"
run suspects --prometheus
grep -q '^leakscope_suspect_rank' "$tmp/out" && ! grep -q '^leakscope_slab' "$tmp/out" &&
	ok "command then --prometheus" || not_ok "command then --prometheus"

# --- header lists, empty files, escaping ---
mkdir "$tmp/edge"
cp "$DATA/slab-empty" "$tmp/edge/slab"
cp "$DATA/suspects-empty" "$tmp/edge/suspects"
sed 's/caps_hit=-/caps_hit=procs,threads,newtable/' "$DATA/procs" >"$tmp/edge/procs"
printf '4242  a"b\\\\c\xff  3  4000  1000  0  0  100  5  2  0  2  -  -  -  -  collecting\n' \
	>>"$tmp/edge/procs"
LEAKSCOPE_DIR=$tmp/edge run --prometheus
expect "edge cases" 0 ""
valid "edge cases" "$tmp/out"
has "slab walker disabled" 'leakscope_walker_enabled{walker="slab"} 0'
has "caps hit" 'leakscope_caps_hit{table="threads"} 1'
has "unknown cap named" 'leakscope_caps_hit{table="newtable"} 1'
has "label escaped" \
	"leakscope_process_vsz_bytes{pid=\"4242\",comm=\"a\\\"b\\\\\\\\c$(printf '\xef\xbf\xbd')\"} 4096000"
grep -q '^leakscope_suspect' "$tmp/out" && not_ok "no suspects, no suspect families" ||
	ok "no suspects, no suspect families"

# --- a missing file contributes nothing ---
mkdir "$tmp/part"
cp "$DATA/summary" "$tmp/part/"
LEAKSCOPE_DIR=$tmp/part run --prometheus
expect "missing files" 0 ""
valid "missing files" "$tmp/out"
grep -q '^leakscope_meminfo_bytes' "$tmp/out" && ! grep -q '^leakscope_vmalloc' "$tmp/out" &&
	ok "missing files: the rest is there" || not_ok "missing files: the rest is there"
LEAKSCOPE_DIR=$tmp/part run --prometheus vmalloc
expect "missing vmalloc" 0 ""
[ -z "$out" ] && ok "missing vmalloc: nothing" || not_ok "missing vmalloc: nothing" "$out"

# --- errors ---
LEAKSCOPE_DIR=$tmp/nonexistent run --prometheus
[ "$rc" = 1 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	grep -q '^leakscope: ' "$tmp/err" && ok "missing directory: exit 1, one line" ||
	not_ok "missing directory: exit 1, one line" "rc=$rc $err"
mkdir "$tmp/bad"
cp "$DATA/summary" "$tmp/bad/"
printf '# leakscope slab v1 held=1\ncache size_kb\nx y z\n' >"$tmp/bad/slab"
LEAKSCOPE_DIR=$tmp/bad run --prometheus
[ "$rc" = 1 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	ok "malformed file: exit 1, nothing printed" ||
	not_ok "malformed file: exit 1, nothing printed" "rc=$rc $err"
run --prometheus regions
expect "--prometheus regions" 2 \
	"leakscope: --prometheus shows summary, suspects, procs, cgroups, vmalloc, slab, callsites or all, not 'regions'; try 'leakscope --help'"
run --prometheus --json
expect "--prometheus --json" 2 \
	"leakscope: --prometheus and --json exclude each other; try 'leakscope --help'"
run all
expect "all without --prometheus" 2 \
	"leakscope: 'all' is only for --prometheus; try 'leakscope --help'"
run --prometheus all slab
expect "all and a file" 2 "leakscope: unexpected argument 'slab'; try 'leakscope --help'"

# --- export ---
mkdir "$tmp/tf"
run export --textfile "$tmp/tf"
expect "export" 0 ""
[ -z "$out" ] && ok "export: quiet" || not_ok "export: quiet" "$out"
cmp -s "$tmp/tf/leakscope.prom" "$tmp/all.prom" && ok "export: same as --prometheus" ||
	not_ok "export: same as --prometheus"
valid "export" "$tmp/tf/leakscope.prom"
[ "$(stat -c %a "$tmp/tf/leakscope.prom")" = 644 ] && ok "export: mode 644" ||
	not_ok "export: mode 644" "$(stat -c %a "$tmp/tf/leakscope.prom")"
[ "$(ls -A "$tmp/tf")" = leakscope.prom ] && ok "export: no temporary left" ||
	not_ok "export: no temporary left" "$(ls -A "$tmp/tf")"
run export --textfile="$tmp/tf"
expect "export --textfile=DIR" 0 ""
# Files that cannot be read (no module): the export fails with the reason
# and replaces the previous metrics by leakscope_up 0, so an alert fires
# rather than stale metrics staying on; no temporary is left.
printf '%s\n' '# HELP leakscope_up 1 when the reader read the module'"'"'s files, 0 when it could not (export --textfile says why on stderr).' \
	'# TYPE leakscope_up gauge' 'leakscope_up 0' >"$tmp/down.prom"
LEAKSCOPE_DIR=$tmp/nonexistent run export --textfile "$tmp/tf"
[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q '^leakscope: ' "$tmp/err" &&
	[ "$(ls -A "$tmp/tf")" = leakscope.prom ] && cmp -s "$tmp/tf/leakscope.prom" "$tmp/down.prom" &&
	ok "export without module: exit 1, one line, file says leakscope_up 0" ||
	not_ok "export without module: exit 1, one line, file says leakscope_up 0" \
		"rc=$rc $err $(ls -A "$tmp/tf") $(cat "$tmp/tf/leakscope.prom")"
valid "export without module" "$tmp/tf/leakscope.prom"
LEAKSCOPE_DIR=$tmp/bad run export --textfile "$tmp/tf"
[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && cmp -s "$tmp/tf/leakscope.prom" "$tmp/down.prom" &&
	ok "export of a malformed file: exit 1, leakscope_up 0" ||
	not_ok "export of a malformed file: exit 1, leakscope_up 0" "rc=$rc $err"
run export --textfile "$tmp/tf"
expect "export again once readable" 0 ""
cmp -s "$tmp/tf/leakscope.prom" "$tmp/all.prom" && ok "export again: all metrics back" ||
	not_ok "export again: all metrics back"
# unreadable files and an unwritable directory: the write error is the one told
LEAKSCOPE_DIR=$tmp/nonexistent run export --textfile "$tmp/missing"
expect "export without module to a missing directory" 1 \
	"leakscope: export: cannot write in $tmp/missing: No such file or directory"
run export --textfile "$tmp/missing"
expect "export to a missing directory" 1 \
	"leakscope: export: cannot write in $tmp/missing: No such file or directory"
touch "$tmp/file"
run export --textfile "$tmp/file"
expect "export to a file" 1 "leakscope: export: cannot write in $tmp/file: Not a directory"
if [ "$(id -u)" != 0 ]; then
	mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
	run export --textfile "$tmp/ro"
	expect "export to an unwritable directory" 1 \
		"leakscope: export: cannot write in $tmp/ro: Permission denied"
fi
run export
expect "export without --textfile" 2 "leakscope: export needs --textfile DIR; try 'leakscope --help'"
run export --textfile
expect "--textfile without DIR" 2 \
	"leakscope: option '--textfile' needs a directory; try 'leakscope --help'"
run summary --textfile "$tmp/tf"
expect "--textfile without export" 2 \
	"leakscope: option '--textfile' is only for export; try 'leakscope --help'"
run export --textfile "$tmp/tf" --json
expect "export --json" 2 \
	"leakscope: export writes Prometheus metrics, not --json; try 'leakscope --help'"
run export --textfile "$tmp/tf" slab
expect "export with a file" 2 "leakscope: unexpected argument 'slab'; try 'leakscope --help'"

finish test_cli_prom.sh
