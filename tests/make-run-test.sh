#!/bin/sh
# make-run-test.sh: 'make run' keeps what the user did. Starts tests/run.sh
# (what make run runs) on its own state directory and port with a small demo
# library, waits for its ready line, signs in as alice, stops sharing with bob
# and deletes one of her photos for good, stops it, starts it again, and
# checks that both changes are still there. Exit 0 when they are.
#   make-run-test.sh SRCDIR BUILDDIR STATE PORT
set -u
SRCDIR=$1 BUILDDIR=$2 T=$3 PORT=$4
# make run as a person starts it: plain HTTP on PORT alone. A TLS_PORT the
# caller's shell exports (check.sh sets its own to this same port) would
# give nginx a second listen on it.
unset TLS_PORT
BASE="http://127.0.0.1:$PORT"
rm -rf "$T"; mkdir -p "$T/photos"; chmod 755 "$T" "$T/photos"
for who in alice bob carol; do
	"$BUILDDIR/partnerd-mkphotos" "$T/photos/$who" 3 7 "${who}_" >/dev/null || exit 1
done
chmod -R a+rX "$T/photos"

fail() { echo "make-run-test: $*" >&2; tail -20 "${OUT:-/dev/null}" >&2; stop; exit 1; }
start() {	# each start writes its own output file
	OUT=$T/run-output-$1.log
	STATE_DIR="$T/state" PORT=$PORT DEMO_PHOTOS="$T/photos" \
	    sh "$SRCDIR/tests/run.sh" "$SRCDIR" "$BUILDDIR" >> "$OUT" 2>&1 &
	RUNPID=$!
	n=0
	until grep -q '^partnerd is running' "$OUT"; do
		n=$((n + 1)); [ "$n" -lt 600 ] || fail "no ready line after 60 s"
		kill -0 "$RUNPID" 2>/dev/null || fail "run.sh ended early"
		sleep 0.1
	done
}
stop() {
	[ -n "${RUNPID:-}" ] || return 0
	kill -TERM "$RUNPID" 2>/dev/null
	wait "$RUNPID" 2>/dev/null
	RUNPID=
}
json() {	# json EXPRESSION: evaluate over the JSON on stdin as d
	node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{const d=JSON.parse(s);console.log($1)})"
}
api() {		# api METHOD PATH [BODY]
	curl -sS -X "$1" "$BASE$2" -H "Authorization: Bearer $TOKEN" \
	    -H 'Content-Type: application/json' ${3:+-d "$3"}
}
login() {
	TOKEN=$(curl -sS -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
	    -d '{"email":"alice@example.com","password":"partnerd-demo"}' | json d.accessToken)
	[ -n "$TOKEN" ] && [ "$TOKEN" != undefined ] || fail "alice cannot sign in"
}

start 1
# The ready line means a person can sign in now, not in 20 s.
login
bob=$(api GET '/api/partners?direction=shared-by' | json "d.find(p=>p.email==='bob@example.com').id")
[ -n "$bob" ] && [ "$bob" != undefined ] || fail "alice does not share with bob in the demo"
photo=$(api GET '/api/timeline/buckets' | json 'd[0].timeBucket')
asset=$(api GET "/api/timeline/bucket?timeBucket=$photo" | json 'd.id[0]')
[ -n "$asset" ] || fail "alice has no photo"
api DELETE "/api/partners/$bob" >/dev/null
api DELETE /api/assets "{\"ids\":[\"$asset\"],\"force\":true}" >/dev/null
stop
start 2
login
api GET '/api/partners?direction=shared-by' | grep -q "$bob" && fail "the removed share came back"
st=$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/api/assets/$asset" -H "Authorization: Bearer $TOKEN")
[ "$st" = 400 ] || fail "the photo deleted for good came back ($st)"
grep -q 'keeping the data' "$OUT" || fail "the second start did not say it kept the data"
stop
echo "make-run-test: the removed share and the deleted photo stayed removed"
