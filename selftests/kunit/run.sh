#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leakscope's KUnit suites on the debug test kernel: build (or reuse) the
# kernel, boot it with leakscope_kunit.ko (selftests/vm/run.sh --test-kernel
# --script vm-kunit.sh), then judge each suite's KTAP, read in the VM from
# /sys/kernel/debug/kunit/SUITE/results, with the kernel's own kunit.py,
# one suite at a time (kunit.py parse reads only the first KTAP block).
#
# Usage: selftests/kunit/run.sh [--test-kernel DIR] [--timeout SECONDS]
#
#   --test-kernel DIR  a kernel from selftests/kernel/build-test-kernel.sh;
#                      default: build-test-kernel.sh --variant debug
#
# Output: one TAP line per test case (suite.case), the VM runner's output
# as "# " comments, and a last line "N passed, N failed".  A suite that is
# missing, a console splat (KASAN, lockdep, kmemleak, WARN...) or a VM that
# failed counts as a failure.  Logs: build/kunit/ (VM logs in vm/LABEL/,
# each suite's KTAP and kunit.py's verdict in suites/).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/selftests/kunit
OUT=$ROOT/build/kunit
KT=$ROOT/build/ksft-kunit/tools/testing/kunit
me=${0##*/}

dir=
timeout_s=900
while [ $# -gt 0 ]; do
	case $1 in
	--test-kernel) [ $# -ge 2 ] || { echo "$me: --test-kernel needs a directory" >&2; exit 2; }
		dir=$2; shift ;;
	--test-kernel=*) dir=${1#*=} ;;
	--timeout) [ $# -ge 2 ] || { echo "$me: --timeout needs seconds" >&2; exit 2; }
		timeout_s=$2; shift ;;
	--timeout=*) timeout_s=${1#*=} ;;
	-h|--help) sed -n '/^# Usage:/,/^# each suite/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "$me: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done

pass=0
fail=0
n=0
tap() {			# tap ok|not-ok NAME [COMMENT]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok $n $2"
	else
		fail=$((fail + 1))
		echo "not ok $n $2${3:+ # $3}"
	fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

mkdir -p "$OUT"
if [ -z "$dir" ]; then
	t0=$(date +%s)
	echo "# building (or reusing) the debug test kernel"
	if ! dir=$("$ROOT/selftests/kernel/build-test-kernel.sh" --variant debug); then
		tap not-ok "test kernel build"
		finish
	fi
	echo "# test kernel: $dir ($(($(date +%s) - t0)) s)"
fi
[ -f "$dir/info" ] || { tap not-ok "test kernel $dir" "no info: not from build-test-kernel.sh"; finish; }

# The kernel's own kunit.py, from the same source as the kernel.  It only
# works from a path that ends in tools/testing/kunit.
if [ ! -f "$KT/kunit.py" ]; then
	rm -rf "$KT"
	mkdir -p "$(dirname "$KT")"
	if [ -f "$dir/build/source/tools/testing/kunit/kunit.py" ]; then
		cp -r "$dir/build/source/tools/testing/kunit" "$KT"
	else
		tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
		tar -xJf "$tarball" -C "$ROOT/build/ksft-kunit" --strip-components=1 \
			linux-source-6.12/tools/testing/kunit || rm -rf "$KT"
	fi
fi
[ -f "$KT/kunit.py" ] || { tap not-ok "kunit.py" "not found in the kernel source"; finish; }

# Suites the module must have run: every one its sources register.
mapfile -t want < <(sed -n 's/^[[:space:]]*\.name = "\(leakscope_[a-z_]*\)",$/\1/p' "$HERE"/*.c | sort -u)
[ ${#want[@]} -gt 0 ] || { tap not-ok "suite list" "no .name = \"leakscope_...\" in $HERE"; finish; }

rm -rf "$OUT/vm" "$OUT/suites"
mkdir -p "$OUT/vm" "$OUT/suites"
# Loading KUnit tests taints the kernel N (TAINT_TEST), as it should.
LS_VM_ALLOW_TAINT=N "$ROOT/selftests/vm/run.sh" --test-kernel "$dir" --script "$HERE/vm-kunit.sh" \
	--timeout "$timeout_s" --out "$OUT/vm" 2>&1 | sed -u 's/^/# /'
vm_rc=${PIPESTATUS[0]}
logs=("$OUT"/vm/test-*/output.log)
log=${logs[0]}
if [ ! -f "$log" ]; then
	tap not-ok "VM run" "no output log (runner exit status $vm_rc)"
	finish
fi

for s in "${want[@]}"; do
	ktap=$OUT/suites/$s.ktap
	awk -v s="$s" '$0 == "### kunit-suite BEGIN " s { on = 1; next }
		$0 == "### kunit-suite END " s { on = 0 } on' "$log" >"$ktap"
	if [ ! -s "$ktap" ]; then
		tap not-ok "$s" "no results in /sys/kernel/debug/kunit/$s"
		continue
	fi
	(cd "$KT" && PYTHONDONTWRITEBYTECODE=1 python3 kunit.py parse \
		--json="$OUT/suites/$s.json" "$ktap") >"$OUT/suites/$s.parse" 2>&1
	rc=$?
	sed 's/^/# /' "$OUT/suites/$s.parse" | grep -E 'FAILED|CRASHED|Testing complete|rror'
	# One TAP line per case, from kunit.py's JSON.
	cases=$(python3 - "$OUT/suites/$s.json" <<'EOF'
import json, sys
try:
    top = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    sys.exit(0)
def walk(g, prefix):
    for c in g.get('test_cases', []):
        print(c['status'], prefix + c['name'])
    for sub in g.get('sub_groups', []):
        walk(sub, sub['name'] + '.')
walk(top, '')
EOF
)
	if [ -z "$cases" ]; then
		tap not-ok "$s" "kunit.py found no test case (exit status $rc)"
		continue
	fi
	while read -r status name; do
		case $status in
		PASS) tap ok "$name" ;;
		SKIP) n=$((n + 1)); echo "ok $n $name # SKIP" ;;
		*) tap not-ok "$name" "$status" ;;
		esac
	done <<<"$cases"
	if [ "$rc" -ne 0 ] && ! grep -q FAIL <<<"$cases"; then
		tap not-ok "$s" "kunit.py parse exited $rc"
	fi
done
# A leakscope suite that ran but is not in the list above is a stale
# module or a typo: it would be judged by nobody.
while read -r f; do
	printf '%s\n' "${want[@]}" | grep -qxF "$f" || tap not-ok "$f" "unexpected suite"
done < <(sed -n 's/^### kunit-suite BEGIN //p' "$log")
grep '^### kunit-error' "$log" | sed 's/^### kunit-error /# /'
if grep -q '^### kunit-error' "$log"; then
	tap not-ok "kunit module load/unload" "$(sed -n 's/^### kunit-error //p' "$log" | head -n 1)"
fi
# The VM runner judged the console (KASAN, lockdep, kmemleak, WARN, ...).
if [ "$vm_rc" -eq 0 ]; then
	tap ok "VM run and console"
else
	tap not-ok "VM run and console" "selftests/vm/run.sh exited $vm_rc: see $OUT/vm"
fi
finish
