#!/bin/sh
# check.sh: what 'make check' runs. Starts a private MariaDB, the worker and
# nginx in a fresh state directory on a free loopback port, runs every CUnit
# suite against them, stops everything, then checks the logs: no sanitizer
# report, no secret. Ends with one line "partnerd: N passed, N failed".
set -u
SRCDIR=$1
BUILDDIR=$2
STATE=${CHECK_STATE_DIR:-$BUILDDIR/state/check}
STACK="$SRCDIR/tests/stack.sh"
# The servers run as www-data, mysql and partnerd: where the build tree is
# out of their reach (a home directory of mode 700), the state goes to /var/tmp.
if [ "$(id -u)" -eq 0 ] && [ -z "${CHECK_STATE_DIR:-}" ] &&
   ! setpriv --reuid=www-data --regid=www-data --clear-groups test -x "$BUILDDIR"; then
	STATE=/var/tmp/partnerd-check-$(echo "$BUILDDIR" | cksum | cut -d' ' -f1)
fi
export SRCDIR BUILDDIR STATE

# Every program the suites use: a missing one fails the run, never skips it.
missing=""
for p in mariadbd mariadb mariadb-install-db nginx apache2 node npm curl setpriv \
    spawn-fcgi cgi-fcgi systemd-socket-activate adduser unzip; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || missing="$missing $p"
done
for m in mod_fcgid mod_xsendfile mod_proxy_fcgi; do
	[ -f "/usr/lib/apache2/modules/$m.so" ] || missing="$missing $m"
done
if [ -n "$missing" ]; then
	echo "check: missing:$missing (./bootstrap installs them, as root)" >&2
	echo "partnerd: 0 passed, 1 failed"
	exit 1
fi

rm -rf "$STATE"
mkdir -p "$STATE/log"
if [ "${PARTNERD_VALGRIND:-}" = 1 ]; then
	# make valgrind: the worker runs under memcheck for the whole suite.
	# liborc's JIT code is opaque to memcheck: libvips' plain C paths instead.
	VIPS_NOVECTOR=1
	export VIPS_NOVECTOR
	WORKER_WRAPPER="valgrind --log-file=$STATE/log/worker/valgrind-%p.log --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=30"
	export WORKER_WRAPPER
fi
stop_all() { sh "$STACK" stop >/dev/null 2>&1 || true; }
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

started=no
for try in 1 2 3 4 5; do
	PORT=$((10000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
	# The same nginx site over HTTPS (HTTP/2); given to init alone, so that
	# the stacks tests start of their own (make run's) do not inherit it.
	TLS_PORT=$((PORT + 3))
	export PORT
	if TLS_PORT=$TLS_PORT sh "$STACK" init && sh "$STACK" start; then started=yes; break; fi
	echo "check: could not start the stack on port $PORT; trying another" >&2
	sh "$STACK" nginx-stop >/dev/null 2>&1 || true
done
if [ "$started" != yes ]; then
	echo "check: the test stack did not start; logs are in $STATE/log" >&2
	echo "partnerd: 0 passed, 1 failed"
	exit 1
fi
. "$STATE/stack.env"

# Apache from the shipped configurations, mod_fcgid and mod_proxy_fcgi.
APORT1=$((PORT + 1)); APORT2=$((PORT + 2))
sh "$STACK" apache-start fcgid "$APORT1" || echo "check: Apache + mod_fcgid did not start" >&2
sh "$STACK" apache-start proxy "$APORT2" || echo "check: Apache + mod_proxy_fcgi did not start" >&2

# Tests stop and start parts of the stack through this wrapper.
cat > "$STATE/stackctl" <<EOS
#!/bin/sh
STATE='$STATE' SRCDIR='$SRCDIR' BUILDDIR='$BUILDDIR' PORT='$PORT' TLS_PORT='$TLS_PORT' exec sh '$STACK' "\$@"
EOS

PARTNERD_TEST_URL="http://127.0.0.1:$PORT" \
PARTNERD_TEST_STACK="$STATE/stackctl" \
PARTNERD_TEST_STATE="$STATE" \
PARTNERD_TEST_DB_SOCKET="$STATE/run/mysqld/mysqld.sock" \
PARTNERD_TEST_SBIN="$STATE/sbin" \
PARTNERD_TEST_DB_USER=partnerd \
PARTNERD_TEST_DB_PASSWORD="$DBPW" \
PARTNERD_SRCDIR="$SRCDIR" \
PARTNERD_TEST_BUILDDIR="$BUILDDIR" \
PARTNERD_APACHE_FCGID_URL="http://127.0.0.1:$APORT1" \
PARTNERD_APACHE_PROXY_URL="http://127.0.0.1:$APORT2" \
PARTNERD_TEST_TLS_URL="https://127.0.0.1:$TLS_PORT" \
PARTNERD_TEST_TLS_CA="$STATE/nginx/tls/cert.pem" \
    "$BUILDDIR/tests/partnerd-tests" > "$STATE/log/tests.log" 2>&1
cunit_rc=$?
cat "$STATE/log/tests.log"

# node --test suites, each on a fresh database: npm installs a suite's locked
# packages once per build tree (state/NAME); its files run one at a time, in
# name order (later files use earlier accounts), with TAP output whose
# counts join the total. A suite that cannot start counts as a failure.
node_pass=0
node_fail=0
node_suite() {	# node_suite NAME: tests/NAME/*.test.mjs
	name=$1; dir="$BUILDDIR/state/$name"; log="$STATE/log/$name.log"
	if ! sh "$SRCDIR/tests/node-deps.sh" "$SRCDIR" "$name" "$dir"; then
		echo "check: the $name suite could not be installed" >&2
		node_fail=$((node_fail + 1)); return
	fi
	cp "$SRCDIR"/tests/"$name"/*.mjs "$dir/"
	if ! sh "$STACK" reset-db; then
		echo "check: the $name suite could not start" >&2
		node_fail=$((node_fail + 1)); return
	fi
	: > "$log"
	# The web app's own files first (the first signs the admin up on its
	# sign-up screen), then the others (beyond.test.mjs), each in name order.
	for f in $(ls "$SRCDIR"/tests/"$name"/*.test.mjs | grep '/web[^/]*$') \
	    $(ls "$SRCDIR"/tests/"$name"/*.test.mjs | grep -v '/web[^/]*$'); do
		(cd "$dir" && PARTNERD_TEST_URL="http://127.0.0.1:$PORT" \
		    PARTNERD_TEST_STACK="$STATE/stackctl" \
		    PARTNERD_TEST_STATE="$STATE" PARTNERD_TEST_BUILDDIR="$BUILDDIR" \
		    PARTNERD_TEST_DB_SOCKET="$STATE/run/mysqld/mysqld.sock" \
		    node --test --test-reporter=tap "./$(basename "$f")") >> "$log" 2>&1
	done
	cat "$log"
	p=$(awk '$1 == "#" && $2 == "pass" { n += $3 } END { print n + 0 }' "$log")
	f=$(awk '$1 == "#" && $2 == "fail" { n += $3 } END { print n + 0 }' "$log")
	[ "$p" -gt 0 ] || f=$((f + 1))
	node_pass=$((node_pass + p)); node_fail=$((node_fail + f))
}
# The real @immich/sdk client, on a fresh database it signs the admin up on.
node_suite sdk
# The web app in Debian's headless Chromium (bootstrap installs it): a
# missing browser fails the suite, it is never skipped.
if [ -x "${PARTNERD_CHROMIUM:-/usr/bin/chromium}" ]; then
	node_suite browser
else
	echo "check: the browser suite needs chromium (./bootstrap installs it)" >&2
	node_fail=$((node_fail + 1))
fi

# Stop first: LeakSanitizer reports when the worker exits.
stop_all

passed=$(awk '$1 == "tests" { print $4 }' "$STATE/log/tests.log")
failed=$(awk '$1 == "tests" { print $5 }' "$STATE/log/tests.log")
passed=${passed:-0}
failed=${failed:-1}
if [ "$cunit_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
passed=$((passed + node_pass))
failed=$((failed + node_fail))

# Checks after the run (logs, the install tree), counted like tests.
logcheck() {	# logcheck NAME COMMAND...: the command succeeds when all is well
	if "$@"; then echo "check: $1 ... passed"; passed=$((passed + 1))
	else echo "check: $1 ... FAILED"; failed=$((failed + 1)); fi
}
no_sanitizer_report() {
	# The worker's log, Apache's (mod_fcgid's workers write there) and the
	# test program's own output.
	! grep -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$STATE"/log/*.log
}
no_secret_in_logs() {
	# Every secret the suites used, and the database password.
	{ echo "$DBPW"; cat "$STATE/secrets.txt" 2>/dev/null; } | grep -v '^$' > "$STATE/secrets.all"
	! grep -F -f "$STATE/secrets.all" "$STATE"/log/*.log &&
	! grep -E '\$(argon2|2[aby]\$)' "$STATE"/log/*.log
}
worker_logged_requests() {
	grep -q 'request cid=' "$STATE/log/partnerd.log"
}
valgrind_clean() {
	ls "$STATE"/log/worker/valgrind-*.log >/dev/null 2>&1 || return 1
	for f in "$STATE"/log/worker/valgrind-*.log; do
		grep -q 'ERROR SUMMARY: 0 errors' "$f" || { cat "$f"; return 1; }
	done
}
install_tree_complete() {
	# What the README's install steps use, from make install DESTDIR=.
	D="$STATE/destdir"
	(cd "$BUILDDIR" && ${MAKE:-make} install DESTDIR="$D") > "$STATE/log/install.log" 2>&1 ||
	    { tail -5 "$STATE/log/install.log"; return 1; }
	for f in sbin/partnerd sbin/partnerctl man8/partnerd.8 man8/partnerctl.8 \
	    man5/partnerd.conf.5 etc/partnerd/partnerd.conf.example \
	    partnerd/nginx/partnerd.conf partnerd/apache/partnerd-fcgid.conf \
	    partnerd/apache/partnerd-proxy-fcgi.conf partnerd/errors/502.json \
	    partnerd/systemd/partnerd.service partnerd/systemd/partnerd.socket \
	    partnerd/shared-hosting/htaccess partnerd/shared-hosting/partnerd.fcgi \
	    partnerd/mariadb-grants.sql partnerd/sql/001_accounts.sql partnerd/www/index.html; do
		find "$D" -path "*/$f" | grep -q . || { echo "install: $f is missing"; return 1; }
	done
	"$(find "$D" -path '*/sbin/partnerd')" --version | grep -q '^partnerd '
}
make_run_keeps_user_data() {
	sh "$SRCDIR/tests/make-run-test.sh" "$SRCDIR" "$BUILDDIR" "$STATE/make-run" "$((PORT + 3))" \
	    > "$STATE/log/make-run-test.log" 2>&1 || { cat "$STATE/log/make-run-test.log"; return 1; }
}
deploy_debian_layout_as_the_readme_says() {
	sh "$SRCDIR/tests/deploy-test.sh" "$SRCDIR" "$BUILDDIR" "$STATE/deploy" "$((PORT + 5))" \
	    > "$STATE/log/deploy-test.log" 2>&1 || { cat "$STATE/log/deploy-test.log"; return 1; }
}
deploy_without_setgid_media_fails() {
	# The same recipe with the setgid bit left out: the test must see it.
	sh "$SRCDIR/tests/deploy-test.sh" "$SRCDIR" "$BUILDDIR" "$STATE/deploy-mutant" \
	    "$((PORT + 7))" no-setgid > "$STATE/log/deploy-mutant.log" 2>&1 && return 1
	grep -q 'FAILED: the uploaded original through nginx' "$STATE/log/deploy-mutant.log" ||
	    { cat "$STATE/log/deploy-mutant.log"; return 1; }
}
logcheck install_tree_complete install_tree_complete
logcheck deploy_debian_layout_as_the_readme_says deploy_debian_layout_as_the_readme_says
logcheck deploy_without_setgid_media_fails deploy_without_setgid_media_fails
logcheck make_run_keeps_user_data make_run_keeps_user_data
logcheck worker_logged_requests worker_logged_requests
if [ "${PARTNERD_VALGRIND:-}" = 1 ]; then logcheck valgrind_clean valgrind_clean; fi
logcheck no_sanitizer_report no_sanitizer_report
logcheck no_secret_in_logs no_secret_in_logs

echo "partnerd: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
