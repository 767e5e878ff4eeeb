#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`, inside one VM boot: 2,000 processes with 50 regions each,
# then the same per-process answer read through procfs and through
# leakscope's procs file, side by side, and the sampler's own cost; then
# vmalloc by caller and slab caches against /proc/vmallocinfo and
# /proc/slabinfo (2,000 processes mean 2,000 vmalloc'd kernel stacks).
# Numbers are under qemu TCG: compare the ratios, not the milliseconds.

insmod "$LEAKSCOPE_KO" interval_ms=1000 || exit 1
ls-bench-spawn 2000 50 >/tmp/spawn.out 2>&1 &
spawner=$!
i=0
until grep -q ready /tmp/spawn.out 2>/dev/null; do
	sleep 1
	i=$((i + 1))
	[ $i -lt 600 ] || { echo "bench: population never got ready"; exit 1; }
done
cat /tmp/spawn.out
# The sampler's cost is an average over about the last 8 samples: let the
# spawning storm fall out of it, and the walk settle on its slice size.
sleep 20
echo "== procs: procfs route vs leakscope (same boot)"
ls-bench-procfs 5
echo "== vmalloc and slab: procfs route vs leakscope (same boot)"
ls-bench-kernel 9
kill "$spawner"
wait "$spawner" 2>/dev/null
rmmod leakscope
