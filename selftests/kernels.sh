#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernels leakscope is tested on: the newest installed Debian 6.1
# and 6.12 kernels that have both an image and headers.  Picking them from
# what is installed (not a hard-coded ABI name) keeps CI working when a
# Debian point release moves 6.1.0-56 to 6.1.0-57.
for series in 6.1 6.12; do
	best=
	for img in /boot/vmlinuz-"$series".*; do
		[ -e "$img" ] || continue
		ver=${img#/boot/vmlinuz-}
		[ -d "/lib/modules/$ver/build" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$ver" | sed '/^$/d' | sort -V | tail -n 1)
	done
	[ -n "$best" ] && echo "$best"
done
exit 0
