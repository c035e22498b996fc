/*
 * test_video.c: videos as a person uploads them, through nginx to the real
 * worker. The files are made here with Debian's ffmpeg program: an MP4/H.264
 * with a fade-in from black, a 90-degree rotation and a creation time (red
 * on top, blue below before turning: red on the left once turned), a MOV
 * with GPS, and a truncated copy.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <vips/vips.h>

#include "harness.h"

static char	 dir[1024], owner_tok[512], partner_tok[512], stranger_tok[512];
static char	 rot_id[37], mov_id[37];

static const char *
vpath(const char *name)
{
	static char	 p[4][1100];
	static int	 n;

	n = (n + 1) % 4;
	snprintf(p[n], sizeof(p[n]), "%.1024s/%.64s", dir, name);
	return p[n];
}

/* A fixture JPEG of its own (harness fixture_dir). */
static const char *
fixture_dir_file(unsigned seed, unsigned n)
{
	static char	 p[4][1200];
	static int	 k;
	const char	*d = fixture_dir(seed, n);

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/f%u_%04u.jpg", d ? d : "/nonexistent", seed, n);
	return p[k];
}

static int
token_of(const char *prefix, char *tok, size_t toksz, char *id)
{
	char	 email[128], *t;

	unique_email(prefix, email, sizeof(email));
	if (make_user(email, "pw-video-1", id) != 0 ||
	    (t = login_token(email, "pw-video-1")) == NULL)
		return -1;
	snprintf(tok, toksz, "%s", t);
	free(t);
	return 0;
}

static int
video_init(void)
{
	char	 oid[37], pid[37], sid[37], body[128], cmd[8192];

	snprintf(dir, sizeof(dir), "%s/videos", test_env("PARTNERD_TEST_STATE"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' && cd '%s' && "
	    "ffmpeg -v error -y -f lavfi -i 'color=red:s=320x120:d=2[t];color=blue:s=320x120:d=2[b];"
	    "[t][b]vstack,format=yuv420p,fade=in:st=0:d=0.6' -r 25 -c:v libx264 pre.mp4 && "
	    "ffmpeg -v error -y -i pre.mp4 -c copy -metadata:s:v:0 rotate=90 "
	    "-metadata creation_time=2021-06-01T12:00:00.000000Z rot.mp4 && "
	    "ffmpeg -v error -y -f lavfi -i testsrc=size=160x120:rate=25:duration=1 "
	    "-c:v libx264 -pix_fmt yuv420p -metadata location=+48.8584+002.2945/ "
	    "-metadata creation_time=2020-01-02T03:04:05Z gps.mov && "
	    "head -c 3000 rot.mp4 > trunc.mp4 && chmod -R a+rX '%s'", dir, dir, dir, dir);
	if (system(cmd) != 0)
		return -1;
	if (token_of("video-owner", owner_tok, sizeof(owner_tok), oid) != 0 ||
	    token_of("video-partner", partner_tok, sizeof(partner_tok), pid) != 0 ||
	    token_of("video-stranger", stranger_tok, sizeof(stranger_tok), sid) != 0)
		return -1;
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", pid);
	if (api_status(owner_tok, "POST", "/api/partners", body) != 201)
		return -1;
	if (upload_id(owner_tok, vpath("rot.mp4"), rot_id) != 0 ||
	    upload_id(owner_tok, vpath("gps.mov"), mov_id) != 0)
		return -1;
	return 0;
}

static struct json_object *
get_asset(const char *token, const char *id, struct http *h)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/assets/%s", id);
	api(token, "GET", path, NULL, h);
	return h->status == 200 ? h->json : NULL;
}

static struct json_object *
field(struct json_object *o, const char *a, const char *b)
{
	struct json_object	*v = json_object_object_get(o, a);

	return b != NULL ? json_object_object_get(v, b) : v;
}

static void
test_video_duration_size_and_time_come_from_the_container(void)
{
	struct http		 h;
	struct json_object	*o = get_asset(owner_tok, rot_id, &h);
	long long		 ms;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(field(o, "type", NULL)), "VIDEO");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(field(o, "originalMimeType", NULL)), "video/mp4");
	/* Immich v3: whole milliseconds. */
	CU_ASSERT_TRUE(json_object_is_type(field(o, "duration", NULL), json_type_int));
	ms = json_object_get_int64(field(o, "duration", NULL));
	CU_ASSERT(ms >= 1950 && ms <= 2100);
	/* 320 x 240 turned a quarter: displayed 240 wide, 320 high. */
	CU_ASSERT_EQUAL(json_object_get_int(field(o, "width", NULL)), 240);
	CU_ASSERT_EQUAL(json_object_get_int(field(o, "height", NULL)), 320);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(field(o, "exifInfo", "dateTimeOriginal")),
	    "2021-06-01T12:00:00.000Z");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(field(o, "fileCreatedAt", NULL)),
	    "2021-06-01T12:00:00.000Z");
	http_free(&h);
}

static void
test_video_mov_gps_is_where_it_was_taken(void)
{
	struct http		 h;
	struct json_object	*o = get_asset(owner_tok, mov_id, &h);

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(field(o, "exifInfo", "latitude")), 48.8584, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(field(o, "exifInfo", "longitude")), 2.2945, 1e-4);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(field(o, "exifInfo", "dateTimeOriginal")),
	    "2020-01-02T03:04:05.000Z");
	http_free(&h);
}

/* Mean of band of the left or right half of an image. */
static double
half_mean(VipsImage *img, int band, int right)
{
	VipsImage	*half = NULL, *b = NULL;
	int		 w = vips_image_get_width(img) / 2;
	double		 m = -1;

	if (vips_extract_area(img, &half, right ? w : 0, 0, w, vips_image_get_height(img), NULL) == 0 &&
	    vips_extract_band(half, &b, band, NULL) == 0)
		vips_avg(b, &m, NULL);
	if (b) g_object_unref(b);
	if (half) g_object_unref(half);
	return m;
}

static void
test_video_poster_is_a_turned_frame_with_detail(void)
{
	struct http	 h;
	char		 path[128];
	VipsImage	*img;
	double		 dev = 0;

	snprintf(path, sizeof(path), "/api/assets/%s/thumbnail?size=preview", rot_id);
	CU_ASSERT_EQUAL_FATAL(api(owner_tok, "GET", path, NULL, &h), 200);
	img = vips_image_new_from_buffer(h.body, h.len, "", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	/* Portrait, as displayed; not flat; not the black first frame. */
	CU_ASSERT(vips_image_get_height(img) > vips_image_get_width(img));
	vips_deviate(img, &dev, NULL);
	CU_ASSERT(dev > 20);
	/* Red was on top: turned clockwise, it is on the left. */
	CU_ASSERT(half_mean(img, 0, 0) > 150);
	CU_ASSERT(half_mean(img, 0, 1) < 60);
	CU_ASSERT(half_mean(img, 2, 1) > 150);
	g_object_unref(img);
	http_free(&h);
}

/* GET the playback URL with a byte range; the status. */
static long
playback(const char *token, const char *id, struct http *h)
{
	char		 path[128], auth[600];
	const char	*hl[3] = { bearer(auth, sizeof(auth), token), "Range: bytes=100-199", NULL };

	snprintf(path, sizeof(path), "/api/assets/%s/video/playback", id);
	http_do(h, "GET", path, NULL, hl);
	return h->status;
}

static int
same_bytes(const struct http *h, const char *file, long off, size_t n)
{
	char	 buf[256];
	FILE	*f = fopen(file, "rb");
	int	 ok;

	if (f == NULL || n > sizeof(buf))
		return 0;
	ok = fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n &&
	    h->len == n && memcmp(h->body, buf, n) == 0;
	fclose(f);
	return ok;
}

static void
test_video_playback_seeks_for_owner_and_partner_only(void)
{
	struct http	 h;
	char		 ct[64], body[128];

	/* The owner seeks: 206 with exactly the bytes asked for. */
	CU_ASSERT_EQUAL(playback(owner_tok, rot_id, &h), 206);
	CU_ASSERT_TRUE(same_bytes(&h, vpath("rot.mp4"), 100, 100));
	CU_ASSERT_STRING_EQUAL(http_header(&h, "Content-Type", ct, sizeof(ct)) ?: "", "video/mp4");
	http_free(&h);
	/* So does the partner; a stranger gets Immich's 400. */
	CU_ASSERT_EQUAL(playback(partner_tok, rot_id, &h), 206);
	CU_ASSERT_TRUE(same_bytes(&h, vpath("rot.mp4"), 100, 100));
	http_free(&h);
	CU_ASSERT_EQUAL(playback(stranger_tok, rot_id, &h), 400);
	http_free(&h);
	/* Archived: the owner still plays it, the partner no longer. */
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"archive\"}", rot_id);
	CU_ASSERT_EQUAL_FATAL(api_status(owner_tok, "PUT", "/api/assets", body), 204);
	CU_ASSERT_EQUAL(playback(partner_tok, rot_id, &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(playback(owner_tok, rot_id, &h), 206);
	http_free(&h);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"timeline\"}", rot_id);
	CU_ASSERT_EQUAL(api_status(owner_tok, "PUT", "/api/assets", body), 204);
}

static void
test_video_playback_of_a_photo_is_400(void)
{
	struct http	 h;
	char		 id[37];

	CU_ASSERT_EQUAL_FATAL(upload_id(owner_tok, fixture_dir_file(31, 1), id), 0);
	CU_ASSERT_EQUAL(playback(owner_tok, id, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Asset is not a video");
	http_free(&h);
}

static void
test_video_truncated_file_is_refused_and_leaves_nothing(void)
{
	struct http	 h;
	char		 before[32], after[32], sql[256], tmp[1200];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.assets WHERE "
	    "original_file_name = 'trunc.mp4'");
	CU_ASSERT_EQUAL_FATAL(db_root_value(sql, before, sizeof(before)), 0);
	CU_ASSERT_EQUAL(http_upload(&h, owner_tok, vpath("trunc.mp4"), "trunc.mp4", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "The file is not a readable video");
	http_free(&h);
	CU_ASSERT_EQUAL(db_root_value(sql, after, sizeof(after)), 0);
	CU_ASSERT_STRING_EQUAL(before, after);
	snprintf(tmp, sizeof(tmp), "%s/media/tmp", test_env("PARTNERD_TEST_STATE"));
	CU_ASSERT_EQUAL(count_files(tmp), 0);
}

static void
test_live_photo_links_its_video_and_hides_it(void)
{
	struct http		 h;
	struct json_object	*o;
	char			 video[37], field_[64], other[512], oid[37], vis[32], sql[256];
	const char		*f[2] = { field_, NULL };

	/* The motion part first, then the still that names it. */
	CU_ASSERT_EQUAL_FATAL(upload_id(owner_tok, vpath("pre.mp4"), video), 0);
	snprintf(field_, sizeof(field_), "livePhotoVideoId=%s", video);
	CU_ASSERT_EQUAL(http_upload(&h, owner_tok, fixture_dir_file(32, 1), "live.jpg", f, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(h.status, 201);
	{
		char	 still[37];

		snprintf(still, sizeof(still), "%s",
		    json_object_get_string(json_object_object_get(h.json, "id")));
		http_free(&h);
		o = get_asset(owner_tok, still, &h);
		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_STRING_EQUAL(json_object_get_string(field(o, "livePhotoVideoId", NULL)), video);
		http_free(&h);
	}
	/* The video left the timeline; the partner can still play it. */
	snprintf(sql, sizeof(sql), "SELECT visibility FROM partnerd.assets WHERE id = '%s'", video);
	CU_ASSERT_EQUAL(db_root_value(sql, vis, sizeof(vis)), 0);
	CU_ASSERT_STRING_EQUAL(vis, "hidden");
	CU_ASSERT_EQUAL(playback(partner_tok, video, &h), 206);
	http_free(&h);
	/* Only a video of the same owner. */
	CU_ASSERT_EQUAL_FATAL(token_of("video-other", other, sizeof(other), oid), 0);
	CU_ASSERT_EQUAL(http_upload(&h, other, fixture_dir_file(33, 1), "live2.jpg", f, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "livePhotoVideoId must be a video of the same owner");
	http_free(&h);
}

void
suite_video(void)
{
	CU_pSuite s = CU_add_suite("e2e: videos", video_init, NULL);

	ADD_TEST(s, test_video_duration_size_and_time_come_from_the_container);
	ADD_TEST(s, test_video_mov_gps_is_where_it_was_taken);
	ADD_TEST(s, test_video_poster_is_a_turned_frame_with_detail);
	ADD_TEST(s, test_video_playback_seeks_for_owner_and_partner_only);
	ADD_TEST(s, test_video_playback_of_a_photo_is_400);
	ADD_TEST(s, test_video_truncated_file_is_refused_and_leaves_nothing);
	ADD_TEST(s, test_live_photo_links_its_video_and_hides_it);
}
