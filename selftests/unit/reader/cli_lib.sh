# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the reader's end-to-end scripts (sourced): TAP-style results,
# running the binary, checking exit status and stderr.
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).

LEAKSCOPE=${LEAKSCOPE:?path of the leakscope binary}
DATA=${DATA:?fixture directory}
tmp=$(mktemp -d /tmp/ls-cli-XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
n=0

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; shift; printf '#   %s\n' "$@"; }

# run ARGS...: sets rc, out, err
run() {
	"$LEAKSCOPE" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect NAME RC ERR-TEXT(exact, "" = empty stderr)
expect() {
	local name=$1 want_rc=$2 want_err=$3

	if [ "$rc" != "$want_rc" ]; then
		not_ok "$name" "exit $rc, want $want_rc" "stderr: $err"
	elif [ "$err" != "$want_err" ]; then
		not_ok "$name" "stderr: $err" "want:   $want_err"
	else
		ok "$name"
	fi
}

json_ok() {
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null
}

# finish NAME: the totals line; the exit status says whether all passed
finish() {
	echo "# $1: $pass passed, $fail failed, $n total"
	[ "$fail" = 0 ]
}
