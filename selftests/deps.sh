#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, as root, everything leakscope's build and tests need on Debian 12.
# Idempotent and quick when everything is there: apt is only asked when a
# package is missing.
set -euo pipefail

packages=(
	build-essential bc flex bison libelf-dev libssl-dev openssl
	python3 xz-utils cpio busybox-static qemu-system-x86
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-source-6.1 linux-source-6.12
	sparse dkms rsync
	mmdebstrap debian-archive-keyring
	dwarves ccache
	groff-base man-db systemd zstd
	prometheus
	clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages installed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing ${missing[*]}; run 'sudo make deps'" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
