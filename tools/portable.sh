#!/bin/sh
# portable.sh: what 'make portable' runs. A tarball of partnerd for x86-64
# Linux hosts that have only the C library (shared hosting): partnerd and
# partnerctl linked again with the run path $ORIGIN/../lib, every shared
# library they use but glibc's own copied into lib/, the web app, the
# shared-hosting files and the schema as one SQL file. Prints the newest
# glibc symbol version any of it needs (objdump -T): hosts with an older
# glibc cannot run it.
#
#   portable.sh SRCDIR BUILDDIR VERSION "LINK COMMAND" "partnerd LIBS" "partnerctl LIBS"
set -eu
SRCDIR=$1 BUILDDIR=$2 VERSION=$3 LINK=$4 LIBS_D=$5 LIBS_CTL=$6
ARCH=$(uname -m)
NAME=partnerd-$VERSION
TOP=$BUILDDIR/state/portable
D=$TOP/$NAME
OUT=$BUILDDIR/$NAME-linux-$ARCH.tar.gz

# Made already from these very files: said again, not made again.
if [ -f "$OUT" ] && [ -f "$D/GLIBC" ] && [ -z "$(find "$BUILDDIR/partnerd" "$BUILDDIR/partnerctl" \
    "$BUILDDIR/www/.stamp" "$SRCDIR/conf/shared-hosting" "$SRCDIR/tools/portable.sh" \
    "$SRCDIR/README.md" -newer "$OUT" 2>/dev/null)" ]; then
	echo "portable: $OUT ($(du -h "$OUT" | cut -f1), $(ls "$D/lib" | wc -l) bundled libraries); needs $(cat "$D/GLIBC") or newer"
	exit 0
fi
rm -rf "$TOP"; mkdir -p "$D/bin" "$D/lib" "$D/shared-hosting"
cd "$BUILDDIR"
# DT_RPATH (not RUNPATH): it also applies to the bundled libraries' own
# dependencies, so all of them come from lib/.
# shellcheck disable=SC2086
$LINK -Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/../lib' -o "$D/bin/partnerd" src/fcgi.o $LIBS_D
# shellcheck disable=SC2086
$LINK -Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/../lib' -o "$D/bin/partnerctl" src/partnerctl.o $LIBS_CTL
strip "$D/bin/partnerd" "$D/bin/partnerctl"

# Every library ldd resolves, but the C library's own (the host's glibc
# must be used with its own loader).
glibc='^(ld-linux-x86-64|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl|libBrokenLocale|libmvec|libnss_[a-z]*)\.so'
ldd "$D/bin/partnerd" "$D/bin/partnerctl" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' |
    sort -u | while read -r soname path; do
	if echo "$soname" | grep -Eq "$glibc"; then continue; fi
	cp -L "$path" "$D/lib/$soname"
	chmod 644 "$D/lib/$soname"
done
if ldd "$D/bin/partnerd" | grep -q 'not found'; then
	echo "portable: a library was not found" >&2; exit 1
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
tar -C "$TOP" -czf "$OUT" "$NAME"
echo "portable: $OUT ($(du -h "$OUT" | cut -f1), $nlib bundled libraries); needs $need or newer"
