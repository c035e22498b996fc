/*
 * test_map.c: the map through nginx: GET /api/map/markers (Immich's) and
 * GET /api/map/clusters (partnerd's). Every asset here gets its position
 * by PUT /api/assets/:id (a location edit), so the places are known:
 * mine in Paris (two, 1.3 km apart), Berlin (archived), London
 * (favourite), Rome (trashed), Madrid (taken in 2010) and both sides of
 * the antimeridian in Fiji; a partner in my timeline in Tokyo (and their
 * archived, trashed, locked and hidden ones there), a partner not in my
 * timeline in Sydney, a stranger in New York.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"

enum who { W_ME = 0, W_ON, W_OFF, W_STRANGER, W__MAX };

enum spot {
	S_PARIS1 = 0, S_PARIS2, S_BERLIN_ARCHIVED, S_LONDON_FAV, S_ROME_TRASHED,
	S_MADRID_2010, S_FIJI_EAST, S_FIJI_WEST,
	S_TOKYO, S_TOKYO_ARCHIVED, S_TOKYO_TRASHED, S_TOKYO_LOCKED, S_TOKYO_HIDDEN,
	S_SYDNEY, S_NEW_YORK, S__MAX
};

static const struct {
	enum who	 who;
	double		 lat, lon;
	const char	*vis;		/* set with PUT /api/assets, or NULL */
} spots[S__MAX] = {
	[S_PARIS1] = { W_ME, 48.8566, 2.3522, NULL },
	[S_PARIS2] = { W_ME, 48.8650, 2.3400, NULL },
	[S_BERLIN_ARCHIVED] = { W_ME, 52.52, 13.405, "archive" },
	[S_LONDON_FAV] = { W_ME, 51.5074, -0.1278, NULL },
	[S_ROME_TRASHED] = { W_ME, 41.9028, 12.4964, NULL },
	[S_MADRID_2010] = { W_ME, 40.4168, -3.7038, NULL },
	[S_FIJI_EAST] = { W_ME, -17.7134, 179.9, NULL },
	[S_FIJI_WEST] = { W_ME, -16.5, -179.9, NULL },
	[S_TOKYO] = { W_ON, 35.6762, 139.6503, NULL },
	[S_TOKYO_ARCHIVED] = { W_ON, 35.6800, 139.7000, "archive" },
	[S_TOKYO_TRASHED] = { W_ON, 35.6900, 139.7100, NULL },
	[S_TOKYO_LOCKED] = { W_ON, 35.7000, 139.7200, "locked" },
	[S_TOKYO_HIDDEN] = { W_ON, 35.7100, 139.7300, "hidden" },
	[S_SYDNEY] = { W_OFF, -33.8688, 151.2093, NULL },
	[S_NEW_YORK] = { W_STRANGER, 40.7128, -74.0060, NULL },
};

static struct {
	char	 id[37], email[128], *token;
} users[W__MAX];
static char		 asset[S__MAX][37];
static const char	*pics;
static int		 pic_next = 1;

#define WORLD	"bbox=-180,-85,180,85"

static int
map_init(void)
{
	char	 path[1024], body[256];
	int	 w, s;

	if ((pics = fixture_dir(35, 20)) == NULL)
		return -1;
	for (w = 0; w < W__MAX; w++)
		if ((users[w].token = new_user_token("map", "pw-map-1", users[w].email,
		    sizeof(users[w].email), users[w].id)) == NULL)
			return -1;
	/* ON and OFF share with me; I show ON in my timeline. */
	for (w = W_ON; w <= W_OFF; w++) {
		snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", users[W_ME].id);
		if (api_status(users[w].token, "POST", "/api/partners", body) != 201)
			return -1;
	}
	snprintf(path, sizeof(path), "/api/partners/%s", users[W_ON].id);
	if (api_status(users[W_ME].token, "PUT", path, "{\"inTimeline\":true}") != 200)
		return -1;
	for (s = 0; s < S__MAX; s++) {
		const char *tok = users[spots[s].who].token;

		snprintf(path, sizeof(path), "%s/f35_%04d.jpg", pics, pic_next++);
		if (upload_id(tok, path, asset[s]) != 0)
			return -1;
		snprintf(path, sizeof(path), "/api/assets/%s", asset[s]);
		snprintf(body, sizeof(body), "{\"latitude\":%.6f,\"longitude\":%.6f%s%s%s}",
		    spots[s].lat, spots[s].lon, spots[s].vis ? ",\"visibility\":\"" : "",
		    spots[s].vis ? spots[s].vis : "", spots[s].vis ? "\"" : "");
		if (api_status(tok, "PUT", path, body) != 200)
			return -1;
	}
	snprintf(path, sizeof(path), "/api/assets/%s", asset[S_LONDON_FAV]);
	if (api_status(users[W_ME].token, "PUT", path, "{\"isFavorite\":true}") != 200)
		return -1;
	/* The partner's own favourite: never my favourite. */
	snprintf(path, sizeof(path), "/api/assets/%s", asset[S_TOKYO]);
	if (api_status(users[W_ON].token, "PUT", path, "{\"isFavorite\":true}") != 200)
		return -1;
	snprintf(path, sizeof(path), "/api/assets/%s", asset[S_MADRID_2010]);
	if (api_status(users[W_ME].token, "PUT", path,
	    "{\"dateTimeOriginal\":\"2010-05-01T12:00:00.000+02:00\"}") != 200)
		return -1;
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", asset[S_ROME_TRASHED]);
	if (api_status(users[W_ME].token, "DELETE", "/api/assets", body) != 204)
		return -1;
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", asset[S_TOKYO_TRASHED]);
	if (api_status(users[W_ON].token, "DELETE", "/api/assets", body) != 204)
		return -1;
	return 0;
}

static int
map_clean(void)
{
	int	 w;

	for (w = 0; w < W__MAX; w++)
		free(users[w].token);
	return 0;
}

/* GET path as me; the JSON array answer (caller puts) or NULL. */
static struct json_object *
get_array(const char *token, const char *path)
{
	struct http		 h;
	struct json_object	*a = NULL;

	if (api(token, "GET", path, NULL, &h) == 200 &&
	    json_object_is_type(h.json, json_type_array))
		a = json_object_get(h.json);
	http_free(&h);
	return a;
}

/* Does a markers answer hold the asset of spot s? */
static int
has_marker(struct json_object *a, enum spot s)
{
	size_t	 i;

	for (i = 0; a != NULL && i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(a, i), "id")), asset[s]) == 0)
			return 1;
	return 0;
}

/* The markers of path (as me): which of the spots it holds, as a bit set. */
static unsigned
markers_of(const char *path)
{
	struct json_object	*a = get_array(users[W_ME].token, path);
	unsigned		 set = 0;
	int			 s;

	for (s = 0; s < S__MAX; s++)
		if (has_marker(a, (enum spot)s))
			set |= 1u << s;
	if (a == NULL)
		set = ~0u;	/* no answer matches no expectation */
	json_object_put(a);
	return set;
}

#define BIT(s)	(1u << (s))
#define MINE_SHOWN \
	(BIT(S_PARIS1) | BIT(S_PARIS2) | BIT(S_LONDON_FAV) | BIT(S_MADRID_2010) | \
	    BIT(S_FIJI_EAST) | BIT(S_FIJI_WEST))

/* The sum of the clusters' counts of path (as me), -1 on a bad answer. */
static long
cluster_total(const char *path, size_t *ncells)
{
	struct json_object	*a = get_array(users[W_ME].token, path);
	long			 n = 0;
	size_t			 i;

	if (a == NULL)
		return -1;
	for (i = 0; i < json_object_array_length(a); i++)
		n += json_object_get_int64(json_object_object_get(
		    json_object_array_get_idx(a, i), "count"));
	if (ncells != NULL)
		*ncells = json_object_array_length(a);
	json_object_put(a);
	return n;
}

static void
test_map_markers_have_immichs_fields(void)
{
	struct json_object	*a = get_array(users[W_ME].token, "/api/map/markers"), *m;
	size_t			 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_TRUE(json_object_array_length(a) > 0);
	for (i = 0; i < json_object_array_length(a); i++) {
		m = json_object_array_get_idx(a, i);
		CU_ASSERT_EQUAL(json_object_object_length(m), 6);
		CU_ASSERT_TRUE(json_object_is_type(json_object_object_get(m, "id"), json_type_string));
		CU_ASSERT_TRUE(json_object_is_type(json_object_object_get(m, "lat"), json_type_double));
		CU_ASSERT_TRUE(json_object_is_type(json_object_object_get(m, "lon"), json_type_double));
		CU_ASSERT_TRUE(json_object_object_get_ex(m, "city", NULL) &&
		    json_object_object_get_ex(m, "state", NULL) &&
		    json_object_object_get_ex(m, "country", NULL));
	}
	json_object_put(a);
}

static void
test_map_markers_are_mine_without_with_partners(void)
{
	CU_ASSERT_EQUAL(markers_of("/api/map/markers"), MINE_SHOWN);
}

static void
test_map_markers_with_partners_are_the_timelines_partners(void)
{
	/* Tokyo (in my timeline) yes; Sydney (not in it) and New York no;
	 * the partner's archived, trashed, locked and hidden ones never. */
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true"),
	    MINE_SHOWN | BIT(S_TOKYO));
}

static void
test_map_markers_archived_are_only_mine(void)
{
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true&isArchived=true"),
	    MINE_SHOWN | BIT(S_TOKYO) | BIT(S_BERLIN_ARCHIVED));
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?isArchived=false"), MINE_SHOWN);
}

static void
test_map_markers_favourites_are_my_flags(void)
{
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true&isFavorite=true"),
	    BIT(S_LONDON_FAV));
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true&isFavorite=false"),
	    (MINE_SHOWN & ~BIT(S_LONDON_FAV)) | BIT(S_TOKYO));
}

static void
test_map_markers_file_created_after_and_before(void)
{
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?fileCreatedBefore=2011-01-01T00:00:00.000Z"),
	    BIT(S_MADRID_2010));
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?fileCreatedAfter=2011-01-01T00:00:00.000Z"),
	    MINE_SHOWN & ~BIT(S_MADRID_2010));
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?fileCreatedAfter=2010-05-01T10:00:00.000Z"
	    "&fileCreatedBefore=2010-05-01T10:00:00.000Z"), BIT(S_MADRID_2010));
}

static void
test_map_markers_bbox_is_exact_and_crosses_the_antimeridian(void)
{
	/* Paris' two, not Berlin or London. */
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?bbox=2.3,48.8,2.4,48.9"),
	    BIT(S_PARIS1) | BIT(S_PARIS2));
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?bbox=2.345,48.8,2.4,48.9"), BIT(S_PARIS1));
	/* West of east: across the antimeridian, both Fiji ones and nothing else. */
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?bbox=179,-20,-179,-15"),
	    BIT(S_FIJI_EAST) | BIT(S_FIJI_WEST));
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?bbox=179.5,-20,-179.95,-15"),
	    BIT(S_FIJI_EAST));
}

static void
test_map_bad_input_gets_immichs_error_body(void)
{
	static const char *const bad[] = {
		"/api/map/clusters?zoom=3",
		"/api/map/clusters?" WORLD,
		"/api/map/clusters?" WORLD "&zoom=23",
		"/api/map/clusters?" WORLD "&zoom=-1",
		"/api/map/clusters?bbox=1,2,3&zoom=3",
		"/api/map/clusters?bbox=1,2,3,x&zoom=3",
		"/api/map/clusters?bbox=-181,0,10,10&zoom=3",
		"/api/map/clusters?bbox=0,10,10,0&zoom=3",
		"/api/map/markers?fileCreatedAfter=yesterday",
		"/api/map/markers?withSharedAlbums=true",
		"/api/map/markers?isFavorite=maybe",
		"/api/map/markers?colour=red",
	};
	struct http	 h;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(api(users[W_ME].token, "GET", bad[i], NULL, &h), 400);
		/* The gate's one error body (errors.c), with a message. */
		CU_ASSERT_TRUE(http_message(&h)[0] != '\0');
		http_free(&h);
	}
	CU_ASSERT_EQUAL(api_status(NULL, "GET", "/api/map/markers", NULL), 401);
	CU_ASSERT_EQUAL(api_status(NULL, "GET", "/api/map/clusters?" WORLD "&zoom=0", NULL), 401);
}

static void
test_map_clusters_have_count_centre_sample_and_bbox(void)
{
	struct json_object	*a, *c, *b;
	size_t			 i;

	a = get_array(users[W_ME].token, "/api/map/clusters?bbox=2.3,48.8,2.4,48.9&zoom=8");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(a), 1);
	c = json_object_array_get_idx(a, 0);
	CU_ASSERT_EQUAL(json_object_object_length(c), 5);
	CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(c, "count")), 2);
	CU_ASSERT_TRUE(fabs(json_object_get_double(json_object_object_get(c, "latitude")) -
	    (48.8566 + 48.8650) / 2) < 1e-6);
	CU_ASSERT_TRUE(fabs(json_object_get_double(json_object_object_get(c, "longitude")) -
	    (2.3522 + 2.3400) / 2) < 1e-6);
	CU_ASSERT_TRUE(strcmp(json_object_get_string(json_object_object_get(c, "assetId")),
	    asset[S_PARIS1]) == 0 || strcmp(json_object_get_string(json_object_object_get(c,
	    "assetId")), asset[S_PARIS2]) == 0);
	b = json_object_object_get(c, "bbox");
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(b), 4);
	CU_ASSERT_TRUE(fabs(json_object_get_double(json_object_array_get_idx(b, 0)) - 2.34) < 1e-9);
	CU_ASSERT_TRUE(fabs(json_object_get_double(json_object_array_get_idx(b, 1)) - 48.8566) < 1e-9);
	CU_ASSERT_TRUE(fabs(json_object_get_double(json_object_array_get_idx(b, 2)) - 2.3522) < 1e-9);
	CU_ASSERT_TRUE(fabs(json_object_get_double(json_object_array_get_idx(b, 3)) - 48.865) < 1e-9);
	for (i = 0; i < json_object_array_length(a); i++)
		CU_ASSERT_TRUE(json_object_is_type(json_object_object_get(
		    json_object_array_get_idx(a, i), "assetId"), json_type_string));
	json_object_put(a);
}

static void
test_map_clusters_add_up_to_the_markers_at_every_zoom(void)
{
	char	 path[256];
	long	 n;
	int	 z;

	for (z = 0; z <= 22; z += 2) {
		snprintf(path, sizeof(path), "/api/map/clusters?" WORLD "&zoom=%d&withPartners=true", z);
		n = cluster_total(path, NULL);
		CU_ASSERT_EQUAL(n, 7);	/* MINE_SHOWN and Tokyo */
	}
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?" WORLD "&zoom=4&withPartners=true"
	    "&isArchived=true", NULL), 8);
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?" WORLD "&zoom=4&isFavorite=true", NULL), 1);
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?" WORLD "&zoom=4"
	    "&fileCreatedBefore=2011-01-01T00:00:00.000Z", NULL), 1);
}

static void
test_map_clusters_split_as_the_zoom_grows(void)
{
	char	 path[256];
	size_t	 cells = 0;
	int	 z;

	/* Paris' two are 1.3 km apart: one cell at zoom 8, two at zoom 14. */
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=2.3,48.8,2.4,48.9&zoom=8", &cells), 2);
	CU_ASSERT_EQUAL(cells, 1);
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=2.3,48.8,2.4,48.9&zoom=14", &cells), 2);
	CU_ASSERT_EQUAL(cells, 2);
	/* Zoomed in to 15 and more, a view of few grid rows reads them one by
	 * one (stmts.c, MAP_NARROW): the same two, over 3,500 rows, 2,000 and
	 * more of them north of the two. */
	for (z = 15; z <= 22; z++) {
		snprintf(path, sizeof(path), "/api/map/clusters?bbox=2.33,48.845,2.36,48.895"
		    "&zoom=%d&withPartners=true", z);
		CU_ASSERT_EQUAL(cluster_total(path, NULL), 2);
	}
	/* The world at zoom 0 (cells of a quarter of it each way): Paris,
	 * London with Madrid (west of Greenwich), and Fiji's two halves. */
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?" WORLD "&zoom=0", &cells), 6);
	CU_ASSERT_EQUAL(cells, 4);
}

static void
test_map_clusters_cross_the_antimeridian(void)
{
	size_t	 cells = 0;

	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=179,-20,-179,-15&zoom=10", &cells), 2);
	CU_ASSERT_EQUAL(cells, 2);
	/* The same longitudes the other way round are the rest of the world. */
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=-179,-20,179,-15&zoom=10", NULL), 0);
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=-179,-20,179,60&zoom=10", NULL), 4);
}

static void
test_map_cluster_bbox_gives_its_markers(void)
{
	struct json_object	*a, *c, *b;
	char			 path[512];
	size_t			 i;
	long			 n;

	a = get_array(users[W_ME].token, "/api/map/clusters?" WORLD "&zoom=6&withPartners=true");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *m;

		c = json_object_array_get_idx(a, i);
		b = json_object_object_get(c, "bbox");
		snprintf(path, sizeof(path), "/api/map/markers?withPartners=true&bbox=%.17g,%.17g,%.17g,%.17g",
		    json_object_get_double(json_object_array_get_idx(b, 0)),
		    json_object_get_double(json_object_array_get_idx(b, 1)),
		    json_object_get_double(json_object_array_get_idx(b, 2)),
		    json_object_get_double(json_object_array_get_idx(b, 3)));
		m = get_array(users[W_ME].token, path);
		n = m != NULL ? (long)json_object_array_length(m) : -1;
		CU_ASSERT_EQUAL(n, json_object_get_int64(json_object_object_get(c, "count")));
		json_object_put(m);
	}
	json_object_put(a);
}

static void
test_map_follows_a_location_edit(void)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/assets/%s", asset[S_MADRID_2010]);
	CU_ASSERT_EQUAL(api_status(users[W_ME].token, "PUT", path,
	    "{\"latitude\":64.1466,\"longitude\":-21.9426}"), 200);
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?bbox=-22,64,-21,65"), BIT(S_MADRID_2010));
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=-4,40,-3,41&zoom=12", NULL), 0);
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=-22,64,-21,65&zoom=12", NULL), 1);
}

static void
test_map_copy_matches_its_definition(void)
{
	char	 n[64];

	/* asset_map (sql/035) is derived: after every edit above it equals
	 * its source view, row for row, both ways. */
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT (SELECT COUNT(*) FROM (SELECT * FROM"
	    " partnerd.asset_map EXCEPT SELECT * FROM partnerd.asset_map_source) x) +"
	    " (SELECT COUNT(*) FROM (SELECT * FROM partnerd.asset_map_source EXCEPT"
	    " SELECT * FROM partnerd.asset_map) y)", n, sizeof(n)), 0);
	CU_ASSERT_STRING_EQUAL(n, "0");
	/* So are its counted cells (sql/038). */
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT (SELECT COUNT(*) FROM (SELECT * FROM"
	    " partnerd.asset_map_cells EXCEPT SELECT * FROM partnerd.asset_map_cells_source) x) +"
	    " (SELECT COUNT(*) FROM (SELECT * FROM partnerd.asset_map_cells_source EXCEPT"
	    " SELECT * FROM partnerd.asset_map_cells) y)", n, sizeof(n)), 0);
	CU_ASSERT_STRING_EQUAL(n, "0");
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT COUNT(*) FROM partnerd.asset_map", n,
	    sizeof(n)), 0);
	CU_ASSERT_TRUE(atol(n) >= S__MAX);
}

/* Tokyo on the map as me, with partners: markers and a world cluster. */
static void
tokyo_shown(int want)
{
	CU_ASSERT_EQUAL((markers_of("/api/map/markers?withPartners=true") & BIT(S_TOKYO)) != 0,
	    want);
	CU_ASSERT_EQUAL(cluster_total("/api/map/clusters?bbox=139,35,140,36&zoom=5"
	    "&withPartners=true", NULL), want ? 1 : 0);
}

static void
test_map_partners_follow_show_in_timeline(void)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/partners/%s", users[W_ON].id);
	tokyo_shown(1);
	CU_ASSERT_EQUAL(api_status(users[W_ME].token, "PUT", path, "{\"inTimeline\":false}"), 200);
	tokyo_shown(0);
	CU_ASSERT_EQUAL(api_status(users[W_ME].token, "PUT", path, "{\"inTimeline\":true}"), 200);
	tokyo_shown(1);
	/* Sydney's partner turned on: in; off again: out. */
	snprintf(path, sizeof(path), "/api/partners/%s", users[W_OFF].id);
	CU_ASSERT_EQUAL(api_status(users[W_ME].token, "PUT", path, "{\"inTimeline\":true}"), 200);
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true"),
	    MINE_SHOWN | BIT(S_TOKYO) | BIT(S_SYDNEY));
	CU_ASSERT_EQUAL(api_status(users[W_ME].token, "PUT", path, "{\"inTimeline\":false}"), 200);
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true"),
	    MINE_SHOWN | BIT(S_TOKYO));
}

static void
test_map_partner_archiving_takes_the_marker_away(void)
{
	char	 body[128];

	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"archive\"}", asset[S_TOKYO]);
	CU_ASSERT_EQUAL(api_status(users[W_ON].token, "PUT", "/api/assets", body), 204);
	tokyo_shown(0);
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true&isArchived=true") &
	    BIT(S_TOKYO), 0);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"],\"visibility\":\"timeline\"}", asset[S_TOKYO]);
	CU_ASSERT_EQUAL(api_status(users[W_ON].token, "PUT", "/api/assets", body), 204);
	tokyo_shown(1);
}

/*
 * What a partner's counted cells (sql/038, 039) cannot know: my own archive
 * mark on their asset and the share's start date. The world at zoom 2,
 * Tokyo at zoom 5, 15 and 17 read counted cells (levels 4, 8, 18 and 20;
 * with my mark the cell holding it from the assets); zoom 20 reads the
 * assets.
 */
#define MARK_VIEWS	5
static void
test_map_clusters_follow_my_archive_mark_and_a_dated_share(void)
{
	static const char *const views[MARK_VIEWS] = {
		"/api/map/clusters?bbox=139,35,140,36&zoom=5&withPartners=true",
		"/api/map/clusters?" WORLD "&zoom=2&withPartners=true",
		"/api/map/clusters?bbox=139.6,35.6,139.7,35.7&zoom=20&withPartners=true",
		"/api/map/clusters?bbox=139.62,35.66,139.68,35.69&zoom=15&withPartners=true",
		"/api/map/clusters?bbox=139.64,35.67,139.66,35.68&zoom=17&withPartners=true",
	};
	char	 path[128], archived[160];
	long	 want[MARK_VIEWS];
	size_t	 i;

	for (i = 0; i < MARK_VIEWS; i++)
		want[i] = cluster_total(views[i], NULL);
	CU_ASSERT_EQUAL(want[0], 1);
	CU_ASSERT_EQUAL(want[1], 7);
	CU_ASSERT_EQUAL(want[2], 1);
	CU_ASSERT_EQUAL(want[3], 1);
	CU_ASSERT_EQUAL(want[4], 1);
	/* Archived for me: off my map, but on it with isArchived. */
	snprintf(path, sizeof(path), "/api/assets/%s", asset[S_TOKYO]);
	CU_ASSERT_EQUAL(api_status(users[W_ME].token, "PUT", path,
	    "{\"visibility\":\"archive\"}"), 200);
	for (i = 0; i < MARK_VIEWS; i++) {
		CU_ASSERT_EQUAL(cluster_total(views[i], NULL), want[i] - 1);
		snprintf(archived, sizeof(archived), "%s&isArchived=true", views[i]);
		CU_ASSERT_EQUAL(cluster_total(archived, NULL), want[i] + (i == 1));
	}
	CU_ASSERT_EQUAL(api_status(users[W_ME].token, "PUT", path,
	    "{\"visibility\":\"timeline\"}"), 200);
	for (i = 0; i < MARK_VIEWS; i++)
		CU_ASSERT_EQUAL(cluster_total(views[i], NULL), want[i]);
	/* Shared from a day after it was taken: gone; from the start: back. */
	snprintf(path, sizeof(path), "/api/partners/%s", users[W_ME].id);
	CU_ASSERT_EQUAL(api_status(users[W_ON].token, "PATCH", path,
	    "{\"startDate\":\"2099-01-01\"}"), 200);
	for (i = 0; i < MARK_VIEWS; i++)
		CU_ASSERT_EQUAL(cluster_total(views[i], NULL), want[i] - 1);
	CU_ASSERT_EQUAL(api_status(users[W_ON].token, "PATCH", path, "{\"startDate\":null}"), 200);
	for (i = 0; i < MARK_VIEWS; i++)
		CU_ASSERT_EQUAL(cluster_total(views[i], NULL), want[i]);
}

static void
test_map_partners_leave_when_the_share_ends(void)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/partners/%s", users[W_ME].id);
	tokyo_shown(1);
	CU_ASSERT_EQUAL(api_status(users[W_ON].token, "DELETE", path, NULL), 204);
	tokyo_shown(0);
	CU_ASSERT_EQUAL(markers_of("/api/map/markers?withPartners=true"), MINE_SHOWN);
}

void
suite_map(void)
{
	CU_pSuite s = CU_add_suite("e2e: the map through nginx", map_init, map_clean);

	ADD_TEST(s, test_map_markers_have_immichs_fields);
	ADD_TEST(s, test_map_markers_are_mine_without_with_partners);
	ADD_TEST(s, test_map_markers_with_partners_are_the_timelines_partners);
	ADD_TEST(s, test_map_markers_archived_are_only_mine);
	ADD_TEST(s, test_map_markers_favourites_are_my_flags);
	ADD_TEST(s, test_map_markers_file_created_after_and_before);
	ADD_TEST(s, test_map_markers_bbox_is_exact_and_crosses_the_antimeridian);
	ADD_TEST(s, test_map_bad_input_gets_immichs_error_body);
	ADD_TEST(s, test_map_clusters_have_count_centre_sample_and_bbox);
	ADD_TEST(s, test_map_clusters_add_up_to_the_markers_at_every_zoom);
	ADD_TEST(s, test_map_clusters_split_as_the_zoom_grows);
	ADD_TEST(s, test_map_clusters_cross_the_antimeridian);
	ADD_TEST(s, test_map_cluster_bbox_gives_its_markers);
	ADD_TEST(s, test_map_follows_a_location_edit);
	ADD_TEST(s, test_map_copy_matches_its_definition);
	ADD_TEST(s, test_map_partners_follow_show_in_timeline);
	ADD_TEST(s, test_map_partner_archiving_takes_the_marker_away);
	ADD_TEST(s, test_map_clusters_follow_my_archive_mark_and_a_dated_share);
	ADD_TEST(s, test_map_partners_leave_when_the_share_ends);
}
