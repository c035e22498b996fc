/*
 * log.c: one line per event to stderr, which nginx, Apache and systemd all
 * collect. Callers never pass secrets: requests are logged by route pattern,
 * not by raw URI, so a query-string token cannot leak into a log.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "partnerd.h"

static enum log_level	 log_level = LOG_LVL_INFO;

static const char *const log_names[] = { "error", "warn", "info", "debug" };

void
log_set_level(enum log_level l)
{
	log_level = l;
}

void
log_msg(enum log_level l, const char *fmt, ...)
{
	char		 line[2048], ts[32];
	struct timespec	 now;
	struct tm	 tm;
	va_list		 ap;
	int		 n;

	if (l > log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ldZ partnerd %s: ", ts,
	    now.tv_nsec / 1000000, log_names[l]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write per line so concurrent threads never interleave. */
	fprintf(stderr, "%s\n", line);
}
