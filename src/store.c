/* store.c: see store.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "partnerd.h"
#include "crypto.h"
#include "store.h"

void
store_abs(char *out, size_t outsz, const char *media_dir, const char *rel)
{
	snprintf(out, outsz, "%s/%s", media_dir, rel);
}

int
store_mkdirs(const char *media_dir, const char *rel)
{
	char	 path[STORE_PATH_MAX], *p;

	store_abs(path, sizeof(path), media_dir, rel);
	for (p = path + strlen(media_dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0750) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

int
sink_open(struct sink *s, const char *media_dir, unsigned long long limit)
{
	char	 id[UUID_LEN + 1];

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->limit = limit;
	uuid_v4(id);
	snprintf(s->path, sizeof(s->path), "%s/tmp/%s.part", media_dir, id);
	if (store_mkdirs(media_dir, "tmp/x") != 0)
		return -1;
	if ((s->fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0)
		return -1;
	if ((s->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s->md, EVP_sha1(), NULL) != 1) {
		sink_abort(s);
		return -1;
	}
	return 0;
}

int
sink_write(struct sink *s, const void *p, size_t n)
{
	const char	*c = p;
	ssize_t		 w;

	if (s->size + n > s->limit)
		return -1;
	if (EVP_DigestUpdate(s->md, p, n) != 1)
		return -1;
	while (n > 0) {
		if ((w = write(s->fd, c, n)) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOSPC || errno == EDQUOT)
				s->full = 1;
			return -1;
		}
		c += w;
		n -= (size_t)w;
		s->size += (unsigned long long)w;
	}
	return 0;
}

int
sink_close(struct sink *s, unsigned char sha1[SHA1_LEN])
{
	unsigned	 len = 0;
	int		 rc = 0;

	if (fsync(s->fd) != 0) {
		if (errno == ENOSPC || errno == EDQUOT)
			s->full = 1;
		rc = -1;
	}
	if (close(s->fd) != 0)
		rc = -1;
	s->fd = -1;
	if (EVP_DigestFinal_ex(s->md, sha1, &len) != 1 || len != SHA1_LEN)
		rc = -1;
	EVP_MD_CTX_free(s->md);
	s->md = NULL;
	return rc;
}

void
sink_abort(struct sink *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->md != NULL)
		EVP_MD_CTX_free(s->md);
	s->md = NULL;
	if (s->path[0] != '\0')
		unlink(s->path);
	s->path[0] = '\0';
}

static int
digits(const char *s, int n, int *out)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
iso_parse(const char *s, long long *utc_ms, int *offset_min)
{
	struct tm	 tm;
	int		 y, mo, d, h, mi, se, ms = 0, oh, om, sign, n;
	const char	*p;
	time_t		 t;

	if (s == NULL || strlen(s) < 20 ||
	    digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return -1;
	p = s + 19;
	if (*p == '.') {
		/* Milliseconds; further digits are dropped. */
		for (p++, n = 0; *p >= '0' && *p <= '9'; p++, n++)
			if (n < 3)
				ms = ms * 10 + (*p - '0');
		if (n == 0)
			return -1;
		for (; n < 3; n++)
			ms *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		sign = 0;
		oh = om = 0;
		p++;
	} else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) == 0 &&
	    p[3] == ':' && digits(p + 4, 2, &om) == 0) {
		sign = *p == '-' ? -1 : 1;
		p += 6;
	} else
		return -1;
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60 || oh > 14 || om > 59 || y < 1000)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	/* timegm normalises 31 February into March: refuse such dates. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	*offset_min = sign * (oh * 60 + om);
	*utc_ms = ((long long)t - (long long)*offset_min * 60) * 1000 + ms;
	return 0;
}

void
dt_format(long long ms, char out[48])
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int		 frac = (int)(ms - (long long)t * 1000);

	gmtime_r(&t, &tm);
	snprintf(out, 48, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}
