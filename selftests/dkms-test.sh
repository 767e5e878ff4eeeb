#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DKMS path, end to end (a stage of `make check`; root, on the host):
# the module's git-tracked files only (Kbuild, Makefile, dkms.conf, module/)
# copied into a release-like tree leakscope-VERSION (VERSION from
# dkms.conf), `dkms add` of it, `dkms build` and `dkms install` for each
# test kernel (selftests/kernels.sh, always -k VER, never uname -r), the
# installed file under /lib/modules/VER/updates/dkms/ (.ko, or .ko.xz /
# .ko.zst as the kernel's config asks), then one VM boot per kernel with
# THAT file (run.sh --module-ko VER=PATH): load it, read summary and
# suspects with the reader, every header says disabled=-, unload.  Then
# `dkms remove --all` and nothing may be left: no /var/lib/dkms/leakscope,
# no /usr/src/leakscope-* (dkms remove keeps the sources dkms add copied
# there: removed by the test), no leakscope.ko* under /lib/modules/*/updates,
# no leakscope in modules.dep.  dkms.conf must build for every flavor:
# `dkms build` also for the newest rt-amd64 and cloud-amd64 kernel of each
# series (selftests/kernel-fetch.sh pick), unpacked in the kernel cache
# rather than installed (--kernelsourcedir; installing them would put four
# more kernels on the host), each module's vermagic that kernel's; make
# check's kernels stage boots those kernels.  The packages of `make deb` are installed
# and purged in a Debian 12 chroot, not here: selftests/deb-chroot-test.sh.
#
# Idempotent: a leftover of an interrupted run (or any leakscope in dkms)
# is removed first; the same clean-up runs on exit, failed or not.
# dkms signs the module with /var/lib/dkms/mok.key (made on first use).
#
# TAP on stdout; the last line is "N passed, N failed"; exit non-zero when
# anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
me=${0##*/}
out=$top/build/dkms
# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"

[ "$(id -u)" = 0 ] || bail "needs root (dkms installs into /lib/modules)"
command -v dkms >/dev/null || bail "dkms not found: run 'make deps'"
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' dkms.conf)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
{ [ "$name" = leakscope ] && [ -n "$ver" ]; } || bail "cannot read PACKAGE_NAME/PACKAGE_VERSION from dkms.conf"
mapfile -t kernels < <(selftests/kernels.sh)
[ ${#kernels[@]} -gt 0 ] || bail "no Debian 6.1/6.12 kernel with headers: run 'make deps'"
mapfile -t flavors < <(selftests/kernel-fetch.sh pick | grep -E -- '-(rt|cloud)-amd64$')
[ ${#flavors[@]} -gt 0 ] || bail "no rt-amd64 or cloud-amd64 kernel with headers in apt's lists: run 'apt-get update'"

# Everything dkms may have left of leakscope, any version: dkms's own
# remove first, then by hand what an interrupted run can leave behind.
purge() {
	local d v k changed=()
	# (packages: an older version of this test installed them here)
	for d in leakscope leakscope-dkms; do
		dpkg -s "$d" >/dev/null 2>&1 && dpkg -r "$d" >/dev/null 2>&1
	done
	if [ -d /var/lib/dkms/leakscope ]; then
		for d in /var/lib/dkms/leakscope/*/; do
			v=$(basename "$d")
			case $v in kernel-*|'*') continue ;; esac
			dkms remove "leakscope/$v" --all >/dev/null 2>&1
		done
	fi
	rm -rf /var/lib/dkms/leakscope /usr/src/leakscope-*
	for d in /lib/modules/*/updates; do
		[ -d "$d" ] || continue
		if find "$d" -name 'leakscope.ko*' | grep -q .; then
			find "$d" -name 'leakscope.ko*' -delete
			k=${d#/lib/modules/}
			changed+=("${k%/updates}")
		fi
	done
	for k in "${changed[@]}"; do
		depmod -a "$k" 2>/dev/null
	done
	return 0
}

tmp=
cleanup() {
	purge
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "Bail out! $me: interrupted"; echo "$pass passed, $((fail + 1)) failed"; exit 130' INT TERM

echo "1..$((4 + 4 * ${#kernels[@]} + 2 * ${#flavors[@]} + ${#kernels[@]} + 5))"
t_start=$(date +%s)

# 1. a clean start
purge
check "no leakscope left in dkms before the test (leftovers removed)" \
	test ! -e /var/lib/dkms/leakscope -a -z "$(ls -d /usr/src/leakscope-* 2>/dev/null)"

# 2. the release tree: git-tracked module files only
tmp=$(mktemp -d /tmp/leakscope-dkms.XXXXXX) || bail "cannot make a directory in /tmp"
tree=$tmp/$name-$ver
mkdir -p "$tree"
copy_tree() {
	git ls-files -z -- Kbuild Makefile dkms.conf module | grep -zq . || return 1
	git ls-files -z -- Kbuild Makefile dkms.conf module |
		cpio -0 -pdm --quiet "$tree" || return 1
	[ -f "$tree/dkms.conf" ] && [ -f "$tree/Kbuild" ] && [ -f "$tree/module/Kbuild" ]
}
check "tree $name-$ver from git ls-files ($(git ls-files -- Kbuild Makefile dkms.conf module | wc -l) files)" copy_tree

# 3. dkms add
check "dkms add $name-$ver" dkms add "$tree"
check "dkms add copied the tree to /usr/src/$name-$ver" diff -r "$tree" "/usr/src/$name-$ver"

# 4. build, install and the installed file, per kernel
declare -A installed
for k in "${kernels[@]}"; do
	t0=$(date +%s)
	if ! check "dkms build -k $k" dkms build "$name/$ver" -k "$k"; then
		f=/var/lib/dkms/$name/$ver/build/make.log
		[ -f "$f" ] && tail -n 15 "$f" | sed 's/^/#   make.log: /'
	fi
	check "dkms install -k $k" dkms install "$name/$ver" -k "$k"
	f=$(find "/lib/modules/$k/updates/dkms" -maxdepth 1 -name 'leakscope.ko*' 2>/dev/null)
	if [ -n "$f" ] && [ "$(printf '%s\n' "$f" | wc -l)" = 1 ]; then
		installed[$k]=$f
		ok "$k: installed ${f#/lib/modules/"$k"/} ($(( $(date +%s) - t0 )) s to build and install)"
	else
		not_ok "$k: one leakscope.ko* under /lib/modules/$k/updates/dkms (found: ${f:-none})"
	fi
	check "$k: depmod knows it (modinfo -k $k -n leakscope)" \
		test "$(modinfo -k "$k" -n leakscope 2>/dev/null)" = "${installed[$k]:-none}"
done

# 4b. every flavor builds: dkms against the unpacked headers, not installed
for k in "${flavors[@]}"; do
	t0=$(date +%s)
	kdir=
	if root=$(selftests/kernel-fetch.sh fetch "$k" 2>"$tmp/fetch.err"); then
		kdir=${root#"$k "}/usr/src/linux-headers-$k
	fi
	sed 's/^/# /' "$tmp/fetch.err"
	if ! check "dkms build -k $k --kernelsourcedir ${kdir:-(fetch failed)}" \
		dkms build "$name/$ver" -k "$k" --kernelsourcedir "${kdir:-/nonexistent}"; then
		f=/var/lib/dkms/$name/$ver/build/make.log
		[ -f "$f" ] && tail -n 15 "$f" | sed 's/^/#   make.log: /'
	fi
	f=$(find "/var/lib/dkms/$name/$ver/$k" -name 'leakscope.ko*' 2>/dev/null | head -n 1)
	magic=$(modinfo -F vermagic "${f:-/nonexistent}" 2>/dev/null)
	check "$k: dkms built ${f#/var/lib/dkms/}, vermagic '$magic' ($(( $(date +%s) - t0 )) s)" \
		test "${magic%% *}" = "$k"
done

# 5. one VM per kernel with the installed module
mkdir -p "$out"
script=$out/vm-script.sh
vm_args=()
{
	cat <<'EOF'
#!/bin/sh
# Generated by selftests/dkms-test.sh: the dkms-installed module in the VM.
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
no() { n=$((n + 1)); echo "not ok $n - $*"; }
t() { d=$1; shift; if "$@"; then ok "$d"; else no "$d"; fi; }
echo "1..9"
case $(uname -r) in
EOF
	for k in "${kernels[@]}"; do
		f=${installed[$k]:-}
		[ -n "$f" ] || continue
		case $f in
		*.xz) sum=$(xz -dc "$f" | sha256sum) ;;
		*.zst) sum=$(zstd -dcq "$f" | sha256sum) ;;
		*.gz) sum=$(gzip -dc "$f" | sha256sum) ;;
		*) sum=$(sha256sum <"$f") ;;
		esac
		echo "$k) want=${sum%% *} ;;"
		vm_args+=(--kernel "$k" --module-ko "$k=$f")
	done
	cat <<'EOF'
*) want=unknown ;;
esac
got=$(sha256sum "$LEAKSCOPE_KO" | cut -d' ' -f1)
t "the packed module is the dkms-installed one (sha256 $got)" [ "$got" = "$want" ]
t "insmod the dkms module" insmod "$LEAKSCOPE_KO" interval_ms=200
sleep 2
for f in summary suspects; do
	leakscope "$f" >/tmp/$f.out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/$f.out | head -n 12
	good=0
	[ "$rc" = 0 ] && [ -s /tmp/$f.out ] && ! grep -q 'disabled:' /tmp/$f.out && good=1
	t "leakscope $f exits 0 with a table, nothing disabled" [ "$good" = 1 ]
	h=$(head -n 1 /sys/kernel/debug/leakscope/$f)
	echo "# $h"
	t "$f header says disabled=-" eval 'echo "$h" | grep -qE "^# leakscope $f .* disabled=-( |\$)"'
done
t "rmmod leakscope" rmmod leakscope
t "leakscope is unloaded" eval '! grep -q "^leakscope " /proc/modules'
t "no leakscope debugfs left" [ ! -e /sys/kernel/debug/leakscope ]
EOF
} >"$script"

if [ ${#vm_args[@]} -eq 0 ]; then
	for k in "${kernels[@]}"; do not_ok "$k: VM run with the dkms module (nothing installed)"; done
else
	t0=$(date +%s)
	selftests/vm/run.sh "${vm_args[@]}" --script "$script" --timeout 300 \
		--out "$out/vm" >"$out/vm.log" 2>&1
	vm_rc=$?
	sed 's/^/# /' "$out/vm.log"
	for k in "${kernels[@]}"; do
		# the summary line: "   VER   P passed,   F failed, ..."
		line=$(grep -E "^   $(printf '%s' "$k" | sed 's/[.+]/\\&/g') +[0-9]+ passed, +[0-9]+ failed" "$out/vm.log" | tail -n 1)
		p=$(echo "$line" | awk '{ print $2 }')
		f=$(echo "$line" | awk '{ print $4 }')
		if [ -n "$line" ] && [ "${p:-0}" -ge 9 ] && [ "${f:-1}" = 0 ]; then
			ok "$k: VM run with the dkms-installed module ($p passed)"
		else
			not_ok "$k: VM run with the dkms-installed module (${line:-no result}; log: build/dkms/vm.log)"
		fi
	done
	echo "# VM runs: $(( $(date +%s) - t0 )) s, run.sh exit $vm_rc"
fi

# 6. remove, and nothing left
check "dkms remove $name/$ver --all" dkms remove "$name/$ver" --all
check "no /var/lib/dkms/leakscope" test ! -e /var/lib/dkms/leakscope
# dkms remove keeps the sources; /usr/src/NAME-VER is dkms add's copy of
# ours (a package would own and remove it).
rm -rf "/usr/src/$name-$ver"
check "no /usr/src/leakscope-* (after removing dkms add's copy, which dkms remove keeps)" \
	test -z "$(ls -d /usr/src/leakscope-* 2>/dev/null)"
no_modules_left() {
	local k left=
	check "$1: no leakscope.ko* under /lib/modules/*/updates" \
		test -z "$(find /lib/modules/*/updates -name 'leakscope.ko*' 2>/dev/null)"
	for k in "${kernels[@]}"; do
		grep -qs 'leakscope' "/lib/modules/$k/modules.dep" && left="$left $k"
	done
	check "$1: modules.dep of every kernel no longer names leakscope" test -z "$left"
}
no_modules_left "dkms remove"

echo "# dkms stage: $(( $(date +%s) - t_start )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
