/*
 * test_search.c: search end to end through nginx: each filter of
 * POST /api/search/metadata, paging that stays stable while photos are
 * uploaded, suggestions narrowing, one asset per place, partners in and
 * out of search as Show in timeline changes and as the share ends, and
 * what search must never reveal: a partner's archived, trashed or locked
 * photos whatever visibility says, or a partner's favourites.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"

struct who {
	char	*token, id[37], email[128];
};

/* me; a sharer I show in my timeline; one I do not. */
static struct who	 me, sharer, hidden_sharer;
static const char	*photos;
static int		 photo_next = 1;

/* My assets, the sharers': what each is and where. */
enum {
	MY_PARIS = 0, MY_LYON, MY_BERLIN, MY_NOWHERE, MY_ARCHIVED,
	S_PARIS, S_ARCHIVED, S_TRASHED, S_LOCKED, S_HIDDEN_SHARE_PARIS, N_ASSETS
};
static char		 ids[N_ASSETS][37];

/* Upload one fixture photo under a file name of ours. */
static int
upload_named(struct who *w, const char *name, char *id)
{
	struct http		 h;
	struct json_object	*v;
	char			 path[1024];
	int			 rc = -1;

	snprintf(path, sizeof(path), "%s/f31_%04d.jpg", photos, photo_next++);
	if (http_upload(&h, w->token, path, name, NULL, NULL) == 0 && h.status == 201 &&
	    json_object_object_get_ex(h.json, "id", &v)) {
		snprintf(id, 37, "%s", json_object_get_string(v));
		rc = 0;
	}
	http_free(&h);
	return rc;
}

/* Set-up facts written directly (not under test here): place, camera,
 * description, capture time and state of an asset. */
static int
set_facts(const char *id, const char *city, const char *state, const char *country,
    const char *make, const char *model, const char *lens, const char *descr,
    const char *taken, const char *vis, int trashed, int fav)
{
	char	 sql[2048];

#define Q(s)	(s) ? "'" : "", (s) ? (s) : "NULL", (s) ? "'" : ""
	snprintf(sql, sizeof(sql), "UPDATE partnerd.asset_exif SET city = %s%s%s, state = %s%s%s,"
	    " country = %s%s%s, make = %s%s%s, model = %s%s%s, lens_model = %s%s%s,"
	    " description = %s%s%s WHERE asset_id = '%s';"
	    " UPDATE partnerd.assets SET file_created_at = '%s', visibility = '%s',"
	    " deleted_at = %s, status = '%s', is_favorite = %d WHERE id = '%s';",
	    Q(city), Q(state), Q(country), Q(make), Q(model), Q(lens), Q(descr), id,
	    taken, vis, trashed ? "UTC_TIMESTAMP(3)" : "NULL", trashed ? "trashed" : "active",
	    fav, id);
#undef Q
	return db_root_sql(sql);
}

static int
search_init(void)
{
	char	 path[128];
	int	 rc = 0;

	if ((photos = fixture_dir(31, 40)) == NULL ||
	    (me.token = new_user_token("search-me", "pw-search-1", me.email,
	    sizeof(me.email), me.id)) == NULL ||
	    (sharer.token = new_user_token("search-sharer", "pw-search-1", sharer.email,
	    sizeof(sharer.email), sharer.id)) == NULL ||
	    (hidden_sharer.token = new_user_token("search-hidden", "pw-search-1",
	    hidden_sharer.email, sizeof(hidden_sharer.email), hidden_sharer.id)) == NULL)
		return -1;
	snprintf(path, sizeof(path), "{\"sharedWithId\":\"%s\"}", me.id);
	if (api_status(sharer.token, "POST", "/api/partners", path) != 201 ||
	    api_status(hidden_sharer.token, "POST", "/api/partners", path) != 201)
		return -1;
	snprintf(path, sizeof(path), "/api/partners/%s", sharer.id);
	if (api_status(me.token, "PUT", path, "{\"inTimeline\":true}") != 200)
		return -1;
	rc |= upload_named(&me, "holiday-eiffel.jpg", ids[MY_PARIS]);
	rc |= upload_named(&me, "IMG_0002.jpg", ids[MY_LYON]);
	rc |= upload_named(&me, "IMG_0003.jpg", ids[MY_BERLIN]);
	rc |= upload_named(&me, "IMG_0004.jpg", ids[MY_NOWHERE]);
	rc |= upload_named(&me, "IMG_0005.jpg", ids[MY_ARCHIVED]);
	rc |= upload_named(&sharer, "s-paris.jpg", ids[S_PARIS]);
	rc |= upload_named(&sharer, "s-archived.jpg", ids[S_ARCHIVED]);
	rc |= upload_named(&sharer, "s-trashed.jpg", ids[S_TRASHED]);
	rc |= upload_named(&sharer, "s-locked.jpg", ids[S_LOCKED]);
	rc |= upload_named(&hidden_sharer, "h-paris.jpg", ids[S_HIDDEN_SHARE_PARIS]);
	if (rc != 0)
		return -1;
	rc |= set_facts(ids[MY_PARIS], "Paris", "Île-de-France", "France", "Canon",
	    "EOS R5", "RF 24-70mm", "Sunset over the Seine", "2021-06-01 12:00:00", "timeline", 0, 0);
	rc |= set_facts(ids[MY_LYON], "Lyon", "Auvergne-Rhône-Alpes", "France", "Nikon",
	    "Z 6", "Nikkor 50mm", NULL, "2022-03-01 12:00:00", "timeline", 0, 1);
	rc |= set_facts(ids[MY_BERLIN], "Berlin", "Land Berlin", "Germany", "Canon",
	    "EOS 5D", NULL, "Brandenburg gate at night", "2023-09-01 12:00:00", "timeline", 0, 0);
	rc |= set_facts(ids[MY_NOWHERE], NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	    "2020-01-01 12:00:00", "timeline", 0, 0);
	rc |= set_facts(ids[MY_ARCHIVED], "Paris", "Île-de-France", "France", "Canon",
	    "EOS R5", NULL, NULL, "2019-01-01 12:00:00", "archive", 0, 0);
	/* The sharer's: one in the timeline (a favourite of theirs), and one
	 * archived, one trashed and one locked, all in Paris with a Leica. */
	rc |= set_facts(ids[S_PARIS], "Paris", "Île-de-France", "France", "Leica",
	    "M11", NULL, "Sunset from Montmartre", "2021-07-01 12:00:00", "timeline", 0, 1);
	rc |= set_facts(ids[S_ARCHIVED], "Paris", "Île-de-France", "France", "Leica",
	    "M10", NULL, "Sunset archived", "2021-07-02 12:00:00", "archive", 0, 0);
	rc |= set_facts(ids[S_TRASHED], "Paris", "Île-de-France", "France", "Leica",
	    "M9", NULL, "Sunset trashed", "2021-07-03 12:00:00", "timeline", 1, 0);
	rc |= set_facts(ids[S_LOCKED], "Paris", "Île-de-France", "France", "Leica",
	    "M8", NULL, "Sunset locked", "2021-07-04 12:00:00", "locked", 0, 0);
	rc |= set_facts(ids[S_HIDDEN_SHARE_PARIS], "Paris", "Île-de-France", "France", "Sony",
	    "A7", NULL, NULL, "2021-08-01 12:00:00", "timeline", 0, 0);
	return rc;
}

static int
search_clean(void)
{
	free(me.token);
	free(sharer.token);
	free(hidden_sharer.token);
	return 0;
}

/* POST /api/search/metadata as w; the answer in h (caller frees). */
static long
search(struct who *w, const char *body, struct http *h)
{
	return api(w->token, "POST", "/api/search/metadata", body, h);
}

/* Which of ids[] the answer's items hold, as a bit set; -1 if no answer. */
static long
found(struct http *h)
{
	struct json_object	*assets, *items;
	long			 set = 0;
	size_t			 i;
	int			 k;

	if (h->status != 200 || !json_object_object_get_ex(h->json, "assets", &assets) ||
	    !json_object_object_get_ex(assets, "items", &items))
		return -1;
	for (i = 0; i < json_object_array_length(items); i++) {
		const char *id = json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(items, i), "id"));

		for (k = 0; k < N_ASSETS; k++)
			if (id != NULL && strcmp(id, ids[k]) == 0)
				set |= 1L << k;
	}
	return set;
}

/* The set of ids[] that search with body finds for w. */
static long
found_by(struct who *w, const char *body)
{
	struct http	 h;
	long		 set;

	search(w, body, &h);
	set = found(&h);
	http_free(&h);
	return set;
}

#define B(k)	(1L << (k))

static void
test_search_by_city_finds_mine_and_partners_in_my_timeline(void)
{
	CU_ASSERT_EQUAL(found_by(&me, "{\"city\":\"Paris\"}"),
	    B(MY_PARIS) | B(MY_ARCHIVED) | B(S_PARIS));
	CU_ASSERT_EQUAL(found_by(&me, "{\"city\":\"Lyon\"}"), B(MY_LYON));
}

static void
test_search_answer_has_immich_shape(void)
{
	struct http		 h;
	struct json_object	*albums, *assets, *item;

	CU_ASSERT_EQUAL_FATAL(search(&me, "{\"city\":\"Lyon\",\"withExif\":true}", &h), 200);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "albums", &albums));
	CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(albums, "total")), 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "assets", &assets));
	CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(assets, "total")), 1);
	CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(assets, "count")), 1);
	CU_ASSERT_TRUE(json_object_is_type(json_object_object_get(assets, "facets"),
	    json_type_array));
	CU_ASSERT_TRUE(json_object_object_get_ex(assets, "nextPage", NULL));
	CU_ASSERT_PTR_NULL(json_object_object_get(assets, "nextPage"));
	item = json_object_array_get_idx(json_object_object_get(assets, "items"), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(
	    json_object_object_get(item, "exifInfo"), "city")), "Lyon");
	http_free(&h);
	/* Without withExif, no exifInfo (Immich joins it only when asked). */
	CU_ASSERT_EQUAL_FATAL(search(&me, "{\"city\":\"Lyon\"}", &h), 200);
	item = json_object_array_get_idx(json_object_object_get(
	    json_object_object_get(h.json, "assets"), "items"), 0);
	CU_ASSERT_FALSE(json_object_object_get_ex(item, "exifInfo", NULL));
	http_free(&h);
}

static void
test_search_by_state_and_country(void)
{
	CU_ASSERT_EQUAL(found_by(&me, "{\"state\":\"Land Berlin\"}"), B(MY_BERLIN));
	CU_ASSERT_EQUAL(found_by(&me, "{\"country\":\"Germany\"}"), B(MY_BERLIN));
	CU_ASSERT_EQUAL(found_by(&me, "{\"country\":\"France\",\"state\":\"Auvergne-Rhône-Alpes\"}"),
	    B(MY_LYON));
}

static void
test_search_null_place_finds_assets_without_one(void)
{
	CU_ASSERT_EQUAL(found_by(&me, "{\"city\":null}"), B(MY_NOWHERE));
}

static void
test_search_by_camera_make_model_and_lens(void)
{
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Canon\"}"),
	    B(MY_PARIS) | B(MY_BERLIN) | B(MY_ARCHIVED));
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Canon\",\"model\":\"EOS 5D\"}"), B(MY_BERLIN));
	CU_ASSERT_EQUAL(found_by(&me, "{\"lensModel\":\"Nikkor 50mm\"}"), B(MY_LYON));
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Leica\"}"), B(S_PARIS));
}

static void
test_search_by_words_of_file_name_and_description(void)
{
	CU_ASSERT_EQUAL(found_by(&me, "{\"originalFileName\":\"eiffel\"}"), B(MY_PARIS));
	CU_ASSERT_EQUAL(found_by(&me, "{\"originalFileName\":\"holi\"}"), B(MY_PARIS));
	CU_ASSERT_EQUAL(found_by(&me, "{\"description\":\"sunset\"}"), B(MY_PARIS) | B(S_PARIS));
	CU_ASSERT_EQUAL(found_by(&me, "{\"description\":\"gate night\"}"), B(MY_BERLIN));
	/* Boolean-mode operators are words' separators, not operators. */
	CU_ASSERT_EQUAL(found_by(&me, "{\"description\":\"-sunset\"}"), B(MY_PARIS) | B(S_PARIS));
}

static void
test_search_by_capture_dates(void)
{
	CU_ASSERT_EQUAL(found_by(&me, "{\"takenAfter\":\"2022-01-01T00:00:00.000Z\"}"),
	    B(MY_LYON) | B(MY_BERLIN));
	CU_ASSERT_EQUAL(found_by(&me, "{\"takenBefore\":\"2020-06-01T00:00:00.000Z\"}"),
	    B(MY_NOWHERE) | B(MY_ARCHIVED));
	CU_ASSERT_EQUAL(found_by(&me, "{\"takenAfter\":\"2021-06-15\",\"takenBefore\":\"2021-12-31\"}"),
	    B(S_PARIS));
}

static void
test_search_by_type(void)
{
	CU_ASSERT_EQUAL(found_by(&me, "{\"type\":\"VIDEO\"}"), 0);
	CU_ASSERT_EQUAL(found_by(&me, "{\"type\":\"IMAGE\",\"city\":\"Lyon\"}"), B(MY_LYON));
}

static void
test_search_is_favorite_matches_only_my_own_flags(void)
{
	/* The sharer's favourite is not mine: never found as one. */
	CU_ASSERT_EQUAL(found_by(&me, "{\"isFavorite\":true}"), B(MY_LYON));
	CU_ASSERT_EQUAL(found_by(&me, "{\"isFavorite\":false,\"make\":\"Leica\"}"), B(S_PARIS));
}

static void
test_search_never_finds_partners_archived_trashed_or_locked(void)
{
	static const char *const bodies[] = {
		"{\"make\":\"Leica\"}",
		"{\"make\":\"Leica\",\"visibility\":\"timeline\"}",
		"{\"make\":\"Leica\",\"visibility\":\"archive\"}",
		"{\"make\":\"Leica\",\"visibility\":\"hidden\"}",
		"{\"description\":\"sunset\",\"size\":1000}",
	};
	long	 bad = B(S_ARCHIVED) | B(S_TRASHED) | B(S_LOCKED);
	size_t	 i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		long set = found_by(&me, bodies[i]);

		CU_ASSERT(set >= 0 && (set & bad) == 0);
	}
	/* My own archive, when asked for. */
	CU_ASSERT_EQUAL(found_by(&me, "{\"visibility\":\"archive\"}"), B(MY_ARCHIVED));
}

static void
test_search_skips_a_partners_archived_photo_in_an_album_i_can_read(void)
{
	struct http	 h;
	char		 body[256], album[37], sql[512];

	/* The sharer's archived photo, in an album of theirs I am a member of:
	 * the album clause lets me read it, but search is the timeline's. */
	snprintf(body, sizeof(body), "{\"albumName\":\"Paris\",\"assetIds\":[\"%s\"]}",
	    ids[S_ARCHIVED]);
	CU_ASSERT_EQUAL_FATAL(api(sharer.token, "POST", "/api/albums", body, &h), 201);
	snprintf(album, sizeof(album), "%s", json_object_get_string(json_object_object_get(h.json, "id")));
	http_free(&h);
	snprintf(sql, sizeof(sql), "INSERT INTO partnerd.album_users (album_id, user_id, role)"
	    " VALUES ('%s', '%s', 'viewer');", album, me.id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	snprintf(body, sizeof(body), "/api/assets/%s", ids[S_ARCHIVED]);
	CU_ASSERT_EQUAL(api_status(me.token, "GET", body, NULL), 200);
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Leica\",\"visibility\":\"archive\"}"), 0);
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Leica\"}"), B(S_PARIS));
}

static void
test_search_locked_needs_an_elevated_session(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(search(&me, "{\"visibility\":\"locked\"}", &h), 401);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Elevated permission is required");
	http_free(&h);
}

static void
test_search_bad_input_is_refused_as_immich_does(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(search(&me, "{\"type\":\"PHOTO\"}", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Validation failed");
	http_free(&h);
	CU_ASSERT_EQUAL(search(&me, "{\"takenBefore\":\"yesterday\"}", &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Validation failed");
	http_free(&h);
	CU_ASSERT_EQUAL(search(&me, "{\"size\":0}", &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(search(&me, "{\"page\":0}", &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(search(&me, "{\"size\":5000}", &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(search(&me, "{\"city\":3}", &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(search(&me, "{\"bogus\":true}", &h), 400);
	http_free(&h);
	CU_ASSERT_EQUAL(api(NULL, "POST", "/api/search/metadata", "{}", &h), 401);
	http_free(&h);
}

/* Every id of the pages of body at size 2, in order, into out; the count. */
static int
all_pages(const char *filter, char out[][37], int max, int upload_between)
{
	struct http		 h;
	struct json_object	*assets, *items, *next;
	char			 body[512], extra[37];
	int			 page = 1, n = 0;
	size_t			 i;

	for (;;) {
		snprintf(body, sizeof(body), "{%s,\"size\":2,\"page\":%d}", filter, page);
		if (search(&me, body, &h) != 200 ||
		    !json_object_object_get_ex(h.json, "assets", &assets)) {
			http_free(&h);
			return -1;
		}
		items = json_object_object_get(assets, "items");
		for (i = 0; i < json_object_array_length(items) && n < max; i++)
			snprintf(out[n++], 37, "%s", json_object_get_string(json_object_object_get(
			    json_object_array_get_idx(items, i), "id")));
		next = json_object_object_get(assets, "nextPage");
		if (next == NULL) {
			http_free(&h);
			return n;
		}
		page = atoi(json_object_get_string(next));
		http_free(&h);
		/* A new photo of Paris arrives between two pages. */
		if (upload_between && upload_named(&me, "late.jpg", extra) == 0)
			set_facts(extra, "Paris", "Île-de-France", "France", "Canon", "EOS R5",
			    NULL, NULL, "2030-01-01 12:00:00", "timeline", 0, 0);
	}
}

static void
test_search_paging_is_stable_while_photos_arrive(void)
{
	char	 before[16][37], during[16][37], now[64], body[256];
	int	 n, m, i, j;

	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3),"
	    " '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')", now, sizeof(now)), 0);
	snprintf(body, sizeof(body), "\"city\":\"Paris\",\"createdBefore\":\"%s\"", now);
	n = all_pages(body, before, 16, 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	/* Newest first, the id breaking ties: the sharer's July, then mine. */
	CU_ASSERT_STRING_EQUAL(before[0], ids[S_PARIS]);
	CU_ASSERT_STRING_EQUAL(before[1], ids[MY_PARIS]);
	CU_ASSERT_STRING_EQUAL(before[2], ids[MY_ARCHIVED]);
	/* The same pages while new photos of Paris arrive: none twice,
	 * none missed, none of the new ones (they came after the search). */
	m = all_pages(body, during, 16, 1);
	CU_ASSERT_EQUAL_FATAL(m, n);
	for (i = 0; i < n; i++)
		CU_ASSERT_STRING_EQUAL(during[i], before[i]);
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++)
			CU_ASSERT_STRING_NOT_EQUAL(during[i], during[j]);
	/* Without the pin the new one is found too. */
	CU_ASSERT_EQUAL(all_pages("\"city\":\"Paris\"", during, 16, 0), n + 1);
}

static void
test_search_order_asc_is_oldest_first(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(search(&me, "{\"make\":\"Canon\",\"model\":\"EOS R5\","
	    "\"takenBefore\":\"2025-01-01\",\"order\":\"asc\"}", &h), 200);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(json_object_object_get(json_object_object_get(h.json,
	    "assets"), "items"), 0), "id")), ids[MY_ARCHIVED]);
	http_free(&h);
}

/* GET /api/search/suggestions?query as me: the list as one string. */
static long
suggest(const char *query, char *out, size_t outsz)
{
	struct http	 h;
	char		 path[512];
	long		 st;

	snprintf(path, sizeof(path), "/api/search/suggestions?%s", query);
	st = api(me.token, "GET", path, NULL, &h);
	snprintf(out, outsz, "%s", h.body ? h.body : "");
	http_free(&h);
	return st;
}

/* Whether GET /api/search/suggestions?query as me answers 200 with want. */
static int
suggests(const char *query, const char *want)
{
	char	 s[2048];

	if (suggest(query, s, sizeof(s)) != 200)
		return 0;
	if (strcmp(s, want) != 0)
		fprintf(stderr, "suggestions?%s: got %s, want %s\n", query, s, want);
	return strcmp(s, want) == 0;
}

static void
test_suggestions_narrow_country_state_city(void)
{
	CU_ASSERT(suggests("type=country", "[\"France\",\"Germany\"]"));
	CU_ASSERT(suggests("type=state&country=France", "[\"Auvergne-Rhône-Alpes\",\"Île-de-France\"]"));
	CU_ASSERT(suggests("type=city&country=France", "[\"Lyon\",\"Paris\"]"));
	CU_ASSERT(suggests("type=city&country=Germany&state=Land%20Berlin", "[\"Berlin\"]"));
	/* Places not known are there only when asked for. */
	CU_ASSERT(suggests("type=city&includeNull=true", "[null,\"Berlin\",\"Lyon\",\"Paris\"]"));
}

static void
test_suggestions_narrow_cameras(void)
{
	char	 s[2048];

	CU_ASSERT(suggests("type=camera-make", "[\"Canon\",\"Leica\",\"Nikon\"]"));
	CU_ASSERT(suggests("type=camera-model&make=Canon", "[\"EOS 5D\",\"EOS R5\"]"));
	CU_ASSERT(suggests("type=camera-lens-model&make=Nikon", "[\"Nikkor 50mm\"]"));
	/* A partner's locked, archived and trashed cameras are not offered. */
	CU_ASSERT(suggests("type=camera-model&make=Leica", "[\"M11\"]"));
	CU_ASSERT_EQUAL(suggest("type=lens", s, sizeof(s)), 400);
	CU_ASSERT_EQUAL(suggest("country=France", s, sizeof(s)), 400);
}

/* A place narrowed by a camera, or a camera by a place: the walk over the
 * assets (the counts hold places and cameras apart), the same access rule. */
static void
test_suggestions_narrow_across_places_and_cameras(void)
{
	CU_ASSERT(suggests("type=city&make=Canon", "[\"Berlin\",\"Paris\"]"));
	CU_ASSERT(suggests("type=camera-make&country=Germany", "[\"Canon\"]"));
	CU_ASSERT(suggests("type=camera-make&city=Paris", "[\"Canon\",\"Leica\"]"));
	/* A partner's archived, trashed and locked Leicas in Paris are not. */
	CU_ASSERT(suggests("type=camera-model&make=Leica&city=Paris", "[\"M11\"]"));
	CU_ASSERT(suggests("type=country&lensModel=Nikkor%2050mm", "[\"France\"]"));
}

static void
test_cities_one_asset_per_place(void)
{
	struct http		 h;
	struct json_object	*a;
	size_t			 i;
	char			 got[256] = "";

	CU_ASSERT_EQUAL_FATAL(api(me.token, "GET", "/api/search/cities", NULL, &h), 200);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(h.json), 3);
	for (i = 0; i < 3; i++) {
		a = json_object_array_get_idx(h.json, i);
		strncat(got, json_object_get_string(json_object_object_get(
		    json_object_object_get(a, "exifInfo"), "city")), sizeof(got) - strlen(got) - 2);
		strcat(got, ",");
	}
	CU_ASSERT_STRING_EQUAL(got, "Berlin,Lyon,Paris,");
	http_free(&h);
}

static void
test_search_partner_in_and_out_with_show_in_timeline_and_share(void)
{
	char	 path[128], s[2048];

	/* Not in my timeline: not searched, not suggested. */
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Sony\"}"), 0);
	snprintf(path, sizeof(path), "/api/partners/%s", hidden_sharer.id);
	CU_ASSERT_EQUAL_FATAL(api_status(me.token, "PUT", path, "{\"inTimeline\":true}"), 200);
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Sony\"}"), B(S_HIDDEN_SHARE_PARIS));
	suggest("type=camera-make", s, sizeof(s));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"Sony\""));
	CU_ASSERT_EQUAL_FATAL(api_status(me.token, "PUT", path, "{\"inTimeline\":false}"), 200);
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Sony\"}"), 0);
	suggest("type=camera-make", s, sizeof(s));
	CU_ASSERT_PTR_NULL(strstr(s, "\"Sony\""));
	/* On again, then the sharer ends the share: gone at once. */
	CU_ASSERT_EQUAL_FATAL(api_status(me.token, "PUT", path, "{\"inTimeline\":true}"), 200);
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Sony\"}"), B(S_HIDDEN_SHARE_PARIS));
	snprintf(path, sizeof(path), "/api/partners/%s", me.id);
	CU_ASSERT_EQUAL_FATAL(api_status(hidden_sharer.token, "DELETE", path, NULL), 204);
	CU_ASSERT_EQUAL(found_by(&me, "{\"make\":\"Sony\"}"), 0);
	suggest("type=camera-make", s, sizeof(s));
	CU_ASSERT_PTR_NULL(strstr(s, "\"Sony\""));
	/* Sharing is one way: the sharer never finds my photos. */
	CU_ASSERT_EQUAL(found_by(&sharer, "{\"city\":\"Paris\"}"), B(S_PARIS) | B(S_ARCHIVED));
}

static void
test_smart_search_says_it_is_not_available(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL(api(me.token, "POST", "/api/search/smart", "{\"query\":\"dog\"}", &h), 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(http_message(&h), "Smart search is not available"));
	http_free(&h);
}

void
suite_search(void)
{
	CU_pSuite s = CU_add_suite("e2e: search through nginx", search_init, search_clean);

	ADD_TEST(s, test_search_by_city_finds_mine_and_partners_in_my_timeline);
	ADD_TEST(s, test_search_answer_has_immich_shape);
	ADD_TEST(s, test_search_by_state_and_country);
	ADD_TEST(s, test_search_null_place_finds_assets_without_one);
	ADD_TEST(s, test_search_by_camera_make_model_and_lens);
	ADD_TEST(s, test_search_by_words_of_file_name_and_description);
	ADD_TEST(s, test_search_by_capture_dates);
	ADD_TEST(s, test_search_by_type);
	ADD_TEST(s, test_search_is_favorite_matches_only_my_own_flags);
	ADD_TEST(s, test_search_never_finds_partners_archived_trashed_or_locked);
	ADD_TEST(s, test_search_skips_a_partners_archived_photo_in_an_album_i_can_read);
	ADD_TEST(s, test_search_locked_needs_an_elevated_session);
	ADD_TEST(s, test_search_bad_input_is_refused_as_immich_does);
	ADD_TEST(s, test_search_order_asc_is_oldest_first);
	ADD_TEST(s, test_suggestions_narrow_country_state_city);
	ADD_TEST(s, test_suggestions_narrow_cameras);
	ADD_TEST(s, test_suggestions_narrow_across_places_and_cameras);
	ADD_TEST(s, test_cities_one_asset_per_place);
	ADD_TEST(s, test_smart_search_says_it_is_not_available);
	/* Last: it changes what the others find. */
	ADD_TEST(s, test_search_paging_is_stable_while_photos_arrive);
	ADD_TEST(s, test_search_partner_in_and_out_with_show_in_timeline_and_share);
}
