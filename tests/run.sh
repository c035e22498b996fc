#!/bin/sh
# run.sh: what 'make run' runs. A private MariaDB, the worker and nginx on
# 127.0.0.1:$PORT with the demo library, until Ctrl-C. The data stays in
# $STATE_DIR for the next run: the demo is loaded only into an empty
# database (DEMO=1 loads it again on purpose: deleted demo photos and
# removed demo shares come back).
set -eu
SRCDIR=$1
BUILDDIR=$2
STATE=${STATE_DIR:-$BUILDDIR/state/run}
PORT=${PORT:-8080}
PHOTOS=${DEMO_PHOTOS:-$BUILDDIR/state/demo-photos}
STACK="$SRCDIR/tests/stack.sh"
BASE="http://127.0.0.1:$PORT"
export SRCDIR BUILDDIR STATE PORT

mkdir -p "$STATE"
stop_all() {
	trap - EXIT INT TERM
	echo; echo "partnerd: stopping (data kept in $STATE)"
	sh "$STACK" stop || true
}
trap stop_all EXIT
trap 'exit 0' INT TERM

sh "$STACK" init
sh "$STACK" start
users=$(sh "$STACK" sql -N -e "SELECT COUNT(*) FROM partnerd.users")
if [ "$users" = 0 ] || [ "${DEMO:-0}" = 1 ]; then
	sh "$STACK" ctl demo --photos "$PHOTOS" ||
	    { echo "partnerd: the demo library could not be loaded; see above" >&2; exit 1; }
	# Ready means a person can sign in, through nginx, as the banner says.
	n=0
	until curl -fsS -o /dev/null -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
	    -d '{"email":"alice@example.com","password":"partnerd-demo"}'; do
		n=$((n + 1))
		[ "$n" -lt 100 ] || { echo "partnerd: the demo accounts cannot sign in" >&2; exit 1; }
		sleep 0.2
	done
else
	echo "partnerd: keeping the data in $STATE ($users users); DEMO=1 make run loads the demo again"
	# Photos from before the place names (or a newer data set) get theirs.
	sh "$STACK" ctl geodata backfill | tail -1
	curl -fsS -o /dev/null "$BASE/api/server/ping" ||
	    { echo "partnerd: nginx does not answer on $BASE" >&2; exit 1; }
fi

cat <<EOM

partnerd is running: $BASE/
  web app: $BASE/ (sign in with a demo login below)
  Immich clients: server URL $BASE/api
  demo logins (password partnerd-demo):
    admin@example.com (admin), alice@example.com, bob@example.com, carol@example.com
  logs: $STATE/log/   data: $STATE/
Press Ctrl-C to stop.
EOM
while sh "$STACK" status | grep -q 'partnerd: running'; do sleep 1; done
echo "partnerd: the worker stopped; see $STATE/log/partnerd.log" >&2
exit 1
