#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leakscope VM test runner: build the module for each kernel, the static
# userspace binaries once, pack an initramfs, boot it under qemu (TCG), run
# the in-VM tests (or a script), and judge the test output and the console.
#
# Usage: selftests/vm/run.sh [--kernel VER]... [--kernel-tree VER=DIR]...
#                            [--test-kernel DIR] [--script FILE]
#                            [--tests PATTERN]... [--timeout SECONDS] [--mem MB]
#                            [--smp N] [--append ARGS] [--module-ko [VER=]PATH]...
#                            [--make-arg ARG]... [--jobs N] [--keep] [--out DIR]
#
# The last line is always "N passed, N failed"; the exit status is non-zero
# when anything failed (a failed test, a splat on the console, a timeout, a
# VM that died, a build that failed).  A kernel that crashes in its own
# boot, before init has written a line and with no module loaded, and
# takes qemu down with it (no timeout), is booted once more (said, and its
# console kept as console.boot-crash.log):
# Debian's 6.12 rarely takes an int3 Oops under TCG while it patches its
# text, before anything of ours runs.
#
# Logs: OUT/VER/console.log (kernel console, ttyS0), OUT/VER/output.log
# (test/script output, ttyS1), OUT/VER/build.log (module build),
# OUT/VER/qemu.cmd (the qemu command line, to boot it again by hand),
# OUT/VER/kmod-build.log (test modules, selftests/kmod, when there are any:
# built into build/VER/kmod/, in the VM as /lib/leakscope/NAME.ko).
#
# --test-kernel DIR boots a kernel built by selftests/kernel/build-test-kernel.sh
# (DIR/bzImage, modules built with make -C DIR/build M=...), labelled
# test-SERIES-VARIANT (say test-6.12-debug) in the logs and the summary.  It
# has everything built in, so there is nothing else to load.  With it the
# KUnit module is built too (selftests/kunit, into build/LABEL/kunit/) and
# packed as /lib/leakscope/leakscope_kunit.ko.  When that kernel has
# CONFIG_MODULE_SIG, every module packed for it (leakscope, the test
# modules, the KUnit module) is signed in the initramfs with the kernel's
# own key (DIR/build/certs/signing_key.pem, DIR/build/scripts/sign-file),
# as a distribution signs its modules: they load without tainting the
# kernel, and under lockdown (--append lockdown=integrity) at all.
#
# --kernel-tree VER=DIR boots a Debian kernel unpacked, not installed, in
# DIR (selftests/kernel-fetch.sh): DIR/boot/vmlinuz-VER, modules built
# against DIR/usr/src/linux-headers-VER.
#
# --module-ko VER=PATH boots kernel VER with the leakscope module PATH (say
# the one dkms installed, selftests/dkms-test.sh) instead of building the
# tree's: .ko as is, .ko.xz/.ko.zst/.ko.gz decompressed on the host first
# (into build/VER/module-ko/).  --module-ko PATH: that file for every kernel.
#
# The run fails on any taint at its end but O and E (our own modules, out
# of tree and, on Debian's kernels, unsigned); LS_VM_ALLOW_TAINT=LETTERS
# allows more (the KUnit run: N).
#
# For developing the runner itself, the sources can be pointed elsewhere:
# LS_VM_MODULE_SRC (a dir with Kbuild and module/), LS_VM_KMOD_SRC (a dir
# with Kbuild), LS_VM_TESTS_SRC, LS_VM_REPRO_SRC, LS_VM_USERSPACE_SRC (dirs
# with a Makefile).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VMDIR=$ROOT/selftests/vm
BUILD=$ROOT/build
STATIC=$BUILD/static
STAGE=$BUILD/vm-stage

MODULE_SRC=${LS_VM_MODULE_SRC:-$ROOT}
KMOD_SRC=${LS_VM_KMOD_SRC:-$ROOT/selftests/kmod}
TESTS_SRC=${LS_VM_TESTS_SRC:-$ROOT/selftests/tests}
REPRO_SRC=${LS_VM_REPRO_SRC:-$ROOT/selftests/repro}
BENCH_SRC=$ROOT/selftests/bench
USERSPACE_SRC=${LS_VM_USERSPACE_SRC:-$ROOT/userspace}
KUNIT_SRC=${LS_VM_KUNIT_SRC:-$ROOT/selftests/kunit}
BUSYBOX=${LS_VM_BUSYBOX:-/bin/busybox}
JOBS=$(nproc 2>/dev/null || echo 2)

kernels=()
kernel_trees=()
make_args=()
test_kernels=()
script=
timeout_s=600
mem=1024
smp=2
jobs=1
keep=0
out=$BUILD/vm
append=
module_ko_args=()
test_pats=()

me=${0##*/}
die() { echo "$me: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
fatal() { echo "$me: $*" >&2; exit 2; }	# setup errors: one line, no run
warn() { echo "$me: warning: $*" >&2; }
note() { echo "== $*"; }

usage() {
	sed -n '/^# Usage:/,/^# OUT\/VER\/qemu.cmd/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	cat <<'EOF'

  --kernel VER     boot this installed kernel (repeatable); default: every
                   /boot/vmlinuz-VER that has /lib/modules/VER/build (none
                   when --test-kernel is given)
  --kernel-tree VER=DIR  boot kernel VER unpacked in DIR (boot/vmlinuz-VER,
                   usr/src/linux-headers-VER), as selftests/kernel-fetch.sh
                   leaves it (repeatable)
  --test-kernel DIR  boot the test kernel in DIR (from
                   selftests/kernel/build-test-kernel.sh) and load the KUnit
                   module there (repeatable)
  --script FILE    run this busybox sh script in the VM instead of /tests/*;
                   its output is shown live; TAP in it is counted
  --tests PATTERN  pack only the tests whose name matches this shell
                   pattern, say '99_*' (repeatable; default: all of them)
  --timeout S      seconds per boot before qemu is killed (default 600)
  --mem MB         guest memory (default 1024)
  --smp N          guest CPUs (default 2)
  --append ARGS    extra kernel command line arguments
  --module-ko [VER=]PATH  pack this leakscope module (.ko, .ko.xz, .ko.zst,
                   .ko.gz) for kernel VER (repeatable), or for every kernel,
                   instead of building the tree's
  --make-arg ARG   pass ARG (say W=1) to the builds of leakscope and the
                   test modules (repeatable)
  --jobs N         boot up to N kernels at once (default 1); their results
                   are judged and shown in order, each once its VM is done.
                   Most of a test's time is waiting for samples, so two VMs
                   share a 2-core host well; a script runs one at a time
  --keep           keep the initramfs staging trees (build/vm-stage/)
  --out DIR        where the logs go (default build/vm)
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) [ $# -ge 2 ] || die "--kernel needs a version"; kernels+=("$2"); shift ;;
	--kernel=*) kernels+=("${1#*=}") ;;
	--kernel-tree) [ $# -ge 2 ] || die "--kernel-tree needs VER=DIR"; kernel_trees+=("$2"); shift ;;
	--kernel-tree=*) kernel_trees+=("${1#*=}") ;;
	--make-arg) [ $# -ge 2 ] || die "--make-arg needs an argument"; make_args+=("$2"); shift ;;
	--make-arg=*) make_args+=("${1#*=}") ;;
	--test-kernel) [ $# -ge 2 ] || die "--test-kernel needs a directory"; test_kernels+=("$2"); shift ;;
	--test-kernel=*) test_kernels+=("${1#*=}") ;;
	--script) [ $# -ge 2 ] || die "--script needs a file"; script=$2; shift ;;
	--script=*) script=${1#*=} ;;
	--tests) [ $# -ge 2 ] || die "--tests needs a pattern"; test_pats+=("$2"); shift ;;
	--tests=*) test_pats+=("${1#*=}") ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout_s=$2; shift ;;
	--timeout=*) timeout_s=${1#*=} ;;
	--mem) [ $# -ge 2 ] || die "--mem needs MB"; mem=$2; shift ;;
	--mem=*) mem=${1#*=} ;;
	--smp) [ $# -ge 2 ] || die "--smp needs a number"; smp=$2; shift ;;
	--smp=*) smp=${1#*=} ;;
	--append) [ $# -ge 2 ] || die "--append needs arguments"; append=$2; shift ;;
	--append=*) append=${1#*=} ;;
	--module-ko) [ $# -ge 2 ] || die "--module-ko needs [VER=]PATH"; module_ko_args+=("$2"); shift ;;
	--module-ko=*) module_ko_args+=("${1#*=}") ;;
	--jobs) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift ;;
	--jobs=*) jobs=${1#*=} ;;
	--keep) keep=1 ;;
	--out) [ $# -ge 2 ] || die "--out needs a directory"; out=$2; shift ;;
	--out=*) out=${1#*=} ;;
	-h|--help) usage; exit 0 ;;
	*) echo "$me: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done

for n in "$timeout_s" "$mem" "$smp" "$jobs"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "$me: '$n' is not a positive number" >&2; exit 2; }
done
if [ -n "$script" ] && [ ${#test_pats[@]} -gt 0 ]; then
	echo "$me: --tests selects tests, --script runs a script instead of them: not both" >&2
	exit 2
fi
# What the VM runs, for boot_run and check.py: the tests, or a script.
mode=tests
[ -z "$script" ] || mode=script
if [ -n "$script" ]; then
	[ -f "$script" ] && [ -r "$script" ] || { echo "$me: script '$script' not found" >&2; exit 2; }
	script=$(cd "$(dirname "$script")" && pwd)/$(basename "$script")
fi
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)

installed_kernels() {
	local f v
	for f in /boot/vmlinuz-*; do
		[ -e "$f" ] || continue
		v=${f#/boot/vmlinuz-}
		[ -d "/lib/modules/$v/build" ] && echo "$v"
	done | sort -V
}

if [ ${#kernels[@]} -eq 0 ] && [ ${#test_kernels[@]} -eq 0 ] && [ ${#kernel_trees[@]} -eq 0 ]; then
	mapfile -t kernels < <(installed_kernels)
	[ ${#kernels[@]} -gt 0 ] || fatal "no installed kernel with headers (/boot/vmlinuz-VER + /lib/modules/VER/build): run 'make deps'"
fi
# Each kernel by its label: the image it boots, the tree modules build
# against, and whether it is a test kernel (KUnit).
declare -A kimage kbuild ktest
for v in "${kernels[@]}"; do
	if [ ! -r "/boot/vmlinuz-$v" ] || [ ! -d "/lib/modules/$v/build" ]; then
		fatal "kernel $v is not installed (need /boot/vmlinuz-$v and /lib/modules/$v/build): run 'make deps'"
	fi
	kimage[$v]=/boot/vmlinuz-$v
	kbuild[$v]=/lib/modules/$v/build
	ktest[$v]=0
done
for a in "${kernel_trees[@]}"; do
	v=${a%%=*}
	d=${a#*=}
	if [ "$v" = "$a" ] || [ ! -r "$d/boot/vmlinuz-$v" ] || [ ! -f "$d/usr/src/linux-headers-$v/Makefile" ]; then
		fatal "--kernel-tree $a: need VER=DIR with DIR/boot/vmlinuz-VER and DIR/usr/src/linux-headers-VER (selftests/kernel-fetch.sh fetch VER)"
	fi
	[ -z "${kimage[$v]:-}" ] || fatal "kernel $v given twice"
	d=$(cd "$d" && pwd)
	kernels+=("$v")
	kimage[$v]=$d/boot/vmlinuz-$v
	kbuild[$v]=$d/usr/src/linux-headers-$v
	ktest[$v]=0
done
for d in "${test_kernels[@]}"; do
	if [ ! -r "$d/bzImage" ] || [ ! -f "$d/build/Makefile" ] || [ ! -f "$d/info" ]; then
		fatal "$d is not a test kernel (need bzImage, build/ and info): run selftests/kernel/build-test-kernel.sh"
	fi
	d=$(cd "$d" && pwd)
	rel=$(sed -n 's/^release //p' "$d/info")
	var=$(sed -n 's/^variant //p' "$d/info")
	v=test-$(echo "$rel" | cut -d. -f1-2)-${var:-unknown}
	[ -z "${kimage[$v]:-}" ] || fatal "two test kernels with the label $v"
	kernels+=("$v")
	kimage[$v]=$d/bzImage
	kbuild[$v]=$d/build
	ktest[$v]=1
done

# --module-ko: given[VER] is the module file to pack for VER (as given,
# maybe compressed).  VER=PATH when VER is a kernel of this run, else PATH
# for all of them.
declare -A given
for a in "${module_ko_args[@]}"; do
	kv=
	if [[ $a == *=* ]]; then
		for v in "${kernels[@]}"; do
			[ "${a%%=*}" = "$v" ] && kv=$v
		done
	fi
	f=${a#"$kv="}
	[ -n "$kv" ] || kv='*'
	[ -f "$f" ] && [ -r "$f" ] ||
		fatal "--module-ko: '$f' is not a readable file (use VER=PATH with VER a --kernel of this run, or PATH)"
	case $f in
	*.ko|*.ko.xz|*.ko.zst|*.ko.gz) ;;
	*) fatal "--module-ko: '$f' is not a .ko, .ko.xz, .ko.zst or .ko.gz" ;;
	esac
	f=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
	if [ "$kv" = '*' ]; then
		for v in "${kernels[@]}"; do given[$v]=$f; done
	else
		given[$kv]=$f
	fi
done

for t in qemu-system-x86_64 cpio gzip python3 rsync timeout flock; do
	command -v "$t" >/dev/null || fatal "$t not found: run 'make deps'"
done
[ -x "$BUSYBOX" ] || fatal "$BUSYBOX not found (package busybox-static): run 'make deps'"

# ---------------------------------------------------------------------------
# Building.  make does the caching.

# run_make LOG DESC make-args...: quiet make, log kept, tail shown on failure.
run_make() {
	local log=$1 desc=$2
	shift 2
	if ! make "$@" >"$log" 2>&1; then
		echo "$me: $desc failed (log: $log):" >&2
		{ grep -E -m 15 '(error|Error|undefined|No rule)' "$log"; tail -n 5 "$log"; } |
			awk '!seen[$0]++' | sed 's/^/  /' >&2
		return 1
	fi
	grep -E 'warning:' "$log" | head -n 20 | sed 's/^/  /'
	return 0
}

# Kbuild's products, never copied into a build tree.
KBUILD_OUTPUTS=(--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c'
	--exclude='.*.cmd' --exclude='.*.d' --exclude='modules.order'
	--exclude='Module.symvers' --exclude='.tmp_versions')

# build: every build step of a run, in one place.  Userspace static binaries
# once for all kernels (build/static/{leakscope,tests/,repro/}); the module
# for each kernel in build/VER/src (a copy: two kernels' objects would
# clobber each other in one tree), the test modules in build/VER/kmod.
# Sets built[VER]=1 for each kernel whose modules built; returns non-zero
# if userspace failed (then nothing boots).
declare -A built
build() {
	local v src kmod kdir

	note "building userspace (static)"
	mkdir -p "$STATIC"
	if [ -f "$USERSPACE_SRC/Makefile" ]; then
		run_make "$STATIC/reader.log" "reader build" -C "$USERSPACE_SRC" \
			O="$STATIC/" LDFLAGS=-static -j"$JOBS" || return 1
	else
		warn "$USERSPACE_SRC/Makefile missing: no /bin/leakscope in the VM"
	fi
	if [ -n "$script" ]; then
		:	# a script run needs no tests
	elif [ -f "$TESTS_SRC/Makefile" ]; then
		if [ -x "$ROOT/selftests/kernel-files.sh" ]; then
			(cd "$ROOT" && selftests/kernel-files.sh) || return 1
		fi
		run_make "$STATIC/tests.log" "test build" -C "$TESTS_SRC" \
			OUT="$STATIC/tests" LDFLAGS=-static -j"$JOBS" || return 1
	else
		warn "$TESTS_SRC/Makefile missing: no tests in the VM"
	fi
	if [ -f "$REPRO_SRC/Makefile" ]; then
		run_make "$STATIC/repro.log" "reproducer build" -C "$REPRO_SRC" \
			OUT="$STATIC/repro" LDFLAGS=-static -j"$JOBS" || return 1
	else
		warn "$REPRO_SRC/Makefile missing: no reproducers in the VM"
	fi
	# Benchmark helpers are only for scripts (make bench).
	if [ -n "$script" ] && [ -f "$BENCH_SRC/Makefile" ]; then
		run_make "$STATIC/bench.log" "benchmark build" -C "$BENCH_SRC" \
			OUT="$STATIC/bench" LDFLAGS=-static -j"$JOBS" || return 1
	fi

	for v in "${kernels[@]}"; do
		src=$BUILD/$v/src
		kdir=${kbuild[$v]}
		built[$v]=0
		mkdir -p "$src" "$out/$v"
		if [ -n "${given[$v]:-}" ]; then
			note "$v: using ${given[$v]} (--module-ko), not building leakscope"
			given_ko "$v" >"$out/$v/build.log" 2>&1 || {
				sed 's/^/  /' "$out/$v/build.log" >&2
				continue
			}
		elif [ ! -f "$MODULE_SRC/Kbuild" ] || [ ! -d "$MODULE_SRC/module" ]; then
			warn "no $MODULE_SRC/Kbuild or module/: booting $v without leakscope.ko"
			built[$v]=1
			continue
		else
			note "$v: building module"
			# By checksum, without times: unchanged files keep their mtime
			# (make skips them), changed ones get a new one (make rebuilds).
			rsync -rlc --delete "${KBUILD_OUTPUTS[@]}" \
				"$MODULE_SRC/Kbuild" "$MODULE_SRC/module" "$src/" || continue
			run_make "$out/$v/build.log" "module build for $v" \
				-C "$kdir" M="$src" -j"$JOBS" "${make_args[@]}" modules || continue
		fi
		if [ -f "$KMOD_SRC/Kbuild" ]; then
			kmod=$BUILD/$v/kmod
			note "$v: building test modules"
			mkdir -p "$kmod"
			rsync -rlc --delete "${KBUILD_OUTPUTS[@]}" "$KMOD_SRC/" "$kmod/" || continue
			run_make "$out/$v/kmod-build.log" "test module build for $v" \
				-C "$kdir" M="$kmod" -j"$JOBS" "${make_args[@]}" modules || continue
		fi
		if [ "${ktest[$v]}" = 1 ] && [ -f "$KUNIT_SRC/Kbuild" ] && [ -f "$KUNIT_SRC/Makefile" ]; then
			note "$v: building the KUnit module"
			run_make "$out/$v/kunit-build.log" "KUnit module build for $v" \
				-C "$KUNIT_SRC" KDIR="$kdir" OUT="$BUILD/$v/kunit" \
				-j"$JOBS" || continue
		fi
		built[$v]=1
	done
}

# given_ko VER: the --module-ko file for VER, decompressed on the host (the
# VM's busybox insmod may not read .xz/.zst), as build/VER/module-ko/leakscope.ko.
given_ko() {
	local f=${given[$1]} d=$BUILD/$1/module-ko
	rm -rf "$d"
	mkdir -p "$d" || return 1
	case $f in
	*.xz) xz -dc -- "$f" ;;
	*.zst) zstd -dcq -- "$f" ;;
	*.gz) gzip -dc -- "$f" ;;
	*) cat -- "$f" ;;
	esac >"$d/leakscope.ko.tmp" || { echo "$me: cannot read or decompress $f" >&2; rm -f "$d/leakscope.ko.tmp"; return 1; }
	mv "$d/leakscope.ko.tmp" "$d/leakscope.ko"
	echo "$f -> ${d#"$ROOT"/}/leakscope.ko ($(stat -c %s "$d/leakscope.ko") bytes)"
}

module_ko() {
	local f
	if [ -n "${given[$1]:-}" ]; then
		f=$BUILD/$1/module-ko/leakscope.ko
		[ -f "$f" ] && { echo "$f"; return 0; }
		return 1
	fi
	for f in "$BUILD/$1/src/module/leakscope.ko" "$BUILD/$1/src/leakscope.ko"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# ---------------------------------------------------------------------------
# initramfs: a cached base (busybox and its applet links, device nodes)
# concatenated with a small per-kernel overlay (init, module, binaries).
# The kernel unpacks concatenated gzip'd cpio archives in order.

BASE_VERSION=1
pack_base() {
	local base=$STAGE/base.cpio.gz stamp=$STAGE/base.stamp want
	want="$BASE_VERSION $(stat -c '%s %Y' "$BUSYBOX")"
	if [ -f "$base" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
		return 0
	fi
	local r=$STAGE/base-root a
	rm -rf "$r"
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root,etc,tests,lib/leakscope}
	cp "$BUSYBOX" "$r/bin/busybox"
	"$BUSYBOX" --list-full | while read -r a; do
		case $a in bin/busybox|'') continue ;; esac
		mkdir -p "$r/$(dirname "$a")"
		ln -sf /bin/busybox "$r/$a"
	done
	[ -e "$r/bin/sh" ] || ln -s busybox "$r/bin/sh"
	if [ "$(id -u)" = 0 ]; then
		mknod -m 600 "$r/dev/console" c 5 1
		mknod -m 666 "$r/dev/null" c 1 3
	fi
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	echo 'root:x:0:' >"$r/etc/group"
	if [ -n "$script" ] && [ -d "$STATIC/bench" ]; then
		install -m 755 "$STATIC"/bench/ls-bench-* "$r/bin/"
	fi
	(cd "$r" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$base.tmp" || return 1
	mv "$base.tmp" "$base"
	echo "$want" >"$stamp"
	rm -rf "$r"
}

# built_bins OUTDIR SRCDIR: the executables make left in OUTDIR that still
# have a source (NAME.c, NAME.sh, NAME/) in SRCDIR, so that a test removed
# or renamed in the tree does not keep running from a stale binary.  When
# none match (a Makefile that names binaries differently), all of them.
built_bins() {
	local dir=$1 src=$2 f n all=() kept=()
	[ -d "$dir" ] || return 0
	for f in "$dir"/*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		all+=("$f")
		n=${f##*/}
		if [ -e "$src/$n.c" ] || [ -e "$src/$n.sh" ] || [ -d "$src/$n" ] ||
		   [ -e "$src/${n#ls-repro-}.c" ] || [ -e "$src/${n#ls-repro-}.sh" ]; then
			kept+=("$f")
		fi
	done
	[ ${#kept[@]} -gt 0 ] || kept=("${all[@]}")
	for f in "${all[@]}"; do
		case " ${kept[*]} " in
		*" $f "*) echo "$f" ;;
		*) echo "$me: warning: ignoring stale ${f#"$ROOT"/} (no source in ${src#"$ROOT"/})" >&2 ;;
		esac
	done
}

# wanted_test NAME: is this test selected (--tests; all when none given)?
wanted_test() {
	local p
	[ ${#test_pats[@]} -eq 0 ] && return 0
	for p in "${test_pats[@]}"; do
		# shellcheck disable=SC2053 # a pattern, on purpose
		[[ $1 == $p ]] && return 0
	done
	return 1
}

# sign_modules VER DIR: sign every .ko in DIR for test kernel VER with its
# build's own key, when it checks signatures (CONFIG_MODULE_SIG).  The
# copies in the initramfs are signed, never the build's products (make
# would not rebuild them, and every run would pile a signature onto them).
# A --module-ko that comes signed (say by dkms, with a key this kernel
# does not trust) is signed all the same: the kernel checks the last
# signature, over everything before it.  A Debian kernel trusts only
# Debian's key: nothing to do there, its unsigned modules load (tainting
# it) unless it is locked down.
sign_modules() {
	local ver=$1 dir=$2 kb=${kbuild[$1]} hash ko
	[ "${ktest[$ver]}" = 1 ] && grep -qx 'CONFIG_MODULE_SIG=y' "$kb/.config" || return 0
	hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$kb/.config")
	if [ -z "$hash" ] || [ ! -x "$kb/scripts/sign-file" ] ||
	   [ ! -f "$kb/certs/signing_key.pem" ] || [ ! -f "$kb/certs/signing_key.x509" ]; then
		echo "$me: $ver checks module signatures but $kb has no scripts/sign-file or certs/signing_key.{pem,x509}: rebuild it (selftests/kernel/build-test-kernel.sh)" >&2
		return 1
	fi
	for ko in "$dir"/*.ko; do
		[ -f "$ko" ] || continue
		"$kb/scripts/sign-file" "$hash" "$kb/certs/signing_key.pem" \
			"$kb/certs/signing_key.x509" "$ko" ||
			{ echo "$me: signing ${ko##*/} for $ver failed" >&2; return 1; }
	done
	echo "== $ver: modules signed with ${kb#"$ROOT"/}/certs/signing_key.pem ($hash): $(cd "$dir" && echo *.ko)" >&2
}

# pack_initramfs VER: prints the path of the initramfs (in OUT/VER, where
# no other run's packing reaches it once the lock is released).
pack_initramfs() {
	local ver=$1 r=$STAGE/$1 ko f n ntests=0
	rm -rf "$r"
	mkdir -p "$r/bin" "$r/tests" "$r/lib/leakscope" "$out/$ver"
	install -m 755 "$VMDIR/init.sh" "$r/init"
	if ko=$(module_ko "$ver"); then
		install -m 644 "$ko" "$r/lib/leakscope/leakscope.ko"
	fi
	# Test modules that still have a source (not a stale NAME.ko).
	for ko in "$BUILD/$ver"/kmod/*.ko; do
		[ -f "$ko" ] && [ -f "$KMOD_SRC/$(basename "$ko" .ko).c" ] || continue
		install -m 644 "$ko" "$r/lib/leakscope/"
	done
	if [ "${ktest[$ver]}" = 1 ] && [ -f "$KUNIT_SRC/Kbuild" ] &&
	   [ -f "$BUILD/$ver/kunit/leakscope_kunit.ko" ]; then
		install -m 644 "$BUILD/$ver/kunit/leakscope_kunit.ko" "$r/lib/leakscope/"
	fi
	sign_modules "$ver" "$r/lib/leakscope" || return 1
	[ -x "$STATIC/leakscope" ] && install -m 755 "$STATIC/leakscope" "$r/bin/leakscope"
	if [ -n "$script" ]; then
		install -m 755 "$script" "$r/lib/leakscope/script.sh"
	fi
	# Tests only in test mode; reproducers always (scripts use them).
	if [ -z "$script" ]; then
		while read -r f; do
			wanted_test "${f##*/}" || continue
			install -m 755 "$f" "$r/tests/"
			ntests=$((ntests + 1))
		done < <(built_bins "$STATIC/tests" "$TESTS_SRC")
		if [ ${#test_pats[@]} -gt 0 ] && [ "$ntests" = 0 ]; then
			echo "$me: no test matches --tests ${test_pats[*]}" >&2
			return 1
		fi
	fi
	built_bins "$STATIC/repro" "$REPRO_SRC" | while read -r f; do
		n=${f##*/}
		case $n in ls-repro-*) ;; *) n=ls-repro-$n ;; esac
		install -m 755 "$f" "$r/bin/$n"
	done
	if [ -n "$script" ] && [ -d "$STATIC/bench" ]; then
		install -m 755 "$STATIC"/bench/ls-bench-* "$r/bin/"
	fi
	(cd "$r" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$STAGE/$ver.overlay.gz" || return 1
	cat "$STAGE/base.cpio.gz" "$STAGE/$ver.overlay.gz" >"$out/$ver/initramfs.cpio.gz" ||
		return 1
	rm -f "$STAGE/$ver.overlay.gz"
	[ "$keep" = 1 ] || rm -rf "$r"
	echo "$out/$ver/initramfs.cpio.gz"
}

# ---------------------------------------------------------------------------
# Booting and judging.

qpid=
declare -A bpid		# VER: its boot_run in the background (--jobs)
cleanup() {
	local v
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "$qpid" ] && wait "$qpid" 2>/dev/null
	for v in "${!bpid[@]}"; do
		kill "${bpid[$v]}" 2>/dev/null
		wait "${bpid[$v]}" 2>/dev/null
	done
	[ "$keep" = 1 ] || rm -f "$STAGE"/*.overlay.gz
}
trap 'cleanup; echo "$me: interrupted" >&2; exit 130' INT TERM

total_pass=0
total_fail=0
total_skip=0
summary=()

# crashed_before_init LOGS: the boot in LOGS died of an Oops or a panic
# before init wrote a line, with no module loaded: nothing of leakscope's
# (nor any test's) had run.
crashed_before_init() {
	! grep -q '^### leakscope-vm BEGIN' "$1/output.log" &&
		grep -qE 'Oops: |Kernel panic' "$1/console.log" &&
		! grep -qE 'Modules linked in: *[^ ]' "$1/console.log"
}

# kernel_args VER: what a test kernel's config asks of its command line.
# Allocation profiling built but not on by default (debug.config) is
# available only when asked for at boot, "sysctl.vm.mem_profiling=0":
# supported and off, so that 95_allocinfo can switch it on for itself
# (lib/alloc_tag.c, setup_early_mem_profiling(); without the parameter
# the sysctl is read-only and page_ext holds no tags).
kernel_args() {
	local config=${kbuild[$1]}/.config
	[ "${ktest[$1]}" = 1 ] && [ -f "$config" ] || return 0
	if grep -qx 'CONFIG_MEM_ALLOC_PROFILING=y' "$config" &&
		! grep -qx 'CONFIG_MEM_ALLOC_PROFILING_ENABLED_BY_DEFAULT=y' "$config"; then
		echo "sysctl.vm.mem_profiling=0"
	fi
}

# boot_run VER INITRD: boots (once more if the kernel crashed in its own
# boot) and leaves "rc timed_out secs" in OUT/VER/boot.status.
boot_run() {
	local ver=$1 initrd=$2 logs=$out/$1 rc t0 t1 secs timed_out=0 tailpid=
	local cmdline
	cmdline="console=ttyS0 panic=-1 $(kernel_args "$ver") $append"
	rm -f "$logs"/console.* "$logs"/output.* "$logs"/qemu.* "$logs"/counts \
		"$logs/boot.status"
	local cmd=(qemu-system-x86_64 -accel tcg -cpu max -m "$mem" -smp "$smp"
		-nographic -no-reboot -monitor none
		-serial "file:$logs/console.raw" -serial "file:$logs/output.raw"
		-kernel "${kimage[$ver]}" -initrd "$initrd" -append "${cmdline% }")
	printf '%q ' "${cmd[@]}" >"$logs/qemu.cmd"
	echo >>"$logs/qemu.cmd"

	local attempt
	for attempt in 1 2; do
		timed_out=0
		: >"$logs/console.raw"
		: >"$logs/output.raw"
		note "$ver: booting (timeout ${timeout_s} s)"
		t0=$(date +%s.%N)
		timeout -k 10 "$timeout_s" "${cmd[@]}" </dev/null >"$logs/qemu.log" 2>&1 9>&- &
		qpid=$!
		if [ "$mode" = script ]; then
			tail -n +1 -F --pid="$qpid" "$logs/output.raw" 2>/dev/null |
				sed -u -e 's/\r$//' -e '/^### leakscope-/d' &
			tailpid=$!
		fi
		wait "$qpid"
		rc=$?
		qpid=
		[ -n "$tailpid" ] && wait "$tailpid" 2>/dev/null
		t1=$(date +%s.%N)
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

		tr -d '\r' <"$logs/console.raw" >"$logs/console.log"
		tr -d '\r' <"$logs/output.raw" >"$logs/output.log"
		[ "$keep" = 1 ] || rm -f "$logs/console.raw" "$logs/output.raw"
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			timed_out=$timeout_s
			echo "$me: timeout after $timeout_s s on $ver" >&2
		elif [ "$rc" != 0 ]; then
			sed 's/^/  qemu: /' "$logs/qemu.log"
		fi
		# Once: the kernel crashed in its own boot, before init ran
		# anything of ours (a qemu TCG flake seen on 6.12: an int3
		# Oops while the kernel patches its text), and qemu ended by
		# itself (a boot that hung would cost another timeout).
		[ "$attempt" = 1 ] && [ "$timed_out" = 0 ] &&
			crashed_before_init "$logs" || break
		mv "$logs/console.log" "$logs/console.boot-crash.log"
		note "$ver: the kernel crashed while booting, before init ran, no module loaded ($(grep -m1 -oE '(Oops: |Kernel panic).*' "$logs/console.boot-crash.log")$(grep -m1 -o 'RIP: .*' "$logs/console.boot-crash.log" | sed 's/^/, /')): booting once more; that console is in console.boot-crash.log"
	done
	echo "$rc $timed_out $secs" >"$logs/boot.status"
}

# boot_judge VER: judges the boot boot_run left, adds to the totals.
boot_judge() {
	local ver=$1 logs=$out/$1 rc=1 timed_out=0 secs=0
	read -r rc timed_out secs <"$logs/boot.status" 2>/dev/null
	python3 "$VMDIR/check.py" --kernel "$ver" --mode "$mode" \
		--output "$logs/output.log" --console "$logs/console.log" \
		--qemu-rc "$rc" --timed-out "$timed_out" --counts "$logs/counts" \
		--allow-taint "${LS_VM_ALLOW_TAINT:-}"
	local p=0 f=1 s=0
	read -r p f s <"$logs/counts" || { p=0; f=1; s=0; }
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	local line
	line=$(printf '%-24s %3d passed, %3d failed, %3d skipped  %6s s  (logs: %s)' \
		"$ver" "$p" "$f" "$s" "$secs" "${logs#"$ROOT"/}")
	echo "== $line"
	summary+=("$line")
}

mkdir -p "$STAGE"
# One run at a time until its initramfs are packed: runs share
# build/VER/src, build/static and build/vm-stage.  The boots may overlap.
exec 9>"$BUILD/.vm-run.lock"
if ! flock -n 9; then
	note "waiting for another run.sh to finish (lock: ${BUILD#"$ROOT"/}/.vm-run.lock)"
	flock 9
fi
build || die "userspace build failed"
pack_base || die "packing the busybox base initramfs failed"

# boot_wait VER: waits for VER's boot in the background, shows what it
# printed, judges it.
boot_wait() {
	wait "${bpid[$1]}"
	unset "bpid[$1]"
	cat "$out/$1/boot.out"
	boot_judge "$1"
}

declare -A initrd
packed=()
for v in "${kernels[@]}"; do
	if [ "${built[$v]}" != 1 ]; then
		if [ -n "${given[$v]:-}" ]; then
			summary+=("$(printf '%-24s --module-ko %s failed (log: %s)' "$v" "${given[$v]}" "$out/$v/build.log")")
		else
			summary+=("$(printf '%-24s module build failed (log: %s)' "$v" "$out/$v/build.log")")
		fi
		total_fail=$((total_fail + 1))
		continue
	fi
	if ! initrd[$v]=$(pack_initramfs "$v"); then
		summary+=("$(printf '%-24s packing the initramfs failed' "$v")")
		total_fail=$((total_fail + 1))
		continue
	fi
	packed+=("$v")
done
# What the lock guards (build/VER/src, build/static, build/vm-stage) is
# done with: another run (say make matrix's next kernel) may build while
# these boot.
flock -u 9

running=()	# kernels booting in the background, oldest first
for v in "${packed[@]}"; do
	if [ "$jobs" = 1 ] || [ "$mode" = script ]; then
		boot_run "$v" "${initrd[$v]}"
		boot_judge "$v"
		continue
	fi
	if [ ${#running[@]} -ge "$jobs" ]; then
		boot_wait "${running[0]}"
		running=("${running[@]:1}")
	fi
	note "$v: booting in the background (--jobs $jobs): its output when it is done"
	rm -f "$out/$v/boot.out"
	# Its own qemu goes with it when cleanup() stops it.
	(trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; exit 143' TERM
	 boot_run "$v" "${initrd[$v]}") >"$out/$v/boot.out" 2>&1 &
	bpid[$v]=$!
	running+=("$v")
done
for v in "${running[@]}"; do
	boot_wait "$v"
done

cleanup
echo
echo "== summary"
for l in "${summary[@]}"; do echo "   $l"; done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
