/* test_valid.c: the declarative validator never coerces. */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "harness.h"
#include "valid.h"

static const char *const directions[] = { "shared-by", "shared-with", NULL };

static const struct vfield spec[] = {
	{ "flag", VT_BOOL, 1, 0, NULL, 0, 0 },
	{ "id", VT_UUID, 0, 0, NULL, 0, 0 },
	{ "direction", VT_ENUM, 0, 0, directions, 0, 0 },
	{ "name", VT_STRING, 0, 5, NULL, 0, 0 },
	{ "email", VT_EMAIL, 0, 0, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

static int
check(const char *json, struct ctx *ctx)
{
	struct json_object	*o = json_tokener_parse(json);
	int			 rc;

	memset(ctx, 0, sizeof(*ctx));
	rc = valid_object(ctx, spec, o, 0);
	json_object_put(o);
	return rc;
}

static const char *
first_issue(struct ctx *ctx)
{
	struct json_object	*i, *m;

	if (ctx->errors == NULL || json_object_array_length(ctx->errors) == 0)
		return "";
	i = json_object_array_get_idx(ctx->errors, 0);
	json_object_object_get_ex(i, "message", &m);
	return json_object_get_string(m);
}

static void
done(struct ctx *ctx)
{
	if (ctx->errors != NULL)
		json_object_put(ctx->errors);
}

static void
test_valid_accepts_good_object(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("{\"flag\":true,\"id\":\"00000000-0000-4000-a000-000000000000\","
	    "\"direction\":\"shared-by\",\"name\":\"abc\",\"email\":\"a@b.cd\"}", &ctx),
	    PERR_NONE);
	CU_ASSERT_PTR_NULL(ctx.errors);
	done(&ctx);
}

static void
test_valid_string_is_not_a_boolean(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("{\"flag\":\"true\"}", &ctx), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(first_issue(&ctx),
	    "Invalid input: expected boolean, received string");
	done(&ctx);
}

static void
test_valid_missing_required_field(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("{}", &ctx), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(first_issue(&ctx),
	    "Invalid input: expected boolean, received undefined");
	done(&ctx);
}

static void
test_valid_rejects_non_v4_uuid(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("{\"flag\":true,\"id\":\"00000000-0000-1000-a000-000000000000\"}",
	    &ctx), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(first_issue(&ctx), "Invalid UUID");
	done(&ctx);
}

static void
test_valid_enum_message_lists_choices(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("{\"flag\":true,\"direction\":\"sideways\"}", &ctx),
	    PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(first_issue(&ctx),
	    "Invalid option: expected one of \"shared-by\"|\"shared-with\"");
	done(&ctx);
}

static void
test_valid_unknown_field_is_refused(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("{\"flag\":true,\"evil\":1}", &ctx), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(first_issue(&ctx), "Unrecognized key: \"evil\"");
	done(&ctx);
}

static void
test_valid_string_too_long(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("{\"flag\":true,\"name\":\"abcdef\"}", &ctx),
	    PERR_VALIDATION);
	done(&ctx);
}

static void
test_valid_body_must_be_object(void)
{
	struct ctx	 ctx;

	CU_ASSERT_EQUAL(check("[1,2]", &ctx), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(first_issue(&ctx),
	    "Invalid input: expected object, received array");
	done(&ctx);
}

static void
test_valid_query_bool_only_exact_words(void)
{
	struct ctx		 ctx;
	struct json_object	*q;
	static const struct vfield qspec[] = {
		{ "flag", VT_BOOL, 1, 0, NULL, 0, 0 }, { NULL, 0, 0, 0, NULL, 0, 0 },
	};

	memset(&ctx, 0, sizeof(ctx));
	q = valid_parse_query(&ctx, "flag=true");
	CU_ASSERT_EQUAL(valid_object(&ctx, qspec, q, 1), PERR_NONE);
	CU_ASSERT_EQUAL(valid_get_bool(q, "flag", 0), 1);
	json_object_put(q);
	q = valid_parse_query(&ctx, "flag=TRUE");
	CU_ASSERT_EQUAL(valid_object(&ctx, qspec, q, 1), PERR_VALIDATION);
	json_object_put(q);
	done(&ctx);
}

static void
test_valid_query_decodes_percent_and_plus(void)
{
	struct ctx		 ctx;
	struct json_object	*q;

	memset(&ctx, 0, sizeof(ctx));
	q = valid_parse_query(&ctx, "a=x%2Fy+z&b=&c");
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_STRING_EQUAL(valid_get_str(q, "a"), "x/y z");
	CU_ASSERT_STRING_EQUAL(valid_get_str(q, "b"), "");
	CU_ASSERT_STRING_EQUAL(valid_get_str(q, "c"), "");
	json_object_put(q);
}

static void
test_valid_query_rejects_bad_escape_and_repeats(void)
{
	struct ctx	 ctx;

	memset(&ctx, 0, sizeof(ctx));
	CU_ASSERT_PTR_NULL(valid_parse_query(&ctx, "a=%zz"));
	CU_ASSERT_PTR_NULL(valid_parse_query(&ctx, "a=%0"));
	CU_ASSERT_PTR_NULL(valid_parse_query(&ctx, "a=%00"));
	CU_ASSERT_PTR_NULL(valid_parse_query(&ctx, "a=1&a=2"));
	done(&ctx);
}

static void
test_valid_email_shapes(void)
{
	CU_ASSERT_TRUE(valid_email("alice@example.com"));
	CU_ASSERT_FALSE(valid_email("alice"));
	CU_ASSERT_FALSE(valid_email("@example.com"));
	CU_ASSERT_FALSE(valid_email("a@b@c.d"));
	CU_ASSERT_FALSE(valid_email("a b@c.de"));
	CU_ASSERT_FALSE(valid_email("a@example"));
}

static void
test_valid_date_is_a_calendar_day(void)
{
	CU_ASSERT_TRUE(valid_date("2024-03-01"));
	CU_ASSERT_TRUE(valid_date("2024-02-29"));	/* leap year */
	CU_ASSERT_TRUE(valid_date("2000-02-29"));	/* divisible by 400 */
	CU_ASSERT_TRUE(valid_date("1000-01-01"));
	CU_ASSERT_TRUE(valid_date("9999-12-31"));
	CU_ASSERT_FALSE(valid_date("2023-02-29"));
	CU_ASSERT_FALSE(valid_date("1900-02-29"));	/* divisible by 100 only */
	CU_ASSERT_FALSE(valid_date("2024-04-31"));
	CU_ASSERT_FALSE(valid_date("2024-13-01"));
	CU_ASSERT_FALSE(valid_date("2024-00-10"));
	CU_ASSERT_FALSE(valid_date("0999-12-31"));
	CU_ASSERT_FALSE(valid_date("2024-3-01"));
	CU_ASSERT_FALSE(valid_date("2024-03-1 "));
	CU_ASSERT_FALSE(valid_date("+024-03-01"));
	CU_ASSERT_FALSE(valid_date("2024-03-01T00:00:00Z"));
	CU_ASSERT_FALSE(valid_date(""));
	CU_ASSERT_FALSE(valid_date(NULL));
}

void
suite_valid(void)
{
	CU_pSuite s = CU_add_suite("unit: validation", NULL, NULL);

	ADD_TEST(s, test_valid_accepts_good_object);
	ADD_TEST(s, test_valid_string_is_not_a_boolean);
	ADD_TEST(s, test_valid_missing_required_field);
	ADD_TEST(s, test_valid_rejects_non_v4_uuid);
	ADD_TEST(s, test_valid_enum_message_lists_choices);
	ADD_TEST(s, test_valid_unknown_field_is_refused);
	ADD_TEST(s, test_valid_string_too_long);
	ADD_TEST(s, test_valid_body_must_be_object);
	ADD_TEST(s, test_valid_query_bool_only_exact_words);
	ADD_TEST(s, test_valid_query_decodes_percent_and_plus);
	ADD_TEST(s, test_valid_query_rejects_bad_escape_and_repeats);
	ADD_TEST(s, test_valid_email_shapes);
	ADD_TEST(s, test_valid_date_is_a_calendar_day);
}
