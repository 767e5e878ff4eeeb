# SPDX-License-Identifier: GPL-2.0
#
# leakscope: kernel module + reader.
#
#   make                 module (against KDIR) and the reader
#   make check           everything: deps, static checks, unit tests, VM tests
#   make demo            a VM on a stock Debian kernel catching a live leak
#   make matrix          every Debian 12 kernel in the archive: build, boot, smoke
#                        test, a table in build/matrix/results.md (KERNELS='VER...')
#   make deps            install what the build and the tests need (root)
#   make test-kernel     build (or reuse) the debug test kernel (KUnit, KASAN...)
#   make kunit           the KUnit suites on that kernel
#   make install         the reader and its man page under PREFIX (and uninstall)
#   make deb             build/deb/: leakscope-dkms (module source) and leakscope (reader)
#   make bench           benchmarks: procfs tools, tracking's cost; one VM boot
#   make soak            the soak test for SOAK_SECONDS (10,000 samples and more)
#   make fuzz            the libFuzzer targets, for longer than make check does
#
# Kbuild reads ./Kbuild and module/Kbuild; this file only drives it.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := 0.1.0

# Kernels the VM tests and static checks cover (newest installed 6.1 and 6.12).
TEST_KERNELS ?= $(shell selftests/kernels.sh)

.PHONY: all module reader clean deps check lint unit vm-test demo bench help \
	test-kernel kunit fuzz install uninstall deb matrix soak

all: module reader

module:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "leakscope: no kernel headers at $(KDIR); installed trees: $$(ls -d /lib/modules/*/build 2>/dev/null | tr '\n' ' ')(use make KDIR=/lib/modules/VERSION/build, or 'make deps')" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

reader:
	$(MAKE) -C userspace LEAKSCOPE_VERSION=$(VERSION)

# PREFIX (default /usr/local) and DESTDIR reach userspace/Makefile
install uninstall:
	$(MAKE) -C userspace $@ LEAKSCOPE_VERSION=$(VERSION)

deb:
	dist/deb/build.sh build/deb

deps:
	selftests/deps.sh

lint:
	selftests/lint.sh $(TEST_KERNELS)

unit:
	$(MAKE) -C selftests/unit check
	$(MAKE) -C selftests/unit/reader check
	selftests/prom/check.sh

vm-test:
	selftests/vm/run.sh $(addprefix --kernel ,$(TEST_KERNELS))

fuzz:
	$(MAKE) -C selftests/fuzz fuzz

test-kernel:
	selftests/kernel/build-test-kernel.sh --variant debug

kunit:
	selftests/kunit/run.sh

check: deps
	selftests/check.sh

demo: deps
	selftests/vm/run.sh --kernel $(lastword $(TEST_KERNELS)) \
		--script selftests/vm/demo.sh --timeout 300

# Every Debian 12 kernel the archive has (or KERNELS='6.12.118+deb12-rt-amd64 ...'),
# fetched into /var/cache/leakscope/kernels, never installed.
KERNELS ?=
matrix: deps
	selftests/matrix.sh $(KERNELS)

# Benchmarks (not timed tests): ratios against the procfs tools and what
# call-site tracking costs, one boot.  BENCH_ONLY=track (or procs) runs
# only that part (selftests/vm/bench.sh).
BENCH_ONLY ?=
bench: deps
	selftests/vm/run.sh --kernel $(lastword $(TEST_KERNELS)) \
		--script selftests/vm/bench.sh --mem 6144 --timeout 3000 \
		$(if $(BENCH_ONLY),--append LS_BENCH_ONLY=$(BENCH_ONLY))

# The soak (selftests/tests/97_soak.c) at its long length, one boot of the
# newest kernel: the kernel hands LS_SOAK_SECONDS from its command line to
# init's environment, and so to the test.  About 7 samples a second under TCG.
SOAK_SECONDS ?= 1800
soak: deps
	selftests/vm/run.sh --kernel $(lastword $(TEST_KERNELS)) --tests '97_*' \
		--append LS_SOAK_SECONDS=$(SOAK_SECONDS) \
		--timeout $$(($(SOAK_SECONDS) + 900)) --out build/vm-soak

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	$(MAKE) -C userspace clean
	rm -rf build

help:
	@sed -n '3,17p' Makefile
