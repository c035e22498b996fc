/*
 * fuzz_query.c: libFuzzer target for the query-string parser and the
 * validator in query mode (src/valid.c alone, with a timeline-like spec).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "valid.h"

static const char *const orders[] = { "asc", "desc", NULL };

static const struct vfield spec[] = {
	{ "userId", VT_UUID, 0, 0, NULL, 0, 0 },
	{ "isFavorite", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ "order", VT_ENUM, 0, 0, orders, 0, 0 },
	{ "size", VT_INT, 0, 100, NULL, 0, 0 },
	{ "bbox", VT_STRING, 0, 200, NULL, 0, 0 },
	{ "timeBucket", VT_STRING, 1, 64, NULL, 1, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

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

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*q;
	struct ctx		 ctx;
	char			*s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	if ((q = valid_parse_query(&ctx, s)) != NULL) {
		(void)valid_object(&ctx, spec, q, 1);
		json_object_put(q);
	}
	if (ctx.errors != NULL)
		json_object_put(ctx.errors);
	free(s);
	return 0;
}
