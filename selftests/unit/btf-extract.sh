#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the raw .BTF section of every installed Debian 6.1 / 6.12 kernel
# image, for the host tests of module/btf.c (selftests/unit/test_btf.c).
#
# Usage: selftests/unit/btf-extract.sh OUTDIR   (the Makefile uses build/unit/btf)
#
# For each /boot/vmlinuz-6.1.* and /boot/vmlinuz-6.12.*, writes
# OUTDIR/btf-<version>.raw (cached: an existing non-empty file is kept).
# vmlinux is decompressed with the kernel's own scripts/extract-vmlinux, taken
# from Debian's linux-source tarball by selftests/kernel-files.sh, and only
# the .BTF section is kept.  Finding no kernel at all is an error: 'make deps'
# installs both.
set -euo pipefail

out=${1:?usage: btf-extract.sh OUTDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
ksft=$top/build/ksft
boot=${LS_BOOT_DIR:-/boot}

"$top/selftests/kernel-files.sh" "$ksft"
mkdir -p "$out"

found=0
for img in "$boot"/vmlinuz-6.1.* "$boot"/vmlinuz-6.12.*; do
	[ -e "$img" ] || continue
	found=$((found + 1))
	ver=${img##*/vmlinuz-}
	raw=$out/btf-$ver.raw
	[ -s "$raw" ] && continue

	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	sh "$ksft/extract-vmlinux" "$img" >"$tmp/vmlinux"
	objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/btf.raw"
	if [ ! -s "$tmp/btf.raw" ]; then
		echo "btf-extract: $img has no .BTF section" >&2
		exit 1
	fi
	chmod 644 "$tmp/btf.raw"
	mv "$tmp/btf.raw" "$raw"
	rm -rf "$tmp"
	trap - EXIT
	echo "btf-extract: $raw ($(stat -c %s "$raw") bytes)"
done

if [ "$found" = 0 ]; then
	echo "btf-extract: no Debian 6.1/6.12 kernel in $boot: run 'make deps'" >&2
	exit 1
fi
