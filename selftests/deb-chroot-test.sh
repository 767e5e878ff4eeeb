#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packages a fleet deploys, installed and purged in a Debian 12 chroot
# (a stage of `make check`; root): dist/deb/build.sh (`make deb`), then in
# a fresh overlay of a cached bookworm chroot that has dkms and the headers
# of both test kernels (selftests/kernels.sh):
#
#   apt-get install ./leakscope-dkms_*.deb ./leakscope_*.deb
#       the postinst's dkms built and installed leakscope.ko for each test
#       kernel (one leakscope.ko* in /lib/modules/VER/updates/dkms/: dkms
#       compresses it as the kernel's modules.dep does, and only an image
#       brings one, so here it is a plain .ko; dkms-test.sh sees the .ko.xz
#       of 6.12 on the host), modinfo -k VER finds it, vermagic VER, signed
#       with the key dkms made; leakscope --version, man -w leakscope, the
#       systemd units in /lib/systemd/system, the rules and dashboard in
#       /usr/share/leakscope;
#   dpkg --purge leakscope leakscope-dkms
#       nothing left: no /var/lib/dkms/leakscope, no /usr/src/leakscope-*,
#       no leakscope.ko* and no file named *leakscope* anywhere, and the
#       chroot's file list (type, mode, owner, size, link target) is the one
#       from before the install, but for the churn any package install
#       leaves (dpkg/apt/debconf state, logs, caches, depmod's output, the
#       key dkms makes on first use to sign modules).
#
# The chroot: mmdebstrap --variant=minbase of bookworm (+ bookworm-updates,
# bookworm-security: the kernels' headers come from there) with dkms,
# xz-utils, zstd, openssl, man-db and linux-headers-VER of each kernel at
# the version the host has.  A headers package that depends on its kernel
# image (6.12's does) gets an empty stand-in package of that image's name
# instead: dkms needs /lib/modules/VER/build only, and nothing is booted.
# It is built once into CACHE/chroot-KEY/root (KEY: a hash of the package
# list, the versions, the mirrors and RECIPE), under a lock, and reused:
# every run mounts an overlay on it (the cache itself is never written), or
# copies it when overlayfs is not available.  A new key removes the older
# chroots.  Packages come from the host's /var/cache/apt/archives when it
# has them (hard links, nothing is written there); what had to be downloaded
# is kept in CACHE/chroot-KEY/debs for the next key.
#
# Env: LS_CHROOT_CACHE (default /var/cache/leakscope), LS_DEBIAN_MIRROR
# (http://deb.debian.org/debian), LS_DEBIAN_SECURITY_MIRROR
# (http://deb.debian.org/debian-security), LS_HOST_APT_ARCHIVES (the .debs
# to reuse, default /var/cache/apt/archives; empty: none).
#
# /proc and /sys are mounted in the chroot for the test (a policy-rc.d
# keeps services from starting) and unmounted on exit, failed or not; the copy is removed only once nothing is mounted in
# it.  TAP on stdout; the last line is "N passed, N failed"; exit non-zero
# when anything failed.
set -uo pipefail

RECIPE=1	# bump when a change here must rebuild the cached chroot

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
me=${0##*/}
cache=${LS_CHROOT_CACHE:-/var/cache/leakscope}
mirror=${LS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${LS_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
host_archives=${LS_HOST_APT_ARCHIVES-/var/cache/apt/archives}
out=$top/build/deb-chroot	# the file lists before and after
# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"

[ "$(id -u)" = 0 ] || bail "needs root (chroot, mounts)"
for t in mmdebstrap dpkg-deb flock chroot mount; do
	command -v "$t" >/dev/null || bail "$t not found: run 'make deps'"
done
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' dkms.conf)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
{ [ "$name" = leakscope ] && [ -n "$ver" ]; } || bail "cannot read PACKAGE_NAME/PACKAGE_VERSION from dkms.conf"
arch=$(dpkg --print-architecture)
mapfile -t kernels < <(selftests/kernels.sh)
[ ${#kernels[@]} -gt 0 ] || bail "no Debian 6.1/6.12 kernel with headers: run 'make deps'"

# --- what the chroot holds -------------------------------------------------
packages=(dkms xz-utils zstd openssl man-db)
standins=()	# "NAME VERSION" of the empty kernel image packages
for k in "${kernels[@]}"; do
	hv=$(dpkg-query -W -f='${Version}' "linux-headers-$k" 2>/dev/null) ||
		bail "$k: its headers are not from a Debian package (linux-headers-$k)"
	packages+=("linux-headers-$k=$hv")
	deps=$(dpkg-query -W -f='${Depends}' "linux-headers-$k")
	if printf '%s\n' "$deps" | grep -qF "linux-image-$k-unsigned ("; then
		standins+=("linux-image-$k-unsigned $hv")
	elif printf '%s\n' "$deps" | grep -qF "linux-image-$k ("; then
		standins+=("linux-image-$k $hv")
	fi
done
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main"
	"deb $security bookworm-security main")
key=$(printf '%s\n' "recipe $RECIPE $arch" "${sources[@]}" "${packages[@]}" \
	"${standins[@]/#/standin }" | sha256sum | cut -c1-16)
cdir=$cache/chroot-$key

tmp=
root=
ph=
mounts=()
# Nothing is ever deleted through a mount point: what is mounted under DIR
# (ours, or mmdebstrap's when a build was killed) is unmounted first.
mounted_under() { awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts; }
safe_rm() {
	local m
	[ -e "$1" ] || return 0
	for m in $(mounted_under "$1" | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if [ -n "$(mounted_under "$1")" ]; then
		echo "$me: still mounted under $1, not removed" >&2
		return 1
	fi
	rm -rf --one-file-system "$1"
}
teardown() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}"
	done
	mounts=()
	[ -n "$tmp" ] && safe_rm "$tmp"
	[ -n "$ph" ] && rm -rf "$ph"
	return 0
}
trap teardown EXIT
trap 'echo "Bail out! $me: interrupted"; echo "$pass passed, $((fail + 1)) failed"; exit 130' INT TERM

# build_chroot: mmdebstrap into $cdir/root (the caller holds the lock).
build_chroot() {
	local s pname pver deb includes=() link save
	safe_rm "$cdir" || return 1
	mkdir -p "$cdir/debs" || return 1
	# The stand-ins, at the same path outside and inside the chroot (apt
	# hands the path to dpkg in the chroot); mmdebstrap empties /tmp.
	ph=$(mktemp -d /tmp/leakscope-standin.XXXXXX) ||
		{ echo "$me: cannot make a directory in /tmp" >&2; return 1; }
	for s in "${standins[@]}"; do
		read -r pname pver <<<"$s"
		mkdir -p "$ph/$pname/DEBIAN"
		cat >"$ph/$pname/DEBIAN/control" <<-EOF
		Package: $pname
		Version: $pver
		Architecture: $arch
		Maintainer: leakscope tests <leakscope@localhost>
		Section: kernel
		Priority: optional
		Description: empty stand-in for a kernel image (leakscope test chroot)
		 Satisfies the headers' dependency on the image: dkms needs the
		 headers only, and nothing boots in the chroot.
		EOF
		deb=$ph/${pname}_${pver}_$arch.deb
		dpkg-deb --root-owner-group --build "$ph/$pname" "$deb" >/dev/null || return 1
		rm -rf "${ph:?}/$pname"
		includes+=("--include=$deb")	# before the headers that need it
	done
	# Hard links to every .deb the host's apt (or an older chroot of ours)
	# already has: apt reuses those whose hash matches.  mmdebstrap removes
	# the chroot's archive at the end, so what was downloaded is linked
	# into $cdir/debs first (extract-hook: before the essential packages'
	# .debs are removed; customize-hook: the rest).
	link="mkdir -p \"\$1/var/cache/apt/archives\" \"\$1$ph\"; cp $ph/*.deb \"\$1$ph/\" 2>/dev/null;"
	link+=" find $host_archives $cache/chroot-*/debs -maxdepth 1 -name '*.deb' -type f"
	link+=" -exec cp -ln -t \"\$1/var/cache/apt/archives/\" {} + 2>/dev/null; true"
	save="for f in \"\$1\"/var/cache/apt/archives/*.deb; do"
	save+=" [ -e \"$host_archives/\${f##*/}\" ] || cp -ln \"\$f\" $cdir/debs/ 2>/dev/null || cp -n \"\$f\" $cdir/debs/;"
	save+=" done; true"
	mmdebstrap --variant=minbase --mode=root --format=directory \
		"${includes[@]}" --include="$(IFS=,; echo "${packages[*]}")" \
		--setup-hook="$link" --extract-hook="$save" --customize-hook="$save" \
		bookworm "$cdir/root.new" "${sources[@]}" >"$cdir/build.log" 2>&1 || return 1
	[ -x "$cdir/root.new/usr/sbin/dkms" ] || return 1
	mv "$cdir/root.new" "$cdir/root" || return 1
	{
		echo "key $key, built $(date -u +%FT%TZ) by $me"
		printf '%s\n' "${sources[@]}" "${packages[@]}" "${standins[@]/#/standin }"
	} >"$cdir/info"
	touch "$cdir/complete"
}

echo "1..$((16 + 3 * ${#kernels[@]}))"
t_start=$(date +%s)

# 1. the packages, as `make deb` builds them, into this run's own directory
# (a concurrent run would rewrite build/deb under the other's feet)
tmp=$(mktemp -d /var/tmp/leakscope-deb.XXXXXX) ||
	bail "cannot make a directory in /var/tmp"
check "dist/deb/build.sh (make deb)" dist/deb/build.sh "$tmp/deb"
debs=("$tmp/deb/leakscope-dkms_${ver}_all.deb" "$tmp/deb/leakscope_${ver}_${arch}.deb")
check "both packages built (${debs[*]##*/})" test -f "${debs[0]}" -a -f "${debs[1]}"

# 2. the cached chroot, built when its key is new
mkdir -p "$cache" || bail "cannot create $cache (set LS_CHROOT_CACHE)"
exec 8>"$cdir.lock"
if ! flock -n 8; then
	echo "# waiting for another run that builds $cdir"
	flock 8
fi
t0=$(date +%s)
if [ -f "$cdir/complete" ] && [ -d "$cdir/root" ]; then
	ok "chroot cached: $cdir ($(du -sh "$cdir/root" | cut -f1))"
else
	echo "# building the chroot: $cdir (log: $cdir/build.log)"
	if build_chroot; then
		ok "chroot built in $(( $(date +%s) - t0 )) s: $cdir ($(du -sh "$cdir/root" | cut -f1), $(find "$cdir/debs" -name '*.deb' | wc -l) .debs not in the host's apt cache)"
	else
		not_ok "chroot built (mmdebstrap: $cdir/build.log)"
		[ -f "$cdir/build.log" ] && tail -n 20 "$cdir/build.log" | sed 's/^/#   /'
		safe_rm "$cdir"
		bail "no chroot (a headers version the mirror no longer has? 'apt-get upgrade' the host's kernels)"
	fi
fi
# Shared from now on: a run that builds another key removes this one only
# when no run holds it.
flock -s 8
for d in "$cache"/chroot-*/; do
	d=${d%/}
	[ "$d" = "$cdir" ] && continue
	exec 9>"$d.lock"
	if flock -n 9; then
		safe_rm "$d" && rm -f "$d.lock" && echo "# removed an older chroot: $d"
	fi
	exec 9>&-
done

# 3. a fresh copy of it: an overlay (or a copy), /proc, /sys, the packages
root=$tmp/root
mkdir -p "$tmp/upper" "$tmp/work" "$root"
fresh_root() {
	if mount -t overlay overlay \
			-o "lowerdir=$cdir/root,upperdir=$tmp/upper,workdir=$tmp/work" "$root"; then
		mounts+=("$root")
		how=overlay
	else
		cp -a "$cdir/root/." "$root/" || return 1
		how=copy
	fi
	mount -t proc proc "$root/proc" || return 1
	mounts+=("$root/proc")
	mount -t sysfs -o ro sysfs "$root/sys" || return 1
	mounts+=("$root/sys")
	# mmdebstrap made the device nodes; a chroot without them gets /dev
	if [ ! -c "$root/dev/null" ]; then
		mount --bind /dev "$root/dev" || return 1
		mounts+=("$root/dev")
	fi
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" &&
		chmod 755 "$root/usr/sbin/policy-rc.d" || return 1
	mkdir -p "$root/tmp/leakscope-debs" && cp "${debs[@]}" "$root/tmp/leakscope-debs/"
}
how=
# not through check: its subshell would lose what was mounted
if fresh_root >"$tmp/fresh.log" 2>&1; then
	ok "a fresh chroot ($how of the cache) in $root, /proc and /sys mounted"
else
	not_ok "a fresh chroot in $root"
	sed 's/^/#   /' "$tmp/fresh.log"
	bail "no chroot to test in"
fi
in_chroot() {
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# The chroot's files, for before/after, one a line: path, type, mode,
# owner, size (files) or target (symlinks); not /proc, /sys, /dev, not the
# .debs copied in.
file_list() {
	(cd "$root" && find . -xdev -path ./tmp/leakscope-debs -prune -o \
		-type d -printf '%p d %m %u:%g\n' -o \
		-type l -printf '%p l -> %l\n' -o \
		-printf '%p %y %m %u:%g %s\n') | LC_ALL=C sort
}
# What any package install changes: dpkg and apt state, logs, man-db's
# cache, depmod's output (made by dkms install, remade by dkms remove), the
# key dkms makes on first use to sign what it builds (/var/lib/dkms/mok.*,
# kept for every later module).
churn='^\./('
churn+='var/lib/dpkg/(status|status-old|available|lock|lock-frontend|triggers/[^ ]*)|'
churn+='var/lib/apt/[^ ]*|var/cache/apt/[^ ]*|var/log/[^ ]*|var/cache/man/[^ ]*|'
churn+='(usr/)?lib/modules/[^/ ]+/modules\.[a-z.]+|var/lib/dkms/mok\.(key|pub)'
churn+=') '
file_list >"$tmp/before"

# 4. install
t0=$(date +%s)
if check "apt-get install ./${debs[0]##*/} ./${debs[1]##*/} (dkms builds for ${#kernels[@]} kernels)" \
		in_chroot apt-get install -y -q --no-install-recommends \
		"/tmp/leakscope-debs/${debs[0]##*/}" "/tmp/leakscope-debs/${debs[1]##*/}"; then
	echo "# install: $(( $(date +%s) - t0 )) s"
fi
pkgs_installed() {
	local p s
	for p in leakscope-dkms leakscope; do
		# shellcheck disable=SC2016 # dpkg-query's format
		s=$(in_chroot dpkg-query -W -f='${Status} ${Version}' "$p") || return 1
		[ "$s" = "install ok installed $ver" ] || { echo "$p: $s"; return 1; }
	done
}
check "dpkg: leakscope-dkms and leakscope $ver installed" pkgs_installed
for k in "${kernels[@]}"; do
	# its whole output: 'dkms status | grep -q' can leave a file in /tmp
	dkms_installed() { in_chroot dkms status -m "$name" -v "$ver" -k "$1" >"$tmp/status" && grep -q ': installed' "$tmp/status"; }
	check "$k: dkms status says installed" dkms_installed "$k"
	f=$(cd "$root" && find "lib/modules/$k/updates/dkms" -maxdepth 1 -name 'leakscope.ko*' 2>/dev/null)
	if [ -n "$f" ] && [ "$(printf '%s\n' "$f" | wc -l)" = 1 ]; then
		ok "$k: the postinst installed /$f"
		module_known() {	# depmod found it; built for this kernel
			local p v
			p=$(in_chroot modinfo -k "$1" -n leakscope) || return 1
			v=$(in_chroot modinfo -k "$1" -F vermagic leakscope) || return 1
			[ "$(readlink -f "$root$p")" = "$(readlink -f "$root/$2")" ] || { echo "modinfo -n: $p"; return 1; }
			case $v in "$1 "*) ;; *) echo "vermagic: $v"; return 1 ;; esac
			v=$(in_chroot modinfo -k "$1" -F signer leakscope) || return 1
			[ "$v" = "DKMS module signing key" ] || { echo "signer: '$v'"; return 1; }
		}
		check "$k: modinfo -k $k finds it, vermagic $k, signed with dkms's key" module_known "$k" "$f"
	else
		not_ok "$k: one leakscope.ko* in /lib/modules/$k/updates/dkms (found: ${f:-none})"
		in_chroot sh -c "tail -n 15 /var/lib/dkms/$name/$ver/$k/*/log/make.log" 2>/dev/null | sed 's/^/#   make.log: /'
		not_ok "$k: modinfo -k $k finds it (nothing installed)"
	fi
done
check "leakscope --version says $ver" eval "in_chroot leakscope --version | grep -qF '$ver'"
man_page() { [ "$(in_chroot man -w leakscope)" = /usr/share/man/man8/leakscope.8.gz ]; }
check "man -w leakscope: /usr/share/man/man8/leakscope.8.gz" man_page
units_installed() {
	local u f bad=0
	for u in "$top"/dist/systemd/*.service "$top"/dist/systemd/*.timer; do
		f=/lib/systemd/system/${u##*/}
		if ! cmp "$u" "$root$f"; then
			bad=1
		elif ! in_chroot dpkg -S "$f" | grep -q '^leakscope: '; then
			echo "$f: not owned by leakscope"
			bad=1
		fi
	done
	return $bad
}
check "systemd units of dist/systemd in /lib/systemd/system, owned by leakscope" units_installed
fleet_files() {
	local f
	for f in prometheus/leakscope.rules.yml grafana/leakscope.json; do
		cmp "$top/dist/$f" "$root/usr/share/leakscope/$f" || return 1
		in_chroot dpkg -S "/usr/share/leakscope/$f" | grep -q '^leakscope: ' || return 1
	done
}
check "rules and dashboard of dist/ in /usr/share/leakscope, owned by leakscope" fleet_files

# 5. purge, and nothing left
t0=$(date +%s)
check "dpkg --purge leakscope leakscope-dkms" in_chroot dpkg --purge leakscope leakscope-dkms
echo "# purge: $(( $(date +%s) - t0 )) s"
pkgs_gone() {
	local p s
	for p in leakscope-dkms leakscope; do
		# shellcheck disable=SC2016 # dpkg-query's format
		s=$(in_chroot dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || continue
		[ "$s" = "unknown ok not-installed" ] || { echo "$p: $s"; return 1; }
	done
}
check "dpkg: neither package known any more" pkgs_gone
check "no /var/lib/dkms/leakscope, no /usr/src/leakscope-*" \
	test ! -e "$root/var/lib/dkms/leakscope" -a -z "$(ls -d "$root"/usr/src/leakscope-* 2>/dev/null)"
modules_gone() {
	local k left
	left=$(cd "$root" && find . -xdev -name 'leakscope.ko*')
	[ -z "$left" ] || { echo "left: $left"; return 1; }
	for k in "${kernels[@]}"; do
		! grep -qs leakscope "$root/lib/modules/$k/modules.dep" || { echo "$k: modules.dep names it"; return 1; }
	done
}
check "no leakscope.ko* anywhere, no modules.dep names leakscope" modules_gone
no_leakscope_files() {
	local left
	left=$(cd "$root" && find . -xdev -path ./tmp/leakscope-debs -prune -o -iname '*leakscope*' -print)
	[ -z "$left" ] || { echo "$left"; return 1; }
}
check "no file named *leakscope* anywhere" no_leakscope_files
file_list >"$tmp/after"
same_files() {
	diff <(grep -vE "$churn" "$tmp/before") <(grep -vE "$churn" "$tmp/after")
}
check "the chroot's file list is the one from before the install (but for package churn)" same_files
mkdir -p "$out"
cp "$tmp/before" "$tmp/after" "$out/"
diff "$out/before" "$out/after" >"$out/churn.diff"
echo "# churn ignored: $(grep -cE '^[<>]' "$out/churn.diff") lines (build/deb-chroot/churn.diff)"

# 6. tear down: nothing mounted, nothing left
teardown
all_gone() { [ -z "$(mounted_under "$tmp")" ] && [ ! -e "$tmp" ]; }
check "no mount left, the fresh chroot removed" all_gone
tmp=

echo "# deb stage: $(( $(date +%s) - t_start )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
