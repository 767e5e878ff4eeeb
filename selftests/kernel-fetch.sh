#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian 12 kernels from the archive, for `make matrix` and `make check`:
# list them, pick the ones CI boots, and fetch one into a cache outside the
# repo, unpacked and never installed (installing would run dkms and the
# initramfs hooks for every one of them).
#
# Usage: selftests/kernel-fetch.sh update        apt-get update (once per run)
#        selftests/kernel-fetch.sh list          every kernel: VER FLAVOR headers|image-only
#        selftests/kernel-fetch.sh pick          what `make check` boots besides the
#                                                full suites: the oldest generic and the
#                                                newest rt and cloud of each series
#        selftests/kernel-fetch.sh fetch VER...  prints "VER ROOT" per kernel: ROOT holds
#                                                boot/vmlinuz-VER, boot/config-VER and
#                                                usr/src/linux-headers-VER (the build dir)
#
# Everything is picked with apt-cache on the day it runs, never from a
# hard-coded version: a point release is tested without a change here.
#
# The cache, $LS_KERNEL_CACHE (default /var/cache/leakscope/kernels), has one
# root per ABI (6.1.0-47, 6.12.107+deb12), laid out as an installed system
# would be: its flavors share the -common trees and linux-kbuild.  Kept
# small: the .debs are deleted once unpacked, and of each image only
# boot/vmlinuz-* and boot/config-* are unpacked (a busybox boot needs no
# module tree; all of them would be 13 GB).  A package is fetched again
# only when apt would now install another version of it (linux-kbuild-6.1
# serves every 6.1 ABI and the archive keeps only its newest).  Past
# $LS_KERNEL_CACHE_MB (default 4096, the whole matrix), the least recently
# used roots are deleted.
set -euo pipefail

CACHE=${LS_KERNEL_CACHE:-/var/cache/leakscope/kernels}
CACHE_MB=${LS_KERNEL_CACHE_MB:-4096}
me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }

# Debian 12's kernel ABIs and flavors; the series are 6.1 and 6.12.
KREL='(6\.1\.0-[0-9]+|6\.12\.[0-9]+\+deb12)'
FLAVORS='(amd64|cloud-amd64|rt-amd64)'

# flavor_of VER / abi_of VER
flavor_of() {
	case $1 in
	*-rt-amd64) echo rt-amd64 ;;
	*-cloud-amd64) echo cloud-amd64 ;;
	*) echo amd64 ;;
	esac
}
abi_of() { echo "${1%-"$(flavor_of "$1")"}"; }
series_of() { case $1 in 6.1.0-*) echo 6.1 ;; *) echo 6.12 ;; esac; }

cmd_update() {
	[ "$(id -u)" = 0 ] || die "apt-get update needs root: run it with sudo"
	apt-get update -q >/dev/null || die "apt-get update failed"
}

# list: every Debian 12 kernel image in the archive, oldest first, and
# whether its headers are still there (the archive drops some ABIs'
# headers but keeps their images: nothing can be built for those).
cmd_list() {
	local names
	names=$(apt-cache search --names-only "^linux-(image|headers)-$KREL-$FLAVORS\$" |
		awk '{ print $1 }') || die "apt-cache search failed"
	[ -n "$names" ] || die "no Debian 12 kernel in apt's lists: run 'apt-get update' (is bookworm in sources.list?)"
	grep '^linux-image-' <<<"$names" | sed 's/^linux-image-//' | sort -V |
		while read -r v; do
			if grep -qxF "linux-headers-$v" <<<"$names"; then
				echo "$v $(flavor_of "$v") headers"
			else
				echo "$v $(flavor_of "$v") image-only"
			fi
		done
}

# pick: per series, the oldest generic kernel that has headers, and the
# newest rt and cloud ones (the newest generic runs the full suites).
cmd_pick() {
	local all s
	all=$(cmd_list)
	for s in '6[.]1[.]0-' '6[.]12[.]'; do
		awk -v s="^$s" '$1 ~ s && $2 == "amd64" && $3 == "headers" { print $1; exit }' <<<"$all"
		awk -v s="^$s" '$1 ~ s && $2 == "rt-amd64" && $3 == "headers" { v = $1 } END { if (v) print v }' <<<"$all"
		awk -v s="^$s" '$1 ~ s && $2 == "cloud-amd64" && $3 == "headers" { v = $1 } END { if (v) print v }' <<<"$all"
	done
}

# candidate PKG: the version apt would install, empty when none.
candidate() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1
}

# unpack ROOT PKG VERSION: download PKG=VERSION and unpack it into ROOT,
# over an older version of it (whose files, listed at its unpack, go first);
# of an image only boot/vmlinuz-* and boot/config-*.
unpack() {
	local root=$1 pkg=$2 ver=$3 dl=$1/.dl deb f
	local stamp=$root/.pkgs/$pkg
	[ "$(cat "$stamp" 2>/dev/null)" = "$ver" ] && return 0
	rm -rf "$dl"
	mkdir -p "$dl" "$root/.pkgs"
	# As root apt drops privileges to _apt for the download, which then
	# cannot write into a root-only cache: download as root instead.
	(cd "$dl" && apt-get -q -o APT::Sandbox::User=root download "$pkg=$ver" >/dev/null) ||
		{ echo "$me: apt-get download $pkg=$ver failed" >&2; return 1; }
	deb=$(echo "$dl"/*.deb)
	[ -f "$deb" ] || { echo "$me: apt-get download $pkg=$ver left no .deb" >&2; return 1; }
	if [ -f "$stamp.list" ]; then
		while read -r f; do
			if [ -f "$root/$f" ] || [ -L "$root/$f" ]; then rm -f "$root/$f"; fi
		done <"$stamp.list"
	fi
	rm -f "$stamp" "$stamp.list"
	# dpkg-deb -x, as tar -xv: the list of what it unpacked comes from
	# the same pass (an image's data is 400 MB of xz to decompress).
	local only=()
	case $pkg in
	linux-image-*) only=(--wildcards './boot/vmlinuz-*' './boot/config-*') ;;
	esac
	dpkg-deb --fsys-tarfile "$deb" | tar -xv -C "$root" "${only[@]}" |
		sed 's|^\./||' >"$stamp.list.tmp" ||
		{ echo "$me: unpacking $deb failed" >&2; return 1; }
	rm -rf "$root/usr/share/doc"
	mv "$stamp.list.tmp" "$stamp.list"
	echo "$ver" >"$stamp"
	rm -rf "$dl"
}

# evict KEEP: least recently used ABI roots out while the cache is over
# its bound, never KEEP (the one just fetched).
evict() {
	local keep=$1 used victim
	while :; do
		used=$(du -sm "$CACHE" 2>/dev/null | cut -f1)
		[ "${used:-0}" -le "$CACHE_MB" ] && return 0
		victim=$(find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$keep" \
			-printf '%T@ %p\n' | sort -n | head -n 1 | cut -d' ' -f2-)
		[ -n "$victim" ] || return 0
		echo "$me: cache over ${CACHE_MB} MB (${used} MB): removing ${victim##*/}" >&2
		rm -rf "$victim"
	done
}

# fetch_one VER: prints "VER ROOT".
fetch_one() {
	local v=$1 abi root hdr deps common kbuild p pv mk
	[[ $v =~ ^${KREL}-${FLAVORS}$ ]] || die "'$v' is not a Debian 12 kernel release (say 6.1.0-57-rt-amd64 or 6.12.118+deb12-cloud-amd64)"
	abi=$(abi_of "$v")
	hdr=linux-headers-$v
	[ -n "$(candidate "linux-image-$v")" ] || die "linux-image-$v is not in the archive ('$me list' shows what is)"
	[ -n "$(candidate "$hdr")" ] || die "$v has no headers in the archive (image only): nothing can be built for it"
	deps=$(apt-cache show --no-all-versions "$hdr" | sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed 's/^ *//; s/ .*//')
	common=$(grep -m1 '^linux-headers-.*-common' <<<"$deps") || die "$hdr depends on no -common headers"
	kbuild=$(grep -m1 '^linux-kbuild-' <<<"$deps") || die "$hdr depends on no linux-kbuild"
	root=$CACHE/$abi
	mkdir -p "$root"
	# One fetcher per root at a time (the matrix fetches ahead while
	# another boots; make check may run beside it).
	exec 8>"$root/.lock"
	flock 8
	for p in "linux-image-$v" "$hdr" "$common" "$kbuild"; do
		pv=$(candidate "$p")
		[ -n "$pv" ] || die "$p (needed by $v) is not in the archive"
		unpack "$root" "$p" "$pv" || exit 1
	done
	# The flavor's Makefile includes its -common tree by absolute path:
	# left alone, the build would use the host's installed headers of that
	# ABI, if any, and silently.
	mk=$root/usr/src/$hdr/Makefile
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$mk"
	grep -q "^include $root/usr/src/.*-common[^/]*/Makefile\$" "$mk" ||
		die "$mk does not include its -common tree from $root: $(grep -m1 '^include' "$mk")"
	if [ ! -r "$root/boot/vmlinuz-$v" ] || [ ! -r "$root/boot/config-$v" ]; then
		die "linux-image-$v has no boot/vmlinuz-$v or boot/config-$v"
	fi
	exec 8>&-
	touch "$root"
	evict "$abi"
	echo "$v $root"
}

case ${1:-} in
update) cmd_update ;;
list) cmd_list ;;
pick) cmd_pick ;;
fetch)
	shift
	[ $# -gt 0 ] || die "fetch needs a kernel release (say 6.1.0-57-rt-amd64)"
	[ "$(id -u)" = 0 ] || die "the cache $CACHE is root's: run it with sudo"
	mkdir -p "$CACHE" || die "cannot create $CACHE"
	for v in "$@"; do fetch_one "$v"; done
	;;
-h|--help) sed -n '/^# Usage:/,/^# Everything/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
*) die "usage: $me update|list|pick|fetch VER... (try --help)" ;;
esac
