#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks, as TAP: checkpatch --strict on every kernel source file,
# and a W=1 build with sparse (C=1) on each kernel given, of the module and
# of the test-only modules (selftests/kmod), which must print no warning at
# all.
#
# Usage: selftests/lint.sh KERNEL_VERSION...
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/lint
mkdir -p "$out"
"$top/selftests/kernel-files.sh" "$top/build/ksft" || exit 1

kernel_sources=("$top"/module/*.[ch])
# The KUnit suites are kernel code too, and so are the fixtures they
# share with the host unit tests (ls_fixtures.h).
[ -d "$top/selftests/kunit" ] && kernel_sources+=("$top"/selftests/kunit/*.[ch])
# Test-only kernel modules, when there are any, are kernel code too.
kmod=0
if [ -d "$top/selftests/kmod" ]; then
	kernel_sources+=("$top"/selftests/kmod/*.[ch])
	[ -f "$top/selftests/kmod/Kbuild" ] && kmod=1
fi
# Not what kbuild generates (NAME.mod.c): an in-tree `make` leaves those.
mapfile -t kernel_sources < <(printf '%s\n' "${kernel_sources[@]}" | grep -v '\.mod\.c$')

n=0
failed=0
report() {		# report OK|FAIL NAME LOGFILE
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n $2"
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
		sed 's/^/# /' "$3" | head -n 60
	fi
}

echo "TAP version 13"
echo "1..$((1 + $# * (1 + kmod)))"

log=$out/checkpatch.log
(cd "$top" && perl build/ksft/checkpatch.pl --strict --no-tree --quiet \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	-f "${kernel_sources[@]#"$top"/}") >"$log" 2>&1
if [ -s "$log" ]; then
	report FAIL "checkpatch --strict" "$log"
else
	report OK "checkpatch --strict" "$log"
fi

# lint_build TREE KVER LOG SOURCE...: copy the sources into a fresh build
# tree and build them, W=1 C=1; anything a compiler or sparse says is a
# finding.
lint_build() {
	local src=$1 kver=$2 log=$3 rc
	shift 3
	rm -rf "$src"
	mkdir -p "$src"
	cp -r "$@" "$src/"
	make -C "/lib/modules/$kver/build" M="$src" W=1 C=1 modules >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -E 'warning:|error:|: sparse:' "$log" | grep -q .; then
		return 1
	fi
	return 0
}

for kver in "$@"; do
	log=$out/build-$kver.log
	if lint_build "$out/$kver" "$kver" "$log" "$top/Kbuild" "$top/module"; then
		report OK "W=1 C=1 build on $kver" "$log"
	else
		report FAIL "W=1 C=1 build on $kver" "$log"
	fi
	[ $kmod = 1 ] || continue
	log=$out/build-kmod-$kver.log
	if lint_build "$out/kmod-$kver" "$kver" "$log" "$top"/selftests/kmod/Kbuild \
			"$top"/selftests/kmod/*.[ch]; then
		report OK "W=1 C=1 build of selftests/kmod on $kver" "$log"
	else
		report FAIL "W=1 C=1 build of selftests/kmod on $kver" "$log"
	fi
done
[ $failed -eq 0 ]
