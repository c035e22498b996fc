/*
 * conf.c: the configuration file, "key = value" per line, '#' comments.
 * Every key is declared once in the table below with its default; unknown
 * keys and malformed values are errors naming the line.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "partnerd.h"

/*
 * CT_PATH: an absolute path. CT_URI: an absolute URI path. CT_LISTEN: empty,
 * unix:/absolute/path or host:port. CT_ENUM: one of the key's choices.
 */
enum conf_type { CT_STRING, CT_UINT, CT_SIZE, CT_LOGLEVEL, CT_PATH, CT_URI,
	CT_LISTEN, CT_ENUM, CT_HOSTS };

static const char *const sendfile_choices[] = { "x-accel-redirect", "x-sendfile", "worker", NULL };
/* db_causal_reads: once per request (on) or before every read (every). */
static const char *const causal_choices[] = { "off", "on", "every", NULL };

static const struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	const char	*def;
	unsigned long long min, max;	/* numeric bounds */
	const char *const *choices;	/* CT_ENUM */
} conf_keys[] = {
	{ "db_host", CT_HOSTS, offsetof(struct conf, db_host), "localhost", 0, 0, NULL },
	{ "db_port", CT_UINT, offsetof(struct conf, db_port), "3306", 1, 65535, NULL },
	{ "db_socket", CT_STRING, offsetof(struct conf, db_socket), "", 0, 0, NULL },
	{ "db_user", CT_STRING, offsetof(struct conf, db_user), "partnerd", 0, 0, NULL },
	{ "db_password", CT_STRING, offsetof(struct conf, db_password), "", 0, 0, NULL },
	{ "db_name", CT_STRING, offsetof(struct conf, db_name), "partnerd", 0, 0, NULL },
	{ "db_causal_reads", CT_ENUM, offsetof(struct conf, db_causal_reads), "off", 0, 0, causal_choices },
	{ "media_dir", CT_PATH, offsetof(struct conf, media_dir), PARTNERD_LOCALSTATEDIR "/lib/partnerd/media", 0, 0, NULL },
	{ "listen", CT_LISTEN, offsetof(struct conf, listen), "", 0, 0, NULL },
	{ "threads", CT_UINT, offsetof(struct conf, threads), "8", 1, 256, NULL },
	{ "log_level", CT_LOGLEVEL, offsetof(struct conf, log_level), "info", 0, 0, NULL },
	{ "max_json_body", CT_SIZE, offsetof(struct conf, max_json_body), "1048576", 64, 64ULL << 20, NULL },
	{ "json_max_depth", CT_UINT, offsetof(struct conf, json_max_depth), "16", 2, 1000, NULL },
	{ "max_upload", CT_SIZE, offsetof(struct conf, max_upload), "4294967296", 1024, 1ULL << 40, NULL },
	{ "media_sendfile", CT_ENUM, offsetof(struct conf, media_sendfile), "x-accel-redirect", 0, 0, sendfile_choices },
	{ "media_uri", CT_URI, offsetof(struct conf, media_uri), "/_partnerd_media", 0, 0, NULL },
	{ "answer_cache", CT_SIZE, offsetof(struct conf, answer_cache), "33554432", 0, 1ULL << 36, NULL },
	{ "max_uploads", CT_UINT, offsetof(struct conf, max_uploads), "0", 0, 256, NULL },
	{ "max_uploads_per_user", CT_UINT, offsetof(struct conf, max_uploads_per_user), "2", 1, 256, NULL },
	{ "upload_idle_timeout", CT_UINT, offsetof(struct conf, upload_idle_timeout), "30", 1, 3600, NULL },
	{ "upload_min_rate", CT_SIZE, offsetof(struct conf, upload_min_rate), "4096", 0, 1ULL << 30, NULL },
	{ "max_password_hashes", CT_UINT, offsetof(struct conf, max_password_hashes), "4", 1, 256, NULL },
	{ "map_tile_url", CT_STRING, offsetof(struct conf, map_tile_url), "", 0, 0, NULL },
};

static const char *const level_names[] = { "error", "warn", "info", "debug" };

size_t
conf_db_host_count(const char *list)
{
	size_t	 n = 1;

	for (; *list != '\0'; list++)
		n += *list == ',';
	return n;
}

int
conf_db_host(const char *list, size_t n, unsigned defport, char *host,
    size_t hsz, unsigned *port)
{
	const char	*p = list, *e, *colon;
	unsigned long	 v;
	size_t		 len;
	char		*end;

	for (; n > 0; n--)
		if ((p = strchr(p, ',')) == NULL)
			return -1;
		else
			p++;
	p += strspn(p, " \t");
	e = p + strcspn(p, ",");
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	colon = memchr(p, ':', (size_t)(e - p));
	len = (size_t)((colon != NULL ? colon : e) - p);
	if (len == 0 || len >= hsz || memchr(p, ' ', len) != NULL)
		return -1;
	memcpy(host, p, len);
	host[len] = '\0';
	*port = defport;
	if (colon != NULL) {
		if (colon[1] < '0' || colon[1] > '9')
			return -1;
		errno = 0;
		v = strtoul(colon + 1, &end, 10);
		if (errno != 0 || end != e || v == 0 || v > 65535)
			return -1;
		*port = (unsigned)v;
	}
	return 0;
}

int
conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errsz)
{
	const struct conf_key	*k = NULL;
	unsigned long long	 n;
	char			*end, *s, **sp;
	size_t			 i;

	for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++)
		if (strcmp(conf_keys[i].name, key) == 0)
			k = &conf_keys[i];
	if (k == NULL) {
		snprintf(err, errsz, "unknown key \"%s\"", key);
		return -1;
	}
	switch (k->type) {
	case CT_PATH:
		if (value[0] != '/') {
			snprintf(err, errsz, "%s must be an absolute path", key);
			return -1;
		}
		goto string;
	case CT_URI:
		if (value[0] != '/' || strpbrk(value, " \t?#") != NULL) {
			snprintf(err, errsz, "%s must be a path starting with /", key);
			return -1;
		}
		goto string;
	case CT_LISTEN:
		if (value[0] != '\0' && !(strncmp(value, "unix:/", 6) == 0 ||
		    (strncmp(value, "unix:", 5) != 0 && strchr(value, ':') != NULL))) {
			snprintf(err, errsz, "%s must be empty, unix:/absolute/path "
			    "or host:port", key);
			return -1;
		}
		goto string;
	case CT_HOSTS:
		for (i = 0; i < conf_db_host_count(value); i++) {
			char		 h[256];
			unsigned	 port;

			if (conf_db_host(value, i, 1, h, sizeof(h), &port) != 0) {
				snprintf(err, errsz, "%s: entry %zu is not host[:port]",
				    key, i + 1);
				return -1;
			}
		}
		goto string;
	case CT_ENUM:
		for (i = 0; k->choices[i] != NULL; i++)
			if (strcmp(value, k->choices[i]) == 0)
				break;
		if (k->choices[i] == NULL) {
			snprintf(err, errsz, "%s must be %s or %s, not \"%.64s\"", key,
			    k->choices[0], k->choices[1], value);
			return -1;
		}
		goto string;
	case CT_STRING:
	string:
		if ((s = strdup(value)) == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		sp = (char **)((char *)c + k->off);
		free(*sp);
		*sp = s;
		return 0;
	case CT_UINT:
	case CT_SIZE:
		errno = 0;
		if (value[0] == '-' || value[0] == '\0')
			goto bad;
		n = strtoull(value, &end, 10);
		if (errno != 0 || *end != '\0' || n < k->min || n > k->max)
			goto bad;
		if (k->type == CT_UINT)
			*(unsigned *)((char *)c + k->off) = (unsigned)n;
		else
			*(size_t *)((char *)c + k->off) = (size_t)n;
		return 0;
	case CT_LOGLEVEL:
		for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
			if (strcasecmp(value, level_names[i]) == 0) {
				*(enum log_level *)((char *)c + k->off) = (enum log_level)i;
				return 0;
			}
		snprintf(err, errsz, "%s must be error, warn, info or debug", key);
		return -1;
	}
bad:
	snprintf(err, errsz, "%s must be a whole number from %llu to %llu",
	    key, k->min, k->max);
	return -1;
}

int
conf_defaults(struct conf *c)
{
	char	 err[128];
	size_t	 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++)
		if (conf_set(c, conf_keys[i].name, conf_keys[i].def, err,
		    sizeof(err)) == -1)
			return -1;
	return 0;
}

/* Trim ASCII white space at both ends, in place. */
static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errsz)
{
	FILE	*f;
	char	 line[4096], msg[256], *p, *eq, *key, *val;
	int	 lineno = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errsz, "%s:%d: line too long", path, lineno);
			rc = -1;
			break;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			snprintf(err, errsz, "%s:%d: expected \"key = value\"",
			    path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (conf_set(c, key, val, msg, sizeof(msg)) == -1) {
			snprintf(err, errsz, "%s:%d: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errsz, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

void
conf_free(struct conf *c)
{
	size_t	 i;

	for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++)
		if (conf_keys[i].type != CT_UINT && conf_keys[i].type != CT_SIZE &&
		    conf_keys[i].type != CT_LOGLEVEL)
			x_free((char *)c + conf_keys[i].off);
}

int
conf_init(struct conf *c, const char *path, const char **used, char *err,
    size_t errsz)
{
	const char	*env = getenv("PARTNERD_CONF");

	*used = NULL;
	if (conf_defaults(c) == -1) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (path == NULL || path[0] == '\0')
		path = env != NULL && env[0] != '\0' ? env : NULL;
	if (path == NULL) {
		/* No file named: the default one, if the admin wrote it. */
		if (access(PARTNERD_CONF_DEFAULT, F_OK) != 0)
			return 0;
		path = PARTNERD_CONF_DEFAULT;
	}
	if (conf_load(c, path, err, errsz) == -1)
		return -1;
	*used = path;
	return 0;
}
