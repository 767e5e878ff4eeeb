#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: inside a VM on a stock Debian kernel, load leakscope, start
# the lesson's leak (a program whose clone() thread stacks are never
# freed: VSZ grows a stack at a time, RSS stays flat, threads stay few),
# and after about 30 s show what leakscope found; fail unless it named the
# leak and nothing else.

say() { printf '\n==> %s\n' "$*"; }

say "insmod leakscope.ko interval_ms=500"
insmod "$LEAKSCOPE_KO" interval_ms=500 || exit 1

say "starting the leak: ls-repro-clone-stack (one 1 MiB stack every 1 s, never munmapped)"
ls-repro-clone-stack -p 1000 -s 1024 >/tmp/leak.out 2>&1 &
leak=$!
echo "pid $leak"
sleep 1		# past its exec: the baseline is the leaking program's
# Watch its regions from now on: what appears later is marked new.
echo "$leak" >/sys/module/leakscope/parameters/pid

i=0
while [ $i -lt 30 ]; do
	sleep 5
	i=$((i + 5))
	awk -v t="$i" '/^(VmSize|VmRSS|Threads):/ { v[$1] = $2 }
		END { printf "  after %ss: VmSize %s kB, VmRSS %s kB, Threads %s   (what pidstat -r sees)\n",
		      t, v["VmSize:"], v["VmRSS:"], v["Threads:"] }' "/proc/$leak/status"
done
sleep 2

say "leakscope summary"
leakscope summary
say "leakscope suspects"
leakscope suspects
say "leakscope procs"
leakscope procs
say "leakscope regions $leak   (first 24 regions)"
leakscope regions "$leak" | head -n 26

# The demo is also a test (make check's demo stage): the leak is named,
# as what it is, and nothing else is.  TAP, so the runner counts it.
say "what leakscope named"
named=$(awk '!/^#/ && $1 != "rank" && NF { print $2, $3 }' \
	/sys/kernel/debug/leakscope/suspects)
echo "$named"
kill "$leak"
rmmod leakscope
expected="thread-stack-leak pid:$leak:"
if [ "$(echo "$named" | grep -c .)" = 1 ] && [ "${named#"$expected"}" != "$named" ]; then
	echo "ok 1 - leakscope named the leak, and nothing else"
else
	echo "not ok 1 - expected exactly one suspect: $expected..."
	exit 1
fi
