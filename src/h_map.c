/*
 * h_map.c: the map. GET /api/map/markers (Immich's: every asset with a
 * position, as {id, lat, lon, city, state, country}) and GET
 * /api/map/clusters (partnerd's, for the web app: a map view's assets
 * counted per grid cell, since a million markers do not fit in a browser).
 * Both read asset_map (sql/035), the map's copy of each asset with a
 * position, clustered by owner and Web Mercator cell at zoom 24.
 *
 * Whose assets: mine and, with withPartners, those of the partners I show
 * in my timeline: the timeline's own owner set (TL_OWNER_SET), so
 * the markers, the clusters and the side panel's photos are one set
 * (Immich's markers take every partner, its side panel only the timeline's).
 * Within it a partner's asset shows only as the access rule lets me see it
 * (never archived, trashed or locked); isFavorite matches my own flags.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "db.h"
#include "handlers.h"
#include "store.h"
#include "valid.h"

#define MAP_LEVEL	24		/* asset_map's grid: zoom 24 */
#define MAP_CELLS	(1L << MAP_LEVEL)
#define MAP_MAX_LAT	85.0511287798	/* Web Mercator's edge */
#define MAP_MAX_ZOOM	22
#define MAP_CELL_TILE	2		/* a cluster cell is a quarter tile: 64 px */

#define MAP_QUERY_FIELDS \
	{ "isArchived", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "isFavorite", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "fileCreatedAfter", VT_STRING, 0, 64, NULL, 0, 0 }, \
	{ "fileCreatedBefore", VT_STRING, 0, 64, NULL, 0, 0 }, \
	{ "withPartners", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "withSharedAlbums", VT_BOOL, 0, 0, NULL, 0, 0 }

const struct vfield spec_map_markers[] = {
	MAP_QUERY_FIELDS,
	{ "bbox", VT_STRING, 0, 200, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_map_clusters[] = {
	MAP_QUERY_FIELDS,
	{ "bbox", VT_STRING, 1, 200, NULL, 1, 0 },
	{ "zoom", VT_INT, 1, MAP_MAX_ZOOM, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

/* A map request, checked: the statements' MAP_PARAMS (stmts.c) by name. */
struct map {
	int			 with_partners;
	int			 archived;
	int			 fav_set, fav;
	char			 after[48], before[48];
	long			 gy[2], gx[4];	/* grid ranges, two for gx */
	int			 exact;		/* markers: only inside box */
	char			 box[200];	/* [south, north, w1, e1, w2, e2] */
	int			 shift;		/* clusters: 24 - the cells' zoom */
};

/* The grid column and row at zoom 24 of a longitude and a latitude, as
 * sql/035's asset_map_source computes them. */
static long
grid_x(double lon)
{
	double	 x = floor((lon + 180.0) / 360.0 * (double)MAP_CELLS);

	return x < 0 ? 0 : x > MAP_CELLS - 1 ? MAP_CELLS - 1 : (long)x;
}

static long
grid_y(double lat)
{
	double	 r, y;

	lat = lat > MAP_MAX_LAT ? MAP_MAX_LAT : lat < -MAP_MAX_LAT ? -MAP_MAX_LAT : lat;
	r = lat * (M_PI / 180.0);	/* as MariaDB's RADIANS() */
	y = floor((1.0 - log(tan(r) + 1.0 / cos(r)) / M_PI) / 2.0 * (double)MAP_CELLS);
	return y < 0 ? 0 : y > MAP_CELLS - 1 ? MAP_CELLS - 1 : (long)y;
}

/* A filter date: an ISO date-time into DATETIME(3) text; 0 or a 400. */
static enum perr
map_date(struct ctx *ctx, const char *field, char out[48])
{
	const char	*s = valid_get_str(ctx->qs, field);
	long long	 utc;
	int		 off;

	out[0] = '\0';
	if (s == NULL)
		return PERR_NONE;
	if (iso_parse(s, &utc, &off) != 0)
		return ctx_invalid(ctx, field, "invalid_format", "Invalid ISO datetime");
	dt_format(utc, out);
	return PERR_NONE;
}

/*
 * bbox "west,south,east,north" (degrees; west > east crosses the
 * antimeridian) into grid ranges whole cells of 1 << shift wide and, for
 * exact bounds, m->box. PERR_NONE or a 400.
 */
static enum perr
map_bbox(struct ctx *ctx, struct map *m, const char *s, int exact)
{
	double	 v[4];
	long	 lo, hi, unit = 1L << m->shift;
	enum perr e;

	if ((e = valid_bbox(ctx, s, v, m->box, sizeof(m->box))) != PERR_NONE)
		return e;
	if (v[1] > v[3])
		return ctx_fail(ctx, PERR_BAD_REQUEST, "bbox south must not be greater than north");
	/* North is the smaller row. Whole cells: a cluster is all of its cell. */
	m->gy[0] = grid_y(v[3]) / unit * unit;
	m->gy[1] = grid_y(v[1]) / unit * unit + unit - 1;
	lo = grid_x(v[0]) / unit * unit;
	hi = grid_x(v[2]) / unit * unit + unit - 1;
	if (v[0] <= v[2]) {
		m->gx[0] = lo, m->gx[1] = hi;
		m->gx[2] = lo, m->gx[3] = hi;
	} else {
		m->gx[0] = lo, m->gx[1] = MAP_CELLS - 1;
		m->gx[2] = 0, m->gx[3] = hi;
	}
	m->exact = exact;
	return PERR_NONE;
}

/* The filters, the area and the owner set of a map request. */
static enum perr
map_prepare(struct ctx *ctx, struct map *m, int clusters)
{
	struct json_object	*q = ctx->qs;
	const char		*bbox = valid_get_str(q, "bbox");
	enum perr		 e;
	int			 zoom;

	memset(m, 0, sizeof(*m));
	if (valid_get_bool(q, "withSharedAlbums", 0))
		return ctx_fail(ctx, PERR_BAD_REQUEST, "withSharedAlbums is not supported: "
		    "the map shows my photos and my partners' (withPartners)");
	m->archived = valid_get_bool(q, "isArchived", 0);
	if ((m->fav_set = valid_has(q, "isFavorite")))
		m->fav = valid_get_bool(q, "isFavorite", 0);
	if ((e = map_date(ctx, "fileCreatedAfter", m->after)) != PERR_NONE ||
	    (e = map_date(ctx, "fileCreatedBefore", m->before)) != PERR_NONE)
		return e;
	m->gy[1] = m->gx[1] = m->gx[3] = MAP_CELLS - 1;
	if (clusters) {
		zoom = (int)json_object_get_int64(json_object_object_get(q, "zoom"));
		zoom += MAP_CELL_TILE;
		m->shift = MAP_LEVEL - (zoom > MAP_LEVEL ? MAP_LEVEL : zoom);
	}
	if (bbox != NULL && (e = map_bbox(ctx, m, bbox, !clusters)) != PERR_NONE)
		return e;
	/* The timeline's owner set: me and, with withPartners, the partners
	 * whose Show in timeline is on (in the statement: TL_OWNER_SET). */
	m->with_partners = valid_get_bool(q, "withPartners", 0);
	return PERR_NONE;
}

/* The MAP_PARAMS of both statements (stmts.c), by name. */
static size_t
map_params(struct ctx *ctx, const struct map *m, struct dbv *a)
{
	a[0] = DBV_STR(ctx->user_id);			/* me */
	a[1] = DBV_INT(m->with_partners);		/* with_partners */
	a[2] = DBV_INT(m->archived);			/* archived */
	a[3] = m->fav_set ? DBV_INT(m->fav) : DBV_NULL;	/* fav */
	a[4] = m->after[0] ? DBV_STR(m->after) : DBV_NULL;	/* since */
	a[5] = m->before[0] ? DBV_STR(m->before) : DBV_NULL;	/* until */
	a[6] = DBV_INT(m->gy[0]);			/* gy0 */
	a[7] = DBV_INT(m->gy[1]);			/* gy1 */
	a[8] = DBV_INT(m->gx[0]);			/* gxa0 */
	a[9] = DBV_INT(m->gx[1]);			/* gxa1 */
	a[10] = DBV_INT(m->gx[2]);			/* gxb0 */
	a[11] = DBV_INT(m->gx[3]);			/* gxb1 */
	a[12] = m->exact ? DBV_STR(m->box) : DBV_NULL;	/* bbox */
	a[13] = DBV_INT(m->shift);			/* shift */
	return 14;
}

/* A row that is one JSON object, into the answer's array. */
static int
json_row(void *arg, const struct db_row *row)
{
	struct pbuf	*b = arg;

	if (b->len > 1 && pbuf_add(b, ",", 1) != 0)
		return -1;
	return pbuf_add(b, row->val[0], row->len[0]);
}

static enum perr
map_answer(struct ctx *ctx, enum stmt st, int clusters)
{
	struct pbuf	*b = &ctx->resp->body;
	struct dbv	 a[14];
	struct map	 m;
	enum perr	 e;
	size_t		 n;
	int		 rc;

	if ((e = map_prepare(ctx, &m, clusters)) != PERR_NONE)
		return e;
	resp_json_raw(ctx->resp, 200);
	pbuf_add(b, "[", 1);
	n = map_params(ctx, &m, a);
	rc = db_query(ctx->db, st, a, n, json_row, b);
	if (db_failed(rc) || pbuf_add(b, "]", 1) != 0)
		return perr_from_db(rc == DB_OK ? DB_ERROR : rc);
	return PERR_NONE;
}

/* GET /api/map/markers: newest first, as Immich. */
enum perr
h_map_markers(struct ctx *ctx)
{
	return map_answer(ctx, STMT_MAP_MARKERS, 0);
}

/*
 * GET /api/map/clusters?bbox=west,south,east,north&zoom=Z: per cell of a
 * quarter tile at zoom Z (64 px on screen) holding any of the assets,
 * {count, latitude, longitude (their mean), assetId (a sample), bbox
 * [west, south, east, north] of those assets}. The cells are whole: bbox
 * is widened to cell edges, so a cell's count does not change as the view
 * pans, and the counts add up to the markers in those cells.
 */
enum perr
h_map_clusters(struct ctx *ctx)
{
	return map_answer(ctx, STMT_MAP_CLUSTERS, 1);
}
