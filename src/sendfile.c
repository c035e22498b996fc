/*
 * sendfile.c: originals, thumbnails and videos sent by the worker itself
 * (media_sendfile = worker): conditional requests, one Range, and a stream
 * in fixed-size chunks that stops when the client goes away.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "partnerd.h"
#include "sendfile.h"

static const char *const days[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Written by hand: strftime's names follow the locale, HTTP's do not. */
void
http_date_format(time_t t, char *out, size_t outsz)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	snprintf(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
http_date_parse(const char *s, time_t *t)
{
	struct tm	 tm;
	char		 day[4], mon[4], zone[4];
	int		 i, n = 0;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", day,
	    &tm.tm_mday, mon, &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    zone, &n) != 8 || s[n] != '\0' || strcmp(zone, "GMT") != 0 ||
	    strlen(day) != 3)
		return -1;
	for (i = 0; i < 12 && strcmp(mon, months[i]) != 0; i++)
		;
	if (i == 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970)
		return -1;
	tm.tm_mon = i;
	tm.tm_year -= 1900;
	*t = timegm(&tm);
	return 0;
}

/* Digits only, at most INT64_MAX: 0 and *v, else -1. */
static int
parse_pos(const char *s, size_t n, off_t *v)
{
	uint64_t	 x = 0;
	size_t		 i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = (off_t)x;
	return 0;
}

enum sendfile_range
sendfile_range_parse(const char *hdr, off_t size, off_t *off, off_t *len)
{
	const char	*s, *dash, *end;
	off_t		 first, last;

	if (hdr == NULL || strncasecmp(hdr, "bytes=", 6) != 0 ||
	    strchr(hdr, ',') != NULL)
		return SENDFILE_WHOLE;
	s = hdr + 6;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if ((dash = memchr(s, '-', (size_t)(end - s))) == NULL)
		return SENDFILE_WHOLE;
	if (dash == s) {
		/* "-N": the last N bytes. */
		if (parse_pos(dash + 1, (size_t)(end - dash - 1), &last) != 0)
			return SENDFILE_WHOLE;
		if (last == 0 || size == 0)
			return SENDFILE_UNSATISFIABLE;
		*off = last >= size ? 0 : size - last;
		*len = size - *off;
		return SENDFILE_PART;
	}
	if (parse_pos(s, (size_t)(dash - s), &first) != 0)
		return SENDFILE_WHOLE;
	if (dash + 1 == end)
		last = size - 1;	/* "N-": to the end */
	else if (parse_pos(dash + 1, (size_t)(end - dash - 1), &last) != 0 ||
	    last < first)
		return SENDFILE_WHOLE;
	if (first >= size)
		return SENDFILE_UNSATISFIABLE;
	if (last >= size)
		last = size - 1;
	*off = first;
	*len = last - first + 1;
	return SENDFILE_PART;
}

/* The opaque part of an entity tag, without a weak marker. */
static void
etag_opaque(const char *s, size_t n, const char **o, size_t *on)
{
	if (n >= 2 && s[0] == 'W' && s[1] == '/') {
		s += 2;
		n -= 2;
	}
	*o = s;
	*on = n;
}

int
sendfile_etag_match(const char *list, const char *etag)
{
	const char	*p = list, *o, *eo;
	size_t		 n, on, eon;

	if (list == NULL)
		return 0;
	etag_opaque(etag, strlen(etag), &eo, &eon);
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		n = strcspn(p, ",");
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 1 && p[0] == '*')
			return 1;
		etag_opaque(p, n, &o, &on);
		if (on == eon && memcmp(o, eo, on) == 0)
			return 1;
		p += n;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return 0;
}

/* Is the file unchanged since the client's copy (RFC 9110, 13.2.2)? */
static int
not_modified(const struct ctx *ctx, const char *etag, time_t mtime)
{
	const char	*inm = req_param(ctx->req, "HTTP_IF_NONE_MATCH");
	const char	*ims = req_param(ctx->req, "HTTP_IF_MODIFIED_SINCE");
	time_t		 t;

	if (inm != NULL)
		return sendfile_etag_match(inm, etag);
	return ims != NULL && http_date_parse(ims, &t) == 0 && mtime <= t;
}

/* If-Range: the range applies only to the representation the client has. */
static int
range_applies(const struct ctx *ctx, const char *etag, time_t mtime)
{
	const char	*ir = req_param(ctx->req, "HTTP_IF_RANGE");
	time_t		 t;

	if (ir == NULL)
		return 1;
	if (ir[0] == '"')	/* strong comparison: a weak tag never matches */
		return strcmp(ir, etag) == 0;
	return http_date_parse(ir, &t) == 0 && t == mtime;
}

enum perr
sendfile_answer(struct ctx *ctx, const char *path, const char *mime,
    const char *disposition)
{
	struct resp	*r = ctx->resp;
	struct stat	 st;
	char		 etag[48], date[40], v[96];
	off_t		 off = 0, len;
	int		 fd, part = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_err("cid=%s cannot open a media file: %s", ctx->cid, strerror(errno));
		return PERR_INTERNAL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		log_err("cid=%s a media file is not a regular file", ctx->cid);
		close(fd);
		return PERR_INTERNAL;
	}
	len = st.st_size;
	/* As nginx makes them, so a change of media_sendfile keeps caches. */
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
	    (unsigned long long)st.st_size);
	http_date_format(st.st_mtime, date, sizeof(date));
	resp_header(r, "ETag", etag);
	resp_header(r, "Last-Modified", date);
	/* As send_file: revalidated every time, the access may have changed. */
	resp_header(r, "Cache-Control", "private, no-cache, no-transform");
	r->no_length = 1;
	pbuf_reset(&r->body);
	if (not_modified(ctx, etag, st.st_mtime)) {
		close(fd);
		r->status = 304;
		return PERR_NONE;
	}
	if (range_applies(ctx, etag, st.st_mtime)) {
		switch (sendfile_range_parse(req_param(ctx->req, "HTTP_RANGE"),
		    st.st_size, &off, &len)) {
		case SENDFILE_WHOLE:
			break;
		case SENDFILE_PART:
			part = 1;
			break;
		case SENDFILE_UNSATISFIABLE:
			close(fd);
			r->no_length = 0;
			snprintf(v, sizeof(v), "bytes */%lld", (long long)st.st_size);
			resp_header(r, "Content-Range", v);
			return PERR_RANGE;
		}
	}
	resp_header(r, "Accept-Ranges", "bytes");
	if (disposition != NULL)
		resp_header(r, "Content-Disposition", disposition);
	if (part) {
		snprintf(v, sizeof(v), "bytes %lld-%lld/%lld", (long long)off,
		    (long long)(off + len - 1), (long long)st.st_size);
		resp_header(r, "Content-Range", v);
	}
	snprintf(v, sizeof(v), "%lld", (long long)len);
	resp_header(r, "Content-Length", v);
	/* nginx passes the stream on as it comes instead of spooling it to
	 * disk, so a client that goes away stops the worker too. */
	resp_header(r, "X-Accel-Buffering", "no");
	snprintf(r->ctype_buf, sizeof(r->ctype_buf), "%s", mime);
	r->content_type = r->ctype_buf;
	r->status = part ? 206 : 200;
	if (ctx->method == METHOD_HEAD || len == 0) {
		close(fd);
		return PERR_NONE;
	}
	r->file.open = 1;
	r->file.fd = fd;
	r->file.off = off;
	r->file.len = len;
	snprintf(r->file.cid, sizeof(r->file.cid), "%s", ctx->cid);
	return PERR_NONE;
}

off_t
sendfile_copy(struct resp *r, sendfile_put_fn put, int (*gone)(void *), void *io)
{
	char		*buf;
	off_t		 pos = r->file.off, left = r->file.len, sent = 0;
	ssize_t		 n;

	if (!r->file.open)
		return 0;
	if ((buf = malloc(SENDFILE_CHUNK)) == NULL) {
		log_err("cid=%s out of memory sending a file", r->file.cid);
		resp_file_close(r);
		return 0;
	}
	while (left > 0) {
		n = pread(r->file.fd, buf, left < SENDFILE_CHUNK ? (size_t)left :
		    SENDFILE_CHUNK, pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_err("cid=%s a media file ended or failed after %lld of "
			    "%lld bytes", r->file.cid, (long long)sent,
			    (long long)r->file.len);
			break;
		}
		if ((gone != NULL && gone(io)) || put(io, buf, (size_t)n) != 0) {
			log_info("cid=%s client went away after %lld of %lld bytes",
			    r->file.cid, (long long)sent, (long long)r->file.len);
			break;
		}
		pos += n;
		left -= n;
		sent += n;
	}
	free(buf);
	resp_file_close(r);
	return sent;
}
