# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP helpers for the host test scripts (sourced, not run): ok, not_ok,
# check DESC COMMAND... (one line; the command's output only on failure)
# and bail, keeping the counts for the closing "N passed, N failed" line.
n=0
pass=0
fail=0
bail() { echo "Bail out! $*"; echo "$pass passed, $((fail + 1)) failed"; exit 1; }
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
check() {
	local desc=$1 log
	shift
	if log=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		[ -n "$log" ] && printf '%s\n' "$log" | tail -n 20 | sed 's/^/#   /'
		return 1
	fi
}
