/*
 * geodata.c: reverse geocoding against the GeoNames places in MariaDB
 * (sql/030): the nearest-place lookup that upload, import, location edits
 * and the backfill share, and the loader behind partnerctl geodata load.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <sodium.h>

#include "db.h"
#include "geodata.h"
#include "partnerd.h"

/* Kilometres per degree of latitude on the sphere the statement uses. */
#define KM_PER_DEG	(6371.0088 * M_PI / 180.0)
/* Places per INSERT of the loader; assets per batch of the backfill. */
#define LOAD_BATCH	5000
#define BACKFILL_BATCH	1000

/*
 * The search box of a point: the latitude bands (FLOOR(lat * 10), as
 * sql/030 stores them) within GEO_RADIUS_KM north and south, and one or two
 * longitude ranges within that distance east and west at the box's
 * poleward edge, split at the antimeridian. Near a pole every longitude.
 */
struct geo_box {
	long long	 band[6];
	char		 lon[4][32];
};

static void
geo_box_of(double lat, double lon, struct geo_box *b)
{
	double	 dlat = GEO_RADIUS_KM / KM_PER_DEG, edge, dlon, w, e;
	long long lo = (long long)floor((lat - dlat) * 10);
	long long hi = (long long)floor((lat + dlat) * 10);
	size_t	 i;

	/* 0.45 degree spans at most 6 bands; repeat the last to fill. */
	for (i = 0; i < 6; i++)
		b->band[i] = lo + (long long)i <= hi ? lo + (long long)i : hi;
	edge = fabs(lat) + dlat;
	dlon = edge >= 89.9 ? 360 : dlat / cos(edge * M_PI / 180.0);
	w = lon - dlon;
	e = lon + dlon;
	if (dlon >= 180) {
		w = -180; e = 180;
	}
	if (w < -180) {		/* [w + 360, 180] and [-180, e] */
		snprintf(b->lon[0], 32, "%.7f", w + 360);
		snprintf(b->lon[1], 32, "180");
		snprintf(b->lon[2], 32, "-180");
		snprintf(b->lon[3], 32, "%.7f", e);
	} else if (e > 180) {	/* [w, 180] and [-180, e - 360] */
		snprintf(b->lon[0], 32, "%.7f", w);
		snprintf(b->lon[1], 32, "180");
		snprintf(b->lon[2], 32, "-180");
		snprintf(b->lon[3], 32, "%.7f", e - 360);
	} else {		/* one range; the second is empty */
		snprintf(b->lon[0], 32, "%.7f", w);
		snprintf(b->lon[1], 32, "%.7f", e);
		snprintf(b->lon[2], 32, "1");
		snprintf(b->lon[3], 32, "0");
	}
}

static void
copy_col(char *dst, size_t dstsz, const char *src)
{
	snprintf(dst, dstsz, "%s", src != NULL ? src : "");
}

static int
nearest_row(void *arg, const struct db_row *r)
{
	struct geo_place	*p = arg;

	copy_col(p->city, sizeof(p->city), r->val[0]);
	copy_col(p->state, sizeof(p->state), r->val[1]);
	copy_col(p->country, sizeof(p->country), r->val[2]);
	p->km = r->val[3] != NULL ? strtod(r->val[3], NULL) : 0;
	return 0;
}

enum db_res
geo_nearest(struct db *db, double lat, double lon, struct geo_place *out)
{
	struct geo_box	 b;
	char		 la[32], lo[32], km[32];

	memset(out, 0, sizeof(*out));
	if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
		return DB_NOTFOUND;
	geo_box_of(lat, lon, &b);
	snprintf(la, sizeof(la), "%.7f", lat);
	snprintf(lo, sizeof(lo), "%.7f", lon);
	snprintf(km, sizeof(km), "%.3f", GEO_RADIUS_KM);
	{
		struct dbv a[13] = {
			DBV_STR(la), DBV_STR(lo), DBV_STR(km),
			DBV_INT(b.band[0]), DBV_INT(b.band[1]), DBV_INT(b.band[2]),
			DBV_INT(b.band[3]), DBV_INT(b.band[4]), DBV_INT(b.band[5]),
			DBV_STR(b.lon[0]), DBV_STR(b.lon[1]), DBV_STR(b.lon[2]),
			DBV_STR(b.lon[3]),
		};

		return db_query(db, STMT_GEO_NEAREST, a, 13, nearest_row, out);
	}
}

/* ---- the loader ------------------------------------------------------ */

/* A whole file into a NUL-terminated buffer the caller frees, or NULL. */
static char *
slurp(const char *path, size_t *len, FILE *log)
{
	FILE	*f;
	char	*buf = NULL;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(log, "geodata: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	if (buf == NULL)
		fprintf(log, "geodata: cannot read %s\n", path);
	fclose(f);
	return buf;
}

static int
str_row(void *arg, const struct db_row *r)
{
	char	*out = arg;

	snprintf(out, 96, "%s %s", r->val[0] ? r->val[0] : "", r->val[1] ? r->val[1] : "0");
	return 0;
}

/* Insert one batch of places and release it. */
static enum db_res
load_batch(struct db *db, struct json_object *batch)
{
	struct dbv	 a[1] = { DBV_STR(json_object_to_json_string_ext(batch,
	    JSON_C_TO_STRING_PLAIN)) };
	enum db_res	 rc;

	rc = db_exec(db, STMT_GEO_PLACES_LOAD, a, 1, NULL);
	json_object_put(batch);
	return rc == DB_NOTFOUND ? DB_OK : rc;	/* NOTFOUND: all left out */
}

/*
 * The places of GeoNames' tab-separated dump (geonameid, name, asciiname,
 * alternatenames, latitude, longitude, feature class, feature code,
 * country, cc2, admin1, ...), LOAD_BATCH rows to a statement as JSON.
 * text is changed (tabs and newlines become NULs). *n counts the rows.
 */
static enum db_res
load_places(struct db *db, char *text, long *n)
{
	struct json_object	*batch = NULL;
	char			*line = text, *next, *f[11];
	enum db_res		 rc = DB_OK;
	size_t			 k;

	*n = 0;
	for (; line != NULL && *line != '\0' && rc == DB_OK; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (k = 0, f[0] = line; k < 10 && (f[k + 1] = strchr(f[k], '\t')) != NULL; k++)
			*f[k + 1]++ = '\0';
		if (k < 10)
			continue;	/* not a place row */
		*strchrnul(f[10], '\t') = '\0';
		if (batch == NULL && (batch = json_object_new_array()) == NULL)
			return DB_ERROR;
		{
			struct json_object	*o = json_object_new_object();

			json_object_object_add(o, "id", json_object_new_int64(strtoll(f[0], NULL, 10)));
			json_object_object_add(o, "name", json_object_new_string(f[1]));
			json_object_object_add(o, "lat", json_object_new_double(strtod(f[4], NULL)));
			json_object_object_add(o, "lng", json_object_new_double(strtod(f[5], NULL)));
			json_object_object_add(o, "fc", json_object_new_string(f[7]));
			json_object_object_add(o, "cc", json_object_new_string(f[8]));
			json_object_object_add(o, "a1", json_object_new_string(f[10]));
			json_object_array_add(batch, o);
		}
		(*n)++;
		if (json_object_array_length(batch) >= LOAD_BATCH) {
			rc = load_batch(db, batch);
			batch = NULL;
		}
	}
	if (batch != NULL && rc == DB_OK) {
		rc = load_batch(db, batch);
		batch = NULL;
	}
	json_object_put(batch);
	return rc;
}

int
geo_load(struct db *db, const char *cities, const char *countries, int force,
    FILE *log, long *places)
{
	char		*text[3] = { NULL, NULL, NULL }, admin1[4096], have[96], sum[65];
	const char	*slash;
	size_t		 len[3], i;
	unsigned char	 h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	enum db_res	 rc = DB_ERROR;
	long		 rows = 0;
	int		 ret = -1;

	/* admin1.json lives beside cities500.txt, as make installs them. */
	slash = strrchr(cities, '/');
	snprintf(admin1, sizeof(admin1), "%.*sadmin1.json",
	    slash ? (int)(slash - cities + 1) : 0, cities);
	if ((text[0] = slurp(cities, &len[0], log)) == NULL ||
	    (text[1] = slurp(admin1, &len[1], log)) == NULL ||
	    (text[2] = slurp(countries, &len[2], log)) == NULL)
		goto out;
	crypto_hash_sha256_init(&st);
	for (i = 0; i < 3; i++)
		crypto_hash_sha256_update(&st, (unsigned char *)text[i], len[i]);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(sum, sizeof(sum), h, sizeof(h));

	have[0] = '\0';
	if (db_query(db, STMT_GEO_SOURCE, NULL, 0, str_row, have) == DB_OK &&
	    strncmp(have, sum, 64) == 0 && !force) {
		*places = strtol(have + 65, NULL, 10);
		fprintf(log, "geodata: already loaded (%ld places); --force loads again\n",
		    *places);
		ret = 0;
		goto out;
	}
	fprintf(log, "geodata: loading the places of %s\n", cities);
	if ((rc = db_begin(db)) != DB_OK)
		goto dberr;
	{
		struct dbv	 c[1] = { DBV_STR(text[2]) }, a[1] = { DBV_STR(text[1]) };
		struct dbv	 s[1] = { DBV_STR(sum) };

		if ((rc = db_exec(db, STMT_GEO_CLEAR_PLACES, NULL, 0, NULL)) == DB_NOTFOUND)
			rc = DB_OK;
		if (rc == DB_OK && (rc = db_exec(db, STMT_GEO_CLEAR_ADMIN1, NULL, 0, NULL)) == DB_NOTFOUND)
			rc = DB_OK;
		if (rc == DB_OK && (rc = db_exec(db, STMT_GEO_CLEAR_COUNTRIES, NULL, 0, NULL)) == DB_NOTFOUND)
			rc = DB_OK;
		if (rc == DB_OK)
			rc = db_exec(db, STMT_GEO_COUNTRIES_LOAD, c, 1, NULL);
		if (rc == DB_OK)
			rc = db_exec(db, STMT_GEO_ADMIN1_LOAD, a, 1, NULL);
		if (rc == DB_OK)
			rc = load_places(db, text[0], &rows);
		if (rc == DB_OK)
			rc = db_exec(db, STMT_GEO_SOURCE_SET, s, 1, NULL);
	}
	if (rc != DB_OK) {
		db_rollback(db);
		goto dberr;
	}
	if ((rc = db_commit(db)) != DB_OK)
		goto dberr;
	if (db_query(db, STMT_GEO_SOURCE, NULL, 0, str_row, have) == DB_OK)
		*places = strtol(have + 65, NULL, 10);
	fprintf(log, "geodata: %ld places loaded (of %ld rows)\n", *places, rows);
	ret = 0;
	goto out;
dberr:
	fprintf(log, "geodata: the database refused the data set (%s)\n",
	    rc == DB_GONE ? "the server went away" : "see the files' format");
out:
	for (i = 0; i < 3; i++)
		free(text[i]);
	return ret;
}

/* ---- the backfill ---------------------------------------------------- */

struct pos {
	char	 id[37];
	char	 lat[32], lon[32];	/* as the database wrote them */
};

struct batch {
	struct pos	 p[BACKFILL_BATCH];
	size_t		 n;
};

static int
batch_row(void *arg, const struct db_row *r)
{
	struct batch	*b = arg;
	struct pos	*p;

	if (b->n >= BACKFILL_BATCH || r->val[0] == NULL)
		return -1;
	p = &b->p[b->n++];
	snprintf(p->id, sizeof(p->id), "%s", r->val[0]);
	snprintf(p->lat, sizeof(p->lat), "%s", r->val[1]);
	snprintf(p->lon, sizeof(p->lon), "%s", r->val[2]);
	return 0;
}

static int
count_row(void *arg, const struct db_row *r)
{
	*(long *)arg = r->val[0] ? strtol(r->val[0], NULL, 10) : 0;
	return 0;
}

/* ANALYZE TABLE's rows: table, op, Msg_type, Msg_text. */
static int
analyze_row(void *arg, const struct db_row *r)
{
	if (r->ncol >= 3 && r->val[2] != NULL && strcmp(r->val[2], "error") == 0)
		(*(int *)arg)++;
	return 0;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The places of one batch as [{id, lat, lon, city, state, country}], nulls
 * where none; the position goes along so that an asset moved since it was
 * read keeps the place its move gave it.
 */
static enum db_res
batch_places(struct db *db, const struct batch *b, struct json_object *out)
{
	struct geo_place	 g;
	size_t			 i;
	enum db_res		 rc;

	for (i = 0; i < b->n; i++) {
		struct json_object	*o = json_object_new_object();

		if (o == NULL)
			return DB_ERROR;
		json_object_array_add(out, o);
		json_object_object_add(o, "id", json_object_new_string(b->p[i].id));
		json_object_object_add(o, "lat", json_object_new_string(b->p[i].lat));
		json_object_object_add(o, "lon", json_object_new_string(b->p[i].lon));
		rc = geo_nearest(db, strtod(b->p[i].lat, NULL), strtod(b->p[i].lon, NULL), &g);
		if (rc == DB_NOTFOUND)
			continue;
		if (rc != DB_OK)
			return rc;
		json_object_object_add(o, "city", json_object_new_string(g.city));
		if (g.state[0] != '\0')
			json_object_object_add(o, "state", json_object_new_string(g.state));
		if (g.country[0] != '\0')
			json_object_object_add(o, "country", json_object_new_string(g.country));
	}
	return DB_OK;
}

int
geo_backfill(struct db *db, FILE *log, int tty, long *seen, long *changed)
{
	struct batch	*b;
	char		 after[37] = "00000000-0000-0000-0000-000000000000";
	long		 total = 0, step;
	double		 t0 = now_s(), el;
	enum db_res	 rc;
	uint64_t	 n;

	*seen = *changed = 0;
	if (db_query(db, STMT_GEO_BACKFILL_COUNT, NULL, 0, count_row, &total) != DB_OK ||
	    (b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	step = total / 10 > BACKFILL_BATCH ? total / 10 : BACKFILL_BATCH;
	for (;;) {
		struct dbv		 a[2] = { DBV_STR(after), DBV_INT(BACKFILL_BATCH) };
		struct json_object	*arr;

		b->n = 0;
		rc = db_query(db, STMT_GEO_BACKFILL_BATCH, a, 2, batch_row, b);
		if (rc == DB_NOTFOUND || (rc == DB_OK && b->n == 0))
			break;
		if (rc != DB_OK || (arr = json_object_new_array()) == NULL)
			goto fail;
		if ((rc = batch_places(db, b, arr)) == DB_OK) {
			struct dbv	 u[1] = { DBV_STR(json_object_to_json_string_ext(arr,
			    JSON_C_TO_STRING_PLAIN)) };

			n = 0;
			rc = db_exec(db, STMT_EXIF_SET_PLACES, u, 1, &n);
			if (rc == DB_NOTFOUND)
				rc = DB_OK;
			*changed += (long)n;
		}
		json_object_put(arr);
		if (rc != DB_OK)
			goto fail;
		memcpy(after, b->p[b->n - 1].id, sizeof(after));
		*seen += (long)b->n;
		el = now_s() - t0;
		if (tty || *seen / step != (*seen - (long)b->n) / step)
			fprintf(log, "%sgeodata: backfill %ld/%ld assets, %.0f/s%s",
			    tty ? "\r" : "", *seen, total, el > 0 ? *seen / el : 0.0,
			    tty ? "" : "\n");
	}
	if (tty && *seen > 0)
		fputc('\n', log);
	fprintf(log, "geodata: backfill done: %ld assets with a position, %ld changed, %.1f s\n",
	    *seen, *changed, now_s() - t0);
	if (*changed > 0) {
		int	 bad = 0;

		t0 = now_s();
		rc = db_query(db, STMT_GEO_BACKFILL_ANALYZE, NULL, 0, analyze_row, &bad);
		if (db_failed(rc)) {
			tty = 0;	/* the progress line is already ended */
			goto fail;
		}
		fprintf(log, "geodata: table statistics refreshed for search and the map"
		    " (ANALYZE TABLE, %.1f s)%s\n", now_s() - t0,
		    bad ? "; MariaDB could not analyze some tables" : "");
	}
	free(b);
	return 0;
fail:
	free(b);
	if (tty)
		fputc('\n', log);
	fprintf(log, "geodata: backfill stopped: the database %s\n",
	    rc == DB_GONE ? "went away" : "refused a statement");
	return -1;
}
