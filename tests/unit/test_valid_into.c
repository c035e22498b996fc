/*
 * test_valid_into.c: the walker writes each accepted field's typed value
 * into the route's input struct (valid.h): every type, absent against null
 * against present, and wrong types refused with Immich's issue.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "harness.h"
#include "partnerd.h"
#include "access.h"
#include "valid.h"

static const char *const orders[] = { "asc", "desc", NULL };

static int
always_x(const char *s)
{
	return s[0] == 'x';
}

struct in_all {
	const char	*str;
	int		 str_set, str_null;
	int		 flag, flag_set;
	int64_t		 count;
	int		 count_set;
	double		 lat;
	int		 order;
	struct vuuids	 ids;
	struct venums	 orders;
	struct vdate	 when, day;
	const char	*code;
};

static const struct vfield spec_all[] = {
	{ .name = "str", .type = VT_STRING, .max = 10, .nullable = 1,
	    VF_AT(struct in_all, str), VF_SET(struct in_all, str_set),
	    VF_NULL(struct in_all, str_null) },
	{ .name = "flag", .type = VT_BOOL, .nullable = 1, VF_AT(struct in_all, flag),
	    VF_SET(struct in_all, flag_set) },
	{ .name = "count", .type = VT_INT, .min = 1, .max = 9,
	    VF_AT(struct in_all, count), VF_SET(struct in_all, count_set) },
	{ .name = "lat", .type = VT_NUMBER, .range = 1, .lo = -90, .hi = 90,
	    .range_msg = "lat out of range", VF_AT(struct in_all, lat) },
	{ .name = "order", .type = VT_ENUM, .choices = orders, VF_AT(struct in_all, order) },
	{ .name = "ids", .type = VT_UUID_ARRAY, .max = 3, VF_AT(struct in_all, ids) },
	{ .name = "orders", .type = VT_ENUM_ARRAY, .choices = orders,
	    VF_AT(struct in_all, orders) },
	{ .name = "when", .type = VT_DATE, .max = 64, VF_AT(struct in_all, when) },
	{ .name = "day", .type = VT_DATE, .max = 64, .day_ok = 1, VF_AT(struct in_all, day) },
	{ .name = "code", .type = VT_STRING, .check = always_x,
	    .check_msg = "code must start with x", VF_AT(struct in_all, code) },
	VF_END(struct in_all),
};

/* Walk json into *in (filled with 0x55 first: every field must be written). */
static int
walk(struct ctx *ctx, struct json_object **o, const char *json, struct in_all *in)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(in, 0x55, sizeof(*in));
	in->str_set = in->str_null = in->flag_set = in->count_set = 0;
	*o = json_tokener_parse(json);
	return valid_into(ctx, spec_all, *o, 0, in);
}

static void
finish(struct ctx *ctx, struct json_object *o)
{
	if (ctx->errors != NULL)
		json_object_put(ctx->errors);
	ctx_mem_free(ctx);
	json_object_put(o);
}

static const char *
issue(struct ctx *ctx, const char *key)
{
	struct json_object	*i, *v;

	if (ctx->errors == NULL || json_object_array_length(ctx->errors) == 0)
		return "";
	i = json_object_array_get_idx(ctx->errors, 0);
	if (strcmp(key, "path") == 0) {
		v = json_object_array_get_idx(json_object_object_get(i, "path"), 0);
		return v ? json_object_get_string(v) : "";
	}
	return json_object_get_string(json_object_object_get(i, key));
}

static void
test_into_absent_fields_are_unset(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{}", &in), PERR_NONE);
	CU_ASSERT_PTR_NULL(in.str);
	CU_ASSERT_EQUAL(in.str_set, 0);
	CU_ASSERT_EQUAL(in.flag, VB_UNSET);
	CU_ASSERT_EQUAL(in.count, 0);
	CU_ASSERT_EQUAL(in.count_set, 0);
	CU_ASSERT_EQUAL(in.order, VE_UNSET);
	CU_ASSERT_EQUAL(in.ids.n, 0);
	CU_ASSERT_EQUAL(in.orders.n, 0);
	CU_ASSERT_PTR_NULL(in.when.s);
	CU_ASSERT_PTR_NULL(in.code);
	finish(&ctx, o);
}

static void
test_into_null_is_present_but_unset(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"str\":null,\"flag\":null}", &in), PERR_NONE);
	CU_ASSERT_PTR_NULL(in.str);
	CU_ASSERT_EQUAL(in.str_set, 1);
	CU_ASSERT_EQUAL(in.str_null, 1);
	CU_ASSERT_EQUAL(in.flag, VB_UNSET);
	CU_ASSERT_EQUAL(in.flag_set, 1);
	finish(&ctx, o);
}

static void
test_into_null_refused_where_not_nullable(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"count\":null}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"),
	    "Invalid input: expected number, received null");
	CU_ASSERT_EQUAL(in.count_set, 0);
	finish(&ctx, o);
}

static void
test_into_string_and_bool_present(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"str\":\"abc\",\"flag\":false}", &in), PERR_NONE);
	CU_ASSERT_STRING_EQUAL(in.str, "abc");
	CU_ASSERT_EQUAL(in.str_set, 1);
	CU_ASSERT_EQUAL(in.str_null, 0);
	CU_ASSERT_EQUAL(in.flag, 0);
	finish(&ctx, o);
}

static void
test_into_int_value_and_bounds(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"count\":7}", &in), PERR_NONE);
	CU_ASSERT_EQUAL(in.count, 7);
	CU_ASSERT_EQUAL(in.count_set, 1);
	finish(&ctx, o);
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"count\":0}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"), "Too small: expected number to be >=1");
	finish(&ctx, o);
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"count\":10}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"), "Too big: expected number to be <=9");
	finish(&ctx, o);
}

static void
test_into_wrong_type_is_refused(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"count\":\"7\"}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"),
	    "Invalid input: expected number, received string");
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "path"), "count");
	CU_ASSERT_EQUAL(in.count_set, 0);
	finish(&ctx, o);
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"ids\":\"x\"}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"),
	    "Invalid input: expected array, received string");
	finish(&ctx, o);
}

static void
test_into_number_range(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"lat\":-45.5}", &in), PERR_NONE);
	CU_ASSERT_DOUBLE_EQUAL(in.lat, -45.5, 1e-9);
	finish(&ctx, o);
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"lat\":90.5}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"), "lat out of range");
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "path"), "lat");
	finish(&ctx, o);
}

static void
test_into_enum_is_its_index(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"order\":\"desc\",\"orders\":[\"desc\",\"asc\"]}",
	    &in), PERR_NONE);
	CU_ASSERT_EQUAL(in.order, 1);
	CU_ASSERT_EQUAL_FATAL(in.orders.n, 2);
	CU_ASSERT_EQUAL(in.orders.v[0], 1);
	CU_ASSERT_EQUAL(in.orders.v[1], 0);
	finish(&ctx, o);
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"order\":\"up\"}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"),
	    "Invalid option: expected one of \"asc\"|\"desc\"");
	finish(&ctx, o);
}

static void
test_into_uuid_array_is_counted_and_lower_case(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"ids\":[\"AAAAAAAA-0000-4000-A000-000000000001\","
	    "\"bbbbbbbb-0000-4000-a000-000000000002\"]}", &in), PERR_NONE);
	CU_ASSERT_EQUAL_FATAL(in.ids.n, 2);
	CU_ASSERT_STRING_EQUAL(in.ids.v[0], "aaaaaaaa-0000-4000-a000-000000000001");
	CU_ASSERT_STRING_EQUAL(in.ids.v[1], "bbbbbbbb-0000-4000-a000-000000000002");
	CU_ASSERT_STRING_EQUAL(valid_uuids_json(&ctx, &in.ids),
	    "[\"aaaaaaaa-0000-4000-a000-000000000001\","
	    "\"bbbbbbbb-0000-4000-a000-000000000002\"]");
	finish(&ctx, o);
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"ids\":[\"nope\"]}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"), "Invalid UUID");
	finish(&ctx, o);
}

static void
test_into_date_parsed_once(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"when\":\"1970-01-01T01:00:00.000+01:00\","
	    "\"day\":\"1970-01-02\"}", &in), PERR_NONE);
	CU_ASSERT_STRING_EQUAL(in.when.s, "1970-01-01T01:00:00.000+01:00");
	CU_ASSERT_EQUAL(in.when.ms, 0);
	CU_ASSERT_EQUAL(in.when.offset_min, 60);
	CU_ASSERT_EQUAL(in.day.ms, 86400000LL);
	finish(&ctx, o);
	/* A day alone is a date-time only where the spec says so. */
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"when\":\"1970-01-02\"}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"), "Invalid ISO datetime");
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "code"), "invalid_format");
	finish(&ctx, o);
}

static void
test_into_check_hook_message(void)
{
	struct ctx		 ctx;
	struct json_object	*o;
	struct in_all		 in;

	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"code\":\"xyz\"}", &in), PERR_NONE);
	CU_ASSERT_STRING_EQUAL(in.code, "xyz");
	finish(&ctx, o);
	CU_ASSERT_EQUAL(walk(&ctx, &o, "{\"code\":\"abc\"}", &in), PERR_VALIDATION);
	CU_ASSERT_STRING_EQUAL(issue(&ctx, "message"), "code must start with x");
	finish(&ctx, o);
}

static void
test_into_query_mode_types_values(void)
{
	struct ctx		 ctx;
	struct json_object	*q;
	struct in_all		 in;

	memset(&ctx, 0, sizeof(ctx));
	q = valid_parse_query(&ctx, "count=3&flag=true&order=asc");
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(valid_into(&ctx, spec_all, q, 1, &in), PERR_NONE);
	CU_ASSERT_EQUAL(in.count, 3);
	CU_ASSERT_EQUAL(in.flag, 1);
	CU_ASSERT_EQUAL(in.order, 0);
	finish(&ctx, q);
}

/* Every route's spec places each field inside its struct, at its type's size. */
static int
spec_fits(const struct vfield *spec)
{
	size_t	 size = valid_spec_size(spec);

	for (; spec->name != NULL; spec++) {
		if (spec->size != valid_type_size(spec->type) ||
		    spec->off + spec->size > size ||
		    (spec->has_set && spec->set_off + sizeof(int) > size) ||
		    (spec->has_null && spec->null_off + sizeof(int) > size) ||
		    ((spec->type == VT_ENUM || spec->type == VT_ENUM_ARRAY) &&
		    spec->choices == NULL) ||
		    (spec->range && spec->range_msg == NULL) ||
		    (spec->check != NULL && spec->check_msg == NULL))
			return 0;
	}
	return size > 0;
}

static void
test_into_every_route_spec_fits_its_struct(void)
{
	size_t	 i;

	for (i = 0; i < nroutes; i++) {
		if (routes[i].body != NULL && !spec_fits(routes[i].body))
			CU_FAIL(routes[i].pattern);
		if (routes[i].query != NULL && !spec_fits(routes[i].query))
			CU_FAIL(routes[i].pattern);
	}
	CU_PASS("every spec checked");
}

/* Each body or query access requirement names a UUID field of its spec:
 * the gate reads the ids from the route's input struct. */
static void
test_into_every_access_field_is_a_uuid_field(void)
{
	const struct access_need	*n;
	size_t				 i;

	for (i = 0; i < nroutes; i++)
		for (n = routes[i].access; n != NULL && n->perm < PERM__MAX; n++)
			if (n->from != FROM_PATH &&
			    access_need_field(&routes[i], n) == NULL)
				CU_FAIL(routes[i].pattern);
	CU_PASS("every requirement checked");
}

/* A path read (access.h) is the route's first requirement, on the path's
 * id, unconditional, and one the read rule decides (its statements apply
 * asset.read): any other place would hand a handler a row the gate did
 * not decide. The four asset routes that read their asset declare one. */
static void
test_into_path_reads_are_first_and_read_rule(void)
{
	const struct access_need	*n;
	size_t				 i, found = 0;

	for (i = 0; i < nroutes; i++)
		for (n = routes[i].access; n != NULL && n->perm < PERM__MAX; n++) {
			if (n->read == AUTH_READ_NONE || n->read == AUTH_READ_MY_TIMELINE)
				continue;
			found++;
			CU_ASSERT_PTR_EQUAL(n, routes[i].access);
			CU_ASSERT_EQUAL(n->from, FROM_PATH);
			CU_ASSERT_PTR_NULL(n->when);
			CU_ASSERT(n->perm == PERM_ASSET_READ || n->perm == PERM_ASSET_VIEW ||
			    n->perm == PERM_ASSET_DOWNLOAD);
			CU_ASSERT_PTR_NOT_NULL(strstr(routes[i].pattern, "/:id"));
		}
	CU_ASSERT_EQUAL(found, 4);
}

/* The timeline read (access.h) reads my own timeline only: it is declared
 * on a timeline.read of the query's userId, whose absence means me, and
 * the months list alone declares it. */
static void
test_into_timeline_read_is_on_a_timeline_user(void)
{
	const struct access_need	*n;
	size_t				 i, found = 0;

	for (i = 0; i < nroutes; i++)
		for (n = routes[i].access; n != NULL && n->perm < PERM__MAX; n++) {
			if (n->read != AUTH_READ_MY_TIMELINE)
				continue;
			found++;
			CU_ASSERT_EQUAL(n->perm, PERM_TIMELINE_READ);
			CU_ASSERT_EQUAL(n->from, FROM_QUERY);
			CU_ASSERT_STRING_EQUAL(n->field, "userId");
			CU_ASSERT_PTR_NULL(n->when);
			CU_ASSERT_STRING_EQUAL(routes[i].pattern, "/api/timeline/buckets");
		}
	CU_ASSERT_EQUAL(found, 1);
}

void
suite_valid_into(void)
{
	CU_pSuite s = CU_add_suite("unit: validation into a typed struct", NULL, NULL);

	ADD_TEST(s, test_into_absent_fields_are_unset);
	ADD_TEST(s, test_into_null_is_present_but_unset);
	ADD_TEST(s, test_into_null_refused_where_not_nullable);
	ADD_TEST(s, test_into_string_and_bool_present);
	ADD_TEST(s, test_into_int_value_and_bounds);
	ADD_TEST(s, test_into_wrong_type_is_refused);
	ADD_TEST(s, test_into_number_range);
	ADD_TEST(s, test_into_enum_is_its_index);
	ADD_TEST(s, test_into_uuid_array_is_counted_and_lower_case);
	ADD_TEST(s, test_into_date_parsed_once);
	ADD_TEST(s, test_into_check_hook_message);
	ADD_TEST(s, test_into_query_mode_types_values);
	ADD_TEST(s, test_into_every_route_spec_fits_its_struct);
	ADD_TEST(s, test_into_every_access_field_is_a_uuid_field);
	ADD_TEST(s, test_into_path_reads_are_first_and_read_rule);
	ADD_TEST(s, test_into_timeline_read_is_on_a_timeline_user);
}
