#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the leakscope test kernel: a small x86_64 kernel from Debian's
# linux-source-6.12 tarball, out of tree, with KUnit, the lockdown LSM and
# module signing, and (--variant debug) lockdep, KASAN and kmemleak.  For
# the facts behind it: shared TEST-KERNEL.md.
#
# Usage: selftests/kernel/build-test-kernel.sh [--variant base|debug]
#                                              [--cache DIR] [--jobs N]
#
#   config   make ARCH=x86_64 tinyconfig, then the fragments of this
#            directory appended: base.config + btf.config + security.config
#            (+ debug.config for --variant debug), then olddefconfig; every
#            line of the fragments must still be in .config, or the build
#            fails naming the options that were dropped.
#   cache    CACHE/kernel-KEY/, KEY a hash of the variant, the fragments,
#            the tarball's version, the compiler's and pahole's versions and
#            this recipe's version.  It holds bzImage, build/ (the O= build
#            tree: `make -C CACHE/kernel-KEY/build M=DIR` builds a module
#            against it; vmlinux stays there for module BTF; the build's own
#            module signing key, build/certs/signing_key.pem and .x509, and
#            build/scripts/sign-file stay there too: `build/scripts/sign-file
#            sha256 build/certs/signing_key.pem build/certs/signing_key.x509
#            FILE.ko` signs a module for it), info (what it was built from,
#            and how long it took) and build.log.  A
#            complete one is reused without running make; a changed key
#            builds a new one (and removes older ones of the same variant).
#   source   extracted once per tarball version, into CACHE/src-HASH/.
#   ccache   CACHE/ccache (a cold debug build takes minutes, a warm one in
#            a new tree well under one).
#
# CACHE: --cache, else $LS_KERNEL_CACHE, else /var/cache/leakscope.  The
# tarball: $LINUX_SOURCE_TARBALL, else /usr/src/linux-source-6.12.tar.xz.
#
# Progress goes to stderr; the one line on stdout is the kernel's directory.
set -euo pipefail

RECIPE=2	# bump when a change here must rebuild every cached kernel
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }
say() { echo "$me: $*" >&2; }

variant=base
cache=${LS_KERNEL_CACHE:-/var/cache/leakscope}
jobs=$(nproc 2>/dev/null || echo 2)
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}

while [ $# -gt 0 ]; do
	case $1 in
	--variant) [ $# -ge 2 ] || die "--variant needs base or debug"; variant=$2; shift ;;
	--variant=*) variant=${1#*=} ;;
	--cache) [ $# -ge 2 ] || die "--cache needs a directory"; cache=$2; shift ;;
	--cache=*) cache=${1#*=} ;;
	--jobs) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift ;;
	--jobs=*) jobs=${1#*=} ;;
	-h|--help) sed -n '/^# Usage:/,/^# Progress/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
	shift
done

fragments=("$HERE/base.config" "$HERE/btf.config" "$HERE/security.config")
case $variant in
base) ;;
debug) fragments+=("$HERE/debug.config") ;;
*) die "unknown variant '$variant' (base or debug)" ;;
esac
for f in "${fragments[@]}"; do
	[ -r "$f" ] || die "missing config fragment $f"
done
[ -r "$tarball" ] || die "$tarball not found: run 'make deps' (package linux-source-6.12)"
# openssl generates the module signing key (certs/Makefile).
for t in gcc make flex bison bc xz pahole openssl; do
	command -v "$t" >/dev/null || die "$t not found: run 'make deps'"
done
cc=gcc
if command -v ccache >/dev/null; then
	cc="ccache gcc"
else
	say "warning: no ccache (package ccache): every new key is a cold build"
fi

# The tarball's version: Debian's package version when it is the packaged
# file, and its size and time in any case.
tar_version="$(stat -L -c '%s %Y' "$tarball")"
pkg=$(dpkg-query -S "$(readlink -f "$tarball")" 2>/dev/null | cut -d: -f1 || true)
if [ -n "$pkg" ]; then
	tar_version="$pkg $(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) $tar_version"
fi
key=$( {
	echo "recipe $RECIPE variant $variant"
	echo "tarball $(basename "$tarball") $tar_version"
	gcc --version | head -n 1
	pahole --version
	for f in "${fragments[@]}"; do
		echo "== ${f##*/}"
		cat "$f"
	done
} | sha256sum | cut -c1-16)
src_key=$(echo "$(basename "$tarball") $tar_version" | sha256sum | cut -c1-16)

mkdir -p "$cache" || die "cannot create $cache (set LS_KERNEL_CACHE or --cache)"
cache=$(cd "$cache" && pwd)
dir=$cache/kernel-$key
srcroot=$cache/src-$src_key

exec 8>"$cache/kernel-$key.lock"
if ! flock -n 8; then
	say "waiting for another build of $dir"
	flock 8
fi
# What a cached kernel must still hold: its image, vmlinux (module BTF) and
# what signs modules for it.
is_complete() {
	local f
	for f in complete bzImage build/vmlinux build/certs/signing_key.pem \
		 build/certs/signing_key.x509 build/scripts/sign-file; do
		[ -f "$1/$f" ] || return 1
	done
}
if is_complete "$dir"; then
	say "up to date: $variant kernel $(sed -n 's/^release //p' "$dir/info" 2>/dev/null)"
	echo "$dir"
	exit 0
fi

# --- the source, once per tarball version
exec 7>"$srcroot.lock"
flock 7
if [ ! -f "$srcroot/complete" ]; then
	say "extracting $tarball into $srcroot"
	t0=$(date +%s)
	rm -rf "$srcroot"
	mkdir -p "$srcroot.tmp"
	rm -rf "${srcroot:?}.tmp/"*
	tar -xJf "$tarball" -C "$srcroot.tmp"
	mv "$srcroot.tmp" "$srcroot"
	echo "$(basename "$tarball") $tar_version" >"$srcroot/complete"
	say "extracted in $(($(date +%s) - t0)) s"
fi
exec 7>&-
srcdir=$(find "$srcroot" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -n 1)
[ -n "$srcdir" ] && [ -f "$srcdir/Makefile" ] || die "no linux-source-* tree in $srcroot"

# --- config
build=$dir/build
mkdir -p "$build"
log=$dir/build.log
: >"$log"
export CCACHE_DIR=${CCACHE_DIR:-$cache/ccache}
export CCACHE_BASEDIR=$cache CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-2G}
export KBUILD_BUILD_USER=leakscope KBUILD_BUILD_HOST=leakscope-test
kmake() { make -C "$build" ARCH=x86_64 CC="$cc" "$@" >>"$log" 2>&1; }
fail() {
	say "$1 failed (log: $log):"
	{ grep -E -m 15 '(error|Error|undefined|No rule)' "$log"; tail -n 8 "$log"; } |
		awk '!seen[$0]++' | sed 's/^/  /' >&2
	exit 1
}

t0=$(date +%s)
make -C "$srcdir" O="$build" ARCH=x86_64 tinyconfig >>"$log" 2>&1 || fail "tinyconfig"
cat "${fragments[@]}" >>"$build/.config"
kmake olddefconfig || fail "olddefconfig"

dropped=()
while IFS= read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		grep -qxF "$line" "$build/.config" || dropped+=("$line (have: $(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$build/.config" || echo absent))")
	elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
		! grep -q "^${BASH_REMATCH[1]}=" "$build/.config" ||
			dropped+=("$line (have: $(grep "^${BASH_REMATCH[1]}=" "$build/.config"))")
	fi
done < <(cat "${fragments[@]}")
if [ ${#dropped[@]} -gt 0 ]; then
	say "olddefconfig dropped ${#dropped[@]} requested option(s) (a dependency is missing):"
	printf '  %s\n' "${dropped[@]}" >&2
	exit 1
fi

# --- build
say "building the $variant kernel in $build (-j$jobs, log: $log)"
command -v ccache >/dev/null && ccache -z >/dev/null 2>&1
kmake -j"$jobs" bzImage modules || fail "kernel build"
secs=$(($(date +%s) - t0))
release=$(make -s -C "$build" ARCH=x86_64 kernelrelease 2>/dev/null | tail -n 1)
cp "$build/arch/x86/boot/bzImage" "$dir/bzImage"
# The key is generated by the build (certs/Makefile, CONFIG_MODULE_SIG_KEY):
# without it nothing could be signed and a lockdown boot loads nothing.
for f in certs/signing_key.pem certs/signing_key.x509 scripts/sign-file; do
	[ -f "$build/$f" ] || fail "module signing: no $f after the build"
done
hits=
if command -v ccache >/dev/null; then
	hits=$(ccache -s 2>/dev/null | grep -E '^ *Hits:' | head -n 1 | tr -s ' ' | sed 's/^ //') || true
fi
{
	echo "variant $variant"
	echo "release $release"
	echo "tarball $(basename "$tarball") $tar_version"
	echo "fragments ${fragments[*]##*/}"
	echo "module_sig $(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$build/.config") certs/signing_key.pem certs/signing_key.x509"
	echo "build_seconds $secs"
	echo "ccache ${hits:-none}"
	echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$dir/info"
touch "$dir/complete"
is_complete "$dir" || die "$dir is incomplete after the build"
say "built $variant kernel $release in $secs s (bzImage $(($(stat -c %s "$dir/bzImage") / 1024)) kB; ccache ${hits:-none})"

# Older keys of the same variant are never used again.
for old in "$cache"/kernel-*/; do
	old=${old%/}
	[ "$old" != "$dir" ] && [ -f "$old/info" ] || continue
	grep -qx "variant $variant" "$old/info" || continue
	exec 6>"$old.lock"
	if flock -n 6; then
		say "removing the outdated $old"
		rm -rf "$old"
		rm -f "$old.lock"
	fi
	exec 6>&-
done
echo "$dir"
