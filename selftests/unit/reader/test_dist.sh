#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What ships besides the binary: make install/uninstall (DESTDIR, PREFIX),
# the man page (renders without warnings, names every command and option
# --help names, same version), the systemd units (systemd-analyze verify).
#
# Env: LEAKSCOPE (binary), DATA (fixture directory).
set -u

. "$(dirname "$0")/cli_lib.sh"
top=$(cd "$(dirname "$0")/../../.." && pwd)
man8=$top/userspace/leakscope.8
bindir=$(cd "$(dirname "$LEAKSCOPE")" && pwd)

# --- make install / uninstall ---
inst() {	# inst TARGET DESTDIR [PREFIX=...]
	make -s -C "$top/userspace" O="$bindir" "$1" DESTDIR="$2" "${@:3}" \
		>"$tmp/make.out" 2>&1
}
root=$tmp/root
if inst install "$root"; then
	ok "make install"
else
	not_ok "make install" "$(cat "$tmp/make.out")"
fi
[ -x "$root/usr/local/sbin/leakscope" ] && cmp -s "$root/usr/local/sbin/leakscope" "$LEAKSCOPE" &&
	ok "install: /usr/local/sbin/leakscope" || not_ok "install: /usr/local/sbin/leakscope"
[ "$(stat -c %a "$root/usr/local/share/man/man8/leakscope.8" 2>/dev/null)" = 644 ] &&
	cmp -s "$root/usr/local/share/man/man8/leakscope.8" "$man8" &&
	ok "install: man8/leakscope.8" || not_ok "install: man8/leakscope.8"
for f in prometheus/leakscope.rules.yml grafana/leakscope.json; do
	[ "$(stat -c %a "$root/usr/local/share/leakscope/$f" 2>/dev/null)" = 644 ] &&
		cmp -s "$root/usr/local/share/leakscope/$f" "$top/dist/$f" &&
		ok "install: share/leakscope/$f" || not_ok "install: share/leakscope/$f"
done
inst uninstall "$root"
[ -z "$(find "$root" -type f)" ] && ok "make uninstall" ||
	not_ok "make uninstall" "$(find "$root" -type f)"
[ ! -e "$root/usr/local/share/leakscope" ] && ok "uninstall: share/leakscope removed" ||
	not_ok "uninstall: share/leakscope removed" "$(find "$root/usr/local/share/leakscope")"
inst install "$root" PREFIX=/usr
[ -x "$root/usr/sbin/leakscope" ] && [ -f "$root/usr/share/man/man8/leakscope.8" ] &&
	ok "install PREFIX=/usr" || not_ok "install PREFIX=/usr" "$(find "$root" -type f)"
inst uninstall "$root" PREFIX=/usr
[ -z "$(find "$root" -type f)" ] && ok "uninstall PREFIX=/usr" || not_ok "uninstall PREFIX=/usr"
# the top-level Makefile passes PREFIX and DESTDIR on (dry run: no build)
make -n -C "$top" install DESTDIR=/dest PREFIX=/opt/ls 2>/dev/null |
	grep -q 'install -D -m 0755 .*leakscope /dest/opt/ls/sbin/leakscope' &&
	ok "top-level make install" || not_ok "top-level make install"

# --- the man page ---
if command -v groff >/dev/null; then
	warn=$(groff -man -Tutf8 -ww -z "$man8" 2>&1)
	[ -z "$warn" ] && ok "man page: no groff warnings" || not_ok "man page: no groff warnings" "$warn"
else
	ok "# SKIP groff not installed"
fi
if command -v man >/dev/null; then
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man8" 2>&1 >"$tmp/man.txt")
	[ -z "$warn" ] && [ -s "$tmp/man.txt" ] && ok "man -l: renders without warnings" ||
		not_ok "man -l: renders without warnings" "$warn"
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS FILES 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
		grep -qx "$s" "$tmp/man.txt" || not_ok "man page: section $s"
	done
	ok "man page: all sections"
else
	ok "# SKIP man not installed"
fi

# names in --help and in the man page
section() {	# section NAME: the roff source of one .SH section, \- as -
	awk -v s="$1" '/^\.SH / { on = ($0 == ".SH " s) ; next } on' "$man8" | sed 's/\\-/-/g'
}
run --help
help_cmds=$(awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }' \
	"$tmp/out" | sort -u)
man_cmds=$(section COMMANDS | awk '/^\.TP/ { getline; print $2 }' | sort -u)
[ -n "$help_cmds" ] && [ "$help_cmds" = "$man_cmds" ] && ok "man COMMANDS = --help commands" ||
	not_ok "man COMMANDS = --help commands" "help: $(echo $help_cmds)" "man:  $(echo $man_cmds)"
help_opts=$(grep -oE -- '(^| )-(-[a-z]+|[a-zA-Z])\b' "$tmp/out" | tr -d ' ' | sort -u)
man_opts=$(section OPTIONS | awk '/^\.TP/ { getline; print }' | grep -oE -- '-(-[a-z]+|[a-zA-Z])\b' |
	sort -u)
[ -n "$help_opts" ] && [ "$help_opts" = "$man_opts" ] && ok "man OPTIONS = --help options" ||
	not_ok "man OPTIONS = --help options" "help: $(echo $help_opts)" "man:  $(echo $man_opts)"
for c in $help_cmds; do
	section SYNOPSIS | grep -qw -- "$c" || not_ok "SYNOPSIS names $c"
done
ok "SYNOPSIS names every command"
run --version
[ "$out" = "$(sed -n 's/^\.TH .* "\(leakscope [0-9.]*\)" .*/\1/p' "$man8")" ] &&
	ok "man page version = --version" || not_ok "man page version = --version" "$out"
# every debugfs file the reader knows is documented with its columns
for f in summary suspects procs cgroups regions vmalloc slab callsites stacks control; do
	head=$(sed -n 2p "$DATA/$f")
	body=$(section FILES | awk -v f="/sys/kernel/debug/leakscope/$f" \
		'/^\.TP/ { getline; on = ($0 == ".I " f) } on' | sed 's/^\.[A-Z]* //; s/[",]/ /g')
	[ -n "$body" ] || { not_ok "FILES: $f"; continue; }
	miss=
	for col in $head; do
		grep -qw -- "$col" <<<"$body" || miss="$miss $col"
	done
	[ -z "$miss" ] && ok "FILES: $f and its columns" || not_ok "FILES: $f and its columns" "missing:$miss"
done

# --- systemd units ---
units=$top/dist/systemd
if command -v systemd-analyze >/dev/null; then
	# verify on a copy whose ExecStart names the binary under test (it is
	# not installed on the host); the rest is verified as shipped
	mkdir "$tmp/units"
	cp "$units"/leakscope-load.service "$units"/leakscope-export.service \
		"$units"/leakscope-export.timer "$tmp/units/"
	sed -i "s|^ExecStart=leakscope |ExecStart=$bindir/leakscope |" \
		"$tmp/units/leakscope-export.service"
	if v=$(cd "$tmp/units" && systemd-analyze verify --man=no leakscope-load.service \
		leakscope-export.service leakscope-export.timer 2>&1) && [ -z "$v" ]; then
		ok "systemd-analyze verify"
	else
		not_ok "systemd-analyze verify" "$v"
	fi
else
	ok "# SKIP systemd-analyze not installed"
fi
grep -qx 'ExecStart=leakscope export --textfile /var/lib/prometheus/node-exporter' \
	"$units/leakscope-export.service" && ok "export unit: textfile directory" ||
	not_ok "export unit: textfile directory"
grep -qx 'OnCalendar=\*-\*-\* \*:\*:00' "$units/leakscope-export.timer" &&
	ok "export timer: every minute" || not_ok "export timer: every minute"
grep -qx 'Type=oneshot' "$units/leakscope-load.service" &&
	grep -qx 'RemainAfterExit=yes' "$units/leakscope-load.service" &&
	grep -qx 'ExecStart=/sbin/modprobe leakscope' "$units/leakscope-load.service" &&
	ok "load unit: oneshot modprobe" || not_ok "load unit: oneshot modprobe"

finish test_dist.sh
