/*
 * fuzz_query.c: libFuzzer target for the query-string parser and the
 * validator in query mode (src/valid.c and its date parser in src/store.c,
 * with a timeline-like spec and its input struct).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "valid.h"

static const char *const orders[] = { "asc", "desc", NULL };

/* A timeline-like input struct: the walker writes every field it accepts. */
struct in_fuzz {
	const char	*user_id;
	int		 is_favorite, order;
	int64_t		 size;
	const char	*bbox, *time_bucket;
	struct vdate	 after;
	struct vuuids	 ids;
};

static const struct vfield spec[] = {
	{ .name = "userId", .type = VT_UUID, VF_AT(struct in_fuzz, user_id) },
	{ .name = "isFavorite", .type = VT_BOOL, VF_AT(struct in_fuzz, is_favorite) },
	{ .name = "order", .type = VT_ENUM, .choices = orders, VF_AT(struct in_fuzz, order) },
	{ .name = "size", .type = VT_INT, .min = 1, .max = 100, VF_AT(struct in_fuzz, size) },
	{ .name = "bbox", .type = VT_STRING, .max = 200, VF_AT(struct in_fuzz, bbox) },
	{ .name = "timeBucket", .type = VT_STRING, .required = 1, .max = 64, .min = 1,
	    VF_AT(struct in_fuzz, time_bucket) },
	{ .name = "after", .type = VT_DATE, .max = 64, .day_ok = 1,
	    VF_AT(struct in_fuzz, after) },
	{ .name = "ids", .type = VT_UUID_ARRAY, .max = 10, VF_AT(struct in_fuzz, ids) },
	VF_END(struct in_fuzz),
};

/* The gate's per-request memory, reduced: one block at a time is enough
 * here, and each is freed at the end of the run. */
static void	*blocks[64];
static size_t	 nblocks;

void *
ctx_alloc(struct ctx *ctx, size_t n)
{
	(void)ctx;
	if (nblocks == sizeof(blocks) / sizeof(blocks[0]))
		return NULL;
	return blocks[nblocks++] = calloc(1, n ? n : 1);
}

void
ctx_mem_free(struct ctx *ctx)
{
	(void)ctx;
	while (nblocks > 0)
		free(blocks[--nblocks]);
}

/* The gate's issue writer, reduced: the fuzzer exercises valid.c alone. */
enum perr
ctx_invalid(struct ctx *ctx, const char *field, const char *code, const char *message)
{
	if (ctx->errors == NULL)
		ctx->errors = json_object_new_array();
	json_object_array_add(ctx->errors, json_object_new_string(message));
	(void)field;
	(void)code;
	return PERR_VALIDATION;
}

enum perr
ctx_fail(struct ctx *ctx, enum perr err, const char *fmt, ...)
{
	(void)fmt;
	ctx->err = err;
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*q;
	struct ctx		 ctx;
	struct in_fuzz		 in;
	char			*s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	if ((q = valid_parse_query(&ctx, s)) != NULL) {
		(void)valid_into(&ctx, spec, q, 1, &in);
		json_object_put(q);
		ctx_mem_free(&ctx);
	}
	if (ctx.errors != NULL)
		json_object_put(ctx.errors);
	free(s);
	return 0;
}
