#!/bin/sh
# stack.sh: a private MariaDB, the partnerd worker and nginx, all under one
# state directory, on loopback, started and stopped by the project itself.
#
#   stack.sh ACTION     ACTION: init start stop status
#                               db-start db-stop worker-start worker-stop
#                               worker-sendfile MODE (x-accel-redirect, worker)
#                               nginx-start nginx-stop migrate geodata sql
#
# Environment: STATE (the state directory), SRCDIR, BUILDDIR, PORT (nginx),
# TLS_PORT (nginx over HTTPS and HTTP/2 as well, with a certificate of its own).
# 'init' writes $STATE/stack.env, so later calls need only STATE.
#
# Run as root (as CI does), every part runs as a server runs it: MariaDB as
# mysql, nginx's and Apache's workers as www-data, partnerd as its own user
# partnerd, with the owners and modes the README tells admins to use: the
# configuration root:partnerd 0640, the media directory partnerd:www-data
# 2750 (setgid: files the worker writes are www-data's group, readable by
# the web server), the worker's socket in a directory of the same kind. The
# shipped configurations are made from conf/*.in with these paths. Not root,
# everything runs as the caller.
set -eu

die() { echo "stack: $*" >&2; exit 1; }
# is_root, as_user, pid_alive, wait_for, stop_pid, mariadb_stop, nginx_run, nginx_quit
. "$(dirname "$0")/lib.sh"

: "${STATE:?STATE must name the state directory}"
if [ -f "$STATE/stack.env" ]; then . "$STATE/stack.env"; fi
: "${SRCDIR:?SRCDIR is not set}" "${BUILDDIR:?BUILDDIR is not set}"
PORT=${PORT:-8080}

RUN=$STATE/run
LOG=$STATE/log
SOCK=$RUN/mysqld/mysqld.sock
WRUN=$RUN/partnerd
WSOCK=$WRUN/partnerd.sock
SBIN=$STATE/sbin
MYSQL="mariadb --no-defaults --default-character-set=utf8mb4 --socket=$SOCK -uroot"
PATH=$PATH:/usr/sbin:/sbin
WORKER_USER=${WORKER_USER:-partnerd}

own() {	# own OWNER:GROUP MODE PATH...: chown (when root) and chmod
	o=$1; m=$2; shift 2
	if is_root; then chown "$o" "$@"; fi
	chmod "$m" "$@"
}

# The fcgi substitutions of conf/*.in for this stack (what ./configure does
# for an install): paths only.
edit_paths() {	# edit_paths IN OUT [MEDIA] [RUNDIR]
	sed -e "s|@sbindir@|$SBIN|g" -e "s|@sysconfdir@|$STATE/etc|g" \
	    -e "s|@pkgdatadir@|$STATE/share|g" -e "s|@mediadir@|${3:-$STATE/media}|g" \
	    -e "s|@pkgrundir@|${4:-$WRUN}|g" "$1" > "$2"
}

do_users() {	# the system users a Debian install has (README: Installing)
	is_root || return 0
	id -u "$WORKER_USER" >/dev/null 2>&1 ||
	    adduser --quiet --system --group --no-create-home --home /nonexistent "$WORKER_USER" ||
	    die "cannot create the user $WORKER_USER"
	id -u www-data >/dev/null 2>&1 || die "there is no user www-data"
	id -u mysql >/dev/null 2>&1 || die "there is no user mysql (is mariadb-server installed?)"
	# Every server must be able to reach the state directory.
	for u in www-data mysql "$WORKER_USER"; do
		setpriv --reuid="$u" --regid="$u" --clear-groups test -x "$STATE" ||
		    die "$u cannot reach $STATE: give its parents o+x, or set STATE elsewhere"
	done
}

do_init() {
	do_users
	mkdir -p "$RUN" "$LOG" "$STATE/nginx/tmp" "$SBIN" "$STATE/etc" "$STATE/share"
	chmod 755 "$STATE" "$RUN" "$LOG" "$STATE/share"
	# The media tree and the worker's socket directory: the worker's, with
	# the web server's group, setgid (README: Installing).
	mkdir -p "$STATE/media" "$WRUN" "$RUN/mysqld" "$LOG/worker"
	own "$WORKER_USER:www-data" 2750 "$STATE/media" "$WRUN"
	own "$WORKER_USER:$WORKER_USER" 750 "$LOG/worker"
	own mysql:mysql 755 "$RUN/mysqld"
	if is_root; then chown -R www-data:www-data "$STATE/nginx/tmp"; fi
	cp -R "$SRCDIR/conf/apache/errors" "$STATE/share/"
	# The built web app (make builds it into $BUILDDIR/www), where www-data
	# reads it wherever the build tree is, as make install would put it.
	rm -rf "$STATE/share/www"; mkdir -p "$STATE/share/www"
	if [ -d "$BUILDDIR/www" ]; then cp -R "$BUILDDIR/www/." "$STATE/share/www/"; fi
	chmod -R a+rX "$STATE/share"
	do_install_bin
	if [ ! -f "$STATE/stack.env" ]; then
		# The application's database password, made once per state directory.
		pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
		{
			echo "SRCDIR='$SRCDIR'"; echo "BUILDDIR='$BUILDDIR'"
			echo "DBPW='$pw'"
		} > "$STATE/stack.env"
		chmod 600 "$STATE/stack.env"
	fi
	. "$STATE/stack.env"
	cat > "$STATE/partnerd.conf" <<EOF
# Written by tests/stack.sh for the private stack in $STATE.
db_socket = $SOCK
db_user = partnerd
db_password = $DBPW
db_name = partnerd
media_dir = $STATE/media
listen = unix:$WSOCK
threads = ${THREADS:-8}
upload_idle_timeout = 3
log_level = info
EOF
	own "root:$WORKER_USER" 640 "$STATE/partnerd.conf"
	if [ ! -d "$STATE/mariadb/data/mysql" ]; then
		mkdir -p "$STATE/mariadb"
		# Its own tmpdir: concurrent installs on one machine clash in /tmp.
		# A failed install leaves nothing the next attempt would trust.
		mkdir -p "$STATE/mariadb/tmp"
		if is_root; then chown mysql:mysql "$STATE/mariadb" "$STATE/mariadb/tmp"; fi
		db_user=; if is_root; then db_user=--user=mysql; fi
		mariadb-install-db --no-defaults --datadir="$STATE/mariadb/data" \
		    --tmpdir="$STATE/mariadb/tmp" \
		    $db_user --skip-test-db --auth-root-authentication-method=socket \
		    > "$LOG/mariadb-install.log" 2>&1 ||
		    { rm -rf "$STATE/mariadb/data"; die "mariadb-install-db failed: see $LOG/mariadb-install.log"; }
		do_db_start
		$MYSQL <<EOF
CREATE DATABASE IF NOT EXISTS partnerd CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'partnerd'@'localhost' IDENTIFIED BY '$DBPW';
GRANT ALL PRIVILEGES ON \`partnerd%\`.* TO 'partnerd'@'localhost';
EOF
	fi
	# nginx: the shipped server block, with only paths and the port changed.
	cp /etc/nginx/fastcgi_params "$STATE/nginx/fastcgi_params"
	edit_paths "$SRCDIR/conf/nginx/partnerd.conf.in" "$STATE/nginx/partnerd.conf.tmp"
	# With TLS_PORT, the block's HTTPS lines too (HTTP/2), with a
	# certificate of its own made once for 127.0.0.1 (make bench's figures
	# as an HTTPS site serves them).
	if [ -n "${TLS_PORT:-}" ]; then
		if [ ! -f "$STATE/nginx/tls/key.pem" ]; then
			mkdir -p "$STATE/nginx/tls"
			openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
			    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
			    -keyout "$STATE/nginx/tls/key.pem" -out "$STATE/nginx/tls/cert.pem" \
			    > "$LOG/openssl.log" 2>&1 || die "openssl: see $LOG/openssl.log"
			# nginx's master reads the key; clients trust the certificate.
			chmod 600 "$STATE/nginx/tls/key.pem"; chmod 644 "$STATE/nginx/tls/cert.pem"
		fi
		sed -i -e "s|^    #listen 443 ssl http2;|    listen 127.0.0.1:$TLS_PORT ssl http2;|" \
		    -e "s|^    #ssl_certificate .*|    ssl_certificate $STATE/nginx/tls/cert.pem;|" \
		    -e "s|^    #ssl_certificate_key .*|    ssl_certificate_key $STATE/nginx/tls/key.pem;|" \
		    "$STATE/nginx/partnerd.conf.tmp"
	fi
	sed -e "s|^    listen 80;|    listen 127.0.0.1:$PORT;|" "$STATE/nginx/partnerd.conf.tmp" \
	    > "$STATE/nginx/partnerd.conf"
	rm -f "$STATE/nginx/partnerd.conf.tmp"
	user=""; if is_root; then user="user www-data;"; fi
	cat > "$STATE/nginx/nginx.conf" <<EOF
# Written by tests/stack.sh: a private nginx around conf/nginx/partnerd.conf.
$user
worker_processes 2;
pid $RUN/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 1024; }
http {
    # As Debian's nginx.conf has it: the web app's files need their types.
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $LOG/nginx-access.log;
    client_body_temp_path $STATE/nginx/tmp/body;
    fastcgi_temp_path $STATE/nginx/tmp/fastcgi;
    proxy_temp_path $STATE/nginx/tmp/proxy;
    uwsgi_temp_path $STATE/nginx/tmp/uwsgi;
    scgi_temp_path $STATE/nginx/tmp/scgi;
    include $STATE/nginx/partnerd.conf;
}
EOF
}

# The worker's binaries where its user can run them, as make install would.
do_install_bin() {
	install -m 755 "$BUILDDIR/partnerd" "$BUILDDIR/partnerctl" "$SBIN/"
}

do_db_start() {
	pid_alive "$RUN/mysqld.pid" && return 0
	mkdir -p "$STATE/mariadb/tmp"
	db_user=; if is_root; then
		db_user=--user=mysql; touch "$LOG/mariadb.log"
		chown mysql "$LOG/mariadb.log" "$STATE/mariadb/tmp"
	fi
	# Binary logging on, as on many hosts: migrations must cope with it
	# (make bench turns it off, DB_BINLOG=0, to measure partnerd alone).
	binlog=; if [ "${DB_BINLOG:-1}" != 0 ]; then
		binlog="--log-bin=$STATE/mariadb/data/binlog --log-bin-trust-function-creators=1"
	fi
	mariadbd --no-defaults $db_user --datadir="$STATE/mariadb/data" \
	    --socket="$SOCK" --pid-file="$RUN/mysqld/mysqld.pid" --skip-networking $binlog \
	    --log-error="$LOG/mariadb.log" --innodb-buffer-pool-size=${INNODB_BUFFER_POOL:-256M} \
	    --tmpdir="$STATE/mariadb/tmp" \
	    --innodb-flush-log-at-trx-commit=2 >/dev/null 2>&1 &
	echo $! > "$RUN/mysqld.pid"
	wait_for 30 $MYSQL -e "SELECT 1" || die "MariaDB did not start: see $LOG/mariadb.log"
}

do_db_stop() { mariadb_stop "$SOCK" "$RUN/mysqld.pid"; }

do_db_kill() {	# as a crash would: no clean shutdown
	if pid_alive "$RUN/mysqld.pid"; then
		kill -9 "$(cat "$RUN/mysqld.pid")" 2>/dev/null || true
		rm -f "$RUN/mysqld.pid"
		wait_for 10 sh -c "! $MYSQL -e 'SELECT 1'" || true
	fi
}

do_migrate() {	# with the configuration's account (the test stack has one for both)
	(as_user "$WORKER_USER" "$SBIN/partnerd" -c "$STATE/partnerd.conf" --migrate) >> "$LOG/migrate.log" 2>&1 \
	    || { tail -5 "$LOG/migrate.log" >&2; die "migrations failed: see $LOG/migrate.log"; }
}

do_geodata() {	# the place names, loaded as an admin would (idempotent: quick when loaded)
	mkdir -p "$STATE/geodata"
	for f in cities500.txt admin1.json; do
		cmp -s "$BUILDDIR/geodata/$f" "$STATE/geodata/$f" || cp "$BUILDDIR/geodata/$f" "$STATE/geodata/$f"
	done
	chmod 755 "$STATE/geodata"; chmod 644 "$STATE/geodata"/*
	(as_user "$WORKER_USER" "$SBIN/partnerctl" -c "$STATE/partnerd.conf" geodata load \
	    "$STATE/geodata/cities500.txt") >> "$LOG/geodata.log" 2>&1 \
	    || { tail -5 "$LOG/geodata.log" >&2; die "the place names did not load: see $LOG/geodata.log"; }
}

do_worker_start() {
	pid_alive "$RUN/partnerd.pid" && return 0
	# As systemd's unit runs it: its own user, umask 027. A sanitizer build
	# reports into the log; valgrind runs wrap the worker.
	as_user "$WORKER_USER" ${WORKER_WRAPPER:-} "$SBIN/partnerd" -c "$STATE/partnerd.conf" \
	    >> "$LOG/partnerd.log" 2>&1 &
	echo $! > "$RUN/partnerd.pid"
	wait_for 60 test -S "$WSOCK" || die "partnerd did not start: see $LOG/partnerd.log"
}

do_worker_stop() {
	stop_pid "$RUN/partnerd.pid"
	rm -f "$WSOCK"
}

do_nginx_start() {
	nginx_run "$STATE/nginx" "$LOG/nginx-error.log" "$RUN/nginx.pid" ||
	    die "nginx did not start (port $PORT taken?): see $LOG/nginx-error.log"
}

do_nginx_stop() { nginx_quit "$STATE/nginx" "$LOG/nginx-error.log" "$RUN/nginx.pid"; }

do_worker_sendfile() {	# the worker again, sending media as $1 says (media_sendfile)
	do_worker_stop
	sed -i -e '/^media_sendfile/d' "$STATE/partnerd.conf"
	echo "media_sendfile = $1" >> "$STATE/partnerd.conf"
	do_worker_start
}

do_reset_db() {	# an empty database again, migrated, with the worker on it
	do_worker_stop
	$MYSQL -e "DROP DATABASE IF EXISTS partnerd; CREATE DATABASE partnerd CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
	do_migrate
	do_geodata
	do_worker_start
}

# ---- Apache, from the shipped conf/apache files, as www-data -------------
# apache-start MODE PORT / apache-stop MODE, MODE fcgid or proxy. Each has its
# own directory (and media directory, owned by www-data) under $STATE.
apache_dir() { echo "$STATE/apache-$1"; }

do_apache_start() {
	mode=$1; aport=$2; D=$(apache_dir "$mode")
	mkdir -p "$D/run" "$D/fcgid" "$D/media" "$D/wrun"
	if [ "$mode" = fcgid ]; then listen=""; else listen="unix:$D/wrun/partnerd.sock"; fi
	sed -e "s|^media_dir = .*|media_dir = $D/media|" -e "s|^listen = .*|listen = $listen|" \
	    "$STATE/partnerd.conf" > "$D/partnerd.conf"
	echo "media_sendfile = x-sendfile" >> "$D/partnerd.conf"
	# mod_fcgid hands each process one request at a time: one thread each.
	if [ "$mode" = fcgid ]; then echo "threads = 1" >> "$D/partnerd.conf"; fi
	if [ "$mode" = fcgid ]; then
		# Apache starts the workers as www-data: the media tree and the
		# configuration are www-data's (README: With Apache, mod_fcgid).
		own www-data:www-data 2750 "$D/media"
		own root:www-data 640 "$D/partnerd.conf"
	else
		# The worker runs as partnerd under systemd, as with nginx.
		own "$WORKER_USER:www-data" 2750 "$D/media" "$D/wrun"
		own "root:$WORKER_USER" 640 "$D/partnerd.conf"
	fi
	if is_root; then chown -R www-data:www-data "$D/run" "$D/fcgid"; fi
	site=$SRCDIR/conf/apache/partnerd-$([ "$mode" = fcgid ] && echo fcgid || echo proxy-fcgi).conf.in
	edit_paths "$site" "$D/site.tmp" "$D/media" "$D/wrun"
	sed -e "s|<VirtualHost \*:80>|<VirtualHost 127.0.0.1:$aport>|" \
	    -e "s|$STATE/etc/partnerd/partnerd.conf|$D/partnerd.conf|" "$D/site.tmp" > "$D/site.conf"
	rm -f "$D/site.tmp"
	M=/usr/lib/apache2/modules
	{
		echo "# Written by tests/stack.sh: a private Apache around $site"
		echo "ServerRoot \"$D\""
		echo "ServerName localhost"
		echo "Listen 127.0.0.1:$aport"
		echo "PidFile $D/run/apache.pid"
		echo "DefaultRuntimeDir $D/run"
		echo "User www-data"
		echo "Group www-data"
		for m in mpm_event authz_core mime alias headers xsendfile dir filter deflate; do
			echo "LoadModule ${m}_module $M/mod_$m.so"
		done
		if [ "$mode" = fcgid ]; then
			echo "LoadModule fcgid_module $M/mod_fcgid.so"
			echo "FcgidIPCDir $D/fcgid"
			echo "FcgidProcessTableFile $D/fcgid/table"
		else
			echo "LoadModule proxy_module $M/mod_proxy.so"
			echo "LoadModule proxy_fcgi_module $M/mod_proxy_fcgi.so"
		fi
		echo "TypesConfig /etc/mime.types"
		echo "ErrorLog $LOG/apache-$mode-error.log"
		echo "LogFormat \"%h %t \\\"%r\\\" %>s %b\" short"
		echo "CustomLog $LOG/apache-$mode-access.log short"
		echo "Include $D/site.conf"
	} > "$D/httpd.conf"
	if [ "$mode" = proxy ]; then
		# systemd's part in production: keep a worker on the socket.
		as_user "$WORKER_USER" "$SBIN/partnerd" -c "$D/partnerd.conf" >> "$LOG/partnerd.log" 2>&1 &
		echo $! > "$D/run/partnerd.pid"
		wait_for 60 test -S "$D/wrun/partnerd.sock" || die "partnerd (proxy) did not start"
	fi
	apache2 -f "$D/httpd.conf" -k start || die "Apache ($mode) did not start: see $LOG/apache-$mode-error.log"
	wait_for 20 test -f "$D/run/apache.pid" || die "Apache ($mode) did not start"
}

do_apache_stop() {
	D=$(apache_dir "$1")
	[ -f "$D/httpd.conf" ] || return 0
	if pid_alive "$D/run/apache.pid"; then
		apache2 -f "$D/httpd.conf" -k stop 2>/dev/null || true
		wait_for 20 sh -c "! test -f '$D/run/apache.pid'" || stop_pid "$D/run/apache.pid"
	fi
	stop_pid "$D/run/partnerd.pid"
	# mod_fcgid's workers go with Apache; make sure none is left.
	pkill -f "partnerd -c $D/partnerd.conf" 2>/dev/null || true
	pkill -f "^$SBIN/partnerd$" 2>/dev/null || true
}

case "${1:-}" in
init)		do_init ;;
start)		do_install_bin; do_db_start; do_migrate; do_geodata; do_worker_start; do_nginx_start ;;
ctl)		shift; as_user "$WORKER_USER" "$SBIN/partnerctl" -c "$STATE/partnerd.conf" "$@" ;;	# execs
stop)		do_apache_stop fcgid; do_apache_stop proxy
		do_nginx_stop; do_worker_stop; do_db_stop ;;
apache-start)	do_apache_start "$2" "$3" ;;
apache-stop)	do_apache_stop "$2" ;;
db-start)	do_db_start ;;
db-stop)	do_db_stop ;;
db-kill)	do_db_kill ;;
migrate)	do_migrate ;;
geodata)	do_geodata ;;
reset-db)	do_reset_db ;;
worker-start)	do_worker_start ;;
worker-stop)	do_worker_stop ;;
worker-sendfile) do_worker_sendfile "$2" ;;
nginx-start)	do_nginx_start ;;
nginx-stop)	do_nginx_stop ;;
sql)		shift; $MYSQL "$@" ;;
status)		for p in mysqld partnerd nginx; do
			if pid_alive "$RUN/$p.pid"; then echo "$p: running"; else echo "$p: stopped"; fi
		done ;;
*)		die "usage: stack.sh init|start|stop|status|ctl ARGS|db-start|db-stop|db-kill|worker-start|worker-stop|worker-sendfile MODE|nginx-start|nginx-stop|migrate|geodata|reset-db|sql" ;;
esac
