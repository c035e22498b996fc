#!/bin/sh
# run.sh: what 'make run' runs. A private MariaDB, the worker and nginx on
# 127.0.0.1:$PORT with the demo library, until Ctrl-C; the data stays in
# $STATE_DIR for the next run.
set -eu
SRCDIR=$1
BUILDDIR=$2
STATE=${STATE_DIR:-$BUILDDIR/state/run}
PORT=${PORT:-8080}
STACK="$SRCDIR/tests/stack.sh"
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
"$BUILDDIR/partnerctl" -c "$STATE/partnerd.conf" demo --photos "$BUILDDIR/state/demo-photos" \
    || echo "partnerd: the demo library could not be loaded; see above" >&2

cat <<EOM

partnerd is running: http://127.0.0.1:$PORT/
  web app: http://127.0.0.1:$PORT/ (sign in with a demo login below)
  Immich clients: server URL http://127.0.0.1:$PORT/api
  demo logins (password partnerd-demo):
    admin@example.com (admin), alice@example.com, bob@example.com, carol@example.com
  logs: $STATE/log/   data: $STATE/
Press Ctrl-C to stop.
EOM
while sh "$STACK" status | grep -q 'partnerd: running'; do sleep 1; done
echo "partnerd: the worker stopped; see $STATE/log/partnerd.log" >&2
exit 1
