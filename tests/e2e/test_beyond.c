/*
 * test_beyond.c: what partnerd does beyond Immich's partner sharing
 * (README "Beyond Immich"), end to end through nginx: my own favourite and
 * archive on a partner's photo, a recipient leaving a share, a share from
 * a date on, and duplicates once. The access matrix in test_partners.c
 * holds their viewer cases.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"

/* A sharer and a recipient of a fresh share, the sharer with one photo. */
struct pair {
	char	 s_id[37], r_id[37], s_email[128], r_email[128], photo[37];
	char	*s_token, *r_token;
};

static const char	*pics;
static int		 pic_next = 1;

static const char *
next_pic(void)
{
	static char	 path[1024];

	snprintf(path, sizeof(path), "%s/f18_%04d.jpg", pics, pic_next++);
	return path;
}

static int
share(const struct pair *p)
{
	char	 body[128];

	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", p->r_id);
	return api_status(p->s_token, "POST", "/api/partners", body) == 201 ? 0 : -1;
}

static int
pair_new(struct pair *p, const char *prefix)
{
	char	 name[64];

	memset(p, 0, sizeof(*p));
	snprintf(name, sizeof(name), "%s-s", prefix);
	p->s_token = new_user_token(name, "pw-beyond-1", p->s_email, sizeof(p->s_email), p->s_id);
	snprintf(name, sizeof(name), "%s-r", prefix);
	p->r_token = new_user_token(name, "pw-beyond-1", p->r_email, sizeof(p->r_email), p->r_id);
	if (p->s_token == NULL || p->r_token == NULL)
		return -1;
	return share(p) == 0 && upload_id(p->s_token, next_pic(), p->photo) == 0 ? 0 : -1;
}

static void
pair_free(struct pair *p)
{
	free(p->s_token);
	free(p->r_token);
}

/* The recipient's status for GET /api/assets/:photo. */
static long
recipient_reads(const struct pair *p)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/assets/%s", p->photo);
	return api_status(p->r_token, "GET", path, NULL);
}

/* The recipient leaves; the answer in h, or only the status when h is NULL. */
static long
leave(const struct pair *p, struct http *h)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/partners/%s/leave", p->s_id);
	return h ? api(p->r_token, "POST", path, NULL, h) :
	    api_status(p->r_token, "POST", path, NULL);
}

/* Does the 200 answer to method path [body], as token, name id? -1: not 200. */
static int
names(const char *token, const char *method, const char *path, const char *body,
    const char *id)
{
	struct http	 h;
	int		 r;

	if (api(token, method, path, body, &h) != 200)
		r = -1;
	else
		r = strstr(h.body, id) != NULL;
	http_free(&h);
	return r;
}

/* Does the partner list of token in direction dir name id? */
static int
listed(const char *token, const char *dir, const char *id)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/partners?direction=%s", dir);
	return names(token, "GET", path, NULL, id);
}

static int
beyond_init(void)
{
	return (pics = fixture_dir(18, 80)) == NULL ? -1 : 0;
}

static int
beyond_clean(void)
{
	return 0;
}

/* ---- my favourite and my archive on a partner's photo --------------------- */

/* PUT /api/assets/:id with body as token; the status. */
static long
put_asset(const char *token, const char *id, const char *body, struct http *h)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/assets/%s", id);
	return h ? api(token, "PUT", path, body, h) : api_status(token, "PUT", path, body);
}

/* PUT /api/assets {ids: [a, b], ...fields} as token (b may be NULL). */
static long
put_assets(const char *token, const char *a, const char *b, const char *fields,
    struct http *h)
{
	char	 body[512];

	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"%s%s%s],%s}", a, b ? ",\"" : "",
	    b ? b : "", b ? "\"" : "", fields);
	return h ? api(token, "PUT", "/api/assets", body, h) :
	    api_status(token, "PUT", "/api/assets", body);
}

/* A field of GET /api/assets/:id as token sees it, as JSON text ("" on error). */
static const char *
asset_field(const char *token, const char *id, const char *key)
{
	static char		 out[64];
	struct http		 h;
	struct json_object	*v;
	char			 path[128];

	out[0] = '\0';
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	if (api(token, "GET", path, NULL, &h) == 200 && h.json != NULL &&
	    json_object_object_get_ex(h.json, key, &v))
		snprintf(out, sizeof(out), "%s", json_object_to_json_string(v));
	http_free(&h);
	return out;
}

/* The recipient shows the sharer's photos in the main timeline. */
static int
in_timeline(const struct pair *p)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/partners/%s", p->s_id);
	return api_status(p->r_token, "PUT", path, "{\"inTimeline\":true}") == 200 ? 0 : -1;
}

/*
 * The timeline as token sees it with query: the sum of the month counts,
 * and whether a bucket holds id (then its isFavorite and visibility there
 * into fav and vis, as JSON text).
 */
static long
timeline_total(const char *token, const char *query, const char *id, int *found,
    char fav[8], char vis[16])
{
	struct http		 h, b;
	struct json_object	*m, *ids, *v;
	char			 path[256];
	long			 total = 0;
	size_t			 i, k;

	*found = 0;
	snprintf(path, sizeof(path), "/api/timeline/buckets?%s", query);
	if (api(token, "GET", path, NULL, &h) != 200 || h.json == NULL) {
		http_free(&h);
		return -1;
	}
	for (i = 0; i < json_object_array_length(h.json); i++) {
		m = json_object_array_get_idx(h.json, i);
		json_object_object_get_ex(m, "count", &v);
		total += json_object_get_int(v);
		json_object_object_get_ex(m, "timeBucket", &v);
		snprintf(path, sizeof(path), "/api/timeline/bucket?%s&timeBucket=%s", query,
		    json_object_get_string(v));
		if (api(token, "GET", path, NULL, &b) == 200 && b.json != NULL &&
		    json_object_object_get_ex(b.json, "id", &ids)) {
			if ((long)json_object_array_length(ids) != json_object_get_int(
			    json_object_object_get(m, "count")))
				total = -1000;	/* a count that disagrees with its bucket */
			for (k = 0; k < json_object_array_length(ids); k++) {
				if (strcmp(json_object_get_string(json_object_array_get_idx(ids, k)),
				    id) != 0)
					continue;
				*found = 1;
				snprintf(fav, 8, "%s", json_object_to_json_string(json_object_array_get_idx(
				    json_object_object_get(b.json, "isFavorite"), k)));
				snprintf(vis, 16, "%s", json_object_to_json_string(json_object_array_get_idx(
				    json_object_object_get(b.json, "visibility"), k)));
			}
		}
		http_free(&b);
	}
	http_free(&h);
	return total;
}

/* Does POST /api/search/metadata with body, as token, find id? */
static int
search_finds(const char *token, const char *body, const char *id)
{
	return names(token, "POST", "/api/search/metadata", body, id);
}

/* Does GET /api/map/markers?query, as token, show id? */
static int
map_shows(const char *token, const char *query, const char *id)
{
	char	 path[256];

	snprintf(path, sizeof(path), "/api/map/markers?%s", query);
	return names(token, "GET", path, NULL, id);
}

/* The clusters' counts of the whole world at zoom, with partners, as token,
 * added up; -1 on a bad answer. */
static long
clusters_count(const char *token, int zoom)
{
	struct json_object	*a;
	struct http		 h;
	char			 path[160];
	long			 n = -1;
	size_t			 i;

	snprintf(path, sizeof(path), "/api/map/clusters?bbox=-180,-85,180,85&zoom=%d"
	    "&withPartners=true", zoom);
	if (api(token, "GET", path, NULL, &h) == 200 &&
	    (a = json_tokener_parse(h.body)) != NULL) {
		if (json_object_is_type(a, json_type_array))
			for (n = 0, i = 0; i < json_object_array_length(a); i++)
				n += json_object_get_int64(json_object_object_get(
				    json_object_array_get_idx(a, i), "count"));
		json_object_put(a);
	}
	http_free(&h);
	return n;
}

/* The owner's own columns of id, "favorite visibility". */
static const char *
owner_columns(const char *id)
{
	static char	 out[64];
	char		 sql[256];

	snprintf(sql, sizeof(sql), "SELECT CONCAT(is_favorite, ' ', visibility) FROM"
	    " partnerd.assets WHERE id = '%s'", id);
	if (db_root_value(sql, out, sizeof(out)) != 0)
		out[0] = '\0';
	return out;
}

static void
test_favourite_on_a_partners_photo_sets_my_flag_only(void)
{
	struct pair	 p;
	struct http	 h;
	struct json_object *v;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "fav-a"), 0);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"isFavorite\":true}", &h), 200);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "isFavorite", &v) &&
	    json_object_get_boolean(v));
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "ownerId", &v) &&
	    strcmp(json_object_get_string(v), p.s_id) == 0);
	http_free(&h);
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "isFavorite"), "true");
	/* The owner's flag is untouched, and the owner does not see mine. */
	CU_ASSERT_STRING_EQUAL(asset_field(p.s_token, p.photo, "isFavorite"), "false");
	CU_ASSERT_STRING_EQUAL(owner_columns(p.photo), "0 timeline");
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"isFavorite\":false}", NULL), 200);
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "isFavorite"), "false");
	pair_free(&p);
}

static void
test_owners_favourite_is_never_shown_to_the_partner(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "fav-b"), 0);
	CU_ASSERT_EQUAL(put_asset(p.s_token, p.photo, "{\"isFavorite\":true}", NULL), 200);
	CU_ASSERT_STRING_EQUAL(asset_field(p.s_token, p.photo, "isFavorite"), "true");
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "isFavorite"), "false");
	/* Mine on, then the owner's off: each sees their own. */
	CU_ASSERT_EQUAL(put_assets(p.r_token, p.photo, NULL, "\"isFavorite\":true", NULL), 204);
	CU_ASSERT_EQUAL(put_asset(p.s_token, p.photo, "{\"isFavorite\":false}", NULL), 200);
	CU_ASSERT_STRING_EQUAL(asset_field(p.s_token, p.photo, "isFavorite"), "false");
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "isFavorite"), "true");
	pair_free(&p);
}

static void
test_my_favourite_shows_in_buckets_search_and_map(void)
{
	struct pair	 p;
	char		 fav[8], vis[16];
	int		 found;
	const char	*tl = "withPartners=true&visibility=timeline";

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "fav-c"), 0);
	CU_ASSERT_EQUAL_FATAL(in_timeline(&p), 0);
	CU_ASSERT_EQUAL(put_asset(p.s_token, p.photo,
	    "{\"latitude\":48.85,\"longitude\":2.29}", NULL), 200);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, tl, p.photo, &found, fav, vis), 1);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT_STRING_EQUAL(fav, "false");
	CU_ASSERT_EQUAL(search_finds(p.r_token, "{\"isFavorite\":true}", p.photo), 0);
	CU_ASSERT_EQUAL(map_shows(p.r_token, "withPartners=true&isFavorite=true", p.photo), 0);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"isFavorite\":true}", NULL), 200);
	/* The kept answers moved with my mark. */
	CU_ASSERT_EQUAL(timeline_total(p.r_token, tl, p.photo, &found, fav, vis), 1);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT_STRING_EQUAL(fav, "true");
	CU_ASSERT_EQUAL(search_finds(p.r_token, "{\"isFavorite\":true}", p.photo), 1);
	CU_ASSERT_EQUAL(search_finds(p.r_token, "{\"isFavorite\":false}", p.photo), 0);
	CU_ASSERT_EQUAL(map_shows(p.r_token, "withPartners=true&isFavorite=true", p.photo), 1);
	/* The owner's favourites do not hold it. */
	CU_ASSERT_EQUAL(search_finds(p.s_token, "{\"isFavorite\":true}", p.photo), 0);
	CU_ASSERT_EQUAL(timeline_total(p.s_token, "visibility=timeline&isFavorite=true",
	    p.photo, &found, fav, vis), 0);
	/* The partner's library, my favourites of it: counted and listed. */
	{
		char	 q[128];

		snprintf(q, sizeof(q), "userId=%s&visibility=timeline&isFavorite=true", p.s_id);
		CU_ASSERT_EQUAL(timeline_total(p.r_token, q, p.photo, &found, fav, vis), 1);
		CU_ASSERT_EQUAL(found, 1);
		snprintf(q, sizeof(q), "userId=%s&visibility=timeline&isFavorite=false", p.s_id);
		CU_ASSERT_EQUAL(timeline_total(p.r_token, q, p.photo, &found, fav, vis), 0);
	}
	pair_free(&p);
}

static void
test_with_partners_and_is_favorite_is_still_400(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "fav-d"), 0);
	CU_ASSERT_EQUAL(api_status(p.r_token, "GET", "/api/timeline/buckets?withPartners=true"
	    "&visibility=timeline&isFavorite=true", NULL), 400);
	pair_free(&p);
}

static void
test_my_favourite_shows_in_a_shared_albums_view(void)
{
	struct pair	 p;
	struct http	 h;
	char		 body[256], path[128], album[37];
	struct json_object *v, *a;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "fav-e"), 0);
	snprintf(body, sizeof(body), "{\"albumName\":\"ours\",\"assetIds\":[\"%s\"]}",
	    p.photo);
	CU_ASSERT_EQUAL_FATAL(api(p.s_token, "POST", "/api/albums", body, &h), 201);
	json_object_object_get_ex(h.json, "id", &v);
	snprintf(album, sizeof(album), "%s", json_object_get_string(v));
	http_free(&h);
	/* (partnerd has no route for album members yet) */
	snprintf(body, sizeof(body), "INSERT INTO partnerd.album_users (album_id, user_id, role)"
	    " VALUES ('%s', '%s', 'viewer')", album, p.r_id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(body), 0);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"isFavorite\":true}", NULL), 200);
	snprintf(path, sizeof(path), "/api/albums/%s", album);
	CU_ASSERT_EQUAL(api(p.r_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "assets", &a) &&
	    json_object_array_length(a) == 1 &&
	    json_object_get_boolean(json_object_object_get(json_object_array_get_idx(a, 0),
	    "isFavorite")));
	http_free(&h);
	CU_ASSERT_EQUAL(api(p.s_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "assets", &a) &&
	    json_object_array_length(a) == 1 &&
	    !json_object_get_boolean(json_object_object_get(json_object_array_get_idx(a, 0),
	    "isFavorite")));
	http_free(&h);
	pair_free(&p);
}

static void
test_any_other_field_on_a_partners_photo_stays_400(void)
{
	struct pair	 p;
	struct http	 h;
	static const char *const bodies[] = {
		"{\"description\":\"mine now\"}",
		"{\"isFavorite\":true,\"description\":\"mine now\"}",
		"{\"visibility\":\"hidden\"}",
		"{\"visibility\":\"locked\"}",
		"{\"isFavorite\":true,\"rating\":3}",
		"{}",
	};
	size_t		 i;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "mark-x"), 0);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, bodies[i], &h), 400);
		CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.update access");
		http_free(&h);
	}
	CU_ASSERT_EQUAL(put_assets(p.r_token, p.photo, NULL, "\"isFavorite\":true,"
	    "\"dateTimeOriginal\":\"2020-01-01T00:00:00Z\"", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.update access");
	http_free(&h);
	{
		char	 body[128];

		snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", p.photo);
		CU_ASSERT_EQUAL(api(p.r_token, "DELETE", "/api/assets", body, &h), 400);
		CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.delete access");
		http_free(&h);
	}
	CU_ASSERT_STRING_EQUAL(owner_columns(p.photo), "0 timeline");
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "isFavorite"), "false");
	pair_free(&p);
}

static void
test_a_stranger_cannot_mark_a_photo(void)
{
	struct pair	 p;
	struct http	 h;
	char		 email[128], id[37], *t;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "mark-y"), 0);
	t = new_user_token("mark-y-x", "pw-beyond-1", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(put_asset(t, p.photo, "{\"isFavorite\":true}", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Not found or no asset.update access");
	http_free(&h);
	CU_ASSERT_EQUAL(put_assets(t, p.photo, NULL, "\"visibility\":\"archive\"", NULL), 400);
	/* Nor the recipient once the share ends (leave). */
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"isFavorite\":true}", NULL), 400);
	CU_ASSERT_STRING_EQUAL(owner_columns(p.photo), "0 timeline");
	free(t);
	pair_free(&p);
}

static void
test_mixed_selection_applies_to_each_id_what_it_allows(void)
{
	struct pair	 p;
	char		 mine[37], email[128], id[37], *t, other[37];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "mark-z"), 0);
	CU_ASSERT_EQUAL_FATAL(upload_id(p.r_token, next_pic(), mine), 0);
	/* Mine and a partner's: my column, my mark. */
	CU_ASSERT_EQUAL(put_assets(p.r_token, mine, p.photo,
	    "\"isFavorite\":true,\"visibility\":\"archive\"", NULL), 204);
	CU_ASSERT_STRING_EQUAL(owner_columns(mine), "1 archive");
	CU_ASSERT_STRING_EQUAL(owner_columns(p.photo), "0 timeline");
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "isFavorite"), "true");
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "visibility"), "\"archive\"");
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, mine, "visibility"), "\"archive\"");
	/* Another field: my own asset alone may take it, so the pair is 400. */
	CU_ASSERT_EQUAL(put_assets(p.r_token, mine, p.photo, "\"rating\":2", NULL), 400);
	/* An id neither mine nor shared with me refuses the whole request. */
	t = new_user_token("mark-z-x", "pw-beyond-1", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL_FATAL(upload_id(t, next_pic(), other), 0);
	CU_ASSERT_EQUAL(put_assets(p.r_token, mine, other, "\"isFavorite\":false", NULL), 400);
	CU_ASSERT_STRING_EQUAL(owner_columns(mine), "1 archive");
	CU_ASSERT_STRING_EQUAL(owner_columns(other), "0 timeline");
	free(t);
	pair_free(&p);
}

static void
test_archive_hides_a_partners_photo_from_my_timeline_only(void)
{
	struct pair	 p;
	struct http	 h;
	struct json_object *v;
	char		 fav[8], vis[16], q[128];
	int		 found;
	const char	*tl = "withPartners=true&visibility=timeline";

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "arch-a"), 0);
	CU_ASSERT_EQUAL_FATAL(in_timeline(&p), 0);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, tl, p.photo, &found, fav, vis), 1);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"visibility\":\"archive\"}", &h), 200);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "visibility", &v) &&
	    strcmp(json_object_get_string(v), "archive") == 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "isArchived", &v) &&
	    json_object_get_boolean(v));
	http_free(&h);
	/* Gone from my timeline (the month too), and from the partner's page. */
	CU_ASSERT_EQUAL(timeline_total(p.r_token, tl, p.photo, &found, fav, vis), 0);
	CU_ASSERT_EQUAL(found, 0);
	snprintf(q, sizeof(q), "userId=%s&visibility=timeline", p.s_id);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, q, p.photo, &found, fav, vis), 0);
	/* The owner's own timeline and columns are untouched. */
	CU_ASSERT_EQUAL(timeline_total(p.s_token, "visibility=timeline", p.photo, &found,
	    fav, vis), 1);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT_STRING_EQUAL(vis, "\"timeline\"");
	CU_ASSERT_STRING_EQUAL(owner_columns(p.photo), "0 timeline");
	CU_ASSERT_STRING_EQUAL(asset_field(p.s_token, p.photo, "visibility"), "\"timeline\"");
	/* I may still open it (the viewer says it is archived for me). */
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "visibility"), "\"archive\"");
	pair_free(&p);
}

static void
test_my_archive_view_lists_what_i_archived_of_a_partner(void)
{
	struct pair	 p;
	char		 fav[8], vis[16];
	int		 found;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "arch-b"), 0);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, "visibility=archive", p.photo, &found,
	    fav, vis), 0);
	CU_ASSERT_EQUAL(put_assets(p.r_token, p.photo, NULL, "\"visibility\":\"archive\"",
	    NULL), 204);
	/* Even with Show in timeline off: it is in my archive. */
	CU_ASSERT_EQUAL(timeline_total(p.r_token, "visibility=archive", p.photo, &found,
	    fav, vis), 1);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT_STRING_EQUAL(vis, "\"archive\"");
	/* The owner's archive does not hold it. */
	CU_ASSERT_EQUAL(timeline_total(p.s_token, "visibility=archive", p.photo, &found,
	    fav, vis), 0);
	/* Brought back: out of my archive, into my timeline. */
	CU_ASSERT_EQUAL_FATAL(in_timeline(&p), 0);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"visibility\":\"timeline\"}", NULL), 200);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, "visibility=archive", p.photo, &found,
	    fav, vis), 0);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, "withPartners=true&visibility=timeline",
	    p.photo, &found, fav, vis), 1);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT_STRING_EQUAL(vis, "\"timeline\"");
	CU_ASSERT_STRING_EQUAL(asset_field(p.r_token, p.photo, "visibility"), "\"timeline\"");
	pair_free(&p);
}

static void
test_archive_hides_a_partners_photo_from_my_search_and_map(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "arch-c"), 0);
	CU_ASSERT_EQUAL_FATAL(in_timeline(&p), 0);
	CU_ASSERT_EQUAL(put_asset(p.s_token, p.photo,
	    "{\"latitude\":48.85,\"longitude\":2.29}", NULL), 200);
	CU_ASSERT_EQUAL(search_finds(p.r_token, "{\"visibility\":\"timeline\"}", p.photo), 1);
	CU_ASSERT_EQUAL(map_shows(p.r_token, "withPartners=true", p.photo), 1);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"visibility\":\"archive\"}", NULL), 200);
	CU_ASSERT_EQUAL(search_finds(p.r_token, "{\"visibility\":\"timeline\"}", p.photo), 0);
	CU_ASSERT_EQUAL(search_finds(p.r_token, "{\"visibility\":\"archive\"}", p.photo), 1);
	CU_ASSERT_EQUAL(map_shows(p.r_token, "withPartners=true", p.photo), 0);
	CU_ASSERT_EQUAL(map_shows(p.r_token, "withPartners=true&isArchived=true", p.photo), 1);
	/* The owner still finds it where it was. */
	CU_ASSERT_EQUAL(search_finds(p.s_token, "{\"visibility\":\"timeline\"}", p.photo), 1);
	CU_ASSERT_EQUAL(map_shows(p.s_token, "", p.photo), 1);
	pair_free(&p);
}

static void
test_my_archive_never_shows_what_the_owner_archived_or_trashed(void)
{
	struct pair	 p;
	char		 fav[8], vis[16];
	int		 found;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "arch-d"), 0);
	CU_ASSERT_EQUAL(put_asset(p.r_token, p.photo, "{\"visibility\":\"archive\"}", NULL), 200);
	CU_ASSERT_EQUAL(put_asset(p.s_token, p.photo, "{\"visibility\":\"archive\"}", NULL), 200);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, "visibility=archive", p.photo, &found,
	    fav, vis), 0);
	CU_ASSERT_EQUAL(recipient_reads(&p), 400);
	CU_ASSERT_EQUAL(put_asset(p.s_token, p.photo, "{\"visibility\":\"timeline\"}", NULL), 200);
	CU_ASSERT_EQUAL(timeline_total(p.r_token, "visibility=archive", p.photo, &found,
	    fav, vis), 1);
	{
		char	 body[128];

		snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", p.photo);
		CU_ASSERT_EQUAL(api_status(p.s_token, "DELETE", "/api/assets", body), 204);
	}
	CU_ASSERT_EQUAL(timeline_total(p.r_token, "visibility=archive", p.photo, &found,
	    fav, vis), 0);
	CU_ASSERT_EQUAL(recipient_reads(&p), 400);
	pair_free(&p);
}

/* ---- leave ------------------------------------------------------------- */

static void
test_leave_answers_204_and_access_ends_at_the_next_request(void)
{
	struct pair	 p;
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-a"), 0);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);	/* a kept answer, now */
	CU_ASSERT_EQUAL(leave(&p, &h), 204);
	CU_ASSERT_EQUAL(h.len, 0);
	http_free(&h);
	CU_ASSERT_EQUAL(recipient_reads(&p), 400);
	pair_free(&p);
}

static void
test_leave_removes_the_share_from_both_partner_lists(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-b"), 0);
	CU_ASSERT_EQUAL(listed(p.r_token, "shared-with", p.s_id), 1);
	CU_ASSERT_EQUAL(listed(p.s_token, "shared-by", p.r_id), 1);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(listed(p.r_token, "shared-with", p.s_id), 0);
	CU_ASSERT_EQUAL(listed(p.s_token, "shared-by", p.r_id), 0);
	pair_free(&p);
}

static void
test_leave_writes_the_audit_row_the_sharers_delete_would(void)
{
	struct pair	 p;
	char		 sql[256], out[32];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-c"), 0);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.partner_audit WHERE "
	    "shared_by_id = '%s' AND shared_with_id = '%s'", p.s_id, p.r_id);
	CU_ASSERT_EQUAL(db_root_value(sql, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
	pair_free(&p);
}

static void
test_leave_moves_the_recipients_timeline_at_once(void)
{
	struct pair	 p;
	struct http	 h;
	const char	*path = "/api/timeline/buckets?withPartners=true&visibility=timeline";

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-d"), 0);
	CU_ASSERT_EQUAL(api(p.r_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 0);	/* not in timeline */
	http_free(&h);
	{
		char	 ppath[128];

		snprintf(ppath, sizeof(ppath), "/api/partners/%s", p.s_id);
		CU_ASSERT_EQUAL(api_status(p.r_token, "PUT", ppath, "{\"inTimeline\":true}"), 200);
	}
	CU_ASSERT_EQUAL(api(p.r_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 1);
	http_free(&h);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(api(p.r_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 0);
	http_free(&h);
	pair_free(&p);
}

static void
test_leave_of_no_share_is_partner_not_found(void)
{
	struct pair	 p;
	struct http	 h;
	char		 path[128];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-e"), 0);
	/* The sharer cannot "leave" their own share: r does not share with s. */
	snprintf(path, sizeof(path), "/api/partners/%s/leave", p.r_id);
	CU_ASSERT_EQUAL(api(p.s_token, "POST", path, NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Partner not found");
	http_free(&h);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(leave(&p, &h), 400);	/* twice */
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Partner not found");
	http_free(&h);
	pair_free(&p);
}

static void
test_leave_of_a_bad_id_is_400_invalid_uuid(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-f"), 0);
	CU_ASSERT_EQUAL(api_status(p.r_token, "POST", "/api/partners/nope/leave", NULL), 400);
	CU_ASSERT_EQUAL(api_status("not-a-token", "POST", "/api/partners/nope/leave", NULL), 401);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	pair_free(&p);
}

static void
test_leave_then_the_sharer_may_share_again(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-g"), 0);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(recipient_reads(&p), 400);
	CU_ASSERT_EQUAL(share(&p), 0);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	CU_ASSERT_EQUAL(listed(p.r_token, "shared-with", p.s_id), 1);
	pair_free(&p);
}

static void
test_delete_keeps_immichs_meaning_the_recipient_cannot_use_it(void)
{
	struct pair	 p;
	char		 path[128];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-h"), 0);
	snprintf(path, sizeof(path), "/api/partners/%s", p.s_id);
	CU_ASSERT_EQUAL(api_status(p.r_token, "DELETE", path, NULL), 400);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	pair_free(&p);
}

/* ---- a share from a date on ----------------------------------------- */

/* The sharer sets the share's start date (a JSON value: "\"2024-03-01\""
 * or "null"); the status, the answer in h when h is not NULL. */
static long
set_start(const struct pair *p, const char *value, struct http *h)
{
	char	 path[128], body[128];

	snprintf(path, sizeof(path), "/api/partners/%s", p->r_id);
	snprintf(body, sizeof(body), "{\"startDate\":%s}", value);
	return h ? api(p->s_token, "PATCH", path, body, h) :
	    api_status(p->s_token, "PATCH", path, body);
}

/* The sharer's photo id (a fresh upload) taken at the ISO time when. */
static int
photo_taken(const struct pair *p, const char *when, char id[37])
{
	char	 path[128], body[128];

	if (upload_id(p->s_token, next_pic(), id) != 0)
		return -1;
	snprintf(path, sizeof(path), "/api/assets/%s", id);
	snprintf(body, sizeof(body), "{\"dateTimeOriginal\":\"%s\"}", when);
	return api_status(p->s_token, "PUT", path, body) == 200 ? 0 : -1;
}

/* The recipient's status for GET /api/assets/:id[suffix]. */
static long
reads(const struct pair *p, const char *id, const char *suffix)
{
	char	 path[160];

	snprintf(path, sizeof(path), "/api/assets/%s%s", id, suffix);
	return api_status(p->r_token, "GET", path, NULL);
}

/* The startDate of the one partner in token's list in direction dir:
 * "null", the date, or "" when there is none. */
static void
listed_start(const char *token, const char *dir, char *out, size_t outsz)
{
	struct http		 h;
	struct json_object	*d;
	char			 path[128];

	snprintf(path, sizeof(path), "/api/partners?direction=%s", dir);
	out[0] = '\0';
	if (api(token, "GET", path, NULL, &h) == 200 && json_object_array_length(h.json) == 1 &&
	    json_object_object_get_ex(json_object_array_get_idx(h.json, 0), "startDate", &d))
		snprintf(out, outsz, "%s", d == NULL ? "null" : json_object_get_string(d));
	http_free(&h);
}

static void
test_dated_share_created_with_a_start_date_lists_it_both_ways(void)
{
	struct pair	 p;
	struct http	 h;
	char		 body[160], got[32];

	memset(&p, 0, sizeof(p));
	p.s_token = new_user_token("date-a-s", "pw-beyond-1", p.s_email, sizeof(p.s_email), p.s_id);
	p.r_token = new_user_token("date-a-r", "pw-beyond-1", p.r_email, sizeof(p.r_email), p.r_id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.s_token);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.r_token);
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\",\"startDate\":\"2024-03-01\"}",
	    p.r_id);
	CU_ASSERT_EQUAL(api(p.s_token, "POST", "/api/partners", body, &h), 201);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(h.json,
	    "startDate")), "2024-03-01");
	CU_ASSERT_FALSE(json_object_get_boolean(json_object_object_get(h.json, "inTimeline")));
	http_free(&h);
	listed_start(p.s_token, "shared-by", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "2024-03-01");
	listed_start(p.r_token, "shared-with", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "2024-03-01");
	pair_free(&p);
}

static void
test_whole_library_share_has_a_null_start_date(void)
{
	struct pair	 p;
	struct http	 h;
	char		 body[160], got[32];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-b"), 0);
	listed_start(p.s_token, "shared-by", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "null");
	listed_start(p.r_token, "shared-with", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "null");
	/* null given is the same as none */
	snprintf(body, sizeof(body), "/api/partners/%s", p.r_id);
	CU_ASSERT_EQUAL(api_status(p.s_token, "DELETE", body, NULL), 204);
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\",\"startDate\":null}", p.r_id);
	CU_ASSERT_EQUAL(api(p.s_token, "POST", "/api/partners", body, &h), 201);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "startDate", NULL));
	CU_ASSERT_PTR_NULL(json_object_object_get(h.json, "startDate"));
	http_free(&h);
	pair_free(&p);
}

static void
test_dated_share_bad_dates_are_400_validation_failed(void)
{
	static const char *const bad[] = { "\"2024-02-30\"", "\"2023-02-29\"", "\"2024-3-01\"",
		"\"yesterday\"", "\"2024-03-01T00:00:00Z\"", "\"0999-12-31\"", "20240301",
		"true", "\"\"", NULL };
	struct pair	 p;
	struct http	 h;
	char		 body[160];
	size_t		 i;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-c"), 0);
	for (i = 0; bad[i] != NULL; i++) {
		struct json_object	*e;

		/* Immich v3's validation answer: the message, and the field. */
		CU_ASSERT_EQUAL(set_start(&p, bad[i], &h), 400);
		CU_ASSERT_STRING_EQUAL(http_message(&h), "Validation failed");
		e = json_object_array_get_idx(json_object_object_get(h.json, "errors"), 0);
		CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(
		    json_object_object_get(e, "path"), 0)) ?: "", "startDate");
		http_free(&h);
	}
	/* The same on create, and nothing was shared. */
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\",\"startDate\":\"2024-13-01\"}",
	    p.s_id);
	CU_ASSERT_EQUAL(api_status(p.r_token, "POST", "/api/partners", body), 400);
	CU_ASSERT_EQUAL(listed(p.s_token, "shared-with", p.r_id), 0);
	/* A leap day is a day; the body must name startDate. */
	CU_ASSERT_EQUAL(set_start(&p, "\"2024-02-29\"", NULL), 200);
	snprintf(body, sizeof(body), "/api/partners/%s", p.r_id);
	CU_ASSERT_EQUAL(api_status(p.s_token, "PATCH", body, "{}"), 400);
	CU_ASSERT_EQUAL(api_status(p.s_token, "PATCH", body, "{\"inTimeline\":true}"), 400);
	pair_free(&p);
}

static void
test_dated_share_only_the_sharer_sets_the_date(void)
{
	struct pair	 p;
	struct http	 h;
	char		 path[128];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-d"), 0);
	/* The recipient's PATCH of the sharer names no share of theirs. */
	snprintf(path, sizeof(path), "/api/partners/%s", p.s_id);
	CU_ASSERT_EQUAL(api(p.r_token, "PATCH", path, "{\"startDate\":\"2099-01-01\"}", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Partner not found");
	http_free(&h);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	/* The sharer's answer: the recipient, with the date. */
	CU_ASSERT_EQUAL(set_start(&p, "\"2099-01-01\"", &h), 200);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(h.json, "id")), p.r_id);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(h.json,
	    "startDate")), "2099-01-01");
	http_free(&h);
	CU_ASSERT_EQUAL(recipient_reads(&p), 400);
	pair_free(&p);
}

static void
test_dated_share_shows_what_was_taken_on_or_after_the_day(void)
{
	struct pair	 p;
	char		 before[37], day[37], after[37];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-e"), 0);
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2024-02-29T23:59:59.999Z", before), 0);
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2024-03-01T00:00:00Z", day), 0);
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2024-07-14T12:00:00Z", after), 0);
	CU_ASSERT_EQUAL(reads(&p, before, ""), 200);	/* whole library, kept */
	CU_ASSERT_EQUAL(set_start(&p, "\"2024-03-01\"", NULL), 200);
	CU_ASSERT_EQUAL(reads(&p, before, ""), 400);
	CU_ASSERT_EQUAL(reads(&p, before, "/thumbnail"), 400);
	CU_ASSERT_EQUAL(reads(&p, before, "/original"), 400);
	CU_ASSERT_EQUAL(reads(&p, day, ""), 200);		/* the boundary day */
	CU_ASSERT_EQUAL(reads(&p, day, "/thumbnail"), 200);
	CU_ASSERT_EQUAL(reads(&p, day, "/original"), 200);
	CU_ASSERT_EQUAL(reads(&p, after, ""), 200);
	pair_free(&p);
}

static void
test_dated_share_goes_by_the_local_date_across_a_time_zone_offset(void)
{
	struct pair	 p;
	char		 east[37], west[37];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-f"), 0);
	/* 29 February in UTC, 1 March where it was taken: shown. */
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2024-03-01T00:30:00+02:00", east), 0);
	/* 1 March in UTC, 29 February where it was taken: not shown. */
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2024-02-29T23:30:00-05:00", west), 0);
	CU_ASSERT_EQUAL(set_start(&p, "\"2024-03-01\"", NULL), 200);
	CU_ASSERT_EQUAL(reads(&p, east, ""), 200);
	CU_ASSERT_EQUAL(reads(&p, west, ""), 400);
	pair_free(&p);
}

/* The recipient's buckets with partners as "YYYY-MM-DD:n,..." in out. */
static void
buckets(const struct pair *p, const char *extra, char *out, size_t outsz)
{
	struct http	 h;
	char		 path[256];
	size_t		 i, len = 0;

	snprintf(path, sizeof(path), "/api/timeline/buckets?userId=%s%s", p->s_id, extra);
	out[0] = '\0';
	if (api(p->r_token, "GET", path, NULL, &h) == 200)
		for (i = 0; i < json_object_array_length(h.json); i++) {
			struct json_object *b = json_object_array_get_idx(h.json, i);

			len += (size_t)snprintf(out + len, outsz - len, "%s%.10s:%d", i ? "," : "",
			    json_object_get_string(json_object_object_get(b, "timeBucket")),
			    json_object_get_int(json_object_object_get(b, "count")));
		}
	http_free(&h);
}

/* How many of ids[] the recipient's bucket of month holds (-1: error). */
static int
bucket_holds(const struct pair *p, const char *month, char ids[][37], int n)
{
	struct http	 h;
	char		 path[256];
	int		 i, k = 0;

	snprintf(path, sizeof(path), "/api/timeline/bucket?userId=%s&timeBucket=%s",
	    p->s_id, month);
	if (api(p->r_token, "GET", path, NULL, &h) != 200)
		k = -1;
	for (i = 0; k >= 0 && i < n; i++)
		k += strstr(h.body, ids[i]) != NULL;
	http_free(&h);
	return k;
}

static void
test_dated_share_timeline_counts_and_contents_start_at_the_day(void)
{
	struct pair	 p;
	char		 ids[5][37], got[256];
	static const char *const when[5] = { "2024-02-10T10:00:00Z", "2024-03-14T10:00:00Z",
		"2024-03-15T00:10:00+01:00", "2024-03-20T10:00:00Z", "2024-04-02T10:00:00Z" };
	int		 i;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-g"), 0);
	/* Only the dated photos: the pair's first one goes to the trash. */
	{
		char	 body[128];

		snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", p.photo);
		CU_ASSERT_EQUAL(api_status(p.s_token, "DELETE", "/api/assets", body), 204);
	}
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL_FATAL(photo_taken(&p, when[i], ids[i]), 0);
	buckets(&p, "", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "2024-04-01:1,2024-03-01:3,2024-02-01:1");
	/* From the 15th: February nothing, March the 15th (local) and 20th. */
	CU_ASSERT_EQUAL(set_start(&p, "\"2024-03-15\"", NULL), 200);
	buckets(&p, "", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "2024-04-01:1,2024-03-01:2");
	buckets(&p, "&order=asc", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "2024-03-01:2,2024-04-01:1");
	CU_ASSERT_EQUAL(bucket_holds(&p, "2024-03-01", ids + 1, 3), 2);
	CU_ASSERT_EQUAL(bucket_holds(&p, "2024-03-01", ids + 1, 1), 0);	/* the 14th */
	CU_ASSERT_EQUAL(bucket_holds(&p, "2024-02-01", ids, 1), 0);
	/* The counts by creation time count the assets themselves, the same. */
	buckets(&p, "&orderBy=createdAt", got, sizeof(got));
	CU_ASSERT_PTR_NOT_NULL(strstr(got, ":3"));
	/* A start on the first of a month: whole months only. */
	CU_ASSERT_EQUAL(set_start(&p, "\"2024-04-01\"", NULL), 200);
	buckets(&p, "", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "2024-04-01:1");
	/* Removed: everything again. */
	CU_ASSERT_EQUAL(set_start(&p, "null", NULL), 200);
	buckets(&p, "", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "2024-04-01:1,2024-03-01:3,2024-02-01:1");
	CU_ASSERT_EQUAL(bucket_holds(&p, "2024-02-01", ids, 1), 1);
	pair_free(&p);
}

static void
test_dated_share_edits_take_effect_at_once(void)
{
	struct pair	 p;
	struct http	 h;
	char		 old[37], path[128];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-h"), 0);
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2020-05-05T10:00:00Z", old), 0);
	CU_ASSERT_EQUAL(reads(&p, old, ""), 200);
	CU_ASSERT_EQUAL(reads(&p, old, ""), 200);	/* kept */
	CU_ASSERT_EQUAL(set_start(&p, "\"2021-01-01\"", NULL), 200);
	CU_ASSERT_EQUAL(reads(&p, old, ""), 400);
	/* The sharer moves the photo's date across the start date: shown. */
	snprintf(path, sizeof(path), "/api/assets/%s", old);
	CU_ASSERT_EQUAL(api_status(p.s_token, "PUT", path,
	    "{\"dateTimeOriginal\":\"2021-01-01T08:00:00+08:00\"}"), 200);
	CU_ASSERT_EQUAL(reads(&p, old, ""), 200);
	/* And back: not shown. */
	CU_ASSERT_EQUAL(api_status(p.s_token, "PUT", path,
	    "{\"dateTimeOriginal\":\"2020-12-31T23:00:00-08:00\"}"), 200);
	CU_ASSERT_EQUAL(reads(&p, old, ""), 400);
	/* The date removed: the whole library; the answer says null. */
	CU_ASSERT_EQUAL(set_start(&p, "null", &h), 200);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "startDate", NULL));
	CU_ASSERT_PTR_NULL(json_object_object_get(h.json, "startDate"));
	http_free(&h);
	CU_ASSERT_EQUAL(reads(&p, old, ""), 200);
	pair_free(&p);
}

static void
test_dated_share_holds_for_albums_zips_search_and_map(void)
{
	struct pair	 p;
	struct http	 h;
	char		 old[37], now[37], path[160], body[256], album[37];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "date-i"), 0);
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2019-01-01T10:00:00Z", old), 0);
	CU_ASSERT_EQUAL_FATAL(photo_taken(&p, "2024-01-01T10:00:00Z", now), 0);
	CU_ASSERT_EQUAL(set_start(&p, "\"2023-01-01\"", NULL), 200);
	snprintf(path, sizeof(path), "/api/partners/%s", p.s_id);
	CU_ASSERT_EQUAL(api_status(p.r_token, "PUT", path, "{\"inTimeline\":true}"), 200);
	/* A zip of both: the old one is refused. */
	snprintf(body, sizeof(body), "{\"assetIds\":[\"%s\"]}", old);
	CU_ASSERT_EQUAL(api_status(p.r_token, "POST", "/api/download/archive", body), 400);
	snprintf(body, sizeof(body), "{\"assetIds\":[\"%s\"]}", now);
	CU_ASSERT_EQUAL(api_status(p.r_token, "POST", "/api/download/archive", body), 200);
	/* The recipient's own album takes only the one they may see. */
	CU_ASSERT_EQUAL(api(p.r_token, "POST", "/api/albums", "{\"albumName\":\"R\"}", &h), 201);
	snprintf(album, sizeof(album), "%s",
	    json_object_get_string(json_object_object_get(h.json, "id")));
	http_free(&h);
	snprintf(path, sizeof(path), "/api/albums/%s/assets", album);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\",\"%s\"]}", old, now);
	CU_ASSERT_EQUAL(api(p.r_token, "PUT", path, body, &h), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, "no_permission"));
	http_free(&h);
	/* Search with partners: the new one only. */
	CU_ASSERT_EQUAL(api(p.r_token, "POST", "/api/search/metadata", "{}", &h), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, now));
	CU_ASSERT_PTR_NULL(strstr(h.body, old));
	http_free(&h);
	/* The map: both placed at one spot; only the new one is on it. */
	snprintf(path, sizeof(path), "/api/assets");
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\",\"%s\"],\"latitude\":46.2,"
	    "\"longitude\":6.15}", old, now);
	CU_ASSERT_EQUAL(api_status(p.s_token, "PUT", path, body), 204);
	CU_ASSERT_EQUAL(api(p.r_token, "GET", "/api/map/markers?withPartners=true"
	    "&bbox=6.1,46.1,6.2,46.3", NULL, &h), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, now));
	CU_ASSERT_PTR_NULL(strstr(h.body, old));
	http_free(&h);
	/* An album of the sharer's shares what the sharer put in, whatever
	 * the date: an album is a share of its own (README). */
	snprintf(body, sizeof(body), "{\"albumName\":\"S\",\"assetIds\":[\"%s\"]}", old);
	CU_ASSERT_EQUAL(api(p.s_token, "POST", "/api/albums", body, &h), 201);
	snprintf(album, sizeof(album), "%s",
	    json_object_get_string(json_object_object_get(h.json, "id")));
	http_free(&h);
	CU_ASSERT_EQUAL(reads(&p, old, ""), 400);
	{
		char	 sql[256];	/* set-up: partnerd has no member route yet */

		snprintf(sql, sizeof(sql), "INSERT INTO partnerd.album_users (album_id, user_id,"
		    " role) VALUES ('%s', '%s', 'viewer')", album, p.r_id);
		CU_ASSERT_EQUAL(db_root_sql(sql), 0);
	}
	CU_ASSERT_EQUAL(reads(&p, old, ""), 200);
	pair_free(&p);
}

/* ---- duplicates once ---------------------------------------------------- */

/*
 * Me and two partners, A and B, who share with me in that order (A's share
 * is the older), both shown in my timeline; A and B upload the same file,
 * and I too when mine is asked for.
 */
struct trio {
	char	 me[37], a[37], b[37], email[128];
	char	*me_t, *a_t, *b_t;
	char	 mine[37], a_copy[37], b_copy[37];
};

static const char	*dup_pics;
static int		 dup_next = 1;

/* sharer_t shares with me, shown in my timeline; 0 or -1. */
static int
trio_share(const struct trio *t, const char *sharer_t, const char *sharer)
{
	char	 body[128], path[128];

	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", t->me);
	snprintf(path, sizeof(path), "/api/partners/%s", sharer);
	return api_status(sharer_t, "POST", "/api/partners", body) == 201 &&
	    api_status(t->me_t, "PUT", path, "{\"inTimeline\":true}") == 200 ? 0 : -1;
}

static int
trio_new(struct trio *t, const char *prefix, int mine)
{
	char	 name[64], file[1024];

	memset(t, 0, sizeof(*t));
	if (dup_pics == NULL && (dup_pics = fixture_dir(57, 24)) == NULL)
		return -1;
	snprintf(file, sizeof(file), "%s/f57_%04d.jpg", dup_pics, dup_next++);
	snprintf(name, sizeof(name), "%s-me", prefix);
	t->me_t = new_user_token(name, "pw-beyond-1", t->email, sizeof(t->email), t->me);
	snprintf(name, sizeof(name), "%s-a", prefix);
	t->a_t = new_user_token(name, "pw-beyond-1", t->email, sizeof(t->email), t->a);
	snprintf(name, sizeof(name), "%s-b", prefix);
	t->b_t = new_user_token(name, "pw-beyond-1", t->email, sizeof(t->email), t->b);
	if (t->me_t == NULL || t->a_t == NULL || t->b_t == NULL)
		return -1;
	if (trio_share(t, t->a_t, t->a) != 0 || upload_id(t->a_t, file, t->a_copy) != 0 ||
	    trio_share(t, t->b_t, t->b) != 0 || upload_id(t->b_t, file, t->b_copy) != 0)
		return -1;
	return mine && upload_id(t->me_t, file, t->mine) != 0 ? -1 : 0;
}

static void
trio_free(struct trio *t)
{
	free(t->me_t);
	free(t->a_t);
	free(t->b_t);
}

/*
 * My merged timeline (withPartners): which of mine (if any), A's and B's
 * copies it shows, as "mine a b" letters ("-" for none shown), after the
 * total of its month counts and a colon; every bucket's count checked
 * against the assets it holds (a disagreement reads "bad").
 */
static const char *
merged_shows(const struct trio *t, const char *query)
{
	static char	 out[32];
	char		 fav[8], vis[16];
	const char	*ids[3] = { t->mine, t->a_copy, t->b_copy }, *tags = "mab";
	long		 total = 0;
	int		 found, i, k = 0;

	for (i = 0; i < 3; i++) {
		if (ids[i][0] == '\0')
			continue;
		total = timeline_total(t->me_t, query, ids[i], &found, fav, vis);
		if (total < 0)
			return "bad";
		if (found)
			out[3 + k++] = tags[i];
	}
	if (k == 0)
		out[3 + k++] = '-';
	out[3 + k] = '\0';
	out[0] = (char)('0' + (total > 9 ? 9 : total));
	out[1] = ':';
	out[2] = ' ';
	return out;
}

#define MERGED	"withPartners=true&visibility=timeline"

static void
test_dup_my_copy_shows_once_in_my_merged_timeline(void)
{
	struct trio	 t;

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-a", 1), 0);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "1: m");
	/* My own library alone: mine, as ever. */
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, "visibility=timeline"), "1: m");
	trio_free(&t);
}

static void
test_dup_a_partners_own_library_view_still_shows_their_copy(void)
{
	struct trio	 t;
	char		 q[128];

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-b", 1), 0);
	snprintf(q, sizeof(q), "userId=%s&visibility=timeline", t.a);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, q), "1: a");
	snprintf(q, sizeof(q), "userId=%s&visibility=timeline", t.b);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, q), "1: b");
	/* And I may open every copy: the access rule is unchanged. */
	snprintf(q, sizeof(q), "/api/assets/%s", t.b_copy);
	CU_ASSERT_EQUAL(api_status(t.me_t, "GET", q, NULL), 200);
	trio_free(&t);
}

static void
test_dup_two_partners_the_older_shares_copy_shows(void)
{
	struct trio	 t;

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-c", 0), 0);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "1: a");
	trio_free(&t);
}

/* What dup_toggle's path names: A's copy, A, or me. */
enum dup_of { DUP_OF_A_COPY, DUP_OF_A, DUP_OF_ME };

/*
 * The shape of the tests below: a trio of A's and B's copies (A's share
 * the older), then A (or I, by_me) sends method to base and the id of
 * A's copy, A or me (by of) with change: B's copy shows; then
 * with undo: A's again. The trio stays for the caller's further steps
 * (the caller frees it); 0, or -1 if it could not be made.
 */
static int
dup_toggle(struct trio *t, const char *prefix, int by_me, const char *method,
    const char *base, enum dup_of of, const char *change, const char *undo)
{
	char		 path[128];
	const char	*token, *id;

	if (trio_new(t, prefix, 0) != 0)
		return -1;
	token = by_me ? t->me_t : t->a_t;
	id = of == DUP_OF_A_COPY ? t->a_copy : of == DUP_OF_A ? t->a : t->me;
	snprintf(path, sizeof(path), "%s%s", base, id);
	CU_ASSERT_EQUAL(api_status(token, method, path, change), 200);
	CU_ASSERT_STRING_EQUAL(merged_shows(t, MERGED), "1: b");
	CU_ASSERT_EQUAL(api_status(token, method, path, undo), 200);
	CU_ASSERT_STRING_EQUAL(merged_shows(t, MERGED), "1: a");
	return 0;
}

static void
test_dup_the_older_partner_archives_or_trashes_theirs_the_other_appears(void)
{
	struct trio	 t;
	char		 body[128];

	CU_ASSERT_EQUAL_FATAL(dup_toggle(&t, "dup-d", 0, "PUT", "/api/assets/", DUP_OF_A_COPY,
	    "{\"visibility\":\"archive\"}", "{\"visibility\":\"timeline\"}"), 0);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", t.a_copy);
	CU_ASSERT_EQUAL(api_status(t.a_t, "DELETE", "/api/assets", body), 204);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "1: b");
	trio_free(&t);
}

static void
test_dup_my_archive_of_the_older_copy_shows_the_other(void)
{
	struct trio	 t;

	CU_ASSERT_EQUAL_FATAL(dup_toggle(&t, "dup-e", 1, "PUT", "/api/assets/", DUP_OF_A_COPY,
	    "{\"visibility\":\"archive\"}", "{\"visibility\":\"timeline\"}"), 0);
	trio_free(&t);
}

static void
test_dup_i_trash_mine_the_partners_appears_restored_it_hides_again(void)
{
	struct trio	 t;
	char		 body[128];

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-f", 1), 0);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", t.mine);
	CU_ASSERT_EQUAL(api_status(t.me_t, "DELETE", "/api/assets", body), 204);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "1: a");
	CU_ASSERT_EQUAL(api_status(t.me_t, "POST", "/api/trash/restore/assets", body), 200);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "1: m");
	trio_free(&t);
}

static void
test_dup_my_archived_copy_keeps_the_partners_hidden(void)
{
	struct trio	 t;

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-g", 1), 0);
	CU_ASSERT_EQUAL(put_asset(t.me_t, t.mine, "{\"visibility\":\"archive\"}", NULL), 200);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "0: -");
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, "visibility=archive"), "1: m");
	trio_free(&t);
}

static void
test_dup_show_in_timeline_off_then_on_moves_the_copy_shown(void)
{
	struct trio	 t;

	CU_ASSERT_EQUAL_FATAL(dup_toggle(&t, "dup-h", 1, "PUT", "/api/partners/", DUP_OF_A,
	    "{\"inTimeline\":false}", "{\"inTimeline\":true}"), 0);
	trio_free(&t);
}

static void
test_dup_a_dated_share_that_excludes_the_copy_shows_the_other(void)
{
	struct trio	 t;

	CU_ASSERT_EQUAL_FATAL(dup_toggle(&t, "dup-i", 0, "PATCH", "/api/partners/", DUP_OF_ME,
	    "{\"startDate\":\"2099-01-01\"}", "{\"startDate\":null}"), 0);
	trio_free(&t);
}

static void
test_dup_leave_then_reshare_makes_the_other_share_the_older(void)
{
	struct trio	 t;
	char		 path[128];

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-j", 0), 0);
	snprintf(path, sizeof(path), "/api/partners/%s/leave", t.a);
	CU_ASSERT_EQUAL(api_status(t.me_t, "POST", path, NULL), 204);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "1: b");
	/* A shares again: B's share is now the older one. */
	CU_ASSERT_EQUAL_FATAL(trio_share(&t, t.a_t, t.a), 0);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "1: b");
	trio_free(&t);
}

static void
test_dup_search_and_the_map_show_one_copy(void)
{
	struct trio	 t;
	const char	*place = "{\"latitude\":45.76,\"longitude\":4.83}";

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-k", 1), 0);
	CU_ASSERT_EQUAL(put_asset(t.me_t, t.mine, place, NULL), 200);
	CU_ASSERT_EQUAL(put_asset(t.a_t, t.a_copy, place, NULL), 200);
	CU_ASSERT_EQUAL(put_asset(t.b_t, t.b_copy, place, NULL), 200);
	CU_ASSERT_EQUAL(search_finds(t.me_t, "{}", t.mine), 1);
	CU_ASSERT_EQUAL(search_finds(t.me_t, "{}", t.a_copy), 0);
	CU_ASSERT_EQUAL(search_finds(t.me_t, "{}", t.b_copy), 0);
	CU_ASSERT_EQUAL(map_shows(t.me_t, "withPartners=true", t.mine), 1);
	CU_ASSERT_EQUAL(map_shows(t.me_t, "withPartners=true", t.a_copy), 0);
	CU_ASSERT_EQUAL(map_shows(t.me_t, "withPartners=true", t.b_copy), 0);
	/* The clusters count it once, from the counted cells (zoom 6 and 16,
	 * the hidden copies' cells from the assets) as from the assets (zoom
	 * 20); the partners' own maps count theirs. */
	CU_ASSERT_EQUAL(clusters_count(t.me_t, 6), 1);
	CU_ASSERT_EQUAL(clusters_count(t.me_t, 16), 1);
	CU_ASSERT_EQUAL(clusters_count(t.me_t, 20), 1);
	CU_ASSERT_EQUAL(clusters_count(t.b_t, 6), 1);
	/* Mine trashed: the older partner's copy is found and placed. */
	{
		char	 body[128];

		snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", t.mine);
		CU_ASSERT_EQUAL(api_status(t.me_t, "DELETE", "/api/assets", body), 204);
	}
	CU_ASSERT_EQUAL(search_finds(t.me_t, "{}", t.a_copy), 1);
	CU_ASSERT_EQUAL(search_finds(t.me_t, "{}", t.b_copy), 0);
	CU_ASSERT_EQUAL(map_shows(t.me_t, "withPartners=true", t.a_copy), 1);
	CU_ASSERT_EQUAL(map_shows(t.me_t, "withPartners=true", t.b_copy), 0);
	CU_ASSERT_EQUAL(clusters_count(t.me_t, 6), 1);
	/* The partners' own searches find their own. */
	CU_ASSERT_EQUAL(search_finds(t.b_t, "{}", t.b_copy), 1);
	trio_free(&t);
}

static void
test_dup_month_counts_agree_with_the_buckets_contents(void)
{
	struct trio	 t;
	char		 other[37], file[1024];
	char		 fav[8], vis[16];
	int		 found;

	CU_ASSERT_EQUAL_FATAL(trio_new(&t, "dup-l", 1), 0);
	/* One more file of B's alone, and the copies moved to other months. */
	snprintf(file, sizeof(file), "%s/f57_%04d.jpg", dup_pics, dup_next++);
	CU_ASSERT_EQUAL_FATAL(upload_id(t.b_t, file, other), 0);
	CU_ASSERT_EQUAL(put_asset(t.b_t, t.b_copy,
	    "{\"dateTimeOriginal\":\"2021-06-15T10:00:00Z\"}", NULL), 200);
	CU_ASSERT_EQUAL(put_asset(t.a_t, t.a_copy,
	    "{\"dateTimeOriginal\":\"2021-07-15T10:00:00Z\"}", NULL), 200);
	/* Mine and B's other: two (each month's count is checked against its
	 * bucket by timeline_total). */
	CU_ASSERT_EQUAL(timeline_total(t.me_t, MERGED, other, &found, fav, vis), 2);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT_STRING_EQUAL(merged_shows(&t, MERGED), "2: m");
	/* Ordered by upload time (counted from the rows): the same. */
	CU_ASSERT_EQUAL(timeline_total(t.me_t, MERGED "&orderBy=createdAt", other, &found,
	    fav, vis), 2);
	trio_free(&t);
}

void
suite_beyond(void)
{
	CU_pSuite s = CU_add_suite("e2e: beyond Immich (marks, leave, dated shares, duplicates once)", beyond_init,
	    beyond_clean);

	ADD_TEST(s, test_favourite_on_a_partners_photo_sets_my_flag_only);
	ADD_TEST(s, test_owners_favourite_is_never_shown_to_the_partner);
	ADD_TEST(s, test_my_favourite_shows_in_buckets_search_and_map);
	ADD_TEST(s, test_with_partners_and_is_favorite_is_still_400);
	ADD_TEST(s, test_my_favourite_shows_in_a_shared_albums_view);
	ADD_TEST(s, test_any_other_field_on_a_partners_photo_stays_400);
	ADD_TEST(s, test_a_stranger_cannot_mark_a_photo);
	ADD_TEST(s, test_mixed_selection_applies_to_each_id_what_it_allows);
	ADD_TEST(s, test_archive_hides_a_partners_photo_from_my_timeline_only);
	ADD_TEST(s, test_my_archive_view_lists_what_i_archived_of_a_partner);
	ADD_TEST(s, test_archive_hides_a_partners_photo_from_my_search_and_map);
	ADD_TEST(s, test_my_archive_never_shows_what_the_owner_archived_or_trashed);

	ADD_TEST(s, test_leave_answers_204_and_access_ends_at_the_next_request);
	ADD_TEST(s, test_leave_removes_the_share_from_both_partner_lists);
	ADD_TEST(s, test_leave_writes_the_audit_row_the_sharers_delete_would);
	ADD_TEST(s, test_leave_moves_the_recipients_timeline_at_once);
	ADD_TEST(s, test_leave_of_no_share_is_partner_not_found);
	ADD_TEST(s, test_leave_of_a_bad_id_is_400_invalid_uuid);
	ADD_TEST(s, test_leave_then_the_sharer_may_share_again);
	ADD_TEST(s, test_delete_keeps_immichs_meaning_the_recipient_cannot_use_it);
	ADD_TEST(s, test_dated_share_created_with_a_start_date_lists_it_both_ways);
	ADD_TEST(s, test_whole_library_share_has_a_null_start_date);
	ADD_TEST(s, test_dated_share_bad_dates_are_400_validation_failed);
	ADD_TEST(s, test_dated_share_only_the_sharer_sets_the_date);
	ADD_TEST(s, test_dated_share_shows_what_was_taken_on_or_after_the_day);
	ADD_TEST(s, test_dated_share_goes_by_the_local_date_across_a_time_zone_offset);
	ADD_TEST(s, test_dated_share_timeline_counts_and_contents_start_at_the_day);
	ADD_TEST(s, test_dated_share_edits_take_effect_at_once);
	ADD_TEST(s, test_dated_share_holds_for_albums_zips_search_and_map);
	ADD_TEST(s, test_dup_my_copy_shows_once_in_my_merged_timeline);
	ADD_TEST(s, test_dup_a_partners_own_library_view_still_shows_their_copy);
	ADD_TEST(s, test_dup_two_partners_the_older_shares_copy_shows);
	ADD_TEST(s, test_dup_the_older_partner_archives_or_trashes_theirs_the_other_appears);
	ADD_TEST(s, test_dup_my_archive_of_the_older_copy_shows_the_other);
	ADD_TEST(s, test_dup_i_trash_mine_the_partners_appears_restored_it_hides_again);
	ADD_TEST(s, test_dup_my_archived_copy_keeps_the_partners_hidden);
	ADD_TEST(s, test_dup_show_in_timeline_off_then_on_moves_the_copy_shown);
	ADD_TEST(s, test_dup_a_dated_share_that_excludes_the_copy_shows_the_other);
	ADD_TEST(s, test_dup_leave_then_reshare_makes_the_other_share_the_older);
	ADD_TEST(s, test_dup_search_and_the_map_show_one_copy);
	ADD_TEST(s, test_dup_month_counts_agree_with_the_buckets_contents);
}
