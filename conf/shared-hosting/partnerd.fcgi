#!/bin/sh
# partnerd.fcgi: what mod_fcgid starts (through suEXEC, as the site's user)
# on a shared Apache host. install.sh writes the absolute paths below: suEXEC
# passes no $HOME and only a few variables, so nothing here may depend on
# the environment. The configuration and the log stay outside the web root.
PARTNERD_CONF='@PARTNERD_CONF@'
export PARTNERD_CONF
if [ ! -x '@PARTNERD_BIN@' ]; then
	echo "partnerd.fcgi: no partnerd at @PARTNERD_BIN@: run shared-hosting/install.sh" >&2
	exit 1
fi
# The worker's log (one line per request, errors) goes to a file of the
# user's: on shared hosts Apache's own error log is often out of reach.
exec '@PARTNERD_BIN@' 2>>'@PARTNERD_LOG@'
