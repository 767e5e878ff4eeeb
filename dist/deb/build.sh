#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: two Debian packages, with plain dpkg-deb (no debhelper):
#
#   OUT/leakscope-dkms_VERSION_all.deb  the module's git-tracked sources
#       (Kbuild, Makefile, dkms.conf, module/) in /usr/src/leakscope-VERSION;
#       postinst: dkms add, then dkms install for every installed kernel
#       with headers (/lib/modules/VER/build); prerm: dkms remove --all.
#       It never loads the module.
#   OUT/leakscope_VERSION_ARCH.deb      the reader in /usr/sbin, its man
#       page (userspace/, built here into OUT/obj) and the systemd units of
#       dist/systemd/ in /lib/systemd/system (installed, not enabled), and
#       the Prometheus rules and Grafana dashboard in /usr/share/leakscope.
#
# Usage: dist/deb/build.sh [OUT]   (default build/deb).  VERSION is
# PACKAGE_VERSION in dkms.conf.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${1:-build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ -n "$ver" ] || { echo "${0##*/}: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
arch=$(dpkg --print-architecture)
maint="leakscope developers <leakscope@localhost>"

# md5sums and Installed-Size of the tree ROOT, then the .deb.
finish() {
	local root=$1 deb=$2
	(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
		LC_ALL=C sort -z | xargs -0r md5sum) >"$root/DEBIAN/md5sums"
	sed -i "s/@SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" "$root/DEBIAN/control"
	dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
	echo "$deb"
}

# --- leakscope-dkms -------------------------------------------------------
r=$out/leakscope-dkms.root
rm -rf "$r"
src=$r/usr/src/leakscope-$ver
mkdir -p "$src" "$r/DEBIAN"
git ls-files -z -- Kbuild Makefile dkms.conf module | cpio -0 -pdm --quiet "$src"
chmod -R u=rwX,go=rX "$src"
cat >"$r/DEBIAN/control" <<EOF
Package: leakscope-dkms
Version: $ver
Architecture: all
Maintainer: $maint
Depends: dkms (>= 2.1.0.0)
Recommends: leakscope
Section: kernel
Priority: optional
Installed-Size: @SIZE@
Description: leakscope kernel module (DKMS)
 leakscope.ko samples the kernel's memory bookkeeping and every process's
 address space, and publishes growth and ranked leak suspects in debugfs.
 DKMS builds it for every installed kernel that has headers.
EOF
cat >"$r/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
NAME=leakscope
VERSION=$ver
if [ "\$1" = configure ]; then
	# never 'dkms status | grep -q': dkms killed by SIGPIPE leaves its
	# temporary file in /tmp
	if [ -z "\$(dkms status -m "\$NAME" -v "\$VERSION")" ]; then
		dkms add -m "\$NAME" -v "\$VERSION"
	fi
	for build in /lib/modules/*/build; do
		[ -d "\$build" ] || continue
		k=\${build#/lib/modules/}
		k=\${k%/build}
		# a kernel it cannot build for (BUILD_EXCLUSIVE_CONFIG, broken
		# headers) is a warning, not a failed install
		dkms install "\$NAME/\$VERSION" -k "\$k" ||
			echo "leakscope-dkms: warning: no module for kernel \$k (dkms install failed)" >&2
	done
fi
exit 0
EOF
cat >"$r/DEBIAN/prerm" <<EOF
#!/bin/sh
set -e
case "\$1" in
remove|upgrade|deconfigure)
	if [ -n "\$(dkms status -m leakscope -v $ver)" ]; then
		dkms remove leakscope/$ver --all || true
	fi
	;;
esac
exit 0
EOF
chmod 755 "$r/DEBIAN/postinst" "$r/DEBIAN/prerm"
finish "$r" "$out/leakscope-dkms_${ver}_all.deb"

# --- leakscope (the reader) ----------------------------------------------
r=$out/leakscope.root
rm -rf "$r"
mkdir -p "$r/DEBIAN"
make -s -C userspace O="$out/obj/" LEAKSCOPE_VERSION="$ver" >/dev/null
install -D -m 0755 "$out/obj/leakscope" "$r/usr/sbin/leakscope"
strip --strip-unneeded "$r/usr/sbin/leakscope"
mkdir -p "$r/usr/share/man/man8"
gzip -9n <userspace/leakscope.8 >"$r/usr/share/man/man8/leakscope.8.gz"
chmod 644 "$r/usr/share/man/man8/leakscope.8.gz"
# bookworm's systemd unit directory (/lib: Debian 12 packages do not ship
# files in /usr/lib/systemd yet); enabling them is the admin's choice.
for u in dist/systemd/*.service dist/systemd/*.timer; do
	install -D -m 0644 "$u" "$r/lib/systemd/system/${u##*/}"
done
# The alerting rules and the dashboard, to load as they are.
for f in prometheus/leakscope.rules.yml grafana/leakscope.json; do
	install -D -m 0644 "dist/$f" "$r/usr/share/leakscope/$f"
done
cat >"$r/DEBIAN/control" <<EOF
Package: leakscope
Version: $ver
Architecture: $arch
Maintainer: $maint
Depends: libc6
Recommends: leakscope-dkms
Section: admin
Priority: optional
Installed-Size: @SIZE@
Description: memory leak root-cause reader for the leakscope module
 leakscope reads /sys/kernel/debug/leakscope (from the leakscope kernel
 module, package leakscope-dkms) and formats growth and ranked leak
 suspects for a person, a script (JSON) or Prometheus.
EOF
finish "$r" "$out/leakscope_${ver}_${arch}.deb"
rm -rf "$out/leakscope-dkms.root" "$out/leakscope.root"
