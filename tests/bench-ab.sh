#!/bin/sh
# bench-ab.sh A B [ROUNDS]: two partnerd builds alternated on the library
# 'make bench' left (its state directory, BENCH_STATE_DIR or
# state/bench), each row run as make bench runs it (wrk -t2 -c32, 2 s not
# counted, then DURATION s, default 5): ping, partners, buckets, a month
# of 1,000 and an asset's JSON and thumbnail with the answers cache on,
# then the same with it off, ping first in each half and once more at the
# end; gawk (which MariaDB's server package brings) sums up. A and B are
# paths to partnerd binaries (an older one needs its schema check relaxed
# to start on today's schema). Rounds alternate which build goes first.
# Prints each row, then per build the median over rounds of each row's
# ratio to the mean of that build-round's pings: on a VM whose speed moves
# within minutes, only builds measured side by side compare.
#
# The rows run on the library as make bench's own rows of these names see
# it: bench0 without the per-viewer marks and duplicates make bench adds
# after them (an older build ignores both and so would answer less work:
# a month shows it 1,000 assets where today's hides 69 copies and reads
# 68 marks). They are taken away through the triggers before the rounds
# and put back after, as make bench left them. EXTRAS=1 keeps them in play
# (then only builds that know them compare).
#
#   sh tests/bench-ab.sh /tmp/partnerd.old ./partnerd 4
set -eu
. "$(dirname "$0")/lib.sh"	# login, wrk_row, answer_cache_set, bench_*_sql
[ $# -ge 2 ] || { echo "usage: bench-ab.sh A B [ROUNDS]" >&2; exit 2; }
A=$(realpath "$1"); B=$(realpath "$2"); ROUNDS=${3:-4}
DURATION=${DURATION:-5}
STATE=$(realpath "${BENCH_STATE_DIR:-state/bench}")
# MariaDB and the worker as make bench runs them (tests/bench.sh).
THREADS=${THREADS:-8}
INNODB_BUFFER_POOL=${INNODB_BUFFER_POOL:-2G}
DB_BINLOG=0
export STATE THREADS INNODB_BUFFER_POOL DB_BINLOG
STACK="$(dirname "$0")/stack.sh"
[ -f "$STATE/stack.env" ] || { echo "bench-ab: no bench library in $STATE: run make bench" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench-ab: wrk is missing: run ./bootstrap --dev (as root)" >&2; exit 1; }
sh "$STACK" start >/dev/null
# A MariaDB started otherwise (stack.sh's own defaults: a 256 MiB buffer
# pool, the binary log on) is another machine: restart it as above.
if [ "$(sh "$STACK" sql -N -e 'SELECT CONCAT(@@innodb_buffer_pool_size, " ", @@log_bin + 0)')" != \
    "$(numfmt --from=iec "$INNODB_BUFFER_POOL") 0" ]; then
	echo "bench-ab: restarting the bench stack with a $INNODB_BUFFER_POOL buffer pool and no binary log" >&2
	sh "$STACK" stop >/dev/null
	sh "$STACK" start >/dev/null
fi
SQL() { sh "$STACK" sql partnerd "$@"; }
had_marks=$(SQL -N -e "SELECT COUNT(*) > 0 FROM asset_marks WHERE viewer_id = bench_uuid(MD5('user0'))")
had_dups=$(SQL -N -e "SELECT COUNT(*) > 0 FROM asset_dup_hidden WHERE viewer_id = bench_uuid(MD5('user0'))")
cp "$STATE/sbin/partnerd" "$STATE/partnerd.ab-kept"
restore() {
	if [ "${EXTRAS:-0}" != 1 ]; then
		if [ "$had_marks" = 1 ]; then bench_unmark_sql | SQL; bench_marks_sql | SQL; fi
		if [ "$had_dups" = 1 ]; then bench_dups_sql on | SQL; fi
	fi
	sh "$STACK" worker-stop >/dev/null 2>&1 || true
	if [ -f "$STATE/partnerd.ab-kept" ]; then
		cp "$STATE/partnerd.ab-kept" "$STATE/sbin/partnerd" &&
		    rm -f "$STATE/partnerd.ab-kept"
	fi
	answer_cache_set "$STATE/partnerd.conf" on
	rm -f "${OUT:-}" "${OUT:+$OUT.rows}"
}
trap restore EXIT
trap 'restore; exit 130' INT TERM
if [ "${EXTRAS:-0}" != 1 ]; then
	bench_unmark_sql | SQL
	bench_dups_sql off | SQL
	echo "bench-ab: bench0's marks and duplicates taken away for the rounds (EXTRAS=1 keeps them)" >&2
fi

PORT=$(sed -n 's/.*listen 127\.0\.0\.1:\([0-9]*\);.*/\1/p' "$STATE/nginx/partnerd.conf" | head -1)
BASE="http://127.0.0.1:$PORT"
TOKEN=$(login "$BASE" bench0@example.com)
[ -n "$TOKEN" ] || { echo "bench-ab: cannot log in as bench0" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"
ASSET=$(SQL -N -e "SELECT bench_uuid(MD5('asset100'))")
BUCKETS="/api/timeline/buckets?withPartners=true&visibility=timeline"
BUCKET="/api/timeline/bucket?timeBucket=2021-06-01&withPartners=true&visibility=timeline"
OUT=$(mktemp)

worker() {	# worker BINARY on|off
	sh "$STACK" worker-stop
	cp "$1" "$STATE/sbin/partnerd"
	answer_cache_set "$STATE/partnerd.conf" "$2"
	sh "$STACK" worker-start
}
row() {	# row ROUND BUILD CACHE NAME PATH: "round build cache name rps non2xx"
	echo "$1 $2 $3 $4 $(wrk_row "$BASE" "$AUTH" "$5" "$OUT" | awk '{ print $1, $4 }')"
}
half() {	# half ROUND NAME CACHE
	row "$1" "$2" "$3" ping /api/server/ping
	row "$1" "$2" "$3" partners "/api/partners?direction=shared-with"
	row "$1" "$2" "$3" buckets "$BUCKETS"
	row "$1" "$2" "$3" bucket "$BUCKET"
	row "$1" "$2" "$3" asset "/api/assets/$ASSET"
	row "$1" "$2" "$3" thumbnail "/api/assets/$ASSET/thumbnail"
}

r=0
{
	while [ "$r" -lt "$ROUNDS" ]; do
		r=$((r + 1))
		if [ $((r % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
		for name in $order; do
			if [ "$name" = A ]; then bin=$A; else bin=$B; fi
			worker "$bin" on >/dev/null
			half "$r" "$name" on
			worker "$bin" off >/dev/null
			half "$r" "$name" off
			row "$r" "$name" off ping /api/server/ping
		done
	done
} | tee "$OUT.rows"

echo "A = $A"
echo "B = $B"
gawk '
$4 == "ping" { ps[$1 " " $2] += $5; pn[$1 " " $2]++; next }
{ row[$1 " " $2, $3 " " $4] = $5; rows[$3 " " $4] = 1; rounds[$1] = 1; bad += $6 }
END {
	n = asorti(rows, names)
	printf "%-16s %-6s %s\n", "row (cache)", "build", "ratio to ping: median (each round)"
	for (i = 1; i <= n; i++) for (b = 1; b <= 2; b++) {
		build = b == 1 ? "A" : "B"; m = 0; each = ""
		for (k in rounds) {
			key = k " " build
			v[++m] = 100 * row[key, names[i]] / (ps[key] / pn[key])
		}
		asort(v)
		med = m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
		for (j = 1; j <= m; j++) each = each sprintf(" %.0f", v[j])
		split(names[i], w, " ")
		printf "%-16s %-6s %5.1f%% (%s )\n", w[2] " (" w[1] ")", build, med, each
		delete v
	}
	printf "non-2xx answers: %d\n", bad
}' "$OUT.rows"
