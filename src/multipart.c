/* multipart.c: see multipart.h. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "multipart.h"

enum mp_state {
	MP_PREAMBLE = 0,	/* before the first boundary */
	MP_AFTER_BOUNDARY,	/* "\r\n" (a part follows) or "--" (the end) */
	MP_HEADERS,		/* header lines up to an empty line */
	MP_DATA,		/* part bytes up to "\r\n--boundary" */
	MP_END,			/* after the closing boundary: ignore the rest */
	MP_ERROR
};

struct mp_parser {
	enum mp_state		 state;
	char			 delim[MP_MAX_BOUNDARY + 5];	/* "\r\n--" boundary */
	size_t			 dlen;
	char			*buf;	/* bytes not yet consumed */
	size_t			 len, cap;
	const struct mp_callbacks *cb;
	void			*arg;
};

int
mp_boundary(const char *ct, char *out, size_t outsz)
{
	const char	*p;
	size_t		 n;

	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return -1;
	for (p = ct + 19; (p = strchr(p, ';')) != NULL; ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		if (*p == '"') {
			p++;
			n = strcspn(p, "\"");
			if (p[n] != '"')
				return -1;
		} else
			n = strcspn(p, "; \t");
		if (n == 0 || n > MP_MAX_BOUNDARY || n >= outsz)
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

struct mp_parser *
mp_new(const char *boundary, const struct mp_callbacks *cb, void *arg)
{
	struct mp_parser	*mp;
	size_t			 bl = strlen(boundary);

	if (bl == 0 || bl > MP_MAX_BOUNDARY || (mp = calloc(1, sizeof(*mp))) == NULL)
		return NULL;
	memcpy(mp->delim, "\r\n--", 4);
	memcpy(mp->delim + 4, boundary, bl);
	mp->dlen = bl + 4;
	mp->cb = cb;
	mp->arg = arg;
	return mp;
}

void
mp_free(struct mp_parser *mp)
{
	if (mp == NULL)
		return;
	free(mp->buf);
	free(mp);
}

int
mp_done(const struct mp_parser *mp)
{
	return mp->state == MP_END ? 0 : -1;
}

/* Drop the first n bytes of the buffer. */
static void
consume(struct mp_parser *mp, size_t n)
{
	memmove(mp->buf, mp->buf + n, mp->len - n);
	mp->len -= n;
}

/* A header's parameter (name="x"), copied into out; NULL when absent. */
static const char *
header_param(const char *h, const char *param, char *out, size_t outsz)
{
	size_t		 pl = strlen(param), n;
	const char	*p = h;

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, param, pl) != 0 || p[pl] != '=')
			continue;
		p += pl + 1;
		if (*p == '"') {
			p++;
			n = strcspn(p, "\"");
		} else
			n = strcspn(p, ";");
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, p, n);
		out[n] = '\0';
		return out;
	}
	return NULL;
}

/* Parse a part's header block (NUL-terminated, CRLF lines). */
static int
part_headers(struct mp_parser *mp, char *h)
{
	char		 name[256] = "", file[1024], ctype[256];
	const char	*fn = NULL, *ct = NULL;
	char		*line, *save = NULL, *v;
	int		 have_name = 0;

	for (line = strtok_r(h, "\r\n", &save); line != NULL;
	    line = strtok_r(NULL, "\r\n", &save)) {
		if ((v = strchr(line, ':')) == NULL)
			return -1;
		*v++ = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		if (strcasecmp(line, "Content-Disposition") == 0) {
			if (strncasecmp(v, "form-data", 9) != 0)
				return -1;
			have_name = header_param(v, "name", name, sizeof(name)) != NULL;
			fn = header_param(v, "filename", file, sizeof(file));
		} else if (strcasecmp(line, "Content-Type") == 0) {
			snprintf(ctype, sizeof(ctype), "%s", v);
			ct = ctype;
		}
	}
	if (!have_name)
		return -1;
	return mp->cb->begin(mp->arg, name, fn, ct) != 0 ? -1 : 0;
}

/* Run the state machine over the buffer as far as it goes. */
static int
step(struct mp_parser *mp)
{
	char	*hit;
	size_t	 keep;

	for (;;) {
		switch (mp->state) {
		case MP_PREAMBLE:
			/* The first boundary may open the body without CRLF. */
			if (mp->len >= mp->dlen - 2 &&
			    memcmp(mp->buf, mp->delim + 2, mp->dlen - 2) == 0) {
				consume(mp, mp->dlen - 2);
				mp->state = MP_AFTER_BOUNDARY;
				continue;
			}
			hit = memmem(mp->buf, mp->len, mp->delim, mp->dlen);
			if (hit != NULL) {
				consume(mp, (size_t)(hit - mp->buf) + mp->dlen);
				mp->state = MP_AFTER_BOUNDARY;
				continue;
			}
			if (mp->len > mp->dlen) {
				consume(mp, mp->len - mp->dlen);
				if (mp->len > MP_MAX_HEADER)
					return -1;
			}
			return 0;
		case MP_AFTER_BOUNDARY:
			if (mp->len < 2)
				return 0;
			if (memcmp(mp->buf, "--", 2) == 0) {
				mp->state = MP_END;
				mp->len = 0;
				return 0;
			}
			/* Transport padding before the CRLF is allowed. */
			while (mp->len > 0 && (mp->buf[0] == ' ' || mp->buf[0] == '\t'))
				consume(mp, 1);
			if (mp->len < 2)
				return 0;
			if (memcmp(mp->buf, "\r\n", 2) != 0)
				return -1;
			consume(mp, 2);
			mp->state = MP_HEADERS;
			continue;
		case MP_HEADERS:
			hit = memmem(mp->buf, mp->len, "\r\n\r\n", 4);
			if (hit == NULL) {
				if (mp->len > MP_MAX_HEADER)
					return -1;
				return 0;
			}
			*hit = '\0';
			if (part_headers(mp, mp->buf) != 0)
				return -1;
			consume(mp, (size_t)(hit - mp->buf) + 4);
			mp->state = MP_DATA;
			continue;
		case MP_DATA:
			hit = memmem(mp->buf, mp->len, mp->delim, mp->dlen);
			if (hit != NULL) {
				if (hit > mp->buf && mp->cb->data(mp->arg, mp->buf,
				    (size_t)(hit - mp->buf)) != 0)
					return -1;
				if (mp->cb->end(mp->arg) != 0)
					return -1;
				consume(mp, (size_t)(hit - mp->buf) + mp->dlen);
				mp->state = MP_AFTER_BOUNDARY;
				continue;
			}
			/* Everything but a possible partial delimiter goes out. */
			keep = mp->dlen - 1;
			if (mp->len > keep) {
				if (mp->cb->data(mp->arg, mp->buf, mp->len - keep) != 0)
					return -1;
				consume(mp, mp->len - keep);
			}
			return 0;
		case MP_END:
			mp->len = 0;
			return 0;
		case MP_ERROR:
			return -1;
		}
	}
}

int
mp_feed(struct mp_parser *mp, const char *p, size_t n)
{
	char	*nb;
	size_t	 cap;

	if (mp->state == MP_ERROR)
		return -1;
	if (mp->state == MP_END)
		return 0;	/* the epilogue is ignored */
	if (mp->len + n > mp->cap) {
		cap = mp->cap ? mp->cap : 16384;
		while (cap < mp->len + n)
			cap *= 2;
		if ((nb = realloc(mp->buf, cap)) == NULL) {
			mp->state = MP_ERROR;
			return -1;
		}
		mp->buf = nb;
		mp->cap = cap;
	}
	memcpy(mp->buf + mp->len, p, n);
	mp->len += n;
	if (step(mp) != 0) {
		mp->state = MP_ERROR;
		return -1;
	}
	return 0;
}
