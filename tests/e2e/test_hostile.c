/*
 * test_hostile.c: issue 12's hostile inputs end to end, through the real
 * nginx (and both Apache configurations where the web server decides) to the
 * worker. Each test sends one attack and asserts the status, a JSON body,
 * the worker still serving and nothing left behind.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <json-c/json.h>

#include "harness.h"
#include "valid.h"

#define PW		"hostile-pw-12"
#define SLOW_MAX	12

static char	*alice, *bob;
static char	 alice_id[37], bob_id[37], alice_email[128];
static const char *photos;
static int	 photo_next = 1;

static const char *
next_photo(char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s/f23_%04d.jpg", photos, photo_next++);
	return buf;
}

static int
hostile_init(void)
{
	char	 email[128];

	if ((alice = new_user_token("hostile-alice", PW, alice_email,
	    sizeof(alice_email), alice_id)) == NULL ||
	    (bob = new_user_token("hostile-bob", PW, email, sizeof(email), bob_id)) == NULL)
		return -1;
	return (photos = fixture_dir(23, 12)) == NULL ? -1 : 0;
}

static int
hostile_clean(void)
{
	free(alice);
	free(bob);
	return 0;
}

static double
now_s(void)
{
	struct timespec	 t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long
stray_files(void)
{
	char	 d[1024];

	snprintf(d, sizeof(d), "%s/media/tmp", test_env("PARTNERD_TEST_STATE"));
	return count_files(d);
}

/* The worker still answers, quickly. */
static int
still_serving(void)
{
	struct http	 h;
	long		 st;

	http_do(&h, "GET", "/api/server/ping", NULL, NULL);
	st = h.status;
	http_free(&h);
	return st == 200;
}

/* ---- raw connections: bodies that stop, bytes curl will not send -------- */

/* Connect to base ("http://127.0.0.1:PORT"); the socket or -1. */
static int
raw_connect(const char *base)
{
	struct sockaddr_in	 sa;
	const char		*p = strrchr(base, ':');
	int			 fd;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(p + 1));
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
raw_send(int fd, const char *s, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = send(fd, s, n, MSG_NOSIGNAL)) <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Wait up to ms for a response; its status (0 if none came), the body in
 * buf (NUL-terminated) and the header block in head when given.
 */
static long
raw_response(int fd, int ms, char *buf, size_t bufsz, char *head, size_t headsz)
{
	char		 r[16384];
	size_t		 len = 0;
	const char	*eoh, *cl;
	long		 status = 0;
	double		 end = now_s() + ms / 1000.0;
	struct pollfd	 p = { fd, POLLIN, 0 };
	ssize_t		 got;

	buf[0] = '\0';
	while (len < sizeof(r) - 1) {
		int left = (int)((end - now_s()) * 1000);

		if (left <= 0 || poll(&p, 1, left) != 1)
			break;
		if ((got = recv(fd, r + len, sizeof(r) - 1 - len, 0)) <= 0)
			break;
		len += (size_t)got;
		r[len] = '\0';
		if ((eoh = strstr(r, "\r\n\r\n")) != NULL &&
		    (cl = strcasestr(r, "\r\nContent-Length:")) != NULL && cl < eoh &&
		    len >= (size_t)(eoh + 4 - r) + strtoul(cl + 17, NULL, 10))
			break;
	}
	r[len] = '\0';
	if (sscanf(r, "HTTP/1.%*d %ld", &status) != 1)
		return 0;
	if ((eoh = strstr(r, "\r\n\r\n")) != NULL) {
		snprintf(buf, bufsz, "%s", eoh + 4);
		if (head != NULL)
			snprintf(head, headsz, "%.*s", (int)(eoh - r), r);
	}
	return status;
}

/* Is s a JSON object with a string "message"? */
static int
json_message(const char *s, const char *want)
{
	struct json_object	*o = json_tokener_parse(s), *m;
	int			 ok;

	ok = o != NULL && json_object_object_get_ex(o, "message", &m) &&
	    json_object_is_type(m, json_type_string) &&
	    (want == NULL || strstr(json_object_get_string(m), want) != NULL);
	if (o != NULL)
		json_object_put(o);
	return ok;
}

/*
 * Start an upload as token that declares declared bytes and sends only the
 * request head and first_part (a complete or partial part); the socket.
 */
static int
upload_open(const char *base, const char *token, unsigned long declared,
    const char *first_part, size_t first_len)
{
	char	 head[1024];
	int	 fd, n;

	if ((fd = raw_connect(base)) < 0)
		return -1;
	n = snprintf(head, sizeof(head),
	    "POST /api/assets HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
	    "Content-Type: multipart/form-data; boundary=XyZ\r\n"
	    "Content-Length: %lu\r\nConnection: close\r\n\r\n",
	    strrchr(base, '/') + 1, token, declared);
	if (raw_send(fd, head, (size_t)n) != 0 ||
	    raw_send(fd, first_part, first_len) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static const char first_date[] =
    "--XyZ\r\nContent-Disposition: form-data; name=\"fileCreatedAt\"\r\n\r\n"
    "2023-01-01T00:00:00.000Z\r\n";

static int
slow_upload_open(const char *token)
{
	return upload_open(test_env("PARTNERD_TEST_URL"), token, 1UL << 20,
	    first_date, sizeof(first_date) - 1);
}

/* An upload that must be refused with 400 and message, keeping nothing. */
static void
upload_refused(const char *name, const char *const *fields, const char *message)
{
	char		 photo[1024], sql[256];
	struct http	 h;
	size_t		 i;

	http_upload(&h, alice, next_photo(photo, sizeof(photo)), name, fields, NULL);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), message);
	http_free(&h);
	/* LIKE with '_' for the bytes that are not ASCII: the SQL stays UTF-8. */
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.assets WHERE "
	    "original_file_name LIKE '%s'", name);
	for (i = 0; sql[i] != '\0'; i++)
		if ((unsigned char)sql[i] >= 0x80)
			sql[i] = '_';
	CU_ASSERT_EQUAL(db_count(sql), 0);
	CU_ASSERT_EQUAL(stray_files(), 0);
	CU_ASSERT(still_serving());
}

/* ---- 7: cross-site requests with the cookie ---------------------------- */

/* POST /api/partners/:bob as alice's cookie with extra headers; the status. */
static long
cookie_share(const char *h1, const char *h2, struct http *h)
{
	char		 cookie[512], path[128];
	const char	*hl[5] = { cookie, "Content-Type: application/x-www-form-urlencoded",
			    h1, h2, NULL };

	snprintf(cookie, sizeof(cookie), "Cookie: immich_access_token=%s", alice);
	snprintf(path, sizeof(path), "/api/partners/%s", bob_id);
	http_do(h, "POST", path, "", hl);
	return h->status;
}

static long
partner_rows(void)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.partners WHERE "
	    "shared_by_id = '%s' AND shared_with_id = '%s'", alice_id, bob_id);
	return db_count(sql);
}

static void
unshare(void)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/partners/%s", bob_id);
	api_status(alice, "DELETE", path, NULL);
}

static void
test_hostile_cookie_post_from_foreign_origin_is_403(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(cookie_share("Origin: http://evil.example", NULL, &h), 403);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Cross-site request refused");
	http_free(&h);
	CU_ASSERT_EQUAL(partner_rows(), 0);
	CU_ASSERT(still_serving());
}

static void
test_hostile_cookie_post_from_sibling_subdomain_is_403(void)
{
	struct http	 h;
	char		 origin[256];

	/* Same site, other origin: SameSite=Lax lets this cookie through. */
	snprintf(origin, sizeof(origin), "Origin: http://evil.%s",
	    strstr(test_env("PARTNERD_TEST_URL"), "//") + 2);
	CU_ASSERT_EQUAL(cookie_share(origin, NULL, &h), 403);
	http_free(&h);
	CU_ASSERT_EQUAL(partner_rows(), 0);
}

static void
test_hostile_cookie_logout_from_foreign_origin_is_403(void)
{
	struct http	 h;
	char		 cookie[512];
	const char	*hl[3] = { cookie, "Origin: http://evil.example", NULL };

	snprintf(cookie, sizeof(cookie), "Cookie: immich_access_token=%s", alice);
	http_do(&h, "POST", "/api/auth/logout", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 403);
	http_free(&h);
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/users/me", NULL), 200);
}

static void
test_hostile_cookie_post_without_origin_needs_same_origin_fetch(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(cookie_share("Sec-Fetch-Site: same-site", NULL, &h), 403);
	http_free(&h);
	CU_ASSERT_EQUAL(cookie_share(NULL, NULL, &h), 403);
	http_free(&h);
	CU_ASSERT_EQUAL(partner_rows(), 0);
	CU_ASSERT_EQUAL(cookie_share("Sec-Fetch-Site: same-origin", NULL, &h), 201);
	http_free(&h);
	unshare();
}

static void
test_hostile_cookie_post_from_own_origin_passes(void)
{
	struct http	 h;
	char		 origin[256];

	snprintf(origin, sizeof(origin), "Origin: %s", test_env("PARTNERD_TEST_URL"));
	CU_ASSERT_EQUAL(cookie_share(origin, NULL, &h), 201);
	http_free(&h);
	CU_ASSERT_EQUAL(partner_rows(), 1);
	unshare();
}

static void
test_hostile_bearer_token_ignores_origin(void)
{
	struct http	 h;
	char		 auth[512], path[128];
	const char	*hl[3] = { bearer(auth, sizeof(auth), alice),
			    "Origin: http://evil.example", NULL };

	snprintf(path, sizeof(path), "/api/partners/%s", bob_id);
	http_do(&h, "POST", path, NULL, hl);
	CU_ASSERT_EQUAL(h.status, 201);
	http_free(&h);
	unshare();
}

/* ---- 5: password and email need the current password ----------------- */

static void
test_hostile_api_key_cannot_set_password(void)
{
	char		 email[128], id[37], hdr[512], *tok, *key;
	const char	*hl[2] = { hdr, NULL };
	struct http	 h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tok = new_user_token("h-key", PW, email, sizeof(email), id));
	bearer(hdr, sizeof(hdr), tok);
	http_do(&h, "POST", "/api/api-keys", "{\"name\":\"narrow\",\"permissions\":[\"user.update\"]}", hl);
	CU_ASSERT_EQUAL_FATAL(h.status, 201);
	key = strdup(json_object_get_string(json_object_object_get(h.json, "secret")));
	secret_note(key);
	http_free(&h);
	snprintf(hdr, sizeof(hdr), "x-api-key: %s", key);
	http_do(&h, "PUT", "/api/users/me", "{\"password\":\"taken-over-123\"}", hl);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(http_message(&h), "change-password"));
	http_free(&h);
	http_do(&h, "PUT", "/api/users/me", "{\"email\":\"thief@example.com\"}", hl);
	CU_ASSERT_EQUAL(h.status, 400);
	http_free(&h);
	free(tok);
	CU_ASSERT_PTR_NOT_NULL(tok = login_token(email, PW));
	free(tok);
	free(key);
}

static void
test_hostile_email_change_with_current_password(void)
{
	char		 email[128], email2[128], id[37], hdr[512], body[512], *tok;
	const char	*hl[2] = { hdr, NULL };
	struct http	 h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tok = new_user_token("h-mail", PW, email, sizeof(email), id));
	bearer(hdr, sizeof(hdr), tok);
	unique_email("h-mail-new", email2, sizeof(email2));
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"currentPassword\":\"wrong-pw-1\"}", email2);
	http_do(&h, "PUT", "/api/users/me", body, hl);
	CU_ASSERT_EQUAL(h.status, 400);
	http_free(&h);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"currentPassword\":\"%s\"}", email2, PW);
	http_do(&h, "PUT", "/api/users/me", body, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
	free(tok);
}

static void
test_hostile_password_change_ends_other_sessions(void)
{
	char		 email[128], id[37], hdr[512], *t1, *t2, *key;
	const char	*hl[2] = { hdr, NULL };
	struct http	 h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t1 = new_user_token("h-pwc", PW, email, sizeof(email), id));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t2 = login_token(email, PW));
	bearer(hdr, sizeof(hdr), t1);
	http_do(&h, "POST", "/api/api-keys", "{\"name\":\"k\",\"permissions\":[\"all\"]}", hl);
	key = strdup(json_object_get_string(json_object_object_get(h.json, "secret")));
	secret_note(key);
	http_free(&h);
	http_do(&h, "POST", "/api/auth/change-password",
	    "{\"password\":\"" PW "\",\"newPassword\":\"a-new-password-1\"}", hl);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
	CU_ASSERT_EQUAL(api_status(t1, "GET", "/api/users/me", NULL), 200);
	CU_ASSERT_EQUAL(api_status(t2, "GET", "/api/users/me", NULL), 401);
	/* Nothing else goes: API keys are not sessions. */
	snprintf(hdr, sizeof(hdr), "x-api-key: %s", key);
	http_do(&h, "GET", "/api/users/me", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
	free(t1);
	free(t2);
	free(key);
}

static void
test_hostile_admin_password_reset_ends_sessions(void)
{
	char		 email[128], id[37], path[128], *tok;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tok = new_user_token("h-reset", PW, email, sizeof(email), id));
	snprintf(path, sizeof(path), "/api/admin/users/%s", id);
	CU_ASSERT_EQUAL(api_status(admin_token(), "PUT", path,
	    "{\"password\":\"reset-by-admin-1\"}"), 200);
	CU_ASSERT_EQUAL(api_status(tok, "GET", "/api/users/me", NULL), 401);
	CU_ASSERT_EQUAL(api_status(admin_token(), "GET", "/api/users/me", NULL), 200);
	free(tok);
}

/* ---- 1: multipart text parts ------------------------------------------- */

static void
test_hostile_upload_unknown_field_refused_as_it_arrives(void)
{
	static const char head[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"junk0001\"\r\n\r\n";
	char	*part, body[4096];
	size_t	 n = sizeof(head) - 1 + 32768;	/* nginx forwards a buffer's worth */
	int	 fd;

	part = malloc(n);
	memcpy(part, head, sizeof(head) - 1);
	memset(part + sizeof(head) - 1, 'x', 32768);
	fd = upload_open(test_env("PARTNERD_TEST_URL"), alice, 300UL << 20, part, n);
	free(part);
	CU_ASSERT_FATAL(fd >= 0);
	/* The answer comes before the other 300 MB. */
	CU_ASSERT_EQUAL(raw_response(fd, 2000, body, sizeof(body), NULL, 0), 400);
	CU_ASSERT(json_message(body, "Validation failed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "Unrecognized key"));
	close(fd);
	CU_ASSERT(still_serving());
	CU_ASSERT_EQUAL(stray_files(), 0);
}

static void
test_hostile_upload_text_fields_capped_as_they_arrive(void)
{
	static const char head[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n";
	char	*part, body[4096];
	size_t	 n = sizeof(head) - 1 + 40000;
	int	 fd;

	part = malloc(n);
	memcpy(part, head, sizeof(head) - 1);
	memset(part + sizeof(head) - 1, 'a', 40000);
	fd = upload_open(test_env("PARTNERD_TEST_URL"), alice, 300UL << 20, part, n);
	free(part);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(raw_response(fd, 2000, body, sizeof(body), NULL, 0), 413);
	CU_ASSERT(json_message(body, "too large"));
	close(fd);
	CU_ASSERT(still_serving());
}

static void
test_hostile_upload_part_count_bounded(void)
{
	const char	*f[24];
	int		 i;

	for (i = 0; i < 20; i++)
		f[i] = "sidecarData=x";
	f[i] = NULL;
	upload_refused("parts.jpg", f, "Too many multipart parts");
}

/* ---- 2: slow uploads --------------------------------------------------- */

static void
test_hostile_slow_uploads_leave_ping_and_timeline_answering(void)
{
	char		 body[4096], head[4096], email[128], id[37];
	char		*tok[5];
	int		 fd[SLOW_MAX], i, busy = 0;
	long		 st;
	double		 t;
	struct http	 h;

	for (i = 0; i < 5; i++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(tok[i] = new_user_token("h-slow", PW, email,
		    sizeof(email), id));
	/* Ten uploads (two each for five users) against eight threads. */
	for (i = 0; i < 10; i++)
		fd[i] = slow_upload_open(tok[i / 2]);
	/* Those over the limits are refused at once, with Retry-After. */
	for (i = 0; i < 10; i++) {
		if (fd[i] < 0)
			continue;
		st = raw_response(fd[i], 300, body, sizeof(body), head, sizeof(head));
		if (st == 503) {
			busy++;
			CU_ASSERT(json_message(body, NULL));
			CU_ASSERT_PTR_NOT_NULL(strcasestr(head, "Retry-After:"));
		} else
			CU_ASSERT_EQUAL(st, 0);	/* held, not answered */
	}
	CU_ASSERT(busy >= 2);
	t = now_s();
	CU_ASSERT(still_serving());
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/timeline/buckets", NULL), 200);
	http_do(&h, "GET", "/api/server/ping", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
	CU_ASSERT(now_s() - t < 2.0);
	for (i = 0; i < 10; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	sleep(1);	/* the worker sees the closed requests and frees the slots */
	for (i = 0; i < 5; i++)
		free(tok[i]);
	for (i = 0; i < 50 && stray_files() > 0; i++)
		usleep(100000);
	CU_ASSERT_EQUAL(stray_files(), 0);
}

static void
test_hostile_uploads_per_user_capped_with_retry_after(void)
{
	char	 body[4096], head[4096];
	int	 fd[3], i;

	for (i = 0; i < 3; i++) {
		fd[i] = slow_upload_open(bob);
		usleep(200000);	/* in this order at the worker */
	}
	CU_ASSERT_EQUAL(raw_response(fd[2], 1000, body, sizeof(body), head, sizeof(head)), 503);
	CU_ASSERT(json_message(body, "Too many uploads"));
	CU_ASSERT_PTR_NOT_NULL(strcasestr(head, "Retry-After:"));
	CU_ASSERT_EQUAL(raw_response(fd[0], 200, body, sizeof(body), NULL, 0), 0);
	for (i = 0; i < 3; i++)
		close(fd[i]);
	sleep(1);
	CU_ASSERT(still_serving());
}

static void
test_hostile_stalled_upload_times_out(void)
{
	char	 body[4096];
	int	 fd, i;

	/* The test stack's upload_idle_timeout is 3 s. */
	fd = slow_upload_open(bob);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(raw_response(fd, 8000, body, sizeof(body), NULL, 0), 408);
	CU_ASSERT(json_message(body, NULL));
	close(fd);
	for (i = 0; i < 50 && stray_files() > 0; i++)
		usleep(100000);
	CU_ASSERT_EQUAL(stray_files(), 0);
	CU_ASSERT(still_serving());
}

/* ---- 3: large bodies outside the upload location ------------------------- */

static long
big_album_post(const char *base)
{
	char	 req[512], body[4096];
	long	 st;
	int	 fd, n;

	if ((fd = raw_connect(base)) < 0)
		return -1;
	n = snprintf(req, sizeof(req), "POST /api/albums HTTP/1.1\r\nHost: %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: 300000000\r\n"
	    "Connection: close\r\n\r\n{\"albumName\":\"", strrchr(base, '/') + 1);
	raw_send(fd, req, (size_t)n);
	st = raw_response(fd, 3000, body, sizeof(body), NULL, 0);
	if (st != 413 || !json_message(body, NULL))
		st = -st;
	close(fd);
	return st;
}

static void
test_hostile_big_json_body_refused_by_nginx(void)
{
	CU_ASSERT_EQUAL(big_album_post(test_env("PARTNERD_TEST_URL")), 413);
	CU_ASSERT(still_serving());
}

static void
test_hostile_big_json_body_refused_by_apache(void)
{
	CU_ASSERT_EQUAL(big_album_post(test_env("PARTNERD_APACHE_PROXY_URL")), 413);
	CU_ASSERT_EQUAL(big_album_post(test_env("PARTNERD_APACHE_FCGID_URL")), 413);
}

/* ---- 8 and 9: bytes and numbers, chunked bodies ------------------------ */

static void
test_hostile_invalid_utf8_names_are_400(void)
{
	char		 path[128];
	struct http	 h;

	CU_ASSERT_EQUAL(api(alice, "POST", "/api/albums", "{\"albumName\":\"bad\xff\xfe\"}", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Validation failed");
	http_free(&h);
	CU_ASSERT_EQUAL(api_status(alice, "PUT", "/api/users/me", "{\"name\":\"\xc0\xaf\"}"), 400);
	CU_ASSERT_EQUAL(api_status(alice, "POST", "/api/api-keys",
	    "{\"name\":\"\xed\xa0\x80\",\"permissions\":[\"all\"]}"), 400);
	snprintf(path, sizeof(path), "%s", "/api/users/me");
	CU_ASSERT_EQUAL(api_status(alice, "GET", path, NULL), 200);
}

static void
test_hostile_invalid_utf8_upload_file_name_is_400(void)
{
	upload_refused("bad\xff.jpg", NULL, "Validation failed");
}

static void
test_hostile_upload_duration_out_of_range_is_400(void)
{
	const char	*f[2] = { "duration=99999999999999", NULL };

	upload_refused("long.jpg", f, "Validation failed");
}

static void
test_hostile_chunked_upload_is_accepted(void)
{
	const char	*hl[2] = { "Transfer-Encoding: chunked", NULL };
	char		 photo[1024];
	struct http	 h;

	http_upload(&h, alice, next_photo(photo, sizeof(photo)), "chunked.jpg", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 201);
	http_free(&h);
}

/* ---- 10: ids in any case are the same ids ------------------------------ */

static void
test_hostile_admin_cannot_demote_self_with_upper_case_id(void)
{
	struct http	 h;
	char		 path[128], id[37];
	size_t		 i;

	CU_ASSERT_EQUAL_FATAL(api(admin_token(), "GET", "/api/users/me", NULL, &h), 200);
	snprintf(id, sizeof(id), "%s", json_object_get_string(json_object_object_get(h.json, "id")));
	http_free(&h);
	for (i = 0; id[i] != '\0'; i++)
		id[i] = (char)toupper((unsigned char)id[i]);
	snprintf(path, sizeof(path), "/api/admin/users/%s", id);
	CU_ASSERT_EQUAL(api(admin_token(), "PUT", path, "{\"isAdmin\":false}", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Admin cannot remove admin status from self");
	http_free(&h);
	CU_ASSERT_EQUAL(api(admin_token(), "GET", "/api/users/me", NULL, &h), 200);
	CU_ASSERT(json_object_get_boolean(json_object_object_get(h.json, "isAdmin")));
	http_free(&h);
}

/* ---- 11: the smaller gaps ------------------------------------------------ */

static void
test_hostile_quota_must_be_a_non_negative_int64(void)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/admin/users/%s", bob_id);
	CU_ASSERT_EQUAL(api_status(admin_token(), "PUT", path, "{\"quotaSizeInBytes\":-1}"), 400);
	CU_ASSERT_EQUAL(api_status(admin_token(), "PUT", path,
	    "{\"quotaSizeInBytes\":100000000000000000000}"), 400);
	CU_ASSERT_EQUAL(api_status(admin_token(), "PUT", path, "{\"quotaSizeInBytes\":1073741824}"), 200);
}

static void
test_hostile_bulk_update_with_no_ids_still_validates(void)
{
	CU_ASSERT_EQUAL(api_status(alice, "PUT", "/api/assets",
	    "{\"ids\":[],\"dateTimeOriginal\":\"not a date\"}"), 400);
	CU_ASSERT_EQUAL(api_status(alice, "PUT", "/api/assets",
	    "{\"ids\":[],\"latitude\":200,\"longitude\":0}"), 400);
	CU_ASSERT_EQUAL(api_status(alice, "PUT", "/api/assets", "{\"ids\":[]}"), 204);
}

static void
test_hostile_time_bucket_must_be_a_real_date(void)
{
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/timeline/bucket?timeBucket=2021-02-30", NULL), 400);
	CU_ASSERT_EQUAL(api_status(alice, "GET",
	    "/api/timeline/bucket?timeBucket=2021-02-01T00:00:00.000Zjunk", NULL), 400);
	CU_ASSERT_EQUAL(api_status(alice, "GET",
	    "/api/timeline/bucket?timeBucket=2021-02-01T00:00:00.000Z", NULL), 200);
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/timeline/bucket?timeBucket=2024-02-29", NULL), 200);
}

static void
test_hostile_bbox_must_be_on_earth(void)
{
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/timeline/buckets?bbox=-200,0,10,10", NULL), 400);
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/timeline/buckets?bbox=0,-91,10,10", NULL), 400);
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/timeline/buckets?bbox=-180,-90,180,90", NULL), 200);
}

static void
test_hostile_null_is_reported_as_null(void)
{
	char		 path[128];
	struct http	 h;

	snprintf(path, sizeof(path), "/api/partners/%s", alice_id);
	api(bob, "PUT", path, "{\"inTimeline\":null}", &h);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, "received null"));
	http_free(&h);
}

static double
login_seconds(const char *email, const char *pw)
{
	char		 body[512];
	struct http	 h;
	double		 t = now_s();

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", email, pw);
	http_do(&h, "POST", "/api/auth/login", body, NULL);
	CU_ASSERT_EQUAL(h.status, 401);
	http_free(&h);
	return now_s() - t;
}

/*
 * A user without a password hash costs a password check all the same (no
 * timing tells which accounts have none). Each login's time is the least
 * of five, taken in turns: a busy machine slows single samples at random,
 * never the least of several.
 */
static void
test_hostile_login_without_password_hash_takes_as_long(void)
{
	char	 email[128], email2[128], id[37], id2[37], sql[256];
	double	 wrong = 1e9, none = 1e9, t;
	int	 i;

	unique_email("h-nohash", email, sizeof(email));
	unique_email("h-hash", email2, sizeof(email2));
	CU_ASSERT_EQUAL_FATAL(make_user(email, PW, id), 0);
	CU_ASSERT_EQUAL_FATAL(make_user(email2, PW, id2), 0);
	snprintf(sql, sizeof(sql), "UPDATE partnerd.users SET password_hash = '' WHERE id = '%s'", id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	for (i = 0; i < 5; i++) {
		if ((t = login_seconds(email2, "wrong-password-1")) < wrong)
			wrong = t;
		if ((t = login_seconds(email, "wrong-password-1")) < none)
			none = t;
	}
	CU_ASSERT(none > wrong / 2);
}

static void
test_hostile_thumbnail_is_revalidated_and_correlated(void)
{
	char		 photo[1024], id[37], path[128], v[256];
	char		 hdr[512];
	const char	*hl[2] = { bearer(hdr, sizeof(hdr), alice), NULL };
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, next_photo(photo, sizeof(photo)), id), 0);
	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail", id);
	http_do(&h, "GET", path, NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "Cache-Control", v, sizeof(v)));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, "no-cache"));
	CU_ASSERT_PTR_NULL(strstr(v, "max-age=86400"));
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "ETag", v, sizeof(v)));
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "X-Correlation-ID", v, sizeof(v)));
	http_free(&h);
}

static void
test_hostile_nginx_own_400_is_json(void)
{
	char	 req[12000], body[4096];
	int	 fd, n;

	CU_ASSERT_FATAL((fd = raw_connect(test_env("PARTNERD_TEST_URL"))) >= 0);
	n = snprintf(req, sizeof(req), "GET /api/server/ping HTTP/1.1\r\nHost: a\r\n"
	    "Host: b\r\nConnection: close\r\n\r\n");
	raw_send(fd, req, (size_t)n);
	CU_ASSERT_EQUAL(raw_response(fd, 2000, body, sizeof(body), NULL, 0), 400);
	CU_ASSERT(json_message(body, NULL));
	close(fd);
	/* A header line over nginx's buffers: 494 inside nginx, 400 out. */
	CU_ASSERT_FATAL((fd = raw_connect(test_env("PARTNERD_TEST_URL"))) >= 0);
	n = snprintf(req, sizeof(req), "GET /api/server/ping HTTP/1.1\r\nHost: a\r\nX-Big: ");
	memset(req + n, 'x', 10000);
	n += 10000;
	n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\nConnection: close\r\n\r\n");
	raw_send(fd, req, (size_t)n);
	CU_ASSERT_EQUAL(raw_response(fd, 2000, body, sizeof(body), NULL, 0), 400);
	CU_ASSERT(json_message(body, NULL));
	close(fd);
}

static void
test_hostile_apache_own_400_is_json(void)
{
	static const char req[] = "GET /api/server/ping HTTP/1.1\r\n"
	    "Connection: close\r\n\r\n";	/* HTTP/1.1 without Host */
	const char	*urls[2] = { "PARTNERD_APACHE_PROXY_URL", "PARTNERD_APACHE_FCGID_URL" };
	char		 body[4096];
	int		 fd, i;

	for (i = 0; i < 2; i++) {
		CU_ASSERT_FATAL((fd = raw_connect(test_env(urls[i]))) >= 0);
		raw_send(fd, req, sizeof(req) - 1);
		CU_ASSERT_EQUAL(raw_response(fd, 2000, body, sizeof(body), NULL, 0), 400);
		CU_ASSERT(json_message(body, NULL));
		close(fd);
	}
}

static void
test_hostile_404_of_non_utf8_path_is_json(void)
{
	static const char req[] = "GET /api/\xff\xfe HTTP/1.1\r\nHost: a\r\n"
	    "Connection: close\r\n\r\n";
	char	 body[4096];
	int	 fd;

	CU_ASSERT_FATAL((fd = raw_connect(test_env("PARTNERD_TEST_URL"))) >= 0);
	raw_send(fd, req, sizeof(req) - 1);
	CU_ASSERT_EQUAL(raw_response(fd, 2000, body, sizeof(body), NULL, 0), 404);
	CU_ASSERT(json_message(body, "Cannot GET /api/"));
	/* JSON is UTF-8; json-c's parser alone would let raw bytes through. */
	CU_ASSERT(valid_utf8(body, strlen(body)));
	close(fd);
}

/* ---- 6: bulk album adds -------------------------------------------------- */

/* {"albumIds":[na new albums of alice],"assetIds":[nids random v4 ids]} */
static char *
album_bulk_body(int na, int nids)
{
	struct pbuf	 b = { NULL, 0, 0 };
	struct http	 h;
	char		 body[128];
	int		 i;

	pbuf_adds(&b, "{\"albumIds\":[");
	for (i = 0; i < na; i++) {
		snprintf(body, sizeof(body), "{\"albumName\":\"bulk %d\"}", i);
		api(alice, "POST", "/api/albums", body, &h);
		pbuf_printf(&b, "%s\"%s\"", i ? "," : "",
		    json_object_get_string(json_object_object_get(h.json, "id")));
		http_free(&h);
	}
	pbuf_adds(&b, "],\"assetIds\":[");
	for (i = 0; i < nids; i++)
		pbuf_printf(&b, "%s\"%08x-0000-4000-8000-%012x\"", i ? "," : "",
		    (unsigned)rand(), (unsigned)i);
	pbuf_adds(&b, "]}");
	return b.data;
}

static void
test_hostile_album_pairs_capped(void)
{
	char		*body = album_bulk_body(6, 10000);
	struct http	 h;

	CU_ASSERT_EQUAL(api(alice, "PUT", "/api/albums/assets", body, &h), 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(http_message(&h), "albumIds x assetIds"));
	http_free(&h);
	free(body);
}

/* 50,000 pairs under the cap are answered (their cost is measured by
 * make bench, not by a timed test). */
static void
test_hostile_album_bulk_add_under_the_cap_is_answered(void)
{
	char		*body = album_bulk_body(5, 10000);
	struct http	 h;

	CU_ASSERT_EQUAL(api(alice, "PUT", "/api/albums/assets", body, &h), 200);
	http_free(&h);
	free(body);
	CU_ASSERT(still_serving());
}

static void
test_hostile_album_add_stops_when_the_client_is_gone(void)
{
	char		 sql[1024], req[512], *body;
	size_t		 blen;
	int		 fd, i, n;
	const char	*base = test_env("PARTNERD_TEST_URL");

	/* 10,000 assets of alice's (rows only): 5 albums x 10,000 inserts. */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO partnerd.assets (id, owner_id, type, original_path,"
	    " original_file_name, mime_type, checksum, file_created_at, file_modified_at,"
	    " local_date_time, width, height) SELECT CONCAT('00000000-0000-4000-8000-',"
	    " LPAD(HEX(s.seq), 12, '0')), '%s', 'IMAGE', 'originals/gone.jpg', 'gone.jpg',"
	    " 'image/jpeg', UNHEX(SHA1(CONCAT('gone', s.seq))), '2020-01-01', '2020-01-01',"
	    " '2020-01-01', 10, 10 FROM partnerd.seq_1_to_10000 s", alice_id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	body = album_bulk_body(5, 0);
	/* album_bulk_body(5, 0) ends in "[]}": put alice's ids in. */
	blen = strlen(body) - 2;
	body = realloc(body, blen + 10000 * 39 + 8);
	for (i = 1; i <= 10000; i++)
		blen += (size_t)sprintf(body + blen, "%s\"00000000-0000-4000-8000-%012X\"",
		    i > 1 ? "," : "", i);
	blen += (size_t)sprintf(body + blen, "]}");
	fd = raw_connect(base);
	CU_ASSERT_FATAL(fd >= 0);
	n = snprintf(req, sizeof(req), "PUT /api/albums/assets HTTP/1.1\r\nHost: %s\r\n"
	    "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	    strrchr(base, '/') + 1, alice, blen);
	raw_send(fd, req, (size_t)n);
	raw_send(fd, body, blen);
	free(body);
	usleep(300000);
	close(fd);	/* the client gives up */
	for (i = 0; i < 50 && !worker_logged("client went away: album add stopped"); i++)
		usleep(100000);
	CU_ASSERT(worker_logged("client went away: album add stopped"));
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.album_assets "
	    "WHERE asset_id LIKE '00000000-0000-4000-8000-%%'");
	CU_ASSERT_EQUAL(db_count(sql), 0);	/* nothing kept */
	CU_ASSERT(still_serving());
}

/* ---- 12: albums share what the owner put there ------------------------- */

static void
test_hostile_album_member_cannot_pass_on_a_partners_photo(void)
{
	char		 carol_email[128], carol_id[37], photo[1024], asset[37];
	char		 sql[512], path[128], *carol;
	struct http	 h;

	/* Carol shares with alice; alice's album has bob and carol as members. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(carol = new_user_token("h-carol", PW, carol_email,
		    sizeof(carol_email), carol_id));
	snprintf(path, sizeof(path), "/api/partners/%s", alice_id);
	CU_ASSERT_EQUAL(api_status(carol, "POST", path, NULL), 201);
	CU_ASSERT_EQUAL_FATAL(upload_id(carol, next_photo(photo, sizeof(photo)), asset), 0);
	CU_ASSERT_EQUAL_FATAL(api(alice, "POST", "/api/albums", "{\"albumName\":\"passed on\"}", &h), 201);
	snprintf(sql, sizeof(sql), "INSERT INTO partnerd.album_users (album_id, user_id, role) "
	    "VALUES ('%s', '%s', 'viewer'), ('%s', '%s', 'editor')",
	    json_object_get_string(json_object_object_get(h.json, "id")), bob_id,
	    json_object_get_string(json_object_object_get(h.json, "id")), carol_id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	snprintf(path, sizeof(path), "/api/albums/%s/assets",
	    json_object_get_string(json_object_object_get(h.json, "id")));
	http_free(&h);
	/* Alice may share carol's photo, and puts it in the album. */
	snprintf(sql, sizeof(sql), "{\"ids\":[\"%s\"]}", asset);
	CU_ASSERT_EQUAL(api(alice, "PUT", path, sql, &h), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, "\"success\":true"));
	http_free(&h);
	/* Bob, a member, does not get it: carol never put it there. */
	snprintf(path, sizeof(path), "/api/assets/%s", asset);
	CU_ASSERT_EQUAL(api_status(bob, "GET", path, NULL), 400);
	CU_ASSERT_EQUAL(api_status(alice, "GET", path, NULL), 200);
	free(carol);
}

/* ---- 4: the login limit, every spelling ---------------------------------- */

static void
test_hostile_login_trailing_slash_is_rate_limited(void)
{
	struct http	 h;
	int		 i, limited = 0;

	for (i = 0; i < 60 && !limited; i++) {
		http_do(&h, "POST", "/api/auth/login/", "{}", NULL);
		limited = h.status == 429;
		http_free(&h);
	}
	CU_ASSERT(limited);
	/* Give the shared per-address budget back to the suites after this one. */
	sleep(7);
}

void
suite_hostile(void)
{
	CU_pSuite	 s = CU_add_suite("e2e: hostile input through nginx",
			    hostile_init, hostile_clean);

	ADD_TEST(s, test_hostile_cookie_post_from_foreign_origin_is_403);
	ADD_TEST(s, test_hostile_cookie_post_from_sibling_subdomain_is_403);
	ADD_TEST(s, test_hostile_cookie_logout_from_foreign_origin_is_403);
	ADD_TEST(s, test_hostile_cookie_post_without_origin_needs_same_origin_fetch);
	ADD_TEST(s, test_hostile_cookie_post_from_own_origin_passes);
	ADD_TEST(s, test_hostile_bearer_token_ignores_origin);
	ADD_TEST(s, test_hostile_api_key_cannot_set_password);
	ADD_TEST(s, test_hostile_email_change_with_current_password);
	ADD_TEST(s, test_hostile_password_change_ends_other_sessions);
	ADD_TEST(s, test_hostile_admin_password_reset_ends_sessions);
	ADD_TEST(s, test_hostile_upload_unknown_field_refused_as_it_arrives);
	ADD_TEST(s, test_hostile_upload_text_fields_capped_as_they_arrive);
	ADD_TEST(s, test_hostile_upload_part_count_bounded);
	ADD_TEST(s, test_hostile_uploads_per_user_capped_with_retry_after);
	ADD_TEST(s, test_hostile_slow_uploads_leave_ping_and_timeline_answering);
	ADD_TEST(s, test_hostile_stalled_upload_times_out);
	ADD_TEST(s, test_hostile_big_json_body_refused_by_nginx);
	ADD_TEST(s, test_hostile_big_json_body_refused_by_apache);
	ADD_TEST(s, test_hostile_invalid_utf8_names_are_400);
	ADD_TEST(s, test_hostile_invalid_utf8_upload_file_name_is_400);
	ADD_TEST(s, test_hostile_upload_duration_out_of_range_is_400);
	ADD_TEST(s, test_hostile_chunked_upload_is_accepted);
	ADD_TEST(s, test_hostile_admin_cannot_demote_self_with_upper_case_id);
	ADD_TEST(s, test_hostile_quota_must_be_a_non_negative_int64);
	ADD_TEST(s, test_hostile_bulk_update_with_no_ids_still_validates);
	ADD_TEST(s, test_hostile_time_bucket_must_be_a_real_date);
	ADD_TEST(s, test_hostile_bbox_must_be_on_earth);
	ADD_TEST(s, test_hostile_null_is_reported_as_null);
	ADD_TEST(s, test_hostile_login_without_password_hash_takes_as_long);
	ADD_TEST(s, test_hostile_thumbnail_is_revalidated_and_correlated);
	ADD_TEST(s, test_hostile_nginx_own_400_is_json);
	ADD_TEST(s, test_hostile_apache_own_400_is_json);
	ADD_TEST(s, test_hostile_404_of_non_utf8_path_is_json);
	ADD_TEST(s, test_hostile_album_pairs_capped);
	ADD_TEST(s, test_hostile_album_bulk_add_under_the_cap_is_answered);
	ADD_TEST(s, test_hostile_album_add_stops_when_the_client_is_gone);
	ADD_TEST(s, test_hostile_album_member_cannot_pass_on_a_partners_photo);
	ADD_TEST(s, test_hostile_login_trailing_slash_is_rate_limited);
}
