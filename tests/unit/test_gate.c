/* test_gate.c: the gate in-process, with no web server and no database. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"
#include "slots.h"

static void
run(const char *method, const char *uri, const char *ctype, const char *body,
    struct resp *resp)
{
	char		 len[32];
	struct fake_req	 f;

	memset(&f, 0, sizeof(f));
	memset(resp, 0, sizeof(*resp));
	snprintf(len, sizeof(len), "%zu", body ? strlen(body) : (size_t)0);
	f.params[0] = "REQUEST_METHOD";
	f.params[1] = method;
	f.params[2] = "REQUEST_URI";
	f.params[3] = uri;
	f.params[4] = "CONTENT_LENGTH";
	f.params[5] = len;
	f.params[6] = ctype ? "CONTENT_TYPE" : NULL;
	f.params[7] = ctype;
	f.body = body;
	fake_run(&f, resp, NULL);
}

static const char *
message(const struct resp *r, char *buf, size_t sz)
{
	struct json_object	*o = resp_body_json(r), *m;

	buf[0] = '\0';
	if (o != NULL && json_object_object_get_ex(o, "message", &m))
		snprintf(buf, sz, "%s", json_object_get_string(m));
	json_object_put(o);
	return buf;
}

static void
test_gate_ping_answers_pong(void)
{
	struct resp	 r;

	run("GET", "/api/server/ping", NULL, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(r.body.data, "{\"res\":\"pong\"}");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.headers.data, "X-Correlation-ID: "));
	resp_free(&r);
}

static void
test_gate_version_is_immich_api_level(void)
{
	struct resp	 r;

	run("GET", "/api/server/version", NULL, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(r.body.data, "{\"major\":3,\"minor\":1,\"patch\":0}");
	resp_free(&r);
}

static void
test_gate_unknown_route_is_404_json(void)
{
	struct resp	 r;
	char		 m[256];

	run("GET", "/api/nothing/here?x=1", NULL, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT_STRING_EQUAL(message(&r, m, sizeof(m)), "Cannot GET /api/nothing/here");
	resp_free(&r);
}

static void
test_gate_wrong_method_is_405_with_allow(void)
{
	struct resp	 r;

	run("DELETE", "/api/server/ping", NULL, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 405);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.headers.data, "Allow: GET\r\n"));
	resp_free(&r);
}

static void
test_gate_malformed_json_is_400(void)
{
	struct resp	 r;
	char		 m[256];

	run("POST", "/api/server/ping", "application/json", "{\"a\":", &r);
	CU_ASSERT_EQUAL(r.status, 405);	/* method comes before the body */
	resp_free(&r);
	run("GET", "/api/server/ping", "application/json", "{\"a\":", &r);
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_STRING_EQUAL(message(&r, m, sizeof(m)), "Malformed JSON body");
	resp_free(&r);
}

static void
test_gate_trailing_garbage_is_400(void)
{
	struct resp	 r;

	run("GET", "/api/server/ping", "application/json", "{} x", &r);
	CU_ASSERT_EQUAL(r.status, 400);
	resp_free(&r);
}

static void
test_gate_deep_json_is_400(void)
{
	struct resp	 r;
	char		 body[201], m[256];

	memset(body, '[', 100);
	memset(body + 100, ']', 100);
	body[200] = '\0';
	run("GET", "/api/server/ping", "application/json", body, &r);
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_STRING_EQUAL(message(&r, m, sizeof(m)), "JSON body is nested too deeply");
	resp_free(&r);
}

static void
test_gate_oversize_body_is_413(void)
{
	struct resp	 r;
	char		 body[2048];

	/* fake_run caps JSON bodies at 1024 bytes */
	memset(body, ' ', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	body[0] = '{';
	body[sizeof(body) - 2] = '}';
	run("GET", "/api/server/ping", "application/json", body, &r);
	CU_ASSERT_EQUAL(r.status, 413);
	resp_free(&r);
}

static void
test_gate_protected_route_without_credential_is_401(void)
{
	struct resp	 r;
	char		 m[256];

	run("GET", "/api/server/about", NULL, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT_STRING_EQUAL(message(&r, m, sizeof(m)), "Authentication required");
	resp_free(&r);
}

static void
test_gate_head_has_no_body(void)
{
	struct resp	 r;

	run("HEAD", "/api/server/ping", NULL, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(r.body.len, 0);
	resp_free(&r);
}

static void
test_gate_bad_content_length_is_400(void)
{
	struct resp	 r;
	struct fake_req	 f;

	memset(&f, 0, sizeof(f));
	memset(&r, 0, sizeof(r));
	f.params[0] = "REQUEST_METHOD";
	f.params[1] = "GET";
	f.params[2] = "REQUEST_URI";
	f.params[3] = "/api/server/ping";
	f.params[4] = "CONTENT_LENGTH";
	f.params[5] = "-5";
	fake_run(&f, &r, NULL);
	CU_ASSERT_EQUAL(r.status, 400);
	resp_free(&r);
}

static void
test_gate_every_route_is_reachable(void)
{
	size_t	 i, j;

	/* No two routes share method and pattern; every pattern is under /api. */
	for (i = 0; i < nroutes; i++) {
		CU_ASSERT_EQUAL(strncmp(routes[i].pattern, "/api/", 5), 0);
		CU_ASSERT_PTR_NOT_NULL(routes[i].handler);
		for (j = i + 1; j < nroutes; j++)
			CU_ASSERT_FALSE(routes[i].method == routes[j].method &&
			    strcmp(routes[i].pattern, routes[j].pattern) == 0);
	}
}

/* Argon2 costs 64 MiB: with every hash slot taken a login is 503 at once,
 * whatever URL spelling reached it, and the slot is given back after. */
static void
test_gate_login_over_hash_slots_is_503(void)
{
	static const char	 body[] = "{\"email\":\"a@example.com\",\"password\":\"x\"}";
	struct conf		 c;
	struct limits		*l;
	struct fake_req		 f;
	struct resp		 r;
	char			 len[32], buf[128];

	conf_defaults(&c);
	c.max_password_hashes = 1;
	CU_ASSERT_PTR_NOT_NULL_FATAL(l = limits_new(&c));
	CU_ASSERT_EQUAL(limits_hash_enter(l), 0);	/* another thread's hash */
	memset(&f, 0, sizeof(f));
	memset(&r, 0, sizeof(r));
	snprintf(len, sizeof(len), "%zu", strlen(body));
	f.params[0] = "REQUEST_METHOD";
	f.params[1] = "POST";
	f.params[2] = "REQUEST_URI";
	f.params[3] = "/api/auth/login/";
	f.params[4] = "CONTENT_LENGTH";
	f.params[5] = len;
	f.params[6] = "CONTENT_TYPE";
	f.params[7] = "application/json";
	f.body = body;
	fake_run_limits(&f, &r, NULL, l);
	CU_ASSERT_EQUAL(r.status, 503);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.headers.data, "Retry-After:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(message(&r, buf, sizeof(buf)), "Too many sign-ins"));
	limits_hash_leave(l);
	CU_ASSERT_EQUAL(limits_hash_enter(l), 0);	/* the refused one held none */
	limits_hash_leave(l);
	resp_free(&r);
	limits_free(l);
	conf_free(&c);
}

/* Upload slots: per user, then in all; a slot given back is free again. */
static void
test_gate_upload_slots_per_user(void)
{
	struct conf	 c;
	struct limits	*l;

	conf_defaults(&c);
	c.max_uploads = 3;
	c.max_uploads_per_user = 2;
	CU_ASSERT_PTR_NOT_NULL_FATAL(l = limits_new(&c));
	CU_ASSERT_EQUAL(limits_upload_enter(l, "u1"), 0);
	CU_ASSERT_EQUAL(limits_upload_enter(l, "u1"), 0);
	CU_ASSERT_EQUAL(limits_upload_enter(l, "u1"), -1);
	CU_ASSERT_EQUAL(limits_upload_enter(l, "u2"), 0);
	CU_ASSERT_EQUAL(limits_upload_enter(l, "u3"), -1);	/* all three taken */
	limits_upload_leave(l, "u1");
	CU_ASSERT_EQUAL(limits_upload_enter(l, "u3"), 0);
	limits_free(l);
	conf_free(&c);
}

void
suite_gate(void)
{
	CU_pSuite s = CU_add_suite("unit: gate", NULL, NULL);

	ADD_TEST(s, test_gate_ping_answers_pong);
	ADD_TEST(s, test_gate_version_is_immich_api_level);
	ADD_TEST(s, test_gate_unknown_route_is_404_json);
	ADD_TEST(s, test_gate_wrong_method_is_405_with_allow);
	ADD_TEST(s, test_gate_malformed_json_is_400);
	ADD_TEST(s, test_gate_trailing_garbage_is_400);
	ADD_TEST(s, test_gate_deep_json_is_400);
	ADD_TEST(s, test_gate_oversize_body_is_413);
	ADD_TEST(s, test_gate_protected_route_without_credential_is_401);
	ADD_TEST(s, test_gate_head_has_no_body);
	ADD_TEST(s, test_gate_bad_content_length_is_400);
	ADD_TEST(s, test_gate_every_route_is_reachable);
	ADD_TEST(s, test_gate_login_over_hash_slots_is_503);
	ADD_TEST(s, test_gate_upload_slots_per_user);
}
