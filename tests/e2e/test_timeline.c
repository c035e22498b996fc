/*
 * test_timeline.c: /api/timeline/buckets and /api/timeline/bucket through
 * nginx: Immich's rules in Immich's order, partners by their own choice,
 * the columnar format, and ETags.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"

struct who {
	char	 id[37], email[128], *token;
};

static struct who	 me, on, off, stranger;	/* on/off: share with me, flag on/off */
static char		 my_assets[4][37], on_assets[2][37], off_asset[37], on_archived[37];
static const char	*pics;
static int		 next = 1;

static const char *
pic(void)
{
	static char	 p[1024];

	snprintf(p, sizeof(p), "%s/f13_%04d.jpg", pics, next++);
	return p;
}

static int
who(struct who *w, const char *prefix)
{
	unique_email(prefix, w->email, sizeof(w->email));
	return make_user(w->email, "pw-tl-1", w->id) == 0 &&
	    (w->token = login_token(w->email, "pw-tl-1")) != NULL ? 0 : -1;
}

static long
get(struct who *w, const char *path, struct http *h)
{
	char		 auth[256];
	const char	*hl[2] = { bearer(auth, sizeof(auth), w->token), NULL };

	http_do(h, "GET", path, NULL, hl);
	return h->status;
}

static long
do_req(struct who *w, const char *method, const char *path, const char *body)
{
	char		 auth[256];
	const char	*hl[2] = { bearer(auth, sizeof(auth), w->token), NULL };
	struct http	 h;
	long		 st;

	http_do(&h, method, path, body, hl);
	st = h.status;
	http_free(&h);
	return st;
}

/* Put an asset into a known month (test set-up via the API). */
static int
set_date(struct who *w, const char *id, const char *when)
{
	char	 path[128], body[256];

	snprintf(path, sizeof(path), "/api/assets/%.36s", id);
	snprintf(body, sizeof(body), "{\"dateTimeOriginal\":\"%.64s\"}", when);
	return do_req(w, "PUT", path, body) == 200 ? 0 : -1;
}

static int
timeline_init(void)
{
	char	 body[128], path[128];
	int	 i;

	if ((pics = fixture_dir(13, 30)) == NULL || who(&me, "tl-me") || who(&on, "tl-on") ||
	    who(&off, "tl-off") || who(&stranger, "tl-stranger"))
		return -1;
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", me.id);
	if (do_req(&on, "POST", "/api/partners", body) != 201 ||
	    do_req(&off, "POST", "/api/partners", body) != 201)
		return -1;
	snprintf(path, sizeof(path), "/api/partners/%s", on.id);
	if (do_req(&me, "PUT", path, "{\"inTimeline\":true}") != 200)
		return -1;
	/* Mine: three in March 2022 (the 12th, 11th, 10th), one in January 2021. */
	for (i = 0; i < 4; i++) {
		char	 when[64];

		if (i < 3)
			snprintf(when, sizeof(when), "2022-03-1%dT10:00:00.000+02:00", 2 - i);
		else
			snprintf(when, sizeof(when), "2021-01-05T08:00:00.000Z");
		if (upload_id(me.token, pic(), my_assets[i]) != 0 ||
		    set_date(&me, my_assets[i], when))
			return -1;
	}
	for (i = 0; i < 2; i++)
		if (upload_id(on.token, pic(), on_assets[i]) != 0 ||
		    set_date(&on, on_assets[i], "2022-03-20T12:00:00.000Z"))
			return -1;
	if (upload_id(on.token, pic(), on_archived) != 0 ||
	    set_date(&on, on_archived, "2022-03-21T12:00:00.000Z"))
		return -1;
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"archive\"}", on_archived);
	if (do_req(&on, "PUT", "/api/assets", body) != 204)
		return -1;
	if (upload_id(off.token, pic(), off_asset) != 0 ||
	    set_date(&off, off_asset, "2022-03-22T12:00:00.000Z"))
		return -1;
	return 0;
}

static int
timeline_clean(void)
{
	free(me.token);
	free(on.token);
	free(off.token);
	free(stranger.token);
	return 0;
}

/* count of the bucket "YYYY-MM-01" in a buckets answer, or 0. */
static long
count_of(struct json_object *arr, const char *month)
{
	size_t	 i;

	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *b = json_object_array_get_idx(arr, i);

		if (strcmp(json_object_get_string(json_object_object_get(b, "timeBucket")), month) == 0)
			return json_object_get_int64(json_object_object_get(b, "count"));
	}
	return 0;
}

static void
test_timeline_buckets_count_my_months(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets", &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), 3);
	CU_ASSERT_EQUAL(count_of(h.json, "2021-01-01"), 1);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 2);
	/* Newest first by default; order=asc turns it round. */
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(h.json, 0), "timeBucket")), "2022-03-01");
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?order=asc", &h), 200);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(h.json, 0), "timeBucket")), "2021-01-01");
	http_free(&h);
}

static void
test_timeline_with_partners_follows_the_recipients_choice(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?visibility=timeline&withPartners=true", &h), 200);
	/* Mine (3) + the partner shown in my timeline (2, not the archived
	 * one) + nothing of the partner I keep out of it. */
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), 5);
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/bucket?timeBucket=2022-03-01&visibility=timeline"
	    "&withPartners=true", &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(h.json, "id")), 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, on_assets[0]));
	CU_ASSERT_PTR_NULL(strstr(h.body, on_archived));
	CU_ASSERT_PTR_NULL(strstr(h.body, off_asset));
	http_free(&h);
}

static void
test_timeline_with_partners_refuses_archive_trash_favourites(void)
{
	static const char *const bad[] = {
		"/api/timeline/buckets?withPartners=true",
		"/api/timeline/buckets?withPartners=true&visibility=archive",
		"/api/timeline/buckets?withPartners=true&visibility=timeline&isFavorite=false",
		"/api/timeline/buckets?withPartners=true&visibility=timeline&isTrashed=true",
	};
	struct http	 h;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(get(&me, bad[i], &h), 400);
		CU_ASSERT_STRING_EQUAL(http_message(&h), "withPartners is only supported for "
		    "non-archived, non-trashed, non-favorited, non-locked assets");
		http_free(&h);
	}
	/* hidden is allowed with partners, as in Immich. */
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?withPartners=true&visibility=hidden", &h), 200);
	http_free(&h);
}

static void
test_timeline_rules_in_immich_order(void)
{
	struct http	 h;
	char		 path[256];

	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?visibility=locked", &h), 401);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Elevated permission is required");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/timeline/buckets?userId=%s", stranger.id);
	CU_ASSERT_EQUAL(get(&me, path, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no timeline.read access");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/timeline/buckets?userId=%s&visibility=archive", on.id);
	CU_ASSERT_EQUAL(get(&me, path, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no archive.read access");
	http_free(&h);
	/* The sharer cannot read the recipient's timeline: one way. */
	snprintf(path, sizeof(path), "/api/timeline/buckets?userId=%s", me.id);
	CU_ASSERT_EQUAL(get(&on, path, &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?personId=00000000-0000-4000-a000-000000000000", &h), 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(http_message(&h), "personId"));
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?tagId=00000000-0000-4000-a000-000000000000", &h), 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(http_message(&h), "tagId"));
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?isFavorite=yes", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Validation failed");
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/bucket", &h), 400);
	http_free(&h);
}

static void
test_timeline_of_a_partner_never_shows_their_archive(void)
{
	struct http	 h;
	char		 path[256];

	/* Immich's default visibility would include the partner's archived
	 * photo here; partnerd's one access rule does not. */
	snprintf(path, sizeof(path), "/api/timeline/bucket?userId=%s&timeBucket=2022-03-01", on.id);
	CU_ASSERT_EQUAL(get(&me, path, &h), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, on_assets[0]));
	CU_ASSERT_PTR_NULL(strstr(h.body, on_archived));
	http_free(&h);
	snprintf(path, sizeof(path), "/api/timeline/buckets?userId=%s", on.id);
	CU_ASSERT_EQUAL(get(&me, path, &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), 2);
	http_free(&h);
	/* The owner sees their own archive. */
	snprintf(path, sizeof(path), "/api/timeline/buckets?visibility=archive");
	CU_ASSERT_EQUAL(get(&on, path, &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), 1);
	http_free(&h);
}

static void
test_timeline_favourite_filter_never_reveals_partner_favourites(void)
{
	struct http	 h;
	char		 path[256];

	snprintf(path, sizeof(path), "/api/assets/%s", on_assets[1]);
	CU_ASSERT_EQUAL(do_req(&on, "PUT", path, "{\"isFavorite\":true}"), 200);
	snprintf(path, sizeof(path), "/api/timeline/bucket?userId=%s&timeBucket=2022-03-01&isFavorite=true", on.id);
	CU_ASSERT_EQUAL(get(&me, path, &h), 200);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string(json_object_object_get(h.json, "id")), "[ ]");
	http_free(&h);
	snprintf(path, sizeof(path), "/api/timeline/bucket?userId=%s&timeBucket=2022-03-01", on.id);
	CU_ASSERT_EQUAL(get(&me, path, &h), 200);
	CU_ASSERT_PTR_NULL(strstr(json_object_to_json_string(json_object_object_get(h.json,
	    "isFavorite")), "true"));
	http_free(&h);
	/* My own favourites do show. */
	snprintf(path, sizeof(path), "/api/assets/%s", my_assets[0]);
	CU_ASSERT_EQUAL(do_req(&me, "PUT", path, "{\"isFavorite\":true}"), 200);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/bucket?timeBucket=2022-03-01&isFavorite=true", &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(h.json, "id")), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, my_assets[0]));
	http_free(&h);
}

static void
test_timeline_bucket_is_columnar_with_immich_formats(void)
{
	static const char *const keys[] = {
		"id", "ownerId", "ratio", "isFavorite", "visibility", "isTrashed", "isImage",
		"thumbhash", "fileCreatedAt", "createdAt", "localOffsetHours", "duration",
		"livePhotoVideoId", "projectionType", "status", "city", "country",
	};
	struct http	 h;
	size_t		 i, n;

	CU_ASSERT_EQUAL(get(&me, "/api/timeline/bucket?timeBucket=2022-03-01", &h), 200);
	n = json_object_array_length(json_object_object_get(h.json, "id"));
	CU_ASSERT_EQUAL(n, 3);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct json_object *v = json_object_object_get(h.json, keys[i]);

		CU_ASSERT_TRUE(json_object_is_type(v, json_type_array));
		CU_ASSERT_EQUAL(json_object_array_length(v), n);	/* parallel */
	}
	CU_ASSERT_PTR_NULL(json_object_object_get(h.json, "latitude"));
	/* Wall-clock times, no zone; +02:00 gives an offset of 2 hours. */
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(
	    json_object_object_get(h.json, "fileCreatedAt"), 0)), "2022-03-12T08:00:00");
	CU_ASSERT_EQUAL(json_object_get_double(json_object_array_get_idx(
	    json_object_object_get(h.json, "localOffsetHours"), 0)), 2.0);
	CU_ASSERT_TRUE(json_object_get_boolean(json_object_array_get_idx(
	    json_object_object_get(h.json, "isImage"), 0)));
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/bucket?timeBucket=2022-03-01&withCoordinates=true&withStacked=true", &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(h.json, "latitude")), 3);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(h.json, "stack")), 3);
	http_free(&h);
	/* Not a month start: 200 with every array empty. */
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/bucket?timeBucket=2022-03-10", &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(h.json, "id")), 0);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(h.json, "city")), 0);
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/bucket?timeBucket=2022-03-01T00:00:00.000Z", &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(h.json, "id")), 3);
	http_free(&h);
}

static void
test_timeline_etag_and_304(void)
{
	struct http	 h;
	char		 etag[80], inm[128], auth[256], path[128];
	const char	*hl[3];

	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets", &h), 200);
	CU_ASSERT_PTR_NOT_NULL_FATAL(http_header(&h, "ETag", etag, sizeof(etag)));
	CU_ASSERT_EQUAL(strncmp(etag, "W/\"", 3), 0);
	http_free(&h);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	hl[0] = bearer(auth, sizeof(auth), me.token);
	hl[1] = inm;
	hl[2] = NULL;
	http_do(&h, "GET", "/api/timeline/buckets", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 304);
	CU_ASSERT_EQUAL(h.len, 0);
	http_free(&h);
	/* A change in the owner set: a new ETag, a full answer. */
	snprintf(path, sizeof(path), "/api/assets/%s", my_assets[3]);
	CU_ASSERT_EQUAL(do_req(&me, "PUT", path, "{\"description\":\"new\"}"), 200);
	http_do(&h, "GET", "/api/timeline/buckets", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
}

/* A partner's edit of an asset I may not see (archived) keeps my ETag;
 * an edit of one I see changes it. */
static void
test_timeline_etag_ignores_a_partners_edit_i_cannot_see(void)
{
	static const char	 tl[] = "/api/timeline/buckets?withPartners=true&visibility=timeline";
	struct http		 h;
	char			 etag[80], inm[128], auth[256], path[128];
	const char		*hl[3];

	CU_ASSERT_EQUAL(get(&me, tl, &h), 200);
	CU_ASSERT_PTR_NOT_NULL_FATAL(http_header(&h, "ETag", etag, sizeof(etag)));
	http_free(&h);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	hl[0] = bearer(auth, sizeof(auth), me.token);
	hl[1] = inm;
	hl[2] = NULL;
	snprintf(path, sizeof(path), "/api/assets/%s", on_archived);
	CU_ASSERT_EQUAL(do_req(&on, "PUT", path, "{\"description\":\"not for me\"}"), 200);
	http_do(&h, "GET", tl, NULL, hl);
	CU_ASSERT_EQUAL(h.status, 304);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/assets/%s", on_assets[0]);
	CU_ASSERT_EQUAL(do_req(&on, "PUT", path, "{\"description\":\"for me\"}"), 200);
	http_do(&h, "GET", tl, NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
}

static void
test_timeline_bbox_created_at_and_album(void)
{
	struct http	 h;
	char		 body[256], album[37], path[256];

	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?bbox=1,2,3", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h),
	    "bbox must have 4 comma-separated numbers: west,south,east,north");
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?bbox=a,2,3,4", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "bbox parts must be valid numbers");
	http_free(&h);
	/* The whole world holds all three March photos (they have GPS). */
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?bbox=-180,-90,180,90", &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), 3);
	http_free(&h);
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?bbox=0,0,0.0001,0.0001", &h), 200);
	CU_ASSERT_STRING_EQUAL(h.body, "[]");
	http_free(&h);
	/* By upload time: everything was uploaded this month. */
	CU_ASSERT_EQUAL(get(&me, "/api/timeline/buckets?orderBy=createdAt", &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 1);
	http_free(&h);
	/* An album of mine holding a partner's photo and one of mine. */
	{
		char auth[256];
		const char *hl[2] = { bearer(auth, sizeof(auth), me.token), NULL };

		http_do(&h, "POST", "/api/albums", "{\"albumName\":\"tl\"}", hl);
		snprintf(album, sizeof(album), "%s", json_object_get_string(json_object_object_get(h.json, "id")));
		http_free(&h);
	}
	snprintf(path, sizeof(path), "/api/albums/%s/assets", album);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\",\"%s\"]}", my_assets[3], on_assets[0]);
	CU_ASSERT_EQUAL(do_req(&me, "PUT", path, body), 200);
	snprintf(path, sizeof(path), "/api/timeline/buckets?albumId=%s", album);
	CU_ASSERT_EQUAL(get(&me, path, &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), 1);
	CU_ASSERT_EQUAL(count_of(h.json, "2021-01-01"), 1);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/timeline/buckets?albumId=%s", album);
	CU_ASSERT_EQUAL(get(&stranger, path, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no album.read access");
	http_free(&h);
}

/* The ids of the bucket of March 2022 as me sees it with partners. */
static size_t
march_ids(struct http *h)
{
	size_t	 n;

	if (get(&me, "/api/timeline/bucket?timeBucket=2022-03-01&withPartners=true"
	    "&visibility=timeline", h) != 200)
		return (size_t)-1;
	n = json_object_array_length(json_object_object_get(h->json, "id"));
	http_free(h);
	return n;
}

static void
test_timeline_answers_follow_a_partners_change_at_once(void)
{
	const char	*buckets = "/api/timeline/buckets?withPartners=true&visibility=timeline";
	struct http	 h, h2;
	char		 body[128];
	long		 before;
	size_t		 ids;

	/* Asked twice with nothing changed: the same answer, byte for byte
	 * (the second from the worker's cache). */
	CU_ASSERT_EQUAL(get(&me, buckets, &h), 200);
	CU_ASSERT_EQUAL(get(&me, buckets, &h2), 200);
	CU_ASSERT_STRING_EQUAL(h.body, h2.body);
	before = count_of(h.json, "2022-03-01");
	http_free(&h);
	http_free(&h2);
	ids = march_ids(&h);
	CU_ASSERT_EQUAL(ids, (size_t)before);
	/* The partner archives a photo: gone from my month and its count. */
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"archive\"}",
	    on_assets[1]);
	CU_ASSERT_EQUAL_FATAL(do_req(&on, "PUT", "/api/assets", body), 204);
	CU_ASSERT_EQUAL(get(&me, buckets, &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), before - 1);
	http_free(&h);
	CU_ASSERT_EQUAL(march_ids(&h), ids - 1);
	/* And back. */
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"timeline\"}",
	    on_assets[1]);
	CU_ASSERT_EQUAL_FATAL(do_req(&on, "PUT", "/api/assets", body), 204);
	CU_ASSERT_EQUAL(get(&me, buckets, &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), before);
	http_free(&h);
	CU_ASSERT_EQUAL(march_ids(&h), ids);
}

static void
test_timeline_answers_follow_a_share_ending_at_once(void)
{
	const char	*buckets = "/api/timeline/buckets?withPartners=true&visibility=timeline";
	char		 path[128], body[128];
	struct http	 h;
	long		 before;

	CU_ASSERT_EQUAL(get(&me, buckets, &h), 200);
	before = count_of(h.json, "2022-03-01");
	http_free(&h);
	CU_ASSERT_EQUAL(march_ids(&h), (size_t)before);
	/* The partner stops sharing: their two photos leave my timeline. */
	snprintf(path, sizeof(path), "/api/partners/%s", me.id);
	CU_ASSERT_EQUAL_FATAL(do_req(&on, "DELETE", path, NULL), 204);
	CU_ASSERT_EQUAL(get(&me, buckets, &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), before - 2);
	http_free(&h);
	CU_ASSERT_EQUAL(march_ids(&h), (size_t)before - 2);
	/* Shared again and shown again. */
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", me.id);
	CU_ASSERT_EQUAL_FATAL(do_req(&on, "POST", "/api/partners", body), 201);
	snprintf(path, sizeof(path), "/api/partners/%s", on.id);
	CU_ASSERT_EQUAL_FATAL(do_req(&me, "PUT", path, "{\"inTimeline\":true}"), 200);
	CU_ASSERT_EQUAL(get(&me, buckets, &h), 200);
	CU_ASSERT_EQUAL(count_of(h.json, "2022-03-01"), before);
	http_free(&h);
}

void
suite_timeline(void)
{
	CU_pSuite s = CU_add_suite("e2e: timeline through nginx", timeline_init, timeline_clean);

	ADD_TEST(s, test_timeline_buckets_count_my_months);
	ADD_TEST(s, test_timeline_with_partners_follows_the_recipients_choice);
	ADD_TEST(s, test_timeline_with_partners_refuses_archive_trash_favourites);
	ADD_TEST(s, test_timeline_rules_in_immich_order);
	ADD_TEST(s, test_timeline_of_a_partner_never_shows_their_archive);
	ADD_TEST(s, test_timeline_favourite_filter_never_reveals_partner_favourites);
	ADD_TEST(s, test_timeline_bucket_is_columnar_with_immich_formats);
	ADD_TEST(s, test_timeline_etag_and_304);
	ADD_TEST(s, test_timeline_etag_ignores_a_partners_edit_i_cannot_see);
	ADD_TEST(s, test_timeline_bbox_created_at_and_album);
	ADD_TEST(s, test_timeline_answers_follow_a_partners_change_at_once);
	ADD_TEST(s, test_timeline_answers_follow_a_share_ending_at_once);
}
