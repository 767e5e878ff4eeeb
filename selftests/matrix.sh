#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make matrix`: every Debian 12 kernel the archive has (6.1.0-* and
# 6.12.*+deb12, flavors amd64, cloud-amd64, rt-amd64), each fetched and
# unpacked into a cache (selftests/kernel-fetch.sh), leakscope and the test
# modules built against it with W=1, and booted under qemu with the smoke
# test: the in-VM tests 92_symbols (every file's header says disabled=-,
# private symbols are data), 90_kernel_leaks (ls_leaky's vmalloc caller and
# slab cache named, its areas orphans named by module after it unloads),
# 91_callsites (call-site tracking armed: ls_leaky's slab leaks named by
# their functions, on PREEMPT_RT too), 70_procs_leaks (thread-stack
# leaks named) and 78_task_leaks (threads, zombies and mappings that pile
# up: a flavour's config shows there, 6.1's rt has no THP), the module
# unloaded after each
# (run.sh), and the console judged by selftests/vm/check.py (WARNING, BUG,
# Oops, lockdep, RCU stalls, "sleeping function called from invalid
# context").  Kernels whose headers the archive no longer has are listed as
# image only: nothing can be built for them.
#
# Usage: selftests/matrix.sh [--check] [--out DIR] [KERNEL...]
#
#   KERNEL   a release, say 6.12.118+deb12-rt-amd64 (default: all of them)
#   --check  the kernels `make check` boots besides its full suites: the
#            oldest generic and the newest rt and cloud of each series
#            (selftests/kernel-fetch.sh pick), less the installed ones the
#            full suites run on
#   --out    logs and results (default build/matrix; with --check
#            build/matrix-check)
#
# One table row per kernel: printed as each finishes, and the table kept in
# OUT/results.md.  The next kernel is fetched while one boots, and two
# boot at once (LS_MATRIX_JOBS=N: N; a boot's seconds then include its
# wait for the other's build).  Logs:
# OUT/logs/VER.fetch.log, OUT/logs/VER.log (run.sh), OUT/vm/VER/ (console,
# test output, build logs).  The last line is "N passed, N failed" over
# the tests of every boot (a kernel that cannot be fetched or built counts
# one failure); the exit status is non-zero when anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
me=${0##*/}
die() { echo "$me: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

check=0
out=
want=()
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1 ;;
	--out) [ $# -ge 2 ] || die "--out needs a directory"; out=$2; shift ;;
	--out=*) out=${1#*=} ;;
	-h|--help) sed -n '/^# Usage:/,/^# One table/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*) want+=("$1") ;;
	esac
	shift
done
[ "$check" = 0 ] || [ ${#want[@]} -eq 0 ] || die "--check picks its kernels: give no KERNEL with it"
[ -n "$out" ] || { [ "$check" = 1 ] && out=build/matrix-check || out=build/matrix; }
[ "$(id -u)" = 0 ] || die "needs root (apt-get update, the kernel cache in /var/cache/leakscope): run it with sudo"
mkdir -p "$out/logs" "$out/vm" || die "cannot create $out"

# The smoke test: these in-VM tests, nothing else (see above).
SMOKE=(--tests '92_*' --tests '90_*' --tests '91_*' --tests '70_*' --tests '78_*')
# What leakscope needs from a kernel's config (module/ says which walker
# goes without each).
NEED_CONFIG=(DEBUG_FS DEBUG_INFO_BTF KPROBES)

t_start=$SECONDS
# LS_NO_APT_UPDATE=1: apt's lists as they are (a run right after another)
if [ -z "${LS_NO_APT_UPDATE:-}" ]; then
	echo "== apt-get update"
	selftests/kernel-fetch.sh update || die "apt-get update failed"
fi
# re VER: VER as a grep pattern ('.' and '+' literal)
re() { local r=${1//./[.]}; echo "${r//+/[+]}"; }
all=$(selftests/kernel-fetch.sh list) || die "cannot list the archive's kernels"

# kernels: what this run covers, in the archive's order (by ABI, so one
# cache root serves its three flavors in turn).
kernels=()
if [ "$check" = 1 ]; then
	picked=$(selftests/kernel-fetch.sh pick) || die "cannot pick the kernels"
	installed=$(selftests/kernels.sh)
	for v in $picked; do
		grep -qxF "$v" <<<"$installed" && continue
		kernels+=("$v")
	done
elif [ ${#want[@]} -gt 0 ]; then
	for v in "${want[@]}"; do
		grep -q "^$(re "$v") " <<<"$all" ||
			die "$v is not a Debian 12 kernel in the archive (selftests/kernel-fetch.sh list shows them)"
		kernels+=("$v")
	done
else
	mapfile -t kernels < <(cut -d' ' -f1 <<<"$all")
fi
has_headers() { grep -q "^$(re "$1") .* headers\$" <<<"$all"; }

rows=()
total_pass=0
total_fail=0
kernels_ok=0
kernels_run=0
date_run=$(date -u '+%Y-%m-%d %H:%M UTC')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain -- Kbuild module selftests 2>/dev/null)" ] || rev="$rev+local changes"

write_results() {
	{
		echo "# leakscope kernel matrix"
		echo
		echo "$date_run, source $rev, $(nproc) CPUs, qemu TCG; $((SECONDS - t_start)) s so far."
		echo "Smoke test per kernel: 92_symbols, 90_kernel_leaks, 91_callsites, 70_procs_leaks (selftests/matrix.sh)."
		echo
		echo "| kernel | flavor | builds | warnings | loads | disabled | leaks named | splat | config lacks | tests | seconds (fetch + build, boot) |"
		echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
		printf '%s\n' "${rows[@]}"
		echo
		echo "$kernels_ok of $kernels_run kernels passed; tests: $total_pass passed, $total_fail failed."
	} >"$out/results.md.tmp" && mv "$out/results.md.tmp" "$out/results.md"
}

# row VER COLUMNS...: one table row (kernel, flavor split off VER).
row() {
	local v=$1 fl abi line
	shift
	case $v in
	*-rt-amd64) fl=rt-amd64 ;;
	*-cloud-amd64) fl=cloud-amd64 ;;
	*) fl=amd64 ;;
	esac
	abi=${v%-"$fl"}
	line="| $abi | $fl |"
	while [ $# -gt 0 ]; do line="$line $1 |"; shift; done
	rows+=("$line")
	echo "== row: $line"
	write_results
}

# Fetching runs ahead, in the background, while the previous kernel boots.
declare -A fpid
fetch_start() {
	local v=$1
	[ -n "$v" ] && has_headers "$v" && [ -z "${fpid[$v]:-}" ] || return 0
	(
		t0=$SECONDS
		selftests/kernel-fetch.sh fetch "$v"
		echo "rc=$? secs=$((SECONDS - t0))"
	) >"$out/logs/$v.fetch.log" 2>&1 &
	fpid[$v]=$!
}

# cell TEXT: a table cell (no pipes, no newlines, not too long).
cell() { tr '|\n' '/ ' <<<"$1" | sed 's/ *$//' | cut -c1-70; }

# Two kernels boot at once (LS_MATRIX_JOBS): a smoke test mostly waits
# for samples, so two VMs share a 2-core host.  Their run.sh builds and
# packs one at a time (its lock), then boots beside the other; a row is
# made once its kernel is done, in the archive's order.
jobs=${LS_MATRIX_JOBS:-2}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "LS_MATRIX_JOBS=$jobs is not a positive number"
declare -A rpid rt0 lacks_of fsecs_of

# launch VER ROOT: its run.sh in the background; finish makes its row.
launch() {
	local v=$1 root=$2
	rm -rf "${out:?}/vm/$v"	# no row from an older run's logs
	rt0[$v]=$SECONDS
	selftests/vm/run.sh --kernel-tree "$v=$root" --make-arg W=1 "${SMOKE[@]}" \
		--timeout 600 --out "$out/vm" >"$out/logs/$v.log" 2>&1 &
	rpid[$v]=$!
}

# finish VER: waits for its run.sh, shows its output, makes its row.
finish() {
	local v=$1 log=$out/logs/$1.log vm=$out/vm/$1 secs p f builds warnings
	local loaded loads disabled named o splat
	wait "${rpid[$v]}"
	secs=$((SECONDS - rt0[$v]))
	unset "rpid[$v]"
	sed '/^== summary/,$d; s/^/  /' "$log"

	p=$(tail -n 1 "$log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')
	f=$(tail -n 1 "$log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
	[ -n "$p" ] || { p=0; f=1; }
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	[ "$f" = 0 ] && kernels_ok=$((kernels_ok + 1))

	if grep -q 'userspace build failed' "$log"; then
		builds="no: userspace"
	elif grep -q 'module build failed\|test module build failed' "$log"; then
		builds=no
	else
		builds=yes
	fi
	warnings=$(cat "$vm/build.log" "$vm/kmod-build.log" 2>/dev/null | grep -c 'warning:')
	loaded=$(grep -m1 'leakscope: loaded: ' "$vm/console.log" 2>/dev/null)
	if [ -n "$loaded" ]; then
		loads=yes
		disabled=$(sed -n 's/.* disabled=\([^ ]*\).*/\1/p' <<<"$loaded")
	else
		loads=no
		disabled=-
	fi
	# What leakscope was to name, by the lines the tests print once it
	# did (a test may fail on something else after): ls_leaky's vmalloc
	# caller and cache, its areas as orphans (90_kernel_leaks), its slab
	# leaks' functions with track=all and auto (91_callsites), the
	# thread-stack leaks of clone-stack and pthread-nojoin (70_procs_leaks).
	named=
	o=$vm/output.log
	grep -q '^# vmalloc-growth named after ' "$o" 2>/dev/null || named="$named vmalloc+slab"
	grep -q '^# orphan row, vmalloc-orphan suspect ' "$o" 2>/dev/null || named="$named orphans"
	[ "$(grep -cE '^# interval_ms=500 track=(all|auto): both leaks named after ' "$o" 2>/dev/null)" = 2 ] ||
		named="$named callsites"
	[ "$(grep -cE '^# (clone-stack|pthread-nojoin) +thread-stack-leak +named after ' "$o" 2>/dev/null)" = 2 ] ||
		named="$named thread-stacks"
	if [ "$builds" != yes ] || [ "$loads" = no ]; then
		named=-
	elif [ -n "$named" ]; then
		named="not:$named"
	else
		named=yes
	fi
	splat=-
	if grep -q 'splat line(s) on the console' "$log"; then
		splat=$(grep -m1 -E '^ +>> +[0-9]+: ' "$log" | sed -E 's/^ +>> +[0-9]+: (\[ *[0-9.]+\] )?//')
		splat=$(cell "${splat:-yes}")
	fi
	row "$v" "$builds" "$warnings" "$loads" "$(cell "$disabled")" "$named" "$splat" \
		"${lacks_of[$v]:--}" "$p passed, $f failed" "${fsecs_of[$v]} + $secs"
}

n=${#kernels[@]}
running=()	# kernels whose run.sh is under way, oldest first
for ((i = 0; i < n; i++)); do
	v=${kernels[i]}
	if ! has_headers "$v"; then
		row "$v" "image only" - - - - - - - -
		continue
	fi
	kernels_run=$((kernels_run + 1))
	fetch_start "$v"
	echo "== $v: fetching"
	wait "${fpid[$v]}"
	for ((j = i + 1; j < n; j++)); do
		has_headers "${kernels[j]}" && { fetch_start "${kernels[j]}"; break; }
	done
	flog=$out/logs/$v.fetch.log
	fsecs=$(sed -n 's/^rc=0 secs=//p' "$flog")
	root=$(awk -v v="$v" '$1 == v { print $2 }' "$flog")
	if [ -z "$fsecs" ] || [ -z "$root" ]; then
		sed 's/^/  /' "$flog"
		row "$v" "no: fetch failed" - - - - - - "1 failed" -
		total_fail=$((total_fail + 1))
		continue
	fi

	lacks=
	for o in "${NEED_CONFIG[@]}"; do
		grep -qx "CONFIG_$o=y" "$root/boot/config-$v" || lacks="$lacks CONFIG_$o"
	done
	lacks_of[$v]=${lacks# }
	fsecs_of[$v]=$fsecs

	if [ ${#running[@]} -ge "$jobs" ]; then
		finish "${running[0]}"
		running=("${running[@]:1}")
	fi
	echo "== $v: building and booting (its output when it is done)"
	launch "$v" "$root"
	running+=("$v")
done
for v in "${running[@]}"; do
	finish "$v"
done
wait

echo
echo "== results ($out/results.md)"
sed -n '/^| kernel/,$p' "$out/results.md"
echo "matrix: $kernels_ok of $kernels_run kernels passed in $((SECONDS - t_start)) s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
