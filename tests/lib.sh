# lib.sh: the shell helpers the test and bench scripts share, sourced by
# them ('. "$(dirname "$0")/lib.sh"'); it defines functions only and runs
# nothing. POSIX sh.

# is_root: true when the caller is root (then servers run as their own users).
is_root() { [ "$(id -u)" -eq 0 ]; }

# pid_alive PIDFILE: the file names a running process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds
# (its output discarded); false when SECONDS passed first.
wait_for() {
	_n=$(($1 * 10)); shift
	while [ "$_n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1; _n=$((_n - 1))
	done
	return 1
}

# as_user USER COMMAND...: become COMMAND, run as USER (when root) with
# umask 027 as systemd's unit runs a service. It execs: call it in a
# subshell, "(as_user ...)", or in the background, "as_user ... &", whose
# $! is then COMMAND's.
as_user() {
	_u=$1; shift
	umask 027
	if is_root; then
		exec setpriv --reuid="$_u" --regid="$_u" --init-groups "$@"
	fi
	exec "$@"
}

# stop_pid PIDFILE: TERM, KILL after 10 s; the file goes.
stop_pid() {
	if pid_alive "$1"; then
		_pid=$(cat "$1"); kill "$_pid" 2>/dev/null || true
		wait_for 10 sh -c "! kill -0 $_pid" || kill -9 "$_pid" 2>/dev/null || true
	fi
	rm -f "$1"
}

# ms VALUE: wrk's "1.23ms" / "456.00us" / "1.02s" in milliseconds.
ms() {
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
	    else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# wrk_row BASE AUTH PATH OUT [wrk options]: one row as make bench measures
# it: WARMUP s (default 2) of wrk -t2 -c32 not counted (a restarted worker's
# threads connect and prepare on their first request, and a cached route's
# first answer is computed once), then DURATION s (default 5) with its
# output in OUT. Prints "rps p50 p99 non2xx", the latencies in ms.
wrk_row() {
	_base=$1; _auth=$2; _path=$3; _out=$4; shift 4
	wrk -t2 -c32 -d"${WARMUP:-2}s" "$@" -H "$_auth" "$_base$_path" > /dev/null 2>&1 || true
	wrk -t2 -c32 -d"${DURATION:-5}s" --latency "$@" -H "$_auth" "$_base$_path" > "$_out" 2>&1
	_rps=$(awk '/^Requests\/sec:/ { print $2 }' "$_out")
	_p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$_out")")
	_p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$_out")")
	_bad=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$_out")
	echo "${_rps:-0} $_p50 $_p99 ${_bad:-0}"
}

# answer_cache_set CONF on|off: the worker's answers cache in partnerd.conf
# CONF, off (answer_cache = 0) or on (the line gone: the default size); a
# worker restart applies it.
answer_cache_set() {
	sed -i '/^answer_cache =/d' "$1"
	if [ "$2" = off ]; then echo "answer_cache = 0" >> "$1"; fi
}

# mariadb_stop SOCKET PIDFILE: a clean shutdown through the socket, KILL
# after 30 s; the file goes.
mariadb_stop() {
	pid_alive "$2" || { rm -f "$2"; return 0; }
	_pid=$(cat "$2")
	mariadb-admin --no-defaults --socket="$1" -uroot shutdown >/dev/null 2>&1 || true
	wait_for 30 sh -c "! kill -0 $_pid" || kill -9 "$_pid" 2>/dev/null || true
	rm -f "$2"
}

# nginx_quit PREFIX ERRLOG PIDFILE: a graceful stop of the nginx whose
# configuration is PREFIX/nginx.conf; TERM (then KILL) after 10 s.
nginx_quit() {
	pid_alive "$3" || return 0
	nginx -p "$1" -c "$1/nginx.conf" -e "$2" -s quit 2>/dev/null || true
	wait_for 10 sh -c "! test -f '$3'" || stop_pid "$3"
}

# nginx_run PREFIX ERRLOG PIDFILE: start the nginx of PREFIX/nginx.conf
# (unless it runs) and wait up to 10 s for its pid file; false when it failed.
nginx_run() {
	pid_alive "$3" && return 0
	nginx -p "$1" -c "$1/nginx.conf" -e "$2" && wait_for 10 test -f "$3"
}

# login BASE EMAIL: the access token of EMAIL (password partnerd-demo, the
# demo's and the benches' users), empty when the login fails.
login() {
	curl -s -X POST "$1/api/auth/login" -H 'Content-Type: application/json' \
	    -d "{\"email\":\"$2\",\"password\":\"partnerd-demo\"}" |
	    sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p'
}

# The bench library's per-viewer extras (issue 18), in make bench's one
# spelling, as SQL on stdout for its MariaDB (the bench library's
# bench_uuid function, tests/bench.sh). bench_marks_sql: bench0 makes one
# in ten of its partners' assets a favourite of its own and archives one in
# five of those for itself. bench_dups_sql on|off: one in ten of bench0's
# partners' assets gets the checksum of the file numbered its own number
# rounded down to a hundred (on: a copy of a file bench0 has, in the same
# month, so it hides for bench0) or its own number again (off: as loaded,
# no copy). bench_unmark_sql: bench0's marks gone. Each goes through the
# triggers, as a user's change would.
bench_marks_sql() {
	cat <<'SQL'
INSERT INTO asset_marks (viewer_id, asset_id, favorite, archived)
  SELECT p.shared_with_id, a.id, 1, CRC32(a.id) % 50 = 0
  FROM partners p JOIN assets a ON a.owner_id = p.shared_by_id
  WHERE p.shared_with_id = bench_uuid(MD5('user0')) AND CRC32(a.id) % 10 = 0;
SQL
}
bench_dups_sql() {
	_n="CAST(SUBSTRING_INDEX(SUBSTRING(a.original_file_name, 2), '.', 1) AS UNSIGNED)"
	_k=$_n
	if [ "$1" = on ]; then _k="$_n DIV 100 * 100"; fi
	cat <<SQL
UPDATE assets a JOIN partners p ON p.shared_by_id = a.owner_id
  AND p.shared_with_id = bench_uuid(MD5('user0'))
  SET a.checksum = UNHEX(SHA1($_k))
  WHERE CRC32(a.id) % 10 = 1 AND a.original_file_name LIKE 'b%.jpg' AND $_n >= 100;
SQL
}
bench_unmark_sql() {
	echo "DELETE FROM asset_marks WHERE viewer_id = bench_uuid(MD5('user0'));"
}
