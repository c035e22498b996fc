/* answers.c: see answers.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "partnerd.h"
#include "answers.h"
#include "auth.h"
#include "cache.h"
#include "db.h"

static int
version_row(void *arg, const struct db_row *row)
{
	*(uint64_t *)arg = strtoull(row->val[0], NULL, 10);
	return 0;
}

/* The ETag on a 200 or a 304, never on an error. */
static void
answers_tag(struct ctx *ctx, const struct answer *a)
{
	resp_header(ctx->resp, "ETag", a->etag);
	resp_header(ctx->resp, "Cache-Control", "private, no-cache");
}

/* The credential, the caller's counter and the cache key (empty when it
 * would not fit: never a shortened key). */
static enum perr
answers_key(struct ctx *ctx, struct answer *a)
{
	enum perr	 e;

	memset(a, 0, sizeof(*a));
	if ((e = auth_query(ctx, STMT_VIEWER_VERSION, NULL, 0, version_row,
	    &a->version)) != PERR_NONE)
		return e;
	if ((size_t)snprintf(a->key, sizeof(a->key), "%s\n%s\n%s", ctx->user_id,
	    ctx->path, ctx->query) >= sizeof(a->key))
		a->key[0] = '\0';
	return PERR_NONE;
}

enum perr
answers_open(struct ctx *ctx, struct answer *a, int *done)
{
	crypto_hash_sha256_state	 st;
	unsigned char			 h[crypto_hash_sha256_BYTES];
	char				 num[24];
	const char			*inm;
	enum perr			 e;
	int				 i;

	*done = 0;
	if ((e = answers_key(ctx, a)) != PERR_NONE)
		return e;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)a->version);
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
	inm = req_param(ctx->req, "HTTP_IF_NONE_MATCH");
	if (inm != NULL && (strstr(inm, a->etag + 2) != NULL || strcmp(inm, "*") == 0)) {
		ctx->resp->status = 304;
		answers_tag(ctx, a);
		*done = 1;
		return PERR_NONE;
	}
	if (a->key[0] == '\0')
		return PERR_NONE;
	resp_json_raw(ctx->resp, 200);
	if (cache_get(ctx->app->cache, a->key, a->version, &ctx->resp->body)) {
		answers_tag(ctx, a);
		*done = 1;
	} else
		ctx->resp->status = 0;
	return PERR_NONE;
}

enum perr
answers_peek(struct ctx *ctx, struct answer *a, struct pbuf *out, int *hit)
{
	enum perr	 e;

	*hit = 0;
	if ((e = answers_key(ctx, a)) != PERR_NONE)
		return e;
	if (a->key[0] != '\0')
		*hit = cache_get(ctx->app->cache, a->key, a->version, out);
	return PERR_NONE;
}

void
answers_put(struct ctx *ctx, const struct answer *a, const char *text, size_t len)
{
	if (a->key[0] != '\0')
		cache_put(ctx->app->cache, a->key, a->version, text, len);
}

void
answers_keep(struct ctx *ctx, const struct answer *a)
{
	if (a->etag[0] == '\0' || ctx->resp->status != 200)
		return;
	answers_tag(ctx, a);
	answers_put(ctx, a, ctx->resp->body.data, ctx->resp->body.len);
}
