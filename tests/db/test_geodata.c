/*
 * test_geodata.c: the nearest-place lookup and the loader (src/geodata.c)
 * against the real MariaDB, in a throwaway schema with a few places made
 * up where the real data set has none: across the antimeridian and next
 * to the North Pole. The real data set is checked end to end in
 * tests/e2e/test_geodata.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "db.h"
#include "geodata.h"
#include "migrations.h"

#define DBNAME	"partnerd_t_geo"

static struct conf	 conf;
static struct db	*db;
static char		 dir[] = "/tmp/partnerd-geo-XXXXXX";

/* Three small files in the formats partnerctl geodata load reads. */
static int
write_file(const char *name, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int
geo_suite_init(void)
{
	test_conf(&conf, DBNAME);
	if (db_root_sql("DROP DATABASE IF EXISTS " DBNAME ";"
	    "CREATE DATABASE " DBNAME " CHARACTER SET utf8mb4;") != 0 ||
	    migrate_run(&conf) != 0 || mkdtemp(dir) == NULL)
		return -1;
	/* geonameid name ascii alternates lat lon class code cc cc2 admin1 ... */
	if (write_file("cities500.txt",
	    "1\tEastside\tEastside\t\t-16.5\t179.99\tP\tPPL\tFJ\t\t03\t\t\t\t900\t\t5\tPacific/Fiji\t2020-01-01\n"
	    "2\tPolaris\tPolaris\t\t89.95\t170\tP\tPPL\tGL\t\t\t\t\t\t600\t\t5\tAmerica/Nuuk\t2020-01-01\n"
	    "3\tOldtown Quarter\tOldtown Quarter\t\t10.0\t10.0\tP\tPPLX\tNG\t\t\t\t\t\t900\t\t5\tAfrica/Lagos\t2020-01-01\n"
	    "4\tOldtown\tOldtown\t\t10.1\t10.0\tP\tPPLA2\tNG\t\t\t\t\t\t9000\t\t5\tAfrica/Lagos\t2020-01-01\n"
	    "5\tFartown\tFartown\t\t10.4\t10.0\tP\tPPL\tNG\t\t\t\t\t\t9000\t\t5\tAfrica/Lagos\t2020-01-01\n") != 0 ||
	    write_file("admin1.json", "[{\"code\":\"FJ.03\",\"name\":\"Northern\"}]") != 0 ||
	    write_file("countries.json", "{\"3166-1\":[{\"alpha_2\":\"FJ\",\"name\":\"Fiji\"},"
	    "{\"alpha_2\":\"GL\",\"name\":\"Greenland\"},{\"alpha_2\":\"NG\",\"name\":\"Nigeria\"}]}") != 0)
		return -1;
	return (db = db_open(&conf, migrations_latest())) == NULL ? -1 : 0;
}

static int
geo_suite_clean(void)
{
	char	 path[256];

	db_close(db);
	conf_free(&conf);
	for (const char *const *n = (const char *const[]){ "cities500.txt", "admin1.json",
	    "countries.json", NULL }; *n != NULL; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	rmdir(dir);
	return db_root_sql("DROP DATABASE IF EXISTS " DBNAME ";");
}

/* Load the three files; the number of places the database then holds. */
static long
load(int force)
{
	char	 cities[256], countries[256];
	long	 n = -1;
	FILE	*devnull = fopen("/dev/null", "w");

	snprintf(cities, sizeof(cities), "%s/cities500.txt", dir);
	snprintf(countries, sizeof(countries), "%s/countries.json", dir);
	if (geo_load(db, cities, countries, force, devnull, &n) != 0)
		n = -1;
	fclose(devnull);
	return n;
}

static void
test_geodata_load_leaves_out_sections_of_cities(void)
{
	/* Four of five: "Oldtown Quarter" (PPLX) is part of Oldtown. */
	CU_ASSERT_EQUAL(load(1), 4);
}

static void
test_geodata_load_again_changes_nothing(void)
{
	char	 before[64], after[64];

	CU_ASSERT_EQUAL_FATAL(load(0), 4);
	CU_ASSERT_EQUAL(db_root_value("SELECT loaded_at FROM " DBNAME ".geo_source",
	    before, sizeof(before)), 0);
	CU_ASSERT_EQUAL(load(0), 4);
	CU_ASSERT_EQUAL(db_root_value("SELECT loaded_at FROM " DBNAME ".geo_source",
	    after, sizeof(after)), 0);
	CU_ASSERT_STRING_EQUAL(before, after);
	CU_ASSERT_EQUAL(load(1), 4);	/* --force: loaded again, the same */
}

static void
test_geodata_nearest_crosses_the_antimeridian(void)
{
	struct geo_place	 g;

	CU_ASSERT_EQUAL_FATAL(load(0), 4);
	/* 0.02 degree of longitude west of Eastside, on the other side of 180. */
	CU_ASSERT_EQUAL_FATAL(geo_nearest(db, -16.5, -179.99, &g), DB_OK);
	CU_ASSERT_STRING_EQUAL(g.city, "Eastside");
	CU_ASSERT_STRING_EQUAL(g.state, "Northern");
	CU_ASSERT_STRING_EQUAL(g.country, "Fiji");
	CU_ASSERT(g.km > 1.5 && g.km < 2.5);
	CU_ASSERT_EQUAL(geo_nearest(db, -16.5, 180, &g), DB_OK);
	CU_ASSERT_EQUAL(geo_nearest(db, -16.5, -180, &g), DB_OK);
}

static void
test_geodata_nearest_at_the_pole_looks_at_every_longitude(void)
{
	struct geo_place	 g;

	CU_ASSERT_EQUAL_FATAL(load(0), 4);
	/* Polaris is at 89.95 N 170 E: 11 km away across the pole. */
	CU_ASSERT_EQUAL_FATAL(geo_nearest(db, 89.95, -10, &g), DB_OK);
	CU_ASSERT_STRING_EQUAL(g.city, "Polaris");
	CU_ASSERT_STRING_EQUAL(g.state, "");	/* no region name known */
	CU_ASSERT_STRING_EQUAL(g.country, "Greenland");
	CU_ASSERT_EQUAL(geo_nearest(db, 90, 0, &g), DB_OK);
	CU_ASSERT_STRING_EQUAL(g.city, "Polaris");
	CU_ASSERT_EQUAL(geo_nearest(db, -90, 0, &g), DB_NOTFOUND);
}

static void
test_geodata_nearest_is_the_nearer_of_two(void)
{
	struct geo_place	 g;

	CU_ASSERT_EQUAL_FATAL(load(0), 4);
	/* 10.2 N: Oldtown 11 km south, Fartown 22 km north. */
	CU_ASSERT_EQUAL_FATAL(geo_nearest(db, 10.2, 10.0, &g), DB_OK);
	CU_ASSERT_STRING_EQUAL(g.city, "Oldtown");
	/* 10.3 N: Fartown 11 km, Oldtown 22 km. */
	CU_ASSERT_EQUAL_FATAL(geo_nearest(db, 10.3, 10.0, &g), DB_OK);
	CU_ASSERT_STRING_EQUAL(g.city, "Fartown");
}

static void
test_geodata_nearest_farther_than_the_radius_is_none(void)
{
	struct geo_place	 g;

	CU_ASSERT_EQUAL_FATAL(load(0), 4);
	/* 0.25 degree south of Oldtown: 27.8 km, beyond GEO_RADIUS_KM. */
	CU_ASSERT_EQUAL(geo_nearest(db, 9.85, 10.0, &g), DB_NOTFOUND);
	CU_ASSERT_STRING_EQUAL(g.city, "");
	/* 0.2 degree: 22 km, within. */
	CU_ASSERT_EQUAL(geo_nearest(db, 9.9, 10.0, &g), DB_OK);
}

void
suite_geodata_db(void)
{
	CU_pSuite s = CU_add_suite("geodata: the nearest-place lookup and the loader",
	    geo_suite_init, geo_suite_clean);

	ADD_TEST(s, test_geodata_load_leaves_out_sections_of_cities);
	ADD_TEST(s, test_geodata_load_again_changes_nothing);
	ADD_TEST(s, test_geodata_nearest_crosses_the_antimeridian);
	ADD_TEST(s, test_geodata_nearest_at_the_pole_looks_at_every_longitude);
	ADD_TEST(s, test_geodata_nearest_is_the_nearer_of_two);
	ADD_TEST(s, test_geodata_nearest_farther_than_the_radius_is_none);
}
