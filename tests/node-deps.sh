#!/bin/sh
# node-deps.sh SRCDIR NAME DIR: install tests/NAME's locked npm packages into
# DIR (once: again only when the lock file changed). Used by check.sh for
# each node suite and by bench.sh for the browser figures. npm's output goes
# to DIR/npm.log, shown on failure; exits non-zero when npm fails.
set -eu
SRCDIR=$1 NAME=$2 DIR=$3
mkdir -p "$DIR"
if cmp -s "$SRCDIR/tests/$NAME/package-lock.json" "$DIR/package-lock.json" && [ -d "$DIR/node_modules" ]; then
	exit 0
fi
cp "$SRCDIR/tests/$NAME/package.json" "$SRCDIR/tests/$NAME/package-lock.json" "$DIR/"
if ! (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error) > "$DIR/npm.log" 2>&1; then
	cat "$DIR/npm.log" >&2
	rm -f "$DIR/package-lock.json"	# so that the next run tries again
	exit 1
fi
