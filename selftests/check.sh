#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every stage in turn, each one's TAP kept under build/check/,
# and one closing line "N passed, N failed" over all of them.  A stage that
# dies without reporting its tests counts as one failure, so a broken
# stage can never pass silently.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=build/check
mkdir -p "$out"
kernels=$(selftests/kernels.sh)
if [ -z "$kernels" ]; then
	echo "check: no Debian 6.1/6.12 kernel with headers installed: run 'make deps'" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

total_pass=0
total_fail=0

# stage NAME COMMAND...: run it, show its output, count its TAP results.
stage() {
	local name=$1 log=$out/$1.log pass fail rc
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# Top-level TAP results of every binary, or a runner's own tally.
	if grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log"; then
		pass=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | cut -d' ' -f1)
		fail=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | cut -d' ' -f3)
	else
		pass=$(grep -cE '^ok [0-9]+' "$log")
		fail=$(grep -cE '^not ok [0-9]+' "$log")
	fi
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		echo "check: stage $name exited $rc without a failed test: counted as a failure"
		fail=1
	fi
	if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then
		echo "check: stage $name ran no test: counted as a failure"
		fail=1
	fi
	echo "=== $name: $pass passed, $fail failed"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
}

# shellcheck disable=SC2086 # one word per kernel
stage lint selftests/lint.sh $kernels
stage unit make -s -C selftests/unit check
stage reader make -s -C selftests/unit/reader check
# The alerting rules (promtool check/test rules against captures of real
# output) and the Grafana dashboard: promtool missing is a failure.
stage prom selftests/prom/check.sh
stage fuzz make -s -C selftests/fuzz check
vm_args=()
for k in $kernels; do
	vm_args+=(--kernel "$k")
done
# Both kernels boot at once: their tests mostly wait for samples (a stock
# kernel's VM keeps a host CPU 5-15% busy), so the stage takes about the
# time of one.  A boot took 720 s alone on a slow host: room for two.
# The debug kernel's suite below stays alone: KASAN and lockdep keep its
# VM busy, and 98_stress there runs close to its cap.
stage vm selftests/vm/run.sh --timeout 1500 --jobs 2 "${vm_args[@]}"
# `make demo`, the README's front door, as make demo runs it (the newest
# kernel): it fails unless the leak and nothing else is named.
stage demo selftests/vm/run.sh --kernel "$(echo "$kernels" | tail -n 1)" \
	--script selftests/vm/demo.sh --timeout 300 --out build/check/demo-vm
# The smoke test of `make matrix` on the oldest generic kernel and the
# newest rt-amd64 and cloud-amd64 of each series, picked from the archive
# on the day it runs (selftests/kernel-fetch.sh pick): about a minute each.
stage kernels selftests/matrix.sh --check
stage dkms selftests/dkms-test.sh
stage deb selftests/deb-chroot-test.sh
# KUnit suites on the debug test kernel (built once, then cached), then the
# whole VM suite again on that kernel: lockdep, KASAN and kmemleak watch
# every walker while the tests run.
stage kunit selftests/kunit/run.sh
# Its suite took 1,750 s on one day and would have taken over 1,900 on a
# slower host the next (2026-12-07): room for that.
debug_kernel() {
	local dir
	dir=$(selftests/kernel/build-test-kernel.sh --variant debug) || return 1
	selftests/vm/run.sh --test-kernel "$dir" --timeout 2700
}
stage vm-debug debug_kernel
# The same kernel booted locked down (lockdown=integrity), as Secure Boot
# boots Debian, its modules signed by run.sh: the signed modules load, an
# unsigned one is refused, every read-only file works, control is refused
# (99_lockdown), and a leak is found through the read-only files alone
# (50_shmem).  The other tests use control, which lockdown forbids.
lockdown_kernel() {
	local dir
	dir=$(selftests/kernel/build-test-kernel.sh --variant debug) || return 1
	selftests/vm/run.sh --test-kernel "$dir" --append lockdown=integrity \
		--tests '50_*' --tests '99_*' --out build/vm-lockdown --timeout 600
}
stage vm-lockdown lockdown_kernel

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
