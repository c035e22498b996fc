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
