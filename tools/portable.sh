#!/bin/sh
# portable.sh: what 'make portable' runs. A tarball of partnerd for x86-64
# Linux hosts that have only the C library (shared hosting): partnerd and
# partnerctl compiled again in a Debian 11 root (tools/portable-root.sh:
# glibc 2.31, so hosts with glibc 2.31 or newer run it), linked statically
# with what that Debian ships as a static library of its own (libfcgi,
# json-c, libsodium, the MariaDB client), with the run path $ORIGIN/../lib
# and every other shared library they use but glibc's own copied into
# lib/; the web app, the shared-hosting files and the schema as one SQL
# file. Writes GLIBC (the newest glibc symbol version any of it needs,
# from objdump -T) and LIBRARIES into the tarball, and prints the first.
#
#   portable.sh SRCDIR BUILDDIR VERSION "CORE SOURCES" SYSCONFDIR LOCALSTATEDIR GEODATADIR
#
# PARTNERD_PORTABLE_ROOT: the Debian 11 root (default BUILDDIR/portable-root/bullseye).
set -eu
SRCDIR=$1 BUILDDIR=$2 VERSION=$3 CORE=$4 SYSCONFDIR=$5 LOCALSTATEDIR=$6 GEODATADIR=$7
ARCH=$(uname -m)
NAME=partnerd-$VERSION
TOP=$BUILDDIR/state/portable
D=$TOP/$NAME
OUT=$BUILDDIR/$NAME-linux-$ARCH.tar.gz
ROOT=${PARTNERD_PORTABLE_ROOT:-$BUILDDIR/portable-root/bullseye}
PATH=$PATH:/usr/sbin:/sbin

# Made already from these very files: said again, not made again.
if [ -f "$OUT" ] && [ -f "$D/GLIBC" ] && [ -f "$ROOT/.partnerd-root" ] && [ -z "$(find \
    "$BUILDDIR/partnerd" "$BUILDDIR/partnerctl" "$BUILDDIR/www/.stamp" "$SRCDIR/conf/shared-hosting" \
    "$SRCDIR/tools/portable.sh" "$SRCDIR/tools/portable-root.sh" "$SRCDIR/tools/portable-build.sh" "$ROOT/.partnerd-root" \
    "$SRCDIR/README.md" -newer "$OUT" 2>/dev/null)" ]; then
	echo "portable: $OUT ($(du -h "$OUT" | cut -f1), $(ls "$D/lib" | wc -l) bundled libraries); needs $(cat "$D/GLIBC") or newer"
	exit 0
fi
sh "$SRCDIR/tools/portable-root.sh" "$ROOT"

# ---- compiled in the Debian 11 root -----------------------------------------
B=$ROOT/build/partnerd
rm -rf "$B" "$TOP"; mkdir -p "$B/src" "$D/bin" "$D/lib" "$D/shared-hosting"
for f in $CORE src/fcgi.c src/partnerctl.c; do
	case $f in src/migrations.c) ;; *) cp "$SRCDIR/$f" "$B/src/" ;; esac
done
cp "$SRCDIR"/src/*.h "$B/src/"
cp "$BUILDDIR/src/migrations.c" "$B/src/"
cp "$BUILDDIR/config.h" "$B/"
cp "$SRCDIR/tools/portable-build.sh" "$B/"
chroot "$ROOT" env -i PATH=/usr/bin:/bin sh -c "cd /build/partnerd && sh portable-build.sh \
    '$SYSCONFDIR' '$LOCALSTATEDIR' '$GEODATADIR/cities500.txt'" > "$B.log" 2>&1 ||
    { tail -30 "$B.log" >&2; echo "portable: compiling in $ROOT failed" >&2; exit 1; }
cp "$B/partnerd" "$B/partnerctl" "$D/bin/"
# DT_RPATH (not RUNPATH): it also applies to the bundled libraries' own
# dependencies, so all of them come from lib/.

# Every library the root's loader resolves, but the C library's own (the
# host's glibc must be used with its own loader).
glibc='^(ld-linux-x86-64|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl|libBrokenLocale|libmvec|libnss_[a-z]*)\.so'
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
chroot "$ROOT" ldd /build/partnerd/partnerd /build/partnerd/partnerctl > "$B.ldd" 2>&1 || true
umount "$ROOT/proc"
awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' "$B.ldd" | sort -u | while read -r soname path; do
	if echo "$soname" | grep -Eq "$glibc"; then continue; fi
	cp -L "$ROOT$path" "$D/lib/$soname"
	chmod 644 "$D/lib/$soname"
done
if grep -q 'not found' "$B.ldd"; then
	grep 'not found' "$B.ldd" >&2; echo "portable: a library was not found" >&2; exit 1
fi

cp -R "$BUILDDIR/www" "$D/www"
rm -f "$D/www/.stamp" "$D/www/.prebuilt"
for f in install.sh htaccess partnerd.fcgi partnerd.conf.example; do
	cp "$SRCDIR/conf/shared-hosting/$f" "$D/shared-hosting/"
done
chmod 755 "$D/shared-hosting/install.sh" "$D/shared-hosting/partnerd.fcgi"
"$D/bin/partnerd" --print-schema > "$D/partnerd-schema.sql"
cp "$SRCDIR/README.md" "$D/README.md"

# The newest glibc symbol version anything here asks for.
need=$(for f in "$D"/bin/* "$D"/lib/*; do objdump -T "$f"; done 2>/dev/null |
    grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V | tail -1)
nlib=$(ls "$D/lib" | wc -l)
echo "$need" > "$D/GLIBC"
ls "$D/lib" > "$D/LIBRARIES"
tar -C "$TOP" -czf "$OUT" "$NAME"
echo "portable: $OUT ($(du -h "$OUT" | cut -f1), $nlib bundled libraries); needs $need or newer"
