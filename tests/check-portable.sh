#!/bin/sh
# check-portable.sh: what 'make check-portable' runs, once per CI run
# (.ci/run): the suites that need 'make portable's tarball, which is
# compiled in a Debian 11 root that takes about 11 minutes to make on a
# fresh machine (tools/portable-root.sh; kept in portable-root/ after).
#   - portable_runs_with_only_glibc: the newest glibc version its files ask
#     for is no newer than the README states, and it runs in a root holding
#     only Debian 11's glibc 2.31 (tests/portable-root-test.sh);
#   - shared_host_as_a_customer_installs_it: installed by an ordinary user
#     under suEXEC and mod_fcgid with install.sh and partnerctl setup, then
#     the smoke through that Apache (tests/shared-host-test.sh).
# Ends with one line "partnerd portable: N passed, N failed".
#
#   check-portable.sh SRCDIR BUILDDIR
set -u
SRCDIR=$1 BUILDDIR=$2
STATE=$BUILDDIR/state/check-portable
# Apache runs as www-data: a build tree it cannot enter puts the state in /var/tmp.
if ! setpriv --reuid=www-data --regid=www-data --clear-groups test -x "$BUILDDIR"; then
	STATE=/var/tmp/partnerd-check-portable-$(echo "$BUILDDIR" | cksum | cut -d' ' -f1)
fi
missing=""
for p in mariadbd mariadb mariadb-install-db apache2 node curl setpriv cgi-fcgi adduser \
    debootstrap objdump expect; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || missing="$missing $p"
done
[ -f /usr/lib/apache2/modules/mod_fcgid.so ] || missing="$missing mod_fcgid"
[ -u /usr/lib/apache2/suexec ] || missing="$missing suexec"
[ "$(id -u)" -eq 0 ] || missing="$missing root"
if [ -n "$missing" ]; then
	echo "check-portable: missing:$missing (./bootstrap installs them, as root)" >&2
	echo "partnerd portable: 0 passed, 1 failed"
	exit 1
fi
rm -rf "$STATE"; mkdir -p "$STATE/log"
passed=0 failed=0
run() {	# run NAME SCRIPT ARGS...: one suite, its output in the log
	name=$1; shift
	if sh "$@" > "$STATE/log/$name.log" 2>&1; then
		passed=$((passed + 1)); echo "ok: $name"
	else
		failed=$((failed + 1)); cat "$STATE/log/$name.log"; echo "FAILED: $name"
	fi
}
# The tarball (and, the first time, the root) before either suite.
(cd "$BUILDDIR" && ${MAKE:-make} -s portable) || { echo "partnerd portable: 0 passed, 1 failed"; exit 1; }
run portable_runs_with_only_glibc "$SRCDIR/tests/portable-root-test.sh" "$SRCDIR" "$BUILDDIR" \
    "$STATE/portable-root"
PORT=$((10000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
run shared_host_as_a_customer_installs_it "$SRCDIR/tests/shared-host-test.sh" "$SRCDIR" \
    "$BUILDDIR" "$STATE/shared-host" "$PORT"
echo "partnerd portable: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
