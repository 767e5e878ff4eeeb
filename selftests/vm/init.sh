#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the leakscope test initramfs (busybox sh, PID 1).
#
# Mounts the usual filesystems, then runs either /lib/leakscope/script.sh
# (run.sh --script) or every executable in /tests in sorted order, with all
# of their output on the second serial port (ttyS1), each run framed by
#   ### leakscope-test BEGIN <name>
#   ### leakscope-test END <name> rc=<exit status> secs=<run time>
# so that the host (selftests/vm/check.py) can attribute it.  The whole run
# is framed by "### leakscope-vm BEGIN/END"; a missing END means the VM
# died or was killed.  Then it powers the VM off.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
export TERM=dumb

mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The kernel may have found no /dev/console to give us: reopen it.
[ -c /dev/console ] && exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
grep -qs ' /sys/kernel/security ' /proc/mounts || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mkdir -p /dev/shm /dev/pts /tmp /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
hostname leakscope-vm
ip link set lo up 2>/dev/null

export LEAKSCOPE_KO=/lib/leakscope/leakscope.ko
# Test-only module that leaks on purpose (selftests/kmod), when packed.
export LEAKSCOPE_LEAKY_KO=/lib/leakscope/ls_leaky.ko

out=/dev/ttyS1
if [ -c "$out" ] && stty -F "$out" raw -echo 2>/dev/null; then
	:
else
	echo "leakscope-vm: no usable $out, test output goes to the console"
	out=/dev/console
fi

run_one() {
	name=$1
	shift
	echo "### leakscope-test BEGIN $name"
	read -r t0 _ </proc/uptime
	(cd /tmp && exec "$@" </dev/null 7>&-)
	rc=$?
	read -r t1 _ </proc/uptime
	echo "### leakscope-test END $name rc=$rc secs=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")"
}

# On a debug kernel (selftests/kernel, --variant debug): a last kmemleak
# scan, its report on the console, and whether lockdep is still on (a
# KASAN report or a taint turns it off); check.py judges the console.
# kmemleak reports objects older than 5 s that two scans found
# unreferenced.  Nothing to do on a kernel without them.
debug_checks() {
	if [ -n "$kmemleak_fd" ]; then
		sleep 5
		echo scan >&7
		echo scan >&7
		cat <&7 >/dev/console
		echo "### leakscope-vm kmemleak scanned"
	elif [ -e /sys/kernel/debug/kmemleak ]; then
		echo "### leakscope-vm kmemleak not scanned: debugfs refused it from boot (lockdown: $(cat /sys/kernel/security/lockdown 2>/dev/null))"
	fi
	if [ -r /proc/lockdep_stats ]; then
		dl=$(awk '/debug_locks:/ { print $2 }' /proc/lockdep_stats)
		echo "### leakscope-vm debug_locks=$dl"
		[ "$dl" = 1 ] ||
			echo "leakscope-vm: BUG: lock debugging turned off during the run (debug_locks=$dl)" >/dev/console
	fi
}

# kmemleak is opened for the whole run, now: once the kernel is locked
# down (99_lockdown raises it at run time) debugfs refuses to open a file
# with a write bit, but checks only at open, so this one keeps working.
# Booted locked down (lockdown=integrity) it cannot be opened at all; the
# probe is a subshell because a failed redirection of exec would end PID 1.
kmemleak_fd=
if [ -w /sys/kernel/debug/kmemleak ] &&
   (exec 7<>/sys/kernel/debug/kmemleak) 2>/dev/null; then
	exec 7<>/sys/kernel/debug/kmemleak
	kmemleak_fd=7
fi

{
	echo "### leakscope-vm BEGIN kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"
	if [ -f /lib/leakscope/script.sh ]; then
		run_one script /bin/sh /lib/leakscope/script.sh
	else
		for t in /tests/*; do
			[ -f "$t" ] && [ -x "$t" ] || continue
			run_one "${t##*/}" "$t"
		done
		if grep -q '^leakscope ' /proc/modules; then
			echo "### leakscope-vm MODULE-LEFT-LOADED"
		fi
	fi
	debug_checks
	echo "### leakscope-vm tainted=$(cat /proc/sys/kernel/tainted)"
	echo "### leakscope-vm END"
} >"$out" 2>&1

# Closing the last fd of the tty waits until its buffer has been sent
# (closing_wait); the sleep covers the UART FIFO and the console.
exec >/dev/null 2>&1 </dev/null
sync
sleep 0.2
poweroff -f
# Not reached unless poweroff failed.
echo o >/proc/sysrq-trigger
sleep 5
