#!/bin/sh
# cluster.sh: partnerd on several machines, on one machine. Three MariaDB
# Galera nodes (conf/galera/partnerd-galera.cnf) and three worker hosts, each
# in its own network namespace with its own address on one bridge, and nginx
# in front (conf/nginx/partnerd.conf.in with conf/nginx/partnerd-upstream.conf:
# FastCGI over TCP to the three, passive health checks, idempotent requests
# retried on the next host). The media tree is one directory all three
# workers use (shared storage: NFS or CephFS in production).
#
#   cluster.sh ACTION  up | down | status
#                      db-kill N | db-start N | db-synced N   (N = 1..3)
#                      net-down N | net-up N                  (worker host N)
#                      causal on|off  (the workers again with db_causal_reads)
#                      transfer N   (how node N last rejoined: IST or SST)
#                      sql N [ARGS]   (mariadb on node N, as root)
#
# Environment: STATE (state directory), SRCDIR, BUILDDIR, PORT (nginx; the
# worker hosts one by one on PORT+1..PORT+3). 'up' writes $STATE/cluster.env.
# Root only: namespaces, veths and a bridge; MariaDB runs as mysql, the
# workers as partnerd, nginx's workers as www-data.
set -eu

die() { echo "cluster: $*" >&2; exit 1; }
# is_root, pid_alive, wait_for, stop_pid, mariadb_stop, nginx_run, nginx_quit
. "$(dirname "$0")/lib.sh"
is_root || die "needs root (network namespaces)"
: "${STATE:?STATE must name the state directory}"
if [ -f "$STATE/cluster.env" ]; then . "$STATE/cluster.env"; fi
: "${SRCDIR:?SRCDIR is not set}" "${BUILDDIR:?BUILDDIR is not set}"
PORT=${PORT:-8090}
PATH=$PATH:/usr/sbin:/sbin
NET=${CLUSTER_NET:-10.213.0}	# a /24 the machine does not use
BR=pdcbr0
LOG=$STATE/log
SBIN=$STATE/sbin
WORKER_USER=partnerd
NODES=${CLUSTER_NODES:-3}	# Galera nodes and worker hosts (bench: 1 or 3)
WTHREADS=${CLUSTER_THREADS:-4}
CAUSAL=${CLUSTER_CAUSAL_READS:-on}

db_ip() { echo "$NET.2$1"; }
w_ip() { echo "$NET.1$1"; }
seq_nodes() { i=1; while [ "$i" -le "$NODES" ]; do echo "$i"; i=$((i + 1)); done; }
node_dir() { echo "$STATE/db$1"; }
dbsql() { n=$1; shift; mariadb --no-defaults --default-character-set=utf8mb4 --socket="$(node_dir "$n")/mysqld.sock" -uroot "$@"; }

# ---- the network: a bridge in the root namespace (nginx's side, $NET.1) and
# one namespace per machine, each with a veth on the bridge.
net_add() {	# net_add NAME IP
	ns=pdc-$1
	ip netns add "$ns"
	ip link add "pdv-$1" type veth peer name eth0 netns "$ns"
	ip link set "pdv-$1" master "$BR" up
	ip -n "$ns" addr add "$2/24" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
}
net_up_all() {
	ip link add "$BR" type bridge
	ip addr add "$NET.1/24" dev "$BR"
	ip link set "$BR" up
	for i in $(seq_nodes); do
		net_add "db$i" "$(db_ip "$i")"
		net_add "w$i" "$(w_ip "$i")"
	done
}
net_down_all() {
	for i in 1 2 3; do
		for m in db w; do
			ip netns del "pdc-$m$i" 2>/dev/null || true
			ip link del "pdv-$m$i" 2>/dev/null || true
		done
	done
	ip link del "$BR" 2>/dev/null || true
}

# ---- Galera nodes ---------------------------------------------------------
db_conf() {	# the node's file: its paths and addresses, then the shipped one
	D=$(node_dir "$1")
	addrs=""
	for j in $(seq_nodes); do addrs="$addrs${addrs:+,}$(db_ip "$j")"; done
	cat > "$D/my.cnf" <<EOF
# Written by tests/cluster.sh: node $1 of the test cluster.
[mysqld]
user = mysql
datadir = $D/data
tmpdir = $D/tmp
socket = $D/mysqld.sock
pid-file = $D/mysqld.pid
port = 3306
log-error = $LOG/db$1.log
innodb_buffer_pool_size = 96M
max_connections = 100
!include $SRCDIR/conf/galera/partnerd-galera.cnf
[galera]
wsrep_cluster_address = gcomm://$addrs
wsrep_node_address = $(db_ip "$1")
wsrep_node_name = db$1
bind_address = $(db_ip "$1")
# Small: three nodes share this machine's memory.
wsrep_provider_options = "gcache.size=32M"
EOF
	chmod 644 "$D/my.cnf"
}

db_init() {
	D=$(node_dir "$1")
	mkdir -p "$D/tmp"
	chown mysql:mysql "$D" "$D/tmp"
	db_conf "$1"
	mariadb-install-db --defaults-file="$D/my.cnf" --user=mysql --skip-test-db \
	    --auth-root-authentication-method=socket --wsrep-on=OFF \
	    > "$LOG/db$1-install.log" 2>&1 || die "mariadb-install-db failed: see $LOG/db$1-install.log"
}

# db_start N [--wsrep-new-cluster]: as the systemd unit does (galera_recovery):
# after a crash, find the last committed position first, so the node rejoins
# by IST when the others still hold what it missed.
db_start() {
	n=$1; shift
	D=$(node_dir "$n")
	pid_alive "$D/mysqld.pid" && return 0
	touch "$LOG/db$n.log"; chown mysql "$LOG/db$n.log"
	pos=""
	if [ -f "$D/data/grastate.dat" ] && grep -q '^seqno: *-1' "$D/data/grastate.dat"; then
		touch "$LOG/db$n-recover.log"; chown mysql "$LOG/db$n-recover.log"
		ip netns exec "pdc-db$n" mariadbd --defaults-file="$D/my.cnf" --wsrep-recover \
		    --log-error="$LOG/db$n-recover.log" >/dev/null 2>&1 || true
		pos=$(sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' "$LOG/db$n-recover.log" | tail -1)
		rm -f "$LOG/db$n-recover.log"
	fi
	ip netns exec "pdc-db$n" mariadbd --defaults-file="$D/my.cnf" "$@" \
	    ${pos:+--wsrep_start_position=$pos} >/dev/null 2>&1 &
	echo $! > "$STATE/db$n.pid"
}

db_synced() {	# the node serves: Synced and in the primary component
	s=$(dbsql "$1" -N -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
	    WHERE VARIABLE_NAME IN ('wsrep_local_state_comment','wsrep_ready')
	    ORDER BY VARIABLE_NAME" 2>/dev/null | tr '\n' ' ')
	[ "$s" = "Synced ON " ]
}

db_kill() { if pid_alive "$STATE/db$1.pid"; then kill -9 "$(cat "$STATE/db$1.pid")"; fi; rm -f "$STATE/db$1.pid"; }

db_stop() { mariadb_stop "$(node_dir "$1")/mysqld.sock" "$STATE/db$1.pid"; }

# ---- worker hosts ----------------------------------------------------------
w_conf() {	# worker host N: its own order of the nodes, so each starts on its own
	i=$1; hosts=""
	for k in $(seq_nodes); do
		j=$(( (i + k - 2) % NODES + 1 ))
		hosts="$hosts${hosts:+,}$(db_ip "$j")"
	done
	mkdir -p "$STATE/w$i"
	cat > "$STATE/w$i/partnerd.conf" <<EOF
# Written by tests/cluster.sh: worker host $i.
db_host = $hosts
db_causal_reads = $CAUSAL
db_user = partnerd
db_password = $DBPW
db_name = partnerd
media_dir = $STATE/media
listen = $(w_ip "$i"):9000
threads = $WTHREADS
upload_idle_timeout = 5
log_level = info
EOF
	chown "root:$WORKER_USER" "$STATE/w$i/partnerd.conf"
	chmod 640 "$STATE/w$i/partnerd.conf"
}

w_start() {
	i=$1
	pid_alive "$STATE/w$i.pid" && return 0
	ip netns exec "pdc-w$i" setpriv --reuid="$WORKER_USER" --regid="$WORKER_USER" --init-groups \
	    sh -c "umask 027; exec '$SBIN/partnerd' -c '$STATE/w$i/partnerd.conf'" >> "$LOG/w$i.log" 2>&1 &
	echo $! > "$STATE/w$i.pid"
	wait_for 30 ip netns exec "pdc-w$i" sh -c "ss -ltn | grep -q ':9000 '" ||
	    die "worker $i did not start: see $LOG/w$i.log"
}

w_stop() { stop_pid "$STATE/w$1.pid"; }

# ---- nginx: the shipped server block with the shipped cluster upstream; and
# one server per worker host (PORT+N), which the test reads each host through.
nginx_conf() {
	N=$STATE/nginx
	mkdir -p "$N/tmp"; chown -R www-data:www-data "$N/tmp"
	cp /etc/nginx/fastcgi_params "$N/"
	sed -e "s|@sbindir@|$SBIN|g" -e "s|@sysconfdir@|$STATE/etc|g" \
	    -e "s|@pkgdatadir@|$STATE/share|g" -e "s|@mediadir@|$STATE/media|g" \
	    -e "s|@pkgrundir@|$STATE/run|g" "$SRCDIR/conf/nginx/partnerd.conf.in" > "$N/single.conf"
	# The single-host upstream block goes; the cluster's file replaces it.
	sed -e '/^upstream partnerd {/,/^}/d' -e "s|^    listen 80;|    listen 127.0.0.1:$PORT;|" \
	    "$N/single.conf" > "$N/partnerd.conf"
	servers=""
	for i in $(seq_nodes); do servers="$servers    server $(w_ip "$i"):9000 max_fails=1 fail_timeout=10s;\n"; done
	awk -v s="$servers" '/^upstream partnerd \{/ { print; inb = 1; gsub(/\\n/, "\n", s); printf "%s", s; next }
	    inb && /^ *server / { next } /^}/ { inb = 0 } { print }' \
	    "$SRCDIR/conf/nginx/partnerd-upstream.conf" > "$N/upstream.conf"
	: > "$N/hosts.conf"
	for i in $(seq_nodes); do
		echo "upstream partnerd_w$i { server $(w_ip "$i"):9000; }" >> "$N/hosts.conf"
		sed -n '/^server {/,$p' "$N/single.conf" |
		    sed -e "s|^    listen 80;|    listen 127.0.0.1:$((PORT + i));|" \
		        -e "s|fastcgi_pass partnerd;|fastcgi_pass partnerd_w$i;|" \
		        -e '/limit_req zone\|limit_conn partnerd_upload/d' >> "$N/hosts.conf"
	done
	cat > "$N/nginx.conf" <<EOF
# Written by tests/cluster.sh.
user www-data;
worker_processes 2;
pid $STATE/run/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 2048; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # Which hosts served a request: "a, b" is a retry on the next host.
    log_format cluster '\$msec \$request_method \$uri \$status "\$upstream_addr" "\$upstream_status" \$request_time';
    access_log $LOG/nginx-access.log cluster;
    client_body_temp_path $N/tmp/body;
    fastcgi_temp_path $N/tmp/fastcgi;
    proxy_temp_path $N/tmp/proxy;
    uwsgi_temp_path $N/tmp/uwsgi;
    scgi_temp_path $N/tmp/scgi;
    include $N/upstream.conf;
    include $N/partnerd.conf;
    include $N/hosts.conf;
}
EOF
}

nginx_start() {
	nginx_run "$STATE/nginx" "$LOG/nginx-error.log" "$STATE/run/nginx.pid" ||
	    die "nginx did not start (port $PORT taken?): see $LOG/nginx-error.log"
}

nginx_stop() { nginx_quit "$STATE/nginx" "$LOG/nginx-error.log" "$STATE/run/nginx.pid"; }

# ---- up / down ---------------------------------------------------------------
do_up() {
	command -v galera_recovery >/dev/null && [ -f /usr/lib/galera/libgalera_smm.so ] ||
	    die "galera-4 is missing (./bootstrap installs it)"
	command -v rsync >/dev/null || die "rsync is missing (./bootstrap installs it)"
	id -u "$WORKER_USER" >/dev/null 2>&1 ||
	    adduser --quiet --system --group --no-create-home --home /nonexistent "$WORKER_USER"
	for u in www-data mysql "$WORKER_USER"; do
		setpriv --reuid="$u" --regid="$u" --clear-groups test -x "$STATE" ||
		    die "$u cannot reach $STATE: give its parents o+x, or set STATE elsewhere"
	done
	mkdir -p "$LOG" "$SBIN" "$STATE/run" "$STATE/media" "$STATE/share/www"
	chmod 755 "$STATE" "$LOG" "$STATE/run" "$STATE/share"
	chown "$WORKER_USER:www-data" "$STATE/media"; chmod 2750 "$STATE/media"
	install -m 755 "$BUILDDIR/partnerd" "$BUILDDIR/partnerctl" "$SBIN/"
	if [ ! -f "$STATE/cluster.env" ]; then
		pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
		{ echo "SRCDIR='$SRCDIR'"; echo "BUILDDIR='$BUILDDIR'"; echo "PORT='$PORT'"
		  echo "DBPW='$pw'"; echo "NODES='$NODES'"; echo "CAUSAL='$CAUSAL'"
		  echo "WTHREADS='$WTHREADS'"; } > "$STATE/cluster.env"
		chmod 600 "$STATE/cluster.env"
	fi
	. "$STATE/cluster.env"
	net_down_all
	net_up_all
	# Node 1 starts the cluster and gets the schema and the demo accounts;
	# the others start from a copy of its data directory (the same cluster
	# state, so they join without a full state transfer), as one seeds a
	# cluster from a backup.
	t0=$(date +%s)
	db_init 1
	db_start 1 --wsrep-new-cluster
	wait_for 60 db_synced 1 || die "node 1 did not start: see $LOG/db1.log"
	dbsql 1 <<EOF
CREATE DATABASE partnerd CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'partnerd'@'$NET.%' IDENTIFIED BY '$DBPW';
GRANT ALL PRIVILEGES ON \`partnerd%\`.* TO 'partnerd'@'$NET.%';
EOF
	# Migrations, as an admin runs them: once, through any node.
	for i in $(seq_nodes); do w_conf "$i"; done
	# (A node that has just said it is ready may still not take a first
	# connection from a worker host's namespace for a moment, seen once in
	# CI: the migrations, which change nothing twice, are tried again.)
	tries=0
	until setpriv --reuid="$WORKER_USER" --regid="$WORKER_USER" --init-groups \
	    "$SBIN/partnerd" -c "$STATE/w1/partnerd.conf" --migrate > "$LOG/migrate.log" 2>&1; do
		tries=$((tries + 1))
		[ "$tries" -lt 10 ] || { tail -5 "$LOG/migrate.log" >&2; die "migrations failed: see $LOG/migrate.log"; }
		sleep 1
	done
	setpriv --reuid="$WORKER_USER" --regid="$WORKER_USER" --init-groups \
	    "$SBIN/partnerctl" -c "$STATE/w1/partnerd.conf" demo > "$LOG/demo.log" 2>&1 ||
	    die "partnerctl demo failed: see $LOG/demo.log"
	if [ "$NODES" -gt 1 ]; then
		db_stop 1
		for i in $(seq_nodes); do
			[ "$i" = 1 ] && continue
			D=$(node_dir "$i")
			[ -n "$D" ] || die "no node directory"
			mkdir -p "$D/tmp"; chown mysql:mysql "$D" "$D/tmp"
			db_conf "$i"
			cp -a "$(node_dir 1)/data" "$D/data"
			rm -f "$D/data/gvwstate.dat"
		done
		db_start 1 --wsrep-new-cluster
		wait_for 60 db_synced 1 || die "node 1 did not start again: see $LOG/db1.log"
		for i in $(seq_nodes); do [ "$i" = 1 ] || db_start "$i"; done
		for i in $(seq_nodes); do
			wait_for 120 db_synced "$i" || die "node $i did not join: see $LOG/db$i.log"
		done
	fi
	echo "cluster: $NODES Galera node(s) synced in $(( $(date +%s) - t0 )) s"
	for i in $(seq_nodes); do w_start "$i"; done
	nginx_conf
	nginx_start
	echo "cluster: up; nginx on 127.0.0.1:$PORT, worker hosts one by one on $((PORT + 1))..$((PORT + NODES))"
}

do_down() {
	nginx_stop
	for i in 1 2 3; do w_stop "$i"; done
	for i in 1 2 3; do db_stop "$i"; done
	net_down_all
}

case "${1:-}" in
up)		do_up ;;
down)		do_down ;;
db-kill)	db_kill "$2" ;;
db-start)	db_start "$2" ;;
db-synced)	db_synced "$2" ;;
transfer)	# how node N last rejoined: IST (what it missed) or SST (a full copy)
		D=$(sed -n '/Starting MariaDB/=' "$LOG/db$2.log" | tail -1)
		# (rsync carries an IST through its SST script: "rsync IST completed")
		if tail -n +"$D" "$LOG/db$2.log" | grep -q 'rsync SST completed'; then echo "rejoined by SST"
		elif tail -n +"$D" "$LOG/db$2.log" | grep -q 'IST received\|rsync IST completed'; then echo "rejoined by IST"
		else echo "rejoined without a state transfer"; fi ;;
causal)		# causal on|off: every worker host again with db_causal_reads so
		for i in $(seq_nodes); do
			sed -i "s/^db_causal_reads = .*/db_causal_reads = $2/" "$STATE/w$i/partnerd.conf"
			w_stop "$i"; w_start "$i"
		done ;;
net-down)	ip -n "pdc-w$2" link set eth0 down ;;
net-up)		ip -n "pdc-w$2" link set eth0 up ;;
sql)		n=$2; shift 2; dbsql "$n" "$@" ;;
status)		for i in $(seq_nodes); do
			printf 'db%s: ' "$i"; if db_synced "$i"; then echo synced; else echo "not synced"; fi
			printf 'w%s: ' "$i"; if pid_alive "$STATE/w$i.pid"; then echo running; else echo stopped; fi
		done ;;
*)		die "usage: cluster.sh up|down|status|db-kill N|db-start N|db-synced N|net-down N|net-up N|sql N ARGS" ;;
esac
