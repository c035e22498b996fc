/* util.c: growable buffers and the response object. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "partnerd.h"

void
x_free(void *pp)
{
	void **p = pp;

	free(*p);
	*p = NULL;
}

static int
pbuf_grow(struct pbuf *b, size_t need)
{
	size_t	 cap;
	char	*p;

	if (b->len + need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
pbuf_add(struct pbuf *b, const void *p, size_t n)
{
	if (pbuf_grow(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
pbuf_adds(struct pbuf *b, const char *s)
{
	return pbuf_add(b, s, strlen(s));
}

int
pbuf_printf(struct pbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || pbuf_grow(b, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
pbuf_reset(struct pbuf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
pbuf_free(struct pbuf *b)
{
	x_free(&b->data);
	b->len = b->cap = 0;
}

const char *
req_param(const struct req *r, const char *name)
{
	return r->param(r->io, name);
}

int
req_gone(const struct req *r)
{
	return r->gone != NULL && r->gone(r->io);
}

int
resp_header(struct resp *r, const char *name, const char *value)
{
	/* Refuse header injection: values come from our own code, but be sure. */
	if (strpbrk(value, "\r\n") != NULL || strpbrk(name, "\r\n:") != NULL)
		return -1;
	return pbuf_printf(&r->headers, "%s: %s\r\n", name, value);
}

int
resp_json(struct resp *r, int status, struct json_object *obj)
{
	const char	*s;
	size_t		 len;
	int		 rc;

	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	pbuf_reset(&r->body);
	s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	rc = s == NULL ? -1 : pbuf_add(&r->body, s, len);
	json_object_put(obj);
	return rc;
}

void
resp_json_raw(struct resp *r, int status)
{
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	pbuf_reset(&r->body);
}

void
resp_file_close(struct resp *r)
{
	if (r->file.open)
		close(r->file.fd);
	r->file.open = 0;
	r->file.fd = -1;
}

void
resp_reset(struct resp *r)
{
	r->status = 0;
	r->content_type = NULL;
	r->no_length = 0;
	resp_file_close(r);
	r->streamed = 0;
	pbuf_reset(&r->headers);
	pbuf_reset(&r->body);
}

void
resp_free(struct resp *r)
{
	resp_file_close(r);
	pbuf_free(&r->headers);
	pbuf_free(&r->body);
}

static int
ids_cmp(const void *a, const void *b, void *arg)
{
	const char *const	*ids = arg;
	size_t			 x = *(const size_t *)a, y = *(const size_t *)b;
	int			 c = strcmp(ids[x], ids[y]);

	return c != 0 ? c : (x > y) - (x < y);
}

size_t *
ids_sorted(const char *const *ids, size_t n)
{
	size_t	*ix, i;

	if ((ix = malloc((n ? n : 1) * sizeof(*ix))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		ix[i] = i;
	if (n > 1)
		qsort_r(ix, n, sizeof(*ix), ids_cmp, (void *)ids);
	return ix;
}

size_t
ids_find(const char *const *ids, const size_t *ix, size_t n, const char *id)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ids[ix[mid]], id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
