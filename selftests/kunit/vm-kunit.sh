#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the VM (selftests/kunit/run.sh through selftests/vm/run.sh --script):
# load leakscope_kunit.ko, whose suites run as it loads, and print each
# leakscope suite's KTAP from debugfs, framed for the host:
#   ### kunit-suite BEGIN <suite>  ...  ### kunit-suite END <suite>
ko=/lib/leakscope/leakscope_kunit.ko
if [ ! -f "$ko" ]; then
	echo "### kunit-error $ko is not in the initramfs"
	exit 1
fi
if ! insmod "$ko"; then
	echo "### kunit-error insmod $ko failed"
	exit 1
fi
n=0
for d in /sys/kernel/debug/kunit/leakscope_*; do
	[ -r "$d/results" ] || continue
	name=${d##*/}
	echo "### kunit-suite BEGIN $name"
	cat "$d/results"
	echo "### kunit-suite END $name"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || echo "### kunit-error no leakscope suite in /sys/kernel/debug/kunit"
rmmod leakscope_kunit || echo "### kunit-error rmmod leakscope_kunit failed"
