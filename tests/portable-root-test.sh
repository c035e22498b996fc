#!/bin/sh
# portable-root-test.sh: the 'make portable' tarball in a root file system
# that holds nothing but glibc 2.31 (the loader, libc and its companions,
# taken from the Debian 11 root make portable compiles in) and the unpacked
# tarball: no other library beside it. First the newest glibc symbol
# version its files ask for (objdump -T) must be no newer than the one the
# README states; then partnerd starts, prints its schema, and answers a
# FastCGI request (cgi-fcgi from outside, on a unix socket inside the root).
#
#   portable-root-test.sh SRCDIR BUILDDIR T
set -u
SRCDIR=$1 BUILDDIR=$2 T=$3
GLIBC_ROOT=${PARTNERD_PORTABLE_ROOT:-$BUILDDIR/portable-root/bullseye}
PATH=$PATH:/usr/sbin:/sbin
R=$T/root
cleanup() {
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
	mountpoint -q "$R/proc" 2>/dev/null && umount "$R/proc"
	return 0
}
fail() { echo "portable-root-test: FAILED: $*" >&2; cleanup; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (chroot)"
tarball=$(cd "$BUILDDIR" && ${MAKE:-make} -s portable | sed -n 's/^portable: \([^ ]*\) .*/\1/p')
[ -f "$tarball" ] || fail "make portable"
mountpoint -q "$R/proc" 2>/dev/null && umount "$R/proc"
rm -rf --one-file-system "$T"; mkdir -p "$R/proc" "$R/lib64" "$R/lib/x86_64-linux-gnu" "$R/tmp" "$R/run" "$R/opt"
chmod 1777 "$R/tmp"
# glibc's own files (Debian 11's 2.31, the oldest the tarball is for), and
# nothing else.
for f in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 \
    libresolv.so.2 libmvec.so.1; do
	cp -L "$GLIBC_ROOT/lib/x86_64-linux-gnu/$f" "$R/lib/x86_64-linux-gnu/" || fail "copying $f"
done
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$R/lib64/ld-linux-x86-64.so.2"
chroot "$R" /lib/x86_64-linux-gnu/libc.so.6 | head -1 | grep -q 'release version 2\.31\.' ||
    fail "the root's glibc is not 2.31"
tar -C "$R/opt" -xzf "$tarball" || fail "unpacking"
P=$(cd "$R/opt" && ls -d partnerd-*)

# The glibc the README promises, against what the files ask for.
stated=$(sed -n 's/.*needs \*\*glibc \([0-9.]*\) or newer\*\*.*/\1/p' "$SRCDIR/README.md" | head -1)
[ -n "$stated" ] || fail "the README states no glibc version (needs **glibc N or newer**)"
need=$(for f in "$R/opt/$P"/bin/* "$R/opt/$P"/lib/*; do objdump -T "$f"; done 2>/dev/null |
    grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -u -V | tail -1)
[ -n "$need" ] || fail "objdump -T found no glibc version"
[ "$(printf '%s\n%s\n' "$need" "$stated" | sort -V | tail -1)" = "$stated" ] ||
    fail "the tarball needs glibc $need, the README says $stated"
[ "$(cat "$R/opt/$P/GLIBC")" = "GLIBC_$need" ] || fail "GLIBC in the tarball says $(cat "$R/opt/$P/GLIBC"), objdump $need"
echo "portable-root-test: the files need glibc $need; the README states $stated"
# /proc, as on every Linux host: the loader finds $ORIGIN through it.
mount -t proc proc "$R/proc" || fail "mounting /proc in the root"
echo "portable-root-test: $(find "$R" -path "$R/proc" -prune -o -name '*.so*' -print | wc -l) shared objects in the root, $(ls "$R/lib/x86_64-linux-gnu" | wc -l) of them glibc's"

chroot "$R" "/opt/$P/bin/partnerd" --version | grep -q '^partnerd ' || fail "partnerd --version in the root"
chroot "$R" "/opt/$P/bin/partnerctl" help > /dev/null || fail "partnerctl help in the root"
chroot "$R" "/opt/$P/bin/partnerd" --print-schema | grep -q 'CREATE TABLE' || fail "--print-schema in the root"
# No database reachable: the worker starts all the same and answers.
cat > "$R/partnerd.conf" <<EOC
db_host = 127.0.0.1
db_port = 9
media_dir = /tmp
listen = unix:/run/partnerd.sock
threads = 1
EOC
chroot "$R" "/opt/$P/bin/partnerd" -c /partnerd.conf > "$T/partnerd.log" 2>&1 &
pid=$!
n=100; while [ ! -S "$R/run/partnerd.sock" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -S "$R/run/partnerd.sock" ] || { cat "$T/partnerd.log"; fail "the worker did not listen in the root"; }
out=$(env -i REQUEST_METHOD=GET REQUEST_URI=/api/server/ping SCRIPT_NAME= QUERY_STRING= \
    cgi-fcgi -bind -connect "$R/run/partnerd.sock")
kill "$pid"; wait "$pid" 2>/dev/null; pid=
cleanup
echo "$out" | grep -q '{"res":"pong"}' || { echo "$out"; cat "$T/partnerd.log"; fail "no FastCGI answer from the root"; }
echo "portable-root-test: partnerd answers FastCGI with only glibc 2.31 beside it"
