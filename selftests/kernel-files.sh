#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the few kernel files leakscope builds with (kselftest headers,
# checkpatch, extract-vmlinux) from Debian's linux-source tarball into
# build/ksft/.  They are never committed: the tarball is the one source of
# truth.
#
# Usage: selftests/kernel-files.sh [OUTDIR]   (default: build/ksft)
set -euo pipefail

out=${1:-build/ksft}
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
top=linux-source-6.12
files=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	scripts/extract-vmlinux
)

done_all=1
for f in "${files[@]}"; do
	[ -s "$out/$(basename "$f")" ] || done_all=0
done
[ "$done_all" = 1 ] && exit 0

if [ ! -r "$tarball" ]; then
	echo "kernel-files: $tarball not found: run 'make deps' (package linux-source-6.12)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
members=()
for f in "${files[@]}"; do
	members+=("$top/$f")
done
tar -xJf "$tarball" -C "$tmp" "${members[@]}"
mkdir -p "$out"
for f in "${files[@]}"; do
	cp "$tmp/$top/$f" "$out/"
done
chmod +x "$out/checkpatch.pl" "$out/extract-vmlinux"
