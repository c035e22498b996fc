#!/bin/sh
# deploy-test.sh: the README's installation recipe, run as written.
#
#   deploy-test.sh SRCDIR BUILDDIR T PORT [no-setgid]
#
# Builds partnerd from 'make dist' with Debian's paths (--prefix=/usr
# --sysconfdir=/etc --localstatedir=/var --runstatedir=/run), installs it
# with 'make install DESTDIR=$T/root', then runs the shell blocks of README.md
# marked "<!-- deploy-test: NAME -->" line by line, with every path moved
# under that root, a private MariaDB (as mysql), nginx and Apache (workers as
# www-data) on loopback ports, and the worker as partnerd. What needs systemd
# as PID 1 is emulated and said so (README: What the tests cover of this
# recipe). Then: sign in, upload through nginx, import with partnerctl,
# download originals and a thumbnail through nginx; the mod_fcgid recipe in a
# second root, upload and download through Apache. Exit 0 when all works.
# "no-setgid" runs the recipe without the setgid bit on the media directory:
# then downloads through nginx must fail (the check that this test can see
# that mistake).
set -u
SRCDIR=$1 BUILDDIR=$2 T=$3 PORT=$4 MUTATE=${5:-}
APORT=$((PORT + 1))
PATH=$PATH:/usr/sbin:/sbin
SOCK=$T/mysqld/mysqld.sock
ADMIN=you@example.com ADMIN_PW=deploy-admin-pass-1
ADMIN_DB_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
RT_DB_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
LOG=$T/log
PIDS=""

say() { echo "deploy-test: $*"; }
fail() { echo "deploy-test: FAILED: $*" >&2; cleanup; exit 1; }
cleanup() {
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	[ -f "$T/apache/httpd.conf" ] && apache2 -f "$T/apache/httpd.conf" -k stop 2>/dev/null
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	pkill -f "^$T/root2/usr/sbin/partnerd" 2>/dev/null
	[ -S "$SOCK" ] && mariadb-admin --no-defaults --socket="$SOCK" -uroot shutdown 2>/dev/null
	sleep 1
	return 0
}
. "$(dirname "$0")/lib.sh"	# wait_for

[ "$(id -u)" -eq 0 ] || { say "needs root (it creates users and runs servers as them)"; exit 1; }

# ---- build and install, once per build tree (kept between runs) ----------
STAGE=$BUILDDIR/state/deploy-build
if [ ! -x "$STAGE/pristine/usr/sbin/partnerd" ] ||
   [ "$BUILDDIR/partnerd" -nt "$STAGE/pristine/usr/sbin/partnerd" ]; then
	say "building from make dist with Debian's paths"
	rm -rf "$STAGE"; mkdir -p "$STAGE"
	(cd "$BUILDDIR" && make dist >"$STAGE/dist.log" 2>&1) || fail "make dist (see $STAGE/dist.log)"
	tarball=$(ls -t "$BUILDDIR"/partnerd-*.tar.gz | head -1)
	tar -C "$STAGE" -xzf "$tarball" && mv "$STAGE"/partnerd-*/ "$STAGE/src" || fail "unpacking $tarball"
	(cd "$STAGE/src" &&
	    ./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var --runstatedir=/run &&
	    make -j2 && make install DESTDIR="$STAGE/pristine") > "$STAGE/build.log" 2>&1 ||
	    fail "build or install (see $STAGE/build.log)"
fi
rm -rf "$T"; mkdir -p "$T" "$LOG"; chmod 755 "$T"
for r in "$T/root" "$T/root2"; do
	cp -a "$STAGE/pristine" "$r"
	chmod 755 "$r"
	# What a Debian system has before partnerd comes.
	mkdir -p "$r/etc/systemd/system" "$r/etc/nginx/conf.d" "$r/etc/apache2/sites-available" "$r/run"
done

# ---- where the paths go ---------------------------------------------------
# Every absolute path of the recipe and of the installed files, under R.
paths() {	# paths R: a sed program
	R=$1
	echo "s|/etc/partnerd|$R/etc/partnerd|g; s|/var/lib/partnerd|$R/var/lib/partnerd|g;
	s|/usr/share/partnerd|$R/usr/share/partnerd|g; s|/usr/sbin/partnerd|$R/usr/sbin/partnerd|g;
	s|/run/partnerd|$R/run/partnerd|g; s|/etc/systemd/system|$R/etc/systemd/system|g;
	s|/etc/nginx/conf.d|$R/etc/nginx/conf.d|g; s|/etc/apache2/sites-available|$R/etc/apache2/sites-available|g;
	s|/srv/photos|$T/photos|g"
}
block() {	# block NAME: the lines of README's marked shell block NAME
	awk -v name="$1" '
	    $0 == "<!-- deploy-test: " name " -->" { want = 1; next }
	    want && /^```sh/ { inb = 1; next }
	    inb && /^```/ { exit }
	    inb { print }' "$SRCDIR/README.md"
}
run_block() {	# run_block NAME ROOT: each line as the admin types it, paths moved
	name=$1 R=$2
	lines=$(block "$name")
	[ -n "$lines" ] || fail "README.md has no block \"$name\""
	while IFS= read -r line; do
		line=${line%%#*}	# a comment is not a command
		case "$line" in
		""|" "*) continue ;;
		./bootstrap*|make*) echo "  (done above) $line"; continue ;;
		"systemctl daemon-reload"*) emulate_systemd "$R" || fail "systemd's part"; continue ;;
		"systemctl reload nginx"*) start_nginx "$R" || fail "starting nginx"; continue ;;
		a2enmod*) echo "  (the private Apache loads these modules) $line"; continue ;;
		a2ensite*) start_apache "$R" || fail "starting Apache"; continue ;;
		esac
		cmd=$(echo "$line" | sed -e "$(paths "$R")" \
		    -e "s|^mariadb |mariadb --no-defaults --socket=$SOCK |" \
		    -e "s|^partnerd |$R/usr/sbin/partnerd |" \
		    -e "s|^partnerctl |$R/usr/sbin/partnerctl -c $R/etc/partnerd/partnerd.conf |" \
		    -e "s|-- partnerctl |-- $R/usr/sbin/partnerctl -c $R/etc/partnerd/partnerd.conf |")
		if [ "$MUTATE" = no-setgid ]; then cmd=$(echo "$cmd" | sed 's/-m 2750/-m 750/'); fi
		echo "  \$ $cmd"
		printf '%s\n' "$ADMIN_PW" | sh -c "$cmd" >> "$LOG/recipe.log" 2>&1 ||
		    { tail -5 "$LOG/recipe.log"; fail "the recipe's block \"$name\": $line"; }
	done <<EOB
$lines
EOB
}

# ---- what systemd, nginx and Apache would do --------------------------------
emulate_systemd() {	# the installed units, without systemd as PID 1
	R=$1 U=$R/etc/systemd/system
	sed -i -e "$(paths "$R")" "$U/partnerd.service" "$U/partnerd.socket"
	systemd-analyze verify "$U/partnerd.socket" "$U/partnerd.service" > "$LOG/verify.log" 2>&1 ||
	    { cat "$LOG/verify.log"; echo "  systemd-analyze verify found errors"; return 1; }
	exec_start=$(sed -n 's/^ExecStart=//p' "$U/partnerd.service")
	user=$(sed -n 's/^User=//p' "$U/partnerd.service")
	umask_=$(sed -n 's/^UMask=//p' "$U/partnerd.service")
	listen=$(sed -n 's/^ListenStream=//p' "$U/partnerd.socket")
	sgroup=$(sed -n 's/^SocketGroup=//p' "$U/partnerd.socket")
	suser=$(sed -n 's/^SocketUser=//p' "$U/partnerd.socket")
	smode=$(sed -n 's/^SocketMode=//p' "$U/partnerd.socket")
	echo "  (systemd) $listen, then on the first request, as $user: $exec_start"
	mkdir -p "$(dirname "$listen")"
	# systemd-socket-activate listens as partnerd.socket does; its child
	# becomes the unit's ExecStart under the unit's user and umask.
	(umask "$umask_"; exec systemd-socket-activate -l "$listen" \
	    setpriv --reuid="$user" --regid="$user" --init-groups $exec_start) >> "$LOG/partnerd.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 test -S "$listen" || { echo "  no socket at $listen"; return 1; }
	chown "$suser:$sgroup" "$listen" && chmod "$smode" "$listen"
}

start_nginx() {
	R=$1 site=$R/etc/nginx/conf.d/partnerd.conf
	sed -i -e "$(paths "$R")" -e "s|^    listen 80;|    listen 127.0.0.1:$PORT;|" "$site"
	mkdir -p "$T/nginx/tmp"; chown www-data "$T/nginx/tmp"
	cp /etc/nginx/fastcgi_params "$T/nginx/"	# as Debian's /etc/nginx has it
	cat > "$T/nginx/nginx.conf" <<EON
user www-data;
worker_processes 1;
pid $T/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 128; }
http {
    include /etc/nginx/mime.types;
    access_log $LOG/nginx-access.log;
    client_body_temp_path $T/nginx/tmp/body;
    fastcgi_temp_path $T/nginx/tmp/fastcgi;
    include $R/etc/nginx/conf.d/*.conf;
}
EON
	echo "  (nginx, workers as www-data) $site on port $PORT"
	nginx -c "$T/nginx/nginx.conf" -e "$LOG/nginx-error.log" || return 1
	wait_for 10 test -f "$T/nginx.pid"
}

start_apache() {
	R=$1 site=$R/etc/apache2/sites-available/partnerd.conf
	sed -i -e "$(paths "$R")" -e "s|<VirtualHost \*:80>|<VirtualHost 127.0.0.1:$APORT>|" "$site"
	A=$T/apache; mkdir -p "$A/run" "$A/fcgid"; chown www-data "$A/run" "$A/fcgid"
	M=/usr/lib/apache2/modules
	{
		echo "ServerRoot $A"; echo "ServerName localhost"; echo "Listen 127.0.0.1:$APORT"
		echo "PidFile $A/run/apache.pid"; echo "DefaultRuntimeDir $A/run"
		echo "User www-data"; echo "Group www-data"
		for m in mpm_event authz_core mime alias headers dir filter deflate xsendfile fcgid; do
			echo "LoadModule ${m}_module $M/mod_$m.so"
		done
		echo "FcgidIPCDir $A/fcgid"; echo "FcgidProcessTableFile $A/fcgid/table"
		echo "TypesConfig /etc/mime.types"; echo "ErrorLog $LOG/apache-error.log"
		echo "Include $site"
	} > "$A/httpd.conf"
	echo "  (Apache + mod_fcgid, workers as www-data) $site on port $APORT"
	apache2 -f "$A/httpd.conf" -k start || return 1
	wait_for 20 test -f "$A/run/apache.pid"
}

# ---- the database server the recipe talks to ---------------------------------
mkdir -p "$T/mysqld" "$T/mariadb"; chown mysql:mysql "$T/mysqld" "$T/mariadb"
mariadb-install-db --no-defaults --user=mysql --datadir="$T/mariadb/data" --skip-test-db \
    --auth-root-authentication-method=socket > "$LOG/mariadb-install.log" 2>&1 || fail "mariadb-install-db"
touch "$LOG/mariadb.log"; chown mysql "$LOG/mariadb.log"
mariadbd --no-defaults --user=mysql --datadir="$T/mariadb/data" --socket="$SOCK" \
    --skip-networking --log-error="$LOG/mariadb.log" --innodb-buffer-pool-size=64M >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_for 30 mariadb --no-defaults --socket="$SOCK" -uroot -e 'SELECT 1' || fail "MariaDB did not start"

# ---- the recipe: nginx and systemd ---------------------------------------------
R=$T/root
# "set both passwords in the file first"
sed -i -e "s/'change-me-admin'/'$ADMIN_DB_PW'/" -e "s/'change-me'/'$RT_DB_PW'/" \
    "$R/usr/share/partnerd/mariadb-grants.sql"
run_block setup "$R"
# "In partnerd.conf set db_password ...; in migrate.conf db_user and its
# password" (db_socket: this MariaDB's socket; Debian's default is the one
# localhost means).
edit_conf() {	# edit_conf FILE KEY=VALUE...: what the admin's editor does
	f=$1; shift
	sed -i -e "$(paths "$R")" "$f"
	for kv in "$@"; do
		k=${kv%%=*} v=${kv#*=}
		if grep -q "^$k *=" "$f"; then sed -i "s|^$k *=.*|$k = $v|" "$f"; else echo "$k = $v" >> "$f"; fi
	done
}
edit_conf "$R/etc/partnerd/partnerd.conf" "db_password=$RT_DB_PW" "db_socket=$SOCK"
edit_conf "$R/etc/partnerd/migrate.conf" db_user=partnerd_admin "db_password=$ADMIN_DB_PW" "db_socket=$SOCK"
"$R/usr/sbin/partnerd" --check-config -c "$R/etc/partnerd/partnerd.conf" >/dev/null || fail "--check-config"
run_block schema "$R"
run_block serve "$R"

# ---- using it ----------------------------------------------------------------
json() { node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{const d=JSON.parse(s);console.log($1)})"; }
BASE=http://127.0.0.1:$PORT
TOKEN=$(curl -sS -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$ADMIN\",\"password\":\"$ADMIN_PW\"}" | json d.accessToken)
[ -n "$TOKEN" ] && [ "$TOKEN" != undefined ] || fail "the admin cannot sign in through nginx"
"$BUILDDIR/partnerd-mkphotos" "$T/made" 2 11 deploy_ >/dev/null || fail "making photos"
upload() {	# upload BASE FILE: the new asset's id
	curl -sS -X POST "$1/api/assets" -H "Authorization: Bearer $TOKEN" \
	    -F "assetData=@$2;type=image/jpeg" -F fileCreatedAt=2024-05-01T10:00:00.000Z \
	    -F fileModifiedAt=2024-05-01T10:00:00.000Z | json d.id
}
fetch_ok() {	# fetch_ok BASE PATH OUT: 200 and the body in OUT
	st=$(curl -sS -o "$3" -w '%{http_code}' "$1$2" -H "Authorization: Bearer $TOKEN")
	[ "$st" = 200 ]
}
up=$(upload "$BASE" "$T/made/deploy_0001.jpg")
[ -n "$up" ] && [ "$up" != undefined ] || fail "upload through nginx"
say "uploaded $up through nginx"
mkdir -p "$T/photos"; cp "$T/made/deploy_0002.jpg" "$T/photos/"; chmod -R a+rX "$T/photos"
run_block import "$R"
imp=$(sh -c "mariadb --no-defaults --socket=$SOCK -uroot -N -e \"SELECT id FROM partnerd.assets WHERE original_file_name = 'deploy_0002.jpg'\"")
[ -n "$imp" ] || fail "partnerctl import added no asset"
fetch_ok "$BASE" "/api/assets/$up/original" "$T/got-up.jpg" &&
    cmp -s "$T/got-up.jpg" "$T/made/deploy_0001.jpg" || fail "the uploaded original through nginx"
fetch_ok "$BASE" "/api/assets/$imp/original" "$T/got-imp.jpg" &&
    cmp -s "$T/got-imp.jpg" "$T/made/deploy_0002.jpg" || fail "the imported original through nginx"
fetch_ok "$BASE" "/api/assets/$up/thumbnail" "$T/thumb.webp" && [ -s "$T/thumb.webp" ] ||
    fail "the thumbnail through nginx"
say "nginx: originals (uploaded, imported) and a thumbnail downloaded, same bytes"
# Who owns what, as the README says.
[ "$(stat -c '%U:%G %a' "$R/etc/partnerd/partnerd.conf")" = "root:partnerd 640" ] || fail "partnerd.conf's owner or mode"
bad=$(find "$R/var/lib/partnerd/media" ! -group www-data | head -3)
[ -z "$bad" ] || fail "files outside the group www-data: $bad"
bad=$(find "$R/var/lib/partnerd/media" ! -user partnerd | head -3)
[ -z "$bad" ] || fail "files not partnerd's: $bad"

# ---- the recipe: Apache with mod_fcgid, in a root of its own -----------------
R=$T/root2
sed -i -e "s/'change-me-admin'/'$ADMIN_DB_PW'/" -e "s/'change-me'/'$RT_DB_PW'/" \
    "$R/usr/share/partnerd/mariadb-grants.sql"
run_block setup "$R"
edit_conf "$R/etc/partnerd/partnerd.conf" "db_password=$RT_DB_PW" "db_socket=$SOCK" \
    threads=1 media_sendfile=x-sendfile
run_block apache-fcgid "$R"
ABASE=http://127.0.0.1:$APORT
aup=$(upload "$ABASE" "$T/made/deploy_0001.jpg")
# The same file for the same owner is a duplicate: the worker answers its id,
# but the file lives in the first root. A second photo is new here.
"$BUILDDIR/partnerd-mkphotos" "$T/made2" 1 12 apache_ >/dev/null
aup=$(upload "$ABASE" "$T/made2/apache_0001.jpg")
[ -n "$aup" ] && [ "$aup" != undefined ] || fail "upload through Apache"
fetch_ok "$ABASE" "/api/assets/$aup/original" "$T/got-a.jpg" &&
    cmp -s "$T/got-a.jpg" "$T/made2/apache_0001.jpg" || fail "the original through Apache"
fetch_ok "$ABASE" "/api/assets/$aup/thumbnail" "$T/thumb-a.webp" && [ -s "$T/thumb-a.webp" ] ||
    fail "the thumbnail through Apache"
say "Apache + mod_fcgid: original and thumbnail downloaded, same bytes"
cleanup
say "the README's recipe works as written"
