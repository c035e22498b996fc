/*
 * h_map.c: the map. GET /api/map/markers (Immich's: every asset with a
 * position, as {id, lat, lon, city, state, country}) and GET
 * /api/map/clusters (partnerd's, for the web app: a map view's assets
 * counted per grid cell, since a million markers do not fit in a browser).
 * Both read asset_map (sql/035), the map's copy of each asset with a
 * position, clustered by owner and Web Mercator cell at zoom 24; the
 * clusters read each owner's cells counted ahead at a few zooms
 * (asset_map_cells, sql/038) where a count per owner can answer, and
 * asset_map where it cannot (stmts.c, STMT_MAP_CLUSTERS).
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
/* The levels counted ahead in asset_map_cells (sql/038's asset_map_levels:
 * the db suite holds the two to each other): 4, 6, ... 20 (18 and 20:
 * sql/039). */
#define MAP_COUNTED_MIN	4
#define MAP_COUNTED_MAX	20
#define MAP_COUNTED_STEP	2

/* GET /api/map/markers and /api/map/clusters */
struct in_map {
	int		 is_archived, is_favorite;	/* or VB_UNSET */
	struct vdate	 created_after, created_before;
	int		 with_partners, with_shared_albums;	/* or VB_UNSET */
	const char	*bbox;
	int64_t		 zoom;	/* clusters only */
};
#define MAP_QUERY_FIELDS \
	{ .name = "isArchived", .type = VT_BOOL, VF_AT(struct in_map, is_archived) }, \
	{ .name = "isFavorite", .type = VT_BOOL, VF_AT(struct in_map, is_favorite) }, \
	{ .name = "fileCreatedAfter", .type = VT_DATE, .max = 64, \
	    VF_AT(struct in_map, created_after) }, \
	{ .name = "fileCreatedBefore", .type = VT_DATE, .max = 64, \
	    VF_AT(struct in_map, created_before) }, \
	{ .name = "withPartners", .type = VT_BOOL, VF_AT(struct in_map, with_partners) }, \
	{ .name = "withSharedAlbums", .type = VT_BOOL, \
	    VF_AT(struct in_map, with_shared_albums) }

const struct vfield spec_map_markers[] = {
	MAP_QUERY_FIELDS,
	{ .name = "bbox", .type = VT_STRING, .max = 200, VF_AT(struct in_map, bbox) },
	VF_END(struct in_map),
};

const struct vfield spec_map_clusters[] = {
	MAP_QUERY_FIELDS,
	{ .name = "bbox", .type = VT_STRING, .required = 1, .max = 200, .min = 1,
	    VF_AT(struct in_map, bbox) },
	{ .name = "zoom", .type = VT_INT, .required = 1, .max = MAP_MAX_ZOOM,
	    VF_AT(struct in_map, zoom) },
	VF_END(struct in_map),
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
	int			 clusters;	/* 1: STMT_MAP_CLUSTERS' params */
	int			 level;		/* clusters: counted cells, or 0 */
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

/* A filter date (checked by the spec) into DATETIME(3) text, or "". */
static void
map_date(const struct vdate *d, char out[48])
{
	out[0] = '\0';
	if (d->s != NULL)
		dt_format(d->ms, out);
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

/*
 * The level of asset_map_cells (sql/038) that a cluster request of cells
 * at level l reads: the smallest counted at or above it, or 0 for none
 * (finer cells are read from the assets in view).
 */
int
map_counted_level(int l)
{
	if (l > MAP_COUNTED_MAX)
		return 0;
	if (l < MAP_COUNTED_MIN)
		return MAP_COUNTED_MIN;
	return MAP_COUNTED_MIN + (l - MAP_COUNTED_MIN + MAP_COUNTED_STEP - 1) /
	    MAP_COUNTED_STEP * MAP_COUNTED_STEP;
}

/* The filters, the area and the owner set of a map request. */
static enum perr
map_prepare(struct ctx *ctx, struct map *m, int clusters)
{
	const struct in_map	*q = ctx->in;
	enum perr		 e;
	int			 zoom;

	memset(m, 0, sizeof(*m));
	if (q->with_shared_albums == 1)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "withSharedAlbums is not supported: "
		    "the map shows my photos and my partners' (withPartners)");
	m->archived = q->is_archived == 1;
	if ((m->fav_set = q->is_favorite != VB_UNSET))
		m->fav = q->is_favorite;
	map_date(&q->created_after, m->after);
	map_date(&q->created_before, m->before);
	m->gy[1] = m->gx[1] = m->gx[3] = MAP_CELLS - 1;
	if ((m->clusters = clusters)) {
		zoom = (int)q->zoom;
		zoom += MAP_CELL_TILE;
		m->shift = MAP_LEVEL - (zoom > MAP_LEVEL ? MAP_LEVEL : zoom);
		m->level = map_counted_level(MAP_LEVEL - m->shift);
	}
	/* The counts know neither my favourites nor the capture times. */
	if (m->fav_set || m->after[0] != '\0' || m->before[0] != '\0')
		m->level = 0;
	if (q->bbox != NULL && (e = map_bbox(ctx, m, q->bbox, !clusters)) != PERR_NONE)
		return e;
	/* The timeline's owner set: me and, with withPartners, the partners
	 * whose Show in timeline is on (in the statement: TL_OWNER_SET). */
	m->with_partners = q->with_partners == 1;
	return PERR_NONE;
}

/* The MAP_PARAMS of both statements (stmts.c), by name, and the clusters'
 * level (MAP_CLUSTER_PARAMS). */
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
	if (!m->clusters)
		return 14;
	a[14] = m->level ? DBV_INT(m->level) : DBV_NULL;	/* level */
	return 15;
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
	struct dbv	 a[15];
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
