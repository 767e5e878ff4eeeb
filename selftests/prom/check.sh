#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's prom stage, as TAP: the alerting rules (promtool check rules,
# promtool test rules against captures of real leakscope output), the test
# file against the captures it was converted from, and the Grafana
# dashboard (check_dashboard.py).  promtool comes from Debian's prometheus
# package (make deps): without it this stage fails, it does not skip.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rules=$top/dist/prometheus/leakscope.rules.yml
tests=$here/leakscope.rules.test.yml
out=$top/build/prom
mkdir -p "$out" || exit 1
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -s "${2:-/dev/null}" ] && sed 's/^/#   /' "$2" | head -n 40
}

echo "TAP version 13"
echo "1..7"
if command -v promtool >/dev/null; then
	ok "promtool: $(promtool --version 2>&1 | head -n 1)"
	have=1
else
	echo "promtool: not installed (Debian package prometheus): run 'sudo make deps'" >"$out/promtool.log"
	not_ok "promtool installed" "$out/promtool.log"
	have=0
fi
[ $have = 1 ] || for f in check-rules test-rules; do
	echo "promtool: not installed" >"$out/$f.log"
done
if [ $have = 1 ] && promtool check rules "$rules" >"$out/check-rules.log" 2>&1; then
	ok "promtool check rules: $(grep -o '[0-9]* rules found' "$out/check-rules.log")"
else
	not_ok "promtool check rules dist/prometheus/leakscope.rules.yml" "$out/check-rules.log"
fi
# promtool reads rule_files relative to the test file
if [ $have = 1 ] && promtool test rules "$tests" >"$out/test-rules.log" 2>&1; then
	ok "promtool test rules: $(grep -c '^  *- eval_time:' "$tests") alert checks, $(grep -c '^  *- exp_labels:' "$tests") alerts expected to fire"
else
	not_ok "promtool test rules selftests/prom/leakscope.rules.test.yml" "$out/test-rules.log"
fi
# The test file is the template filled with the captures, nothing edited.
if python3 "$here/capture2series.py" "$here/leakscope.rules.test.in.yml" \
		"$here/captures.log" >"$out/rules.test.yml" 2>"$out/convert.log" &&
		diff -u "$tests" "$out/rules.test.yml" >>"$out/convert.log"; then
	ok "leakscope.rules.test.yml is the template filled with captures.log"
else
	not_ok "leakscope.rules.test.yml is the template filled with captures.log" "$out/convert.log"
fi
(cd "$top" && python3 selftests/prom/check_dashboard.py $((n + 1)) dist/grafana/leakscope.json \
	userspace/prom.c dist/prometheus/leakscope.rules.yml)
rc=$?
n=$((n + 3))
[ $rc = 0 ] || failed=$((failed + 1))
[ $failed = 0 ]
