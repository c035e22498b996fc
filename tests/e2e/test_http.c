/*
 * test_http.c: the foundation end to end, through the real nginx (started
 * from conf/nginx/partnerd.conf) to the real worker and database.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"

static void
test_http_ping_through_nginx(void)
{
	struct http	 h;
	char		 ct[128];

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/server/ping", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(h.body, "{\"res\":\"pong\"}");
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "Content-Type", ct, sizeof(ct)));
	CU_ASSERT_PTR_NOT_NULL(strstr(ct, "application/json"));
	http_free(&h);
}

static void
test_http_version_is_3_1_0(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/server/version", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(h.body, "{\"major\":3,\"minor\":1,\"patch\":0}");
	http_free(&h);
}

static void
test_http_every_response_has_correlation_id(void)
{
	struct http	 h;
	char		 cid[128];

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/nope", NULL, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "X-Correlation-ID", cid, sizeof(cid)));
	CU_ASSERT_EQUAL(strlen(cid), 32);	/* nginx's $request_id */
	http_free(&h);
}

static void
test_http_unknown_route_is_404_json(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/no/such/route", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 404);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Cannot GET /api/no/such/route");
	CU_ASSERT_EQUAL(json_object_object_length(h.json), 1);
	http_free(&h);
}

/* Outside /api/ the web app answers: its index for any path it routes
 * itself, never a file of the host. */
static void
test_http_outside_api_is_the_web_app(void)
{
	struct http	 h;
	char		 cc[128];

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/etc/passwd", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_PTR_NOT_NULL(h.body != NULL ? strstr(h.body, "<div id=\"app\">") : NULL);
	CU_ASSERT_PTR_NULL(h.body != NULL ? strstr(h.body, "root:") : NULL);
	CU_ASSERT_STRING_EQUAL(http_header(&h, "Cache-Control", cc, sizeof(cc)) ? cc : "", "no-cache");
	http_free(&h);
}

/* The app's hashed files are kept a year and sent compressed. */
static void
test_http_app_assets_are_immutable_and_compressed(void)
{
	static const char *const gz[] = { "Accept-Encoding: gzip", NULL };
	struct http	 h;
	char		 path[128], v[128];
	const char	*src, *end;

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/index.html", NULL, NULL), 0);
	src = h.body != NULL ? strstr(h.body, "src=\"/assets/") : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	src += strlen("src=\"");
	end = strchr(src, '"');
	CU_ASSERT_FATAL(end != NULL && (size_t)(end - src) < sizeof(path));
	snprintf(path, sizeof(path), "%.*s", (int)(end - src), src);
	http_free(&h);
	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", path, NULL, gz), 0);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(http_header(&h, "Cache-Control", v, sizeof(v)) ? v : "",
	    "public, max-age=31536000, immutable");
	CU_ASSERT_STRING_EQUAL(http_header(&h, "Content-Encoding", v, sizeof(v)) ? v : "", "gzip");
	http_free(&h);
}

/* The web app reads the server's configuration before anyone signs in:
 * Immich's fields, and the map tiles (none configured in the test stack). */
static void
test_http_server_config_is_public(void)
{
	struct http	 h;
	struct json_object	*v;

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/server/config", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "isInitialized", &v) &&
	    json_object_is_type(v, json_type_boolean));
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "mapLightStyleUrl", &v) &&
	    json_object_is_type(v, json_type_string));
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "mapTileUrl", &v) &&
	    strcmp(json_object_get_string(v), "") == 0);
	http_free(&h);
}

/* A missing file of the app's, and /api itself, are JSON 404s. */
static void
test_http_missing_asset_is_404_json(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/assets/no-such-file.js", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 404);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not Found");
	http_free(&h);
	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 404);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not Found");
	http_free(&h);
}

static void
test_http_wrong_method_is_405(void)
{
	struct http	 h;
	char		 allow[64];

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "PUT", "/api/server/ping", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 405);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Method Not Allowed");
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "Allow", allow, sizeof(allow)));
	CU_ASSERT_STRING_EQUAL(allow, "GET");
	http_free(&h);
}

static void
test_http_malformed_json_is_400(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/server/ping", "{\"x\": tru", NULL), 0);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Malformed JSON body");
	http_free(&h);
}

static void
test_http_oversize_json_is_413(void)
{
	struct http	 h;
	size_t		 n = 2u << 20;	/* 2 MiB, over the 1 MiB default */
	char		*body = malloc(n + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	memset(body, ' ', n);
	body[0] = '[';
	body[n - 1] = ']';
	body[n] = '\0';
	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/server/ping", body, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 413);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Payload Too Large");
	http_free(&h);
	free(body);
}

static void
test_http_worker_keeps_serving_after_errors(void)
{
	struct http	 h;
	int		 i, ok = 0;

	for (i = 0; i < 50; i++) {
		http_do(&h, "GET", "/api/server/ping", "{{{", NULL);
		http_free(&h);
		http_do(&h, "GET", "/api/server/ping", NULL, NULL);
		ok += h.status == 200;
		http_free(&h);
	}
	CU_ASSERT_EQUAL(ok, 50);
}

static void
test_http_nginx_502_is_json_when_worker_down(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(stack_ctl("worker-stop"), 0);
	CU_ASSERT_EQUAL(http_do(&h, "GET", "/api/server/ping", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 502);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "partnerd is not running");
	http_free(&h);
	CU_ASSERT_EQUAL_FATAL(stack_ctl("worker-start"), 0);
	CU_ASSERT_EQUAL(http_do(&h, "GET", "/api/server/ping", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
}

static void
test_http_protected_route_needs_credentials(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "GET", "/api/server/about", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 401);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Authentication required");
	http_free(&h);
}

/*
 * Thousands of requests of every kind through the real worker: with
 * --enable-sanitizers or under 'make valgrind' the log checks after the run
 * prove the loop clean; here every answer must also be the right one.
 */
static void
test_http_soak_thousands_of_mixed_requests(void)
{
	static const struct {
		const char	*method, *path, *body;
		long		 status;
	} mix[] = {
		{ "GET", "/api/server/ping", NULL, 200 },
		{ "GET", "/api/server/version", NULL, 200 },
		{ "GET", "/api/server/ping?x=%zz", NULL, 400 },
		{ "GET", "/api/missing", NULL, 404 },
		{ "PATCH", "/api/server/version", NULL, 405 },
		{ "GET", "/api/server/ping", "[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]", 400 },
		{ "GET", "/api/server/about", NULL, 401 },
	};
	struct http	 h;
	size_t		 i, n = sizeof(mix) / sizeof(mix[0]), wrong = 0;
	const char	*env = getenv("PARTNERD_SOAK");
	size_t		 rounds = env ? strtoul(env, NULL, 10) : 3000;

	for (i = 0; i < rounds; i++) {
		if (http_do(&h, mix[i % n].method, mix[i % n].path, mix[i % n].body,
		    NULL) != 0 || h.status != mix[i % n].status || h.json == NULL)
			wrong++;
		http_free(&h);
	}
	CU_ASSERT_EQUAL(wrong, 0);
}

void
suite_http(void)
{
	CU_pSuite s = CU_add_suite("e2e: foundation through nginx", NULL, NULL);

	ADD_TEST(s, test_http_ping_through_nginx);
	ADD_TEST(s, test_http_version_is_3_1_0);
	ADD_TEST(s, test_http_every_response_has_correlation_id);
	ADD_TEST(s, test_http_unknown_route_is_404_json);
	ADD_TEST(s, test_http_outside_api_is_the_web_app);
	ADD_TEST(s, test_http_missing_asset_is_404_json);
	ADD_TEST(s, test_http_server_config_is_public);
	ADD_TEST(s, test_http_app_assets_are_immutable_and_compressed);
	ADD_TEST(s, test_http_wrong_method_is_405);
	ADD_TEST(s, test_http_malformed_json_is_400);
	ADD_TEST(s, test_http_oversize_json_is_413);
	ADD_TEST(s, test_http_worker_keeps_serving_after_errors);
	ADD_TEST(s, test_http_nginx_502_is_json_when_worker_down);
	ADD_TEST(s, test_http_protected_route_needs_credentials);
	ADD_TEST(s, test_http_soak_thousands_of_mixed_requests);
}
