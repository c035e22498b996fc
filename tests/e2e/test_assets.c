/*
 * test_assets.c: the library end to end through nginx: upload, metadata,
 * download through the web server, owner-only rules, trash, albums, and
 * failures (interrupted upload, full disk, database gone) that must leave
 * neither a row nor a file behind.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "harness.h"

static char	*alice, *mallory;	/* tokens */
static char	 alice_id[37], mallory_id[37];
static const char *photos;		/* fixture directory */

static int
assets_init(void)
{
	char	 email[128];

	unique_email("assets-alice", email, sizeof(email));
	if (make_user(email, "pw-assets-1", alice_id) != 0 ||
	    (alice = login_token(email, "pw-assets-1")) == NULL)
		return -1;
	unique_email("assets-mallory", email, sizeof(email));
	if (make_user(email, "pw-assets-2", mallory_id) != 0 ||
	    (mallory = login_token(email, "pw-assets-2")) == NULL)
		return -1;
	return (photos = fixture_dir(7, 40)) == NULL ? -1 : 0;
}

static int
assets_clean(void)
{
	free(alice);
	free(mallory);
	return 0;
}

static const char *
photo(int n)
{
	static char	 path[8][1024];
	static int	 k;

	k = (k + 1) % 8;
	snprintf(path[k], sizeof(path[k]), "%s/f7_%04d.jpg", photos, n);
	return path[k];
}

static const char *
jget(struct json_object *o, const char *a, const char *b)
{
	struct json_object	*v = o;

	if (a && !json_object_object_get_ex(v, a, &v))
		return NULL;
	if (b && (v == NULL || !json_object_object_get_ex(v, b, &v)))
		return NULL;
	return v ? json_object_get_string(v) : NULL;
}

static int
file_equal(const char *path, const char *data, size_t len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf = malloc(len + 1);
	size_t	 n = f && buf ? fread(buf, 1, len + 1, f) : 0;
	int	 eq = n == len && memcmp(buf, data, len) == 0;

	if (f)
		fclose(f);
	free(buf);
	return eq;
}

static void
test_assets_upload_reads_exif_and_makes_thumbnails(void)
{
	struct http	 h;
	char		 id[37], path[128];

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(1), id), 0);
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "type", NULL), "IMAGE");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "ownerId", NULL), alice_id);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "originalFileName", NULL), "f7_0001.jpg");
	CU_ASSERT_PTR_NOT_NULL(jget(h.json, "exifInfo", "make"));
	CU_ASSERT_PTR_NOT_NULL(jget(h.json, "exifInfo", "latitude"));
	CU_ASSERT_PTR_NOT_NULL(jget(h.json, "exifInfo", "longitude"));
	CU_ASSERT_PTR_NOT_NULL(jget(h.json, "exifInfo", "timeZone"));
	CU_ASSERT_PTR_NOT_NULL(jget(h.json, "exifInfo", "dateTimeOriginal"));
	CU_ASSERT_PTR_NOT_NULL(jget(h.json, "thumbhash", NULL));
	CU_ASSERT(atoi(jget(h.json, "width", NULL)) > 0);
	/* The EXIF capture time, not the client's fileCreatedAt (2023-06-01). */
	CU_ASSERT_NOT_EQUAL(strncmp(jget(h.json, "fileCreatedAt", NULL), "2023-06-01", 10), 0);
	http_free(&h);
}

static void
test_assets_same_file_twice_is_duplicate(void)
{
	struct http	 h;
	char		 id[37];

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(2), id), 0);
	http_upload(&h, alice, photo(2), "again.jpg", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "status", NULL), "duplicate");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "id", NULL), id);
	http_free(&h);
	/* Another owner may have the same file. */
	http_upload(&h, mallory, photo(2), "mine.jpg", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 201);
	http_free(&h);
}

static void
test_assets_checksum_header_answers_before_the_body(void)
{
	struct http	 h;
	unsigned char	 md[20];
	unsigned	 mdlen;
	char		 hex[41], hdr[80], id[37], *data;
	const char	*hl[3];
	FILE		*f = fopen(photo(3), "rb");
	long		 n;
	size_t		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n);
	CU_ASSERT_EQUAL_FATAL(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	EVP_Digest(data, (size_t)n, md, &mdlen, EVP_sha1(), NULL);
	free(data);
	for (i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(3), id), 0);
	/* A body that is not even multipart: only the header is looked at. */
	snprintf(hdr, sizeof(hdr), "x-immich-checksum: %s", hex);
	hl[0] = hdr;
	hl[1] = "Content-Type: multipart/form-data; boundary=nothing";
	hl[2] = NULL;
	{
		char	 auth[256];
		const char *h2[4] = { bearer(auth, sizeof(auth), alice), hl[0], hl[1], NULL };

		http_do(&h, "POST", "/api/assets", "not multipart at all", h2);
	}
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "status", NULL), "duplicate");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "id", NULL), id);
	http_free(&h);
}

static void
test_assets_original_is_identical_with_range_and_etag(void)
{
	struct http	 h;
	char		 id[37], path[128], auth[256], buf[64];
	const char	*hl[3];
	char		*data;
	FILE		*f;
	long		 n;

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(4), id), 0);
	snprintf(path, sizeof(path), "/api/assets/%s/original", id);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_TRUE(file_equal(photo(4), h.body, h.len));
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "ETag", buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(http_header(&h, "Content-Type", buf, sizeof(buf)), "image/jpeg");
	CU_ASSERT_PTR_NOT_NULL(strstr(http_header(&h, "Content-Disposition", buf,
	    sizeof(buf)), "f7_0004.jpg"));
	http_free(&h);
	hl[0] = bearer(auth, sizeof(auth), alice);
	hl[1] = "Range: bytes=100-199";
	hl[2] = NULL;
	http_do(&h, "GET", path, NULL, hl);
	CU_ASSERT_EQUAL(h.status, 206);
	CU_ASSERT_EQUAL_FATAL(h.len, 100);
	f = fopen(photo(4), "rb");
	data = malloc(100);
	fseek(f, 100, SEEK_SET);
	n = (long)fread(data, 1, 100, f);
	fclose(f);
	CU_ASSERT_EQUAL(n, 100);
	CU_ASSERT_EQUAL(memcmp(data, h.body, 100), 0);
	free(data);
	http_free(&h);
}

static void
test_assets_worker_never_reads_the_file_on_download(void)
{
	char		 id[37], cmd[4096], out[8192];
	size_t		 n;
	FILE		*p;

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(5), id), 0);
	/* Ask the worker itself (no web server): it answers a header only. */
	snprintf(cmd, sizeof(cmd), "env -i REQUEST_METHOD=GET "
	    "REQUEST_URI=/api/assets/%s/original 'HTTP_AUTHORIZATION=Bearer %s' "
	    "cgi-fcgi -bind -connect '%s/run/partnerd/partnerd.sock' 2>&1", id, alice,
	    test_env("PARTNERD_TEST_STATE"));
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	pclose(p);
	out[n] = '\0';
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Status: 200"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "X-Accel-Redirect: /_partnerd_media/originals/"));
	/* Nothing after the blank line: no JPEG bytes (0xFF 0xD8) at all. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\n\r\n"));
	if (strstr(out, "\r\n\r\n") != NULL)
		CU_ASSERT_EQUAL(strlen(strstr(out, "\r\n\r\n") + 4), 0);
	CU_ASSERT_PTR_NULL(memchr(out, 0xd8, n));
}

static void
test_assets_thumbnail_and_preview(void)
{
	struct http	 h;
	char		 id[37], path[128], buf[64];

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(6), id), 0);
	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail", id);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(http_header(&h, "Content-Type", buf, sizeof(buf)), "image/webp");
	CU_ASSERT(h.len > 12 && memcmp(h.body + 8, "WEBP", 4) == 0);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail?size=preview", id);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(http_header(&h, "Content-Type", buf, sizeof(buf)), "image/jpeg");
	CU_ASSERT(h.len > 2 && (unsigned char)h.body[0] == 0xff && (unsigned char)h.body[1] == 0xd8);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail?size=huge", id);
	CU_ASSERT_EQUAL(api_status(alice, "GET", path, NULL), 400);
}

static void
test_assets_media_directory_is_not_reachable_by_url(void)
{
	struct http	 h;

	http_do(&h, "GET", "/_partnerd_media/", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 404);
	http_free(&h);
	http_do(&h, "GET", "/api/../_partnerd_media/tmp/", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 404);
	http_free(&h);
}

static void
test_assets_other_users_get_no_access(void)
{
	struct http	 h;
	char		 id[37], path[160], body[160];

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(7), id), 0);
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	CU_ASSERT_EQUAL(api(mallory, "GET", path, NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.read access");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s/original", id);
	CU_ASSERT_EQUAL(api(mallory, "GET", path, NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.download access");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail", id);
	CU_ASSERT_EQUAL(api(mallory, "GET", path, NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.view access");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	CU_ASSERT_EQUAL(api(mallory, "PUT", path, "{\"isFavorite\":true}", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.update access");
	http_free(&h);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"isFavorite\":true}", id);
	CU_ASSERT_EQUAL(api(mallory, "PUT", "/api/assets", body, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.update access");
	http_free(&h);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"force\":true}", id);
	CU_ASSERT_EQUAL(api(mallory, "DELETE", "/api/assets", body, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.delete access");
	http_free(&h);
	/* Unknown ids look the same as someone else's. */
	CU_ASSERT_EQUAL(api(alice, "GET", "/api/assets/00000000-0000-4000-a000-000000000000",
	    NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.read access");
	http_free(&h);
	/* Still there, untouched, for its owner. */
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "isFavorite", NULL), "false");
	http_free(&h);
}

static void
test_assets_update_favorite_archive_date_location(void)
{
	struct http	 h;
	char		 id[37], path[128], body[256];

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(8), id), 0);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"isFavorite\":true,"
	    "\"visibility\":\"archive\"}", id);
	CU_ASSERT_EQUAL(api_status(alice, "PUT", "/api/assets", body), 204);
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	CU_ASSERT_EQUAL(api(alice, "PUT", path, "{\"dateTimeOriginal\":"
	    "\"2020-02-29T23:30:00.000+05:00\",\"latitude\":10.5,\"longitude\":-20.25,"
	    "\"description\":\"beach\"}", &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "isFavorite", NULL), "true");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "visibility", NULL), "archive");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "fileCreatedAt", NULL), "2020-02-29T18:30:00.000Z");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "localDateTime", NULL), "2020-02-29T23:30:00.000Z");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "exifInfo", "latitude"), "10.5");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "exifInfo", "description"), "beach");
	http_free(&h);
	CU_ASSERT_EQUAL(api_status(alice, "PUT", path, "{\"isFavorite\":\"yes\"}"), 400);
	CU_ASSERT_EQUAL(api_status(alice, "PUT", path, "{\"latitude\":1}"), 400);
	CU_ASSERT_EQUAL(api_status(alice, "PUT", path, "{\"visibility\":\"public\"}"), 400);
}

static void
test_assets_trash_restore_and_force_delete(void)
{
	struct http	 h;
	char		 id[37], path[128], body[128], media[1024];
	long		 before;

	snprintf(media, sizeof(media), "%s/media/originals/%s",
	    test_env("PARTNERD_TEST_STATE"), alice_id);
	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(9), id), 0);
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", id);
	CU_ASSERT_EQUAL(api_status(alice, "DELETE", "/api/assets", body), 204);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "isTrashed", NULL), "true");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "status", NULL), "trashed");
	http_free(&h);
	CU_ASSERT_EQUAL(api(alice, "POST", "/api/trash/restore/assets", body, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "count", NULL), "1");
	http_free(&h);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "isTrashed", NULL), "false");
	http_free(&h);
	before = count_files(media);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"force\":true}", id);
	CU_ASSERT_EQUAL(api_status(alice, "DELETE", "/api/assets", body), 204);
	CU_ASSERT_EQUAL(api_status(alice, "GET", path, NULL), 400);
	CU_ASSERT_EQUAL(count_files(media), before - 1);
}

static void
test_assets_empty_trash_removes_rows_and_files(void)
{
	struct http	 h;
	char		 id1[37], id2[37], body[160], thumbs[1024];
	long		 before;

	snprintf(thumbs, sizeof(thumbs), "%s/media/thumbs/%s",
	    test_env("PARTNERD_TEST_STATE"), alice_id);
	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(10), id1), 0);
	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(11), id2), 0);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\",\"%s\"]}", id1, id2);
	CU_ASSERT_EQUAL(api_status(alice, "DELETE", "/api/assets", body), 204);
	before = count_files(thumbs);
	CU_ASSERT_EQUAL(api(alice, "POST", "/api/trash/empty", NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "count", NULL), "2");
	http_free(&h);
	CU_ASSERT_EQUAL(count_files(thumbs), before - 4);
}

static void
test_assets_bad_uploads_are_refused(void)
{
	struct http	 h;
	char		 path[1024];
	const char	*bad_date[] = { "fileCreatedAt=yesterday", NULL };
	FILE		*f;

	http_upload(&h, alice, photo(12), "x.exe", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Unsupported file type");
	http_free(&h);
	/* fileCreatedAt twice: Immich would see an array, not a date. */
	http_upload(&h, alice, photo(12), "x.jpg", bad_date, NULL);
	CU_ASSERT_EQUAL(h.status, 400);
	http_free(&h);
	snprintf(path, sizeof(path), "%s/not-a-photo.jpg", test_env("PARTNERD_TEST_STATE"));
	f = fopen(path, "w");
	fputs("this is text, not a JPEG\n", f);
	fclose(f);
	http_upload(&h, alice, path, "not-a-photo.jpg", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "The file is not a readable image");
	http_free(&h);
	CU_ASSERT_EQUAL(db_count("SELECT COUNT(*) FROM partnerd.assets WHERE "
	    "original_file_name IN ('x.exe', 'x.jpg', 'not-a-photo.jpg')"), 0);
	CU_ASSERT_EQUAL(api_status(alice, "POST", "/api/assets", "{}"), 400);
}

static void
test_assets_video_that_does_not_decode_is_refused(void)
{
	struct http	 h;
	char		 path[1024];
	FILE		*f;
	int		 i;

	/* An MP4 signature and noise: no video in it (real ones: test_video.c). */
	snprintf(path, sizeof(path), "%s/clip.mp4", test_env("PARTNERD_TEST_STATE"));
	f = fopen(path, "wb");
	fwrite("\0\0\0\x18" "ftypmp42", 1, 12, f);
	for (i = 0; i < 5000; i++)
		fputc(i & 0xff, f);
	fclose(f);
	CU_ASSERT_EQUAL(http_upload(&h, alice, path, "clip.mp4", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "The file is not a readable video");
	http_free(&h);
}

/* ---- failures that must leave nothing behind ---------------------------- */

struct slow_body {
	size_t		 sent, total, cut;	/* stop or pause at cut */
	int		 mode;			/* 0: abort at cut; 1: kill the db at cut */
	int		 killed;
	char		 head[512], tail[128];
	size_t		 head_len, tail_len;
	const char	*payload;	/* the file's bytes, or NULL for filler */
};

static size_t
slow_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct slow_body	*s = arg;
	size_t			 max = size * nitems, n = 0, i;

	if (s->sent >= s->cut && s->mode == 0)
		return CURL_READFUNC_ABORT;	/* the client goes away */
	if (s->sent >= s->cut && s->mode == 1 && !s->killed) {
		stack_ctl("db-kill");	/* the database dies mid-upload */
		s->killed = 1;
	}
	while (n < max && s->sent < s->total && (s->sent < s->cut || s->mode == 1)) {
		i = s->sent;
		if (i < s->head_len)
			buf[n] = s->head[i];
		else if (i >= s->total - s->tail_len)
			buf[n] = s->tail[i - (s->total - s->tail_len)];
		else if (s->payload != NULL)
			buf[n] = s->payload[i - s->head_len];
		else
			buf[n] = (char)(i * 7);
		n++;
		s->sent++;
		if (s->sent == s->cut)
			break;
	}
	return n;
}

/*
 * Stream an upload named name through nginx, cut (mode 0) or with the
 * database killed (mode 1) half way: 3 MB of filler, or payload's bytes.
 */
static long
slow_upload(const char *name, int mode, const char *payload, size_t plen)
{
	struct slow_body	 s;
	struct curl_slist	*hl = NULL;
	char			 url[512], auth[256], ct[128], len[64];
	long			 status = 0;
	CURL			*c = curl_easy_init();

	memset(&s, 0, sizeof(s));
	s.mode = mode;
	s.head_len = (size_t)snprintf(s.head, sizeof(s.head),
	    "--XyZ\r\nContent-Disposition: form-data; name=\"fileCreatedAt\"\r\n\r\n"
	    "2023-01-01T00:00:00.000Z\r\n--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"fileModifiedAt\"\r\n\r\n2023-01-01T00:00:00.000Z\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"assetData\"; filename=\"%s\"\r\n"
	    "Content-Type: image/jpeg\r\n\r\n", name);
	s.tail_len = (size_t)snprintf(s.tail, sizeof(s.tail), "\r\n--XyZ--\r\n");
	s.payload = payload;
	s.total = s.head_len + (payload ? plen : (3u << 20)) + s.tail_len;
	s.cut = s.total / 2;
	snprintf(url, sizeof(url), "%s/api/assets", test_env("PARTNERD_TEST_URL"));
	hl = curl_slist_append(hl, bearer(auth, sizeof(auth), alice));
	snprintf(ct, sizeof(ct), "Content-Type: multipart/form-data; boundary=XyZ");
	hl = curl_slist_append(hl, ct);
	snprintf(len, sizeof(len), "Content-Length: %zu", s.total);
	hl = curl_slist_append(hl, len);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)s.total);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, slow_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &s);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, NULL);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return status;
}

/* Files in media/tmp and under the owner's originals. */
static long
stray_files(void)
{
	char	 d[1024];
	long	 n;

	snprintf(d, sizeof(d), "%s/media/tmp", test_env("PARTNERD_TEST_STATE"));
	n = count_files(d);
	return n;
}

static void
test_assets_interrupted_upload_leaves_nothing(void)
{
	char	 orig[1024];
	long	 files_before, i;

	snprintf(orig, sizeof(orig), "%s/media/originals/%s",
	    test_env("PARTNERD_TEST_STATE"), alice_id);
	files_before = count_files(orig);
	CU_ASSERT_EQUAL(slow_upload("interrupted.jpg", 0, NULL, 0), 0);	/* no answer: we left */
	/* The worker notices the closed connection and cleans up. */
	for (i = 0; i < 50 && stray_files() > 0; i++)
		usleep(100000);
	CU_ASSERT_EQUAL(stray_files(), 0);
	CU_ASSERT_EQUAL(count_files(orig), files_before);
	CU_ASSERT_EQUAL(db_count("SELECT COUNT(*) FROM partnerd.assets WHERE "
	    "original_file_name = 'interrupted.jpg'"), 0);
	/* And the worker goes on serving. */
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/users/me", NULL), 200);
}

static void
test_assets_database_gone_mid_upload_leaves_nothing(void)
{
	char	 orig[1024], *data;
	long	 files_before, st, n;
	FILE	*f = fopen(photo(16), "rb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n);
	CU_ASSERT_EQUAL_FATAL(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	snprintf(orig, sizeof(orig), "%s/media/originals/%s",
	    test_env("PARTNERD_TEST_STATE"), alice_id);
	files_before = count_files(orig);
	/* A real photo: everything succeeds but the database. */
	st = slow_upload("db-gone.jpg", 1, data, (size_t)n);
	free(data);
	CU_ASSERT_EQUAL(st, 503);
	CU_ASSERT_EQUAL_FATAL(stack_ctl("db-start"), 0);
	CU_ASSERT_EQUAL(stray_files(), 0);
	CU_ASSERT_EQUAL(count_files(orig), files_before);
	CU_ASSERT_EQUAL(db_count("SELECT COUNT(*) FROM partnerd.assets WHERE "
	    "original_file_name = 'db-gone.jpg'"), 0);
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/users/me", NULL), 200);
}

static void
test_assets_full_disk_leaves_nothing(void)
{
	char	 media[1024], cmd[2048], big[1024];
	struct http h;
	FILE	*f;
	int	 i;

	/* A 1 MiB tmpfs over the media directory, for this test only. */
	snprintf(media, sizeof(media), "%s/media", test_env("PARTNERD_TEST_STATE"));
	snprintf(cmd, sizeof(cmd), "mount -t tmpfs -o size=1m partnerd-test '%s'", media);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);	/* needs root, as make check runs */
	snprintf(big, sizeof(big), "%s/big.jpg", test_env("PARTNERD_TEST_STATE"));
	f = fopen(big, "wb");
	for (i = 0; i < (2 << 20); i++)
		fputc(i & 0xff, f);
	fclose(f);
	http_upload(&h, alice, big, "big.jpg", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 500);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Internal server error");
	http_free(&h);
	CU_ASSERT_EQUAL(count_files(media), 0);
	snprintf(cmd, sizeof(cmd), "umount '%s'", media);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(db_count("SELECT COUNT(*) FROM partnerd.assets WHERE "
	    "original_file_name = 'big.jpg'"), 0);
	CU_ASSERT_EQUAL(api_status(alice, "GET", "/api/users/me", NULL), 200);
}

/* ---- albums -------------------------------------------------------------- */

/* An album's startDate and endDate: the first and last local capture time
 * of the assets the caller may see in it, null while there are none. */
static void
test_albums_start_and_end_dates_cover_what_the_caller_sees(void)
{
	struct http		 h;
	struct json_object	*v, *a;
	char			 first[37], second[37], body[256], path[128], album[37];
	char			 t1[40], t2[40];
	size_t			 i;

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(21), first), 0);
	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(22), second), 0);
	/* Their own times, as the asset answers say. */
	snprintf(path, sizeof(path), "/api/assets/%s", first);
	CU_ASSERT_EQUAL_FATAL(api(alice, "GET", path, NULL, &h), 200);
	snprintf(t1, sizeof(t1), "%s", jget(h.json, "localDateTime", NULL));
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s", second);
	CU_ASSERT_EQUAL_FATAL(api(alice, "GET", path, NULL, &h), 200);
	snprintf(t2, sizeof(t2), "%s", jget(h.json, "localDateTime", NULL));
	http_free(&h);
	if (strcmp(t1, t2) > 0) {	/* t1 the earlier */
		char	 t[40];

		memcpy(t, t1, sizeof(t));
		memcpy(t1, t2, sizeof(t));
		memcpy(t2, t, sizeof(t));
	}
	CU_ASSERT_EQUAL_FATAL(api(alice, "POST", "/api/albums", "{\"albumName\":\"Dates\"}", &h), 201);
	snprintf(album, sizeof(album), "%s", jget(h.json, "id", NULL));
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "startDate", &v) && v == NULL);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "endDate", &v) && v == NULL);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/albums/%s/assets", album);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\",\"%s\"]}", first, second);
	CU_ASSERT_EQUAL_FATAL(api(alice, "PUT", path, body, &h), 200);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/albums/%s", album);
	CU_ASSERT_EQUAL_FATAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "startDate", NULL), t1);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "endDate", NULL), t2);
	http_free(&h);
	/* The list says the same. */
	CU_ASSERT_EQUAL_FATAL(api(alice, "GET", "/api/albums", NULL, &h), 200);
	for (i = 0, a = NULL; i < json_object_array_length(h.json); i++)
		if (strcmp(jget(json_object_array_get_idx(h.json, i), "id", NULL), album) == 0)
			a = json_object_array_get_idx(h.json, i);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_STRING_EQUAL(jget(a, "startDate", NULL), t1);
	CU_ASSERT_STRING_EQUAL(jget(a, "endDate", NULL), t2);
	http_free(&h);
}

static void
test_albums_add_own_and_refuse_others_assets(void)
{
	struct http		 h;
	struct json_object	*r;
	char			 mine[37], theirs[37], body[512], path[128], album[37];

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(13), mine), 0);
	CU_ASSERT_EQUAL_FATAL(upload_id(mallory, photo(14), theirs), 0);
	CU_ASSERT_EQUAL(api(alice, "POST", "/api/albums", "{\"albumName\":\"Trip\"}", &h), 201);
	snprintf(album, sizeof(album), "%s", jget(h.json, "id", NULL));
	CU_ASSERT_STRING_EQUAL(jget(h.json, "assetCount", NULL), "0");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/albums/%s/assets", album);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\",\"%s\",\"%s\"]}", mine, theirs, mine);
	CU_ASSERT_EQUAL_FATAL(api(alice, "PUT", path, body, &h), 200);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(h.json), 3);
	r = json_object_array_get_idx(h.json, 0);
	CU_ASSERT_STRING_EQUAL(jget(r, "success", NULL), "true");
	r = json_object_array_get_idx(h.json, 1);
	CU_ASSERT_STRING_EQUAL(jget(r, "success", NULL), "false");
	CU_ASSERT_STRING_EQUAL(jget(r, "error", NULL), "no_permission");
	r = json_object_array_get_idx(h.json, 2);
	CU_ASSERT_STRING_EQUAL(jget(r, "error", NULL), "duplicate");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/albums/%s", album);
	CU_ASSERT_EQUAL(api(alice, "GET", path, NULL, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "assetCount", NULL), "1");
	CU_ASSERT_STRING_EQUAL(jget(h.json, "albumThumbnailAssetId", NULL), mine);
	http_free(&h);
	/* Not her album: Mallory can neither read nor add to it. */
	CU_ASSERT_EQUAL(api(mallory, "GET", path, NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no album.read access");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/albums/%s/assets", album);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", theirs);
	CU_ASSERT_EQUAL(api(mallory, "PUT", path, body, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no albumAsset.create access");
	http_free(&h);
	/* Remove, then delete the album. */
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", mine);
	CU_ASSERT_EQUAL(api(alice, "DELETE", path, body, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(json_object_array_get_idx(h.json, 0), "success", NULL), "true");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/albums/%s", album);
	CU_ASSERT_EQUAL(api_status(alice, "DELETE", path, NULL), 204);
	CU_ASSERT_EQUAL(api_status(alice, "GET", path, NULL), 400);
}

static void
test_albums_list_and_add_to_many(void)
{
	struct http	 h;
	char		 a1[37], a2[37], asset[37], body[512];

	CU_ASSERT_EQUAL_FATAL(upload_id(alice, photo(15), asset), 0);
	api(alice, "POST", "/api/albums", "{\"albumName\":\"One\"}", &h);
	snprintf(a1, sizeof(a1), "%s", jget(h.json, "id", NULL));
	http_free(&h);
	api(alice, "POST", "/api/albums", "{\"albumName\":\"Two\",\"description\":\"d\"}", &h);
	snprintf(a2, sizeof(a2), "%s", jget(h.json, "id", NULL));
	http_free(&h);
	snprintf(body, sizeof(body), "{\"albumIds\":[\"%s\",\"%s\"],\"assetIds\":[\"%s\"]}",
	    a1, a2, asset);
	CU_ASSERT_EQUAL(api(alice, "PUT", "/api/albums/assets", body, &h), 200);
	CU_ASSERT_STRING_EQUAL(jget(h.json, "success", NULL), "true");
	http_free(&h);
	CU_ASSERT_EQUAL(api(alice, "GET", "/api/albums", NULL, &h), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, a1));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, a2));
	http_free(&h);
	CU_ASSERT_EQUAL(api(mallory, "GET", "/api/albums", NULL, &h), 200);
	CU_ASSERT_PTR_NULL(strstr(h.body, a1));
	http_free(&h);
}

void
suite_assets(void)
{
	CU_pSuite s = CU_add_suite("e2e: assets and albums through nginx",
	    assets_init, assets_clean);

	ADD_TEST(s, test_assets_upload_reads_exif_and_makes_thumbnails);
	ADD_TEST(s, test_assets_same_file_twice_is_duplicate);
	ADD_TEST(s, test_assets_checksum_header_answers_before_the_body);
	ADD_TEST(s, test_assets_original_is_identical_with_range_and_etag);
	ADD_TEST(s, test_assets_worker_never_reads_the_file_on_download);
	ADD_TEST(s, test_assets_thumbnail_and_preview);
	ADD_TEST(s, test_assets_media_directory_is_not_reachable_by_url);
	ADD_TEST(s, test_assets_other_users_get_no_access);
	ADD_TEST(s, test_assets_update_favorite_archive_date_location);
	ADD_TEST(s, test_assets_trash_restore_and_force_delete);
	ADD_TEST(s, test_assets_empty_trash_removes_rows_and_files);
	ADD_TEST(s, test_assets_bad_uploads_are_refused);
	ADD_TEST(s, test_assets_video_that_does_not_decode_is_refused);
	ADD_TEST(s, test_assets_interrupted_upload_leaves_nothing);
	ADD_TEST(s, test_assets_database_gone_mid_upload_leaves_nothing);
	ADD_TEST(s, test_assets_full_disk_leaves_nothing);
	ADD_TEST(s, test_albums_add_own_and_refuse_others_assets);
	ADD_TEST(s, test_albums_start_and_end_dates_cover_what_the_caller_sees);
	ADD_TEST(s, test_albums_list_and_add_to_many);
}
