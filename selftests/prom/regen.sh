#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates selftests/prom/captures.log and leakscope.rules.test.yml from
# a capture run in the VM (test plumbing, see README.md "Alerting rules"):
#
#   make -C userspace
#   selftests/vm/run.sh --kernel 6.1.0-57-amd64 --script selftests/vm/prom-capture.sh \
#       --out /tmp/prom-vm --timeout 1500 --mem 2560
#   selftests/prom/regen.sh /tmp/prom-vm/6.1.0-57-amd64/output.log
#
# captures.log keeps, of each capture, the families the rules read, plus
# the phase `fixture`: the reader's output (userspace/leakscope, build it
# first) on the reader tests' fixture files, whose headers say
# disabled=vmalloc_used (no Debian kernel disables a walker: this is the
# only real output with a disabled walker), 12 captures of the same files.
# The alert expectations in leakscope.rules.test.in.yml name pids and
# values of the run: after a new run, update them from the new captures.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
log=${1:?usage: regen.sh VM_OUTPUT_LOG}
reader=$top/userspace/leakscope
fams='leakscope_(up|walker_enabled|caps_hit|suspect_growth_bytes_per_second|meminfo_growing|meminfo_growth_bytes_per_second|cgroup_growing|cgroup_anon_growth_bytes_per_second|cgroup_processes)'

[ -r "$log" ] || { echo "regen: $log: not readable" >&2; exit 1; }
[ -x "$reader" ] || { echo "regen: $reader: not built (make -C userspace)" >&2; exit 1; }
grep -c '^### capture' "$log" >/dev/null || { echo "regen: $log: no captures" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	echo "# Captures of leakscope --prometheus: the families the rules read."
	echo "# Made by selftests/prom/regen.sh from $(basename "$log") of a run of selftests/vm/prom-capture.sh"
	grep -aE "^### (capture [a-z]+ [0-9]+|end)\$|^${fams}[{ ]" "$log" | tr -d '\r'
	mkdir "$tmp/fixture"
	for f in summary suspects procs vmalloc slab control; do
		cp "$top/selftests/unit/reader/data/$f" "$tmp/fixture/"
	done
	for i in $(seq 1 12); do
		echo "### capture fixture $i"
		LEAKSCOPE_DIR=$tmp/fixture "$reader" --prometheus | grep -E "^${fams}[{ ]"
		echo "### end"
	done
} >"$tmp/captures.log"
python3 "$here/capture2series.py" "$here/leakscope.rules.test.in.yml" "$tmp/captures.log" \
	>"$tmp/test.yml"
mv "$tmp/captures.log" "$here/captures.log"
mv "$tmp/test.yml" "$here/leakscope.rules.test.yml"
echo "regen: $(grep -c '^### capture' "$here/captures.log") captures; wrote selftests/prom/leakscope.rules.test.yml"
