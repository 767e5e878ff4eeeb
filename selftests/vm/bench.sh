#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`, inside one VM boot: populations of 500, 2,000 and 8,000
# processes with 50 regions each.  At 2,000: the same per-process answer
# read through procfs and through leakscope's procs file, side by side,
# and the sampler's own cost; then vmalloc by caller and slab caches
# against /proc/vmallocinfo and /proc/slabinfo (2,000 processes mean
# 2,000 vmalloc'd kernel stacks).  At each: one row of the scaling table.
# Numbers are under qemu TCG: compare the ratios, not the milliseconds.

BENCH_POPULATIONS=${BENCH_POPULATIONS:-500 2000 8000}
table=/tmp/scaling.txt

nr_procs() {
	n=0
	for d in /proc/[0-9]*; do
		[ -d "$d" ] && n=$((n + 1))
	done
	echo "$n"
}

# populate N: start N processes of 50 regions, wait until all are there.
populate() {
	ls-bench-spawn "$1" 50 >/tmp/spawn.out 2>&1 &
	spawner=$!
	i=0
	until grep -q ready /tmp/spawn.out 2>/dev/null; do
		sleep 1
		i=$((i + 1))
		[ $i -lt 900 ] || { echo "bench: population of $1 never got ready"; exit 1; }
	done
	cat /tmp/spawn.out
	# The sampler's cost is an average over about the last 8 samples:
	# let the spawning storm fall out of it, and the walk settle on its
	# slice size (a pass over 8,000 processes takes a few samples).
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
}

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
echo "processes  sample_ms    CPU  us/process  procfs_ms  procs_ms   ratio  self_kb  pass"
cat "$table"
rmmod leakscope
