#!/bin/sh
# stack.sh: a private MariaDB, the partnerd worker and nginx, all under one
# state directory, on loopback, started and stopped by the project itself.
#
#   stack.sh ACTION     ACTION: init start stop status
#                               db-start db-stop worker-start worker-stop
#                               nginx-start nginx-stop migrate sql
#
# Environment: STATE (the state directory), SRCDIR, BUILDDIR, PORT (nginx).
# 'init' writes $STATE/stack.env, so later calls need only STATE.
set -eu

die() { echo "stack: $*" >&2; exit 1; }

: "${STATE:?STATE must name the state directory}"
if [ -f "$STATE/stack.env" ]; then . "$STATE/stack.env"; fi
: "${SRCDIR:?SRCDIR is not set}" "${BUILDDIR:?BUILDDIR is not set}"
PORT=${PORT:-8080}

RUN=$STATE/run
LOG=$STATE/log
SOCK=$RUN/mysqld.sock
WSOCK=$RUN/partnerd.sock
MYSQL="mariadb --no-defaults --socket=$SOCK -uroot"
PATH=$PATH:/usr/sbin:/sbin

as_root_flag() { if [ "$(id -u)" -eq 0 ]; then echo "--user=root"; fi; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {	# wait_for SECONDS COMMAND...: poll until the command succeeds
	n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1; n=$((n - 1))
	done
	return 1
}

stop_pid() {	# stop_pid PIDFILE: TERM, then KILL after 10 s
	if pid_alive "$1"; then
		pid=$(cat "$1"); kill "$pid" 2>/dev/null || true
		n=100
		while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$1"
}

do_init() {
	mkdir -p "$RUN" "$LOG" "$STATE/media" "$STATE/nginx/tmp"
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
	chmod 600 "$STATE/partnerd.conf"
	if [ ! -d "$STATE/mariadb/data/mysql" ]; then
		mkdir -p "$STATE/mariadb"
		# Its own tmpdir: concurrent installs on one machine clash in /tmp.
		# A failed install leaves nothing the next attempt would trust.
		mkdir -p "$STATE/mariadb/tmp"
		mariadb-install-db --no-defaults --datadir="$STATE/mariadb/data" \
		    --tmpdir="$STATE/mariadb/tmp" \
		    $(as_root_flag) --skip-test-db --auth-root-authentication-method=socket \
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
	sed -e "s|listen 127.0.0.1:8080;|listen 127.0.0.1:$PORT;|" \
	    -e "s|/run/partnerd/partnerd.sock|$WSOCK|" \
	    -e "s|/var/lib/partnerd/media|$STATE/media|" \
	    "$SRCDIR/conf/nginx/partnerd.conf" > "$STATE/nginx/partnerd.conf"
	user=""; if [ "$(id -u)" -eq 0 ]; then user="user root;"; fi
	cat > "$STATE/nginx/nginx.conf" <<EOF
# Written by tests/stack.sh: a private nginx around conf/nginx/partnerd.conf.
$user
worker_processes 2;
pid $RUN/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 1024; }
http {
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

do_db_start() {
	pid_alive "$RUN/mysqld.pid" && return 0
	mkdir -p "$STATE/mariadb/tmp"
	mariadbd --no-defaults $(as_root_flag) --datadir="$STATE/mariadb/data" \
	    --socket="$SOCK" --pid-file="$RUN/mysqld.pid" --skip-networking \
	    --log-error="$LOG/mariadb.log" --innodb-buffer-pool-size=${INNODB_BUFFER_POOL:-256M} \
	    --tmpdir="$STATE/mariadb/tmp" \
	    --innodb-flush-log-at-trx-commit=2 >/dev/null 2>&1 &
	wait_for 30 $MYSQL -e "SELECT 1" || die "MariaDB did not start: see $LOG/mariadb.log"
}

do_db_stop() {
	if pid_alive "$RUN/mysqld.pid"; then
		pid=$(cat "$RUN/mysqld.pid")
		mariadb-admin --no-defaults --socket="$SOCK" -uroot shutdown >/dev/null 2>&1 || true
		wait_for 30 sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
		rm -f "$RUN/mysqld.pid"
	fi
}

do_db_kill() {	# as a crash would: no clean shutdown
	if pid_alive "$RUN/mysqld.pid"; then
		kill -9 "$(cat "$RUN/mysqld.pid")" 2>/dev/null || true
		rm -f "$RUN/mysqld.pid"
		wait_for 10 sh -c "! $MYSQL -e 'SELECT 1'" || true
	fi
}

do_migrate() {
	"$BUILDDIR/partnerd" -c "$STATE/partnerd.conf" --migrate >> "$LOG/migrate.log" 2>&1 \
	    || { tail -5 "$LOG/migrate.log" >&2; die "migrations failed: see $LOG/migrate.log"; }
}

do_worker_start() {
	pid_alive "$RUN/partnerd.pid" && return 0
	# A sanitizer build reports into the log; valgrind runs wrap the worker.
	${WORKER_WRAPPER:-} "$BUILDDIR/partnerd" -c "$STATE/partnerd.conf" >> "$LOG/partnerd.log" 2>&1 &
	echo $! > "$RUN/partnerd.pid"
	wait_for 60 test -S "$WSOCK" || die "partnerd did not start: see $LOG/partnerd.log"
}

do_worker_stop() {
	stop_pid "$RUN/partnerd.pid"
	rm -f "$WSOCK"
}

do_nginx_start() {
	pid_alive "$RUN/nginx.pid" && return 0
	nginx -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -e "$LOG/nginx-error.log" \
	    || die "nginx did not start (port $PORT taken?): see $LOG/nginx-error.log"
	wait_for 10 test -f "$RUN/nginx.pid" || die "nginx did not start"
}

do_nginx_stop() {
	if pid_alive "$RUN/nginx.pid"; then
		nginx -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -e "$LOG/nginx-error.log" -s quit 2>/dev/null || true
		wait_for 10 sh -c "! test -f '$RUN/nginx.pid'" || stop_pid "$RUN/nginx.pid"
	fi
}

do_reset_db() {	# an empty database again, migrated, with the worker on it
	do_worker_stop
	$MYSQL -e "DROP DATABASE IF EXISTS partnerd; CREATE DATABASE partnerd CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
	do_migrate
	do_worker_start
}

# ---- Apache, from the shipped conf/apache files, as www-data -------------
# apache-start MODE PORT / apache-stop MODE, MODE fcgid or proxy. Each has its
# own directory (and media directory, owned by www-data) under $STATE.
apache_dir() { echo "$STATE/apache-$1"; }

do_apache_start() {
	mode=$1; aport=$2; D=$(apache_dir "$mode")
	mkdir -p "$D/run" "$D/fcgid" "$D/media" "$D/www"
	if [ "$mode" = fcgid ]; then listen=""; else listen="unix:$D/partnerd.sock"; fi
	sed -e "s|^media_dir = .*|media_dir = $D/media|" -e "s|^listen = .*|listen = $listen|" \
	    "$STATE/partnerd.conf" > "$D/partnerd.conf"
	echo "media_sendfile = x-sendfile" >> "$D/partnerd.conf"
	# mod_fcgid hands each process one request at a time: one thread each.
	if [ "$mode" = fcgid ]; then echo "threads = 1" >> "$D/partnerd.conf"; fi
	chown -R www-data:www-data "$D"
	chmod 640 "$D/partnerd.conf"
	site=$SRCDIR/conf/apache/partnerd-$([ "$mode" = fcgid ] && echo fcgid || echo proxy-fcgi).conf
	sed -e "s|127.0.0.1:8080|127.0.0.1:$aport|" \
	    -e "s|/etc/partnerd/partnerd-apache.conf|$D/partnerd.conf|" \
	    -e "s|/usr/sbin/partnerd|$BUILDDIR/partnerd|" -e "s|<Directory /usr/sbin>|<Directory $BUILDDIR>|" \
	    -e "s|/var/lib/partnerd/media|$D/media|" -e "s|/usr/share/partnerd/errors|$SRCDIR/conf/apache/errors|" \
	    -e "s|/usr/share/partnerd/www|$D/www|" -e "s|/run/partnerd/partnerd.sock|$D/partnerd.sock|" \
	    "$site" > "$D/site.conf"
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
		for m in mpm_event authz_core mime alias headers xsendfile; do
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
		setpriv --reuid=www-data --regid=www-data --clear-groups \
		    "$BUILDDIR/partnerd" -c "$D/partnerd.conf" >> "$LOG/partnerd.log" 2>&1 &
		echo $! > "$D/run/partnerd.pid"
		wait_for 60 test -S "$D/partnerd.sock" || die "partnerd (proxy) did not start"
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
	pkill -f "^$BUILDDIR/partnerd$" 2>/dev/null || true
}

case "${1:-}" in
init)		do_init ;;
start)		do_db_start; do_migrate; do_worker_start; do_nginx_start ;;
stop)		do_apache_stop fcgid; do_apache_stop proxy
		do_nginx_stop; do_worker_stop; do_db_stop ;;
apache-start)	do_apache_start "$2" "$3" ;;
apache-stop)	do_apache_stop "$2" ;;
db-start)	do_db_start ;;
db-stop)	do_db_stop ;;
db-kill)	do_db_kill ;;
migrate)	do_migrate ;;
reset-db)	do_reset_db ;;
worker-start)	do_worker_start ;;
worker-stop)	do_worker_stop ;;
nginx-start)	do_nginx_start ;;
nginx-stop)	do_nginx_stop ;;
sql)		shift; $MYSQL "$@" ;;
status)		for p in mysqld partnerd nginx; do
			if pid_alive "$RUN/$p.pid"; then echo "$p: running"; else echo "$p: stopped"; fi
		done ;;
*)		die "usage: stack.sh init|start|stop|status|db-start|db-stop|db-kill|worker-start|worker-stop|nginx-start|nginx-stop|migrate|reset-db|sql" ;;
esac
