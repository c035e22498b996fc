/*
 * h_timeline.c: /api/timeline/buckets and /api/timeline/bucket, Immich's
 * month list and columnar month contents. The common case (an owner set by
 * capture time) reads the month counts the triggers keep and one month of
 * the owner index; albums, bbox and orderBy=createdAt count the assets
 * themselves. Both answer a weak ETag over the owner set's change counters
 * and honour If-None-Match with 304.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "partnerd.h"
#include "access.h"
#include "db.h"
#include "handlers.h"
#include "users.h"
#include "valid.h"

static const char *const tl_visibilities[] = { "archive", "timeline", "hidden", "locked", NULL };
static const char *const tl_orders[] = { "asc", "desc", NULL };
static const char *const tl_order_by[] = { "takenAt", "createdAt", NULL };

#define TIMELINE_QUERY_FIELDS \
	{ "userId", VT_UUID, 0, 0, NULL, 0, 0 }, \
	{ "albumId", VT_UUID, 0, 0, NULL, 0, 0 }, \
	{ "personId", VT_UUID, 0, 0, NULL, 0, 0 }, \
	{ "tagId", VT_UUID, 0, 0, NULL, 0, 0 }, \
	{ "isFavorite", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "isTrashed", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "withPartners", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "withStacked", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "withCoordinates", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "visibility", VT_ENUM, 0, 0, tl_visibilities, 0, 0 }, \
	{ "order", VT_ENUM, 0, 0, tl_orders, 0, 0 }, \
	{ "orderBy", VT_ENUM, 0, 0, tl_order_by, 0, 0 }, \
	{ "bbox", VT_STRING, 0, 200, NULL, 0, 0 }, \
	{ "key", VT_STRING, 0, 200, NULL, 0, 0 }, \
	{ "slug", VT_STRING, 0, 200, NULL, 0, 0 }

const struct vfield spec_timeline_buckets[] = {
	TIMELINE_QUERY_FIELDS,
	{ "timeBucket", VT_STRING, 0, 64, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_timeline_bucket[] = {
	TIMELINE_QUERY_FIELDS,
	{ "timeBucket", VT_STRING, 1, 64, NULL, 1, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

/* Column order of TL_COLS in stmts.c. */
enum tcol {
	TC_ID = 0, TC_OWNER, TC_RATIO, TC_FAV, TC_VIS, TC_TRASHED, TC_IMAGE,
	TC_THUMBHASH, TC_FILE_CREATED, TC_CREATED, TC_OFFSET, TC_DURATION, TC_LIVE,
	TC_PROJECTION, TC_STATUS, TC_CITY, TC_COUNTRY, TC_LAT, TC_LON, TC__MAX
};

/* A timeline request, checked and resolved. */
struct tl {
	struct ctx		*ctx;
	const char		*album;		/* albumId, or NULL */
	struct json_object	*owners;	/* the owner set, or NULL for albums */
	const char		*owners_json;
	int			 trashed;
	const char		*vis;		/* NULL: timeline and archive */
	int			 fav_set, fav;
	int			 bbox;
	char			 south[32], north[32], w1[32], e1[32], w2[32], e2[32];
	int			 created;	/* orderBy=createdAt */
	const char		*order;
	int			 coords, stacked;
};

static int
owner_row(void *arg, const struct db_row *row)
{
	return json_object_array_add(arg, json_object_new_string(row->val[0]));
}

/* bbox "west,south,east,north" into t; PERR_NONE or a 400. */
static enum perr
parse_bbox(struct tl *t, const char *s)
{
	double	 v[4];
	char	*end, buf[256];
	char	*p, *save = NULL;
	int	 n = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (p = strtok_r(buf, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
		if (n == 4)
			return ctx_fail(t->ctx, PERR_BAD_REQUEST,
			    "bbox must have 4 comma-separated numbers: west,south,east,north");
		errno = 0;
		v[n] = strtod(p, &end);
		if (*p == '\0' || *end != '\0' || errno != 0 || !isfinite(v[n]))
			return ctx_fail(t->ctx, PERR_BAD_REQUEST, "bbox parts must be valid numbers");
		n++;
	}
	if (n != 4)
		return ctx_fail(t->ctx, PERR_BAD_REQUEST,
		    "bbox must have 4 comma-separated numbers: west,south,east,north");
	t->bbox = 1;
	snprintf(t->south, sizeof(t->south), "%.7f", v[1]);
	snprintf(t->north, sizeof(t->north), "%.7f", v[3]);
	/* Across the antimeridian (west > east) the box is two ranges. */
	snprintf(t->w1, sizeof(t->w1), "%.7f", v[0]);
	snprintf(t->e1, sizeof(t->e1), "%.7f", v[0] <= v[2] ? v[2] : 180.0);
	snprintf(t->w2, sizeof(t->w2), "%.7f", v[0] <= v[2] ? v[0] : -180.0);
	snprintf(t->e2, sizeof(t->e2), "%.7f", v[2]);
	return PERR_NONE;
}

/* Immich's checks, in its order (TimelineService.timeBucketChecks). */
static enum perr
tl_prepare(struct ctx *ctx, struct tl *t)
{
	struct json_object	*q = ctx->qs;
	const char		*user = valid_get_str(q, "userId");
	const char		*bbox = valid_get_str(q, "bbox");
	int			 with_partners = valid_get_bool(q, "withPartners", 0);
	struct dbv		 a[3];
	enum perr		 e;
	int			 rc;

	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->vis = valid_get_str(q, "visibility");
	t->trashed = valid_get_bool(q, "isTrashed", 0);
	if ((t->fav_set = valid_has(q, "isFavorite")))
		t->fav = valid_get_bool(q, "isFavorite", 0);
	t->order = valid_get_str(q, "order") ? valid_get_str(q, "order") : "desc";
	t->created = valid_get_str(q, "orderBy") != NULL &&
	    strcmp(valid_get_str(q, "orderBy"), "createdAt") == 0;
	t->coords = valid_get_bool(q, "withCoordinates", 0);
	t->stacked = valid_get_bool(q, "withStacked", 0);

	/* 1. Locked assets need an elevated (PIN) session: partnerd has none. */
	if (t->vis != NULL && strcmp(t->vis, "locked") == 0)
		return ctx_fail(ctx, PERR_UNAUTHENTICATED, "Elevated permission is required");
	/* 2. An album, or else a user (me by default). */
	if ((t->album = valid_get_str(q, "albumId")) != NULL) {
		if ((e = access_require1(ctx, PERM_ALBUM_READ, t->album)) != PERR_NONE)
			return e;
	} else if (user == NULL)
		user = ctx->user_id;
	/* 3. The user's timeline: mine, or a partner who shares with me. */
	if (user != NULL) {
		if ((e = access_require1(ctx, PERM_TIMELINE_READ, user)) != PERR_NONE)
			return e;
		if (t->vis != NULL && strcmp(t->vis, "archive") == 0 &&
		    strcasecmp(user, ctx->user_id) != 0)
			return ctx_fail(ctx, PERR_BAD_REQUEST, "Not found or no archive.read access");
	}
	/* 4. People and tags do not exist yet in partnerd. */
	if (valid_has(q, "personId"))
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "personId is not supported: partnerd has no people yet");
	if (valid_has(q, "tagId"))
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "tagId is not supported: partnerd has no tags yet");
	/* 6. Partners' assets only where the partner rule can show them. */
	if (with_partners && (t->vis == NULL || strcmp(t->vis, "archive") == 0 ||
	    t->fav_set || t->trashed))
		return ctx_fail(ctx, PERR_BAD_REQUEST, "withPartners is only supported for "
		    "non-archived, non-trashed, non-favorited, non-locked assets");
	if (bbox != NULL && (e = parse_bbox(t, bbox)) != PERR_NONE)
		return e;
	if (user != NULL) {
		/* The owner set, from the access section's SQL. */
		t->owners = json_object_new_array();
		a[0] = DBV_STR(user);
		a[1] = DBV_INT(with_partners);
		a[2] = DBV_STR(ctx->user_id);
		rc = db_query(ctx->db, STMT_TIMELINE_OWNERS, a, 3, owner_row, t->owners);
		if (rc != DB_OK && rc != DB_NOTFOUND)
			return perr_from_db(rc);
		t->owners_json = json_object_to_json_string_ext(t->owners, JSON_C_TO_STRING_PLAIN);
	}
	return PERR_NONE;
}

static void
tl_free(struct tl *t)
{
	if (t->owners != NULL)
		json_object_put(t->owners);
}

struct tag {
	crypto_hash_sha256_state st;
};

static int
version_row(void *arg, const struct db_row *row)
{
	struct tag	*g = arg;

	crypto_hash_sha256_update(&g->st, (const unsigned char *)row->val[0],
	    strlen(row->val[0]));
	crypto_hash_sha256_update(&g->st, (const unsigned char *)row->val[1],
	    strlen(row->val[1]));
	return 0;
}

/*
 * The weak ETag: caller, route, query and the owner set with each owner's
 * change counter. Returns 1 when the client's If-None-Match has it (304
 * answered), 0 to go on, -1 on a database error (*e set).
 */
static int
tl_etag(struct tl *t, enum perr *e)
{
	struct ctx	*ctx = t->ctx;
	struct tag	 g;
	struct dbv	 a[1];
	unsigned char	 h[crypto_hash_sha256_BYTES];
	char		 etag[64];
	const char	*inm;
	int		 rc, i;

	*e = PERR_NONE;
	if (t->owners == NULL)
		return 0;	/* albums: no ETag (membership has no counter) */
	crypto_hash_sha256_init(&g.st);
	crypto_hash_sha256_update(&g.st, (const unsigned char *)ctx->user_id, strlen(ctx->user_id));
	crypto_hash_sha256_update(&g.st, (const unsigned char *)ctx->route->pattern,
	    strlen(ctx->route->pattern));
	crypto_hash_sha256_update(&g.st, (const unsigned char *)ctx->query, strlen(ctx->query));
	crypto_hash_sha256_update(&g.st, (const unsigned char *)t->owners_json,
	    strlen(t->owners_json));
	a[0] = DBV_STR(t->owners_json);
	rc = db_query(ctx->db, STMT_TIMELINE_VERSIONS, a, 1, version_row, &g);
	if (rc != DB_OK && rc != DB_NOTFOUND) {
		*e = perr_from_db(rc);
		return -1;
	}
	crypto_hash_sha256_final(&g.st, h);
	memcpy(etag, "W/\"", 3);
	for (i = 0; i < 16; i++)
		snprintf(etag + 3 + 2 * i, 3, "%02x", h[i]);
	memcpy(etag + 35, "\"", 2);
	resp_header(ctx->resp, "ETag", etag);
	resp_header(ctx->resp, "Cache-Control", "private, no-cache");
	inm = req_param(ctx->req, "HTTP_IF_NONE_MATCH");
	if (inm != NULL && (strstr(inm, etag + 2) != NULL || strcmp(inm, "*") == 0)) {
		ctx->resp->status = 304;
		return 1;
	}
	return 0;
}

/* The filter parameters shared by every timeline statement. */
static size_t
tl_filter(const struct tl *t, struct dbv *a)
{
	const char	*me = t->ctx->user_id;

	a[0] = DBV_INT(t->trashed);
	a[1] = DBV_OPTSTR(t->vis);
	a[2] = DBV_OPTSTR(t->vis);
	a[3] = t->fav_set ? DBV_INT(t->fav) : DBV_NULL;
	a[4] = DBV_STR(me);
	a[5] = t->fav_set ? DBV_INT(t->fav) : DBV_NULL;
	return 6;
}

/* The direct path's WHERE parameters: owners or album, filter, bbox. */
static size_t
tl_direct(const struct tl *t, struct dbv *a)
{
	const char	*me = t->ctx->user_id;
	size_t		 n = 0;

	a[n++] = DBV_OPTSTR(t->owners_json);
	a[n++] = DBV_OPTSTR(t->owners_json);
	a[n++] = DBV_STR(me);
	a[n++] = DBV_OPTSTR(t->album);
	a[n++] = DBV_OPTSTR(t->album);
	a[n++] = DBV_STR(me);
	a[n++] = DBV_STR(me);
	a[n++] = DBV_STR(me);
	n += tl_filter(t, a + n);
	a[n++] = DBV_INT(t->bbox);
	a[n++] = DBV_STR(t->bbox ? t->south : "0");
	a[n++] = DBV_STR(t->bbox ? t->north : "0");
	a[n++] = DBV_STR(t->bbox ? t->w1 : "0");
	a[n++] = DBV_STR(t->bbox ? t->e1 : "0");
	a[n++] = DBV_STR(t->bbox ? t->w2 : "0");
	a[n++] = DBV_STR(t->bbox ? t->e2 : "0");
	return n;
}

static int
bucket_count_row(void *arg, const struct db_row *row)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "timeBucket", json_object_new_string(row->val[0]));
	json_object_object_add(o, "count", json_object_new_int64(strtoll(row->val[1], NULL, 10)));
	return json_object_array_add(arg, o);
}

enum perr
h_timeline_buckets(struct ctx *ctx)
{
	struct json_object	*arr;
	struct dbv		 a[32];
	struct tl		 t;
	enum perr		 e;
	size_t			 n = 0;
	int			 rc;

	if ((e = tl_prepare(ctx, &t)) != PERR_NONE || tl_etag(&t, &e) != 0) {
		tl_free(&t);
		return e;
	}
	arr = json_object_new_array();
	if (t.owners != NULL && !t.bbox && !t.created) {
		a[n++] = DBV_STR(t.owners_json);
		a[n++] = DBV_STR(ctx->user_id);
		n += tl_filter(&t, a + n);
		a[n++] = DBV_STR(t.order);
		rc = db_query(ctx->db, STMT_TIMELINE_BUCKETS, a, n, bucket_count_row, arr);
	} else {
		a[n++] = DBV_INT(t.created);
		n += tl_direct(&t, a + n);
		a[n++] = DBV_STR(t.order);
		rc = db_query(ctx->db, STMT_TIMELINE_BUCKETS_DIRECT, a, n, bucket_count_row, arr);
	}
	tl_free(&t);
	if (rc != DB_OK && rc != DB_NOTFOUND) {
		json_object_put(arr);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, arr) ? PERR_INTERNAL : PERR_NONE;
}

/* "1970-02-01" or an ISO date-time, a leading + or - stripped: the month
 * start it names, or "" when it names no month start (matches nothing). */
static int
parse_time_bucket(const char *s, char out[32])
{
	int	 y, m, d, n = 0;

	if (*s == '+' || *s == '-')
		s++;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	out[0] = '\0';
	/* Only the first of a month, at midnight, is a bucket. */
	if (d == 1 && (s[10] == '\0' || strncmp(s + 10, "T00:00:00", 9) == 0))
		snprintf(out, 32, "%04d-%02d-01 00:00:00", y, m);
	return 0;
}

struct cols {
	struct json_object	*arr[TC__MAX + 1];
	int			 coords, stacked;
};

static const char *const col_names[TC__MAX] = {
	[TC_ID] = "id", [TC_OWNER] = "ownerId", [TC_RATIO] = "ratio",
	[TC_FAV] = "isFavorite", [TC_VIS] = "visibility", [TC_TRASHED] = "isTrashed",
	[TC_IMAGE] = "isImage", [TC_THUMBHASH] = "thumbhash",
	[TC_FILE_CREATED] = "fileCreatedAt", [TC_CREATED] = "createdAt",
	[TC_OFFSET] = "localOffsetHours", [TC_DURATION] = "duration",
	[TC_LIVE] = "livePhotoVideoId", [TC_PROJECTION] = "projectionType",
	[TC_STATUS] = "status", [TC_CITY] = "city", [TC_COUNTRY] = "country",
	[TC_LAT] = "latitude", [TC_LON] = "longitude",
};

/* Postgres' timestamp text: "2024-01-01T10:00:00", fractions only if any. */
static struct json_object *
pg_timestamp(const char *s)
{
	char	 buf[40];
	size_t	 n;

	snprintf(buf, sizeof(buf), "%s", s);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return json_object_new_string(buf);
}

static struct json_object *
num_or_null(const char *s)
{
	return s != NULL ? json_object_new_double_s(strtod(s, NULL), s) : NULL;
}

static int
bucket_row(void *arg, const struct db_row *row)
{
	struct cols	*c = arg;
	const char *const *v = row->val;
	char		 off[32];
	double		 hours;
	int		 i;

	json_object_array_add(c->arr[TC_ID], json_object_new_string(v[TC_ID]));
	json_object_array_add(c->arr[TC_OWNER], json_object_new_string(v[TC_OWNER]));
	json_object_array_add(c->arr[TC_RATIO], num_or_null(v[TC_RATIO]));
	json_object_array_add(c->arr[TC_FAV], json_object_new_boolean(v[TC_FAV][0] == '1'));
	json_object_array_add(c->arr[TC_VIS], json_object_new_string(v[TC_VIS]));
	json_object_array_add(c->arr[TC_TRASHED], json_object_new_boolean(v[TC_TRASHED][0] == '1'));
	json_object_array_add(c->arr[TC_IMAGE], json_object_new_boolean(v[TC_IMAGE][0] == '1'));
	json_object_array_add(c->arr[TC_THUMBHASH], v[TC_THUMBHASH] ?
	    json_object_new_string(v[TC_THUMBHASH]) : NULL);
	json_object_array_add(c->arr[TC_FILE_CREATED], pg_timestamp(v[TC_FILE_CREATED]));
	json_object_array_add(c->arr[TC_CREATED], pg_timestamp(v[TC_CREATED]));
	hours = strtod(v[TC_OFFSET], NULL) / 3600.0;
	snprintf(off, sizeof(off), "%.10g", hours);
	json_object_array_add(c->arr[TC_OFFSET], json_object_new_double_s(hours, off));
	json_object_array_add(c->arr[TC_DURATION], v[TC_DURATION] ?
	    json_object_new_int64(strtoll(v[TC_DURATION], NULL, 10)) : NULL);
	for (i = TC_LIVE; i <= TC_COUNTRY; i++)
		if (i != TC_STATUS)
			json_object_array_add(c->arr[i], v[i] ? json_object_new_string(v[i]) : NULL);
	json_object_array_add(c->arr[TC_STATUS], json_object_new_string(v[TC_STATUS]));
	if (c->coords) {
		json_object_array_add(c->arr[TC_LAT], num_or_null(v[TC_LAT]));
		json_object_array_add(c->arr[TC_LON], num_or_null(v[TC_LON]));
	}
	if (c->stacked)
		json_object_array_add(c->arr[TC__MAX], NULL);	/* no stacks yet */
	return 0;
}

enum perr
h_timeline_bucket(struct ctx *ctx)
{
	struct json_object	*o;
	struct cols		 c;
	struct dbv		 a[40];
	struct tl		 t;
	char			 month[32];
	enum perr		 e;
	size_t			 n = 0;
	int			 rc = DB_NOTFOUND, i;

	if (parse_time_bucket(valid_get_str(ctx->qs, "timeBucket"), month) != 0)
		return ctx_invalid(ctx, "timeBucket", "invalid_format",
		    "Invalid input: expected a date such as 2024-01-01");
	if ((e = tl_prepare(ctx, &t)) != PERR_NONE || tl_etag(&t, &e) != 0) {
		tl_free(&t);
		return e;
	}
	memset(&c, 0, sizeof(c));
	c.coords = t.coords;
	c.stacked = t.stacked;
	for (i = 0; i <= TC__MAX; i++)
		c.arr[i] = json_object_new_array();
	if (month[0] != '\0' && t.owners != NULL && !t.bbox && !t.created) {
		a[n++] = DBV_STR(ctx->user_id);
		a[n++] = DBV_STR(t.owners_json);
		a[n++] = DBV_STR(month);
		a[n++] = DBV_STR(month);
		a[n++] = DBV_STR(ctx->user_id);
		n += tl_filter(&t, a + n);
		a[n++] = DBV_STR(t.order);
		a[n++] = DBV_STR(t.order);
		rc = db_query(ctx->db, STMT_TIMELINE_BUCKET, a, n, bucket_row, &c);
	} else if (month[0] != '\0') {
		a[n++] = DBV_STR(ctx->user_id);
		n += tl_direct(&t, a + n);
		a[n++] = DBV_INT(t.created);
		a[n++] = DBV_STR(month);
		a[n++] = DBV_INT(t.created);
		a[n++] = DBV_STR(month);
		a[n++] = DBV_STR(t.order);
		a[n++] = DBV_INT(t.created);
		a[n++] = DBV_STR(t.order);
		a[n++] = DBV_INT(t.created);
		rc = db_query(ctx->db, STMT_TIMELINE_BUCKET_DIRECT, a, n, bucket_row, &c);
	}
	tl_free(&t);
	if (rc != DB_OK && rc != DB_NOTFOUND) {
		for (i = 0; i <= TC__MAX; i++)
			json_object_put(c.arr[i]);
		return perr_from_db(rc);
	}
	o = json_object_new_object();
	for (i = 0; i < TC__MAX; i++) {
		if ((i == TC_LAT || i == TC_LON) && !c.coords) {
			json_object_put(c.arr[i]);
			continue;
		}
		json_object_object_add(o, col_names[i], c.arr[i]);
	}
	if (c.stacked)
		json_object_object_add(o, "stack", c.arr[TC__MAX]);
	else
		json_object_put(c.arr[TC__MAX]);
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}
