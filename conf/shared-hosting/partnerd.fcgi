#!/bin/sh
# partnerd.fcgi: the wrapper mod_fcgid starts on a shared Apache host.
# Put it in your web root's cgi directory, next to the .htaccess below; keep
# partnerd.conf OUTSIDE the web root (it holds the database password).
PARTNERD_CONF="$HOME/partnerd/partnerd.conf"
export PARTNERD_CONF
exec "$HOME/partnerd/bin/partnerd"
