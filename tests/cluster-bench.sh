#!/bin/sh
# cluster-bench.sh: what 'make bench-cluster' runs (root only). The bench's
# read rows (tests/bench.sh: ping, partners, buckets, an asset) and one
# write row (a partner toggle), through nginx, on 1 worker host + 1 Galera
# node and on 3 + 3 (tests/cluster.sh), side by side; and 3 + 3 again with
# causal reads off, to show what wsrep_sync_wait costs. wrk -t2 -c32 for
# throughput, one client in a row (-t1 -c1) for the latency a request adds.
# Figures go to bench/cluster.txt.
set -eu
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

ms() {	# wrk's "1.23ms" / "456.00us" / "1.02s" in milliseconds
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
	    else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
row() {	# row NAME METHOD PATH [BODY]: "rps p50 p99 non2xx p50(1 client)"
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
	wrk -t2 -c32 -d"${DURATION}s" --latency $lua -H "$AUTH" "$BASE$path" > "$STATE/wrk.txt" 2>&1
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$STATE/wrk.txt")
	p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$STATE/wrk.txt")")
	p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$STATE/wrk.txt")")
	bad=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$STATE/wrk.txt")
	wrk -t1 -c1 -d3s --latency $lua -H "$AUTH" "$BASE$path" > "$STATE/wrk1.txt" 2>&1
	one=$(ms "$(awk '$1 == "50%" { print $2 }' "$STATE/wrk1.txt")")
	echo "$name ${rps:-0} $p50 $p99 ${bad:-0} $one"
}

measure() {	# measure LABEL: every row on the running cluster, into $STATE/LABEL.dat
	. "$STATE/cluster.env"
	BASE="http://127.0.0.1:$PORT"
	TOKEN=$(curl -s -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
	    -d '{"email":"bob@example.com","password":"partnerd-demo"}' |
	    sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
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

load0=$(cut -d' ' -f1-3 /proc/loadavg)
up 1; measure one; cp "$STATE/one.dat" "$OUT/cluster-one.dat"
up 3; measure three
$C causal off >/dev/null; measure three-nocausal
cp "$STATE/three.dat" "$OUT/cluster-three.dat"; cp "$STATE/three-nocausal.dat" "$OUT/cluster-three-nocausal.dat"

{
	echo "partnerd bench-cluster: $(nproc) cores; wrk -t2 -c32 -d${DURATION}s through nginx;" \
	    "p50 of one client in a row; worker threads 4 per host; $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "load average before: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows here)"
	printf '%-9s | %23s | %23s | %s\n' "" "1 host + 1 node" "3 hosts + 3 nodes" "3 + 3, causal reads off"
	printf '%-9s | %8s %6s %7s | %8s %6s %7s | %8s %6s %7s | %6s %9s %9s\n' row "req/s" "p50" "1-cl" \
	    "req/s" "p50" "1-cl" "req/s" "p50" "1-cl" ratio "added ms" "causal ms"
	paste -d' ' "$OUT/cluster-one.dat" "$OUT/cluster-three.dat" "$OUT/cluster-three-nocausal.dat" |
	    awk '{ printf "%-9s | %8.0f %6.2f %7.2f | %8.0f %6.2f %7.2f | %8.0f %6.2f %7.2f | %6.2f %9.2f %9.2f\n",
	        $1, $2, $3, $6, $8, $9, $12, $14, $15, $18, ($2 > 0 ? $8 / $2 : 0), $12 - $6, $12 - $18;
	        if ($5 + $11 + $17 > 0) printf "          (non-2xx answers: %d, %d, %d)\n", $5, $11, $17 }'
	echo "ratio: 3+3 req/s over 1+1; added ms: one client's p50 on 3+3 minus 1+1;"
	echo "causal ms: 3+3 with db_causal_reads = on minus off (wsrep_sync_wait per read)."
} | tee "$RES"
