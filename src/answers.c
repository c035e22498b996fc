/* answers.c: see answers.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "partnerd.h"
#include "answers.h"
#include "cache.h"

/* The ETag on a 200 or a 304, never on an error. */
static void
answers_tag(struct ctx *ctx, const struct answer *a)
{
	resp_header(ctx->resp, "ETag", a->etag);
	resp_header(ctx->resp, "Cache-Control", "private, no-cache");
}

/* The weak ETag: a hash of caller, path, query and counter. */
static void
answers_etag(struct ctx *ctx, struct answer *a)
{
	crypto_hash_sha256_state	 st;
	unsigned char			 h[crypto_hash_sha256_BYTES];
	char				 num[24];
	int				 i;

	snprintf(num, sizeof(num), "%llu", (unsigned long long)ctx->version);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)ctx->user_id, strlen(ctx->user_id) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)ctx->path, strlen(ctx->path) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)ctx->query, strlen(ctx->query) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
	crypto_hash_sha256_final(&st, h);
	memcpy(a->etag, "W/\"", 3);
	for (i = 0; i < 16; i++)
		snprintf(a->etag + 3 + 2 * i, 3, "%02x", h[i]);
	memcpy(a->etag + 35, "\"", 2);
}

/*
 * A file answer as kept text: its content type, then its headers, each
 * ending in a NUL (the body is empty: the web server sends the file).
 */
static int
file_pack(const struct resp *r, struct pbuf *b)
{
	const char	*ct = r->content_type ? r->content_type : "";

	return pbuf_add(b, ct, strlen(ct) + 1) |
	    pbuf_add(b, r->headers.data ? r->headers.data : "", r->headers.len) |
	    pbuf_add(b, "", 1);
}

static int
file_unpack(struct resp *r, const struct pbuf *b)
{
	size_t	 n, h;

	if (b->len == 0 || (n = strnlen(b->data, b->len)) >= b->len ||
	    n >= sizeof(r->ctype_buf) ||
	    (h = strnlen(b->data + n + 1, b->len - n - 1)) >= b->len - n - 1)
		return -1;
	memcpy(r->ctype_buf, b->data, n + 1);
	r->content_type = r->ctype_buf;
	if (pbuf_add(&r->headers, b->data + n + 1, h) != 0)
		return -1;
	r->status = 200;
	r->no_length = 1;
	pbuf_reset(&r->body);
	return 0;
}

void
answers_open(struct ctx *ctx, struct answer *a, int *done)
{
	const int	 file = (ctx->route->flags & ROUTE_CACHE_FILE) != 0;
	struct pbuf	 kept = { NULL, 0, 0 };
	const char	*inm;

	*done = 0;
	memset(a, 0, sizeof(*a));
	if ((size_t)snprintf(a->key, sizeof(a->key), "%s\n%s\n%s", ctx->user_id,
	    ctx->path, ctx->query) >= sizeof(a->key))
		a->key[0] = '\0';	/* never a shortened key */
	if (!file) {
		answers_etag(ctx, a);
		inm = req_param(ctx->req, "HTTP_IF_NONE_MATCH");
		if (inm != NULL && (strstr(inm, a->etag + 2) != NULL ||
		    strcmp(inm, "*") == 0)) {
			ctx->resp->status = 304;
			answers_tag(ctx, a);
			*done = 1;
			return;
		}
	}
	if (a->key[0] == '\0')
		return;
	if (!file) {
		resp_json_raw(ctx->resp, 200);
		if (cache_get(ctx->app->cache, a->key, ctx->version, &ctx->resp->body)) {
			answers_tag(ctx, a);
			*done = 1;
		} else
			ctx->resp->status = 0;
		return;
	}
	if (cache_get(ctx->app->cache, a->key, ctx->version, &kept) &&
	    file_unpack(ctx->resp, &kept) == 0)
		*done = 1;
	else
		resp_reset(ctx->resp);
	pbuf_free(&kept);
}

void
answers_keep(struct ctx *ctx, const struct answer *a)
{
	struct pbuf	 kept = { NULL, 0, 0 };

	/* Not a file the worker sends itself (media_sendfile = worker): its
	 * Range and validators are answered anew for each request. */
	if (ctx->resp->status != 200 || ctx->resp->file.open)
		return;
	if (a->etag[0] != '\0')
		answers_tag(ctx, a);
	if (a->key[0] == '\0')
		return;
	if (a->etag[0] != '\0') {
		cache_put(ctx->app->cache, a->key, ctx->version, ctx->resp->body.data,
		    ctx->resp->body.len);
		return;
	}
	if (file_pack(ctx->resp, &kept) == 0)
		cache_put(ctx->app->cache, a->key, ctx->version, kept.data, kept.len);
	pbuf_free(&kept);
}
