#!/bin/sh
# shared-host-test.sh: partnerd on a simulated shared host, installed the
# way the README's "On shared hosting" tells a customer to.
#
#   shared-host-test.sh SRCDIR BUILDDIR T PORT
#
# The host: Apache (workers as www-data) with mod_fcgid, mod_rewrite and
# mod_userdir, .htaccess allowed (AllowOverride FileInfo AuthConfig Indexes
# Options=ExecCGI,Indexes), Debian's suEXEC (apache2-suexec-pristine) and
# no mod_xsendfile; a MariaDB with binary logging on and an account with a
# control panel's privileges (all on its own database, nothing global). The
# customer: an ordinary user with /home/USER/public_html, who uploads the
# 'make portable' tarball and runs only the README's steps, as themselves.
# Then the smoke, through that Apache: sign-up and sign-in, a share, the
# partner's timeline, an upload, the original and the thumbnail with Range,
# the web app and the files .htaccess denies. Exit 0 when all works.
#
# Debian's pristine suEXEC runs scripts below /home/USER/public_html only
# for ~USER URLs (its docroot is /var/www), so this host maps its virtual
# host onto ~USER; hosts with a suEXEC built for /home do the same without.
set -u
SRCDIR=$1 BUILDDIR=$2 T=$3 PORT=$4
PATH=$PATH:/usr/sbin:/sbin
U=pdh$(echo "$BUILDDIR" | cksum | cut -c1-6)
H=/home/$U
SOCK=$T/mysqld/mysqld.sock
DB=${U}_pd
DBPW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
LOG=$T/log
URL=http://127.0.0.1:$PORT
A=$T/apache

say() { echo "shared-host-test: $*"; }
cleanup() {
	[ -f "$A/httpd.conf" ] && apache2 -f "$A/httpd.conf" -k stop 2>/dev/null
	sleep 1
	# The workers mod_fcgid started as the customer, by their ids.
	for p in $(pgrep -u "$U" 2>/dev/null); do kill "$p" 2>/dev/null; done
	[ -S "$SOCK" ] && mariadb-admin --no-defaults --socket="$SOCK" -uroot shutdown 2>/dev/null
	return 0
}
fail() { echo "shared-host-test: FAILED: $*" >&2; tail -5 "$LOG/apache-error.log" "$H/partnerd-data/logs/partnerd.log" 2>/dev/null >&2; cleanup; exit 1; }
. "$(dirname "$0")/lib.sh"	# wait_for
# as_customer 'COMMANDS': a login shell's worth of environment, no more.
as_customer() {
	(cd "$H" && setpriv --reuid="$U" --regid="$U" --init-groups \
	    env -i HOME="$H" USER="$U" PATH=/usr/bin:/bin sh -euc "$1")
}
# json FIELD: a field of the JSON on standard input.
json() { node -e 'let o=JSON.parse(require("fs").readFileSync(0,"utf8"));
	for (const k of process.argv[1].split(".")) o=o?.[k]; console.log(o ?? "")' "$1"; }

[ "$(id -u)" -eq 0 ] || { say "needs root (it creates the customer and runs servers)"; exit 1; }
[ -u /usr/lib/apache2/suexec ] || { say "no setuid suEXEC: apt-get install apache2-suexec-pristine"; exit 1; }

# ---- the portable tarball ------------------------------------------------
tarball=$(cd "$BUILDDIR" && ${MAKE:-make} -s portable 2>"$T.portable.err" | sed -n 's/^portable: \([^ ]*\) .*/\1/p')
[ -f "$tarball" ] || { cat "$T.portable.err" >&2; say "FAILED: make portable"; exit 1; }
rm -f "$T.portable.err"

rm -rf "$T"; mkdir -p "$T" "$LOG" "$A/run" "$A/fcgid" "$A/docroot"; chmod 755 "$T" "$LOG"

# ---- the host: a customer account, MariaDB, Apache -------------------------
id -u "$U" >/dev/null 2>&1 ||
    adduser --quiet --disabled-password --gecos "shared-host test customer" --home "$H" "$U" ||
    fail "cannot create the user $U"
rm -rf "$H/public_html" "$H"/partnerd-* "$H/partnerd-data" "$H"/*.tar.gz
install -d -o "$U" -g "$U" -m 755 "$H/public_html"
chmod 711 "$H"

mkdir -p "$T/mysqld" "$T/mariadb"; chown mysql:mysql "$T/mysqld" "$T/mariadb"; chmod 755 "$T/mysqld"
mariadb-install-db --no-defaults --user=mysql --datadir="$T/mariadb/data" --skip-test-db \
    --auth-root-authentication-method=socket > "$LOG/mariadb-install.log" 2>&1 || fail "mariadb-install-db"
touch "$LOG/mariadb.log"; chown mysql "$LOG/mariadb.log"
# Binary logging on, and log_bin_trust_function_creators off until the
# customer asks the host for it (as the README and setup tell them to).
mariadbd --no-defaults --user=mysql --datadir="$T/mariadb/data" --socket="$SOCK" \
    --skip-networking --log-bin="$T/mariadb/data/binlog" --log-bin-trust-function-creators=0 \
    --log-error="$LOG/mariadb.log" --innodb-buffer-pool-size=64M >/dev/null 2>&1 &
wait_for 30 mariadb --no-defaults --socket="$SOCK" -uroot -e 'SELECT 1' || fail "MariaDB did not start"
# What a control panel's "new database" and "new user" pages do.
mariadb --no-defaults --socket="$SOCK" -uroot <<EOF || fail "the control panel's database"
CREATE DATABASE \`$DB\`;
CREATE USER '$DB'@'localhost' IDENTIFIED BY '$DBPW';
GRANT ALL PRIVILEGES ON \`$DB\`.* TO '$DB'@'localhost';
EOF

M=/usr/lib/apache2/modules
cat > "$A/httpd.conf" <<EOF
# Written by tests/shared-host-test.sh: a shared host's Apache.
ServerRoot "$A"
ServerName localhost
Listen 127.0.0.1:$PORT
PidFile $A/run/apache.pid
DefaultRuntimeDir $A/run
User www-data
Group www-data
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule mime_module $M/mod_mime.so
LoadModule dir_module $M/mod_dir.so
LoadModule rewrite_module $M/mod_rewrite.so
LoadModule headers_module $M/mod_headers.so
LoadModule filter_module $M/mod_filter.so
LoadModule deflate_module $M/mod_deflate.so
LoadModule userdir_module $M/mod_userdir.so
LoadModule suexec_module $M/mod_suexec.so
LoadModule fcgid_module $M/mod_fcgid.so
FcgidIPCDir $A/fcgid
FcgidProcessTableFile $A/fcgid/table
TypesConfig /etc/mime.types
ErrorLog $LOG/apache-error.log
LogLevel info
LogFormat "%h %t \"%r\" %>s %b" short
CustomLog $LOG/apache-access.log short
<Directory />
    AllowOverride None
    Require all denied
</Directory>
UserDir public_html
UserDir disabled root
<Directory /home/*/public_html>
    AllowOverride FileInfo AuthConfig Indexes Options=ExecCGI,Indexes
    Options SymLinksIfOwnerMatch
    Require all granted
</Directory>
<VirtualHost 127.0.0.1:$PORT>
    ServerName $U.shared.test
    # Empty: every path is the customer's ~$U (rewritten below); were it
    # $H/public_html, .htaccess rewrites would leave userdir, and suEXEC.
    DocumentRoot $A/docroot
    RewriteEngine On
    RewriteCond %{REQUEST_URI} !^/~
    RewriteRule ^/(.*)$ /~$U/\$1 [PT]
</VirtualHost>
EOF
chown -R www-data:www-data "$A/run" "$A/fcgid"

# ---- the customer's own steps (README: On shared hosting) -----------------
say "installing as $U from $(basename "$tarball")"
install -o "$U" -g "$U" -m 644 "$tarball" "$H/"	# the upload (SFTP)
as_customer "tar -xzf $(basename "$tarball") && sh partnerd-*/shared-hosting/install.sh ~/public_html" \
    > "$LOG/install.log" 2>&1 || { cat "$LOG/install.log"; fail "install.sh"; }
# partnerctl setup: the database the control panel made, the schema, the
# first admin (the passwords on standard input: the database's, then the
# admin's), as the README's step does it without a terminal.
# The first try: binary logging refuses the triggers; setup says what to ask.
printf '%s\n%s\n' "$DBPW" shared-admin-pw | as_customer "~/partnerd-*/bin/partnerctl \
    -c ~/partnerd-data/partnerd.conf setup --db-socket $SOCK --db-name $DB --db-user $DB \
    --admin-email admin@example.com --admin-name Ada" > "$LOG/setup-binlog.log" 2>&1 &&
    { cat "$LOG/setup-binlog.log"; fail "setup under binary logging without the host's setting"; }
grep -q 'Ask the database.s administrator (your host) to set log_bin_trust_function_creators = 1' \
    "$LOG/setup-binlog.log" || { cat "$LOG/setup-binlog.log"; fail "setup does not name log_bin_trust_function_creators"; }
# The host sets it; setup again as README's step 4 shows it, on a terminal
# over SSH (tests/setup-tty.exp: expect answers each prompt when it shows):
# Enter keeps each value the first try saved, the admin's email and name
# typed, then the database's password and the admin's (twice).
mariadb --no-defaults --socket="$SOCK" -uroot -e 'SET GLOBAL log_bin_trust_function_creators = 1' ||
    fail "the host's setting"
install -m 644 "$SRCDIR/tests/setup-tty.exp" "$T/setup-tty.exp"
as_customer "expect -f $T/setup-tty.exp admin@example.com Ada '$DBPW' shared-admin-pw \
    ~/partnerd-*/bin/partnerctl -c ~/partnerd-data/partnerd.conf setup" \
    > "$LOG/setup.log" 2>&1 || { cat "$LOG/setup.log"; fail "partnerctl setup on a terminal"; }
grep -q '^setup: admin admin@example.com created' "$LOG/setup.log" || { cat "$LOG/setup.log"; fail "setup's admin"; }
! grep -q shared-admin-pw "$LOG/setup.log" || fail "the terminal echoed the admin's password"
[ "$(stat -c '%a %U' "$H/partnerd-data/partnerd.conf")" = "640 $U" ] || fail "the configuration is not 0640, the customer's"
grep -q "^db_password = $DBPW\$" "$H/partnerd-data/partnerd.conf" &&
    grep -q '^media_sendfile = worker' "$H/partnerd-data/partnerd.conf" || fail "setup's configuration"
! grep -q "$DBPW" "$LOG/setup.log" "$LOG/setup-binlog.log" || fail "setup printed or echoed the database password"
as_customer '~/partnerd-*/bin/partnerd -c ~/partnerd-data/partnerd.conf --check-config' \
    > "$LOG/check-config.log" 2>&1 || { cat "$LOG/check-config.log"; fail "--check-config after setup"; }
# Run again (an upgrade, or a second try), it changes nothing and says so.
printf '%s\n' "$DBPW" | as_customer "~/partnerd-*/bin/partnerctl -c ~/partnerd-data/partnerd.conf setup \
    --admin-email admin@example.com" > "$LOG/setup-again.log" 2>&1 &&
    grep -q 'has an admin already' "$LOG/setup-again.log" || { cat "$LOG/setup-again.log"; fail "setup run again"; }
# Files .htaccess must refuse, wherever a careless customer put them.
as_customer 'mkdir -p public_html/logs public_html/media &&
    echo secret > public_html/old.conf && echo secret > public_html/logs/partnerd.log &&
    echo secret > public_html/media/photo.jpg && echo secret > public_html/dump.sql'

apache2 -f "$A/httpd.conf" -k start || fail "Apache did not start"
wait_for 20 test -f "$A/run/apache.pid" || fail "Apache did not start"

# ---- the smoke --------------------------------------------------------------
ok() { say "ok: $*"; }
c() { curl -s --max-time 60 "$@"; }
code() { curl -s --max-time 60 -o /dev/null -w '%{http_code}' "$@"; }

[ "$(c "$URL/api/server/ping")" = '{"res":"pong"}' ] || fail "ping through the wrapper"
ok "ping"
pid_user=$(ps -eo user:32,args | awk -v bin="$H/partnerd-" 'index($2, bin) == 1 { print $1; exit }')
[ "$pid_user" = "$U" ] || fail "the worker runs as '$pid_user', not the customer $U (suEXEC)"
ok "the worker runs as $U"
[ "$(code "$URL/")" = 200 ] && c "$URL/photos" | grep -q '<script' || fail "the web app at / and /photos"
asset=$(cd "$H/public_html" && ls assets | head -1)
c -D- -o /dev/null "$URL/assets/$asset" | grep -qi '^Cache-Control: public, max-age=31536000, immutable' ||
    fail "a hashed file of the web app, kept a year"
[ "$(code "$URL/assets/nothing-here.js")" = 404 ] || fail "a missing file under assets/ is 404"
ok "the web app"
for p in old.conf logs/partnerd.log media/photo.jpg dump.sql .htaccess partnerd-data/partnerd.conf; do
	[ "$(code "$URL/$p")" = 404 ] || fail "/$p is served"
done
ok "configuration, logs, media and SQL are refused"

hj='Content-Type: application/json'
[ "$(code -X POST -H "$hj" -d '{"email":"other@example.com","password":"shared-other-pw","name":"Eve"}' \
    "$URL/api/auth/admin-sign-up")" = 400 ] || fail "admin sign-up is open after setup made the admin"
tok=$(c -X POST -H "$hj" -d '{"email":"admin@example.com","password":"shared-admin-pw"}' \
    "$URL/api/auth/login" | json accessToken)
[ -n "$tok" ] || fail "sign-in"
ada=$(c -H "Authorization: Bearer $tok" "$URL/api/users/me" | json id)
[ -n "$ada" ] || fail "the Authorization header does not reach the worker (CGIPassAuth)"
ok "setup's admin signs in; Authorization"
ben=$(c -X POST -H "$hj" -H "Authorization: Bearer $tok" \
    -d '{"email":"ben@example.com","password":"shared-ben-pw","name":"Ben"}' "$URL/api/admin/users" | json id)
[ -n "$ben" ] || fail "creating a user"
[ "$(code -X POST -H "$hj" -H "Authorization: Bearer $tok" -d "{\"sharedWithId\":\"$ben\"}" \
    "$URL/api/partners")" = 201 ] || fail "sharing with a partner"
ok "share"

"$BUILDDIR/partnerd-mkphotos" "$T/photos" 1 53 shared_ >/dev/null || fail "making a photo"
photo=$(ls "$T"/photos/*.jpg | head -1)
id=$(c -H "Authorization: Bearer $tok" -F "assetData=@$photo" -F "fileCreatedAt=2024-05-01T10:00:00.000Z" \
    -F "fileModifiedAt=2024-05-01T10:00:00.000Z" "$URL/api/assets" | json id)
[ -n "$id" ] || fail "upload"
[ -n "$(find "$H/partnerd-data/media" -type f -user "$U" -name "$id*")" ] || fail "the original, as $U's file"
ok "upload"

btok=$(c -X POST -H "$hj" -d '{"email":"ben@example.com","password":"shared-ben-pw"}' \
    "$URL/api/auth/login" | json accessToken)
c -H "Authorization: Bearer $btok" "$URL/api/timeline/buckets?userId=$ada" | grep -q '"count":1' ||
    fail "the partner's library in Ben's timeline"
[ "$(code -X PUT -H "$hj" -H "Authorization: Bearer $btok" -d '{"inTimeline":true}' \
    "$URL/api/partners/$ada")" = 200 ] || fail "show in timeline"
c -H "Authorization: Bearer $btok" "$URL/api/timeline/buckets?visibility=timeline&withPartners=true" |
    grep -q '"count":1' || fail "Ben's main timeline with his partner"
ok "timeline"

c -H "Authorization: Bearer $btok" -H 'Range: bytes=0-99' -D "$T/h1" -o "$T/part" \
    "$URL/api/assets/$id/original"
head -c 100 "$photo" > "$T/want"
grep -q '^HTTP/1.1 206' "$T/h1" && cmp -s "$T/part" "$T/want" || fail "the original with Range"
grep -qi "^Content-Range: bytes 0-99/$(stat -c %s "$photo")" "$T/h1" || fail "Content-Range of the original"
c -H "Authorization: Bearer $btok" -o "$T/whole" "$URL/api/assets/$id/original"
cmp -s "$T/whole" "$photo" || fail "the whole original"
c -H "Authorization: Bearer $btok" -H 'Range: bytes=0-3' -D "$T/h2" -o "$T/thumb" \
    "$URL/api/assets/$id/thumbnail"
grep -q '^HTTP/1.1 206' "$T/h2" && [ "$(cat "$T/thumb")" = RIFF ] || fail "the thumbnail with Range"
etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/Ip' "$T/h2")
[ "$(code -H "Authorization: Bearer $btok" -H "If-None-Match: $etag" "$URL/api/assets/$id/thumbnail")" = 304 ] ||
    fail "the thumbnail revalidated (304)"
ok "original and thumbnail with Range, sent by the worker"

cleanup
say "passed"
