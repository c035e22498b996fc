#!/bin/sh
# install.sh: puts partnerd, unpacked from its portable tarball, into a web
# root of a shared Apache host (mod_fcgid, suEXEC). Run it over SSH as your
# own user; it needs no root and no compiler.
#
#   sh partnerd-VERSION/shared-hosting/install.sh [--data DIR] WEBROOT
#
# WEBROOT: the document root of the (sub)domain for partnerd, e.g.
# ~/public_html. DIR (default ~/partnerd-data) holds what is yours to keep,
# outside the web root: partnerd.conf, media/ and logs/. It writes
#   DIR/partnerd.conf      from partnerd.conf.example, unless it exists
#   WEBROOT/partnerd.fcgi  the wrapper, with the absolute paths of this
#                          unpacked copy and of DIR (suEXEC passes no $HOME)
#   WEBROOT/.htaccess      /api/ to the wrapper, the rest to the web app
#   WEBROOT/index.html, WEBROOT/assets/   the web app
# Running it again (a new version unpacked beside the old) rewrites the
# wrapper, .htaccess and the web app, and keeps DIR as it is.
set -eu
umask 022

usage() { echo "usage: sh install.sh [--data DIR] WEBROOT" >&2; exit 2; }
die() { echo "install.sh: $*" >&2; exit 1; }

data=${HOME:+$HOME/partnerd-data}
while [ $# -gt 0 ]; do
	case $1 in
	--data) [ $# -ge 2 ] || usage; data=$2; shift 2 ;;
	-h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
[ -n "$data" ] || die "no \$HOME: give --data DIR"

pkg=$(cd "$(dirname "$0")/.." && pwd -P)
[ -x "$pkg/bin/partnerd" ] && [ -f "$pkg/www/index.html" ] ||
    die "$pkg is not an unpacked partnerd tarball (no bin/partnerd or www/)"
[ -d "$1" ] || die "$1: no such directory (the web root)"
web=$(cd "$1" && pwd -P)
mkdir -p "$data"
data=$(cd "$data" && pwd -P)
case "$data/" in "$web"/*) die "$data is inside the web root $web: choose a DIR outside it" ;; esac
case "$web/" in "$data"/*) die "the web root $web is inside $data" ;; esac
# suEXEC refuses a script whose directory others may write.
if [ -n "$(find "$web" -maxdepth 0 -perm /022)" ]; then
	die "$web is writable by group or others; suEXEC will refuse to run partnerd there (chmod 755 $web)"
fi

# What is yours: the configuration (it holds the database password), the
# media and the log, for your user alone. The worker runs as you.
chmod 700 "$data"
mkdir -p "$data/media" "$data/logs"
chmod 700 "$data/media" "$data/logs"
conf=$data/partnerd.conf
if [ ! -f "$conf" ]; then
	(umask 077 && sed -e "s|@MEDIA_DIR@|$data/media|" "$pkg/shared-hosting/partnerd.conf.example" > "$conf")
	new_conf=yes
else
	new_conf=no
fi

# The wrapper, with this copy's absolute paths; replaced in one step.
sed -e "s|@PARTNERD_CONF@|$conf|g" -e "s|@PARTNERD_BIN@|$pkg/bin/partnerd|g" \
    -e "s|@PARTNERD_LOG@|$data/logs/partnerd.log|g" \
    "$pkg/shared-hosting/partnerd.fcgi" > "$web/partnerd.fcgi.new"
chmod 755 "$web/partnerd.fcgi.new"
mv -f "$web/partnerd.fcgi.new" "$web/partnerd.fcgi"

# .htaccess: one that is not ours is kept aside, not lost.
if [ -f "$web/.htaccess" ] && ! grep -q '^# partnerd on a shared Apache host' "$web/.htaccess"; then
	mv "$web/.htaccess" "$web/.htaccess.before-partnerd"
	echo "install.sh: your .htaccess is now .htaccess.before-partnerd"
fi
cp "$pkg/shared-hosting/htaccess" "$web/.htaccess.new"
chmod 644 "$web/.htaccess.new"
mv -f "$web/.htaccess.new" "$web/.htaccess"

# The web app; old hashed files of an earlier version are removed.
rm -rf "$web/assets"
cp -R "$pkg/www/." "$web/"
chmod -R u+rwX,go+rX,go-w "$web/assets" "$web/index.html"

echo "install.sh: partnerd $("$pkg/bin/partnerd" --version | cut -d' ' -f2) installed in $web"
if [ "$new_conf" = yes ]; then
	cat <<EOT
Next:
 1. Put the database your control panel made into $conf
    (db_name, db_user, db_password; db_host if not localhost), then check it:
        $pkg/bin/partnerd -c $conf --check-config
 2. Create the tables:
        $pkg/bin/partnerd -c $conf --migrate
    or import $pkg/partnerd-schema.sql with the control panel's SQL import.
 3. Open your site: the first visit offers the admin sign-up.
EOT
fi
