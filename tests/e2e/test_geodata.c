/*
 * test_geodata.c: place names end to end, through nginx to the worker,
 * with the real GeoNames data set that check.sh loaded (stack.sh geodata):
 * capitals, a village, the sea, the poles and the antimeridian, set by a
 * location edit and read back from the asset and the timeline bucket;
 * an upload with GPS; the backfill of partnerctl.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "harness.h"

static char	*owner;		/* token */
static char	 owner_id[37], asset[37];
static const char *photos;

static int
geo_init(void)
{
	char	 email[128];

	if ((owner = new_user_token("geo-owner", "pw-geo-123", email, sizeof(email),
	    owner_id)) == NULL || (photos = fixture_dir(17, 3)) == NULL)
		return -1;
	{
		char	 path[1024];

		snprintf(path, sizeof(path), "%s/f17_0001.jpg", photos);
		return upload_id(owner, path, asset);
	}
}

static int
geo_clean(void)
{
	free(owner);
	return 0;
}

/* exifInfo.<field> of the asset as its owner reads it; "" for null. */
struct place {
	char	 city[256], state[256], country[256];
};

static void
field(struct json_object *exif, const char *name, char *out, size_t outsz)
{
	struct json_object	*v;

	out[0] = '\0';
	if (json_object_object_get_ex(exif, name, &v) && json_object_is_type(v, json_type_string))
		snprintf(out, outsz, "%s", json_object_get_string(v));
}

static int
read_place(struct place *p)
{
	struct http		 h;
	struct json_object	*exif;
	char			 path[128];
	int			 rc = -1;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "/api/assets/%s", asset);
	if (api(owner, "GET", path, NULL, &h) == 200 &&
	    json_object_object_get_ex(h.json, "exifInfo", &exif)) {
		field(exif, "city", p->city, sizeof(p->city));
		field(exif, "state", p->state, sizeof(p->state));
		field(exif, "country", p->country, sizeof(p->country));
		rc = 0;
	}
	http_free(&h);
	return rc;
}

/* Move the asset (PUT /api/assets/:id), then read its place back. */
static int
move_to(const char *lat, const char *lon, struct place *p)
{
	char	 path[128], body[128];

	snprintf(path, sizeof(path), "/api/assets/%s", asset);
	snprintf(body, sizeof(body), "{\"latitude\":%s,\"longitude\":%s}", lat, lon);
	if (api_status(owner, "PUT", path, body) != 200)
		return -1;
	return read_place(p);
}

#define ASSERT_PLACE(p, c, s, n) do {				\
	CU_ASSERT_STRING_EQUAL((p).city, (c));			\
	CU_ASSERT_STRING_EQUAL((p).state, (s));			\
	CU_ASSERT_STRING_EQUAL((p).country, (n));		\
} while (0)

/* partnerctl through the stack's wrapper: its exit status, output in out. */
static int
ctl(char *out, size_t outsz, const char *args)
{
	char	 cmd[1024];
	FILE	*f;
	size_t	 n;
	int	 st;

	snprintf(cmd, sizeof(cmd), "sh '%s' ctl %s 2>&1", test_env("PARTNERD_TEST_STACK"), args);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, outsz - 1, f);
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_geodata_upload_with_gps_gets_its_place(void)
{
	struct place	 p;

	/* The fixture photos are taken at landmarks of ten big cities. */
	CU_ASSERT_EQUAL_FATAL(read_place(&p), 0);
	CU_ASSERT(p.city[0] != '\0');
	CU_ASSERT(p.country[0] != '\0');
}

static void
test_geodata_paris(void)
{
	struct place	 p;

	CU_ASSERT_EQUAL_FATAL(move_to("48.8566", "2.3522", &p), 0);
	ASSERT_PLACE(p, "Paris", "Île-de-France", "France");
}

static void
test_geodata_london(void)
{
	struct place	 p;

	CU_ASSERT_EQUAL_FATAL(move_to("51.5074", "-0.1278", &p), 0);
	ASSERT_PLACE(p, "London", "England", "United Kingdom");
}

static void
test_geodata_washington(void)
{
	struct place	 p;

	CU_ASSERT_EQUAL_FATAL(move_to("38.8977", "-77.0365", &p), 0);
	ASSERT_PLACE(p, "Washington", "District of Columbia", "United States");
}

static void
test_geodata_canberra(void)
{
	struct place	 p;

	CU_ASSERT_EQUAL_FATAL(move_to("-35.2809", "149.13", &p), 0);
	ASSERT_PLACE(p, "Canberra", "Australian Capital Territory", "Australia");
}

static void
test_geodata_a_village(void)
{
	struct place	 p;

	/* Hallstatt, 779 people, on its lake below the Dachstein. */
	CU_ASSERT_EQUAL_FATAL(move_to("47.5622", "13.6493", &p), 0);
	ASSERT_PLACE(p, "Hallstatt", "Upper Austria", "Austria");
}

static void
test_geodata_at_sea_is_no_place(void)
{
	struct place	 p;

	CU_ASSERT_EQUAL_FATAL(move_to("48.8566", "2.3522", &p), 0);
	CU_ASSERT_STRING_EQUAL(p.city, "Paris");
	/* The middle of the Atlantic, then the North Sea: nothing, not a
	 * place on the nearest coast; the old place does not stay either. */
	CU_ASSERT_EQUAL_FATAL(move_to("0", "-30", &p), 0);
	ASSERT_PLACE(p, "", "", "");
	CU_ASSERT_EQUAL_FATAL(move_to("53.0", "3.0", &p), 0);
	ASSERT_PLACE(p, "", "", "");
}

static void
test_geodata_poles_are_no_place(void)
{
	struct place	 p;

	CU_ASSERT_EQUAL_FATAL(move_to("90", "0", &p), 0);
	ASSERT_PLACE(p, "", "", "");
	CU_ASSERT_EQUAL_FATAL(move_to("-90", "0", &p), 0);
	ASSERT_PLACE(p, "", "", "");
}

static void
test_geodata_antimeridian_is_no_place_at_sea(void)
{
	struct place	 p;

	/* Both spellings of the antimeridian are positions, in the Pacific. */
	CU_ASSERT_EQUAL_FATAL(move_to("0", "180", &p), 0);
	ASSERT_PLACE(p, "", "", "");
	CU_ASSERT_EQUAL_FATAL(move_to("-16.5", "-180", &p), 0);
	ASSERT_PLACE(p, "", "", "");
	/* Fiji's Labasa, 70 km west of it, is found from its own side. */
	CU_ASSERT_EQUAL_FATAL(move_to("-16.43", "179.36", &p), 0);
	ASSERT_PLACE(p, "Labasa", "Northern", "Fiji");
}

static void
test_geodata_bulk_location_edit_sets_the_place(void)
{
	struct place	 p;
	char		 body[256];

	snprintf(body, sizeof(body),
	    "{\"ids\":[\"%s\"],\"latitude\":40.4168,\"longitude\":-3.7038}", asset);
	CU_ASSERT_EQUAL(api_status(owner, "PUT", "/api/assets", body), 204);
	CU_ASSERT_EQUAL_FATAL(read_place(&p), 0);
	ASSERT_PLACE(p, "Madrid", "Madrid", "Spain");
}

static void
test_geodata_timeline_bucket_carries_the_place(void)
{
	struct http		 h;
	struct json_object	*ids, *cities, *countries, *v;
	struct place		 p;
	char			 path[256], month[16];
	size_t			 i;
	int			 seen = 0;

	CU_ASSERT_EQUAL_FATAL(move_to("52.52", "13.405", &p), 0);
	ASSERT_PLACE(p, "Berlin", "State of Berlin", "Germany");
	/* The asset's month, then that bucket's city and country columns. */
	snprintf(path, sizeof(path), "/api/assets/%s", asset);
	CU_ASSERT_EQUAL_FATAL(api(owner, "GET", path, NULL, &h), 200);
	CU_ASSERT_FATAL(json_object_object_get_ex(h.json, "localDateTime", &v));
	snprintf(month, sizeof(month), "%.7s-01", json_object_get_string(v));
	http_free(&h);
	snprintf(path, sizeof(path), "/api/timeline/bucket?timeBucket=%s", month);
	CU_ASSERT_EQUAL_FATAL(api(owner, "GET", path, NULL, &h), 200);
	if (json_object_object_get_ex(h.json, "id", &ids) &&
	    json_object_object_get_ex(h.json, "city", &cities) &&
	    json_object_object_get_ex(h.json, "country", &countries))
		for (i = 0; i < json_object_array_length(ids); i++) {
			if (strcmp(json_object_get_string(json_object_array_get_idx(ids, i)),
			    asset) != 0)
				continue;
			seen = 1;
			CU_ASSERT_STRING_EQUAL(json_object_get_string(
			    json_object_array_get_idx(cities, i)), "Berlin");
			CU_ASSERT_STRING_EQUAL(json_object_get_string(
			    json_object_array_get_idx(countries, i)), "Germany");
		}
	CU_ASSERT_TRUE(seen);
	http_free(&h);
}

static void
test_geodata_backfill_gives_places_to_assets_without(void)
{
	struct place	 p;
	char		 sql[256], out[4096];

	CU_ASSERT_EQUAL_FATAL(move_to("55.7558", "37.6173", &p), 0);
	ASSERT_PLACE(p, "Moscow", "Moscow", "Russian Federation");
	/* As before the place names: a position, no place. */
	snprintf(sql, sizeof(sql), "UPDATE partnerd.asset_exif SET city = NULL, state = NULL,"
	    " country = NULL WHERE asset_id = '%s';", asset);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	CU_ASSERT_EQUAL_FATAL(read_place(&p), 0);
	ASSERT_PLACE(p, "", "", "");
	CU_ASSERT_EQUAL(ctl(out, sizeof(out), "geodata backfill"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "geodata: backfill done:"));
	CU_ASSERT_EQUAL_FATAL(read_place(&p), 0);
	ASSERT_PLACE(p, "Moscow", "Moscow", "Russian Federation");
}

/* A backfill that changed places has MariaDB analyze the tables it rewrote. */
static void
test_geodata_backfill_refreshes_table_statistics(void)
{
	char	 sql[256], out[4096];

	snprintf(sql, sizeof(sql), "UPDATE partnerd.asset_exif SET city = NULL, state = NULL,"
	    " country = NULL WHERE asset_id = '%s';", asset);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	CU_ASSERT_EQUAL(ctl(out, sizeof(out), "geodata backfill"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "geodata: table statistics refreshed"));
	CU_ASSERT_PTR_NULL(strstr(out, "could not analyze"));
}

static void
test_geodata_cli_lookup_takes_a_southern_position(void)
{
	char	 out[1024];

	/* A negative latitude is a position, not an option. */
	CU_ASSERT_EQUAL(ctl(out, sizeof(out), "geodata lookup -33.8688 151.2093"), 0);
	CU_ASSERT_STRING_EQUAL(out, "Sydney\tNew South Wales\tAustralia\t0.2\n");
}

static void
test_geodata_cli_lookup_refuses_a_position_off_the_globe(void)
{
	char	 out[1024];

	CU_ASSERT_EQUAL(ctl(out, sizeof(out), "geodata lookup 91 0"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "not a position"));
}

static void
test_geodata_cli_load_of_a_missing_file_fails_and_keeps_the_data(void)
{
	char	 out[1024];

	CU_ASSERT_EQUAL(ctl(out, sizeof(out), "geodata load /nonexistent/cities500.txt"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent/cities500.txt"));
	CU_ASSERT_EQUAL(ctl(out, sizeof(out), "geodata lookup 48.8566 2.3522"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Paris\t"));
}

void
suite_geodata(void)
{
	CU_pSuite s = CU_add_suite("geodata: place names end to end", geo_init, geo_clean);

	ADD_TEST(s, test_geodata_upload_with_gps_gets_its_place);
	ADD_TEST(s, test_geodata_paris);
	ADD_TEST(s, test_geodata_london);
	ADD_TEST(s, test_geodata_washington);
	ADD_TEST(s, test_geodata_canberra);
	ADD_TEST(s, test_geodata_a_village);
	ADD_TEST(s, test_geodata_at_sea_is_no_place);
	ADD_TEST(s, test_geodata_poles_are_no_place);
	ADD_TEST(s, test_geodata_antimeridian_is_no_place_at_sea);
	ADD_TEST(s, test_geodata_bulk_location_edit_sets_the_place);
	ADD_TEST(s, test_geodata_timeline_bucket_carries_the_place);
	ADD_TEST(s, test_geodata_backfill_gives_places_to_assets_without);
	ADD_TEST(s, test_geodata_backfill_refreshes_table_statistics);
	ADD_TEST(s, test_geodata_cli_lookup_takes_a_southern_position);
	ADD_TEST(s, test_geodata_cli_lookup_refuses_a_position_off_the_globe);
	ADD_TEST(s, test_geodata_cli_load_of_a_missing_file_fails_and_keeps_the_data);
}
