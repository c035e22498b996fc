#!/bin/sh
# portable-root.sh: the Debian 11 (bullseye, glibc 2.31) root that 'make
# portable' compiles partnerd in, so the tarball runs on hosts whose glibc
# is 2.31 or newer (AlmaLinux/CloudLinux 9 have 2.34), not only on
# Debian 12's 2.36. Made once with debootstrap from deb.debian.org and kept
# (it is a build cache, about 800 MB); made again only when the package
# list below changes. Needs root (debootstrap, chroot) and the network.
#
#   portable-root.sh ROOT
#
# How long: about 6 minutes on a 2-core machine with a near mirror
# (debootstrap 2-3, the compiler and the -dev packages 3).
set -eu
ROOT=$1
PATH=$PATH:/usr/sbin:/sbin
SUITE=bullseye
MIRROR=${PARTNERD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The compiler and the libraries partnerd and partnerctl link (configure.ac
# names the same ones). libvips-dev's own dependencies are the -dev
# packages of all 60-odd formats vips can read; partnerd compiles against
# vips' headers only, so that one package is unpacked without them, and
# its .pc loses the Requires.private that names them (a shared libvips
# brings its own).
PKGS="gcc libc6-dev pkg-config libfcgi-dev libjson-c-dev libmariadb-dev libsodium-dev
libcrypt-dev libexif-dev libarchive-dev libssl-dev libavformat-dev libavcodec-dev
libavutil-dev libswscale-dev libglib2.0-dev libvips42 zlib1g-dev"
PKGS=$(echo $PKGS)	# one line: it goes into a command below
STAMP=$ROOT/.partnerd-root
want=$(echo "$SUITE $PKGS libvips-dev(unpacked, vips.pc without Requires.private)" | cksum | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
	exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "portable-root: making $ROOT needs root (debootstrap)" >&2; exit 1; }
command -v debootstrap >/dev/null ||
    { echo "portable-root: debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
start=$(date +%s)
cleanup() { mountpoint -q "$ROOT/proc" 2>/dev/null && umount "$ROOT/proc"; return 0; }
trap cleanup EXIT INT TERM
cleanup
if [ ! -x "$ROOT/usr/bin/apt-get" ] || [ ! -f "$ROOT/etc/debian_version" ]; then
	rm -rf --one-file-system "$ROOT"
	mkdir -p "$(dirname "$ROOT")"	# a fresh clone has no portable-root/ yet
	echo "portable-root: debootstrap $SUITE into $ROOT" >&2
	debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" > "$ROOT.log" 2>&1 ||
	    { tail -20 "$ROOT.log" >&2; echo "portable-root: debootstrap failed" >&2; exit 1; }
fi
mount -t proc proc "$ROOT/proc"
# No service starts in the root.
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
echo "portable-root: installing the compiler and the -dev packages" >&2
# shellcheck disable=SC2086
chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive sh -ec "
	apt-get -q update
	apt-get -q install -y --no-install-recommends $PKGS
	cd /tmp && rm -f libvips-dev_*.deb && apt-get -q download libvips-dev
	dpkg -x libvips-dev_*.deb / && rm -f libvips-dev_*.deb
	sed -i '/^Requires.private:/d' /usr/lib/x86_64-linux-gnu/pkgconfig/vips.pc
	apt-get clean" >> "$ROOT.log" 2>&1 ||
    { tail -20 "$ROOT.log" >&2; echo "portable-root: apt-get in the root failed" >&2; exit 1; }
echo "$want" > "$STAMP"
echo "portable-root: $ROOT made in $(( $(date +%s) - start )) s" >&2
