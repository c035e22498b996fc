#!/bin/sh
# cluster-bench.sh: what 'make bench-cluster' runs (root only). The bench's
# read rows (tests/bench.sh: ping, partners, buckets, an asset) and one
# write row (a partner toggle), through nginx, on 1 worker host + 1 Galera
# node and on 3 + 3 (tests/cluster.sh), side by side; and 3 + 3 again with
# causal reads on every read statement ("every") and off, to show what
# wsrep_sync_wait costs, with the causal waits per request each made (the
# nodes' wsrep_causal_reads counters); and one causal read's own cost on an
# idle cluster (2,000 reads in one session with and without the wait).
# wrk -t2 -c32 for throughput, one client in a row (-t1 -c1) for the latency
# a request adds. Figures go to bench/cluster.txt.
set -eu
. "$(dirname "$0")/lib.sh"	# ms, wait_for, login
SRCDIR=$1
BUILDDIR=$2
DURATION=${DURATION:-8}
STATE=${CLUSTER_STATE_DIR:-/var/tmp/partnerd-cluster-bench}
OUT=${BENCH_OUT:-$BUILDDIR/bench}
export SRCDIR BUILDDIR STATE
C="sh $SRCDIR/tests/cluster.sh"
command -v wrk >/dev/null || { echo "bench-cluster: wrk is missing: run ./bootstrap --dev (as root)" >&2; exit 1; }
mkdir -p "$OUT"
RES="$OUT/cluster.txt"
trap '$C down >/dev/null 2>&1 || true' EXIT
trap '$C down >/dev/null 2>&1; exit 130' INT TERM

causal_waits() {	# the causal waits the running nodes made so far, summed
	for i in $(seq 1 "$NODES"); do
		$C sql "$i" -N -e "SHOW GLOBAL STATUS LIKE 'wsrep_causal_reads'" | cut -f2
	done | awk '{ n += $1 } END { print n + 0 }'
}
row() {	# row NAME METHOD PATH [BODY]: "rps p50 p99 non2xx p50(1 client) waits/request"
	name=$1; method=$2; path=$3; body=${4:-}
	lua=""
	if [ -n "$body" ]; then
		cat > "$STATE/wrk.lua" <<LUA
wrk.method = "$method"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
		lua="-s $STATE/wrk.lua"
	fi
	w0=$(causal_waits)
	wrk -t2 -c32 -d"${DURATION}s" --latency $lua -H "$AUTH" "$BASE$path" > "$STATE/wrk.txt" 2>&1
	w1=$(causal_waits)
	nreq=$(awk '/requests in/ { print $1 }' "$STATE/wrk.txt")
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$STATE/wrk.txt")
	p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$STATE/wrk.txt")")
	p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$STATE/wrk.txt")")
	bad=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$STATE/wrk.txt")
	wrk -t1 -c1 -d3s --latency $lua -H "$AUTH" "$BASE$path" > "$STATE/wrk1.txt" 2>&1
	one=$(ms "$(awk '$1 == "50%" { print $2 }' "$STATE/wrk1.txt")")
	waits=$(awk -v w="$((w1 - w0))" -v n="${nreq:-0}" 'BEGIN { printf "%.2f", (n > 0 ? w / n : 0) }')
	echo "$name ${rps:-0} $p50 $p99 ${bad:-0} $one $waits"
}

measure() {	# measure LABEL: every row on the running cluster, into $STATE/LABEL.dat
	. "$STATE/cluster.env"
	BASE="http://127.0.0.1:$PORT"
	TOKEN=$(login "$BASE" bob@example.com)
	[ -n "$TOKEN" ] || { echo "bench-cluster: cannot log in" >&2; exit 1; }
	AUTH="Authorization: Bearer $TOKEN"
	alice=$($C sql 1 partnerd -N -e "SELECT id FROM users WHERE email = 'alice@example.com'")
	asset=$($C sql 1 partnerd -N -e "SELECT id FROM assets WHERE owner_id = '$alice' LIMIT 1")
	{
		row ping GET /api/server/ping
		row partners GET "/api/partners?direction=shared-with"
		row buckets GET "/api/timeline/buckets?withPartners=true&visibility=timeline"
		row asset GET "/api/assets/$asset"
		row toggle PUT "/api/partners/$alice" '{"inTimeline":true}'
	} > "$STATE/$1.dat"
}

up() {	# up NODES: a fresh cluster of NODES nodes and hosts with a few photos
	$C down >/dev/null 2>&1 || true
	rm -rf "$STATE"; mkdir -p "$STATE"; chmod 755 "$STATE"
	PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
	CLUSTER_NODES=$1 PORT=$PORT $C up >/dev/null
	. "$STATE/cluster.env"
	"$BUILDDIR/partnerd-mkphotos" "$STATE/photos" 20 9 bench_ >/dev/null
	chmod -R a+rX "$STATE/photos"
	setpriv --reuid=partnerd --regid=partnerd --init-groups "$STATE/sbin/partnerctl" \
	    -c "$STATE/w1/partnerd.conf" import --quiet --owner alice@example.com "$STATE/photos" >/dev/null
}

sync_read_ms() {	# one read's time in ms on node 2, with wsrep_sync_wait = $1
	{ echo "SET SESSION wsrep_sync_wait = $1;"
	  i=0; while [ "$i" -lt 2000 ]; do echo "SELECT COUNT(*) FROM partnerd.users;"; i=$((i + 1)); done
	} > "$STATE/reads.sql"
	t0=$(date +%s%N)
	$C sql 2 -N < "$STATE/reads.sql" > /dev/null
	t1=$(date +%s%N)
	awk -v d="$((t1 - t0))" 'BEGIN { printf "%.3f", d / 2000 / 1e6 }'
}

load0=$(uptime | sed 's/.*load average: //')
up 1; measure one; cp "$STATE/one.dat" "$OUT/cluster-one.dat"
up 3; measure three
$C causal every >/dev/null; measure three-every
$C causal off >/dev/null; measure three-nocausal
r0=$(sync_read_ms 0); r1=$(sync_read_ms 1); r0b=$(sync_read_ms 0); r1b=$(sync_read_ms 1)
for f in three three-every three-nocausal; do cp "$STATE/$f.dat" "$OUT/cluster-$f.dat"; done

{
	echo "partnerd bench-cluster: $(nproc) cores; wrk -t2 -c32 -d${DURATION}s through nginx;" \
	    "p50 of one client in a row; worker threads 4 per host; $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "load average (1, 5, 15 min) before: $load0, after: $(uptime | sed 's/.*load average: //')" \
	    "(other work on the machine shows here)"
	printf '%-9s | %23s | %29s | %29s | %23s\n' "" "1 host + 1 node" "3 + 3, causal on (per request)" \
	    "3 + 3, causal every read" "3 + 3, causal off"
	printf '%-9s | %8s %6s %7s | %8s %6s %7s %5s | %8s %6s %7s %5s | %8s %6s %7s | %6s %9s\n' row \
	    "req/s" "p50" "1-cl" "req/s" "p50" "1-cl" "w/req" "req/s" "p50" "1-cl" "w/req" "req/s" "p50" "1-cl" \
	    ratio "added ms"
	paste -d' ' "$OUT/cluster-one.dat" "$OUT/cluster-three.dat" "$OUT/cluster-three-every.dat" \
	    "$OUT/cluster-three-nocausal.dat" |
	    awk '{ printf "%-9s | %8.0f %6.2f %7.2f | %8.0f %6.2f %7.2f %5.2f | %8.0f %6.2f %7.2f %5.2f | %8.0f %6.2f %7.2f | %6.2f %9.2f\n",
	        $1, $2, $3, $6, $9, $10, $13, $14, $16, $17, $20, $21, $23, $24, $27,
	        ($2 > 0 ? $9 / $2 : 0), $13 - $6;
	        if ($5 + $12 + $19 + $26 > 0) printf "          (non-2xx answers: %d, %d, %d, %d)\n", $5, $12, $19, $26 }'
	echo "1-cl: one client's p50 (ms); w/req: causal waits per request (wsrep_causal_reads);"
	echo "ratio: 3+3 (causal on) req/s over 1+1; added ms: one client's p50 on 3+3 (causal on) minus 1+1."
	echo "one read on an idle node, 2,000 in one session: ${r0} / ${r0b} ms without the causal wait," \
	    "${r1} / ${r1b} ms with it (wsrep_sync_wait = 1)"
} | tee "$RES"
