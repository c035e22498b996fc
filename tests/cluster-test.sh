#!/bin/sh
# cluster-test.sh: what 'make check-cluster' runs (root only). The cluster of
# tests/cluster.sh, a minute and more of mixed load through nginx with a
# Galera node killed and restarted and a worker host cut off and back
# (tests/cluster/load.mjs), then the end state: every node holds the same
# rows, every uploaded file has its row and every row its files. Ends with
# "partnerd cluster: N passed, N failed".
set -u
. "$(dirname "$0")/lib.sh"	# wait_for
SRCDIR=$1
BUILDDIR=$2
STATE=${CLUSTER_STATE_DIR:-/var/tmp/partnerd-cluster-$(echo "$BUILDDIR" | cksum | cut -d' ' -f1)}
DURATION=${DURATION:-75}
export SRCDIR BUILDDIR STATE
C="sh $SRCDIR/tests/cluster.sh"
passed=0; failed=0
ok() { echo "cluster-test: ok: $*"; passed=$((passed + 1)); }
bad() { echo "cluster-test: FAILED: $*"; failed=$((failed + 1)); }
finish() {
	$C down >/dev/null 2>&1 || true
	echo "partnerd cluster: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

[ "$(id -u)" -eq 0 ] || { bad "needs root (network namespaces)"; finish; }
rm -rf "$STATE"; mkdir -p "$STATE"; chmod 755 "$STATE"
PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
export PORT
trap '$C down >/dev/null 2>&1; exit 130' INT TERM
if ! $C up; then bad "the cluster did not start (logs in $STATE/log)"; finish; fi
ok "three Galera nodes, three worker hosts, nginx"

"$BUILDDIR/partnerd-mkphotos" "$STATE/photos" 1 7 cluster_ >/dev/null
if STATE="$STATE" FRONT="http://127.0.0.1:$PORT" \
    HOSTS="http://127.0.0.1:$((PORT + 1)),http://127.0.0.1:$((PORT + 2)),http://127.0.0.1:$((PORT + 3))" \
    CLUSTER="STATE='$STATE' $C" PHOTO="$STATE/photos/cluster_0001.jpg" DURATION="$DURATION" \
    OUT="$STATE/report.json" node "$SRCDIR/tests/cluster/load.mjs"; then
	ok "under load and faults, every write seen through every host at the next request; archived assets hidden from the partner at once; only requests in flight at a fault failed"
else
	bad "the load's checks (see above and $STATE/report.json)"
	# What the workers said went wrong (CI keeps only this output).
	grep -h 'partnerd error: ' "$STATE/log"/w*.log | grep -v 'cannot connect' | tail -n 20 |
	    sed 's/^/cluster-test: worker log: /'
fi
retries=$(awk -F'"' '$2 ~ /, / { n++ } END { print n + 0 }' "$STATE/log/nginx-access.log")
total=$(wc -l < "$STATE/log/nginx-access.log")
echo "cluster-test: nginx: $total requests, $retries passed on to the next worker host"
# What the workers ran again themselves after a lost conflict (Galera
# certification or a deadlock), so that no 503 reached the client: whole
# requests (the gate), upload transactions, single statements.
wreq=$(cat "$STATE/log"/w*.log | grep -c 'request cid=.*lost a conflict; run again')
wup=$(cat "$STATE/log"/w*.log | grep -c 'upload: a transaction lost a conflict; run again')
wst=$(cat "$STATE/log"/w*.log | grep -c 'database: .* lost a conflict; run again')
echo "cluster-test: retried by the workers: $wreq requests, $wup upload transactions, $wst statements"

# The end state, once every node is back in sync.
for i in 1 2 3; do
	wait_for 60 $C db-synced "$i" || true
done
sums=""
for i in 1 2 3; do
	s=$($C sql "$i" partnerd -N -e "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS(',', id, visibility, deleted_at))), 0)
	    FROM assets; SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS(',', shared_by_id, shared_with_id, in_timeline))), 0) FROM partners" | tr '\n\t' '  ')
	sums="$sums$s|"
	echo "cluster-test: node $i: assets and partners (count, checksum): $s"
done
first=${sums%%|*}
if [ "$sums" = "$first|$first|$first|" ]; then ok "every node holds the same assets and partners"
else bad "the nodes differ"; fi

# Every uploaded file has its row and every row its files.
$C sql 1 partnerd -N -e "SELECT original_path FROM assets UNION ALL SELECT thumbnail_path FROM assets WHERE thumbnail_path IS NOT NULL
    UNION ALL SELECT preview_path FROM assets WHERE preview_path IS NOT NULL" | sort -u > "$STATE/rows.txt"
(cd "$STATE/media" && find . -type f ! -path './tmp/*' | sed 's|^\./||' | sort -u) > "$STATE/files.txt"
nofile=$(comm -23 "$STATE/rows.txt" "$STATE/files.txt" | wc -l)
norow=$(comm -13 "$STATE/rows.txt" "$STATE/files.txt" | wc -l)
parts=$(find "$STATE/media/tmp" -type f 2>/dev/null | wc -l)
echo "cluster-test: media: $(wc -l < "$STATE/files.txt") files, $(wc -l < "$STATE/rows.txt") paths in rows; $nofile rows without a file, $norow files without a row, $parts temporary files left"
if [ "$nofile" -eq 0 ] && [ "$norow" -eq 0 ]; then ok "every uploaded file has its row and every row its files"
else bad "rows and files differ (comm of $STATE/rows.txt and files.txt)"; fi
missing=0
for id in $(sed -n 's/^ *"\([0-9a-f-]\{36\}\)",\{0,1\}$/\1/p' "$STATE/report.json"); do
	c=$($C sql 1 partnerd -N -e "SELECT COUNT(*) FROM assets WHERE id = '$id'")
	[ "$c" = 1 ] || missing=$((missing + 1))
done
if [ "$missing" -eq 0 ]; then ok "every upload that answered success has its row"
else bad "$missing uploads that answered success have no row"; fi
grep -h 'ERROR: AddressSanitizer\|runtime error:' "$STATE/log"/w*.log && bad "a sanitizer report in a worker's log"
finish
