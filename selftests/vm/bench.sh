#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`, inside one VM boot: populations of 500, 2,000 and 8,000
# processes with 50 regions each.  At 2,000: the same per-process answer
# read through procfs and through leakscope's procs file, side by side,
# and the sampler's own cost; then vmalloc by caller and slab caches
# against /proc/vmallocinfo and /proc/slabinfo (2,000 processes mean
# 2,000 vmalloc'd kernel stacks).  At each: one row of the scaling table.
# The processes live in cgroups of ten (2,000 in 200), as services and
# containers hold them on a fleet, so the sampler's cost includes what
# the cgroups file sums.
# Numbers are under qemu TCG: compare the ratios, not the milliseconds.
#
# First, on the fresh boot, what call-site tracking costs (track_bench):
# ls_allocbench.ko's allocation loops with leakscope not loaded, with
# ls_emptyprobe.ko's probes that do nothing on the same events (the floor
# of any tracepoint-based tracker), leakscope loaded with track=off,
# track=auto armed for ls_leaky.ko's own cache alone, and track=all, in BENCH_TRACK_LOADS loads of leakscope one after the other;
# a fork/exec/pipe workload with track=off and all, alternating, over
# BENCH_FORKEXEC_ROUNDS rounds; the tracker's memory.
#
# LS_BENCH_ONLY (make bench BENCH_ONLY=..., on the kernel command line):
# `track` runs only that part, `procs` only the rest; empty, everything.

BENCH_POPULATIONS=${BENCH_POPULATIONS:-500 2000 8000}
BENCH_TRACK_LOADS=${BENCH_TRACK_LOADS:-3}
BENCH_FORKEXEC_ROUNDS=${BENCH_FORKEXEC_ROUNDS:-5}
BENCH_FORKEXEC_CHILDREN=${BENCH_FORKEXEC_CHILDREN:-200}
BENCH_FORKEXEC_BYTES=${BENCH_FORKEXEC_BYTES:-16384}
ALLOCBENCH_KO=${ALLOCBENCH_KO:-/lib/leakscope/ls_allocbench.ko}
EMPTYPROBE_KO=${EMPTYPROBE_KO:-/lib/leakscope/ls_emptyprobe.ko}
only=${LS_BENCH_ONLY:-}
table=/tmp/scaling.txt
ls_dir=/sys/kernel/debug/leakscope
tdir=/tmp/track

nr_procs() {
	n=0
	for d in /proc/[0-9]*; do
		[ -d "$d" ] && n=$((n + 1))
	done
	echo "$n"
}

cgroot=/sys/fs/cgroup
cgdir=$cgroot/ls-bench

# populate N: start N processes of 50 regions, in N/10 cgroups under
# $cgdir; wait until all are there.
populate() {
	if ! awk -v d="$cgroot" '$2 == d && $3 == "cgroup2" { f = 1 } END { exit !f }' /proc/mounts; then
		{ mkdir -p "$cgroot" && mount -t cgroup2 none "$cgroot"; } ||
			{ echo "bench: cannot mount cgroup2 on $cgroot"; exit 1; }
	fi
	mkdir -p "$cgdir" || { echo "bench: cannot make $cgdir"; exit 1; }
	ls-bench-spawn "$1" 50 $(($1 / 10)) "$cgdir" >/tmp/spawn.out 2>&1 &
	spawner=$!
	i=0
	until grep -q ready /tmp/spawn.out 2>/dev/null; do
		sleep 1
		i=$((i + 1))
		[ $i -lt 900 ] || { echo "bench: population of $1 never got ready"; exit 1; }
		kill -0 "$spawner" 2>/dev/null ||
			{ cat /tmp/spawn.out; echo "bench: ls-bench-spawn $1 failed"; exit 1; }
	done
	cat /tmp/spawn.out
	settle "$1"
}

# procs_rows: the processes the procs file lists.
procs_rows() {
	awk '!/^#/ && $1 != "pid" { n++ } END { print n + 0 }' "$ls_dir/procs"
}

# settle N: what the sampler costs once it knows the processes.  A
# process's first visit walks every VMA it has; a pass over thousands of
# new ones takes many samples (the walk gets what the sample's budget
# leaves, at least 64 processes), and they cost more than every later
# visit.  Wait for the pass that meets all N, then for the average over
# about the last 8 samples to forget it.
settle() {
	i=0
	while [ "$(procs_rows)" -lt "$1" ] && [ $i -lt 120 ]; do
		sleep 5
		i=$((i + 1))
	done
	if [ $i -lt 120 ]; then
		echo "settled: procs lists all $1 after $((i * 5)) s, pass_samples=$(header_word procs pass_samples)"
	else
		echo "bench: procs lists $(procs_rows) of $1 processes after 600 s"
	fi
	sleep 30
}

depopulate() {
	kill "$spawner"
	wait "$spawner" 2>/dev/null
	base=$1
	i=0
	while [ "$(nr_procs)" -gt "$base" ] && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	rmdir "$cgdir"/g* 2>/dev/null
}

load() {
	cut -d' ' -f1-3 /proc/loadavg
}

# header_word FILE KEY: KEY's value in FILE's header line.
header_word() {
	head -n 1 "$ls_dir/$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# auto_set MARK: what auto last said it arms for, in dmesg past line MARK.
auto_set() {
	dmesg | tail -n +$(($1 + 1)) |
		sed -n 's/.*leakscope: track: auto: [0-9]* caches wanted: *//p' |
		tail -n 1
}

# ab_read CONFIG LOAD: one run of ls_allocbench's loops, kept in ab.txt as
# "CONFIG LOAD OP MEDIAN" and said in one line.
ab_read() {
	cat /sys/kernel/debug/ls_allocbench/run >"$tdir/ab.out" || {
		echo "bench: ls_allocbench run failed ($1)"
		return 1
	}
	awk -v c="$1" -v l="$2" 'NR > 2 { print c, l, $1, $2 }' \
		"$tdir/ab.out" >>"$tdir/ab.txt"
	printf '%-5s load %d: %s  (VM load %s)\n' "$1" "$2" \
		"$(awk 'NR > 2 { printf "%s %s  ", $1, $2 }' "$tdir/ab.out")" "$(load)"
}

# The table: per op, the median over the loads of each config's median,
# and the ratios against off.
ab_table() {
	awk -v loads="$BENCH_TRACK_LOADS" '
	function median(s,    n, a, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n ? a[int((n + 1) / 2)] : ""
	}
	function cell(v) { return v == "" ? "-" : sprintf("%.1f", v) }
	function ratio(a, b) { return (a == "" || b == "") ? "-" : sprintf("%.3fx", a / b) }
	function verdict(r, lim) {
		if (r == "-")
			return "-"
		return (r + 0 <= lim) ? "ok" : "MISSED"
	}
	{
		if (!($3 in seen)) { seen[$3] = 1; ops[++nops] = $3 }
		v[$1, $3] = v[$1, $3] " " $4
	}
	END {
		printf "%-12s %8s %8s %8s %8s %8s  %9s %8s %8s %8s  %s\n", "op",
			"none", "empty", "off", "auto", "all", "empty/none",
			"off/none", "auto/off", "all/off", "all target"
		for (i = 1; i <= nops; i++) {
			o = ops[i]
			n = median(v["none", o]); f = median(v["off", o])
			e = median(v["empty", o])
			a = median(v["auto", o]); l = median(v["all", o])
			lim = o == "pages" ? 1.40 : 1.25
			printf "%-12s %8s %8s %8s %8s %8s  %9s %8s %8s %8s  <=%.2fx %s\n", o,
				cell(n), cell(e), cell(f), cell(a), cell(l),
				ratio(e, n), ratio(f, n), ratio(a, f), ratio(l, f), lim,
				verdict(ratio(l, f), lim)
		}
	}' "$tdir/ab.txt"
}

track_bench() {
	mkdir -p "$tdir"
	: >"$tdir/ab.txt"
	: >"$tdir/fe.txt"
	echo "== tracking: what call-site tracking costs (VM load $(load))"
	insmod "$ALLOCBENCH_KO" || { echo "bench: cannot load $ALLOCBENCH_KO"; return 1; }
	# One other cache that grows, for auto to arm: ls_leaky_cache alone
	# (512-byte objects, 320 kB a second), no vmalloc leak.
	insmod "$LEAKSCOPE_LEAKY_KO" vm_leak=0 obj_size=512 objs_per_tick=64 ||
		{ echo "bench: cannot load $LEAKSCOPE_LEAKY_KO"; rmmod ls_allocbench; return 1; }
	# A first run that counts for nothing: caches and page lists warm.
	cat /sys/kernel/debug/ls_allocbench/run >/dev/null
	auto_ok=0
	l=1
	while [ $l -le "$BENCH_TRACK_LOADS" ]; do
		ab_read none "$l" || break
		insmod "$EMPTYPROBE_KO" || { echo "bench: cannot load $EMPTYPROBE_KO"; break; }
		ab_read empty "$l"
		rmmod ls_emptyprobe
		mark=$(dmesg | wc -l)
		insmod "$LEAKSCOPE_KO" interval_ms=1000 track=off || break
		sleep 2
		ab_read off "$l"
		echo track=auto >"$ls_dir/control"
		i=0
		while [ "$(auto_set "$mark")" != ls_leaky_cache ] && [ $i -lt 120 ]; do
			sleep 1
			i=$((i + 1))
		done
		if [ "$(auto_set "$mark")" = ls_leaky_cache ]; then
			ab_read auto "$l"
			after=$(auto_set "$mark")
			if [ "$after" = ls_leaky_cache ]; then
				auto_ok=$((auto_ok + 1))
				echo "auto  load $l: armed for ls_leaky_cache alone, $i s after track=auto, throughout"
			else
				echo "auto  load $l: auto's set changed while measuring, to: $after"
			fi
		else
			echo "auto  load $l: not armed for ls_leaky_cache alone after $i s (last said: '$(auto_set "$mark")'): no auto figure"
		fi
		echo track=all >"$ls_dir/control"
		sleep 1
		ab_read all "$l"
		rmmod leakscope
		l=$((l + 1))
	done

	# fork/exec/pipe: off and all alternate, which goes first too.
	insmod "$LEAKSCOPE_KO" interval_ms=1000 track=off || return 1
	ls-bench-forkexec "$BENCH_FORKEXEC_CHILDREN" "$BENCH_FORKEXEC_BYTES" >/dev/null
	r=1
	while [ $r -le "$BENCH_FORKEXEC_ROUNDS" ]; do
		if [ $((r % 2)) = 1 ]; then order="off all"; else order="all off"; fi
		for m in $order; do
			echo "track=$m" >"$ls_dir/control"
			sleep 1
			ms=$(ls-bench-forkexec "$BENCH_FORKEXEC_CHILDREN" "$BENCH_FORKEXEC_BYTES" |
				awk '{ print $(NF - 1) }')
			echo "$m $ms" >>"$tdir/fe.txt"
			echo "forkexec round $r track=$m: $ms ms  (VM load $(load))"
		done
		r=$((r + 1))
	done
	echo track=all >"$ls_dir/control"
	sleep 2
	all_self=$(header_word callsites self_kb)
	all_table=$(header_word callsites table_kb)
	all_records=$(header_word callsites records)
	echo track=off >"$ls_dir/control"
	sleep 2
	off_self=$(header_word callsites self_kb)
	rmmod leakscope
	rmmod ls_leaky
	rmmod ls_allocbench

	echo "== tracking: ns per allocation and free, ls_allocbench (median over $BENCH_TRACK_LOADS loads of the median of each load's rounds)"
	ab_table
	echo "auto: armed for ls_leaky_cache alone in $auto_ok of $BENCH_TRACK_LOADS loads (auto/off: other caches, target <=1.05x; pages are not tracked)"
	echo "== tracking: fork/exec/pipe, $BENCH_FORKEXEC_CHILDREN children, $BENCH_FORKEXEC_BYTES bytes each way (median of $BENCH_FORKEXEC_ROUNDS rounds)"
	awk '
	function median(s,    n, a, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n ? a[int((n + 1) / 2)] : ""
	}
	{ v[$1] = v[$1] " " $2 }
	END {
		f = median(v["off"]); a = median(v["all"])
		if (f == "" || a == "")
			exit
		printf "off %.1f ms  all %.1f ms  all/off %.3fx  target <=1.02x %s\n",
			f, a, a / f, a / f <= 1.02 ? "ok" : "MISSED"
	}' "$tdir/fe.txt"
	echo "== tracking: memory: table_kb=$all_table (records=$all_records) self_kb=$all_self with track=all, self_kb=$off_self with track=off"
}

if [ -n "$only" ] && [ "$only" != track ] && [ "$only" != procs ]; then
	echo "bench: LS_BENCH_ONLY='$only': track or procs"
	exit 1
fi
if [ "$only" != procs ]; then
	track_bench || exit 1
	[ "$only" = track ] && exit 0
fi

insmod "$LEAKSCOPE_KO" interval_ms=1000 || exit 1
base=$(nr_procs)
: >"$table"
for n in $BENCH_POPULATIONS; do
	populate "$n"
	if [ "$n" = 2000 ]; then
		echo "== procs: procfs route vs leakscope (same boot)"
		ls-bench-procfs 5
		echo "== vmalloc and slab: procfs route vs leakscope (same boot)"
		ls-bench-kernel 9
	fi
	ls-bench-procfs --row 3 >>"$table"
	depopulate "$base"
done
echo "== scaling: the sampler at interval_ms=1000, procs read, leakscope's memory"
echo "processes  sample_ms    CPU  us/process  procfs_ms  procs_ms   ratio  self_kb   pass   of_procfs"
cat "$table"
rmmod leakscope
