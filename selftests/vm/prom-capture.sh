#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Captures `leakscope --prometheus` over time in the test VM, the material
# of dist/prometheus/leakscope.rules.test.yml (converted on the host by
# selftests/prom/capture2series.py): not a test of /tests, a script for
#
#   selftests/vm/run.sh --kernel VER --script selftests/vm/prom-capture.sh --out DIR
#
# Three phases, each capture printed between "### capture PHASE SEQ" and
# "### end" on the script's output (DIR/VER/output.log):
#
#   nonleak  leakscope with programs that must never be named: memory
#            taken once, a sawtooth, a thread pool, a pre-fork server, a
#            parent that reaps late, ls_leaky churning slab and pages at a
#            flat population;
#   leak     leakscope with the leaks of every kind at once: clone() stacks
#            (thread-stack-leak), clone() stacks without guards
#            (mapping-growth), threads that never exit (thread-growth),
#            children never reaped (zombie-growth), malloc (anon-growth), a
#            tmpfs file (shmem-growth), ls_leaky leaking vmalloc areas, slab
#            objects and pages no counter shows (Unaccounted);
#   down     leakscope unloaded: what `export --textfile` then writes.
#
# Cgroups (cgroup v2, mounted on /sys/fs/cgroup when it is not): in the
# nonleak phase a fixed pool of four ls-repro-flat -s 2048 in /ls-pool and
# the pre-fork server in /ls-prefork, which must never be named; in the
# leak phase each leaking program in a cgroup of its own (/ls-leak-KIND)
# and /ls-grow, which gets one more ls-repro-flat -s 1024 (a worker that
# takes 1 MiB once and stays flat) at every capture: a cgroup whose
# number of workers grows (as selftests/tests/79_cgroups.c).
#
# LS_CAPTURES (default 95: the cgroup rules look at an hour and a half of
# captures, one capture being a minute in the rules' tests) captures per
# phase, LS_CAPTURE_S (default 4) seconds apart, leakscope at
# interval_ms=500 (a 32 s window).  The leak phase holds some 1.5 GiB by
# its end: run the VM with --mem 2560 (and --timeout 1500).
N=${LS_CAPTURES:-95}
GAP=${LS_CAPTURE_S:-4}
KO=${LEAKSCOPE_KO:-/lib/leakscope/leakscope.ko}
LEAKY=${LEAKSCOPE_LEAKY_KO:-/lib/leakscope/ls_leaky.ko}
t=0
pids=

say() { echo "# $*"; }
fail() { t=$((t + 1)); echo "not ok $t - $*"; exit 1; }
pass() { t=$((t + 1)); echo "ok $t - $*"; }
start() { "$@" >/dev/null 2>&1 & pids="$pids $!"; say "started $* (pid $!)"; }
cg_start() {	# cg_start CGROUP PROGRAM ARGS...: PROGRAM in /sys/fs/cgroup/CGROUP
	cg=$1
	shift
	mkdir -p "$CG/$cg" || fail "mkdir $CG/$cg"
	# shellcheck disable=SC2016 # $$ is the inner shell's
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$CG/$cg" "$@" >/dev/null 2>&1 &
	pids="$pids $!"
	say "started $* in $cg (pid $!)"
}
cg_kill() {	# cg_kill CGROUP...: kill what is left in them, remove them
	for cg in "$@"; do
		[ -d "$CG/$cg" ] || continue
		echo 1 >"$CG/$cg/cgroup.kill"
		k=0
		while [ -n "$(cat "$CG/$cg/cgroup.procs")" ] && [ $k -lt 10 ]; do
			sleep 1
			k=$((k + 1))
		done
		rmdir "$CG/$cg" || say "rmdir $CG/$cg failed"
	done
}
stop_all() {
	# shellcheck disable=SC2086 # one word per pid
	[ -n "$pids" ] && kill $pids 2>/dev/null
	for p in $pids; do wait "$p" 2>/dev/null; done
	pids=
}

capture() {	# capture PHASE [GROW]: N captures, GAP seconds apart; with
		# GROW, one more worker in /ls-grow before each
	i=1
	while [ "$i" -le "$N" ]; do
		if [ -n "${2:-}" ]; then
			mkdir -p "$CG/ls-grow" || fail "mkdir $CG/ls-grow"
			sh -c 'echo $$ > "$0/cgroup.procs" && exec ls-repro-flat -s 1024' \
				"$CG/ls-grow" >/dev/null 2>&1 &
			pids="$pids $!"
		fi
		sleep "$GAP"
		echo "### capture $1 $i"
		leakscope --prometheus || fail "$1: leakscope --prometheus failed"
		echo "### end"
		i=$((i + 1))
	done
}

named() { awk '!/^#/ && $1 != "rank" && NF { print $2, $3 }' /sys/kernel/debug/leakscope/suspects; }

say "kernel $(uname -r)"

CG=/sys/fs/cgroup
if ! grep -q "^cgroup2 $CG " /proc/mounts; then
	mkdir -p "$CG"
	mount -t cgroup2 none "$CG" || fail "mount cgroup2 on $CG"
fi
say "cgroup2 on $CG"

# --- nonleak ---
insmod "$KO" interval_ms=500 || fail "insmod leakscope"
insmod "$LEAKY" vm_leak=0 objs_per_tick=0 churn_obj_size=256 churn_pages=1 ||
	fail "insmod ls_leaky (churn only)"
start ls-repro-flat -s 8192
start ls-repro-sawtooth
start ls-repro-threadpool
cg_start ls-prefork ls-repro-prefork
for k in 1 2 3 4; do cg_start ls-pool ls-repro-flat -s 2048; done
start ls-repro-zombie-pile -p 100 -r 800
capture nonleak
n=$(named)
say "nonleak named: ${n:-nothing}"
if [ -n "$n" ]; then fail "nonleak: named $n"; fi
pass "nonleak: nothing named"
stop_all
cg_kill ls-prefork ls-pool
rmmod ls_leaky || fail "rmmod ls_leaky"
rmmod leakscope || fail "rmmod leakscope"
rm -f /dev/shm/ls-grow

# --- leak ---
insmod "$KO" interval_ms=500 || fail "insmod leakscope"
insmod "$LEAKY" leak_pages=1 || fail "insmod ls_leaky (leaking)"
cg_start ls-leak-stacks ls-repro-clone-stack -p 1000 -s 1024
cg_start ls-leak-mapping ls-repro-clone-stack -g -p 300 -s 256
cg_start ls-leak-threads ls-repro-thread-pile -p 300
cg_start ls-leak-zombies ls-repro-zombie-pile -p 300
cg_start ls-leak-malloc ls-repro-malloc-drip -p 500 -s 256
cg_start ls-leak-tmpfs ls-repro-tmpfs-grow -r 256
capture leak grow
say "cgroups at the end of the leak phase:"
leakscope cgroups | sed 's/^/#   /'
n=$(named)
say "leak named:"
echo "$n" | sed 's/^/#   /'
for k in thread-stack-leak mapping-growth thread-growth zombie-growth anon-growth \
		shmem-growth vmalloc-growth slab-growth unaccounted-growth; do
	echo "$n" | grep -q "^$k " && pass "leak: $k named" || echo "# leak: $k not named"
done
stop_all
cg_kill ls-grow ls-leak-stacks ls-leak-mapping ls-leak-threads ls-leak-zombies \
	ls-leak-malloc ls-leak-tmpfs
rmmod ls_leaky || fail "rmmod ls_leaky"
rmmod leakscope || fail "rmmod leakscope"
rm -f /dev/shm/ls-grow

# --- down: the module not loaded ---
mkdir -p /tmp/tf
i=1
while [ "$i" -le 5 ]; do
	sleep "$GAP"
	msg=$(leakscope export --textfile /tmp/tf 2>&1) && fail "down: export succeeded without the module"
	say "export: $msg"
	echo "### capture down $i"
	cat /tmp/tf/leakscope.prom
	echo "### end"
	i=$((i + 1))
done
grep -qx 'leakscope_up 0' /tmp/tf/leakscope.prom || fail "down: no leakscope_up 0"
pass "down: export wrote leakscope_up 0"
