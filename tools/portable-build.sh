#!/bin/sh
# portable-build.sh: run by tools/portable.sh inside the Debian 11 root, in
# the directory holding src/ (the core's sources, fcgi.c, partnerctl.c,
# migrations.c) and config.h. Compiles partnerd and partnerctl there, two
# files at a time, with libfcgi, json-c, libsodium and the MariaDB client
# linked statically (Debian's own .a) and the run path $ORIGIN/../lib.
#
#   sh portable-build.sh SYSCONFDIR LOCALSTATEDIR GEODATA_FILE
set -eu
PKG="fcgi json-c libmariadb libsodium libcrypt vips libexif libarchive libcrypto
libavformat libavcodec libavutil libswscale"
# shellcheck disable=SC2086
CFLAGS="-O2 -pipe -w -DHAVE_CONFIG_H -I. -Isrc $(pkg-config --cflags $PKG)"
export CFLAGS
mkdir -p obj
# shellcheck disable=SC2016
ls src/*.c | xargs -P2 -I{} sh -c 'o=obj/$(basename {} .c).o; gcc $CFLAGS "$@" -c -o $o {}' sh \
    "-DPARTNERD_SYSCONFDIR=\"$1\"" "-DPARTNERD_LOCALSTATEDIR=\"$2\"" "-DPARTNERD_GEODATA=\"$3\""
ar rcs core.a $(ls obj/*.o | grep -v -e '/fcgi\.o$' -e '/partnerctl\.o$')
STATIC="-Wl,-Bstatic -lfcgi -ljson-c -lsodium -lmariadbclient -Wl,-Bdynamic"
# shellcheck disable=SC2086
DYN="$(pkg-config --libs vips libexif libarchive libssl libcrypto libavformat libavcodec libavutil libswscale libcrypt zlib) -lpthread -ldl -lm"
RP='-Wl,--disable-new-dtags -Wl,-rpath,$ORIGIN/../lib'
for p in partnerd:fcgi partnerctl:partnerctl; do
	# shellcheck disable=SC2086
	gcc -o "${p%%:*}" "obj/${p#*:}.o" core.a $STATIC $DYN $RP
done
strip partnerd partnerctl
