/*
 * test_sendfile.c: media_sendfile = worker, through nginx to the real
 * worker: the worker itself sends originals, thumbnails and videos after
 * the same access decision, with Range, ETag and Last-Modified, and stops
 * when its client goes away. The suite restarts the stack's worker with
 * that setting and puts x-accel-redirect back at the end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "harness.h"

static char	 owner_tok[512], partner_tok[512], stranger_tok[512];
static char	 photo_id[37], video_id[37], big_id[37];
static char	 photo_file[1200], video_file[1200];
static long	 photo_size;

/* A new user signed in: the token into tok. 0 on success. */
static int
token_of(const char *prefix, char *tok, size_t toksz, char *id)
{
	char	 email[128], *t;

	if ((t = new_user_token(prefix, "pw-sendfile-1", email, sizeof(email), id)) == NULL)
		return -1;
	snprintf(tok, toksz, "%s", t);
	free(t);
	return 0;
}

static int
sendfile_init(void)
{
	char		 oid[37], pid[37], sid[37], body[128], cmd[4096];
	const char	*d;
	struct stat	 st;

	if (stack_ctl("worker-sendfile worker") != 0 ||
	    (d = fixture_dir(43, 2)) == NULL)
		return -1;
	snprintf(photo_file, sizeof(photo_file), "%s/f43_0001.jpg", d);
	if (stat(photo_file, &st) != 0)
		return -1;
	photo_size = (long)st.st_size;
	snprintf(video_file, sizeof(video_file), "%s/sendfile-clip.mp4",
	    test_env("PARTNERD_TEST_STATE"));
	snprintf(cmd, sizeof(cmd), "ffmpeg -v error -y -f lavfi -i "
	    "testsrc=size=160x120:rate=25:duration=1 -c:v libx264 -pix_fmt yuv420p "
	    "'%s' && chmod a+r '%s'", video_file, video_file);
	if (system(cmd) != 0)
		return -1;
	if (token_of("sendfile-owner", owner_tok, sizeof(owner_tok), oid) != 0 ||
	    token_of("sendfile-partner", partner_tok, sizeof(partner_tok), pid) != 0 ||
	    token_of("sendfile-stranger", stranger_tok, sizeof(stranger_tok), sid) != 0)
		return -1;
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", pid);
	if (api_status(owner_tok, "POST", "/api/partners", body) != 201)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/f43_0002.jpg", d);
	if (upload_id(owner_tok, photo_file, photo_id) != 0 ||
	    upload_id(owner_tok, video_file, video_id) != 0 ||
	    upload_id(owner_tok, cmd, big_id) != 0)
		return -1;
	return 0;
}

static int
sendfile_cleanup(void)
{
	return stack_ctl("worker-sendfile x-accel-redirect") == 0 ? 0 : -1;
}

/* GET path as the holder of token with up to two extra headers. */
static long
get(const char *token, const char *path, const char *h1, const char *h2,
    struct http *h)
{
	char		 auth[600];
	const char	*hl[4] = { bearer(auth, sizeof(auth), token), h1, h1 ? h2 : NULL, NULL };

	http_do(h, "GET", path, NULL, hl);
	return h->status;
}

static const char *
original(const char *id)
{
	static char	 p[128];

	snprintf(p, sizeof(p), "/api/assets/%s/original", id);
	return p;
}

/* n bytes of file from off, in buf; 0 when read whole. */
static int
file_bytes(const char *file, long off, char *buf, size_t n)
{
	FILE	*f = fopen(file, "rb");
	int	 ok;

	if (f == NULL)
		return -1;
	ok = fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n;
	fclose(f);
	return ok ? 0 : -1;
}

static const char *
hdr(const struct http *h, const char *name)
{
	static char	 v[4][256];
	static int	 k;

	k = (k + 1) % 4;
	return http_header(h, name, v[k], sizeof(v[k])) ? v[k] : "";
}

/* "Name: <the value of header on a GET of the photo>" into out, for the next request. */
static const char *
as_condition(const char *token, const char *header, const char *name, char *out,
    size_t outsz)
{
	struct http	 h;

	get(token, original(photo_id), NULL, NULL, &h);
	snprintf(out, outsz, "%s: %s", name, h.status == 200 ? hdr(&h, header) : "");
	http_free(&h);
	return out;
}

static void
test_sendfile_original_is_the_file_with_its_headers(void)
{
	struct http	 h;
	char		*buf = malloc((size_t)photo_size), len[32];

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL_FATAL(get(owner_tok, original(photo_id), NULL, NULL, &h), 200);
	CU_ASSERT_EQUAL(file_bytes(photo_file, 0, buf, (size_t)photo_size), 0);
	CU_ASSERT_TRUE(h.len == (size_t)photo_size && memcmp(h.body, buf, h.len) == 0);
	snprintf(len, sizeof(len), "%ld", photo_size);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Length"), len);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Type"), "image/jpeg");
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Disposition"),
	    "attachment; filename=\"f43_0001.jpg\"");
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Accept-Ranges"), "bytes");
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Cache-Control"), "private, no-cache, no-transform");
	CU_ASSERT_EQUAL(hdr(&h, "ETag")[0], '"');
	CU_ASSERT_TRUE(strstr(hdr(&h, "Last-Modified"), " GMT") != NULL);
	/* The worker's streaming hint is nginx's, never the client's. */
	CU_ASSERT_STRING_EQUAL(hdr(&h, "X-Accel-Buffering"), "");
	http_free(&h);
	free(buf);
}

static void
test_sendfile_range_is_206_with_those_bytes(void)
{
	struct http	 h;
	char		 buf[100], cr[64];

	CU_ASSERT_EQUAL_FATAL(get(owner_tok, original(photo_id), "Range: bytes=100-199",
	    NULL, &h), 206);
	CU_ASSERT_EQUAL(file_bytes(photo_file, 100, buf, 100), 0);
	CU_ASSERT_TRUE(h.len == 100 && memcmp(h.body, buf, 100) == 0);
	snprintf(cr, sizeof(cr), "bytes 100-199/%ld", photo_size);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Range"), cr);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Length"), "100");
	http_free(&h);
}

static void
test_sendfile_suffix_range_is_the_last_bytes(void)
{
	struct http	 h;
	char		 buf[50], cr[64];

	CU_ASSERT_EQUAL_FATAL(get(owner_tok, original(photo_id), "Range: bytes=-50",
	    NULL, &h), 206);
	CU_ASSERT_EQUAL(file_bytes(photo_file, photo_size - 50, buf, 50), 0);
	CU_ASSERT_TRUE(h.len == 50 && memcmp(h.body, buf, 50) == 0);
	snprintf(cr, sizeof(cr), "bytes %ld-%ld/%ld", photo_size - 50, photo_size - 1,
	    photo_size);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Range"), cr);
	http_free(&h);
}

static void
test_sendfile_range_past_the_end_is_416(void)
{
	struct http	 h;
	char		 range[64], cr[64];

	snprintf(range, sizeof(range), "Range: bytes=%ld-", photo_size);
	CU_ASSERT_EQUAL_FATAL(get(owner_tok, original(photo_id), range, NULL, &h), 416);
	snprintf(cr, sizeof(cr), "bytes */%ld", photo_size);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Range"), cr);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Range Not Satisfiable");
	http_free(&h);
}

static void
test_sendfile_several_ranges_send_the_whole_file(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(get(owner_tok, original(photo_id), "Range: bytes=0-9,20-29",
	    NULL, &h), 200);
	CU_ASSERT_EQUAL(h.len, (size_t)photo_size);
	http_free(&h);
}

static void
test_sendfile_same_etag_is_304_without_a_body(void)
{
	struct http	 h;
	char		 inm[300];

	as_condition(owner_tok, "ETag", "If-None-Match", inm, sizeof(inm));
	CU_ASSERT_EQUAL(get(owner_tok, original(photo_id), inm, NULL, &h), 304);
	CU_ASSERT_EQUAL(h.len, 0);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "ETag"), inm + strlen("If-None-Match: "));
	http_free(&h);
}

static void
test_sendfile_other_etag_is_200(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(get(owner_tok, original(photo_id), "If-None-Match: \"0-0\"",
	    NULL, &h), 200);
	CU_ASSERT_EQUAL(h.len, (size_t)photo_size);
	http_free(&h);
}

static void
test_sendfile_if_modified_since_last_modified_is_304(void)
{
	struct http	 h;
	char		 ims[128];

	as_condition(owner_tok, "Last-Modified", "If-Modified-Since", ims, sizeof(ims));
	CU_ASSERT_EQUAL(get(owner_tok, original(photo_id), ims, NULL, &h), 304);
	http_free(&h);
}

static void
test_sendfile_stale_if_range_sends_the_whole_file(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(get(owner_tok, original(photo_id), "Range: bytes=0-9",
	    "If-Range: \"0-0\"", &h), 200);
	CU_ASSERT_EQUAL(h.len, (size_t)photo_size);
	http_free(&h);
}

static void
test_sendfile_head_has_the_length_and_no_body(void)
{
	struct http	 h;
	char		 auth[600], len[32];
	const char	*hl[2] = { bearer(auth, sizeof(auth), owner_tok), NULL };

	http_do(&h, "HEAD", original(photo_id), NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_EQUAL(h.len, 0);
	snprintf(len, sizeof(len), "%ld", photo_size);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Length"), len);
	http_free(&h);
}

static void
test_sendfile_thumbnail_and_preview_have_their_types(void)
{
	struct http	 h;
	char		 path[160];

	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail", photo_id);
	CU_ASSERT_EQUAL_FATAL(get(owner_tok, path, NULL, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Type"), "image/webp");
	CU_ASSERT_TRUE(h.len > 12 && memcmp(h.body + 8, "WEBP", 4) == 0);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail?size=preview", photo_id);
	CU_ASSERT_EQUAL_FATAL(get(owner_tok, path, "Range: bytes=0-1", NULL, &h), 206);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Type"), "image/jpeg");
	CU_ASSERT_TRUE(h.len == 2 && (unsigned char)h.body[0] == 0xff &&
	    (unsigned char)h.body[1] == 0xd8);
	http_free(&h);
}

static void
test_sendfile_video_playback_seeks_inline(void)
{
	struct http	 h;
	char		 path[160], buf[100];

	snprintf(path, sizeof(path), "/api/assets/%s/video/playback", video_id);
	CU_ASSERT_EQUAL_FATAL(get(partner_tok, path, "Range: bytes=100-199", NULL, &h), 206);
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Type"), "video/mp4");
	CU_ASSERT_STRING_EQUAL(hdr(&h, "Content-Disposition"), "inline");
	CU_ASSERT_EQUAL(file_bytes(video_file, 100, buf, 100), 0);
	CU_ASSERT_TRUE(h.len == 100 && memcmp(h.body, buf, 100) == 0);
	http_free(&h);
}

static void
test_sendfile_partner_gets_it_and_a_stranger_does_not(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(get(partner_tok, original(photo_id), "Range: bytes=0-1", NULL, &h), 206);
	http_free(&h);
	CU_ASSERT_EQUAL(get(stranger_tok, original(photo_id), "Range: bytes=0-1", NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.download access");
	CU_ASSERT_EQUAL(h.len, strlen("{\"message\":\"Not found or no asset.download access\"}"));
	http_free(&h);
}

static void
test_sendfile_revalidation_after_archiving_is_refused(void)
{
	struct http	 h;
	char		 inm[300], body[128];

	as_condition(partner_tok, "ETag", "If-None-Match", inm, sizeof(inm));
	CU_ASSERT_FATAL(strchr(inm, '"') != NULL);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"archive\"}", photo_id);
	CU_ASSERT_EQUAL_FATAL(api_status(owner_tok, "PUT", "/api/assets", body), 204);
	/* The partner's copy is not confirmed: the access decision comes first. */
	CU_ASSERT_EQUAL(get(partner_tok, original(photo_id), inm, NULL, &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(get(owner_tok, original(photo_id), inm, NULL, &h), 304);
	http_free(&h);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"timeline\"}", photo_id);
	CU_ASSERT_EQUAL(api_status(owner_tok, "PUT", "/api/assets", body), 204);
}

/* ---- a client that goes away ------------------------------------------- */

struct partial {
	size_t	 got;
	char	 cid[80];
};

/* Take the first 256 KiB, then hang up (returning less aborts the transfer). */
static size_t
partial_body(char *p, size_t sz, size_t n, void *arg)
{
	struct partial	*pt = arg;

	(void)p;
	pt->got += sz * n;
	return pt->got > 256 * 1024 ? 0 : sz * n;
}

static size_t
partial_header(char *p, size_t sz, size_t n, void *arg)
{
	struct partial	*pt = arg;
	size_t		 len = sz * n;

	if (len > 18 && strncasecmp(p, "X-Correlation-ID: ", 18) == 0)
		snprintf(pt->cid, sizeof(pt->cid), "%.*s", (int)(len - 18 - 2), p + 18);
	return len;
}

/* The worker's log line for cid that holds what, or NULL (copied). */
static char *
worker_log_line(const char *cid, const char *what)
{
	char	 path[1100], line[1024], needle[128];
	FILE	*f;
	char	*found = NULL;

	snprintf(path, sizeof(path), "%s/log/partnerd.log", test_env("PARTNERD_TEST_STATE"));
	snprintf(needle, sizeof(needle), "cid=%s %s", cid, what);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while (found == NULL && fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, needle) != NULL)
			found = strdup(line);
	fclose(f);
	return found;
}

static void
test_sendfile_stops_when_the_client_goes_away(void)
{
	struct partial		 pt = { 0, "" };
	struct curl_slist	*hl = NULL;
	char			 sql[256], rel[1024], path[2200], url[1024], auth[600];
	char			 cmd[2600], *line = NULL;
	long long		 sent = -1, total = 0;
	CURL			*c;
	int			 i;

	/* The original becomes 64 MiB: more than every buffer on the way. */
	snprintf(sql, sizeof(sql), "SELECT original_path FROM partnerd.assets WHERE id = '%s'",
	    big_id);
	CU_ASSERT_EQUAL_FATAL(db_root_value(sql, rel, sizeof(rel)), 0);
	snprintf(path, sizeof(path), "%s/media/%s", test_env("PARTNERD_TEST_STATE"), rel);
	snprintf(cmd, sizeof(cmd), "head -c 67108864 /dev/zero > '%s'", path);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);

	c = curl_easy_init();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	snprintf(url, sizeof(url), "%s%s", test_env("PARTNERD_TEST_URL"), original(big_id));
	hl = curl_slist_append(hl, bearer(auth, sizeof(auth), owner_tok));
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, partial_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &pt);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, partial_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &pt);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	CU_ASSERT_EQUAL(curl_easy_perform(c), CURLE_WRITE_ERROR);
	curl_easy_cleanup(c);
	curl_slist_free_all(hl);
	CU_ASSERT_FATAL(pt.cid[0] != '\0');

	/* The worker notices, says how far it came, and stops there. */
	for (i = 0; i < 300 && line == NULL; i++) {
		line = worker_log_line(pt.cid, "client went away after ");
		if (line == NULL)
			usleep(100 * 1000);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	CU_ASSERT_EQUAL(sscanf(strstr(line, "after ") + 6, "%lld of %lld", &sent, &total), 2);
	CU_ASSERT_EQUAL(total, 67108864LL);
	CU_ASSERT(sent >= 0 && sent < total);
	free(line);
	/* And serves the next request. */
	CU_ASSERT_EQUAL(api_status(owner_tok, "GET", "/api/users/me", NULL), 200);
}

void
suite_sendfile(void)
{
	CU_pSuite s = CU_add_suite("e2e: media sent by the worker", sendfile_init,
	    sendfile_cleanup);

	ADD_TEST(s, test_sendfile_original_is_the_file_with_its_headers);
	ADD_TEST(s, test_sendfile_range_is_206_with_those_bytes);
	ADD_TEST(s, test_sendfile_suffix_range_is_the_last_bytes);
	ADD_TEST(s, test_sendfile_range_past_the_end_is_416);
	ADD_TEST(s, test_sendfile_several_ranges_send_the_whole_file);
	ADD_TEST(s, test_sendfile_same_etag_is_304_without_a_body);
	ADD_TEST(s, test_sendfile_other_etag_is_200);
	ADD_TEST(s, test_sendfile_if_modified_since_last_modified_is_304);
	ADD_TEST(s, test_sendfile_stale_if_range_sends_the_whole_file);
	ADD_TEST(s, test_sendfile_head_has_the_length_and_no_body);
	ADD_TEST(s, test_sendfile_thumbnail_and_preview_have_their_types);
	ADD_TEST(s, test_sendfile_video_playback_seeks_inline);
	ADD_TEST(s, test_sendfile_partner_gets_it_and_a_stranger_does_not);
	ADD_TEST(s, test_sendfile_revalidation_after_archiving_is_refused);
	ADD_TEST(s, test_sendfile_stops_when_the_client_goes_away);
}
